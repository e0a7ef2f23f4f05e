"""End-to-end benchmark: one ``dealbot once`` cycle against a bare aiohttp + feedparser loop.

    python bench/run.py [--feeds N] [--items M] [--not-modified-share S] [--workers W]

A separate process serves N generated RSS 2.0 feeds of M items (about 33 KB each, gzip when
asked) on 127.0.0.1, with an ETag; a share S of them answer 304 to a matching If-None-Match.
Three phases then run one after the other, each in a fresh process, so that the peak RSS
reported is that phase's alone and the server's CPU is not counted:

* baseline: one aiohttp session (16 connections, dealbot's default), GET every feed and
  ``feedparser.parse`` it on the event loop; nothing else;
* dealbot, first cycle: ``load_config`` + ``App.running`` + ``app.once()``, exactly as
  ``dealbot once``, on a fresh database (every item is new; ``backfill: all``);
* dealbot, second cycle: the same again on the same database: the share S answers 304, the
  rest 200 with nothing new.

It prints a table (wall time, feeds/s, items/s, peak RSS) and checks the targets; the exit
status is 1 when one of them fails. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import hashlib
import io
import json
import logging
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import threading
import time
import traceback
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from generate import ALERT_MATCH, REAL_TOPICS, extra_topics, rss_document

SEED = 20261125
CONCURRENCY = 16  # dealbot's default settings.concurrency
TARGET_FIRST_OVER_BASELINE = 1.5
TARGET_SECOND_OVER_FIRST = 0.20
TARGET_PEAK_MB = 200.0
STATS_PATH = "/_stats"

# ------------------------------------------------------------------------------- the server


@dataclass(frozen=True, slots=True)
class Document:
    body: bytes
    gzipped: bytes
    etag: str
    conditional: bool  # answers 304 to a matching If-None-Match


@dataclass(frozen=True, slots=True)
class ServerInfo:
    port: int
    average_size: float
    average_gzip_size: float
    conditional: int  # feeds that answer 304 to a matching If-None-Match


def build_documents(feeds: int, items: int, share: float, seed: int) -> dict[str, Document]:
    """Every feed's document by file name (``feed17.xml``), compressed once up front."""
    now = datetime.now(UTC)
    documents = {}
    for index in range(feeds):
        body = rss_document(seed, index, items, now)
        documents[f"feed{index}.xml"] = Document(
            body=body,
            gzipped=gzip.compress(body, compresslevel=6),
            etag=f'"{hashlib.sha256(body).hexdigest()[:20]}"',
            conditional=random.Random(f"{seed}:304:{index}").random() < share,
        )
    return documents


def serve(feeds: int, items: int, share: float, seed: int, conn: Connection) -> None:
    """The server process: build the documents, send ServerInfo, serve until told to stop."""
    asyncio.run(_serve(build_documents(feeds, items, share, seed), conn))


async def _serve(documents: dict[str, Document], conn: Connection) -> None:
    from aiohttp import web

    counts: Counter[str] = Counter()

    async def feed(request: web.Request) -> web.Response:
        document = documents.get(request.match_info["name"])
        if document is None:
            counts["404"] += 1
            raise web.HTTPNotFound()
        headers = {"ETag": document.etag, "Cache-Control": "max-age=300"}
        offered = {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}
        if document.conditional and document.etag in offered:
            counts["304"] += 1
            return web.Response(status=304, headers=headers)
        counts["200"] += 1
        headers["Content-Type"] = "application/rss+xml; charset=utf-8"
        headers["Vary"] = "Accept-Encoding"
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return web.Response(body=document.gzipped, headers=headers)
        return web.Response(body=document.body, headers=headers)

    async def stats(_request: web.Request) -> web.Response:
        return web.json_response(dict(counts))

    app = web.Application()
    app.router.add_get(STATS_PATH, stats)
    app.router.add_get("/{name}", feed)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    port = runner.addresses[0][1]
    count = len(documents) or 1
    conn.send(
        ServerInfo(
            port=port,
            average_size=sum(len(d.body) for d in documents.values()) / count,
            average_gzip_size=sum(len(d.gzipped) for d in documents.values()) / count,
            conditional=sum(d.conditional for d in documents.values()),
        )
    )
    try:
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # "stop", or EOF
    except EOFError:
        pass
    finally:
        await runner.cleanup()


def server_stats(port: int) -> Counter[str]:
    """Responses the server has sent so far, by status (read by the parent, outside phases)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"http://127.0.0.1:{port}{STATS_PATH}", timeout=10) as response:
        return Counter(json.load(response))


# -------------------------------------------------------------------------------- the phases


@dataclass
class PhaseResult:
    wall: float  # seconds, imports excluded
    peak_mb: float  # ru_maxrss of the phase's process
    children_mb: float = 0.0  # sum of the peaks of the processes it started (parse workers)
    items_parsed: int | None = None  # the baseline counts them
    report: dict[str, Any] = field(default_factory=dict)  # dealbot's CycleReport


@dataclass(frozen=True, slots=True)
class PhaseFailure:
    traceback: str


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes vs KiB


class DescendantPeaks:
    """The peak RSS of every process started below this one, sampled from /proc (Linux).

    dealbot's parse workers are children of a forkserver, not of the phase's process, so
    ``RUSAGE_CHILDREN`` never sees them; their VmHWM is read while they live instead. The sum
    of the peaks is an upper bound of the peak of the sum."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self.peaks_kb: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="descendant-peaks", daemon=True)

    def __enter__(self) -> DescendantPeaks:
        if Path("/proc/self/status").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    @property
    def total_mb(self) -> float:
        return sum(self.peaks_kb.values()) / 2**10

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            for pid in self._descendants():
                peak = self._peak_kb(pid)
                if peak is not None:
                    self.peaks_kb[pid] = max(peak, self.peaks_kb.get(pid, 0))

    @staticmethod
    def _descendants() -> list[int]:
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:  # it exited meanwhile
                    continue
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        found, frontier = [], [os.getpid()]
        while frontier:
            children = [pid for pid, parent in parents.items() if parent in frontier]
            found += children
            frontier = children
        return found

    @staticmethod
    def _peak_kb(pid: int) -> int | None:
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return None


def baseline_phase(port: int, feeds: int) -> PhaseResult:
    """GET every feed with one aiohttp session and feedparser.parse it; count the items."""
    import aiohttp
    import feedparser

    async def fetch_all() -> int:
        connector = aiohttp.TCPConnector(limit=CONCURRENCY)
        timeout = aiohttp.ClientTimeout(total=None, sock_read=60)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

            async def one(index: int) -> int:
                async with session.get(f"http://127.0.0.1:{port}/feed{index}.xml") as response:
                    response.raise_for_status()
                    body = await response.read()
                return len(feedparser.parse(io.BytesIO(body)).entries)

            counts = await asyncio.gather(*(one(index) for index in range(feeds)))
        return sum(counts)

    started = time.perf_counter()
    items = asyncio.run(fetch_all())
    return PhaseResult(time.perf_counter() - started, peak_rss_mb(), items_parsed=items)


def dealbot_phase(config_path: str) -> PhaseResult:
    """One cycle of the real pipeline, as ``dealbot once`` runs it."""
    logging.basicConfig(level=logging.WARNING)
    from bot.app import App
    from bot.config import load_config
    from bot.cycle import CycleReport

    async def cycle() -> CycleReport:
        async with App.running(config) as app:
            return await app.once()

    with DescendantPeaks() as children:
        started = time.perf_counter()
        config = load_config(config_path)
        report = asyncio.run(cycle())
        wall = time.perf_counter() - started
    fields = ("polled", "ok", "not_modified", "failed", "new_items", "alerts", "duration")
    summary = {name: getattr(report, name) for name in fields}
    summary["sent"] = report.deliveries.sent
    summary["pending"] = report.pending
    return PhaseResult(wall, peak_rss_mb(), children.total_mb, report=summary)


def _phase_main(
    conn: Connection, function: Callable[..., PhaseResult], args: tuple[Any, ...]
) -> None:
    try:
        conn.send(function(*args))
    except BaseException:
        conn.send(PhaseFailure(traceback.format_exc()))
    finally:
        conn.close()


def run_phase(function: Callable[..., PhaseResult], *args: Any) -> PhaseResult:
    """``function(*args)`` in a fresh (spawned) process; its result, or RuntimeError."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_phase_main, args=(sender, function, args))
    process.start()
    sender.close()
    try:
        result = receiver.recv()
    except EOFError:
        result = PhaseFailure(f"the phase process died (exit code {process.exitcode})")
    process.join()
    if isinstance(result, PhaseFailure):
        raise RuntimeError(f"{function.__name__} failed:\n{result.traceback}")
    assert isinstance(result, PhaseResult)
    return result


# ------------------------------------------------------------------------------ feeds.yaml


def _workers(text: str) -> str:
    if text != "auto" and not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r}: give 'auto' or a number")
    return text


def write_config(folder: Path, port: int, feeds: int, workers: str) -> Path:
    """The benchmark's feeds.yaml: N feeds, the real topics + 200 generated ones, one alert."""
    topics = REAL_TOPICS | extra_topics()
    lines = [
        "settings:",
        "  database: state/bench.db",
        "  allow_private_networks: true  # the server is on loopback",
        "  timeout: 60s",
        "  backfill: all",
        f"  parse_workers: {workers}",
        "feeds:",
    ]
    for index in range(feeds):
        lines += [f"  - name: f{index}", f"    url: http://127.0.0.1:{port}/feed{index}.xml"]
    lines.append("topics:")
    for name, terms in topics.items():
        quoted = ", ".join(json.dumps(term, ensure_ascii=False) for term in terms)
        lines.append(f"  {name}: [{quoted}]")
    lines += [
        "alerts:",
        "  - name: bench",
        f"    match: {ALERT_MATCH}",
        '    channels: ["jsonl:alerts.jsonl"]',
    ]
    path = folder / "feeds.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def count_lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(1 for _ in handle)
    except FileNotFoundError:
        return 0


# ------------------------------------------------------------------------------ the report


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    result: PhaseResult
    responses: Counter[str]  # HTTP statuses the server sent during the phase


def print_table(rows: list[Row], feeds: int, items: int) -> None:
    print(
        f"{'phase':<22} {'wall s':>8} {'feeds/s':>9} {'items/s':>9} {'peak MB':>8}"
        f" {'+workers':>8} {'HTTP 200':>9} {'HTTP 304':>9}"
    )
    for row in rows:
        result = row.result
        received = row.responses["200"] * items  # items in the documents received in full
        children = f"{result.children_mb:.1f}" if result.children_mb else "-"
        print(
            f"{row.name:<22} {result.wall:>8.2f} {feeds / result.wall:>9.1f}"
            f" {received / result.wall:>9.0f} {result.peak_mb:>8.1f} {children:>8}"
            f" {row.responses['200']:>9} {row.responses['304']:>9}"
        )


def describe_cycle(name: str, report: dict[str, Any]) -> str:
    return (
        f"{name}: {report['polled']} polled, {report['ok']} ok, {report['not_modified']} not"
        f" modified, {report['failed']} failed; {report['new_items']} new items,"
        f" {report['alerts']} alerts, {report['sent']} sent, {report['pending']} pending"
        f" (once() itself: {report['duration']:.2f}s)"
    )


def print_checks(checks: list[tuple[str, str, str, bool]]) -> bool:
    """Print (label, value, target, passed) rows; True when every check passed."""
    print(f"{'check':<28} {'value':>8}  {'target':<8} result")
    for label, value, target, passed in checks:
        print(f"{label:<28} {value:>8}  {target:<8} {'PASS' if passed else 'FAIL'}")
    return all(passed for *_, passed in checks)


def cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# ------------------------------------------------------------------------------------ main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--feeds", type=int, default=2000, help="feeds served (default 2000)")
    parser.add_argument("--items", type=int, default=20, help="items per feed (default 20)")
    parser.add_argument(
        "--not-modified-share",
        type=float,
        default=0.3,
        help="share of feeds answering 304 to a matching If-None-Match (default 0.3)",
    )
    parser.add_argument(
        "--workers",
        type=_workers,
        default="auto",
        help="dealbot's settings.parse_workers: auto (the default setting), or N processes "
        "(0: parse in a thread)",
    )
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the generated feeds")
    args = parser.parse_args(argv)
    if args.feeds < 1 or args.items < 1:
        parser.error("--feeds and --items must be at least 1")
    if not 0.0 <= args.not_modified_share <= 1.0:
        parser.error("--not-modified-share must be between 0 and 1")
    return args


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    context = multiprocessing.get_context("spawn")
    control, server_end = context.Pipe()
    server = context.Process(
        target=serve,
        args=(args.feeds, args.items, args.not_modified_share, args.seed, server_end),
        name="bench-server",
    )
    progress(f"generating {args.feeds} feeds × {args.items} items…")
    server.start()
    server_end.close()
    try:
        info: ServerInfo = control.recv()
        with tempfile.TemporaryDirectory(prefix="dealbot-bench-") as folder:
            config = write_config(Path(folder), info.port, args.feeds, args.workers)
            phases: list[tuple[str, Callable[..., PhaseResult], tuple[Any, ...]]] = [
                ("baseline", baseline_phase, (info.port, args.feeds)),
                ("dealbot first cycle", dealbot_phase, (str(config),)),
                ("dealbot second cycle", dealbot_phase, (str(config),)),
            ]
            rows: list[Row] = []
            alerts_written: list[int] = []
            for name, function, phase_args in phases:
                progress(f"running {name}…")
                before = server_stats(info.port)
                result = run_phase(function, *phase_args)
                rows.append(Row(name, result, server_stats(info.port) - before))
                if function is dealbot_phase:
                    alerts_written.append(count_lines(Path(folder) / "alerts.jsonl"))
    finally:
        with contextlib.suppress(OSError):  # the server may be gone already
            control.send("stop")
        server.join(timeout=10)
        if server.is_alive():
            server.terminate()
            server.join()
    return report(args, info, rows, alerts_written)


def report(
    args: argparse.Namespace, info: ServerInfo, rows: list[Row], alerts_written: list[int]
) -> int:
    baseline, first, second = (row.result for row in rows)
    workers = args.workers
    print(
        f"dealbot benchmark: {args.feeds} feeds × {args.items} items, average document"
        f" {info.average_size / 1000:.1f} KB ({info.average_gzip_size / 1000:.1f} KB gzipped);"
        f" {info.conditional} feeds ({args.not_modified_share:.0%}) answer 304 to a matching"
        " If-None-Match"
    )
    print(
        f"Python {sys.version.split()[0]}, {cpu_count()} CPUs, parse_workers={workers}"
        f", {CONCURRENCY} connections"
    )
    print()
    print_table(rows, args.feeds, args.items)
    print()
    expected = args.feeds * args.items
    print(f"baseline: {baseline.items_parsed} items parsed (expected {expected})")
    print(describe_cycle("first cycle", first.report))
    print(describe_cycle("second cycle", second.report))
    new_in_second = alerts_written[1] - alerts_written[0]
    print(
        f"alerts written to alerts.jsonl: {alerts_written[0]} by the first cycle,"
        f" {new_in_second} more by the second"
    )
    print()
    peak = max(cycle.peak_mb + cycle.children_mb for cycle in (first, second))
    first_ratio = first.wall / baseline.wall
    second_ratio = second.wall / first.wall
    passed = print_checks(
        [
            (
                "first cycle / baseline",
                f"{first_ratio:.2f}×",
                f"≤ {TARGET_FIRST_OVER_BASELINE}",
                first_ratio <= TARGET_FIRST_OVER_BASELINE,
            ),
            (
                "second cycle / first cycle",
                f"{second_ratio:.2f}×",
                f"< {TARGET_SECOND_OVER_FIRST:.2f}",
                second_ratio < TARGET_SECOND_OVER_FIRST,
            ),
            (
                "peak MB (dealbot, +workers)",
                f"{peak:.1f}",
                f"< {TARGET_PEAK_MB:.0f}",
                peak < TARGET_PEAK_MB,
            ),
            ("alerts written", str(alerts_written[0]), "> 0", alerts_written[0] > 0),
        ]
    )
    failed = first.report["failed"] + second.report["failed"]
    if failed or baseline.items_parsed != expected:
        print(f"warning: {failed} failed polls; baseline parsed {baseline.items_parsed} items")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
