"""``dealbot db copy``: a database moved from SQLite to PostgreSQL and back, the bot run on
each in turn against the same feed, and not one alert repeated; a target that is not
empty refused in one line. A real PostgreSQL server (tests/pg_support.py)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.searchtext import fts_query
from bot.store import open_store
from bot.store.copy import copy_database
from bot.store.sqlite import dump as sqlite_dump
from bot.store.tables import OWN_META
from tests.feedserver import FeedServer, rss, rss_item
from tests.helpers import NOW, RECENT, Clock, apart, dealbot, jsonl_records, write_config
from tests.pg_support import PostgresServer

KINDS = ["batteries", "displays", "chips"]
STORIES = [  # three stories (apart), not three reports of one
    rss_item(f"Xiaomi EV {kind}: {apart(n)}", f"https://news.example/{n}",
             description=f"Xiaomi's EV uses Samsung {kind}.", guid=f"g{n}", published=RECENT)
    for n, kind in enumerate(KINDS)
]  # fmt: skip


async def _once(folder: Path, url: str, database: str, clock: Clock) -> int:
    config = write_config(folder, {"wire": url}, settings={"database": database})
    async with App.running(config, clock=clock) as app:
        report = await app.once()
    assert report.failed == 0
    return report.alerts


async def test_a_move_to_postgresql_and_back_repeats_no_alert(
    tmp_path: Path, server: FeedServer, postgres: PostgresServer
) -> None:
    clock = Clock()
    url = server.route("/feed.xml", rss(STORIES[0]))
    assert await _once(tmp_path, url, "state/dealbot.db", clock) == 1

    pg = postgres.fresh_database()
    status, out, err = await dealbot("db", "copy", str(tmp_path / "state" / "dealbot.db"), pg)
    assert status == 0, err
    assert out.startswith("copied ")
    assert "1 feeds, 1 items, 1 alerts, 1 deliveries" in out

    clock.advance(hours=1)
    server.route("/feed.xml", rss(STORIES[1], STORIES[0]))
    assert await _once(tmp_path, url, pg, clock) == 1  # only the new story

    back = tmp_path / "state" / "back.db"
    status, out, err = await dealbot("db", "copy", pg, str(back))
    assert status == 0, err
    assert "1 feeds, 2 items, 2 alerts, 2 deliveries" in out

    clock.advance(hours=1)
    server.route("/feed.xml", rss(STORIES[2], STORIES[1], STORIES[0]))
    assert await _once(tmp_path, url, str(back), clock) == 1

    records = jsonl_records(tmp_path / "alerts.jsonl")
    assert [r["title"] for r in records] == [
        f"Xiaomi EV {k}: {apart(n)}" for n, k in enumerate(KINDS)
    ]
    assert len({r["id"] for r in records}) == 3
    for database in (pg, back):  # the search index was built on each target
        store = await open_store(database, readonly=True)
        try:
            hits = await store.search(fts_query("displays") or "", NOW - timedelta(days=3), NOW)
            assert [hit.url for hit in hits] == ["https://news.example/1"]
            sent = await store.delivery_counts()
            assert sum(sent["jsonl:alerts.jsonl"].values()) >= 2
        finally:
            await store.close()


async def test_a_target_that_is_not_empty_is_refused_in_one_line(
    tmp_path: Path, postgres: PostgresServer
) -> None:
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    for path in (first, second):
        store = await open_store(path)
        await store.set_meta("k", "v")
        await store.close()
    pg = postgres.fresh_database()
    assert (await dealbot("db", "copy", str(first), pg))[0] == 0
    for source, target in ((second, pg), (pg, first), (first, first)):
        status, out, err = await dealbot("db", "copy", str(source), str(target))
        assert status == 3
        assert out == ""
        assert len(err.strip().splitlines()) == 1
        assert "is not empty" in err or "are the same database" in err
    status, _, err = await dealbot("db", "copy", str(first), "${HOME}")
    assert status == 2
    assert "only DEALBOT_… variables may be used" in err


async def test_a_copy_moves_rows_a_page_at_a_time_and_loses_none(
    tmp_path: Path, server: FeedServer, postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With pages of 2 rows, every table (feeds, 7 items, alerts, stories, outbox, fetch
    log, meta) crosses many pages: SQLite -> PostgreSQL -> SQLite gives back every row of
    the source, and search still finds the text of the last page."""
    items = [
        rss_item(f"Xiaomi EV part {n}: {apart(n)}", f"https://news.example/{n}",
                 description=f"Xiaomi's EV uses Samsung part{n}.", guid=f"g{n}",
                 published=RECENT)
        for n in range(7)
    ]  # fmt: skip
    source = tmp_path / "state" / "dealbot.db"
    assert await _once(tmp_path, server.route("/feed.xml", rss(*items)), str(source), Clock()) > 0
    for module in ("bot.store.sqlite.dump", "bot.store.postgres.dump"):
        monkeypatch.setattr(f"{module}.PAGE", 2)
    pg, back = postgres.fresh_database(), tmp_path / "back.db"
    there = await copy_database(source, pg)
    again = await copy_database(pg, back)
    assert there == again
    assert there["items"] == 7
    assert sum(there.values()) > 2 * len(there)  # several pages of several tables
    before, after = await _all_rows(source), await _all_rows(back)
    assert before.keys() == after.keys()
    for table, rows in before.items():
        assert after[table] == rows, table
    store = await open_store(back, readonly=True)
    try:
        hits = await store.search(fts_query("part6") or "", NOW - timedelta(days=3), NOW)
        assert [hit.url for hit in hits] == ["https://news.example/6"]
    finally:
        await store.close()


async def _all_rows(database: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table but the database's own id, read a page at a time."""
    store = await open_store(database, readonly=True)
    rows: dict[str, list[tuple[object, ...]]] = {}
    try:
        async for table, page in sqlite_dump.read_tables(store):  # type: ignore[arg-type]
            rows.setdefault(table.name, []).extend(
                row for row in page if table.name != "meta" or row[0] not in OWN_META
            )
    finally:
        await store.close()
    return rows
