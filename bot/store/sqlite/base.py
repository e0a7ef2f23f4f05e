"""The SQLite connection every per-domain part of the backend shares.

One aiosqlite connection in WAL mode. Every operation is one function run in the
connection's thread (``_run``): a whole poll's transaction (items, alerts, outbox rows, the
feed's state) is one ``BEGIN IMMEDIATE`` … ``COMMIT`` there, one round trip to the event
loop rather than one per statement and fetch, and operations never interleave. sqlite3
errors are translated into StorageError where they enter, the real cause of "readonly"
included. Parameters are always named (``:name``).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, cast

import aiosqlite

from bot.errors import StorageError
from bot.store.sqlite.dbfile import readonly_cause

Params = Mapping[str, Any]
T = TypeVar("T")

# UPDATE … RETURNING (a delivery claimed and read in one statement) came with 3.35;
# json_each (a list of keys as one parameter) is built in from 3.38.
MINIMUM_SQLITE = (3, 35)
JSON_BUILT_IN = (3, 38)


def ts(moment: datetime | None) -> float | None:
    """A datetime as stored: Unix seconds."""
    return None if moment is None else moment.timestamp()


def dt(value: float | None) -> datetime | None:
    """Stored Unix seconds as an aware UTC datetime."""
    return None if value is None else datetime.fromtimestamp(value, UTC)


def require_sqlite(version: tuple[int, int, int] = sqlite3.sqlite_version_info) -> None:
    """Raise StorageError, in one line, when this Python's SQLite is too old."""
    if version[:2] < MINIMUM_SQLITE:
        found = ".".join(map(str, version))
        needed = ".".join(map(str, MINIMUM_SQLITE))
        raise StorageError(
            f"SQLite {found} is too old: dealbot needs {needed} or newer (for UPDATE … "
            "RETURNING); use a Python built with a newer SQLite"
        )


class SQLiteBase:
    """The connection, its lock, transactions and error translation."""

    def __init__(self, db: aiosqlite.Connection, path: Path, *, readonly: bool = False) -> None:
        self._db = db
        self.path = path
        self.readonly = readonly

    def _error(self, exc: sqlite3.Error | OSError, what: str = "database") -> StorageError:
        """One line that says what is wrong, the real cause of "readonly" included."""
        if "readonly" in str(exc) or isinstance(exc, PermissionError):
            cause = readonly_cause(self.path)
            if cause:
                return StorageError(f"database {self.path} cannot be written: {cause}")
        return StorageError(f"{what} {self.path}: {exc}")

    async def _check_json(self) -> None:
        """Before 3.38 the JSON functions are a compile-time option: say so if missing."""
        if sqlite3.sqlite_version_info[:2] >= JSON_BUILT_IN:
            return
        try:
            await self._db.execute("SELECT json_valid('[]')")
        except sqlite3.OperationalError:
            raise StorageError(
                f"SQLite {sqlite3.sqlite_version} lacks the JSON functions dealbot needs; "
                "use a Python built with SQLite 3.38 or newer"
            ) from None

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work(connection)`` in the connection's thread, as one call: however many
        statements it runs, the loop is woken once, when it is done. A sqlite3 error is
        raised as StorageError. Calls run one after another, in the order they were made
        (the connection has one thread and one queue), so no lock is needed: a cancelled
        caller stops waiting, but its work still runs whole, never half a transaction."""
        try:
            # aiosqlite runs every call through this queue; its public methods queue one
            # statement (or one fetch) at a time, a round trip to the loop each
            run: Callable[..., Awaitable[object]] = self._db._execute
            result = await run(work, self._db._conn)
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        return cast(T, result)

    async def _in_transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work`` inside BEGIN IMMEDIATE … COMMIT, rolled back on any exception; one call
        to the connection's thread (see ``_run``)."""
        return await self._run(partial(in_transaction, work))

    async def _query(self, sql: str, params: Params | None = None) -> list[sqlite3.Row]:
        """The rows of one read, outside any transaction."""
        return await self._run(lambda db: db.execute(sql, params or {}).fetchall())

    async def _write(self, sql: str, params: Params) -> int:
        """One statement in its own transaction; how many rows it changed."""
        return await self._in_transaction(lambda db: db.execute(sql, params).rowcount)

    async def _returning(self, sql: str, params: Params) -> list[sqlite3.Row]:
        """One ``… RETURNING`` statement in its own transaction, and the rows it returned."""
        return await self._in_transaction(lambda db: db.execute(sql, params).fetchall())


def in_transaction(work: Callable[[sqlite3.Connection], T], db: sqlite3.Connection) -> T:
    """``work(db)`` between BEGIN IMMEDIATE and COMMIT, rolled back when it raises (run in
    the connection's thread)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        result = work(db)
        db.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):  # "no transaction is active" is fine
            db.execute("ROLLBACK")
        raise
    return result
