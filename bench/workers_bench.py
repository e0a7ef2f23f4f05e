"""Several ``dealbot run`` workers on one PostgreSQL database beside one SQLite process.

    python bench/workers_bench.py [--feeds 2000] [--items 20] [--workers 1,2,4]

One server process serves the pipeline benchmark's generated feeds (``bench/run.py``'s
``build_documents``) on 127.0.0.1 to 127.0.0.8 (one port, eight loopback hosts, so that
``per_host`` does not cap the whole run: it counts per host across every worker). A
PostgreSQL server is started in a temporary folder (``tests/pg_support.py``). Then:

* SQLite: ``dealbot once`` on a fresh database file (every item new, ``backfill: all``);
* PostgreSQL, for each number of workers N: N ``dealbot run`` processes started at once
  on a fresh database, timed until every feed has been polled (read from the database).

Per run: the cycle time (start to the last feed polled, start-up included in both), feeds
per second, database transactions per feed (``pg_stat_database.xact_commit``: every
autocommit statement is one, a poll's transaction one; a lower bound of the round trips),
and the peak RSS of each worker's main process (``VmHWM``; parse workers not included).
Targets: 2 PostgreSQL workers >= 1.6x the feeds/s of 1; 1 PostgreSQL worker's cycle within
1.3x of SQLite's. On a machine whose CPUs are shared, the figures move with the others' load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "bench")]

from generate import ALERT_MATCH, REAL_TOPICS, extra_topics  # noqa: E402
from run import build_documents  # noqa: E402

HOSTS = [f"127.0.0.{n}" for n in range(1, 9)]
SEED = 20261125
TARGET_TWO_OVER_ONE = 1.6
TARGET_PG_OVER_SQLITE = 1.3


def serve(feeds: int, items: int, conn: Connection) -> None:
    asyncio.run(_serve(build_documents(feeds, items, 0.0, SEED), conn))


async def _serve(documents: dict[str, object], conn: Connection) -> None:
    from aiohttp import web

    async def feed(request: web.Request) -> web.Response:
        document = documents.get(request.match_info["name"])
        if document is None:
            raise web.HTTPNotFound()
        body = document.body  # type: ignore[attr-defined]
        return web.Response(body=body, content_type="application/rss+xml", charset="utf-8")

    app = web.Application()
    app.router.add_get("/{name}", feed)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    first = web.TCPSite(runner, HOSTS[0], 0, backlog=1024)
    await first.start()
    port = runner.addresses[0][1]
    for host in HOSTS[1:]:
        await web.TCPSite(runner, host, port, backlog=1024).start()
    conn.send(port)
    try:
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)
    except EOFError:
        pass
    finally:
        await runner.cleanup()


def write_config(folder: Path, port: int, feeds: int, database: str) -> Path:
    lines = [
        "settings:",
        f"  database: {json.dumps(database)}",
        "  allow_private_networks: true",
        "  timeout: 60s",
        "  lease: 5m",
        "  interval: 1h",
        "  per_host: 8  # 8 loopback hosts: room for 4 workers of 16 polls",
        "  backfill: all",
        "feeds:",
    ]
    for index in range(feeds):
        host = HOSTS[index % len(HOSTS)]
        lines += [f"  - name: f{index}", f"    url: http://{host}:{port}/feed{index}.xml"]
    lines.append("topics:")
    for name, terms in (REAL_TOPICS | extra_topics()).items():
        quoted = ", ".join(json.dumps(term, ensure_ascii=False) for term in terms)
        lines.append(f"  {name}: [{quoted}]")
    lines += ["alerts:", "  - name: bench", f"    match: {ALERT_MATCH}",
              '    channels: ["jsonl:alerts.jsonl"]']  # fmt: skip
    path = folder / "feeds.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("DEALBOT_", "DISCORD_",
                                                                      "SLACK_"))}  # fmt: skip


def peak_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def sqlite_run(port: int, feeds: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="dealbot-wbench-") as folder:
        config = write_config(Path(folder), port, feeds, "state/bench.db")
        started = time.monotonic()
        child = subprocess.Popen([sys.executable, "-m", "bot", "-q", "once", "--config",
                                  str(config)], cwd=REPO, env=env())  # fmt: skip
        peak = 0.0
        while child.poll() is None:
            peak = max(peak, peak_mb(child.pid))
            time.sleep(0.1)
        wall = time.monotonic() - started
    return {"cycle": wall, "feeds_per_s": feeds / wall, "peak_mb": peak, "xacts": float("nan")}


def sql(url: str, query: str) -> list[tuple[object, ...]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return list(conn.execute(query.encode()).fetchall())


def postgres_run(server: object, port: int, feeds: int, workers: int) -> dict[str, float]:
    url = server.fresh_database()  # type: ignore[attr-defined]
    name = url.rsplit("/", 1)[1]
    commits = f"SELECT xact_commit FROM pg_stat_database WHERE datname = '{name}'"
    with tempfile.TemporaryDirectory(prefix="dealbot-wbench-") as folder:
        config = write_config(Path(folder), port, feeds, url)
        before = int(sql(url, commits)[0][0])  # type: ignore[call-overload]
        started = time.monotonic()
        children = [
            subprocess.Popen(
                [sys.executable, "-m", "bot", "-q", "run", "--config", str(config)],
                cwd=REPO,
                env=env(),
            )
            for _ in range(workers)
        ]
        peaks = [0.0] * workers
        polled = 0
        try:
            while polled < feeds:
                time.sleep(0.2)
                for n, child in enumerate(children):
                    if child.poll() is not None:
                        raise SystemExit(f"a worker ended early (status {child.returncode})")
                    peaks[n] = max(peaks[n], peak_mb(child.pid))
                try:
                    found = sql(url, "SELECT count(*) FROM feeds WHERE last_poll_at IS NOT NULL")
                    polled = int(found[0][0])  # type: ignore[call-overload]
                except Exception:
                    polled = 0
            wall = time.monotonic() - started
        finally:
            for child in children:
                child.send_signal(signal.SIGTERM)
            for child in children:
                child.wait(60)
        pg_stat_flush = 0.7  # the statistics collector reports within about half a second
        time.sleep(pg_stat_flush)
        after = int(sql(url, commits)[0][0])  # type: ignore[call-overload]
    return {"cycle": wall, "feeds_per_s": feeds / wall, "peak_mb": max(peaks),
            "xacts": (after - before) / feeds}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--workers", default="1,2,4")
    args = parser.parse_args()
    from tests.pg_support import PostgresServer, _free_port, postgres_bin

    folder = postgres_bin()
    if folder is None:
        raise SystemExit("PostgreSQL's server programs are not installed")
    context = multiprocessing.get_context("spawn")
    control, server_end = context.Pipe()
    feed_server = context.Process(target=serve, args=(args.feeds, args.items, server_end))
    feed_server.start()
    port = control.recv()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="dealbot-wbench-pg-") as temporary:
        os.chmod(temporary, 0o755)
        pg = PostgresServer(folder, Path(temporary) / "pg", _free_port())
        pg.start()
        try:
            print(f"{args.feeds} feeds x {args.items} items, {os.cpu_count()} CPUs", flush=True)
            results["SQLite, 1 process"] = sqlite_run(port, args.feeds)
            print_row("SQLite, 1 process", results["SQLite, 1 process"])
            for workers in [int(n) for n in args.workers.split(",")]:
                label = f"PostgreSQL, {workers} worker{'s' if workers > 1 else ''}"
                results[label] = postgres_run(pg, port, args.feeds, workers)
                print_row(label, results[label])
        finally:
            pg.stop()
            control.send("stop")
            feed_server.join(10)
    one = results.get("PostgreSQL, 1 worker")
    two = results.get("PostgreSQL, 2 workers")
    ok = True
    if one and two:
        ratio = two["feeds_per_s"] / one["feeds_per_s"]
        ok &= ratio >= TARGET_TWO_OVER_ONE
        print(f"2 workers / 1 worker, feeds/s: {ratio:.2f}x (target >= {TARGET_TWO_OVER_ONE})")
    if one:
        ratio = one["cycle"] / results["SQLite, 1 process"]["cycle"]
        ok &= ratio <= TARGET_PG_OVER_SQLITE
        print(f"1 PG worker / SQLite, cycle: {ratio:.2f}x (target <= {TARGET_PG_OVER_SQLITE})")
    return 0 if ok else 1


def print_row(label: str, row: dict[str, float]) -> None:
    print(f"{label:<24} cycle {row['cycle']:7.1f}s  {row['feeds_per_s']:6.1f} feeds/s  "
          f"{row['xacts']:5.1f} DB transactions/feed  peak {row['peak_mb']:5.0f} MB/worker",
          flush=True)  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
