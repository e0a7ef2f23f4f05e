"""Persistence: everything dealbot remembers lives behind the ``Store`` interface.

Callers type against ``Store`` (``bot.store.interface``, a Protocol) and get one from
``open_store``, which picks the backend from ``settings.database``: a path opens SQLite
(``bot.store.sqlite``, the default), a ``postgresql://`` URL PostgreSQL
(``bot.store.postgres``, for several workers on one database). No SQL exists outside this
package; ``tests/test_store_conformance.py`` is what every backend must pass.
"""

from __future__ import annotations

from pathlib import Path

from bot.store.interface import (
    AssembleAlert,
    DueDelivery,
    ExclusiveLock,
    FeedIdentity,
    PollSuccess,
    Store,
)
from bot.store.url import is_database_url, show_database

__all__ = [
    "AssembleAlert",
    "DueDelivery",
    "ExclusiveLock",
    "FeedIdentity",
    "PollSuccess",
    "Store",
    "is_database_url",
    "open_store",
    "show_database",
]


async def open_store(database: Path | str, *, readonly: bool = False) -> Store:
    """Open the database (creating or migrating it unless ``readonly``, which never
    creates one): a ``postgresql://`` (or ``postgres://``) URL on PostgreSQL, else a
    SQLite file. StorageError when it cannot be used (a URL's password masked)."""
    if is_database_url(database):
        from bot.store.postgres import PostgresStore  # loaded only when one is used

        return await PostgresStore.open(str(database), readonly=readonly)
    from bot.store.sqlite import SQLiteStore  # the backend, loaded when a store is opened

    return await SQLiteStore.open(database, readonly=readonly)
