"""The candidate index: which open stories an item could join, without looking at all of them.

Owns the stories of the window in memory: each story's members (fingerprints) and the keys
they are found by. A key is a plain string, so that a storage backend can keep the same
postings in a table (key, story_id) later:

* ``entry:<feed>|<entry key>`` and ``url:<canonical URL>``: the same item or article;
* ``ent:<entity id>``: a company or topic the item mentions;
* ``band:<i>:<hash>``: one of the 16 MinHash LSH bands of its shingles;
* ``title:<hash>``: its headline without the publisher suffix.

An item's candidates are the stories that share at least one key with it, so joining costs
O(stories in the window that share an entity, a band, a title or a link), not O(stories).
A story leaves the index when nothing joined it for the window (default 72 h); the decider
separately refuses joins more than the window after a story's first item. Its entries and
links are remembered longer (``memory``, default 30 days, one fingerprint per entry), so
that an entry updated late still lands in its story.
"""

from __future__ import annotations

import hashlib
import heapq
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.stories.decide import StoryView
from bot.stories.fingerprint import StoryFingerprint

MAX_MEMBERS = 32  # fingerprints kept per story; later ones still index it by link and entry
MEMORY = timedelta(days=30)


@dataclass(slots=True)
class _Story:
    story_id: str
    first: datetime
    last: datetime
    members: list[StoryFingerprint] = field(default_factory=list)
    # every key it is posted under, once each; a tuple: a set of twenty is 2 KB a story
    keys: tuple[str, ...] = ()


def keys_of(item: StoryFingerprint) -> tuple[str, ...]:
    """Every key ``item`` is found by."""
    keys = [f"entry:{item.entry}"]
    if item.url:
        keys.append(f"url:{item.url}")
    keys.extend(f"ent:{entity}" for entity in sorted(item.entities))
    keys.extend(item.band_keys())
    if item.title_core:
        digest = hashlib.blake2b(item.title_core.encode(), digest_size=8).hexdigest()
        keys.append(f"title:{digest}")
    return tuple(keys)


class StoryIndex:
    """Open stories and their postings; not thread-safe (one pipeline task owns it)."""

    def __init__(self, window: timedelta = timedelta(hours=72), memory: timedelta = MEMORY) -> None:
        self.window = window
        self.memory = max(memory, window)
        self._stories: dict[str, _Story] = {}
        # key -> the story found by it, or a set when several are: most keys (an entry, a
        # link, a band, a title) find one story, and a set for each would cost 200 bytes
        self._postings: dict[str, str | set[str]] = {}
        self._expiry: list[tuple[datetime, str]] = []
        # closed stories' entries and links: key -> (story id, last fingerprint, closed at)
        self._closed: dict[str, tuple[str, StoryFingerprint, datetime]] = {}
        self._forget: list[tuple[datetime, str]] = []

    def __len__(self) -> int:
        return len(self._stories)

    def candidates(self, item: StoryFingerprint) -> list[StoryView]:
        """The open stories that share a key with ``item``."""
        found: dict[str, None] = {}
        for key in keys_of(item):
            for story_id in self._posted(key):
                found.setdefault(story_id, None)
        return [self.view(story_id) for story_id in found]

    def view(self, story_id: str) -> StoryView:
        story = self._stories[story_id]
        return StoryView(story.story_id, story.first, tuple(story.members))

    def __contains__(self, story_id: str) -> bool:
        return story_id in self._stories

    def member(self, entry: str) -> tuple[str, StoryFingerprint] | None:
        """The story and the fingerprint last recorded for a feed entry (open or closed)."""
        for story_id in self._posted(f"entry:{entry}"):
            for member in self._stories[story_id].members:
                if member.entry == entry:
                    return story_id, member
        closed = self._closed.get(f"entry:{entry}")
        return (closed[0], closed[1]) if closed else None

    def closed_story(self, item: StoryFingerprint) -> tuple[str, str] | None:
        """A closed story that had this entry or link: (story id, "same entry"/"same URL")."""
        closed = self._closed.get(f"entry:{item.entry}")
        if closed:
            return closed[0], "same entry"
        closed = self._closed.get(f"url:{item.url}") if item.url else None
        return (closed[0], "same URL") if closed else None

    def add(self, story_id: str, item: StoryFingerprint) -> None:
        """Record ``item`` in story ``story_id`` (a new story when the id is new). An item
        of an entry already in the story replaces its earlier version."""
        story = self._stories.get(story_id)
        if story is None:
            story = _Story(story_id, item.published, item.published)
            self._stories[story_id] = story
        story.last = max(story.last, item.published)
        story.first = min(story.first, item.published)
        for index, member in enumerate(story.members):
            if member.entry == item.entry:
                story.members[index] = item
                break
        else:
            if len(story.members) < MAX_MEMBERS:
                story.members.append(item)
        keys = keys_of(item)
        known = set(story.keys)
        story.keys += tuple(key for key in dict.fromkeys(keys) if key not in known)
        for key in keys:
            self._post(key, story_id)
        heapq.heappush(self._expiry, (story.last, story_id))

    def replace(self, item: StoryFingerprint) -> None:
        """Swap in a member's new version with the same item id (an embedding added)."""
        for story_id in self._posted(f"entry:{item.entry}"):
            members = self._stories[story_id].members
            for index, member in enumerate(members):
                if member.item_id == item.item_id:
                    members[index] = item

    def expire(self, now: datetime) -> int:
        """Close the stories nothing joined for the window; returns how many closed."""
        closed = 0
        while self._expiry and self._expiry[0][0] < now - self.window:
            last, story_id = heapq.heappop(self._expiry)
            story = self._stories.get(story_id)
            if story is None or story.last != last:
                continue  # joined since: a newer entry in the heap stands for it
            for key in story.keys:
                self._unpost(key, story_id)
            for member in story.members:
                for key in (f"entry:{member.entry}", f"url:{member.url}" if member.url else ""):
                    if key:
                        self._closed[key] = (story_id, member, now)
                        heapq.heappush(self._forget, (now, key))
            del self._stories[story_id]
            closed += 1
        while self._forget and self._forget[0][0] < now - self.memory:
            at, key = heapq.heappop(self._forget)
            entry = self._closed.get(key)
            if entry is not None and entry[2] == at:
                del self._closed[key]
        return closed

    def _posted(self, key: str) -> tuple[str, ...] | set[str]:
        """The open stories found by ``key``."""
        posted = self._postings.get(key)
        if posted is None:
            return ()
        return (posted,) if isinstance(posted, str) else posted

    def _post(self, key: str, story_id: str) -> None:
        posted = self._postings.get(key)
        if posted is None:
            self._postings[key] = story_id
        elif isinstance(posted, str):
            if posted != story_id:
                self._postings[key] = {posted, story_id}
        else:
            posted.add(story_id)

    def _unpost(self, key: str, story_id: str) -> None:
        posted = self._postings.get(key)
        if posted is None:
            return
        if isinstance(posted, str):
            if posted == story_id:
                del self._postings[key]
            return
        posted.discard(story_id)
        if len(posted) == 1:
            self._postings[key] = next(iter(posted))
        elif not posted:
            del self._postings[key]
