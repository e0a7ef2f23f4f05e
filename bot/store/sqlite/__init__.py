"""The SQLite backend of ``bot.store.Store``: the only SQL dealbot speaks today.

One module per concern: ``base`` (the connection, transactions, errors), ``schema``
(migrations), ``feeds``, ``items`` (and search), ``alerts``, ``outbox``, ``meta`` (and
mutes), ``dbfile`` (the database as a file), composed by ``store.SQLiteStore``.
"""

from bot.store.sqlite.store import SQLiteStore

__all__ = ["SQLiteStore"]
