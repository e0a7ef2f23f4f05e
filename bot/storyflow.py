"""The pipeline's story desk: each new matching item placed in a story, across feeds and
languages, and each updated entry compared with its last version.

Owns the one ``StoryClusterer`` of the process (``bot.stories``: pure, in memory) and what
connects it to the bot: it is built on first use from the stories still open in the store
(``Store.story_fingerprints``: the candidate index is rebuilt from the stored fingerprints
rather than kept as postings, which are derived data whose keys change with the decider),
rebuilt when ``settings.story_window`` changes, and used by one poll at a time (a lock;
the CPU work and a first load of the sentence model run in a thread). The model is
optional and loaded lazily by ``SentenceEmbedder`` when a decision needs it; without it one
log line says so and the URL, near-duplicate and fact signals decide.

Its answer for a poll: the drafts of placed items carrying their story id, and a
``StoryReport`` per placed item (with the deal its item reads), which storage records with
the poll.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.cputhread import run_cpu
from bot.liveconfig import LiveConfig
from bot.models import AlertDraft, Item, StoryReport
from bot.store import Store

if TYPE_CHECKING:  # bot.stories (numpy, regex, the company table) loads on first use
    from bot.stories import StoryClusterer, StoryFingerprint
    from bot.stories.embed import Embedder
    from bot.stories.fingerprint import EntityFinder

log = logging.getLogger(__name__)

NEW_STORY = "new story"


def content_digest(item: Item) -> str:
    """What tells an updated entry from the same one: its title and text as cleaned."""
    data = f"{item.title}\x00{item.text}".encode()
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def report_id(feed_id: int, key: str) -> str:
    """A report's id, and the id of the story it starts: short enough to type in
    ``story ID``, stable for an entry (its feed's id survives renames)."""
    return "s" + hashlib.blake2b(f"{feed_id}|{key}".encode(), digest_size=5).hexdigest()


@dataclass(frozen=True, slots=True)
class Placed:
    """A poll's items in their stories."""

    drafts: tuple[AlertDraft, ...]  # every draft, those of placed items with a story id
    reports: tuple[StoryReport, ...]


class StoryDesk:
    def __init__(self, live: LiveConfig, store: Store, *, embedder: Embedder | None = None) -> None:
        self.live = live
        self.store = store
        self._embedder = embedder
        self._clusterer: StoryClusterer | None = None
        self._window: timedelta | None = None
        self._companies: EntityFinder | None = None
        self._lock = asyncio.Lock()

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:  # says once, here, whether the model is installed
            from bot.stories import SentenceEmbedder

            self._embedder = SentenceEmbedder()
        return self._embedder

    async def place(
        self,
        feed: str,
        feed_id: int,
        items: Sequence[Item],
        drafts: Sequence[AlertDraft],
        now: datetime,
        *,
        updated: Iterable[str] = (),
        shared: frozenset[str] = frozenset(),
    ) -> Placed:
        """Place every item of ``items`` that has a draft, and every entry of ``updated``
        (keys of items stored before whose content changed) that is in a story already.
        A link in ``shared`` (several entries of one document use it: a home page) joins
        nothing (``bot.route.shared_links``)."""
        matched = {draft.item_key for draft in drafts}
        changed = set(updated)
        if not matched and not changed:
            return Placed(tuple(drafts), ())
        from bot.stories.entities import combined, topic_finder

        async with self._lock:
            clusterer = await self._ready(now)
            entities = combined(self._company_finder(), topic_finder(self.live.matcher))
            placements = await run_cpu(
                self._place_all,
                clusterer,
                feed_id,
                items,
                matched,
                changed,
                entities,
                now,
                shared,
            )
        story_of = {key: report.story_id for key, report in placements}
        # each report carries the deal its item reads: a story's deal is read from them all
        read = {draft.item_key: draft for draft in drafts if draft.deal is not None}
        reports = tuple(
            replace(report, feed=feed, deal=read[key].deal, stage_was=read[key].stage_was)
            if key in read else replace(report, feed=feed)
            for key, report in placements
        )  # fmt: skip
        placed = tuple(
            replace(draft, story_id=story_of[draft.item_key]) if draft.item_key in story_of
            else draft
            for draft in drafts
        )  # fmt: skip
        return Placed(placed, reports)

    def _place_all(
        self,
        clusterer: StoryClusterer,
        feed_id: int,
        items: Sequence[Item],
        matched: set[str],
        changed: set[str],
        entities: EntityFinder | None,
        now: datetime,
        shared: frozenset[str],
    ) -> list[tuple[str, StoryReport]]:
        from bot.stories import fingerprint

        placed: list[tuple[str, StoryReport]] = []
        for item in items:
            entry = f"{feed_id}|{item.key}"
            update = item.key in changed
            if item.key not in matched and not (update and clusterer.index.member(entry)):
                continue
            linked = item
            if item.canonical_url in shared:  # not this entry's own link: compare no link
                linked = replace(item, canonical_url=None, link=None)
            fp = fingerprint(
                linked,
                str(feed_id),
                item_id=report_id(feed_id, item.key),
                entities=entities,
                published=now,
            )
            placement = clusterer.place(fp)
            if placement.embedded:
                log.debug("stories: %d embeddings for %s", placement.embedded, fp.item_id)
            changes = placement.changes if update else None
            report = self._report(
                item, fp, placement.story_id, placement.reason, placement.new, changes
            )
            placed.append((item.key, report))
        return placed

    @staticmethod
    def _report(
        item: Item,
        fp: StoryFingerprint,
        story_id: str,
        reason: str,
        new: bool,
        changes: tuple[str, ...] | None,
    ) -> StoryReport:
        from bot.stories.persist import dump_fingerprint

        return StoryReport(
            story_id=story_id,
            item_key=item.key,
            feed="",  # the feed's name, set by ``place``
            title=fp.title,
            url=item.link,
            language=fp.language,
            published=fp.published,
            reason=NEW_STORY if new else reason,
            fingerprint=dump_fingerprint(fp),
            new=new,
            changed=changes,
        )

    def _company_finder(self) -> EntityFinder | None:
        if self._companies is None:
            from bot.stories.entities import company_finder

            self._companies = company_finder()
        return self._companies

    async def _ready(self, now: datetime) -> StoryClusterer:
        """The clusterer, built (or rebuilt, when the window changed) from the store."""
        window = self.live.config.settings.story_window
        if self._clusterer is not None and self._window == window:
            return self._clusterer
        from bot.stories import StoryClusterer
        from bot.stories.persist import load_fingerprint

        stored = await self.store.story_fingerprints(now - window)
        clusterer = StoryClusterer(window=window, embedder=self.embedder)
        count = await run_cpu(
            clusterer.restore, ((story, load_fingerprint(text)) for story, text in stored)
        )
        if count:
            log.info("stories: %d reports of open stories restored", count)
        self._clusterer, self._window = clusterer, window
        return clusterer
