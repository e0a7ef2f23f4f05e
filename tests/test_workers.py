"""Several ``dealbot run`` workers on one PostgreSQL database, as real processes: they share
300 feeds served on 127.0.0.1, one is killed with SIGKILL in the middle of its polls, and
still every feed is polled and every alert reaches the jsonl channel exactly once; no feed
is fetched twice unless the dead worker held its lease when it died, and never more than
``per_host`` fetches run at once on the one host, over all workers. The workers start at
the same moment on an empty database (the migrations race). PostgreSQL restarted under
running workers: they reconnect and nothing is lost."""

from __future__ import annotations

import asyncio
import bisect
import re
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, rss, rss_item
from tests.helpers import REPO, apart, dealbot, jsonl_records, scrubbed_env, write_config
from tests.pg_support import PostgresServer

FEEDS = 300
DEADLINE = 45.0  # seconds for the whole share of work to be done
PER_HOST = 8  # fetches at once on the one host, over every worker
LEASE = 8.0  # seconds


def _sql(url: str, query: str) -> list[tuple[object, ...]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return list(conn.execute(query.encode()).fetchall())


def _serve(server: FeedServer, delay: float) -> dict[str, str]:
    feeds = {}
    for n in range(FEEDS):
        item = rss_item(f"Samsung EV sales reach {apart(n)} in region {n}",
                        f"https://news.example/{n}", guid=f"g{n}", published=None)  # fmt: skip
        feeds[f"f{n:03}"] = server.route(f"/f{n:03}.xml", rss(item), delay=delay)
    return feeds


async def _start(folder: Path, config: Path, count: int) -> list[asyncio.subprocess.Process]:
    workers = []
    for n in range(count):
        log = open(folder / f"worker{n}.log", "wb")  # noqa: SIM115, ASYNC230 - the child's
        workers.append(
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                "--config",
                str(config),
                cwd=REPO,
                env=scrubbed_env(),
                stdout=log,
                stderr=log,
            )
        )
        log.close()
    return workers


async def _stop(workers: list[asyncio.subprocess.Process]) -> None:
    for worker in workers:
        if worker.returncode is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            await asyncio.wait_for(worker.wait(), 20)
        except TimeoutError:
            worker.kill()
            await worker.wait()


async def _until(check: Callable[[], bool], within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await asyncio.to_thread(check):  # off the loop that serves the feeds
            return True
        await asyncio.sleep(0.25)
    return False


def _worker_id(log: Path) -> str:
    found = re.search(r"as worker (\S+)", log.read_text(errors="replace"))
    assert found, log.read_text(errors="replace")[-2000:]
    return found.group(1)


def _setup(tmp_path: Path, server: FeedServer, url: str, delay: float) -> Path:
    config = write_config(
        tmp_path,
        _serve(server, delay),
        settings={"database": url, "backfill": "all", "interval": "1h",
                  "lease": f"{LEASE:.0f}s", "timeout": "5s", "per_host": str(PER_HOST),
                  "concurrency": "8",
                  "parse_workers": "0"},
    )  # fmt: skip
    return config.path


def _all_done(url: str, jsonl: Path, feeds: int = FEEDS) -> bool:
    polled = _sql(url, "SELECT count(*) FROM feeds WHERE last_success_at IS NOT NULL")[0][0]
    waiting = _sql(url, "SELECT count(*) FROM deliveries WHERE status <> 'sent'")[0][0]
    return polled == feeds and waiting == 0 and len(jsonl_records(jsonl)) >= feeds


def _most_at_once(server: FeedServer, delay: float, killed_at: float = -1.0) -> int:
    """The most feed requests the workers had in flight at one time (each takes ``delay``;
    the next one on a slot starts only after the answer, so arrivals closer together than
    ``delay`` were in flight together). The killed worker's last requests are still being
    answered after it died (and some that reached the server before its death are read
    just after), so windows that mix them with the survivors' are left out."""
    arrivals = sorted(r.at for r in server.requests if r.path.endswith(".xml"))
    window = delay * 0.95  # the event loop's timer granularity
    return max(
        (bisect.bisect_left(arrivals, at + window) - n for n, at in enumerate(arrivals)
         if not killed_at - delay <= at < killed_at + delay),
        default=0,
    )  # fmt: skip


def _fetches(server: FeedServer) -> Counter[str]:
    return Counter(request.path for request in server.requests if request.path.endswith(".xml"))


@pytest.mark.parametrize("count", [2, 3])
async def test_a_worker_killed_mid_cycle_loses_nothing_and_repeats_nothing(
    tmp_path: Path, server: FeedServer, postgres: PostgresServer, count: int
) -> None:
    url = postgres.fresh_database()
    # each fetch takes half a second: a worker always has polls (leases) in flight
    delay = 0.5
    config = _setup(tmp_path, server, url, delay=delay)
    jsonl = tmp_path / "alerts.jsonl"
    workers = await _start(tmp_path, config, count)  # at once, on an empty database
    try:
        logs = [tmp_path / f"worker{n}.log" for n in range(count)]
        assert await _until(
            lambda: all("as worker" in log.read_text(errors="replace") for log in logs), 20
        )
        worker_ids = [_worker_id(log) for log in logs]

        def busy(worker: str) -> bool:
            leased = _sql(url, f"SELECT count(*) FROM feeds WHERE lease_owner = '{worker}'")
            sent = _sql(url, f"SELECT count(*) FROM deliveries WHERE owner = '{worker}'")
            return bool(leased[0][0]) and bool(sent[0][0])

        # the victim: a worker that holds feed leases and has claimed deliveries (which one
        # does depends on who drains the channel at that moment)
        found: list[int] = []

        def someone_busy() -> bool:
            found[:] = [n for n, worker in enumerate(worker_ids) if busy(worker)][:1]
            return bool(found)

        assert await _until(someone_busy, 40)
        doomed = found[0]
        victim = worker_ids[doomed]
        killed_at = time.monotonic()
        workers[doomed].kill()  # SIGKILL: no goodbye
        await workers[doomed].wait()
        survivor = logs[(doomed + 1) % count]
        held = {name for (name,) in _sql(
            url, f"SELECT name FROM feeds WHERE lease_owner = '{victim}'")}  # fmt: skip
        assert held
        # every fetch goes through the one host's PER_HOST slots: the whole share takes
        # FEEDS * delay / PER_HOST seconds at best (19 s), after the dead worker's leases
        # are taken (at once: its session ended; LEASE at worst)
        deadline = LEASE + FEEDS * delay / PER_HOST + 20
        assert await _until(lambda: _all_done(url, jsonl), deadline), (
            _sql(url, "SELECT status, owner, count(*) FROM deliveries GROUP BY 1, 2"),
            _sql(
                url,
                "SELECT name, lease_owner, lease_until, next_poll_at, failures, "
                "last_error, now() FROM feeds WHERE last_success_at IS NULL",
            ),
            len(jsonl_records(jsonl)),
            victim,
            survivor.read_text(errors="replace")[-1500:],
            sorted(Counter(int(r.at - killed_at) for r in server.requests).items()),
        )
    finally:
        await _stop(workers)
    records = jsonl_records(jsonl)
    ids = [record["id"] for record in records]
    assert len(ids) == len(set(ids)), "an alert was delivered twice"
    assert len({record["url"] for record in records}) == FEEDS  # each feed's one alert
    fetched = _fetches(server)
    assert set(fetched) == {f"/{name}.xml" for name in (f"f{n:03}" for n in range(FEEDS))}
    twice = {path.strip("/").removesuffix(".xml") for path, n in fetched.items() if n > 1}
    assert max(fetched.values()) <= 2
    assert twice <= held, "a feed was fetched twice in one interval"
    most = _most_at_once(server, delay, killed_at)
    assert most <= PER_HOST, f"{most} fetches at once: per_host did not hold across workers"
    ids_by_worker = {_worker_id(tmp_path / f"worker{n}.log") for n in range(count)}
    assert len(ids_by_worker) == count


async def test_postgresql_restarted_under_running_workers(
    tmp_path: Path, server: FeedServer, postgres: PostgresServer
) -> None:
    url = postgres.fresh_database()
    config = _setup(tmp_path, server, url, delay=0.2)
    jsonl = tmp_path / "alerts.jsonl"
    workers = await _start(tmp_path, config, 2)
    try:
        assert await _until(lambda: len(jsonl_records(jsonl)) >= 20, 30)
        # fast: every session cut, the committed work kept (the test server runs with
        # synchronous_commit off, which an immediate stop would turn into lost commits)
        await asyncio.to_thread(_stop_fast, postgres)
        await asyncio.sleep(2.0)
        await asyncio.to_thread(_restart, postgres)
        assert all(worker.returncode is None for worker in workers)
        assert await _until(lambda: _all_done(url, jsonl), DEADLINE), (
            tmp_path / "worker1.log"
        ).read_text(errors="replace")[-3000:]
    finally:
        await _stop(workers)
    updates = [record for record in jsonl_records(jsonl) if record.get("kind") != "alert"]
    assert updates == [], _fetches(server)  # a feed polled twice at once joins its own story
    ids = [record["id"] for record in jsonl_records(jsonl)]
    assert len(ids) == len(set(ids)) == FEEDS
    assert set(_fetches(server)) == {f"/f{n:03}.xml" for n in range(FEEDS)}


def _stop_fast(postgres: PostgresServer) -> None:
    postgres._run(str(postgres.bin / "pg_ctl"), "-D", str(postgres.data), "-m", "fast", "-w",
                  "stop")  # fmt: skip


def _restart(postgres: PostgresServer) -> None:
    """Start the stopped server again on its data folder and port."""
    postgres._run(
        str(postgres.bin / "pg_ctl"), "-D", str(postgres.data), "-l",
        str(postgres.folder / "log"), "-w", "-t", "30", "-o",
        f"-c listen_addresses=127.0.0.1 -p {postgres.port} -k {postgres.folder} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        "-c max_connections=100",
        "start",
    )  # fmt: skip


async def test_once_beside_a_running_worker_shares_the_feeds_and_per_host(
    tmp_path: Path, server: FeedServer, postgres: PostgresServer
) -> None:
    """``dealbot once --due`` (a cron job) on a database a ``dealbot run`` worker is polling: each
    feed is polled once, by one of them; ``once`` leases in batches as its polls end, and
    the one host never has more than ``per_host`` fetches at once over both."""
    url = postgres.fresh_database()
    config = write_config(
        tmp_path,
        dict(list(_serve(server, 0.5).items())[:60]),
        settings={"database": url, "backfill": "all", "interval": "1h", "per_host": "4",
                  "concurrency": "8", "parse_workers": "0"},
    )  # fmt: skip
    [worker] = await _start(tmp_path, config.path, 1)
    try:
        assert await _until(lambda: len(_fetches(server)) >= 4, 30)
        status, _, err = await dealbot("once", "--due", "--config", str(config.path),
                                         env=scrubbed_env())  # fmt: skip
        assert status == 0, err
        assert await _until(lambda: _all_done(url, tmp_path / "alerts.jsonl", 60), 30)
    finally:
        await _stop([worker])
    fetched = _fetches(server)
    assert len(fetched) == 60
    assert set(fetched.values()) == {1}, "a feed was polled by both"
    most = _most_at_once(server, 0.5)
    assert most <= 4, f"{most} fetches at once: per_host did not hold for once"
    records = jsonl_records(tmp_path / "alerts.jsonl")
    assert sorted(record["feed"] for record in records) == [f"f{n:03}" for n in range(60)]
    assert re.search(r"done: \d+ feeds? polled", err), err  # its share: what was left
