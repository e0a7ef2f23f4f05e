"""What stories cost the pipeline per new matching item: placing it (``StoryDesk.place``:
fingerprint, candidates, decision, the model when needed) and recording the poll with its
story report (``Store.record_success`` with ``stories=``), against recording it without.

    python bench/storyflow_bench.py [bench/data/stories_eval.jsonl] [--mode model|none]

A real SQLite file in a temporary folder; each labelled item is one poll of its feed with
one draft. Prints ms per item (mean, p95) and the process's peak memory. Run each mode in
its own process (the default runs both), so that peak memory is that mode's own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT / "bench" / "data" / "stories_eval.jsonl"
TOPICS = "topics:\n  any: [a, e, i, o, u, の, 的, 이, и]\n"


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95)] if values else 0.0


async def run(path: Path, with_model: bool) -> dict[str, float]:
    from bot.config import load_config
    from bot.liveconfig import LiveConfig
    from bot.models import AlertDraft, Item
    from bot.route import assemble_alert
    from bot.store import FeedIdentity, PollSuccess, open_store
    from bot.stories import SentenceEmbedder
    from bot.storyflow import StoryDesk, content_digest
    from bot.text import canonical_url

    text = await asyncio.to_thread(path.read_text)
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    folder = Path(tempfile.mkdtemp())
    (folder / "feeds.yaml").write_text(
        "settings:\n  database: db.sqlite\nfeeds: []\n" + TOPICS
        + "alerts:\n  - name: all\n    match: any\n    channels: [console]\n"
    )  # fmt: skip
    config = load_config(folder / "feeds.yaml")
    stores = {name: await open_store(folder / f"{name}.sqlite") for name in ("plain", "stories")}
    desk = StoryDesk(LiveConfig(config), stores["stories"],
                     embedder=SentenceEmbedder(enabled=with_model))  # fmt: skip
    feeds = sorted({str(r.get("feed") or "?") for r in records})
    identities = [FeedIdentity(f, f"https://{f}.example/") for f in feeds]
    states = {
        name: await store.sync_feeds(identities, datetime.now(UTC))
        for name, store in stores.items()
    }
    place_ms: list[float] = []
    record_ms: dict[str, list[float]] = {"plain": [], "stories": []}
    now = datetime(2025, 5, 20, tzinfo=UTC)
    for n, record in enumerate(records):
        key = f"id:{record.get('entry_id') or record['id']}"
        if record.get("update_of"):
            key = f"{key}#u{n}"  # measured as a new item: the bench times placement
        item = Item(
            key=key,
            title=record.get("title") or "",
            text=record.get("text") or "",
            link=record.get("url"),
            canonical_url=canonical_url(record.get("url")),
            published=datetime.fromisoformat(record["published"].replace("Z", "+00:00"))
            if record.get("published") else None,
            language=record.get("language"),
        )  # fmt: skip
        feed = str(record.get("feed") or "?")
        draft = AlertDraft("all", item.key, item.canonical_url or item.key, ("any",), (), "",
                           ("console",))  # fmt: skip
        poll = PollSuccess(None, None, None, None, now + timedelta(minutes=15))
        for name, store in stores.items():
            state = states[name][feed]
            drafts, reports = [draft], ()
            if name == "stories":
                started = time.perf_counter()
                placed = await desk.place(feed, state.id, [item], [draft], now)
                place_ms.append((time.perf_counter() - started) * 1000)
                drafts, reports = list(placed.drafts), placed.reports
            started = time.perf_counter()
            await store.record_success(
                state, poll, [item], drafts, now, assemble=assemble_alert,
                stories=reports, digests={item.key: content_digest(item)},
            )  # fmt: skip
            record_ms[name].append((time.perf_counter() - started) * 1000)
        now += timedelta(seconds=30)
    for store in stores.values():
        await store.close()
    return {
        "items": len(records),
        "place_mean": statistics.fmean(place_ms),
        "place_p95": _p95(place_ms),
        "record_plain_mean": statistics.fmean(record_ms["plain"]),
        "record_stories_mean": statistics.fmean(record_ms["stories"]),
        "peak_mb": _peak_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    parser.add_argument("--mode", choices=["both", "model", "none"], default="both")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.mode != "both":
        result = asyncio.run(run(Path(args.data), args.mode == "model"))
        print(json.dumps(result))
        return
    for mode in ("model", "none"):
        out = subprocess.run(
            [sys.executable, __file__, args.data, "--mode", mode],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        result = json.loads(out.strip().splitlines()[-1])
        print(
            f"{mode:>5}: {result['items']} items; placing {result['place_mean']:.2f} ms/item "
            f"(p95 {result['place_p95']:.2f}); recording the poll "
            f"{result['record_plain_mean']:.2f} ms without stories, "
            f"{result['record_stories_mean']:.2f} ms with; peak {result['peak_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
