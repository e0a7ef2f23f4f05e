"""The SQLite connection every per-domain part of the backend shares.

One aiosqlite connection in WAL mode. Every operation runs under one asyncio lock, so the
statements of one transaction never interleave with another coroutine's; each write that
must be atomic (a whole poll: items, alerts and outbox rows) is one ``BEGIN IMMEDIATE``
transaction. sqlite3 errors are translated into StorageError where they enter, the real
cause of "readonly" included. Parameters are always named (``:name``).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import StorageError
from bot.store.sqlite.dbfile import readonly_cause

Params = Mapping[str, Any]

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
        self._lock = asyncio.Lock()
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

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE … COMMIT under the store's lock; rolled back on any exception,
        a sqlite3 error raised as StorageError."""
        async with self._lock:
            try:
                await self._db.execute("BEGIN IMMEDIATE")
                yield self._db
                await self._db.execute("COMMIT")
            except BaseException as exc:
                # Also when cancelled during BEGIN: the statement still runs in aiosqlite's
                # thread, and the ROLLBACK queued behind it undoes it.
                await asyncio.shield(self._rollback())
                if isinstance(exc, sqlite3.Error):
                    raise self._error(exc) from None
                raise

    async def _rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error):  # "no transaction is active" is fine
            await self._db.execute("ROLLBACK")

    async def _query(self, sql: str, params: Params | None = None) -> list[aiosqlite.Row]:
        """The rows of one read, outside any transaction."""
        async with self._lock:
            try:
                async with self._db.execute(sql, params) as cursor:
                    return list(await cursor.fetchall())
            except sqlite3.Error as exc:
                raise self._error(exc) from None

    async def _write(self, sql: str, params: Params) -> int:
        """One statement in its own transaction; how many rows it changed."""
        async with self._transaction() as db:
            cursor = await db.execute(sql, params)
            return cursor.rowcount

    async def _returning(self, sql: str, params: Params) -> list[aiosqlite.Row]:
        """One ``… RETURNING`` statement in its own transaction, and the rows it returned."""
        async with self._transaction() as db, db.execute(sql, params) as cursor:
            return list(await cursor.fetchall())
