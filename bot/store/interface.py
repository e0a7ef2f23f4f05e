"""The ``Store`` interface: what dealbot asks of its database, whatever the backend.

Everything outside ``bot/store/`` types against ``Store`` (a Protocol), never against a
backend's class; each backend (``bot.store.sqlite``, ``bot.store.postgres``) implements
every method with the behaviour its docstring states, and
``tests/test_store_conformance.py`` holds both to it. Every method raises ``StorageError``
(one line, no secret) when the database cannot be read or written; other exceptions it may
raise are named.

Times go in and come out as aware UTC datetimes. The types here are the store's own
vocabulary; the shared values (``FeedState``, ``OutboxEntry``…) are in ``bot.models``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.models import (
    AlertDraft,
    AlertMessage,
    EditEntry,
    FeedState,
    FetchRecord,
    Item,
    OutboxEntry,
    RecentAlert,
    SearchHit,
    StoryEntry,
    StoryReport,
    StorySummary,
)


@dataclass(frozen=True, slots=True)
class FeedIdentity:
    """What feeds.yaml says about a feed, for matching it to its stored row."""

    name: str
    url: str


@dataclass(frozen=True, slots=True)
class PollSuccess:
    """What a successful poll changes on the feed's row."""

    etag: str | None
    last_modified: str | None
    title: str | None
    moved_to: str | None  # a permanent redirect's target: the feed's new URL
    next_poll_at: datetime
    body_hash: str | None = None
    # what reading the document said (a charset guessed, boilerplate removed from the new
    # items), kept in the fetch history for `feeds status`
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DueDelivery:
    """A pending delivery as the outbox lists it, before it is claimed: enough to plan the
    sending (which channel, which digest), not the message, which the claim reads."""

    id: str
    channel: str
    digest: str | None = None


class AssembleAlert(Protocol):
    """Builds the message a channel gets for one story (``bot.route.assemble_alert``).

    ``drafts`` are the story's alerts new to their rules, all bound for ``channel``, the
    first one's item being ``item``. With ``pending`` (the story's message to this channel,
    not sent yet) the result is that message naming the new rules too."""

    def __call__(
        self,
        feed: str,
        item: Item,
        drafts: Sequence[AlertDraft],
        channel: str,
        *,
        message_id: str,
        now: datetime,
        pending: AlertMessage | None = None,
    ) -> AlertMessage: ...


class ExclusiveLock(Protocol):
    """What ``Store.exclusive`` hands out: whether the named lock was taken, and whether
    it is still held (a PostgreSQL lock lives as long as its session: a lost connection
    loses it, and the holder must stop what it guarded)."""

    @property
    def held(self) -> bool: ...

    async def alive(self) -> bool:
        """Whether the lock is still held (False when it never was)."""


class Store(Protocol):
    """Everything dealbot remembers: feeds and their state, the items seen (dedupe keys,
    text for search), alerts, the delivery outbox, mutes and a small key/value table.

    A backend is opened by its own factory (``bot.store.open_store``), which creates or
    migrates the schema; a write that must be atomic (a whole poll) is one transaction."""

    # ------------------------------------------------------------------ lifecycle

    async def close(self) -> None:
        """Close the database and give up this process's claim on being alive (deliveries
        it left in 'sending' become recoverable by others). Call it once."""

    @property
    def shared(self) -> bool:
        """Whether several workers (``dealbot run`` processes, on any hosts) may share this
        database at once: they then claim feeds by lease (``claim_feeds``) instead of each
        deciding alone what to poll. False for SQLite (one process is its norm)."""

    @property
    def worker_id(self) -> str:
        """This process's id as the database records it (lease and delivery owner)."""

    def exclusive(
        self, name: str, *, wait: float = 0.0
    ) -> AbstractAsyncContextManager[ExclusiveLock]:
        """A named lock that one process at a time holds (housekeeping, the Discord gateway,
        feeds.yaml edits): taken on entering, waiting up to ``wait`` seconds for it, and
        released on leaving; ``held`` says whether it was taken. Released too when the
        holder dies, however it dies. Not re-entrant. PostgreSQL: a session advisory lock
        on a connection of its own; SQLite: an flock beside the database file (processes
        on one host) and a lock within the process."""

    async def check_database(self) -> None:
        """Raise DatabaseReplaced when the database the store opened is gone or was
        replaced (each cycle calls it: a fresh database, or an older copy, would resend
        every recent story): SQLite's file deleted or another file in its place;
        PostgreSQL's database dropped and created again (a restore into a new database),
        or the name now on another server. StorageError when the server cannot be asked
        now. A no-op for a read-only store."""

    # ------------------------------------------------------------- feeds and state

    async def sync_feeds(self, feeds: Sequence[FeedIdentity], now: datetime) -> None:
        """Match configured feeds to stored ones (by URL first, then by name), create the new
        ones and mark the others inactive (``feed_states`` reads the result).

        A feed keeps its id, and so its dedupe keys, when it is renamed, when its URL
        redirects, and when it is removed and added again. A feed whose configured URL
        changed to one it never had starts over: validators, errors and first poll reset."""

    async def feed_states(self) -> dict[str, FeedState]:
        """Every configured (active) feed by name, in name order, with ``items_seen``."""

    async def feed_state(self, name: str) -> FeedState | None:
        """One configured feed by name (``items_seen`` left at 0); None when unknown or
        inactive."""

    async def poll_states(self, *, due_by: datetime | None = None) -> dict[str, FeedState]:
        """Every configured feed by name, in name order, as polling needs it (``items_seen``
        left at 0: no count of the items); with ``due_by``, only those whose next poll is
        unset or at or before it."""

    async def record_success(
        self,
        feed: FeedState,
        poll: PollSuccess,
        items: Sequence[Item],
        drafts: Sequence[AlertDraft],
        now: datetime,
        *,
        assemble: AssembleAlert,
        updated: Sequence[Item] = (),
        stories: Sequence[StoryReport] = (),
        digests: Mapping[str, str] | None = None,
    ) -> list[AlertMessage]:
        """Record a successful poll as one transaction: the new ``items`` (seen from now on,
        indexed for search), an alert per draft whose rule has not yet alerted its story
        (from any feed), a pending delivery per story and channel of those, the fetch in
        the feed's history, and its new state (errors cleared, ``poll`` applied).

        A muted draft is recorded but sends nothing. A story already pending for a channel
        gets the new rules folded in instead of a second message; one already sending, sent
        or failed gets nothing. Return the messages newly put in the outbox.

        Stories: ``updated`` are entries stored before (same key) whose content changed,
        as they read now (drafts may name them: they newly match); their stored title,
        text and search entry become the new version (key, canonical URL and times stay);
        ``digests`` (key ->
        digest of title and text) are kept for the new and updated items (``item_digests``);
        ``stories`` places items of ``items`` or ``updated`` in their story. A draft with a
        ``story_id`` is delivered per story and channel: a new message lists every report
        of the story (``AlertMessage.sources``); a report joining while that message is
        pending is folded into it; once it is sending or sent, an edit of it is queued
        (``due_edits``), changed ``("sources",)``, folded into an edit still waiting. A
        report with material ``changed`` (an update) revises every message of its story
        the same way (the title too when the message shows that entry)."""

    async def record_not_modified(
        self,
        feed: FeedState,
        next_poll_at: datetime,
        now: datetime,
        *,
        detail: str = "not modified",
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """A 304, or a 200 whose body is the one parsed last time: errors cleared, next poll
        set, the validators replaced by those given (kept when None), the fetch logged."""

    async def record_failure(
        self,
        feed: FeedState,
        error: str,
        next_poll_at: datetime,
        now: datetime,
        *,
        reported_unhealthy: bool = False,
    ) -> None:
        """A failed poll: the error stored, failures counted, ``error_since`` kept from the
        first failure, the next poll set; ``reported_unhealthy`` records that it was
        reported now. The fetch is logged."""

    async def claim_feeds(
        self,
        names: Sequence[str],
        now: datetime,
        *,
        lease: timedelta,
        due_only: bool = True,
        limit: int | None = None,
        per_host: int | None = None,
        early: timedelta = timedelta(0),
        unpolled_since: datetime | None = None,
    ) -> list[FeedState]:
        """Lease feeds among ``names`` (active ones) to this worker until ``now + lease``,
        in one short transaction committed before any fetch, and return their states
        (``items_seen`` left at 0), the longest due first. A feed is claimable when no
        lease on it runs at ``now`` (none, released, expired: its worker hung, or held by
        a worker that is gone: its process died or its database session ended; such a
        lease no longer counts against ``per_host`` either) and, with ``due_only``, when
        its next poll is due (``next_poll_at`` unset or not after ``now``; ``early``
        before it for a feed without failures: a cron job firing a little early does not
        skip an interval). At most ``limit`` feeds; with ``per_host``, no host gets more
        feeds under a running lease (any worker's) than ``per_host``. Two workers
        claiming at once never get the same feed (PostgreSQL: ``FOR UPDATE SKIP LOCKED``
        under a claim lock, so the per-host count is exact). With ``unpolled_since``, only
        feeds not polled since then (a run that polls each feed once, beside other
        workers).

        ``record_success``, ``record_not_modified`` and ``record_failure`` release the
        lease with the poll's result (a lease another worker took since is left alone)."""

    async def release_feeds(self, feed_ids: Sequence[int]) -> int:
        """Give up this worker's leases on ``feed_ids`` without a result (a poll that was
        cancelled, a feed removed from feeds.yaml meanwhile); return how many."""

    async def fetch_history(self, feed_id: int, limit: int = 10) -> list[FetchRecord]:
        """The feed's last ``limit`` fetches, newest first (the last 50 are kept)."""

    # ------------------------------------------------------------- items and search

    async def unseen_keys(self, feed_id: int, keys: Iterable[str]) -> set[str]:
        """The keys among ``keys`` that this feed has never had (however long ago)."""

    async def search(
        self, match: str, since: datetime, now: datetime, *, limit: int = 10
    ) -> list[SearchHit]:
        """Items published (or first seen) since ``since`` whose title or text matches the
        expression ``match`` (``bot.searchtext.fts_query``: CJK as bigrams), best first:
        relevance, a title hit counting double, weighed down by age (a week-old item needs
        twice the relevance of a new one). Raises StorageError on a malformed expression."""

    async def items_since(self, since: datetime, *, limit: int = 2000) -> list[Item]:
        """Items first seen since ``since`` that still have their text, newest first."""

    async def prune(self, before: datetime) -> int:
        """Forget the text (and search entry) of items first seen before ``before``; their
        dedupe keys and titles stay, so an old item still listed never alerts again.
        Return how many items were pruned."""

    async def recent_alerts(
        self,
        since: datetime,
        *,
        limit: int = 10,
        words: Sequence[str] = (),
        rule: str | None = None,
        kinds: frozenset[str] | None = None,
        stages: frozenset[str] | None = None,
        parties: frozenset[str] | None = None,
    ) -> list[RecentAlert]:
        """Stories alerted since ``since`` (muted ones included), newest first, one entry
        per story naming every rule (the reports of one story folded into one entry, with
        its id, number of reports and their languages), with the story's deal (the
        best-supported reading of its reports, as its message shows it; else the deal its
        alert recorded); only ``rule``'s when given. Every word must appear in the title or summary
        (case-insensitive, any language). With any of ``kinds``, ``stages`` or ``parties``,
        only stories with a deal of one of those kinds, at one of those stages, and with a
        party whose name or topic is one of ``parties`` (case-insensitive); a filter left
        None does not filter. At most
        ``limit``."""

    # -------------------------------------------------------- outbox and deliveries

    async def due_deliveries(self, now: datetime, *, everything: bool = False) -> list[DueDelivery]:
        """Pending deliveries whose next attempt is due at ``now`` (every pending one with
        ``everything``), oldest first."""

    async def claim_delivery(self, delivery_id: str, now: datetime) -> OutboxEntry | None:
        """Take a pending delivery for sending, in one atomic step: pending -> sending,
        owned by this process, attempts + 1. Return it as it is now (rules merged in since
        it was listed included), or None when it is no longer pending (another process
        claimed it first)."""

    async def take_over_stale_deliveries(self) -> list[OutboxEntry]:
        """Deliveries left in 'sending' by a process that is no longer alive, now owned by
        this one (the caller settles each with ``mark_*``), in outbox-id order. A delivery
        a live process is sending is left alone."""

    async def mark_sent(self, delivery_id: str, message_id: str | None, now: datetime) -> bool:
        """sending -> sent, with the channel's message id. False (and nothing changed) when
        this process does not own the delivery in 'sending'."""

    async def mark_retry(
        self,
        delivery_id: str,
        reason: str,
        next_attempt_at: datetime,
        now: datetime,
        *,
        maybe_sent: bool = False,
    ) -> bool:
        """sending -> pending, unowned, tried again at ``next_attempt_at``; ``maybe_sent``
        when the attempt may have arrived (it stays set until the delivery is settled).
        False when this process does not own the delivery in 'sending'."""

    async def mark_failed(self, delivery_id: str, reason: str, now: datetime) -> bool:
        """sending -> failed for good, with the reason. False when this process does not
        own the delivery in 'sending'."""

    async def fail_pending(self, channel: str, reason: str, now: datetime) -> int:
        """Every pending delivery to ``channel`` -> failed with ``reason`` (the channel itself
        is broken); return how many."""

    async def assign_digest(self, delivery_ids: Sequence[str], digest_id: str) -> None:
        """Record that these deliveries go out as one digest, so that a retry sends the same
        digest (same id) rather than a new grouping."""

    async def messages_sent_since(self, channel: str, since: datetime) -> int:
        """How many messages ``channel`` got since ``since``; a digest counts once (by its
        message id, else by its digest id)."""

    async def delivery_counts(self) -> dict[str, dict[str, int]]:
        """channel -> status -> number of deliveries."""

    async def channel_errors(self) -> dict[str, str]:
        """channel -> the latest error among its pending or failed deliveries."""

    async def sent_message_id(self, delivery_id: str) -> str | None:
        """The channel's message id a delivery was sent as; None when unknown or unsent."""

    # --------------------------------------------------------------------- stories

    async def story_fingerprints(self, since: datetime) -> list[tuple[str, str]]:
        """(story id, fingerprint JSON) of every report of the stories a report joined
        since ``since`` (the window), oldest published first: what the candidate index is
        rebuilt from at start."""

    async def item_digests(self, feed_id: int, keys: Sequence[str]) -> dict[str, str]:
        """The stored content digest of each of ``keys`` of this feed that has one (items
        stored before stories existed have none: they are never treated as updated)."""

    async def stories(
        self, since: datetime, *, limit: int = 10, words: Sequence[str] = ()
    ) -> list[StorySummary]:
        """Stories a report joined since ``since``, latest first, each with its first
        report, its number of reports and their languages. Every word must appear in one
        of its reports' titles (case-insensitive). At most ``limit``."""

    async def story(self, story_id: str) -> list[StoryEntry]:
        """Every report of a story, in the order they joined (the first one marked);
        empty when the story is unknown."""

    async def due_edits(self, now: datetime) -> list[str]:
        """Delivery ids whose message has an edit due at ``now`` and was sent (an edit waits
        for its message), oldest first."""

    async def claim_edit(self, delivery_id: str, now: datetime) -> EditEntry | None:
        """Take a due edit for sending (pending -> sending, owned by this process, attempts
        + 1) and return it with the channel's message id; None when it is not pending or
        its message is not sent."""

    async def mark_edit_done(self, delivery_id: str, version: int, now: datetime) -> bool:
        """The edit of ``version`` reached the channel. When a report joined meanwhile (a
        newer version), the edit stays pending, due a minute after this one (at most one
        edit of a message a minute). False when this process does not own it."""

    async def mark_edit_retry(
        self, delivery_id: str, reason: str, next_attempt_at: datetime, now: datetime
    ) -> bool:
        """sending -> pending, tried again at ``next_attempt_at``. False when this process
        does not own the edit."""

    async def mark_edit_failed(self, delivery_id: str, reason: str, now: datetime) -> bool:
        """sending -> failed, with the reason (a later report queues it again). False when
        this process does not own the edit."""

    async def release_stale_edits(self) -> int:
        """Edits a process that is gone left in 'sending' go back to pending (an edit sets
        the whole message: repeating it is harmless); return how many."""

    # ------------------------------------------------------------------ mutes, meta

    async def mute(self, rule: str, until: datetime) -> None:
        """Mute ``rule`` until ``until`` (replacing an earlier mute of it)."""

    async def unmute(self, rule: str) -> bool:
        """End the mute of ``rule``; False when it had none."""

    async def mutes(self, now: datetime) -> dict[str, datetime]:
        """Rules muted at ``now``, with the time each mute ends."""

    async def set_meta(self, key: str, value: str) -> None:
        """Store ``value`` under ``key`` (replacing any)."""

    async def get_meta(self, key: str) -> str | None:
        """The value under ``key``; None when there is none."""

    async def set_meta_once(self, key: str, value: str, *, replaces_below: str = "") -> bool:
        """Store ``value`` under ``key`` unless a value is there already, or one that sorts
        below ``replaces_below`` (an ISO time: a note that ran out); whether this call
        stored it. Of several workers asking at once, exactly one gets True."""

    async def delete_meta(self, key: str) -> bool:
        """Remove ``key``; False when it had no value."""
