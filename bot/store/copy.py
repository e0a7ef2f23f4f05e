"""``dealbot db copy SOURCE TARGET``: a whole database moved between SQLite and PostgreSQL
(either way, or between two of a kind), so that a user can move without a repeated alert.

Everything is copied with its ids (``bot.store.tables``): feeds and their state, every
seen key and item, alerts, stories, the outbox with the channels' message ids, edits,
mutes and meta (but the database's own id). A delivery left in 'sending' keeps its owner,
a process of the old database: the first worker on the new one finds it gone and recovers
the delivery as after a crash (the channel is asked before anything is resent). The
source is read in one snapshot; the target must be new or empty, and is written in one
transaction: a copy that fails leaves it empty. Rows move a page at a time
(``bot.store.tables.PAGE``), read from the source as the target takes them, so a copy's
memory does not grow with the database.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from bot.errors import StorageError
from bot.store.interface import Store
from bot.store.url import is_database_url, show_database


def _backend(store: Store) -> Any:
    """The module that reads and writes this backend's tables."""
    from bot.store.sqlite import SQLiteStore

    if isinstance(store, SQLiteStore):
        from bot.store.sqlite import dump as sqlite_dump

        return sqlite_dump
    from bot.store.postgres import dump as postgres_dump

    return postgres_dump


def _same(source: Path | str, target: Path | str) -> bool:
    if is_database_url(source) or is_database_url(target):
        return str(source) == str(target)
    return Path(source).resolve() == Path(target).resolve()


async def copy_database(source: Path | str, target: Path | str) -> dict[str, int]:
    """Copy ``source`` into ``target`` (created when it does not exist); return how many
    rows of each table were copied. StorageError, in one line, when the target is not
    empty, is the source, or either cannot be used."""
    from bot.store import open_store

    if _same(source, target):
        raise StorageError(f"source and target are the same database ({show_database(source)})")
    reading = await open_store(source, readonly=True)
    try:
        writing = await open_store(target)
        try:
            backend = _backend(writing)
            if not await backend.is_empty(writing):
                raise StorageError(
                    f"target {show_database(target)} is not empty: db copy fills only a new "
                    "or empty database"
                )
            async with contextlib.aclosing(_backend(reading).read_tables(reading)) as pages:
                counts: dict[str, int] = await backend.write_tables(writing, pages)
        finally:
            await writing.close()
    finally:
        await reading.close()
    return counts
