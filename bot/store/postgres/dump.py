"""The PostgreSQL side of ``dealbot db copy``: every table of ``bot.store.tables`` read
in one snapshot (a repeatable-read transaction), or written into a new database in one
transaction with COPY, the search vectors computed and the id sequences moved past the
copied ids."""

from __future__ import annotations

from bot.store.postgres.base import Conn, PGBase, execute_many, fetch_all
from bot.store.postgres.items import SEARCH_VECTOR, search_vector_params
from bot.store.tables import OWN_META, TABLES, Rows


async def read_tables(store: PGBase) -> dict[str, Rows]:
    """Every table's rows, read in one snapshot."""

    async def read(conn: Conn) -> dict[str, Rows]:
        await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        found: dict[str, Rows] = {}
        for table in TABLES:
            rows = await fetch_all(
                conn, f"SELECT {', '.join(table.columns)} FROM {table.name} ORDER BY 1"
            )
            found[table.name] = [tuple(row[c] for c in table.columns) for row in rows]
        return found

    return await store._in_transaction(read)


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


async def write_tables(store: PGBase, data: dict[str, Rows]) -> None:
    """COPY every table's rows in, ids kept, then the search vectors and the sequences,
    in one transaction."""

    async def write(conn: Conn) -> None:
        for table in TABLES:
            rows = data[table.name]
            if table.name == "meta":
                rows = [row for row in rows if row[0] not in OWN_META]
            async with conn.cursor() as cursor:
                statement = f"COPY {table.name} ({', '.join(table.columns)}) FROM STDIN"
                async with cursor.copy(statement) as copy:
                    for row in rows:
                        await copy.write_row(row)
            if table.identity:
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"coalesce(max(id), 0) + 1, false) FROM {table.name}"
                )
        texts = await fetch_all(
            conn, "SELECT id, title, text FROM items WHERE text IS NOT NULL ORDER BY id"
        )
        await execute_many(
            conn,
            f"UPDATE items SET search = {SEARCH_VECTOR} WHERE id = %(id)s",
            [{"id": row["id"], **search_vector_params(row["title"], row["text"])} for row in texts],
        )

    await store._in_transaction(write)
