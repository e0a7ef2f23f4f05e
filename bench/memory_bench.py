"""Memory of the whole process tree of ``dealbot once`` with the sentence model loaded.

    python bench/memory_bench.py [--feeds 2000] [--workers auto,0] [--items 20]

Issue 13's budget: the process tree (the bot's process, the forkserver and the parse
worker processes it starts) stays within 250 MB with the sentence model loaded. A separate
process serves N generated feeds (``bench/run.py``'s, 20 items each) plus one feed per
outlet of the labelled story set (``bench/data/stories_eval.jsonl``, first versions of its
entries, dates moved to end an hour ago), on 127.0.0.1. The bot runs as the real command,
``dealbot once``, in its own process, with the benchmark's topics and one more rule
(``samsung or xiaomi``), so that reports of one story in several languages reach the story
desk and the model loads because a decision needs it (the log line is checked), not
because the benchmark loads it.

The tree is sampled every 50 ms from /proc: at each sample the VmRSS of every process in
it is summed, and the peak of that sum is the figure the budget is checked against (the
sum of each process's own peak, VmHWM, is printed as an upper bound, and the peak of the
summed PSS, which shares the pages common to the forked processes among them, as a lower
one). Per process: its role (main, forkserver, parse worker) and its peak. Linux only.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from run import Document, _serve, build_documents  # noqa: E402
from run import write_config as run_config  # noqa: E402

BUDGET_MB = 250.0
STORIES = BENCH / "data" / "stories_eval.jsonl"
MODEL_LOADED = "sentence model loaded"


def story_documents() -> dict[str, Document]:
    """One RSS document per outlet of the labelled set: the first version of each entry,
    moved in time so that the newest item is an hour old (relative spacing kept)."""
    import email.utils
    import gzip
    import hashlib

    records = [json.loads(line) for line in STORIES.read_text().splitlines() if line.strip()]
    firsts = [r for r in records if not r.get("update_of")]
    times = [datetime.fromisoformat(r["published"].replace("Z", "+00:00")) for r in firsts]
    shift = datetime.now(UTC) - timedelta(hours=1) - max(times)
    by_feed: dict[str, list[str]] = defaultdict(list)
    for record, moment in zip(firsts, times, strict=True):
        when = email.utils.format_datetime(moment + shift)
        by_feed[record["feed"]].append(
            f"<item><title>{escape(record['title'])}</title><link>{escape(record['url'])}</link>"
            f'<guid isPermaLink="false">{escape(record["entry_id"])}</guid>'
            f"<pubDate>{when}</pubDate><description>{escape(record['text'])}</description></item>"
        )
    documents = {}
    for feed, items in by_feed.items():
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(feed)}</title><link>https://{feed}.example/</link>"
            f"{''.join(items)}</channel></rss>"
        ).encode()
        documents[f"story-{feed}.xml"] = Document(
            body=body,
            gzipped=gzip.compress(body),
            etag=f'"{hashlib.sha256(body).hexdigest()[:20]}"',
            conditional=True,
        )
    return documents


def serve(feeds: int, items: int, conn: Connection) -> None:
    import asyncio

    documents = build_documents(feeds, items, 1.0, 20261125) | story_documents()
    asyncio.run(_serve(documents, conn))


def write_config(folder: Path, port: int, feeds: int, story_feeds: list[str], workers: str) -> Path:
    """``run.py``'s feeds.yaml, with the story set's feeds and a rule they match."""
    path = run_config(folder, port, feeds, workers)
    lines = path.read_text(encoding="utf-8").splitlines()
    added = []
    for index, name in enumerate(story_feeds, start=feeds):
        added += [f"  - name: f{index}", f"    url: http://127.0.0.1:{port}/{name}"]
    at = lines.index("topics:")
    lines[at:at] = added
    lines += [
        "  - name: stories",
        "    match: samsung or xiaomi",
        '    channels: ["jsonl:stories.jsonl"]',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ sampling


def _status(pid: int) -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _parents() -> dict[int, int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def _tree(root: int, parents: dict[int, int]) -> list[int]:
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def _role(pid: int, root: int, parents: dict[int, int]) -> str:
    """main; its direct children: the forkserver, the resource tracker; below: workers."""
    if pid == root:
        return "main"
    if parents.get(pid) != root:
        return "parse worker"
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "?"
    for role in ("forkserver", "resource_tracker"):
        if role in command:
            return role.replace("_", " ")
    return "child"


class TreeSampler:
    """Peak of the summed RSS (and PSS) of a process and everything below it."""

    def __init__(self, root: int, interval: float = 0.05) -> None:
        self.root = root
        self.interval = interval
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.peak_at = 0.0
        self.hwm_kb: dict[int, int] = {}
        self.roles: dict[int, str] = {}
        self.processes_at_peak: dict[int, int] = {}
        self._started = time.perf_counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        total = pss = 0
        current = {}
        parents = _parents()
        for pid in _tree(self.root, parents):
            try:
                status = _status(pid)
            except OSError:
                continue
            if "VmRSS" not in status:
                continue  # a zombie
            if pid not in self.roles:
                self.roles[pid] = _role(pid, self.root, parents)
            current[pid] = status["VmRSS"]
            total += status["VmRSS"]
            pss += _pss(pid)
            self.hwm_kb[pid] = max(self.hwm_kb.get(pid, 0), status.get("VmHWM", 0))
        if total > self.peak_rss_kb:
            self.peak_rss_kb = total
            self.peak_at = time.perf_counter() - self._started
            self.processes_at_peak = current
        self.peak_pss_kb = max(self.peak_pss_kb, pss)


def run_once(config: Path, env: dict[str, str]) -> dict[str, Any]:
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "dealbot"), "--config", str(config), "once"],
        cwd=config.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    with TreeSampler(process.pid) as sampler:
        _, errors = process.communicate(timeout=1800)
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"dealbot once failed ({process.returncode}):\n{errors[-3000:]}")
    mb = 1 / 1024
    by_role: dict[str, list[float]] = defaultdict(list)
    for pid, peak in sorted(sampler.hwm_kb.items()):
        by_role[sampler.roles.get(pid, "?")].append(round(peak * mb, 1))
    at_peak: dict[str, float] = defaultdict(float)
    for pid, rss in sampler.processes_at_peak.items():
        at_peak[sampler.roles.get(pid, "?")] += round(rss * mb, 1)
    return {
        "model_loaded": MODEL_LOADED in errors,
        "wall_s": round(wall, 1),
        "tree_peak_rss_mb": round(sampler.peak_rss_kb * mb, 1),
        "tree_peak_pss_mb": round(sampler.peak_pss_kb * mb, 1),
        "sum_of_peaks_mb": round(sum(sampler.hwm_kb.values()) * mb, 1),
        "peak_at_s": round(sampler.peak_at, 1),
        "peaks_by_role_mb": dict(by_role),
        "at_tree_peak_mb": {role: round(v, 1) for role, v in at_peak.items()},
        "stories_alerts": _lines(config.parent / "stories.jsonl"),
    }


def _lines(path: Path) -> int:
    try:
        return sum(1 for _ in path.open("rb"))
    except FileNotFoundError:
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--feeds", type=int, default=2000, help="generated feeds (default 2000)")
    parser.add_argument("--items", type=int, default=20, help="items per generated feed")
    parser.add_argument(
        "--workers", default="auto,0", help="settings.parse_workers values to run, comma-separated"
    )
    parser.add_argument("--json", action="store_true", help="print the raw figures")
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    control, server_end = context.Pipe()
    server = context.Process(target=serve, args=(args.feeds, args.items, server_end))
    print(f"generating {args.feeds} feeds × {args.items} items…", file=sys.stderr)
    server.start()
    server_end.close()
    results: dict[str, Any] = {}
    try:
        info = control.recv()
        story_feeds = sorted(name for name in story_documents())
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("DEALBOT_CONFIG", None)
        for workers in args.workers.split(","):
            with tempfile.TemporaryDirectory(prefix="dealbot-memory-") as folder:
                config = write_config(Path(folder), info.port, args.feeds, story_feeds, workers)
                print(f"dealbot once, parse_workers={workers}…", file=sys.stderr)
                results[workers] = run_once(config, env)
    finally:
        control.send("stop")
        server.join(timeout=30)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        report(args.feeds, len(story_feeds), results)
    over = any(r["tree_peak_rss_mb"] > BUDGET_MB for r in results.values())
    return 1 if over else 0


def report(feeds: int, story_feeds: int, results: dict[str, Any]) -> None:
    print(
        f"dealbot once: {feeds} generated feeds + {story_feeds} feeds of the story set, "
        f"{os.cpu_count()} CPUs; budget {BUDGET_MB:.0f} MB for the tree with the model loaded"
    )
    for workers, r in results.items():
        print(f"\nparse_workers={workers}: model loaded: {r['model_loaded']}, {r['wall_s']} s, "
              f"{r['stories_alerts']} lines in stories.jsonl (alerts and edits)")  # fmt: skip
        print(f"  tree peak RSS (sum at one moment) {r['tree_peak_rss_mb']:7.1f} MB"
              f"  at {r['peak_at_s']} s: {r['at_tree_peak_mb']}")  # fmt: skip
        print(f"  tree peak PSS                     {r['tree_peak_pss_mb']:7.1f} MB")
        print(f"  sum of each process's own peak    {r['sum_of_peaks_mb']:7.1f} MB")
        print(f"  own peaks by role: {r['peaks_by_role_mb']}")
        verdict = "within" if r["tree_peak_rss_mb"] <= BUDGET_MB else "OVER"
        print(f"  {verdict} the budget")


if __name__ == "__main__":
    sys.exit(main())
