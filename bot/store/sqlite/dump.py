"""The SQLite side of ``dealbot db copy``: every table of ``bot.store.tables`` read in one
snapshot, or written into a new database in one transaction (the search index rebuilt
from the items that still have their text)."""

from __future__ import annotations

import sqlite3

from bot.store.sqlite.base import SQLiteBase, dt, ts
from bot.store.sqlite.items import index_row
from bot.store.tables import OWN_META, TABLES, Rows, Table


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


async def read_tables(store: SQLiteBase) -> dict[str, Rows]:
    """Every table's rows, read in one transaction (one snapshot)."""

    def read(db: sqlite3.Connection) -> dict[str, Rows]:
        db.execute("BEGIN")
        try:
            return {
                table.name: [
                    _neutral(table, row)
                    for row in db.execute(
                        f"SELECT {', '.join(table.columns)} FROM {table.name} ORDER BY 1"
                    )
                ]
                for table in TABLES
            }
        finally:
            db.execute("COMMIT")

    return await store._run(read)


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


async def write_tables(store: SQLiteBase, data: dict[str, Rows]) -> None:
    """Insert every table's rows, ids kept, and index the items' text, in one
    transaction."""

    def write(db: sqlite3.Connection) -> None:
        for table in TABLES:
            rows = data[table.name]
            if table.name == "meta":
                rows = [row for row in rows if row[0] not in OWN_META]
            names = ", ".join(table.columns)
            values = ", ".join(f":{c}" for c in table.columns)
            db.executemany(
                f"INSERT INTO {table.name} ({names}) VALUES ({values})",
                [_stored(table, row) for row in rows],
            )
        db.executemany(
            "INSERT INTO items_fts (rowid, title, text) VALUES (:id, :title, :text)",
            [
                index_row(row["id"], row["title"], row["text"])
                for row in db.execute(
                    "SELECT id, title, text FROM items WHERE text IS NOT NULL ORDER BY id"
                )
            ],
        )

    await store._in_transaction(write)
