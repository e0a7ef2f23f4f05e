"""The main process's CPU in a first ``dealbot once`` cycle, the parse workers left out.

    python bench/main_cpu.py [--feeds 2000] [--items 20] [--repeat 3] [--workers auto]

Serves ``run.py``'s generated feeds (its server, its feeds.yaml) and runs, ``repeat`` times,
a first cycle on a fresh database in a fresh process, as ``run.py``'s first phase does. It
prints, per run and as the median, the wall time and the CPU of that process alone (every
thread of it: the event loop, aiosqlite's thread, the matching threads; not the parse
workers, which are other processes), from ``load_config`` to the end of ``once``, and the
database's size. See bench/README.md, "Main process".
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from run import ServerInfo, run_phase, serve, write_config


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def first_cycle(config_path: str) -> object:
    """One first cycle; its figures in the report of run.py's PhaseResult."""
    from run import PhaseResult

    logging.basicConfig(level=logging.WARNING)
    from bot.app import App
    from bot.config import load_config

    cpu, started = cpu_seconds(), time.perf_counter()
    config = load_config(config_path)

    async def cycle() -> int:
        async with App.running(config) as app:
            return (await app.once()).new_items

    new_items = asyncio.run(cycle())
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    database = Path(config_path).parent / "state" / "bench.db"
    figures = {"cpu": cpu, "new_items": new_items, "db_mb": database.stat().st_size / 2**20}
    return PhaseResult(wall, 0.0, report=figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", default="auto")
    args = parser.parse_args(argv)
    context = multiprocessing.get_context("spawn")
    control, server_end = context.Pipe()
    server = context.Process(
        target=serve, args=(args.feeds, args.items, 0.3, 20261125, server_end), name="server"
    )
    server.start()
    server_end.close()
    rows = []
    try:
        info: ServerInfo = control.recv()
        print(f"{'run':<6}{'wall s':>9}{'main CPU s':>12}{'new items':>11}{'db MB':>8}")
        for run in range(args.repeat):
            with tempfile.TemporaryDirectory(prefix="dealbot-main-cpu-") as folder:
                config = write_config(Path(folder), info.port, args.feeds, args.workers)
                result = run_phase(first_cycle, str(config))
            figures = result.report
            rows.append((result.wall, figures["cpu"], figures["db_mb"]))
            print(
                f"{run + 1:<6}{result.wall:>9.2f}{figures['cpu']:>12.2f}"
                f"{figures['new_items']:>11}{figures['db_mb']:>8.1f}",
                flush=True,
            )
    finally:
        with contextlib.suppress(OSError):
            control.send("stop")
        server.join(timeout=10)
        if server.is_alive():
            server.terminate()
            server.join()
    medians = [statistics.median(column) for column in zip(*rows, strict=True)]
    print(f"{'median':<6}{medians[0]:>9.2f}{medians[1]:>12.2f}{'':>11}{medians[2]:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
