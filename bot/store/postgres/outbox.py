"""The outbox in PostgreSQL: one delivery per story and channel (``deliveries``), moving
pending -> sending (claimed by one worker) -> sent | failed, or back to pending.

A claim is one ``UPDATE … WHERE status = 'pending' RETURNING``: of two workers claiming
the same delivery, the second waits for the first's row lock and then finds it no longer
pending. Which worker is alive is decided by ``owners`` (advisory locks), not here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.models import AlertDraft, AlertMessage, Item, OutboxEntry
from bot.store.common import by_story_and_channel, new_outbox_id
from bot.store.interface import AssembleAlert, DueDelivery
from bot.store.postgres.base import Conn, Params, Row, fetch_one
from bot.store.postgres.owners import LIVE_OWNERS, OWNER_LOCK, OwnersMixin, owner_number

ENTRY_COLUMNS = "message, status, attempts, last_error, digest, maybe_sent"


class OutboxMixin(OwnersMixin):
    async def due_deliveries(self, now: datetime, *, everything: bool = False) -> list[DueDelivery]:
        due = "" if everything else "AND next_attempt_at <= %(now)s "
        rows = await self._query(
            f"SELECT id, channel, digest FROM deliveries WHERE status = 'pending' {due}"
            'ORDER BY created_at, id COLLATE "C"',
            {"now": now},
        )
        return [DueDelivery(row["id"], row["channel"], row["digest"]) for row in rows]

    async def claim_delivery(self, delivery_id: str, now: datetime) -> OutboxEntry | None:
        await self._ensure_owner(ping=True)
        rows = await self._returning(
            "UPDATE deliveries SET status = 'sending', owner = %(me)s, "
            "attempts = attempts + 1, updated_at = %(now)s "
            "WHERE id = %(id)s AND status = 'pending' "
            f"RETURNING {ENTRY_COLUMNS}",
            {"me": self.owners.me, "now": now, "id": delivery_id},
        )
        return outbox_entry(rows[0]) if rows else None

    async def take_over_stale_deliveries(self) -> list[OutboxEntry]:
        taken: list[OutboxEntry] = []
        for owner in await self._dead_owners("deliveries"):
            # the owner's liveness asked again in the same statement: one whose session
            # was lost and that took its lock again since may be sending a new claim
            rows = await self._returning(
                "UPDATE deliveries SET owner = %(me)s WHERE status = 'sending' "
                "AND owner IS NOT DISTINCT FROM %(owner)s "
                f"AND NOT EXISTS ({LIVE_OWNERS} AND objid::bigint = %(n)s) "
                f"RETURNING {ENTRY_COLUMNS}",
                {"me": self.owners.me, "owner": owner, "lock": OWNER_LOCK,
                 "n": owner_number(owner)},
            )  # fmt: skip
            taken.extend(outbox_entry(row) for row in rows)
        return sorted(taken, key=lambda entry: entry.message.id)

    async def mark_sent(self, delivery_id: str, message_id: str | None, now: datetime) -> bool:
        return await self._settle(
            delivery_id,
            "status = 'sent', message_id = %(message_id)s, last_error = NULL, "
            "sent_at = %(now)s, updated_at = %(now)s",
            {"message_id": message_id, "now": now},
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
            "status = 'pending', owner = NULL, last_error = %(reason)s, "
            "next_attempt_at = %(next_attempt_at)s, updated_at = %(now)s, "
            "maybe_sent = maybe_sent OR %(maybe_sent)s",
            {
                "reason": reason,
                "next_attempt_at": next_attempt_at,
                "now": now,
                "maybe_sent": maybe_sent,
            },
        )

    async def mark_failed(self, delivery_id: str, reason: str, now: datetime) -> bool:
        return await self._settle(
            delivery_id,
            "status = 'failed', last_error = %(reason)s, updated_at = %(now)s",
            {"reason": reason, "now": now},
        )

    async def _settle(self, delivery_id: str, assignments: str, params: Params) -> bool:
        """Apply ``assignments`` to a delivery this worker is sending."""
        changed = await self._write(
            f"UPDATE deliveries SET {assignments} "
            "WHERE id = %(id)s AND status = 'sending' AND owner = %(me)s",
            {**params, "id": delivery_id, "me": self.owners.me},
        )
        return changed == 1

    async def fail_pending(self, channel: str, reason: str, now: datetime) -> int:
        return await self._write(
            "UPDATE deliveries SET status = 'failed', last_error = %(reason)s, "
            "updated_at = %(now)s WHERE channel = %(channel)s AND status = 'pending'",
            {"reason": reason, "now": now, "channel": channel},
        )

    async def assign_digest(self, delivery_ids: Sequence[str], digest_id: str) -> None:
        await self._write(
            "UPDATE deliveries SET digest = %(digest)s WHERE id = ANY(%(ids)s)",
            {"digest": digest_id, "ids": list(delivery_ids)},
        )

    async def messages_sent_since(self, channel: str, since: datetime) -> int:
        rows = await self._query(
            "SELECT count(DISTINCT coalesce(message_id, digest, id)) AS n FROM deliveries "
            "WHERE channel = %(channel)s AND sent_at >= %(since)s",
            {"channel": channel, "since": since},
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
            "SELECT message_id FROM deliveries WHERE id = %(id)s", {"id": delivery_id}
        )
        return rows[0]["message_id"] if rows else None


async def enqueue(
    conn: Conn,
    feed: str,
    items: Mapping[str, Item],
    fresh: Sequence[AlertDraft],
    now: datetime,
    assemble: AssembleAlert,
) -> list[AlertMessage]:
    """One delivery per story and channel of the ``fresh`` alerts (inside the poll's
    transaction, its stories locked): a new pending one, or the new rules folded into the
    pending one; a story already sending, sent or failed on a channel gets nothing."""
    messages: list[AlertMessage] = []
    for (story, channel), group in by_story_and_channel(fresh).items():
        existing = await fetch_one(
            conn,
            "SELECT id, status, message FROM deliveries WHERE story = %(story)s "
            "AND channel = %(channel)s",
            {"story": story, "channel": channel},
        )
        item = items[group[0].item_key]
        if existing is None:
            message = assemble(feed, item, group, channel, message_id=new_outbox_id(now), now=now)
            await insert_delivery(conn, story, message, now)
            messages.append(message)
        elif existing["status"] == "pending":  # not sent yet: it names the new rules too
            pending = AlertMessage.from_json(json.loads(existing["message"]))
            merged = assemble(
                feed, item, group, channel, message_id=pending.id, now=now, pending=pending
            )
            await conn.execute(
                "UPDATE deliveries SET message = %(message)s, updated_at = %(now)s "
                "WHERE id = %(id)s AND status = 'pending'",
                {"message": dump(merged), "now": now, "id": existing["id"]},
            )
    return messages


async def insert_delivery(conn: Conn, story: str, message: AlertMessage, now: datetime) -> None:
    """A new pending delivery of ``message`` for ``story`` on its channel."""
    await conn.execute(
        "INSERT INTO deliveries (id, story, channel, message, status, "
        "next_attempt_at, created_at, updated_at) "
        "VALUES (%(id)s, %(story)s, %(channel)s, %(message)s, 'pending', %(now)s, %(now)s, "
        "%(now)s)",
        {
            "id": message.id,
            "story": story,
            "channel": message.channel,
            "message": dump(message),
            "now": now,
        },
    )


def outbox_entry(row: Row) -> OutboxEntry:
    """A delivery's row (``ENTRY_COLUMNS``), its message parsed."""
    return OutboxEntry(
        message=AlertMessage.from_json(json.loads(row["message"])),
        status=row["status"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        digest=row["digest"],
        maybe_sent=bool(row["maybe_sent"]),
    )


def dump(message: AlertMessage) -> str:
    return json.dumps(message.to_json(), ensure_ascii=False)
