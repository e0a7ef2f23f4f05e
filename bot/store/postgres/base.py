"""The PostgreSQL connection pool every per-domain part of the backend shares.

One ``psycopg_pool.AsyncConnectionPool`` (psycopg 3, async): each operation borrows a
connection, runs its statements and gives it back, a write in one transaction
(``_in_transaction``). Connections are checked before they are lent, so a server restart
costs the operation that was running, not the process. psycopg errors are translated into
StorageError where they enter, with the URL's password masked. Parameters are always named
(``%(name)s``), as the SQLite backend's are (``:name``).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import unquote

import psycopg
from psycopg.rows import DictRow
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from bot.errors import StorageError
from bot.store.url import MASK, mask_url, url_password

Params = Mapping[str, Any]
Conn = psycopg.AsyncConnection[DictRow]
Row = DictRow
T = TypeVar("T")


# A list of texts sent as one JSON text: psycopg dumps a Python list into an array element
# by element in Python, json.dumps does it in C (the server splits it again). For example
# ``key = ANY(TEXTS)`` with ``{"keys": json_list(keys)}``.
TEXTS = "ARRAY(SELECT json_array_elements_text(%(keys)s::json))"


def json_list(values: Sequence[object]) -> str:
    """``values`` (texts, numbers, None) as one JSON array for a ``::json`` parameter."""
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def dt(value: datetime | None) -> datetime | None:
    """A stored timestamptz as an aware UTC datetime."""
    return None if value is None else value.astimezone(UTC)


class PGBase:
    """The pool, transactions and error translation."""

    def __init__(self, pool: AsyncConnectionPool[Conn], url: str, *, readonly: bool) -> None:
        self._pool = pool
        self.url = url
        self.readonly = readonly

    @property
    def shown_url(self) -> str:
        """The database as messages show it: the password masked."""
        return mask_url(self.url)

    def _error(self, exc: BaseException, what: str = "database") -> StorageError:
        """One line that says what is wrong, never the password."""
        return StorageError(f"{what} {self.shown_url}: {describe(exc, self.url)}")

    async def _run(self, work: Callable[[Conn], Awaitable[T]]) -> T:
        """``work(connection)`` on a connection of the pool (autocommit: each statement is
        its own transaction unless ``work`` opens one). psycopg errors become StorageError."""
        try:
            async with self._pool.connection() as conn:
                return await work(conn)
        except (psycopg.Error, PoolTimeout) as exc:
            raise self._error(exc) from None

    async def _in_transaction(self, work: Callable[[Conn], Awaitable[T]]) -> T:
        """``work`` inside one transaction, rolled back on any exception."""

        async def transaction(conn: Conn) -> T:
            async with conn.transaction():
                return await work(conn)

        return await self._run(transaction)

    async def _query(self, sql: str, params: Params | None = None) -> list[Row]:
        """The rows of one read."""

        async def read(conn: Conn) -> list[Row]:
            cursor = await conn.execute(sql, params or {})
            return await cursor.fetchall()

        return await self._run(read)

    async def _write(self, sql: str, params: Params) -> int:
        """One statement in its own transaction; how many rows it changed."""

        async def write(conn: Conn) -> int:
            cursor = await conn.execute(sql, params)
            return cursor.rowcount

        return await self._run(write)

    async def _returning(self, sql: str, params: Params) -> list[Row]:
        """One ``… RETURNING`` statement in its own transaction, and the rows it returned."""
        return await self._query(sql, params)


def describe(exc: BaseException, url: str) -> str:
    """``exc`` in one line, the password of ``url`` masked should the driver repeat it."""
    detail = " ".join(str(exc).split()) or type(exc).__name__
    password = url_password(url)
    for secret in {password, unquote(password or "")} - {None, ""}:
        detail = detail.replace(str(secret), MASK)
    return detail


async def fetch_all(conn: Conn, sql: str, params: Params | None = None) -> list[Row]:
    cursor = await conn.execute(sql, params or {})
    return await cursor.fetchall()


async def fetch_one(conn: Conn, sql: str, params: Params | None = None) -> Row | None:
    cursor = await conn.execute(sql, params or {})
    return await cursor.fetchone()


async def execute_many(conn: Conn, sql: str, rows: Sequence[Params]) -> None:
    """One statement for each of ``rows`` (pipelined by psycopg: one round trip)."""
    if rows:
        async with conn.cursor() as cursor:
            await cursor.executemany(sql, rows)
