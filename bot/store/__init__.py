"""Persistence: everything dealbot remembers lives behind ``Store`` (SQLite for now).

No SQL exists outside this package, so another backend (PostgreSQL for several instances)
can be added without touching the pipeline.
"""

from bot.store.sqlite import FeedIdentity, PollSuccess, Store, new_outbox_id

__all__ = ["FeedIdentity", "PollSuccess", "Store", "new_outbox_id"]
