"""The main process's share of a first cycle, without fetching or parsing: the store and
matching, as ``bot.pipeline.Pipeline`` drives them for every feed.

    python bench/store_bench.py [--feeds 500] [--items 20] [--repeat 3] [--concurrency 16]
                                [--postgres URL]

The feeds are ``generate.py``'s documents (the ones ``run.py`` serves), parsed once up front
by dealbot's own parser (kept in a cache file under the system's temporary folder, so a
repeat costs no parse). Each run first drafts every feed's alerts (``draft_alerts`` with
run.py's topics and alert, on one thread: ``matching`` is its CPU), then opens a fresh SQLite
database and, for every feed, ``concurrency`` at a time, does what a poll does with the
store: ``unseen_keys``, ``mutes``, ``record_success``.

It prints, per run and as the median of the runs: matching's CPU, the store's CPU (the
whole process: event loop and aiosqlite's thread) and wall time, and the database's size
by table (SQLite's ``dbstat``) after the cycle. See bench/README.md, "Main process".

With ``--postgres URL`` (a PostgreSQL server's URL, any database of it) each run uses a new
database created on that server instead of a SQLite file: the store's CPU is then this
process's alone (the server's is not counted), the wall time the comparable figure, and
the size the database's (``pg_database_size``).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import pickle
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from generate import ALERT_MATCH, REAL_TOPICS, extra_topics, rss_document

from bot.config import parse_config
from bot.ingest.parse import parse_feed
from bot.liveconfig import compile_matcher
from bot.models import AlertDraft, ParsedFeed
from bot.route import assemble_alert, draft_alerts, shared_links
from bot.store import FeedIdentity, PollSuccess, open_store

SEED = 20261125


def parsed_feeds(feeds: int, items: int) -> list[ParsedFeed]:
    """The documents parsed by dealbot, from the cache when it has them."""
    key = hashlib.sha256(f"{SEED}:{feeds}:{items}:{parse_feed.__module__}".encode()).hexdigest()
    cache = Path(tempfile.gettempdir()) / f"dealbot-store-bench-{key[:16]}.pickle"
    if cache.exists():
        loaded: list[ParsedFeed] = pickle.loads(cache.read_bytes())
        return loaded
    now = datetime.now(UTC)
    parsed = [
        parse_feed(rss_document(SEED, index, items, now), f"http://127.0.0.1/feed{index}.xml")
        for index in range(feeds)
    ]
    cache.write_bytes(pickle.dumps(parsed))
    return parsed


def config_text(feeds: int) -> str:
    lines = ["settings:", "  backfill: all", "feeds:"]
    for index in range(feeds):
        lines += [f"  - name: f{index}", f"    url: http://127.0.0.1/feed{index}.xml"]
    lines.append("topics:")
    for name, terms in (REAL_TOPICS | extra_topics()).items():
        lines.append(f"  {name}: [{', '.join(repr(term) for term in terms)}]")
    lines += ["alerts:", "  - name: bench", f"    match: {ALERT_MATCH}"]
    lines.append('    channels: ["jsonl:alerts.jsonl"]')
    return "\n".join(lines) + "\n"


def fresh_postgres(server: str) -> str:
    """A new database on the server of ``server`` (a URL); its URL."""
    import secrets

    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = f"bench_{secrets.token_hex(4)}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"'.encode())
    return make_conninfo(**(conninfo_to_dict(server) | {"dbname": name}))


def postgres_size(dsn: str) -> float:
    import psycopg

    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    return float(row[0] if row else 0) / 2**20


async def one_run(
    parsed: list[ParsedFeed], folder: Path, concurrency: int, postgres: str | None = None
) -> dict[str, float]:
    config = parse_config(config_text(len(parsed)), folder / "feeds.yaml")
    matcher = compile_matcher(config)
    path = folder / "bench.db"
    dsn = fresh_postgres(postgres) if postgres else None
    now = datetime.now(UTC)
    # matching first, on this thread alone: its CPU is measured apart from the store's
    started = time.thread_time()
    drafts = [
        draft_alerts(
            index + 1,  # the feeds' ids in a fresh database, in configuration order
            feed.items,
            first_poll=True,
            backfill=config.settings.backfill,
            matcher=matcher,
            alerts=config.alerts,
            now=now,
            shared=shared_links(feed.items),
        )
        for index, feed in enumerate(parsed)
    ]
    matching = time.thread_time() - started

    cpu0, wall0 = time.process_time(), time.perf_counter()
    if dsn:
        from bot.store.postgres import PostgresStore  # a DSN: open_store takes URLs only

        store = await PostgresStore.open(dsn)
    else:
        store = await open_store(path)
    await store.sync_feeds([FeedIdentity(feed.name, feed.url) for feed in config.feeds], now)
    states = await store.poll_states()
    gate = asyncio.Semaphore(concurrency)
    alerts = 0

    async def poll(name: str, feed: ParsedFeed, feed_drafts: list[AlertDraft]) -> None:
        nonlocal alerts
        async with gate:
            state = states[name]
            unseen = await store.unseen_keys(state.id, (item.key for item in feed.items))
            new_items = [item for item in feed.items if item.key in unseen]
            await store.mutes(now)
            poll = PollSuccess("etag", None, feed.title, None, now + timedelta(hours=1), "hash")
            messages = await store.record_success(
                state, poll, new_items, feed_drafts, now, assemble=assemble_alert
            )
            alerts += len(messages)

    await asyncio.gather(*(poll(f"f{i}", feed, drafts[i]) for i, feed in enumerate(parsed)))
    await store.close()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    if dsn:
        no_tables = {"items_mb": 0.0, "fts_mb": 0.0, "other_mb": 0.0}
        return {"matching": matching, "store_cpu": cpu, "store_wall": wall, "alerts": alerts,
                "db_mb": postgres_size(dsn), **no_tables}  # fmt: skip
    return {
        "matching": matching,
        "store_cpu": cpu,
        "store_wall": wall,
        "alerts": alerts,
        "db_mb": path.stat().st_size / 2**20,
        **table_sizes(path),
    }


def table_sizes(path: Path) -> dict[str, float]:
    """MB per group of tables: items (with its indexes), the full-text index, the rest."""
    import sqlite3

    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
    groups = {"items_mb": 0.0, "fts_mb": 0.0, "other_mb": 0.0}
    for name, size in rows:
        group = "fts_mb" if name.startswith("items_fts") else "other_mb"
        if name == "items" or name.startswith(("items_by", "sqlite_autoindex_items")):
            group = "items_mb"
        groups[group] += size / 2**20
    return groups


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server instead of SQLite")
    args = parser.parse_args(argv)
    print(f"parsing {args.feeds} feeds × {args.items} items (cached after the first time)…")
    parsed = parsed_feeds(args.feeds, args.items)
    runs = []
    columns = ("matching", "store_cpu", "store_wall", "db_mb", "items_mb", "fts_mb", "other_mb")
    print(f"{'run':<6}" + "".join(f"{name:>11}" for name in columns) + f"{'alerts':>8}")
    for run in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="dealbot-store-bench-") as folder:
            result = asyncio.run(one_run(parsed, Path(folder), args.concurrency, args.postgres))
        runs.append(result)
        cells = "".join(f"{result[name]:>11.2f}" for name in columns)
        print(f"{run + 1:<6}{cells}{int(result['alerts']):>8}")
    medians = "".join(f"{statistics.median(r[name] for r in runs):>11.2f}" for name in columns)
    print(f"{'median':<6}{medians}")
    print("(matching: CPU s of draft_alerts on one thread; store: CPU s of the process")
    print(" and wall s; sizes in MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
