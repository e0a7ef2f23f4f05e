"""Persistence: everything dealbot remembers lives behind the ``Store`` interface.

Callers type against ``Store`` (``bot.store.interface``, a Protocol) and get one from
``open_store``; the SQLite backend (``bot.store.sqlite``) is the only one today. No SQL
exists outside this package, so another backend (PostgreSQL for several instances) plugs
in here without touching the pipeline; ``tests/test_store_conformance.py`` is what it must
pass.
"""

from __future__ import annotations

from pathlib import Path

from bot.store.interface import AssembleAlert, DueDelivery, FeedIdentity, PollSuccess, Store

__all__ = [
    "AssembleAlert",
    "DueDelivery",
    "FeedIdentity",
    "PollSuccess",
    "Store",
    "open_store",
]


async def open_store(database: Path | str, *, readonly: bool = False) -> Store:
    """Open the database (creating or migrating it unless ``readonly``, which never
    creates one). StorageError when it cannot be used."""
    from bot.store.sqlite import SQLiteStore  # the backend, loaded when a store is opened

    return await SQLiteStore.open(database, readonly=readonly)
