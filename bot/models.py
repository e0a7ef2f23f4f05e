"""Frozen values that cross module boundaries: items, matches, alert messages, delivery results.

Separate types for separate stages: a parsed ``Item`` (what a feed said), a ``Match``
(what the matcher found in it), an ``AlertMessage`` (what a channel is asked to show) and a
``DeliveryResult`` (what the channel answered).
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.deals.model import Deal


@dataclass(frozen=True, slots=True)
class Item:
    """One feed entry, normalized: plain text, absolute links, aware UTC time."""

    key: str  # dedupe key within its feed: "id:…", "url:…" or "hash:…"
    title: str
    text: str
    link: str | None
    canonical_url: str | None
    published: datetime | None  # None when the feed gave no usable date
    language: str | None
    author: str | None = None
    # what cleaning removed from the text (boilerplate: "related: …", "byline: …"), short,
    # for debugging; never matched, summarized or indexed
    removed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed document after parsing: its own metadata and its normalized items."""

    format: str  # e.g. "rss20", "atom10", "json1"
    title: str
    link: str | None
    language: str | None
    items: tuple[Item, ...]
    warning: str | None = None  # set when the document was malformed but recoverable


@dataclass(frozen=True, slots=True)
class Match:
    """What the matcher found in one text: topic names and the surface strings that matched."""

    topics: frozenset[str]
    surfaces: dict[str, tuple[str, ...]] = field(default_factory=dict)  # topic -> surfaces

    def terms_for(self, topics: frozenset[str] | set[str]) -> tuple[str, ...]:
        """Distinct surface strings of the given topics, in topic-name order."""
        seen: dict[str, None] = {}
        for topic in sorted(topics):
            for surface in self.surfaces.get(topic, ()):
                seen.setdefault(surface, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class StorySource:
    """One report of a story as a message lists it ("Also reported by: heise (de)")."""

    feed: str
    title: str
    url: str | None
    language: str | None
    published: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "feed": self.feed,
            "title": self.title,
            "url": self.url,
            "language": self.language,
            "published": iso_utc(self.published),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StorySource:
        return cls(
            feed=data["feed"],
            title=data["title"],
            url=data.get("url"),
            language=data.get("language"),
            published=datetime.fromisoformat(data["published"]),
        )


@dataclass(frozen=True, slots=True)
class AlertMessage:
    """What a channel is asked to post: one story, named by every rule that routed it there."""

    id: str  # the outbox id; doubles as an idempotency key (at most 25 characters)
    channel: str
    rules: tuple[str, ...]
    feed: str
    title: str
    url: str | None
    canonical_url: str | None
    published: datetime
    summary: str
    topics: tuple[str, ...]
    terms: tuple[str, ...]
    language: str | None
    author: str | None = None
    story: str | None = None  # the story's id (shown in the footer: `story ID`)
    # every report of the story known when the message was made, the first one first
    sources: tuple[StorySource, ...] = ()
    # what an edit of this message changes: "sources" (a report joined), "title", "facts"
    changed: tuple[str, ...] = ()
    deal: Deal | None = None  # what the item reports as a deal (bot.deals)
    stage_was: str | None = None  # the deal's stage in an earlier alert, when it moved

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["rules"] = list(self.rules)
        data["topics"] = list(self.topics)
        data["terms"] = list(self.terms)
        data["published"] = iso_utc(self.published)
        data["sources"] = [source.to_json() for source in self.sources]
        data["changed"] = list(self.changed)
        data["deal"] = self.deal.to_json() if self.deal else None
        return data

    @property
    def also_reported(self) -> tuple[StorySource, ...]:
        """The story's other reports: every source but the one this message shows."""
        own = (self.feed, self.url)
        return tuple(s for s in self.sources if (s.feed, s.url) != own)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AlertMessage:
        return cls(
            id=data["id"],
            channel=data["channel"],
            rules=tuple(data["rules"]),
            feed=data["feed"],
            title=data["title"],
            url=data.get("url"),
            canonical_url=data.get("canonical_url"),
            published=datetime.fromisoformat(data["published"]),
            summary=data["summary"],
            topics=tuple(data["topics"]),
            terms=tuple(data["terms"]),
            language=data.get("language"),
            author=data.get("author"),
            story=data.get("story"),
            sources=tuple(StorySource.from_json(s) for s in data.get("sources") or ()),
            changed=tuple(data.get("changed") or ()),
            deal=Deal.from_json(data.get("deal")),
            stage_was=data.get("stage_was"),
        )


@dataclass(frozen=True, slots=True)
class MessageRef:
    """Where a channel put a message: its id there (a Discord message id, a Slack ts)."""

    channel: str
    message_id: str


class DeliveryStatus(enum.Enum):
    SENT = "sent"
    RETRY = "retry"  # may pass: keep pending, try again later
    FAILED = "failed"  # cannot pass: give up, with the reason


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """A channel's answer to a send; channels return it instead of raising."""

    status: DeliveryStatus
    ref: MessageRef | None = None
    reason: str | None = None
    retry_after: float | None = None  # seconds, when the channel said how long to wait
    # a failure of the channel itself (no access, unknown channel), not of this message:
    # the rest of its queue fails with the same reason instead of being tried one by one
    channel_broken: bool = False
    # a retry after an attempt whose fate is unknown (a timeout, a 5xx): the message may
    # have arrived, so the channel is asked (find_sent) before the alert is sent again
    uncertain: bool = False

    @classmethod
    def sent(cls, ref: MessageRef | None) -> DeliveryResult:
        return cls(DeliveryStatus.SENT, ref=ref)

    @classmethod
    def retry(
        cls, reason: str, retry_after: float | None = None, *, uncertain: bool = False
    ) -> DeliveryResult:
        return cls(
            DeliveryStatus.RETRY, reason=reason, retry_after=retry_after, uncertain=uncertain
        )

    @classmethod
    def failed(cls, reason: str, *, channel_broken: bool = False) -> DeliveryResult:
        return cls(DeliveryStatus.FAILED, reason=reason, channel_broken=channel_broken)


@dataclass(frozen=True, slots=True)
class Digest:
    """Alerts folded into one message by flood control: more arrived for one channel in a
    minute than ``settings.max_per_minute`` allows."""

    id: str  # derived from the alerts' ids, so a resend after a crash has the same one
    channel: str
    messages: tuple[AlertMessage, ...]

    @classmethod
    def of(cls, messages: tuple[AlertMessage, ...]) -> Digest:
        joined = " ".join(message.id for message in messages)
        return cls("dg" + hashlib.sha256(joined.encode()).hexdigest()[:22], messages[0].channel,
                   messages)  # fmt: skip


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z suffix, second precision."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class FeedState:
    """A feed as the database knows it: identity, HTTP validators, health, schedule."""

    id: int  # stable across renames and redirects
    name: str
    url: str  # the URL polled; follows permanent redirects
    config_url: str  # the URL as written in feeds.yaml
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    first_success_at: datetime | None = None  # None until a poll succeeded: backfill applies
    last_poll_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None
    error_since: datetime | None = None
    failures: int = 0
    next_poll_at: datetime | None = None
    unhealthy_reported_at: datetime | None = None
    items_seen: int = 0
    body_hash: str | None = None  # of the last body parsed

    @property
    def is_first_poll(self) -> bool:
        return self.first_success_at is None


@dataclass(frozen=True, slots=True)
class AlertDraft:
    """What the pipeline decided for one item and one rule; storage turns it into rows."""

    rule: str
    item_key: str
    story: str  # canonical link, or a key unique to the item when it has none
    topics: tuple[str, ...]
    terms: tuple[str, ...]
    summary: str
    channels: tuple[str, ...]
    muted: bool = False  # recorded (news shows it) but sent nowhere
    # the story (bot.stories) the item was placed in: one message per story and channel
    story_id: str | None = None
    deal: Deal | None = None  # read from the item's text (bot.deals)
    stage_was: str | None = None  # the same deal's stage in an earlier alert, when it moved


@dataclass(frozen=True, slots=True)
class StoryReport:
    """An item of a poll placed in a story (``bot.storyflow``), for storage to record."""

    story_id: str
    item_key: str  # the item's key in the polled feed
    feed: str
    title: str
    url: str | None
    language: str | None
    published: datetime
    reason: str  # why it joined ("same URL", "near-duplicate"…) or "new story"
    fingerprint: str  # JSON (bot.storyflow.dump_fingerprint): the index is rebuilt from it
    new: bool = False  # the first report of its story
    # an entry stored before whose title or text changed: what changed materially
    # (("title",), ("facts",)…; empty: cosmetic)
    changed: tuple[str, ...] | None = None
    deal: Deal | None = None  # the deal the item reads (its draft's), when a rule fired on it
    stage_was: str | None = None  # its draft's: the deal's stage in an earlier alert


@dataclass(frozen=True, slots=True)
class StoryEntry:
    """One report of a story as ``story ID`` lists it."""

    feed: str
    title: str
    url: str | None
    language: str | None
    published: datetime
    joined_at: datetime
    reason: str
    first: bool


@dataclass(frozen=True, slots=True)
class StorySummary:
    """A story as ``news`` lists it: its first report, how many reports, in how many
    languages."""

    story_id: str
    title: str
    feed: str
    url: str | None
    first_at: datetime
    last_at: datetime
    sources: int
    languages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EditEntry:
    """An edit of a sent message waiting in (or taken from) the outbox: the whole message
    as it must now read (an edit is idempotent), where it was sent, and its version."""

    delivery_id: str
    message: AlertMessage
    message_id: str | None  # the channel's id of the message; None: it cannot be edited
    version: int
    attempts: int
    digest: bool = False  # the message went out in a digest: not edited (it shows others)


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """A delivery waiting in (or taken from) the outbox."""

    message: AlertMessage
    status: str  # pending | sending | sent | failed
    attempts: int
    last_error: str | None = None
    digest: str | None = None  # the digest it was folded into, resent as the same one
    maybe_sent: bool = False  # the last attempt may have arrived: look before resending


@dataclass(frozen=True, slots=True)
class RecentAlert:
    """One story as ``news`` lists it: every rule that matched it, newest first."""

    title: str
    feed: str
    url: str | None
    published: datetime
    alerted_at: datetime
    rules: tuple[str, ...]
    topics: tuple[str, ...]
    summary: str
    story: str | None = None  # the story's id; None for alerts from before stories
    sources: int = 1  # reports of the story
    languages: tuple[str, ...] = ()  # their languages
    deal: Deal | None = None


@dataclass(frozen=True, slots=True)
class FetchRecord:
    """One poll of a feed, for its history."""

    at: datetime
    outcome: str  # ok | not-modified | failed
    detail: str
    new_items: int


@dataclass(frozen=True, slots=True)
class SearchHit:
    title: str
    text: str
    url: str | None
    feed: str
    published: datetime
    deal: Deal | None = None  # the deal of the item's story (``bot.deals.stages.story_deal``)
