"""The outbox in SQLite: one delivery per story and channel (``deliveries``), moving
pending -> sending (claimed by one process) -> sent | failed, or back to pending.

Which process is alive is not decided here (``bot.store.owners``): this module only reads
and moves the rows of a given owner.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.models import AlertDraft, AlertMessage, Item, OutboxEntry
from bot.store.common import by_story_and_channel, new_outbox_id
from bot.store.interface import AssembleAlert, DueDelivery
from bot.store.owners import OwnerRegistry
from bot.store.sqlite.base import Params, SQLiteBase, ts

ENTRY_COLUMNS = "message, status, attempts, last_error, digest, maybe_sent"


class OutboxMixin(SQLiteBase):
    owners: OwnerRegistry  # whose deliveries are whose: this process is ``owners.me``

    async def due_deliveries(self, now: datetime, *, everything: bool = False) -> list[DueDelivery]:
        due = "" if everything else "AND next_attempt_at <= :now "
        rows = await self._query(
            f"SELECT id, channel, digest FROM deliveries WHERE status = 'pending' {due}"
            "ORDER BY created_at, id",
            {"now": ts(now)},
        )
        return [DueDelivery(row["id"], row["channel"], row["digest"]) for row in rows]

    async def claim_delivery(self, delivery_id: str, now: datetime) -> OutboxEntry | None:
        rows = await self._returning(
            "UPDATE deliveries SET status = 'sending', owner = :me, attempts = attempts + 1, "
            "updated_at = :now WHERE id = :id AND status = 'pending' "
            f"RETURNING {ENTRY_COLUMNS}",
            {"me": self.owners.me, "now": ts(now), "id": delivery_id},
        )
        return outbox_entry(rows[0]) if rows else None

    async def _sending_owners(self) -> list[str | None]:
        """Every process that has a delivery in 'sending', this one included."""
        rows = await self._query("SELECT DISTINCT owner FROM deliveries WHERE status = 'sending'")
        return [row["owner"] for row in rows]

    async def _take_over(self, owner: str | None) -> list[OutboxEntry]:
        """``owner``'s deliveries in 'sending', now this process's."""
        rows = await self._returning(
            "UPDATE deliveries SET owner = :me WHERE status = 'sending' AND owner IS :owner "
            f"RETURNING {ENTRY_COLUMNS}",
            {"me": self.owners.me, "owner": owner},
        )
        return [outbox_entry(row) for row in rows]

    async def mark_sent(self, delivery_id: str, message_id: str | None, now: datetime) -> bool:
        return await self._settle(
            delivery_id,
            "status = 'sent', message_id = :message_id, last_error = NULL, sent_at = :now, "
            "updated_at = :now",
            {"message_id": message_id, "now": ts(now)},
        )

    async def mark_retry(
        self,
        delivery_id: str,
        reason: str,
        next_attempt_at: datetime,
        now: datetime,
        *,
        maybe_sent: bool = False,
    ) -> bool:
        return await self._settle(
            delivery_id,
            "status = 'pending', owner = NULL, last_error = :reason, "
            "next_attempt_at = :next_attempt_at, updated_at = :now, "
            "maybe_sent = max(maybe_sent, :maybe_sent)",
            {
                "reason": reason,
                "next_attempt_at": ts(next_attempt_at),
                "now": ts(now),
                "maybe_sent": int(maybe_sent),
            },
        )

    async def mark_failed(self, delivery_id: str, reason: str, now: datetime) -> bool:
        return await self._settle(
            delivery_id,
            "status = 'failed', last_error = :reason, updated_at = :now",
            {"reason": reason, "now": ts(now)},
        )

    async def _settle(self, delivery_id: str, assignments: str, params: Params) -> bool:
        """Apply ``assignments`` to a delivery this process is sending."""
        changed = await self._write(
            f"UPDATE deliveries SET {assignments} "
            "WHERE id = :id AND status = 'sending' AND owner = :me",
            {**params, "id": delivery_id, "me": self.owners.me},
        )
        return changed == 1

    async def fail_pending(self, channel: str, reason: str, now: datetime) -> int:
        return await self._write(
            "UPDATE deliveries SET status = 'failed', last_error = :reason, updated_at = :now "
            "WHERE channel = :channel AND status = 'pending'",
            {"reason": reason, "now": ts(now), "channel": channel},
        )

    async def assign_digest(self, delivery_ids: Sequence[str], digest_id: str) -> None:
        rows = [{"digest": digest_id, "id": delivery_id} for delivery_id in delivery_ids]
        await self._in_transaction(
            lambda db: db.executemany("UPDATE deliveries SET digest = :digest WHERE id = :id", rows)
        )

    async def messages_sent_since(self, channel: str, since: datetime) -> int:
        rows = await self._query(
            "SELECT count(DISTINCT coalesce(message_id, digest, id)) AS n FROM deliveries "
            "WHERE channel = :channel AND sent_at >= :since",
            {"channel": channel, "since": ts(since)},
        )
        return int(rows[0]["n"])

    async def delivery_counts(self) -> dict[str, dict[str, int]]:
        rows = await self._query(
            "SELECT channel, status, count(*) AS n FROM deliveries GROUP BY channel, status"
        )
        counts: dict[str, dict[str, int]] = {}
        for row in rows:
            counts.setdefault(row["channel"], {})[row["status"]] = row["n"]
        return counts

    async def channel_errors(self) -> dict[str, str]:
        rows = await self._query(
            "SELECT channel, last_error FROM deliveries WHERE status IN ('pending', 'failed') "
            "AND last_error IS NOT NULL ORDER BY updated_at"
        )
        return {row["channel"]: row["last_error"] for row in rows}

    async def sent_message_id(self, delivery_id: str) -> str | None:
        rows = await self._query(
            "SELECT message_id FROM deliveries WHERE id = :id", {"id": delivery_id}
        )
        return rows[0]["message_id"] if rows else None


def enqueue(
    db: sqlite3.Connection,
    feed: str,
    items: Mapping[str, Item],
    fresh: Sequence[AlertDraft],
    now: datetime,
    assemble: AssembleAlert,
) -> list[AlertMessage]:
    """One delivery per story and channel of the ``fresh`` alerts (inside the poll's
    transaction): a new pending one, or the new rules folded into the pending one; a story
    already sending, sent or failed on a channel gets nothing. Return the new messages."""
    messages: list[AlertMessage] = []
    for (story, channel), group in by_story_and_channel(fresh).items():
        existing = db.execute(
            "SELECT id, status, message FROM deliveries WHERE story = :story "
            "AND channel = :channel",
            {"story": story, "channel": channel},
        ).fetchone()
        item = items[group[0].item_key]
        if existing is None:
            message = assemble(feed, item, group, channel, message_id=new_outbox_id(now), now=now)
            insert_delivery(db, story, message, now)
            messages.append(message)
        elif existing["status"] == "pending":  # not sent yet: it names the new rules too
            pending = AlertMessage.from_json(json.loads(existing["message"]))
            merged = assemble(
                feed, item, group, channel, message_id=pending.id, now=now, pending=pending
            )
            db.execute(
                "UPDATE deliveries SET message = :message, updated_at = :now "
                "WHERE id = :id AND status = 'pending'",
                {"message": _dump(merged), "now": ts(now), "id": existing["id"]},
            )
    return messages


def insert_delivery(
    db: sqlite3.Connection, story: str, message: AlertMessage, now: datetime
) -> None:
    """A new pending delivery of ``message`` for ``story`` on its channel."""
    db.execute(
        "INSERT INTO deliveries (id, story, channel, message, status, "
        "next_attempt_at, created_at, updated_at) "
        "VALUES (:id, :story, :channel, :message, 'pending', :now, :now, :now)",
        {
            "id": message.id,
            "story": story,
            "channel": message.channel,
            "message": _dump(message),
            "now": ts(now),
        },
    )


def outbox_entry(row: sqlite3.Row) -> OutboxEntry:
    """A delivery's row (``ENTRY_COLUMNS``), its message parsed."""
    return OutboxEntry(
        message=AlertMessage.from_json(json.loads(row["message"])),
        status=row["status"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        digest=row["digest"],
        maybe_sent=bool(row["maybe_sent"]),
    )


def _dump(message: AlertMessage) -> str:
    return json.dumps(message.to_json(), ensure_ascii=False)
