"""Story clustering benchmark: the decider and the in-memory index over a labelled set.

    python bench/stories_bench.py [bench/data/stories_eval.jsonl] [--json]

Items are placed in file order, as a feed poller would see them. Prints, with the sentence
model and without it (each in its own process, so that peak memory is the run's own):
B-cubed precision/recall/F1, alerts per gold story (how many clusters it was split into),
false joins (item pairs joined but gold-different; those whose two items share a company),
time per item (fingerprint, decision), peak memory, and the change detection on updates.

Schema of a line: {"id","story","feed","language","entry_id","url","published","title",
"text","update_of","change","kind","note"}; one "story" is one gold story; an item with
"update_of" re-publishes an earlier item (same entry_id) and belongs to that item's story.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT / "bench" / "data" / "stories_eval.jsonl"


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run(path: Path, with_model: bool) -> dict[str, Any]:
    """Place every item; return the measurements as JSON-able values."""
    # the bot's own modules first: memory as the bot would have it
    for module in ("bot.app", "bot.pipeline"):
        importlib.import_module(module)
    from bot.models import Item
    from bot.stories import SentenceEmbedder, StoryClusterer, fingerprint
    from bot.stories.entities import company_finder
    from bot.text import canonical_url

    baseline_rss = _rss_mb()
    records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    entities = company_finder()
    embedder = SentenceEmbedder(enabled=with_model)
    clusterer = StoryClusterer(embedder=embedder)
    placed: dict[str, str] = {}
    placements: dict[str, Any] = {}
    prints: dict[str, Any] = {}
    fp_times: list[float] = []
    decide_times: list[float] = []
    embedded = 0
    for record in records:
        item = Item(
            key=f"id:{record.get('entry_id') or record['id']}",
            title=record.get("title") or "",
            text=record.get("text") or "",
            link=record.get("url"),
            canonical_url=canonical_url(record.get("url")),
            published=_time(record.get("published")),
            language=record.get("language"),
        )
        start = time.perf_counter()
        fp = fingerprint(
            item,
            str(record.get("feed") or "?"),
            item_id=str(record["id"]),
            entities=entities,
            published=datetime.now(UTC),
        )
        fp_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        placement = clusterer.place(fp)
        decide_times.append(time.perf_counter() - start)
        embedded += placement.embedded
        placed[str(record["id"])] = placement.story_id
        placements[str(record["id"])] = placement
        prints[str(record["id"])] = fp
    result = evaluate(records, placed, placements, prints)
    result.update(
        with_model=with_model,
        model_loaded=embedder.loaded,
        model_load_s=round(embedder.load_seconds or 0.0, 2),
        embed_s=round(embedder.embed_seconds, 3),
        embeds_per_s=round(embedder.embedded / embedder.embed_seconds, 1)
        if embedder.embed_seconds
        else None,
        decide_ms_mean=round(
            (sum(decide_times) - embedder.embed_seconds - (embedder.load_seconds or 0.0))
            * 1000
            / max(len(records), 1),
            3,
        ),
        embeddings=embedded,
        items=len(records),
        fingerprint_ms=_stats(fp_times),
        place_ms=_stats(decide_times),
        rss_before_mb=round(baseline_rss, 1),
        peak_rss_mb=round(_peak_rss_mb(), 1),
    )
    return result


def _stats(seconds: list[float]) -> dict[str, float]:
    if not seconds:
        return {}
    ordered = sorted(seconds)
    return {
        "mean": round(1000 * sum(ordered) / len(ordered), 3),
        "p95": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 3),
        "max": round(1000 * ordered[-1], 3),
    }


def gold_stories(records: list[dict[str, Any]]) -> dict[str, str]:
    """Item id -> gold story; an update belongs to the story of the item it updates."""
    gold: dict[str, str] = {}
    by_id = {str(r["id"]): r for r in records}
    for record in records:
        target = record
        seen = set()
        while target.get("update_of") and str(target["update_of"]) in by_id:
            if target["id"] in seen:
                break
            seen.add(target["id"])
            target = by_id[str(target["update_of"])]
        gold[str(record["id"])] = str(target.get("story") or record.get("story"))
    return gold


def evaluate(
    records: list[dict[str, Any]],
    placed: dict[str, str],
    placements: dict[str, Any],
    prints: dict[str, Any],
) -> dict[str, Any]:
    gold = gold_stories(records)
    clusters: dict[str, set[str]] = defaultdict(set)
    stories: dict[str, set[str]] = defaultdict(set)
    for item_id, story_id in placed.items():
        clusters[story_id].add(item_id)
        stories[gold[item_id]].add(item_id)
    precision = recall = 0.0
    for item_id in placed:
        cluster, story = clusters[placed[item_id]], stories[gold[item_id]]
        both = len(cluster & story)
        precision += both / len(cluster)
        recall += both / len(story)
    n = len(placed) or 1
    precision, recall = precision / n, recall / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    splits = [len({placed[i] for i in members}) for members in stories.values()]
    false_pairs: list[tuple[str, str]] = []
    for members in clusters.values():
        ordered = sorted(members)
        for index, a in enumerate(ordered):
            for b in ordered[index + 1 :]:
                if gold[a] != gold[b]:
                    false_pairs.append((a, b))
    companies = {
        item_id: {e for e in fp.entities if e.startswith("co:")} for item_id, fp in prints.items()
    }
    shared = [(a, b) for a, b in false_pairs if companies[a] & companies[b]]
    kinds = {str(r["id"]): str(r.get("kind") or "") for r in records}
    split_kinds: Counter[str] = Counter()
    for members in stories.values():
        if len({placed[i] for i in members}) > 1:
            split_kinds.update({kinds[i] for i in members})
    reasons = Counter(p.reason for p in placements.values())
    changes = _changes(records, placements)
    return {
        "bcubed_precision": round(precision, 4),
        "bcubed_recall": round(recall, 4),
        "bcubed_f1": round(f1, 4),
        "gold_stories": len(stories),
        "clusters": len(clusters),
        "alerts_per_story_mean": round(sum(splits) / len(splits), 3) if splits else 0.0,
        "alerts_per_story_max": max(splits, default=0),
        "stories_split": sum(1 for s in splits if s > 1),
        "false_join_pairs": len(false_pairs),
        "false_joins_sharing_a_company": len(shared),
        "false_join_examples": [
            {"a": a, "b": b, "gold": [gold[a], gold[b]], "reason": placements[b].reason}
            for a, b in false_pairs[:20]
        ],
        "split_items_by_kind": dict(split_kinds),
        "reasons": dict(reasons),
        "changes": changes,
    }


def _changes(records: list[dict[str, Any]], placements: dict[str, Any]) -> dict[str, Any]:
    """Updates: do we say material where the set says material?"""
    agree = total = 0
    confusion: Counter[str] = Counter()
    for record in records:
        if not record.get("update_of"):
            continue
        placement = placements[str(record["id"])]
        ours = list(placement.changes or [])
        expected = record.get("change")
        if expected is None:
            continue
        if isinstance(expected, str):
            expected_material = expected.lower() not in ("cosmetic", "none", "")
        else:
            expected_material = bool(expected)
        total += 1
        agree += bool(ours) == expected_material
        confusion[f"gold {'material' if expected_material else 'cosmetic'} / ours "
                  f"{'material' if ours else 'cosmetic'}"] += 1  # fmt: skip
    return {"updates": total, "agree": agree, "confusion": dict(confusion)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    parser.add_argument("--mode", choices=["both", "model", "none"], default="both")
    parser.add_argument("--json", action="store_true", help="print the raw measurements")
    args = parser.parse_args()
    path = Path(args.data)
    if args.mode != "both":
        print(json.dumps(run(path, args.mode == "model")))
        return
    results = {}
    for mode in ("model", "none"):
        out = subprocess.run(
            [sys.executable, __file__, str(path), "--mode", mode],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return
    report(results)


def report(results: dict[str, dict[str, Any]]) -> None:
    rows = [
        ("B-cubed precision", "bcubed_precision"),
        ("B-cubed recall", "bcubed_recall"),
        ("B-cubed F1", "bcubed_f1"),
        ("gold stories / clusters", None),
        ("alerts per story, mean", "alerts_per_story_mean"),
        ("alerts per story, max", "alerts_per_story_max"),
        ("stories split", "stories_split"),
        ("false joins (item pairs)", "false_join_pairs"),
        ("  of which sharing a company", "false_joins_sharing_a_company"),
        ("embeddings computed", "embeddings"),
        ("fingerprint ms/item (mean, p95)", "fingerprint_ms"),
        ("placement ms/item (mean, p95)", "place_ms"),
        ("  without model load and encoding, mean", "decide_ms_mean"),
        ("peak RSS MB (bot modules imported)", "peak_rss_mb"),
    ]
    print(f"{'':38} {'with model':>18} {'without model':>18}")
    for label, key in rows:
        if key is None:
            cells = [f"{r['gold_stories']} / {r['clusters']}" for r in results.values()]
        elif isinstance(results["model"][key], dict):
            cells = [f"{r[key]['mean']} / {r[key]['p95']}" for r in results.values()]
        else:
            cells = [str(r[key]) for r in results.values()]
        print(f"{label:38} {cells[0]:>18} {cells[1]:>18}")
    model = results["model"]
    print(f"items: {model['items']}; model loaded: {model['model_loaded']} "
          f"({model['model_load_s']} s, included in the placement time); "
          f"{model['embeds_per_s']} texts/s encoded on one thread")  # fmt: skip
    print(f"join reasons (model): {model['reasons']}")
    print(f"join reasons (no model): {results['none']['reasons']}")
    print(f"split items by kind (model): {model['split_items_by_kind']}")
    print(f"changes (model): {model['changes']}")
    for mode, result in results.items():
        for example in result["false_join_examples"]:
            print(f"false join ({mode}): {example}")


if __name__ == "__main__":
    main()
