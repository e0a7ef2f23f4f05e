"""The database as a file (issue 10, points 11, 12, 12b): deleted or replaced under a running
bot, a read-only -shm left behind, several processes migrating a fresh database at once."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest

from bot.errors import StorageError
from bot.store.sqlite import SQLiteStore
from bot.store.sqlite.schema import LATEST
from tests.feedserver import FeedServer, rss, rss_item
from tests.helpers import REPO, dealbot, run_until_it_stops, scrubbed_env, write_config

ITEM = rss_item("Samsung EV", "https://news.example/1", guid="1", published=None)


async def test_a_deleted_database_is_noticed_and_never_started_afresh(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    store = await SQLiteStore.open(path)
    await store.check_database()  # the file it opened
    path.unlink()
    with pytest.raises(StorageError, match="was deleted while the bot was running"):
        await store.check_database()
    await store.close()
    with pytest.raises(StorageError, match=r"is missing, but .*db\.sqlite\.id says one was here"):
        await SQLiteStore.open(path)
    assert not path.exists()
    (tmp_path / "db.sqlite.id").unlink()  # what the message says to do to start afresh
    await (await SQLiteStore.open(path)).close()


async def test_a_replaced_database_is_noticed(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    store = await SQLiteStore.open(path)
    other = tmp_path / "other.sqlite"
    await (await SQLiteStore.open(other)).close()
    os.replace(other, path)
    with pytest.raises(StorageError, match="was replaced while the bot was running"):
        await store.check_database()
    await store.close()


async def test_run_stops_with_a_clear_error_when_its_database_is_deleted(
    tmp_path: Path, server: FeedServer
) -> None:
    config = write_config(tmp_path, {"wire": server.route("/feed.xml", rss(ITEM))},
                          settings={"interval": "1h"})  # fmt: skip
    status, text = await run_until_it_stops(
        config.path, lambda: bool(server.hits("/feed.xml")), config.database.unlink
    )
    assert status == 3, text
    assert "was deleted while the bot was running" in text
    assert "Traceback" not in text
    status, out, _ = await dealbot("health", "--config", str(config.path))
    assert status == 1
    assert "no database at" in out
    assert not config.database.exists()  # health created none


async def test_processes_starting_together_migrate_a_fresh_database_once(tmp_path: Path) -> None:
    path = tmp_path / "fresh.sqlite"
    code = (
        "import asyncio, sys\nfrom bot.store.sqlite import SQLiteStore\n"
        "async def main():\n    s = await SQLiteStore.open(sys.argv[1])\n    await s.close()\n"
        "asyncio.run(main())\n"
    )
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            code,
            str(path),
            cwd=REPO,
            env=scrubbed_env(),
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(4)
    ]
    results = [await p.communicate() for p in processes]
    errors = [err.decode() for _out, err in results]
    assert [p.returncode for p in processes] == [0] * 4, errors
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version FROM schema_version").fetchall() == [(LATEST,)]


async def test_a_read_only_shm_file_is_reported_as_the_cause(tmp_path: Path) -> None:
    """After a read-only episode SQLite's -shm file stays unwritable for the bot's user:
    the error names that file instead of "attempt to write a readonly database"."""
    folder = Path(tempfile.mkdtemp(prefix="dealbot-ro-"))
    try:
        os.chmod(folder, 0o777)
        config = write_config(folder, {}, settings={"database": "db.sqlite"})
        database = folder / "db.sqlite"
        writer = sqlite3.connect(database)  # keeps the -wal and -shm files in place
        writer.execute("PRAGMA journal_mode = WAL")
        writer.execute("CREATE TABLE t (x)")
        writer.commit()
        shm = Path(f"{database}-shm")
        os.chmod(shm, 0o444)
        prefix: list[str] = []
        if os.geteuid() == 0:  # root writes anything: drop the capability that lets it
            setpriv = shutil.which("setpriv")
            if setpriv is None:
                pytest.skip("running as root without setpriv: no way to obey file modes")
            prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search",
                      "--inh-caps=-all"]  # fmt: skip
        process = await asyncio.create_subprocess_exec(
            *prefix, sys.executable, "-m", "bot", "status", "--config", str(config.path),
            cwd=REPO, env=scrubbed_env(), stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _out, err = await asyncio.wait_for(process.communicate(), timeout=60)
        writer.close()
        text = err.decode().strip()
        assert process.returncode == 3, text
        assert text.count("\n") == 0, text
        assert f"{shm} is not writable by this user" in text
    finally:
        shutil.rmtree(folder, ignore_errors=True)
