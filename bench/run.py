"""End-to-end benchmark: one ``dealbot once`` cycle against a bare aiohttp + feedparser pass.

    python bench/run.py [--feeds 200,2000,10000] [--repeat 3] [--items M]
                        [--not-modified-share S] [--workers W] [--story-model on|off]
                        [--json PATH]

For each scale (a number of feeds), a separate process serves N generated RSS 2.0 feeds of M
items (about 33 KB each, gzip when asked) on 127.0.0.1, with an ETag; a share S of them
(default: all) answer 304 to a matching If-None-Match. Each run then has three phases, one
after the other, each in a fresh process, so that the server's CPU is not counted and the
peak memory is that phase's alone:

* bare pass: one aiohttp session (16 connections, dealbot's default), GET every feed and
  ``feedparser.parse`` it on the event loop; nothing else;
* first cycle: ``load_config`` + ``App.running`` + ``app.once()``, exactly as ``dealbot
  once``, on a fresh database (every item is new; ``backfill: all``);
* all-304 cycle: the same again on the same database.

Per phase: wall time, CPU time of the whole process tree (the phase's process, its threads
and every process it started: the parse workers and their forkserver), and the peak RSS of
the tree. Per scale: medians over ``--repeat`` runs, their spread, and the ratios the
targets are stated in (first/bare wall and CPU, all-304/first); the exit status is 1 when
a target is missed. See bench/README.md.
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
import statistics
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
TARGET_FIRST_WALL = 0.8  # first cycle / bare pass, wall time
STORY_MODEL_VARIABLE = "DEALBOT_BENCH_STORY_MODEL"  # "off": phases run without the model
TARGET_FIRST_CPU = 1.0  # first cycle / bare pass, CPU of the process tree
TARGET_SECOND_OVER_FIRST = 0.05  # all-304 cycle / first cycle, wall time
TARGET_PEAK_MB = 150.0  # the process tree
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
    cpu: float  # seconds of CPU of the process tree (the phase and what it started)
    peak_mb: float  # ru_maxrss of the phase's process
    children_mb: float = 0.0  # sum of the peaks of the processes it started (parse workers)
    items_parsed: int | None = None  # the baseline counts them
    report: dict[str, Any] = field(default_factory=dict)  # dealbot's CycleReport

    @property
    def tree_mb(self) -> float:
        return self.peak_mb + self.children_mb


@dataclass(frozen=True, slots=True)
class PhaseFailure:
    traceback: str


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes vs KiB


def own_cpu() -> float:
    """CPU seconds of this process (all its threads) and of the children it has waited for."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class Descendants:
    """Peak RSS and CPU of every process started below this one, sampled from /proc (Linux).

    dealbot's parse workers are children of a forkserver, not of the phase's process, and
    nobody waits for the forkserver before the phase ends, so ``RUSAGE_CHILDREN`` never sees
    them; their VmHWM and their own utime + stime (not their children's: those are sampled
    themselves) are read while they live instead, and once more on exit. The sum of the
    peaks is an upper bound of the peak of the sum; CPU a process spends after its last
    sample (at most ``interval``, when it is idle by then) is missed. The sampling thread's
    own CPU (3-4% of a core here) is measured, to be taken out of the phase's."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.own_cpu = 0.0  # the sampling thread's own CPU, to take out of the phase's
        self.peaks_kb: dict[int, int] = {}
        self.cpu_ticks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="descendants", daemon=True)

    def __enter__(self) -> Descendants:
        if Path("/proc/self/status").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
            self._sample()

    @property
    def total_mb(self) -> float:
        return sum(self.peaks_kb.values()) / 2**10

    @property
    def cpu(self) -> float:
        return sum(self.cpu_ticks.values()) / _TICKS

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()
        self.own_cpu = time.thread_time()

    def _sample(self) -> None:
        for pid, ticks in self._descendants().items():
            self.cpu_ticks[pid] = max(ticks, self.cpu_ticks.get(pid, 0))
            peak = self._peak_kb(pid)
            if peak is not None:
                self.peaks_kb[pid] = max(peak, self.peaks_kb.get(pid, 0))

    @staticmethod
    def _descendants() -> dict[int, int]:
        """The pid of every process below this one, with its own CPU ticks."""
        parents: dict[int, int] = {}
        ticks: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:  # it exited meanwhile
                    continue
                fields = stat.rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
                ticks[int(entry.name)] = int(fields[11]) + int(fields[12])  # utime + stime
        found: list[int] = []
        frontier = [os.getpid()]
        while frontier:
            children = [pid for pid, parent in parents.items() if parent in frontier]
            found += children
            frontier = children
        return {pid: ticks[pid] for pid in found}

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

    cpu = own_cpu()
    started = time.perf_counter()
    items = asyncio.run(fetch_all())
    wall = time.perf_counter() - started
    return PhaseResult(wall, own_cpu() - cpu, peak_rss_mb(), items_parsed=items)


def dealbot_phase(config_path: str) -> PhaseResult:
    """One cycle of the real pipeline, as ``dealbot once`` runs it."""
    logging.basicConfig(level=logging.WARNING)
    if os.environ.get(STORY_MODEL_VARIABLE) == "off":
        # as if its package were not installed: stories join without the sentence model,
        # whose memory the target leaves out (it is reported apart)
        from bot.stories.embed import MODEL_PACKAGE

        sys.modules[MODEL_PACKAGE] = None  # type: ignore[assignment]
    from bot.app import App
    from bot.config import load_config
    from bot.cycle import CycleReport

    async def cycle() -> CycleReport:
        async with App.running(config) as app:
            return await app.once()

    cpu = own_cpu()
    with Descendants() as descendants:
        started = time.perf_counter()
        config = load_config(config_path)
        report = asyncio.run(cycle())
        wall = time.perf_counter() - started
    cpu = own_cpu() - cpu - descendants.own_cpu + descendants.cpu
    fields = ("polled", "ok", "not_modified", "failed", "new_items", "alerts", "duration")
    summary = {name: getattr(report, name) for name in fields}
    summary["sent"] = report.deliveries.sent
    summary["pending"] = report.pending
    return PhaseResult(wall, cpu, peak_rss_mb(), descendants.total_mb, report=summary)


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

PHASES = ("bare pass", "first cycle", "all-304 cycle")


@dataclass(frozen=True, slots=True)
class Run:
    """One repetition at one scale: the three phases, in order."""

    results: tuple[PhaseResult, PhaseResult, PhaseResult]
    responses: tuple[Counter[str], Counter[str], Counter[str]]  # HTTP statuses per phase
    alerts_written: int  # by the first cycle


@dataclass(frozen=True, slots=True)
class Figures:
    """Medians over the repetitions at one scale, and their spread."""

    feeds: int
    wall: tuple[float, ...]  # per phase
    cpu: tuple[float, ...]
    tree_mb: tuple[float, ...]
    first_wall_ratio: float  # first cycle / bare pass
    first_cpu_ratio: float
    second_ratio: float  # all-304 cycle / first cycle, wall time
    second_cpu_ratio: float
    spread: dict[str, float]  # (max - min) / median of each ratio and time, in %


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: list[float]) -> float:
    middle = median(values)
    return (max(values) - min(values)) / middle * 100 if middle else 0.0


def figures(feeds: int, runs: list[Run]) -> Figures:
    def per_phase(attribute: str) -> list[list[float]]:
        return [[getattr(run.results[i], attribute) for run in runs] for i in range(3)]

    walls, cpus, trees = per_phase("wall"), per_phase("cpu"), per_phase("tree_mb")
    ratios = {
        "first/bare wall": [f / b for b, f in zip(walls[0], walls[1], strict=True)],
        "first/bare CPU": [f / b for b, f in zip(cpus[0], cpus[1], strict=True)],
        "second/first wall": [s / f for f, s in zip(walls[1], walls[2], strict=True)],
        "second/first CPU": [s / f for f, s in zip(cpus[1], cpus[2], strict=True)],
    }
    spreads = {f"{name} wall": spread(walls[i]) for i, name in enumerate(PHASES)}
    spreads |= {f"{name} CPU": spread(cpus[i]) for i, name in enumerate(PHASES)}
    spreads |= {name: spread(values) for name, values in ratios.items()}
    return Figures(
        feeds=feeds,
        wall=tuple(median(values) for values in walls),
        cpu=tuple(median(values) for values in cpus),
        tree_mb=tuple(max(values) for values in trees),
        first_wall_ratio=median(ratios["first/bare wall"]),
        first_cpu_ratio=median(ratios["first/bare CPU"]),
        second_ratio=median(ratios["second/first wall"]),
        second_cpu_ratio=median(ratios["second/first CPU"]),
        spread=spreads,
    )


def print_scale(feeds: int, items: int, runs: list[Run], found: Figures) -> None:
    print(f"\n== {feeds:,} feeds × {items} items, {len(runs)} run(s): medians (spread)")
    print(
        f"{'phase':<15} {'wall s':>8} {'CPU s':>8} {'CPU ms/feed':>12} {'tree MB':>8}"
        f" {'HTTP 200':>9} {'HTTP 304':>9}"
    )
    for i, name in enumerate(PHASES):
        responses = runs[-1].responses[i]
        print(
            f"{name:<15} {found.wall[i]:>8.2f} {found.cpu[i]:>8.2f}"
            f" {found.cpu[i] / feeds * 1000:>12.2f} {found.tree_mb[i]:>8.1f}"
            f" {responses['200']:>9} {responses['304']:>9}"
            f"   (±{found.spread[name + ' wall'] / 2:.0f}% wall,"
            f" ±{found.spread[name + ' CPU'] / 2:.0f}% CPU)"
        )
    for run in runs:
        report = run.results[1].report
        failed = report["failed"] + run.results[2].report["failed"]
        print(
            f"  run: first cycle {report['new_items']} new items, {report['alerts']} alerts,"
            f" {run.alerts_written} written; bare pass {run.results[0].items_parsed} items;"
            f" {failed} failed polls; all-304 cycle {run.results[2].report['not_modified']}"
            " not modified"
        )


def print_summary(items: int, all_figures: list[Figures]) -> bool:
    """The targets at every scale; True when all of them are met."""
    print(f"\n== targets ({items} items per feed; medians of per-run ratios)")
    print(
        f"{'feeds':>7} {'first/bare wall':>16} {'first/bare CPU':>15} {'304/first wall':>15}"
        f" {'304/first CPU':>14} {'tree peak MB':>13}"
    )
    passed = True
    for found in all_figures:
        checks = (
            found.first_wall_ratio <= TARGET_FIRST_WALL,
            found.first_cpu_ratio <= TARGET_FIRST_CPU,
            found.second_ratio <= TARGET_SECOND_OVER_FIRST,
            max(found.tree_mb) <= TARGET_PEAK_MB,
        )
        marks = ["" if ok else " FAIL" for ok in checks]
        passed = passed and all(checks)
        print(
            f"{found.feeds:>7,} {found.first_wall_ratio:>11.2f}×{marks[0]:<4}"
            f" {found.first_cpu_ratio:>10.2f}×{marks[1]:<4}"
            f" {found.second_ratio:>10.3f}×{marks[2]:<4}"
            f" {found.second_cpu_ratio:>13.3f}×"
            f" {max(found.tree_mb):>8.1f}{marks[3]:<5}"
        )
    print(
        f"targets: first/bare ≤ {TARGET_FIRST_WALL}× wall and ≤ {TARGET_FIRST_CPU}× CPU,"
        f" all-304/first ≤ {TARGET_SECOND_OVER_FIRST:.0%} (wall),"
        f" tree peak ≤ {TARGET_PEAK_MB:.0f} MB"
    )
    return passed


def cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# ------------------------------------------------------------------------------------ main


def _scales(text: str) -> list[int]:
    try:
        scales = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give numbers, such as 200,2000") from None
    if not scales or min(scales) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give numbers of at least 1")
    return scales


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--feeds",
        type=_scales,
        default=[200, 2000, 10000],
        help="scales: feeds served, comma-separated (default 200,2000,10000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per scale (default 3)")
    parser.add_argument("--items", type=int, default=20, help="items per feed (default 20)")
    parser.add_argument(
        "--not-modified-share",
        type=float,
        default=1.0,
        help="share of feeds answering 304 to a matching If-None-Match (default 1: the "
        "second cycle is all 304)",
    )
    parser.add_argument(
        "--workers",
        type=_workers,
        default="auto",
        help="dealbot's settings.parse_workers: auto (the default setting), or N processes "
        "(0: parse in a thread)",
    )
    parser.add_argument(
        "--story-model",
        choices=("on", "off"),
        default="on",
        help="off: the dealbot phases run as if the stories' sentence model were not "
        "installed (for the memory target, which leaves the model out)",
    )
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the generated feeds")
    parser.add_argument("--json", type=Path, help="also append every run's figures to this file")
    args = parser.parse_args(argv)
    if args.items < 1 or args.repeat < 1:
        parser.error("--items and --repeat must be at least 1")
    if not 0.0 <= args.not_modified_share <= 1.0:
        parser.error("--not-modified-share must be between 0 and 1")
    return args


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run_scale(args: argparse.Namespace, feeds: int) -> tuple[ServerInfo, list[Run]]:
    """``args.repeat`` runs of the three phases against one server of ``feeds`` feeds."""
    context = multiprocessing.get_context("spawn")
    control, server_end = context.Pipe()
    server = context.Process(
        target=serve,
        args=(feeds, args.items, args.not_modified_share, args.seed, server_end),
        name="bench-server",
    )
    progress(f"generating {feeds} feeds × {args.items} items…")
    server.start()
    server_end.close()
    runs: list[Run] = []
    try:
        info: ServerInfo = control.recv()
        for repetition in range(args.repeat):
            with tempfile.TemporaryDirectory(prefix="dealbot-bench-") as folder:
                config = write_config(Path(folder), info.port, feeds, args.workers)
                phases: list[tuple[Callable[..., PhaseResult], tuple[Any, ...]]] = [
                    (baseline_phase, (info.port, feeds)),
                    (dealbot_phase, (str(config),)),
                    (dealbot_phase, (str(config),)),
                ]
                results, responses = [], []
                alerts = 0
                for name, (function, phase_args) in zip(PHASES, phases, strict=True):
                    progress(f"{feeds} feeds, run {repetition + 1}/{args.repeat}: {name}…")
                    before = server_stats(info.port)
                    result = run_phase(function, *phase_args)
                    results.append(result)
                    responses.append(server_stats(info.port) - before)
                    progress(
                        f"  wall {result.wall:.2f}s, CPU {result.cpu:.2f}s, "
                        f"tree {result.tree_mb:.0f} MB"
                    )
                    if name == "first cycle":
                        alerts = count_lines(Path(folder) / "alerts.jsonl")
                runs.append(Run(tuple(results), tuple(responses), alerts))  # type: ignore[arg-type]
    finally:
        with contextlib.suppress(OSError):  # the server may be gone already
            control.send("stop")
        server.join(timeout=10)
        if server.is_alive():
            server.terminate()
            server.join()
    return info, runs


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ[STORY_MODEL_VARIABLE] = args.story_model  # the phases' processes inherit it
    print(
        f"dealbot benchmark: Python {sys.version.split()[0]}, {cpu_count()} CPUs,"
        f" parse_workers={args.workers}, story model {args.story_model},"
        f" {CONCURRENCY} connections,"
        f" {args.not_modified_share:.0%} of the feeds answer 304 in the second cycle"
    )
    all_figures: list[Figures] = []
    for feeds in args.feeds:
        info, runs = run_scale(args, feeds)
        found = figures(feeds, runs)
        all_figures.append(found)
        print(
            f"\naverage document {info.average_size / 1000:.1f} KB"
            f" ({info.average_gzip_size / 1000:.1f} KB gzipped)"
        )
        print_scale(feeds, args.items, runs, found)
        if args.json:
            with args.json.open("a", encoding="utf-8") as handle:
                for run in runs:
                    record = {
                        "feeds": feeds,
                        "items": args.items,
                        "workers": args.workers,
                        "story_model": args.story_model,
                        "phases": {
                            name: {
                                "wall": result.wall,
                                "cpu": result.cpu,
                                "tree_mb": result.tree_mb,
                                "report": result.report,
                            }
                            for name, result in zip(PHASES, run.results, strict=True)
                        },
                    }
                    handle.write(json.dumps(record) + "\n")
        sys.stdout.flush()
    passed = print_summary(args.items, all_figures)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
