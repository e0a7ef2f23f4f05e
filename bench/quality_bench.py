"""Clean-text quality: dealbot's parse -> match -> route -> summarize on the labelled set of
``bench/data/cleantext/`` (README there), with figures for alerts, duplicates, summaries,
languages and cost.

    python bench/quality_bench.py                  # this checkout's code
    python bench/quality_bench.py --code DIR       # another checkout's bot/ (a BEFORE figure)

Every feed is parsed from its bytes and the Content-Type its server sends; every item then
goes through ``bot.route.draft_alerts`` as on a feed's first poll at the set's fetch time
(2025-06-12T06:00Z) with a 7-day backfill (every item but the stale one is younger), with
the rules of ``topics.yaml``. Printed:

* alerts: precision and recall over (item, rule) pairs, per rule, and the share of items
  whose set of rules is exactly right;
* duplicates: pairs labelled ``same_story_as`` whose canonical URLs differ;
* summary defects (of the summary the alert carries; for an item that does not alert, the
  one ``summarize`` makes from the matched terms): a forbidden string in the summary or the
  title shown, a fact missing (for Google News items, whose text is only the title, the
  title shown counts too), the title repeated, empty although the text has facts (Google
  News items excepted: their right summary is none);
* language accuracy; µs per item of parsing, and of decoding and cleaning where the code
  has them (``bot.ingest.decode``, ``bot.ingest.clean``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import unicodedata
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "cleantext"
FETCHED_AT = datetime(2025, 6, 12, 6, 0, tzinfo=UTC)
BACKFILL = timedelta(days=7)


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def load_labels() -> list[dict[str, Any]]:
    with open(DATA / "labels.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_index() -> dict[str, dict[str, str]]:
    rows = (DATA / "feeds" / "INDEX.tsv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split("\t")
    return {
        row.split("\t")[0]: dict(zip(header, row.split("\t"), strict=False)) for row in rows[1:]
    }


def run(code: Path) -> dict[str, Any]:
    sys.path.insert(0, str(code))
    for name in list(sys.modules):
        if name == "bot" or name.startswith("bot."):
            del sys.modules[name]
    parse = importlib.import_module("bot.ingest.parse")
    config_module = importlib.import_module("bot.config")
    match_module = importlib.import_module("bot.match")
    route = importlib.import_module("bot.route")
    summary_module = importlib.import_module("bot.summary")

    config = config_module.load_config(DATA / "topics.yaml")
    matcher = match_module.Matcher(config.topics)
    backfill = config_module.Backfill(BACKFILL)
    labels = load_labels()
    index = load_index()

    items: dict[tuple[str, str], Any] = {}
    fired: dict[tuple[str, str], set[str]] = {}
    summaries: dict[tuple[str, str], str] = {}
    parse_seconds = 0.0
    parsed_items = 0
    for feed_id, (file, row) in enumerate(sorted(index.items()), start=1):
        body = (DATA / "feeds" / file).read_bytes()
        headers = {"Content-Type": row["content_type"]}
        started = time.perf_counter()
        parsed = parse.parse_feed(body, f"https://feeds.example/{file}", headers)
        parse_seconds += time.perf_counter() - started
        parsed_items += len(parsed.items)
        drafts = route.draft_alerts(
            feed_id,
            parsed.items,
            first_poll=True,
            backfill=backfill,
            matcher=matcher,
            alerts=config.alerts,
            now=FETCHED_AT,
            shared=route.shared_links(parsed.items),
        )
        by_key: dict[str, list[Any]] = {}
        for draft in drafts:
            by_key.setdefault(draft.item_key, []).append(draft)
        for item in parsed.items:
            entry = item.key[3:] if item.key.startswith("id:") else item.key
            items[(file, entry)] = item
            mine = by_key.get(item.key, [])
            fired[(file, entry)] = {draft.rule for draft in mine}
            if mine:
                summaries[(file, entry)] = mine[0].summary
            else:
                found = matcher.match(item.title, item.text)
                summaries[(file, entry)] = summary_module.summarize(
                    item, list(found.terms_for(found.topics))
                )

    return {
        "labels": labels,
        "items": items,
        "fired": fired,
        "summaries": summaries,
        "parse_us": parse_seconds / max(parsed_items, 1) * 1e6,
        "component_us": component_costs(labels, index),
        "rules": [alert.name for alert in config.alerts],
    }


def component_costs(
    labels: list[dict[str, Any]], index: dict[str, dict[str, str]]
) -> dict[str, float]:
    """µs per item of decoding and of cleaning, where the code has them."""
    costs: dict[str, float] = {}
    try:
        decode = importlib.import_module("bot.ingest.decode")
        clean = importlib.import_module("bot.ingest.clean")
        feedparser = importlib.import_module("feedparser")
    except ImportError:
        return costs
    if not hasattr(decode, "decode_document"):
        return costs
    count = len(labels)
    started = time.perf_counter()
    documents = []
    for file, row in index.items():
        body = (DATA / "feeds" / file).read_bytes()
        documents.append(decode.decode_document(body, row["content_type"]).document)
    costs["decode"] = (time.perf_counter() - started) / count * 1e6
    bodies = []
    for document in documents:
        if document.lstrip()[:1] == b"{":
            data = json.loads(document)
            bodies += [
                str(e.get("content_html") or e.get("content_text") or "") for e in data["items"]
            ]
            continue
        parsed = feedparser.parse(document, sanitize_html=False, resolve_relative_uris=False)
        for entry in parsed.entries:
            candidates = [str(c.get("value", "")) for c in entry.get("content") or []]
            bodies.append(max([*candidates, str(entry.get("summary", ""))], key=len))
    started = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        for body in bodies:
            clean.clean_article(body)
    costs["clean"] = (time.perf_counter() - started) / rounds / max(len(bodies), 1) * 1e6
    return costs


def report(result: dict[str, Any]) -> dict[str, Any]:
    labels, items, fired, summaries = (
        result["labels"], result["items"], result["fired"], result["summaries"],
    )  # fmt: skip
    rules: list[str] = result["rules"]
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    exact = missing = 0
    defects: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    language_right = 0
    duplicates = pairs = 0
    for label in labels:
        key = (label["feed"], label["entry"])
        item = items.get(key)
        wanted = set(label["alerts"])
        got = fired.get(key, set())
        if item is None:
            missing += 1
        for rule in rules:
            if rule in got and rule in wanted:
                tp[rule] += 1
            elif rule in got:
                fp[rule] += 1
            elif rule in wanted:
                fn[rule] += 1
        exact += got == wanted and item is not None
        if item is None:
            continue
        language_right += item.language == label["language"]
        if label.get("same_story_as"):
            pairs += 1
            other = items.get((label["same_story_as"]["feed"], label["same_story_as"]["entry"]))
            if other is None or other.canonical_url != item.canonical_url or not item.canonical_url:
                duplicates += 1
                examples.setdefault("duplicate", []).append(
                    f"{item.canonical_url} vs {other.canonical_url if other else None}"
                )
        summary = summaries.get(key, "")
        google = "google-news" in label.get("cases", [])
        shown = fold(f"{item.title}\n{summary}")
        for forbidden in label.get("forbidden", []):
            if fold(forbidden) in shown:
                defects["forbidden string"] += 1
                examples.setdefault("forbidden string", []).append(f"{key[0]}: {forbidden!r}")
        searched = fold(f"{item.title}\n{summary}" if google else summary)
        for fact in label.get("facts", []):
            if not any(fold(option) in searched for option in fact):
                defects["fact missing"] += 1
                examples.setdefault("fact missing", []).append(f"{key[0]}: {fact}")
        title = fold(" ".join(item.title.split()))
        if summary and title and title in fold(" ".join(summary.split())):
            defects["title repeated"] += 1
            examples.setdefault("title repeated", []).append(f"{key[0]}: {summary[:80]!r}")
        if not summary and label.get("facts") and not google:
            defects["empty summary"] += 1
            examples.setdefault("empty summary", []).append(f"{key[0]}: {label['entry']}")
    total_tp, total_fp, total_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    figures = {
        "items": len(labels),
        "items not found": missing,
        "alert precision": total_tp / max(total_tp + total_fp, 1),
        "alert recall": total_tp / max(total_tp + total_fn, 1),
        "items with exactly the right rules": exact / len(labels),
        "per rule": {
            rule: {
                "precision": tp[rule] / max(tp[rule] + fp[rule], 1),
                "recall": tp[rule] / max(tp[rule] + fn[rule], 1),
                "tp": tp[rule],
                "fp": fp[rule],
                "fn": fn[rule],
            }
            for rule in rules
        },
        "duplicates": f"{duplicates} of {pairs} pairs",
        "summary defects": dict(defects),
        "summary defects total": sum(defects.values()),
        "language accuracy": language_right / max(len(labels) - missing, 1),
        "parse µs/item": result["parse_us"],
        **{f"{name} µs/item": value for name, value in result["component_us"].items()},
        "examples": {kind: found[:6] for kind, found in examples.items()},
    }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose bot/ to run")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--examples", action="store_true", help="print examples of defects")
    args = parser.parse_args()
    figures = report(run(args.code.resolve()))
    examples = figures.pop("examples")
    for name, value in figures.items():
        if name == "per rule":
            for rule, numbers in value.items():
                print(
                    f"  {rule:20s} precision {numbers['precision']:.2f} recall "
                    f"{numbers['recall']:.2f} (tp {numbers['tp']}, fp {numbers['fp']}, "
                    f"fn {numbers['fn']})"
                )
        elif isinstance(value, float):
            print(f"{name:36s} {value:.2f}" if value < 10 else f"{name:36s} {value:.0f}")
        else:
            print(f"{name:36s} {value}")
    if args.examples:
        for kind, found in examples.items():
            print(f"\n{kind}:")
            for line in found:
                print(f"  {line}")
    if args.json:
        args.json.write_text(json.dumps(figures | {"examples": examples}, indent=1, default=str))


if __name__ == "__main__":
    main()
