"""The PostgreSQL side of ``dealbot db copy``: every table of ``bot.store.tables`` read
in one snapshot (a repeatable-read transaction), or written into a new database in one
transaction with COPY, the search vectors computed and the id sequences moved past the
copied ids; a page of rows at a time."""

from __future__ import annotations

import psycopg
from psycopg_pool import PoolTimeout

from bot.store.postgres.base import Conn, PGBase, execute_many, fetch_all
from bot.store.postgres.items import SEARCH_VECTOR, search_vector_params
from bot.store.tables import OWN_META, PAGE, TABLES, Batches


async def read_tables(store: PGBase) -> Batches:
    """Every table's rows, a page at a time (``PAGE``, by the first column), all read in
    one snapshot (a repeatable-read transaction on one connection)."""
    try:
        async with store._pool.connection() as conn, conn.transaction():
            await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            for table in TABLES:
                first = table.columns[0]
                after: object = None
                while rows := await fetch_all(
                    conn,
                    f"SELECT {', '.join(table.columns)} FROM {table.name} "
                    f"WHERE %(after)s::text IS NULL OR {first} > %(typed)s "
                    f"ORDER BY {first} LIMIT %(page)s",
                    {"after": None if after is None else str(after), "typed": after,
                     "page": PAGE},
                ):  # fmt: skip
                    page = [tuple(row[c] for c in table.columns) for row in rows]
                    yield table, page
                    after = page[-1][0]
    except (psycopg.Error, PoolTimeout) as exc:
        raise store._error(exc) from None


async def is_empty(store: PGBase) -> bool:
    """Whether the database holds nothing but its own identity."""

    async def empty(conn: Conn) -> bool:
        for table in TABLES:
            where = " WHERE NOT key = ANY(%(own)s)" if table.name == "meta" else ""
            rows = await fetch_all(
                conn, f"SELECT 1 FROM {table.name}{where} LIMIT 1", {"own": sorted(OWN_META)}
            )
            if rows:
                return False
        return True

    return await store._run(empty)


async def write_tables(store: PGBase, batches: Batches) -> dict[str, int]:
    """COPY every table's rows in, ids kept, a page at a time, then the search vectors and
    the sequences, in one transaction; how many rows of each table were written."""
    counts = {table.name: 0 for table in TABLES}

    async def write(conn: Conn) -> None:
        async for table, rows in batches:
            if table.name == "meta":
                rows = [row for row in rows if row[0] not in OWN_META]
            async with conn.cursor() as cursor:
                statement = f"COPY {table.name} ({', '.join(table.columns)}) FROM STDIN"
                async with cursor.copy(statement) as copy:
                    for row in rows:
                        await copy.write_row(row)
            counts[table.name] += len(rows)
        for table in TABLES:
            if table.identity:
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"coalesce(max(id), 0) + 1, false) FROM {table.name}"
                )
        await _index_items(conn)

    await store._in_transaction(write)
    return counts


async def _index_items(conn: Conn) -> None:
    """The search vector of every item that has its text, read and written by pages."""
    after = -1
    while texts := await fetch_all(
        conn,
        "SELECT id, title, text FROM items WHERE text IS NOT NULL AND id > %(after)s "
        "ORDER BY id LIMIT %(page)s",
        {"after": after, "page": PAGE},
    ):
        await execute_many(
            conn,
            f"UPDATE items SET search = {SEARCH_VECTOR} WHERE id = %(id)s",
            [{"id": row["id"], **search_vector_params(row["title"], row["text"])} for row in texts],
        )
        after = texts[-1]["id"]
