"""The SQLite side of ``dealbot db copy``: every table of ``bot.store.tables`` read in one
snapshot, or written into a new database in one transaction (the search index rebuilt
from the items that still have their text), a page of rows at a time."""

from __future__ import annotations

import contextlib
import sqlite3
from functools import partial

from bot.errors import StorageError
from bot.store.sqlite.base import SQLiteBase, dt, ts
from bot.store.sqlite.items import index_row
from bot.store.tables import OWN_META, PAGE, TABLES, Batches, Rows, Table


def _neutral(table: Table, row: sqlite3.Row) -> tuple[object, ...]:
    return tuple(
        dt(row[c]) if c in table.times else bool(row[c]) if c in table.flags else row[c]
        for c in table.columns
    )


def _stored(table: Table, row: tuple[object, ...]) -> dict[str, object]:
    return {
        c: ts(v) if c in table.times else int(bool(v)) if c in table.flags else v  # type: ignore[arg-type]
        for c, v in zip(table.columns, row, strict=True)
    }


async def read_tables(store: SQLiteBase) -> Batches:
    """Every table's rows, a page at a time (``PAGE``, by the first column), all read in
    one transaction (one snapshot)."""
    await store._run(lambda db: db.execute("BEGIN"))
    try:
        for table in TABLES:
            after: object = None
            while rows := await store._run(partial(_page, table, after)):
                yield table, rows
                after = rows[-1][0]
    finally:
        await store._run(lambda db: db.execute("COMMIT"))


def _page(table: Table, after: object, db: sqlite3.Connection) -> Rows:
    first = table.columns[0]
    return [
        _neutral(table, row)
        for row in db.execute(
            f"SELECT {', '.join(table.columns)} FROM {table.name} "
            f"WHERE :after IS NULL OR {first} > :after ORDER BY {first} LIMIT :page",
            {"after": after, "page": PAGE},
        )
    ]


async def is_empty(store: SQLiteBase) -> bool:
    """Whether the database holds nothing but its own identity."""

    def empty(db: sqlite3.Connection) -> bool:
        for table in TABLES:
            where = " WHERE key NOT IN ('database_id')" if table.name == "meta" else ""
            if db.execute(f"SELECT 1 FROM {table.name}{where} LIMIT 1").fetchone():
                return False
        return True

    assert {"database_id"} == OWN_META  # the WHERE above
    return await store._run(empty)


async def write_tables(store: SQLiteBase, batches: Batches) -> dict[str, int]:
    """Insert every table's rows, ids kept, and index the items' text, in one transaction,
    a page at a time; how many rows of each table were written."""
    counts = {table.name: 0 for table in TABLES}
    await store._run(lambda db: db.execute("BEGIN IMMEDIATE"))
    try:
        async for table, rows in batches:
            if table.name == "meta":
                rows = [row for row in rows if row[0] not in OWN_META]
            await store._run(partial(_insert, table, rows))
            counts[table.name] += len(rows)
        await store._run(_index_items)
        await store._run(lambda db: db.execute("COMMIT"))
    except BaseException:
        with contextlib.suppress(StorageError):
            await store._run(lambda db: db.execute("ROLLBACK"))
        raise
    return counts


def _insert(table: Table, rows: Rows, db: sqlite3.Connection) -> None:
    names = ", ".join(table.columns)
    values = ", ".join(f":{c}" for c in table.columns)
    db.executemany(
        f"INSERT INTO {table.name} ({names}) VALUES ({values})",
        (_stored(table, row) for row in rows),
    )


def _index_items(db: sqlite3.Connection) -> None:
    """The search index of every item that has its text, read and written by pages."""
    after = -1
    while rows := db.execute(
        "SELECT id, title, text FROM items WHERE text IS NOT NULL AND id > :after "
        "ORDER BY id LIMIT :page",
        {"after": after, "page": PAGE},
    ).fetchall():
        db.executemany(
            "INSERT INTO items_fts (rowid, title, text) VALUES (:id, :title, :text)",
            (index_row(row["id"], row["title"], row["text"]) for row in rows),
        )
        after = rows[-1]["id"]
