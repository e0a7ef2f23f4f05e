"""One poll of one feed: fetch -> parse -> dedupe (and updated entries) -> match/route ->
stories (``bot.storyflow``: which story each matching item is in) -> outbox, and its
bookkeeping.

Whatever a feed does (hang, 500, HTML instead of XML, a refused address, garbage), the poll
ends with an outcome, never an exception: the error is recorded on the feed with a backoff
for its next poll (a Retry-After is honoured), and a feed that has failed for
``unhealthy_after`` is reported once.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.backoff import feed_backoff
from bot.config import Feed, format_duration
from bot.cputhread import run_cpu
from bot.deals.stages import WINDOW_DAYS, with_stage_changes
from bot.errors import FetchError, ParseError, StorageError
from bot.ingest.fetch import Fetcher
from bot.ingest.parsepool import ParsePool
from bot.liveconfig import LiveConfig
from bot.models import AlertDraft, AlertMessage, FeedState, Item, utcnow
from bot.redact import redact
from bot.route import assemble_alert, draft_alerts, shared_links
from bot.store import PollSuccess, Store
from bot.storyflow import StoryDesk, content_digest
from bot.text import display_url

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PollOutcome:
    feed: str
    status: str  # ok | not-modified | failed
    new_items: int = 0
    messages: tuple[AlertMessage, ...] = ()
    error: str | None = None
    reports: tuple[str, ...] = field(default=())  # for the admin channels


MAX_REMOVED_SHOWN = 3  # records of removed boilerplate kept in a poll's history line
EARLIER_DEALS = 200  # recent alerts with a deal of the same kinds, looked through for stages


def poll_notes(warning: str | None, new_items: Sequence[Item]) -> tuple[str, ...]:
    """What a poll's history line says beside its count: how the document was read (a
    guessed charset, a malformed feed parsed anyway) and what cleaning removed from the
    new items' text (out of matching, summaries and search)."""
    notes = [warning] if warning else []
    removed = [record for item in new_items for record in item.removed]
    if removed:
        shown = "; ".join(removed[:MAX_REMOVED_SHOWN])
        more = len(removed) - MAX_REMOVED_SHOWN
        notes.append(f"removed {shown}" + (f" (+{more} more)" if more > 0 else ""))
    return tuple(notes)


class Pipeline:
    def __init__(
        self,
        live: LiveConfig,
        store: Store,
        fetcher: Fetcher,
        parser: ParsePool,
        *,
        clock: Callable[[], datetime] = utcnow,
        stories: StoryDesk | None = None,
    ) -> None:
        self.live = live  # the configuration and matcher in force, read at each poll
        self.store = store
        self.fetcher = fetcher
        self.parser = parser
        self.clock = clock
        # which story each matching item is in (one desk for every feed)
        self.stories = stories if stories is not None else StoryDesk(live, store)

    async def poll(self, feed: Feed, state: FeedState) -> PollOutcome:
        """Poll ``feed`` once; StorageError is the only exception that escapes. How many
        polls run at once, and against which host, is the poll queue's business."""
        try:
            return await self._poll(feed, state)
        except (FetchError, ParseError) as exc:
            return await self._failed(feed, state, exc)
        except StorageError:
            raise
        except Exception as exc:  # a bug must not stop the other feeds
            log.exception("feed %s: unexpected error", feed.name)
            return await self._failed(feed, state, exc)

    async def _poll(self, feed: Feed, state: FeedState) -> PollOutcome:
        result = await self.fetcher.fetch(
            state.url, etag=state.etag, last_modified=state.last_modified
        )
        now = self.clock()
        next_poll = now + feed.interval
        recovered = self._recovery_report(feed, state)
        if result.not_modified:
            await self.store.record_not_modified(state, next_poll, now)
            return PollOutcome(feed.name, "not-modified", reports=recovered)
        body_hash = hashlib.blake2b(result.body, digest_size=16).hexdigest()
        if body_hash == state.body_hash and not state.is_first_poll:
            # A server without ETags sending the same bytes again: nothing can be new.
            await self.store.record_not_modified(
                state,
                next_poll,
                now,
                detail="unchanged",
                etag=result.etag,
                last_modified=result.last_modified,
            )
            return PollOutcome(feed.name, "not-modified", reports=recovered)
        parsed = await self.parser.parse(result.body, result.url, result.headers)
        if parsed.warning:
            log.debug("feed %s: %s", feed.name, parsed.warning)
        unseen = await self.store.unseen_keys(state.id, (item.key for item in parsed.items))
        new_items = [item for item in parsed.items if item.key in unseen]
        updated = await self._updated(state, parsed.items, unseen)
        drafted = [*new_items, *updated]
        drafts = await self._draft(state, drafted, parsed.items, now) if drafted else []
        placed = await self.stories.place(
            feed.name,
            state.id,
            drafted,
            drafts,
            now,
            updated=(item.key for item in updated),
            shared=shared_links(parsed.items),
        )
        if result.permanent_url and result.permanent_url != state.url:
            log.info(
                "feed %s moved permanently to %s", feed.name, display_url(result.permanent_url)
            )
        poll = PollSuccess(
            etag=result.etag,
            last_modified=result.last_modified,
            title=parsed.title or None,
            moved_to=result.permanent_url,
            next_poll_at=next_poll,
            body_hash=body_hash,
            notes=poll_notes(parsed.warning, new_items),
        )
        messages = await self.store.record_success(
            state,
            poll,
            new_items,
            placed.drafts,
            now,
            assemble=assemble_alert,
            updated=updated,
            stories=placed.reports,
            digests={item.key: content_digest(item) for item in drafted},
        )
        return PollOutcome(
            feed.name, "ok", new_items=len(new_items), messages=tuple(messages), reports=recovered
        )

    async def _updated(
        self, state: FeedState, items: Sequence[Item], unseen: set[str]
    ) -> list[Item]:
        """Entries seen before whose title or text changed since (same key): their new
        versions. Items stored before stories existed have no digest and never count."""
        seen = [item for item in items if item.key not in unseen]
        if not seen or state.is_first_poll:
            return []
        stored = await self.store.item_digests(state.id, [item.key for item in seen])
        return [
            item for item in seen if item.key in stored and stored[item.key] != content_digest(item)
        ]

    async def _draft(
        self, state: FeedState, new_items: list[Item], all_items: Sequence[Item], now: datetime
    ) -> list[AlertDraft]:
        """Match, read deals and summarize in a thread (CPU-bound); muted rules are drafted as
        muted; a deal that moved on since an earlier alert says from which stage."""
        drafts = await self._match(state, new_items, all_items, now)
        return await self._stage_changes(drafts, now)

    async def _match(
        self, state: FeedState, new_items: list[Item], all_items: Sequence[Item], now: datetime
    ) -> list[AlertDraft]:
        muted = frozenset(await self.store.mutes(now))
        config, matcher = self.live.config, self.live.matcher
        return await run_cpu(
            draft_alerts,
            state.id,
            new_items,
            first_poll=state.is_first_poll,
            backfill=config.settings.backfill,
            matcher=matcher,
            alerts=config.alerts,
            now=now,
            shared=shared_links(all_items),
            muted=muted,
        )

    async def _stage_changes(self, drafts: list[AlertDraft], now: datetime) -> list[AlertDraft]:
        """Drafts whose deal was alerted earlier at a stage behind, with that stage."""
        kinds = frozenset(draft.deal.kind for draft in drafts if draft.deal is not None)
        if not kinds:
            return drafts
        earlier = await self.store.recent_alerts(
            now - timedelta(days=WINDOW_DAYS), limit=EARLIER_DEALS, kinds=kinds
        )
        deals = [alert.deal for alert in earlier if alert.deal is not None]
        return await run_cpu(with_stage_changes, drafts, deals)

    async def _failed(self, feed: Feed, state: FeedState, exc: Exception) -> PollOutcome:
        now = self.clock()
        error = str(exc) if isinstance(exc, FetchError | ParseError) else f"internal error: {exc!r}"
        error = redact(error)  # stored and shown to every user: no secret, no credential
        delay = feed_backoff(feed.interval.total_seconds()).delay(state.failures + 1)
        retry_after = exc.retry_after if isinstance(exc, FetchError) else None
        if retry_after is not None:
            delay = max(delay, retry_after)
        failing_since = state.error_since or now
        unhealthy_after = self.live.config.settings.unhealthy_after
        turned_unhealthy = (
            state.unhealthy_reported_at is None and now - failing_since >= unhealthy_after
        )
        await self.store.record_failure(
            state, error, now + timedelta(seconds=delay), now, reported_unhealthy=turned_unhealthy
        )
        shown = format_duration(timedelta(seconds=delay), units=2)
        log.warning("feed %s failed: %s (next try in %s)", feed.name, error, shown)
        reports: tuple[str, ...] = ()
        if turned_unhealthy:
            reports = (
                f"feed {feed.name} is unhealthy: failing since {failing_since:%Y-%m-%d %H:%M} UTC"
                f" ({state.failures + 1} attempts); last error: {error}",
            )
        return PollOutcome(feed.name, "failed", error=error, reports=reports)

    @staticmethod
    def _recovery_report(feed: Feed, state: FeedState) -> tuple[str, ...]:
        if state.unhealthy_reported_at is None:
            return ()
        return (f"feed {feed.name} has recovered",)
