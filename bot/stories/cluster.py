"""Placing items into stories: the index, the decider and the optional model, together.

Owns the loop for one item: close the stories the window left behind, fetch the candidates
from the index, ask the decider, compute the embeddings it asks for (loading the model the
first time), ask again, and record the item in its story. An item of an entry already in a
story (an updated entry) reports what changed in it (``changes``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.stories.changes import changes
from bot.stories.decide import Join, NeedEmbeddings, NewStory, Policy, StoryView, decide
from bot.stories.embed import Embedder
from bot.stories.fingerprint import StoryFingerprint
from bot.stories.index import StoryIndex


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an item went: its story, whether the story is new, why, and for an updated
    entry what changed materially (empty: cosmetic)."""

    story_id: str
    new: bool
    reason: str
    score: float
    changes: tuple[str, ...] | None = None  # None unless the item updates an entry
    embedded: int = 0  # embeddings computed for this decision


class StoryClusterer:
    """Stories of the last ``window``, in memory."""

    def __init__(
        self,
        *,
        window: timedelta = timedelta(hours=72),
        embedder: Embedder | None = None,
        policy: Policy | None = None,
    ) -> None:
        self.embedder = embedder if embedder is not None and embedder.available else None
        self.policy = replace(policy or Policy(), window=window, model=self.embedder is not None)
        self.index = StoryIndex(window)
        self._clock: datetime | None = None

    def restore(self, stored: Iterable[tuple[str, StoryFingerprint]]) -> int:
        """Put back the reports of the stories still open (story id, fingerprint; oldest
        first), as storage kept them: the index after a restart is the one before it.
        Returns how many reports."""
        count = 0
        for story_id, item in stored:
            self.index.add(story_id, item)
            clock = self._clock or item.published
            self._clock = max(clock, item.published)
            count += 1
        return count

    def place(self, item: StoryFingerprint) -> Placement:
        now = item.published if self._clock is None else max(self._clock, item.published)
        self._clock = now
        self.index.expire(now)
        previous = self.index.member(item.entry)
        candidates = self.index.candidates(item)
        decision = decide(item, candidates, self.policy)
        embedded = 0
        if isinstance(decision, NeedEmbeddings):
            item, candidates, embedded = self._embed(item, candidates, decision.item_ids)
            decision = decide(item, candidates, self.policy)
        closed = self.index.closed_story(item)
        if isinstance(decision, Join):
            placement = Placement(decision.story_id, False, decision.reason, decision.score)
        elif closed is not None:  # an entry or link of a story the window closed
            placement = Placement(closed[0], False, closed[1], 1.0)
        else:
            reason = decision.reason if isinstance(decision, NewStory) else "no match"
            placement = Placement(self._new_id(item.item_id), True, reason, 0.0)
        if previous is not None and placement.story_id == previous[0]:
            placement = Placement(
                placement.story_id, False, placement.reason, placement.score,
                tuple(changes(previous[1], item)), embedded,
            )  # fmt: skip
        elif embedded:
            placement = Placement(
                placement.story_id, placement.new, placement.reason, placement.score,
                None, embedded,
            )  # fmt: skip
        self.index.add(placement.story_id, item)
        return placement

    def _new_id(self, item_id: str) -> str:
        story_id, n = item_id, 1
        while story_id in self.index:
            n += 1
            story_id = f"{item_id}#{n}"
        return story_id

    def _embed(
        self, item: StoryFingerprint, candidates: list[StoryView], wanted: tuple[str, ...]
    ) -> tuple[StoryFingerprint, list[StoryView], int]:
        assert self.embedder is not None  # the policy asks for embeddings only with a model
        todo: dict[str, StoryFingerprint] = {}
        for fp in (item, *(m for story in candidates for m in story.members)):
            if fp.item_id in wanted and fp.embedding is None:
                todo.setdefault(fp.item_id, fp)
        vectors = self.embedder.embed([fp.embed_text for fp in todo.values()])
        done = {
            fp.item_id: fp.with_embedding(v) for fp, v in zip(todo.values(), vectors, strict=True)
        }
        for fp in done.values():
            if fp.item_id != item.item_id:
                self.index.replace(fp)
        item = done.get(item.item_id, item)
        refreshed = [self.index.view(story.story_id) for story in candidates]
        return item, refreshed, len(done)
