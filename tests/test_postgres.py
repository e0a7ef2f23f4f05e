"""The PostgreSQL backend beyond the conformance suite: migrations raced by workers that
start together, the database URL in feeds.yaml and its password kept out of everything
dealbot prints, and search giving SQLite's answers in English, German, Chinese and Korean.
A real server (tests/pg_support.py), a new database per test."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from bot.errors import ConfigError, DatabaseReplaced, StorageError
from bot.models import AlertDraft, Item
from bot.route import assemble_alert
from bot.searchtext import fts_query
from bot.store import FeedIdentity, PollSuccess, Store, open_store
from bot.store.postgres.owners import OWNER_LOCK
from bot.store.postgres.schema import LATEST
from tests.feedserver import FeedServer, rss, rss_item
from tests.helpers import dealbot, run_until_it_stops, synced, write_config
from tests.pg_support import PostgresServer

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
PASSWORD = "pg-s3cr3t-Passw0rd"


def _sql(url: str, statement: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(statement.encode())
        return cursor.fetchall() if cursor.description else []


async def test_three_workers_starting_at_once_migrate_once(postgres: PostgresServer) -> None:
    url = postgres.fresh_database()
    stores = await asyncio.gather(*(open_store(url) for _ in range(3)))
    try:
        assert _sql(url, "SELECT version FROM schema_version") == [(LATEST,)]
        states = await asyncio.gather(
            *(synced(s, [FeedIdentity("a", "https://a.example/")], NOW) for s in stores)
        )
        assert len({state["a"].id for state in states}) == 1  # one row, seen by all
    finally:
        for store in stores:
            await store.close()
    again = await open_store(url)  # and a fourth, later: nothing to do
    await again.close()
    assert _sql(url, "SELECT version FROM schema_version") == [(LATEST,)]


async def test_a_newer_schema_and_a_missing_one_are_refused(postgres: PostgresServer) -> None:
    url = postgres.fresh_database()
    with pytest.raises(StorageError, match="no dealbot database at"):
        await open_store(url, readonly=True)  # health never creates the schema
    assert _sql(url, "SELECT to_regclass('feeds') IS NULL") == [(True,)]
    await (await open_store(url)).close()
    _sql(url, "UPDATE schema_version SET version = 999")
    with pytest.raises(StorageError, match="schema version 999, newer than this dealbot"):
        await open_store(url)


def _with_password(url: str, password: str) -> str:
    return url.replace("postgresql://dealbot@", f"postgresql://dealbot:{password}@", 1)


async def test_errors_never_show_the_password(postgres: PostgresServer) -> None:
    refused = f"postgresql://dealbot:{PASSWORD}@127.0.0.1:1/dealbot"  # nothing listens
    missing = _with_password(postgres.url_of("no_such_database"), PASSWORD)
    for url in (refused, missing):
        with pytest.raises(StorageError) as caught:
            await open_store(url)
        message = str(caught.value)
        assert PASSWORD not in message
        assert "postgresql://dealbot:***@127.0.0.1:" in message
        assert "\n" not in message


def test_a_password_in_feeds_yaml_is_refused(tmp_path: Path) -> None:
    url = f"postgresql://dealbot:{PASSWORD}@db.example/dealbot"
    with pytest.raises(ConfigError) as caught:
        write_config(tmp_path, {}, settings={"database": url})
    assert "${DEALBOT_DATABASE_PASSWORD}" in str(caught.value)
    assert PASSWORD not in str(caught.value)
    with pytest.raises(ConfigError, match=r"starts with postgresql://"):
        write_config(tmp_path, {}, settings={"database": "mysql://db.example/dealbot"})


def test_the_url_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEALBOT_DATABASE_PASSWORD", PASSWORD)
    monkeypatch.setenv("DEALBOT_DATABASE_URL", f"postgres://bot:{PASSWORD}@db.example/deals")
    by_password = write_config(
        tmp_path,
        {},
        settings={"database": "postgresql://bot:${DEALBOT_DATABASE_PASSWORD}@db.example/deals"},
    )
    assert by_password.database == f"postgresql://bot:{PASSWORD}@db.example/deals"
    whole = write_config(tmp_path, {}, settings={"database": "${DEALBOT_DATABASE_URL}"})
    assert whole.database == f"postgres://bot:{PASSWORD}@db.example/deals"
    path = write_config(tmp_path, {}, settings={"database": "state/x.db"})
    assert path.database == tmp_path / "state" / "x.db"  # a path stays a SQLite file


async def test_check_once_health_and_logs_never_show_the_password(
    tmp_path: Path, postgres: PostgresServer, server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _with_password(postgres.fresh_database(), "${DEALBOT_DATABASE_PASSWORD}")
    monkeypatch.setenv("DEALBOT_DATABASE_PASSWORD", PASSWORD)
    item = rss_item("Samsung Exynos EV chip", "https://news.example/x", guid="x", published=None)
    config = write_config(
        tmp_path,
        {"wire": server.route("/feed.xml", rss(item))},
        settings={"database": url, "backfill": "all"},
    )
    env = {"DEALBOT_DATABASE_PASSWORD": PASSWORD}
    outputs = []
    status, out, err = await dealbot("health", "--config", str(config.path), env=env)
    assert status == 1
    assert out.startswith("unhealthy: no dealbot database at postgresql://dealbot:***@")
    outputs.append(out + err)
    status, out, err = await dealbot("check", "--config", str(config.path), env=env)
    assert status == 0, err
    assert "database: postgresql://dealbot:***@127.0.0.1:" in out
    outputs.append(out + err)
    status, out, err = await dealbot("once", "-v", "--config", str(config.path), env=env)
    assert status == 0, err
    assert "1 new item, 1 new alert" in err
    outputs.append(out + err)
    status, out, err = await dealbot("health", "--config", str(config.path), env=env)
    assert (status, out.startswith("healthy: last cycle finished")) == (0, True)
    outputs.append(out + err)
    unreachable = tmp_path / "unreachable"
    unreachable.mkdir()
    gone = write_config(
        unreachable, {}, settings={"database": url.replace(f":{postgres.port}/", ":1/")}
    )
    status, out, err = await dealbot("once", "--config", str(gone.path), env=env)
    assert status == 3
    assert "database unusable: cannot open database postgresql://dealbot:***@" in err
    outputs.append(out + err)
    assert all(PASSWORD not in text for text in outputs)


# ------------------------------------------------------------------- search parity

CORPUS = [
    # (key, title, text, age in days)
    ("en1", "Samsung unveils Exynos 2600 for the Galaxy S26", "The chip uses a 2nm process.", 1),
    ("en2", "Xiaomi SU7 deliveries climb", "Samsung supplies the displays, Xiaomi said.", 2),
    ("en3", "Electric-vehicle sales in Europe", "BYD and Tesla lead; Xiaomi's EV waits.", 3),
    ("en4", "Samsung's old chip plant", "History of the Giheung fab.", 20),
    ("de1", "Xiaomi baut ein neues Elektroauto-Werk", "Das Werk liegt in Peking.", 1),
    ("de2", "Übernahme: Samsung kauft Harman für 8 Mrd. Dollar", "Größte Übernahme.", 2),
    ("de3", "E-Auto-Förderung endet", "Die Prämie für Elektroautos läuft aus.", 4),
    ("zh1", "小米汽车发布新车", "小米SU7在北京发布，电动汽车市场竞争激烈。", 1),
    ("zh2", "三星电子收购哈曼", "三星以80亿美元收购哈曼国际。", 2),
    ("zh3", "电动汽车销量创新高", "比亚迪和小米领跑。", 5),
    ("ko1", "삼성전자가 새로운 반도체를 발표했다", "엑시노스 2600은 2나노 공정이다.", 1),
    ("ko2", "샤오미 전기차 판매 급증", "삼성전자도 배터리를 공급한다.", 2),
    ("ko3", "삼성, 하만 80억 달러에 인수", "전장 사업 강화.", 6),
]
QUERIES = [
    "samsung", "Samsung Exynos", "xiaomi", "xiaomi's", "electric vehicle", "chip",
    "exynos 2600", "nothing here", "Elektroauto", "übernahme", "ubernahme", "Förderung",
    "e-auto", "peking", "小米", "电动汽车", "三星", "收购哈曼", "北京", "삼성전자",
    "반도체를", "샤오미", "하만", "전기차", "80억", "samsung 三星", "삼성 하만",
]  # fmt: skip


async def _search_answers(store: Store) -> dict[str, list[str]]:
    state = (await synced(store, [FeedIdentity("wire", "https://wire.example/")], NOW))["wire"]
    items = [
        Item(key=key, title=title, text=text, link=f"https://news.example/{key}",
             canonical_url=f"https://news.example/{key}", language=None, author=None,
             published=NOW - timedelta(days=age))
        for key, title, text, age in CORPUS
    ]  # fmt: skip
    poll = PollSuccess(None, None, None, None, NOW + timedelta(hours=1))
    await store.record_success(state, poll, items, [], NOW, assemble=assemble_alert)
    answers: dict[str, list[str]] = {}
    for query in QUERIES:
        match = fts_query(query)
        assert match is not None
        hits = await store.search(match, NOW - timedelta(days=30), NOW, limit=20)
        answers[query] = [hit.url or "" for hit in hits]
    for malformed in ('"unclosed', '"a" AND'):  # malformed on both
        with pytest.raises(StorageError):
            await store.search(malformed, NOW - timedelta(days=30), NOW)
    return answers


async def test_search_gives_sqlites_answers(tmp_path: Path, postgres: PostgresServer) -> None:
    stores = [await open_store(tmp_path / "db.sqlite"), await open_store(postgres.fresh_database())]
    try:
        sqlite, postgresql = [await _search_answers(store) for store in stores]
    finally:
        for store in stores:
            await store.close()
    assert postgresql == sqlite  # the same items, in the same order
    found = {query: [url.rsplit("/", 1)[1] for url in urls] for query, urls in sqlite.items()}
    assert found["nothing here"] == []
    assert found["电动汽车"][0] == "zh3"  # a title hit first
    assert set(found["삼성전자"]) == {"ko1", "ko2"}
    assert found["ubernahme"] == found["übernahme"] == ["de2"]
    assert found["samsung 三星"] == []  # every word must occur
    assert sum(len(urls) for urls in found.values()) > 30  # answers enough to compare


async def test_a_worker_whose_lock_session_dies_takes_its_lock_again(
    postgres: PostgresServer,
) -> None:
    """While its owner lock's session is gone the worker looks dead; it holds the lock
    again, under the same owner id, before its next claim or look for stale deliveries,
    so its deliveries in 'sending' stay its own."""
    url = postgres.fresh_database()
    first, second = await open_store(url), await open_store(url)
    try:
        state = (await synced(first, [FeedIdentity("a", "https://a.example/")], NOW))["a"]
        found = [
            Item(f"k{n}", f"Samsung EV {n}", "", f"https://n.example/{n}",
                 f"https://n.example/{n}", NOW, "en")
            for n in range(2)
        ]  # fmt: skip
        drafts = [AlertDraft("ev", i.key, i.link or "", ("ev",), ("EV",), "s", ("console",))
                  for i in found]  # fmt: skip
        poll = PollSuccess(None, None, None, None, NOW)
        messages = await first.record_success(
            state, poll, found, drafts, NOW, assemble=assemble_alert
        )
        assert await first.claim_delivery(messages[0].id, NOW) is not None
        _sql(url, "SELECT pg_terminate_backend(pid) FROM pg_locks "
                  f"WHERE locktype = 'advisory' AND classid = {OWNER_LOCK} "
                  f"AND objid = {first.owners.me.removeprefix('pg-')}")  # fmt: skip
        assert await first.take_over_stale_deliveries() == []  # its lock again, no stale
        assert await second.take_over_stale_deliveries() == []  # `first` is alive again
        assert await first.mark_sent(messages[0].id, "m-1", NOW)
        _sql(url, "SELECT pg_terminate_backend(pid) FROM pg_locks "
                  f"WHERE locktype = 'advisory' AND classid = {OWNER_LOCK} "
                  f"AND objid = {first.owners.me.removeprefix('pg-')}")  # fmt: skip
        claimed = await first.claim_delivery(messages[1].id, NOW)  # a claim re-takes it
        assert claimed is not None
        assert await second.take_over_stale_deliveries() == []
        assert await first.mark_sent(messages[1].id, "m-2", NOW)
    finally:
        await first.close()
        await second.close()


async def test_a_server_restart_costs_no_worker(postgres: PostgresServer) -> None:
    """The pool replaces the connections a restart cut, and the worker takes its owner lock
    again: it carries on, and what it wrote is there."""
    url = postgres.fresh_database()
    store = await open_store(url)
    try:
        await store.set_meta("before", "1")
        me = store.owners.me  # type: ignore[attr-defined]
        postgres.restart()
        await store.set_meta("after", "2")
        assert (await store.get_meta("before"), await store.get_meta("after")) == ("1", "2")
        assert await store.take_over_stale_deliveries() == []  # its lock taken again
        assert store.owners.me == me  # type: ignore[attr-defined]
        number = me.removeprefix("pg-")
        held = _sql(url, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                         f"AND classid = {OWNER_LOCK} AND objid = {number}")  # fmt: skip
        assert held == [(1,)]
    finally:
        await store.close()


async def test_leases_taken_before_a_server_restart_run_out_by_time(
    postgres: PostgresServer,
) -> None:
    """A restart ends every session, the living workers' too: until a worker takes its owner
    lock again it looks gone. Its leases from before the restart are not taken from it on
    that account; they run out by time."""
    url = postgres.fresh_database()
    lease = timedelta(minutes=1)
    first, second = await open_store(url), await open_store(url)
    try:
        await first.sync_feeds([FeedIdentity("a", "https://a.example/a")], NOW)
        assert len(await first.claim_feeds(["a"], NOW, lease=lease)) == 1
        postgres.restart()
        assert await second.claim_feeds(["a"], NOW, lease=lease) == []
        taken = await second.claim_feeds(["a"], NOW + lease, lease=lease)
        assert [state.name for state in taken] == ["a"]
    finally:
        await first.close()
        await second.close()


async def test_a_database_dropped_and_created_again_is_noticed(
    postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """check_database: the database a worker opened, emptied or created again under the same
    name (a restore into a new database), is not used to send again; a server that cannot
    be reached is a plain StorageError (retried), not a replaced database."""
    url = postgres.fresh_database()
    name = url.rsplit("/", 1)[1]
    store = await open_store(url)
    other = await open_store(url)  # a second worker
    try:
        await store.check_database()
        _sql(url, "DELETE FROM meta WHERE key = 'database_id'")  # emptied
        with pytest.raises(DatabaseReplaced, match="lost its dealbot id while the bot was"):
            await store.check_database()
    finally:
        await store.close()
        await other.close()
    monkeypatch.setattr("bot.store.postgres.store.POOL_TIMEOUT", 3.0)  # while it is gone
    store = await open_store(url)
    try:
        await store.check_database()
        _sql(postgres.url, f'DROP DATABASE "{name}" WITH (FORCE)')
        with pytest.raises(StorageError) as gone:
            await store.check_database()
        assert not isinstance(gone.value, DatabaseReplaced)  # cannot connect: retried
        _sql(postgres.url, f'CREATE DATABASE "{name}"')
        await (await open_store(url)).close()  # a new dealbot database, a new id and oid
        assert "was replaced while the bot was running" in await _replaced(store)
    finally:
        await store.close()


async def _replaced(store: Store) -> str:
    """check_database's DatabaseReplaced, asked again (as each close of a cycle would) while
    the pool cannot connect yet: a plain StorageError."""
    for _ in range(10):
        try:
            await store.check_database()
        except DatabaseReplaced as exc:
            return str(exc)
        except StorageError:
            continue
        return "the same database, it says"
    return "the pool never reconnected"


async def test_a_worker_stops_when_its_database_is_replaced(
    tmp_path: Path, server: FeedServer, postgres: PostgresServer
) -> None:
    """On a shared database a failed close of a cycle is retried (a server restarting), but
    a database that lost its dealbot id stops the worker with a clear line: nothing is
    sent again from it."""
    url = postgres.fresh_database()
    item = rss_item("Samsung EV", "https://news.example/1", guid="1", published=None)
    config = write_config(tmp_path, {"wire": server.route("/feed.xml", rss(item))},
                          settings={"interval": "1h", "database": url})  # fmt: skip
    status, text = await run_until_it_stops(
        config.path,
        lambda: bool(server.hits("/feed.xml")),
        lambda: _sql(url, "DELETE FROM meta WHERE key = 'database_id'"),
    )
    assert status == 3, text
    assert "lost its dealbot id while the bot was running" in text
    assert "Traceback" not in text


def test_claimed_names_travel_as_one_text_and_a_line_break_is_refused() -> None:
    from bot.store.postgres.leases import _one_text

    assert _one_text(["alpha", "beta-2"]) == "alpha\nbeta-2"
    assert _one_text([]) == ""
    with pytest.raises(ValueError, match="line break"):
        _one_text(["alpha", "evil\nname"])


async def test_a_claim_among_many_names_takes_only_those(postgres: PostgresServer) -> None:
    """The names reach the server as one text split there: a claim among 3,000 names of
    which 3 are feeds, and among none, takes exactly what it should."""
    store = await open_store(postgres.fresh_database())
    try:
        feeds = [FeedIdentity(f"f{i}", f"https://f{i}.example/") for i in range(5)]
        await store.sync_feeds(feeds, NOW)
        wanted = [f"f{i}" for i in (0, 2, 4)]
        names = [f"other-{i}" for i in range(2997)] + wanted
        assert await store.claim_feeds([], NOW, lease=timedelta(minutes=1)) == []
        claimed = await store.claim_feeds(names, NOW, lease=timedelta(minutes=1))
        assert sorted(state.name for state in claimed) == wanted
    finally:
        await store.close()
