"""The PostgreSQL backend of ``bot.store.Store``, for several workers on one database.

psycopg 3 (async) with psycopg_pool. One module per concern, as in ``bot.store.sqlite``:
``base`` (the pool, transactions, errors), ``schema`` (migrations), ``feeds``, ``items``
(and search), ``alerts``, ``outbox``, ``stories``, ``meta`` (and mutes), ``owners``
(which workers are alive: advisory locks), composed by ``store.PostgresStore``.
"""

from bot.store.postgres.store import PostgresStore

__all__ = ["PostgresStore"]
