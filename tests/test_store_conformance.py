"""The store conformance suite: what every backend of ``bot.store.Store`` must do.

Written against the Protocol only (no SQL, no backend attribute), and run once per backend
in BACKENDS: a PostgreSQL backend joins with one line there. Each test names the Protocol
methods it covers; together they cover all of them.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from bot.deals import Amount, Deal, Party
from bot.models import AlertDraft, AlertMessage, FeedState, Item, StoryReport
from bot.route import assemble_alert
from bot.searchtext import fts_query
from bot.store import FeedIdentity, PollSuccess, Store, open_store
from tests.helpers import synced

Opener = Callable[[], Awaitable[Store]]  # opens the backend's one database (again)

BACKENDS: dict[str, Callable[[pytest.FixtureRequest, Path], Opener]] = {
    "sqlite": lambda request, folder: lambda: open_store(folder / "db.sqlite"),
    # a real server (tests/pg_support.py), a new database per test
    "postgresql": lambda request, folder: partial(
        open_store, request.getfixturevalue("postgres").fresh_database()
    ),
}

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
CHANNEL = "jsonl:alerts.jsonl"
OTHER = "jsonl:other.jsonl"


@pytest.fixture(params=sorted(BACKENDS))
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Opener:
    return BACKENDS[request.param](request, tmp_path)


@pytest.fixture
async def store(opener: Opener) -> AsyncIterator[Store]:
    opened = await opener()
    try:
        yield opened
    finally:
        await opened.close()


def item(key: str, title: str, text: str = "", *, link: str | None = None, **more: object) -> Item:
    link = link or f"https://news.example/{key}"
    fields: dict[str, object] = {
        "key": key, "title": title, "text": text, "link": link, "canonical_url": link,
        "published": NOW - timedelta(hours=1), "language": "en", "author": None,
    } | more  # fmt: skip
    return Item(**fields)  # type: ignore[arg-type]


def draft(
    found: Item,
    rule: str = "ev",
    *,
    channels: Sequence[str] = (CHANNEL,),
    topics: Sequence[str] = ("ev",),
    muted: bool = False,
    deal: Deal | None = None,
) -> AlertDraft:
    return AlertDraft(
        rule=rule,
        item_key=found.key,
        story=found.canonical_url or found.key,
        topics=tuple(topics),
        terms=tuple(topic.upper() for topic in topics),
        summary=f"summary of {found.title}",
        channels=tuple(channels),
        muted=muted,
        deal=deal,
    )


def success(**changes: object) -> PollSuccess:
    fields: dict[str, object] = {
        "etag": '"e1"', "last_modified": "Wed, 25 Nov 2026 11:00:00 GMT", "title": "A feed",
        "moved_to": None, "next_poll_at": LATER, "body_hash": "h1",
    } | changes  # fmt: skip
    return PollSuccess(**fields)  # type: ignore[arg-type]


async def feed(store: Store, name: str = "a", url: str = "https://a.example/feed") -> FeedState:
    return (await synced(store, [FeedIdentity(name, url)], NOW))[name]


async def poll(
    store: Store,
    state: FeedState,
    items: Sequence[Item] = (),
    drafts: Sequence[AlertDraft] = (),
    *,
    at: datetime = NOW,
    **changes: object,
) -> list[AlertMessage]:
    return await store.record_success(
        state, success(**changes), items, drafts, at, assemble=assemble_alert
    )


async def one_pending(store: Store, *titles: str) -> list[str]:
    """Put one pending delivery per title in the outbox; return their ids in the outbox's
    order (by creation time, then id: these share a creation time)."""
    state = await feed(store)
    found = [item(f"k{n}", title) for n, title in enumerate(titles)]
    messages = await poll(store, state, found, [draft(i) for i in found])
    return sorted(message.id for message in messages)


# ------------------------------------------------------------------ feeds and state


async def test_a_feed_keeps_its_identity_through_rename_removal_and_return(store: Store) -> None:
    """sync_feeds, feed_states, feed_state."""
    original = (await feed(store, "a", "https://a/feed")).id
    renamed = await synced(store, [FeedIdentity("b", "https://a/feed")], NOW)
    assert renamed["b"].id == original
    gone = await synced(store, [FeedIdentity("c", "https://c/feed")], NOW)
    assert list(gone) == ["c"]
    assert await store.feed_state("b") is None  # inactive
    assert await store.feed_state("nowhere") is None
    back = await synced(
        store, [FeedIdentity("c", "https://c/feed"), FeedIdentity("a", "https://a/feed")], NOW
    )
    assert list(back) == ["a", "c"]  # in name order
    assert back["a"].id == original
    swapped = await synced(
        store, [FeedIdentity("a", "https://c/feed"), FeedIdentity("c", "https://a/feed")], NOW
    )
    assert swapped["c"].id == original  # identity follows the URL, not the name
    assert swapped == await store.feed_states()
    single = await store.feed_state("c")
    assert single is not None
    assert (single.id, single.url, single.items_seen) == (original, "https://a/feed", 0)


async def test_poll_states_are_the_feed_states_without_counts_and_due_by_a_time(
    store: Store,
) -> None:
    """poll_states: every configured feed (items_seen left at 0), or those due by a time."""
    states = await three_feeds(store)
    await poll(store, states["a"], [item("k1", "One")], next_poll_at=NOW + timedelta(minutes=5))
    await store.record_failure(states["b"], "boom", NOW + timedelta(minutes=1), NOW)
    everything = await store.feed_states()
    assert everything["a"].items_seen == 1
    polling = await store.poll_states()
    assert list(polling) == ["a", "b", "c"]
    assert polling == {
        name: dataclasses.replace(state, items_seen=0) for name, state in everything.items()
    }
    assert list(await store.poll_states(due_by=NOW)) == ["c"]  # never polled: due
    assert list(await store.poll_states(due_by=NOW + timedelta(minutes=1))) == ["b", "c"]
    assert list(await store.poll_states(due_by=NOW + timedelta(minutes=5))) == ["a", "b", "c"]
    await store.sync_feeds([FeedIdentity("c", HOSTS["c"])], NOW)  # a and b no longer configured
    assert list(await store.poll_states(due_by=LATER)) == ["c"]


async def test_every_character_and_field_of_an_item_comes_back_as_it_was_saved(
    store: Store,
) -> None:
    """record_success, items_since, unseen_keys, item_digests: quotes, backslashes, line
    breaks, JSON's and SQL's special characters, CJK, emoji, U+2028, a time to the
    microsecond and fields left empty survive the way to the database and back."""
    state = await feed(store)
    odd = 'Say "hi" \\ it\'s {"a": [1]} %(x)s $1 ? \n\tnext\u2028line 三星 삼성 🚗'
    items = [
        item("k\n\"1\"", odd, odd, author="O'Brien \\ \"x\"", language=None,
             published=datetime(2026, 3, 1, 12, 30, 45, 123456, tzinfo=UTC)),
        item("k2 ✓", "Plain", "", link="https://news.example/a?b=1&c=%22", author=None,
             published=None),
    ]  # fmt: skip
    digests = {items[0].key: "d1", items[1].key: "d2"}
    await store.record_success(
        state, success(), items, [], NOW, assemble=assemble_alert, digests=digests
    )
    back = {i.key: i for i in await store.items_since(NOW - timedelta(days=3650))}
    assert back == {i.key: i for i in items}
    assert await store.unseen_keys(state.id, [i.key for i in items] + ["k3"]) == {"k3"}
    assert await store.item_digests(state.id, [i.key for i in items]) == digests


async def test_a_successful_poll_sets_the_state_and_marks_items_seen(store: Store) -> None:
    """record_success (state), unseen_keys, feed_states (items_seen), fetch_history."""
    state = await feed(store)
    assert state.is_first_poll
    assert await store.unseen_keys(state.id, ["x", "y"]) == {"x", "y"}
    new = [item("x", "One"), item("y", "Two")]
    assert await poll(store, state, new, moved_to="https://a.example/moved") == []
    after = (await store.feed_states())["a"]
    assert not after.is_first_poll
    assert after.first_success_at == NOW
    assert (after.etag, after.last_modified, after.title, after.body_hash) == (
        '"e1"', "Wed, 25 Nov 2026 11:00:00 GMT", "A feed", "h1",
    )  # fmt: skip
    assert after.url == "https://a.example/moved"  # a permanent redirect: the new URL
    assert after.config_url == "https://a.example/feed"
    assert (after.next_poll_at, after.last_poll_at, after.items_seen) == (LATER, NOW, 2)
    assert await store.unseen_keys(state.id, ["x", "y", "z", "z"]) == {"z"}
    other = await synced(
        store,
        [FeedIdentity("a", "https://a.example/feed"), FeedIdentity("b", "https://b.example/")],
        NOW,
    )
    assert await store.unseen_keys(other["b"].id, ["x"]) == {"x"}  # keys are per feed
    await poll(store, after, [], at=LATER, title=None)
    again = await store.feed_state("a")
    assert again is not None
    assert again.first_success_at == NOW  # the first success stays
    assert again.title == "A feed"  # a poll without a title keeps the known one
    history = await store.fetch_history(state.id)
    assert [(r.at, r.outcome, r.detail, r.new_items) for r in history] == [
        (LATER, "ok", "no new items", 0),
        (NOW, "ok", "2 new items", 2),
    ]


async def test_many_keys_are_looked_up_at_once(store: Store) -> None:
    """unseen_keys with more keys than one statement's parameters, and none."""
    state = await feed(store)
    await poll(store, state, [item(f"k{n}", f"Item {n}") for n in range(1200)])
    wanted = [f"k{n}" for n in range(0, 2400, 2)]
    assert await store.unseen_keys(state.id, wanted) == {f"k{n}" for n in range(1200, 2400, 2)}
    assert await store.unseen_keys(state.id, []) == set()


async def test_an_edited_url_starts_over(store: Store) -> None:
    """sync_feeds resets a feed whose configured URL changed to one it never had."""
    state = await feed(store)
    await poll(store, state, [item("x", "One")])
    moved = await synced(store, [FeedIdentity("a", "https://a.example/new")], NOW)
    assert moved["a"].id == state.id
    assert (moved["a"].url, moved["a"].etag, moved["a"].last_modified) == (
        "https://a.example/new", None, None,
    )  # fmt: skip
    assert moved["a"].is_first_poll  # backfill applies again
    assert await store.unseen_keys(state.id, ["x"]) == set()  # the old keys stay


async def test_not_modified_and_failures(store: Store) -> None:
    """record_not_modified, record_failure, fetch_history."""
    state = await feed(store)
    await poll(store, state)
    failed_at = [NOW + timedelta(minutes=n) for n in (1, 2)]
    await store.record_failure(state, "HTTP 500", LATER, failed_at[0])
    await store.record_failure(state, "timed out", LATER, failed_at[1], reported_unhealthy=True)
    failing = await store.feed_state("a")
    assert failing is not None
    assert (failing.failures, failing.last_error) == (2, "timed out")
    assert (failing.error_since, failing.unhealthy_reported_at) == tuple(failed_at)
    assert failing.etag == '"e1"'  # validators survive a failure
    later = LATER + timedelta(minutes=5)
    await store.record_not_modified(failing, later, LATER)
    fine = await store.feed_state("a")
    assert fine is not None
    assert (fine.failures, fine.last_error, fine.error_since) == (0, None, None)
    assert fine.unhealthy_reported_at is None
    assert (fine.etag, fine.next_poll_at, fine.last_success_at) == ('"e1"', later, LATER)
    await store.record_not_modified(fine, later, later, detail="unchanged", etag='"e2"')
    newer = await store.feed_state("a")
    assert newer is not None
    assert (newer.etag, newer.last_modified) == ('"e2"', "Wed, 25 Nov 2026 11:00:00 GMT")
    history = await store.fetch_history(state.id, limit=3)
    assert [(r.outcome, r.detail) for r in history] == [
        ("not-modified", "unchanged"), ("not-modified", "not modified"), ("failed", "timed out"),
    ]  # fmt: skip


async def test_the_fetch_history_keeps_the_last_fifty(store: Store) -> None:
    """fetch_history."""
    state = await feed(store)
    for n in range(55):
        await store.record_not_modified(state, LATER, NOW + timedelta(seconds=n))
    history = await store.fetch_history(state.id, limit=100)
    assert len(history) == 50
    assert history[0].at == NOW + timedelta(seconds=54)


# ---------------------------------------------------------------- items and search


async def test_search_finds_words_in_every_language(store: Store) -> None:
    """search: CJK and Hangul as bigrams, diacritics, title hits first, the window, limit."""
    state = await feed(store)
    await poll(
        store,
        state,
        [
            item("zh", "小米汽车发布新车", "北京消息"),
            item("ja", "東京でEVを発表", "トヨタの新型"),
            item("ko", "삼성전자가 새로운 반도체를 발표했다", "서울"),
            item("fr", "Déjà une Citroën électrique", "prix en baisse"),
            item("t1", "Samsung chips", "memory prices"),
            item("t2", "Memory news", "Samsung said nothing"),
            item("old", "Samsung history", published=NOW - timedelta(days=40)),
        ],
    )
    since = NOW - timedelta(days=7)

    async def titles(query: str, limit: int = 10) -> list[str]:
        match = fts_query(query)
        assert match is not None
        return [hit.title for hit in await store.search(match, since, NOW, limit=limit)]

    assert await titles("汽车") == ["小米汽车发布新车"]
    assert await titles("東京") == ["東京でEVを発表"]
    assert await titles("삼성전자") == ["삼성전자가 새로운 반도체를 발표했다"]  # particle glued on
    assert await titles("반도체를") == ["삼성전자가 새로운 반도체를 발표했다"]
    assert await titles("deja citroen") == ["Déjà une Citroën électrique"]
    assert await titles("samsung") == ["Samsung chips", "Memory news"]  # title hit first
    assert await titles("samsung", limit=1) == ["Samsung chips"]
    assert await titles("삼성전자 東京") == []  # every word must occur
    [hit] = await store.search(fts_query("北京") or "", since, NOW)
    assert (hit.feed, hit.url, hit.text) == ("a", "https://news.example/zh", "北京消息")


async def test_pruning_forgets_text_but_not_keys(store: Store) -> None:
    """prune, items_since, search, unseen_keys."""
    state = await feed(store)
    await poll(store, state, [item("old", "Samsung old", "old text")], at=NOW - timedelta(days=9))
    await poll(store, state, [item("new", "Samsung new", "new text", author="Ann")])
    recent = await store.items_since(NOW - timedelta(days=30))
    assert [(i.key, i.text) for i in recent] == [("new", "new text"), ("old", "old text")]
    assert recent[0].author == "Ann"
    assert [i.key for i in await store.items_since(NOW - timedelta(days=30), limit=1)] == ["new"]
    assert await store.prune(NOW - timedelta(days=1)) == 1
    assert await store.prune(NOW - timedelta(days=1)) == 0
    assert [i.key for i in await store.items_since(NOW - timedelta(days=30))] == ["new"]
    hits = await store.search(fts_query("samsung") or "", NOW - timedelta(days=30), NOW)
    assert [hit.title for hit in hits] == ["Samsung new"]
    assert await store.unseen_keys(state.id, ["old", "new"]) == set()  # never alerts again


# ------------------------------------------------------------------ alerts and outbox


async def test_a_story_alerts_once_per_rule_and_a_channel_gets_one_message(store: Store) -> None:
    """record_success (alerts, outbox, merging), recent_alerts, due_deliveries."""
    states = await synced(
        store,
        [FeedIdentity("a", "https://a.example/"), FeedIdentity("b", "https://b.example/")],
        NOW,
    )
    story = item("x", "Samsung EV launch", link="https://news.example/ev")
    both = [
        draft(story, "ev"),
        draft(story, "samsung", topics=("samsung",), channels=(CHANNEL, OTHER)),
    ]
    [first, second] = await poll(store, states["a"], [story], both)
    assert (first.channel, first.rules, first.topics, first.terms) == (
        CHANNEL, ("ev", "samsung"), ("ev", "samsung"), ("EV", "SAMSUNG"),
    )  # fmt: skip
    assert (second.channel, second.rules, second.feed) == (OTHER, ("samsung",), "a")
    assert (first.title, first.url, first.summary) == (
        "Samsung EV launch", "https://news.example/ev", "summary of Samsung EV launch",
    )  # fmt: skip
    # the same story from another feed: these rules alerted it already; a new rule is
    # folded into the message still pending for the channel
    again = item("y", "Samsung EV launch (copy)", link="https://news.example/ev")
    more = [draft(again, "ev"), draft(again, "launch", topics=("launch",))]
    assert await poll(store, states["b"], [again], more) == []
    due = await store.due_deliveries(NOW)
    assert sorted((d.id, d.channel) for d in due) == sorted(
        [(first.id, CHANNEL), (second.id, OTHER)]
    )
    claimed = await store.claim_delivery(first.id, NOW)
    assert claimed is not None
    assert claimed.message.rules == ("ev", "samsung", "launch")
    assert claimed.message.topics == ("ev", "samsung", "launch")
    assert claimed.message.title == "Samsung EV launch"  # the first item's
    # once it is sending, a later rule gets nothing on that channel
    late = item("z", "Samsung EV launch again", link="https://news.example/ev")
    state_a = await store.feed_state("a")
    assert state_a is not None
    assert await poll(store, state_a, [late], [draft(late, "late")]) == []
    assert await store.claim_delivery(first.id, NOW) is None
    news = await store.recent_alerts(NOW - timedelta(hours=1))
    assert [(n.title, n.feed, n.rules) for n in news] == [
        ("Samsung EV launch again", "a", ("late",)),
        ("Samsung EV launch (copy)", "b", ("launch",)),
        ("Samsung EV launch", "a", ("samsung", "ev")),
    ]
    assert news[2].topics == ("samsung", "ev")
    assert (news[2].summary, news[2].alerted_at) == ("summary of Samsung EV launch", NOW)


async def test_recent_alerts_filter_by_words_rule_and_limit(store: Store) -> None:
    """recent_alerts; a muted draft is recorded but sends nothing."""
    state = await feed(store)
    found = [item("1", "Xiaomi EV"), item("2", "Samsung chip"), item("3", "BYD EV sales")]
    drafts = [draft(found[0]), draft(found[1], "chips"), draft(found[2], muted=True)]
    messages = await poll(store, state, found, drafts)
    assert [m.title for m in messages] == ["Xiaomi EV", "Samsung chip"]  # not the muted one
    since = NOW - timedelta(hours=1)
    assert {n.title for n in await store.recent_alerts(since)} == {
        "Xiaomi EV", "Samsung chip", "BYD EV sales",
    }  # fmt: skip
    assert {n.title for n in await store.recent_alerts(since, words=["ev"])} == {
        "Xiaomi EV", "BYD EV sales",
    }  # fmt: skip
    assert [n.title for n in await store.recent_alerts(since, words=["SUMMARY", "chip"])] == [
        "Samsung chip"
    ]
    assert [n.title for n in await store.recent_alerts(since, rule="chips")] == ["Samsung chip"]
    assert len(await store.recent_alerts(since, limit=2)) == 2
    assert await store.recent_alerts(NOW + timedelta(seconds=1)) == []


HARMAN = Deal(
    "acquisition",
    "agreed",
    (Party("Samsung Electronics", "samsung"), Party("Harman")),
    (Amount("80억 달러", 8e9, "USD"),),
)
TALKS = Deal("partnership", "talks", (Party("Samsung Electronics", "samsung"), Party("Xiaomi")))


async def test_the_deal_is_stored_with_the_alert_and_filters_recent_alerts(store: Store) -> None:
    """record_success keeps each draft's deal (with its message), recent_alerts returns it
    and filters by kinds, stages and parties."""
    state = await feed(store)
    found = [item("1", "Samsung buys Harman"), item("2", "Samsung, Xiaomi talk"),
             item("3", "Samsung chip")]  # fmt: skip
    drafts = [draft(found[0], deal=HARMAN), draft(found[1], deal=TALKS), draft(found[2])]
    messages = await poll(store, state, found, drafts)
    assert [m.deal for m in messages] == [HARMAN, TALKS, None]
    claimed = await store.claim_delivery(messages[0].id, NOW)
    assert claimed is not None
    assert claimed.message.deal == HARMAN
    since = NOW - timedelta(hours=1)

    async def titles(**filters: frozenset[str]) -> set[str]:
        return {n.title for n in await store.recent_alerts(since, **filters)}

    assert {n.title: n.deal for n in await store.recent_alerts(since)} == {
        "Samsung buys Harman": HARMAN, "Samsung, Xiaomi talk": TALKS, "Samsung chip": None,
    }  # fmt: skip
    assert await titles(kinds=frozenset({"acquisition", "merger"})) == {"Samsung buys Harman"}
    assert await titles(stages=frozenset({"talks"})) == {"Samsung, Xiaomi talk"}
    assert await titles(parties=frozenset({"SAMSUNG"})) == {
        "Samsung buys Harman", "Samsung, Xiaomi talk",
    }  # fmt: skip
    assert await titles(parties=frozenset({"harman"})) == {"Samsung buys Harman"}
    assert await titles(kinds=frozenset({"stake"})) == set()
    # the limit counts the stories that pass the filters
    assert len(await store.recent_alerts(since, limit=1, stages=frozenset({"talks"}))) == 1


async def test_claim_then_acknowledge(store: Store) -> None:
    """due_deliveries, claim_delivery, mark_sent, sent_message_id, delivery_counts,
    messages_sent_since."""
    ids = await one_pending(store, "One", "Two")
    assert [d.id for d in await store.due_deliveries(NOW - timedelta(seconds=1))] == []
    assert [d.id for d in await store.due_deliveries(NOW)] == ids
    entry = await store.claim_delivery(ids[0], NOW)
    assert entry is not None
    assert (entry.status, entry.attempts, entry.maybe_sent) == ("sending", 1, False)
    assert entry.message.id == ids[0]
    assert await store.claim_delivery(ids[0], NOW) is None  # claimed once
    assert [d.id for d in await store.due_deliveries(NOW, everything=True)] == ids[1:]
    assert await store.mark_sent(ids[0], "m-1", NOW)
    assert not await store.mark_sent(ids[0], "m-1", NOW)  # no longer sending
    assert not await store.mark_sent(ids[1], "m-2", NOW)  # never claimed
    assert await store.sent_message_id(ids[0]) == "m-1"
    assert await store.sent_message_id(ids[1]) is None
    assert await store.sent_message_id("no-such-id") is None
    assert await store.delivery_counts() == {CHANNEL: {"sent": 1, "pending": 1}}
    assert await store.messages_sent_since(CHANNEL, NOW - timedelta(minutes=1)) == 1
    assert await store.messages_sent_since(CHANNEL, NOW + timedelta(seconds=1)) == 0
    assert await store.messages_sent_since(OTHER, NOW - timedelta(minutes=1)) == 0


async def test_retry_and_give_up(store: Store) -> None:
    """mark_retry (maybe_sent stays), mark_failed, fail_pending, channel_errors."""
    ids = await one_pending(store, "One", "Two", "Three")
    assert await store.claim_delivery(ids[0], NOW) is not None
    assert await store.mark_retry(ids[0], "HTTP 503", LATER, NOW, maybe_sent=True)
    assert not await store.mark_retry(ids[0], "again", LATER, NOW)  # not sending any more
    assert [d.id for d in await store.due_deliveries(NOW)] == ids[1:]  # not due before LATER
    assert [d.id for d in await store.due_deliveries(LATER)] == ids
    entry = await store.claim_delivery(ids[0], LATER)
    assert entry is not None
    assert (entry.attempts, entry.last_error, entry.maybe_sent) == (2, "HTTP 503", True)
    assert await store.mark_retry(ids[0], "timed out", LATER, LATER, maybe_sent=False)
    assert await store.channel_errors() == {CHANNEL: "timed out"}
    entry = await store.claim_delivery(ids[0], LATER)
    assert entry is not None
    assert (entry.attempts, entry.maybe_sent) == (3, True)  # until settled
    assert await store.mark_failed(ids[0], "refused", LATER)
    assert not await store.mark_failed(ids[0], "refused", LATER)
    assert await store.fail_pending(CHANNEL, "no access", LATER) == 2
    assert await store.fail_pending(CHANNEL, "no access", LATER) == 0
    assert await store.due_deliveries(LATER, everything=True) == []
    assert await store.delivery_counts() == {CHANNEL: {"failed": 3}}
    assert (await store.channel_errors())[CHANNEL] in {"refused", "no access"}


async def test_a_digest_is_remembered_and_counted_once(store: Store) -> None:
    """assign_digest, due_deliveries (digest), claim_delivery (digest), messages_sent_since."""
    ids = await one_pending(store, "One", "Two", "Three")
    await store.assign_digest(ids[:2], "dg1")
    assert [(d.id, d.digest) for d in await store.due_deliveries(NOW)] == [
        (ids[0], "dg1"), (ids[1], "dg1"), (ids[2], None),
    ]  # fmt: skip
    for delivery_id in ids:
        entry = await store.claim_delivery(delivery_id, NOW)
        assert entry is not None
        assert entry.digest == ("dg1" if delivery_id != ids[2] else None)
        assert await store.mark_sent(delivery_id, None, NOW)  # a channel without ids
    assert await store.messages_sent_since(CHANNEL, NOW - timedelta(minutes=1)) == 2


async def test_a_dead_process_is_taken_over_and_a_live_one_left_alone(opener: Opener) -> None:
    """take_over_stale_deliveries, ownership of mark_*, close giving up the claims."""
    first, second = await opener(), await opener()
    try:
        ids = await one_pending(first, "One", "Two", "Three")
        assert await second.take_over_stale_deliveries() == []  # nothing is sending
        for delivery_id in ids[:2]:
            assert await first.claim_delivery(delivery_id, NOW) is not None
        assert await second.take_over_stale_deliveries() == []  # `first` is alive
        assert not await second.mark_sent(ids[0], None, NOW)  # not its delivery
        assert await first.mark_sent(ids[0], "m-0", NOW)
    finally:
        await first.close()  # dies with ids[1] in 'sending'
    try:
        third = await opener()
        try:
            assert await third.claim_delivery(ids[2], NOW) is not None
        finally:
            await third.close()  # dies too, with ids[2] in 'sending'
        taken = await second.take_over_stale_deliveries()
        assert [(e.message.id, e.status, e.attempts) for e in taken] == [
            (ids[1], "sending", 1), (ids[2], "sending", 1),
        ]  # fmt: skip
        assert await second.take_over_stale_deliveries() == []  # its own now
        assert await second.mark_sent(ids[1], "m-1", NOW)
        assert await second.mark_retry(ids[2], "interrupted while sending", NOW, NOW)
        assert await second.delivery_counts() == {CHANNEL: {"sent": 2, "pending": 1}}
    finally:
        await second.close()


async def test_claims_race_and_one_wins(opener: Opener) -> None:
    """claim_delivery from two stores at once: exactly one gets each delivery."""
    first, second = await opener(), await opener()
    try:
        ids = await one_pending(first, *(f"Item {n}" for n in range(10)))
        results = await asyncio.gather(
            *(store.claim_delivery(i, NOW) for i in ids for store in (first, second))
        )
        assert sorted(entry.message.id for entry in results if entry is not None) == ids
    finally:
        await first.close()
        await second.close()


# ------------------------------------------------------------- leases and locks

LEASE = timedelta(minutes=1)
HOSTS = {"a": "https://one.example/a", "b": "https://one.example/b", "c": "https://two.example/c"}


async def three_feeds(store: Store) -> dict[str, FeedState]:
    return await synced(store, [FeedIdentity(n, u) for n, u in HOSTS.items()], NOW)


async def test_a_feed_is_leased_until_its_result_or_the_lease_runs_out(store: Store) -> None:
    """claim_feeds (due ones, the longest due first), the results releasing the lease,
    release_feeds."""
    states = await three_feeds(store)
    claimed = await store.claim_feeds(list(HOSTS), NOW, lease=LEASE)
    assert sorted(state.name for state in claimed) == ["a", "b", "c"]  # never polled: due
    assert claimed[0].url == HOSTS[claimed[0].name]
    assert await store.claim_feeds(list(HOSTS), NOW, lease=LEASE) == []  # all leased
    await store.record_failure(states["a"], "boom", LATER, NOW)  # due again LATER
    await store.record_not_modified(states["b"], NOW, NOW)  # due again at once
    await poll(store, states["c"], next_poll_at=NOW + timedelta(seconds=30))
    assert [s.name for s in await store.claim_feeds(list(HOSTS), NOW, lease=LEASE)] == ["b"]
    assert await store.release_feeds([states["b"].id]) == 1
    assert await store.release_feeds([states["b"].id]) == 0  # not leased any more
    # not due: not claimed, unless every feed is asked for (``once`` without --due)
    assert [s.name for s in await store.claim_feeds(["a"], NOW, lease=LEASE)] == []
    everything = await store.claim_feeds(["a", "c"], NOW, lease=LEASE, due_only=False)
    assert [s.name for s in everything] == ["c", "a"]  # the longest due first
    # the longest due first, once leases ran out
    later = await store.claim_feeds(list(HOSTS), LATER + LEASE, lease=LEASE)
    assert [s.name for s in later] == ["b", "c", "a"]


async def test_per_host_counts_a_feed_by_the_host_of_its_configured_url(store: Store) -> None:
    """sync_feeds gives each feed the host of the URL it is given (a new feed, an edited
    URL; an unedited one keeps its host), which claim_feeds' ``per_host`` counts by."""
    assert await store.sync_feeds(
        [FeedIdentity("a", "https://one.example/a"), FeedIdentity("b", "https://one.example/b")],
        NOW,
    ) is None  # fmt: skip
    names = ["a", "b", "c"]
    assert len(await store.claim_feeds(names, NOW, lease=LEASE, per_host=1)) == 1  # one host
    await store.release_feeds([state.id for state in (await store.feed_states()).values()])
    moved = [FeedIdentity("a", "https://one.example/a"), FeedIdentity("b", "https://TWO.example/b")]
    await store.sync_feeds(moved, NOW)
    claimed = await store.claim_feeds(names, NOW, lease=LEASE, per_host=1)
    assert sorted(state.name for state in claimed) == ["a", "b"]  # b counts on two.example now
    await store.release_feeds([state.id for state in claimed])
    await store.sync_feeds([*moved, FeedIdentity("c", "https://two.example/c")], NOW)
    claimed = await store.claim_feeds(names, NOW, lease=LEASE, per_host=1)
    assert len(claimed) == 2  # one of b and c (two.example), and a
    assert "a" in {state.name for state in claimed}


async def test_per_host_and_limit_count_every_running_lease(opener: Opener) -> None:
    """claim_feeds' ``per_host`` counts the leases of every worker on the database."""
    first, second = await opener(), await opener()
    try:
        await three_feeds(first)
        names = list(HOSTS)
        one = await first.claim_feeds(names, NOW, lease=LEASE, per_host=1)
        assert sorted(state.name for state in one) in (["a", "c"], ["b", "c"])
        assert await second.claim_feeds(names, NOW, lease=LEASE, per_host=1) == []
        left = await second.claim_feeds(names, NOW, lease=LEASE, per_host=2)
        assert [state.name for state in left] == [n for n in ("a", "b") if n not in {
            state.name for state in one}]  # fmt: skip
        assert first.worker_id
        assert second.worker_id
        assert first.worker_id != second.worker_id
        limited = await first.claim_feeds(names, LATER, lease=LEASE, limit=2)
        assert [state.name for state in limited] == ["a", "b"]
    finally:
        await first.close()
        await second.close()


async def test_an_expired_lease_goes_to_another_worker_and_stays_its_own(opener: Opener) -> None:
    """A worker whose lease ran out (it died, or hung) loses the feed; its late result
    does not release the new owner's lease. Claims racing get disjoint feeds."""
    first, second = await opener(), await opener()
    try:
        states = await three_feeds(first)
        assert len(await first.claim_feeds(["a"], NOW, lease=LEASE)) == 1
        assert await second.claim_feeds(["a"], NOW + LEASE / 2, lease=LEASE) == []
        taken = await second.claim_feeds(["a"], NOW + LEASE, lease=LEASE)
        assert [state.name for state in taken] == ["a"]
        await first.record_not_modified(states["a"], NOW, NOW + LEASE)  # the late result
        assert await first.claim_feeds(["a"], NOW + LEASE, lease=LEASE) == []  # still leased
        assert await first.release_feeds([states["a"].id]) == 0  # not its lease
        racing = await asyncio.gather(
            *(store.claim_feeds(list(HOSTS), LATER, lease=LEASE, limit=1)
              for store in (first, second, first, second))
        )  # fmt: skip
        names = [state.name for claimed in racing for state in claimed]
        assert sorted(names) == ["a", "b", "c"]
    finally:
        await first.close()
        await second.close()


async def test_a_run_that_polls_each_feed_once_skips_what_others_polled(store: Store) -> None:
    """claim_feeds' ``unpolled_since``: a feed polled since then (by another worker) is not
    leased again, even when every feed is asked for."""
    states = await three_feeds(store)
    await poll(store, states["a"], at=NOW + timedelta(seconds=5))
    await store.record_failure(states["b"], "boom", NOW, NOW - timedelta(seconds=5))
    claimed = await store.claim_feeds(
        list(HOSTS), NOW + timedelta(seconds=10), lease=LEASE, due_only=False, unpolled_since=NOW
    )
    assert sorted(state.name for state in claimed) == ["b", "c"]


async def test_a_dead_workers_leases_are_free_at_once(opener: Opener) -> None:
    """A lease whose worker is gone (its store closed without releasing: a process killed,
    a session ended) is claimable before it runs out and no longer counts against
    ``per_host``; a live worker's lease still holds."""
    first, second, third = await opener(), await opener(), await opener()
    try:
        await three_feeds(second)
        names = list(HOSTS)
        held = await first.claim_feeds(["a", "c"], NOW, lease=LEASE)
        assert sorted(state.name for state in held) == ["a", "c"]
        assert await third.claim_feeds(["b"], NOW, lease=LEASE) != []  # alive: keeps "b"
        assert await second.claim_feeds(names, NOW, lease=LEASE, per_host=2) == []
    finally:
        await first.close()  # dies holding "a" and "c"
    try:
        taken = await second.claim_feeds(names, NOW, lease=LEASE, per_host=1)
        assert [state.name for state in taken] == ["c"]  # one.example: third's "b" counts
        again = await second.claim_feeds(names, NOW, lease=LEASE, per_host=2)
        assert [state.name for state in again] == ["a"]  # "a" no longer counts
        assert await second.claim_feeds(names, NOW, lease=LEASE) == []
    finally:
        await second.close()
        await third.close()


async def test_a_named_lock_is_held_by_one_at_a_time(opener: Opener) -> None:
    """exclusive: one holder across stores (processes) and within one; released on leaving
    and when the holder closes; ``wait`` waits for it. ``shared`` says whether workers
    claim feeds by lease."""
    first, second = await opener(), await opener()
    try:
        assert first.shared == second.shared
        async with first.exclusive("housekeeping") as lock:
            assert lock.held
            assert await lock.alive()
            async with second.exclusive("housekeeping") as other:
                assert not other.held
                assert not await other.alive()
            async with first.exclusive("housekeeping") as again:
                assert not again.held  # not re-entrant, even in its own process
            async with second.exclusive("gateway") as another:
                assert another.held  # another name
        async with second.exclusive("housekeeping") as lock:
            assert lock.held

        taken = asyncio.Event()

        async def hold_briefly() -> None:
            async with first.exclusive("feeds.yaml") as lock:
                assert lock.held
                taken.set()
                await asyncio.sleep(0.3)

        holder = asyncio.create_task(hold_briefly())
        await asyncio.wait_for(taken.wait(), 10)  # held before the other asks, however busy
        async with second.exclusive("feeds.yaml", wait=5.0) as lock:
            assert lock.held
            assert holder.done()
    finally:
        await first.close()
        await second.close()


# --------------------------------------------------------------------- mutes, meta


async def test_mutes(store: Store) -> None:
    """mute, mutes, unmute."""
    assert await store.mutes(NOW) == {}
    await store.mute("ev", LATER)
    await store.mute("chips", NOW + timedelta(minutes=1))
    assert await store.mutes(NOW) == {"ev": LATER, "chips": NOW + timedelta(minutes=1)}
    assert await store.mutes(NOW + timedelta(minutes=1)) == {"ev": LATER}  # ended
    await store.mute("ev", NOW + timedelta(days=1))  # replaces
    assert await store.mutes(NOW) == {
        "ev": NOW + timedelta(days=1), "chips": NOW + timedelta(minutes=1),
    }  # fmt: skip
    assert await store.unmute("ev")
    assert not await store.unmute("ev")
    assert await store.mutes(NOW) == {"chips": NOW + timedelta(minutes=1)}


async def test_meta(store: Store) -> None:
    """get_meta, set_meta."""
    assert await store.get_meta("heartbeat") is None
    await store.set_meta("heartbeat", "1")
    await store.set_meta("heartbeat", '{"at": "2026-11-25T12:00:00Z"}')
    await store.set_meta("other", "ünïcode ✓")
    assert await store.get_meta("heartbeat") == '{"at": "2026-11-25T12:00:00Z"}'
    assert await store.get_meta("other") == "ünïcode ✓"


async def test_meta_set_once_and_deleted(opener: Opener) -> None:
    """set_meta_once, delete_meta: of two stores (two workers) asking at once, one stores
    the value; a value below ``replaces_below`` (a note that ran out) is replaced once."""
    first, second = await opener(), await opener()
    try:
        results = await asyncio.gather(
            *(s.set_meta_once("broken:x", "2026-11-25T12:00:00Z") for s in (first, second))
        )
        assert sorted(results) == [False, True]
        assert not await first.set_meta_once("broken:x", "2026-11-25T13:00:00Z")
        assert await first.get_meta("broken:x") == "2026-11-25T12:00:00Z"
        expired = "2026-11-25T12:30:00Z"
        results = await asyncio.gather(
            *(
                s.set_meta_once("broken:x", "2026-11-26T12:31:00Z", replaces_below=expired)
                for s in (first, second)
            )
        )
        assert sorted(results) == [False, True]
        assert await second.get_meta("broken:x") == "2026-11-26T12:31:00Z"
        assert await second.delete_meta("broken:x")
        assert not await first.delete_meta("broken:x")
        assert await first.get_meta("broken:x") is None
        assert await first.set_meta_once("broken:x", "2026-11-27T00:00:00Z")
    finally:
        await first.close()
        await second.close()


# --------------------------------------------------------------------- stories

STORY = "s-samsung"


def report(found: Item, feed_name: str, story: str = STORY, **more: object) -> StoryReport:
    fields: dict[str, object] = {
        "story_id": story, "item_key": found.key, "feed": feed_name, "title": found.title,
        "url": found.link, "language": found.language, "published": found.published,
        "reason": "same facts", "fingerprint": f'{{"item": "{found.key}"}}',
    } | more  # fmt: skip
    return StoryReport(**fields)  # type: ignore[arg-type]


async def place(
    store: Store, state: FeedState, found: Item, *, at: datetime = NOW, **more: object
) -> list[AlertMessage]:
    """A poll of ``state`` bringing ``found``, placed in STORY and drafted for CHANNEL."""
    placed = replace(draft(found), story_id=STORY)
    return await store.record_success(
        state, success(), [found], [placed], at, assemble=assemble_alert,
        stories=[report(found, state.name, **more)], digests={found.key: f"d-{found.title}"},
    )  # fmt: skip


async def test_reports_of_a_story_make_one_message_then_edits(store: Store) -> None:
    """record_success (stories), story, stories, story_fingerprints, item_digests,
    due_edits, claim_edit, mark_edit_done (coalescing, one edit a minute)."""
    states = await synced(
        store, [FeedIdentity(name, f"https://{name}.example/") for name in "abcd"], NOW
    )
    english = item("x", "Samsung to buy Harman for $8 billion", language="en")
    german = item("y", "Samsung kauft Harman für 8 Milliarden Dollar", language="de")
    [message] = await place(store, states["a"], english, reason="new story", new=True)
    assert (message.story, [s.feed for s in message.sources]) == (STORY, ["a"])
    # a second report before the message went out: folded into it, no second message
    assert await place(store, states["b"], german) == []
    claimed = await store.claim_delivery(message.id, NOW)
    assert claimed is not None
    assert [(s.feed, s.language) for s in claimed.message.sources] == [("a", "en"), ("b", "de")]
    assert claimed.message.also_reported == claimed.message.sources[1:]
    assert await store.due_edits(NOW) == []
    # a report while it is sending: an edit waits for the message to be sent
    korean = item("z", "삼성, 하만 80억 달러에 인수", language="ko")
    assert await place(store, states["c"], korean) == []
    assert await store.due_edits(NOW) == []
    assert await store.mark_sent(message.id, "m-1", NOW)
    assert await store.due_edits(NOW) == [message.id]
    edit = await store.claim_edit(message.id, NOW)
    assert edit is not None
    assert await store.claim_edit(message.id, NOW) is None
    assert (edit.message_id, edit.version, edit.message.changed) == ("m-1", 1, ("sources",))
    assert [s.feed for s in edit.message.sources] == ["a", "b", "c"]
    assert edit.message.id == message.id  # an edit sets the whole message
    # a fourth report while the edit is in flight: folded into the next edit, a minute on
    chinese = item("w", "三星以80亿美元收购哈曼", language="zh")
    assert await place(store, states["d"], chinese) == []
    assert await store.mark_edit_done(message.id, edit.version, NOW)
    assert await store.due_edits(NOW) == []
    assert await store.due_edits(NOW + timedelta(seconds=61)) == [message.id]
    again = await store.claim_edit(message.id, NOW + timedelta(seconds=61))
    assert again is not None
    assert again.version == 2
    assert [s.language for s in again.message.sources] == ["en", "de", "ko", "zh"]
    assert await store.mark_edit_done(message.id, again.version, NOW + timedelta(seconds=61))
    assert await store.due_edits(NOW + timedelta(hours=1)) == []
    entries = await store.story(STORY)
    assert [(e.feed, e.first) for e in entries] == [
        ("a", True), ("b", False), ("c", False), ("d", False),
    ]  # fmt: skip
    assert entries[0].title == english.title
    assert entries[2].language == "ko"
    assert await store.story("unknown") == []
    [summary] = await store.stories(NOW - timedelta(days=1))
    assert (summary.story_id, summary.title, summary.sources) == (STORY, english.title, 4)
    assert summary.languages == ("de", "en", "ko", "zh")
    assert await store.stories(NOW - timedelta(days=1), words=["하만"]) == [summary]
    assert await store.stories(NOW - timedelta(days=1), words=["apple"]) == []
    assert await store.stories(NOW + timedelta(days=1)) == []
    prints = await store.story_fingerprints(NOW - timedelta(days=3))
    assert [story for story, _ in prints] == [STORY] * 4
    assert '"x"' in prints[0][1]
    assert await store.story_fingerprints(NOW + timedelta(days=1)) == []
    assert await store.item_digests(states["a"].id, ["x", "nope"]) == {"x": f"d-{english.title}"}


async def test_an_updated_report_edits_and_edits_retry(store: Store) -> None:
    """record_success (updated, changed), mark_edit_retry, mark_edit_failed,
    release_stale_edits."""
    state = await feed(store)
    first = item("x", "Samsung in talks with Xiaomi")
    [message] = await place(store, state, first, reason="new story", new=True)
    assert await store.claim_delivery(message.id, NOW) is not None
    assert await store.mark_sent(message.id, "m-1", NOW)
    newer = item("x", "Samsung and Xiaomi sign EV deal")
    assert await store.record_success(
        state, success(), [], [], LATER, assemble=assemble_alert, updated=[newer],
        stories=[report(newer, "a", changed=("title",))], digests={"x": "d-2"},
    ) == []  # fmt: skip
    assert await store.item_digests(state.id, ["x"]) == {"x": "d-2"}
    edit = await store.claim_edit(message.id, LATER)
    assert edit is not None
    assert (edit.message.title, edit.message.changed) == (newer.title, ("title",))
    assert [s.title for s in edit.message.sources] == [newer.title]
    assert await store.mark_edit_retry(message.id, "503", LATER + timedelta(seconds=30), LATER)
    assert await store.due_edits(LATER) == []
    assert await store.due_edits(LATER + timedelta(seconds=30)) == [message.id]
    edit = await store.claim_edit(message.id, LATER + timedelta(seconds=30))
    assert edit is not None
    assert edit.attempts == 2
    assert await store.release_stale_edits() == 0  # this process is alive
    assert await store.mark_edit_failed(message.id, "gone", LATER)
    assert not await store.mark_edit_failed(message.id, "gone", LATER)  # not sending
    assert await store.due_edits(LATER + timedelta(hours=1)) == []
    assert [e.title for e in await store.story(STORY)] == [newer.title]


async def test_an_updated_entry_is_stored_and_searched_as_it_now_reads(store: Store) -> None:
    """record_success (updated): the item's title, text and search entry become the new
    version, in news (recent_alerts) and search; its key still dedupes."""
    state = await feed(store)
    first = item("x", "Samsung in talks with Xiaomi", "Talks on a supply deal.")
    await place(store, state, first, reason="new story", new=True)
    newer = item("x", "Samsung and Xiaomi sign EV deal", "The contract was signed in Seoul.")
    await store.record_success(
        state, success(), [], [], LATER, assemble=assemble_alert, updated=[newer],
        stories=[report(newer, "a", changed=("title",))], digests={"x": "d-2"},
    )  # fmt: skip
    since = NOW - timedelta(days=1)

    async def found(query: str) -> list[str]:
        return [hit.title for hit in await store.search(fts_query(query) or "", since, LATER)]

    assert await found("signed seoul") == [newer.title]
    assert await found("talks") == []  # the old version left the index
    assert await found("samsung xiaomi") == [newer.title]  # once, not twice
    [stored] = await store.items_since(since)
    assert (stored.title, stored.text, stored.canonical_url) == (
        newer.title, newer.text, first.canonical_url,
    )  # fmt: skip
    [news] = await store.recent_alerts(since)
    assert news.title == newer.title
    assert await store.unseen_keys(state.id, ["x"]) == set()
    # an entry whose text was already pruned takes the new title, and stays unindexed
    old = item("y", "Old Samsung news", "old text")
    await poll(store, state, [old], at=NOW - timedelta(days=9))
    assert await store.prune(NOW - timedelta(days=1)) == 1
    await store.record_success(
        state, success(), [], [], LATER, assemble=assemble_alert,
        updated=[item("y", "Old Samsung news, corrected", "new text")], digests={"y": "d-y"},
    )  # fmt: skip
    assert await found("corrected") == []
    assert [i.key for i in await store.items_since(NOW - timedelta(days=30))] == ["x"]


HARMAN_PARTIES = (Party("Samsung Electronics", "samsung"), Party("Harman"))


async def place_deal(
    store: Store, state: FeedState, found: Item, deal: Deal, at: datetime, **more: object
) -> list[AlertMessage]:
    """A poll bringing ``found`` into STORY, its item reading ``deal``."""
    placed = replace(draft(found, deal=deal), story_id=STORY)
    return await store.record_success(
        state, success(), [found], [placed], at, assemble=assemble_alert,
        stories=[report(found, state.name, deal=deal, **more)], digests={found.key: found.title},
    )  # fmt: skip


async def test_a_storys_deal_moves_on_as_reports_join(store: Store) -> None:
    """record_success (each report's deal, the story's deal on its message and edits),
    recent_alerts and search (the story's deal)."""
    states = await synced(
        store, [FeedIdentity(name, f"https://{name}.example/") for name in "abc"], NOW
    )
    talks = Deal("acquisition", "talks", HARMAN_PARTIES)
    agreed = Deal("acquisition", "agreed", HARMAN_PARTIES, (Amount("$8 billion", 8e9, "USD"),))
    first = item("x", "Samsung in talks to buy Harman")
    [message] = await place_deal(store, states["a"], first, talks, NOW, new=True)
    assert (message.deal, message.stage_was) == (talks, None)
    assert await store.claim_delivery(message.id, NOW) is not None
    assert await store.mark_sent(message.id, "m-1", NOW)
    # a later report of the same deal, further along: the message is edited to show it
    signed = item("y", "Samsung agrees to buy Harman for $8 billion")
    assert await place_deal(store, states["b"], signed, agreed, LATER) == []
    edit = await store.claim_edit(message.id, LATER)
    assert edit is not None
    assert edit.message.changed == ("sources", "deal", "stage")
    assert (edit.message.deal, edit.message.stage_was) == (agreed, "talks")
    assert await store.mark_edit_done(message.id, edit.version, LATER)
    # a report that lags behind joins the story, and moves nothing
    lagging = item("z", "Samsung still negotiating with Harman")
    later = LATER + timedelta(minutes=5)
    assert await place_deal(store, states["c"], lagging, talks, later) == []
    again = await store.claim_edit(message.id, later)
    assert again is not None
    assert again.message.changed == ("sources",)
    assert (again.message.deal, again.message.stage_was) == (agreed, "talks")
    # news and search show the story's deal
    [recent] = await store.recent_alerts(NOW - timedelta(days=1))
    assert recent.deal == agreed
    hits = await store.search(fts_query("negotiating") or "", NOW - timedelta(days=1), later)
    assert [(hit.title, hit.deal) for hit in hits] == [(lagging.title, agreed)]


async def test_an_edit_left_sending_by_a_dead_process_is_released(opener: Opener) -> None:
    """release_stale_edits."""
    first = await opener()
    try:
        state = await feed(first)
        [message] = await place(first, state, item("x", "One"), reason="new story", new=True)
        assert await first.claim_delivery(message.id, NOW) is not None
        assert await first.mark_sent(message.id, "m-1", NOW)
        await place(first, state, item("y", "One again"))
        assert await first.claim_edit(message.id, NOW) is not None
    finally:
        await first.close()  # dies with the edit in 'sending'
    second = await opener()
    try:
        assert await second.due_edits(NOW) == []
        assert await second.release_stale_edits() == 1
        edit = await second.claim_edit(message.id, NOW)
        assert edit is not None
        assert [s.title for s in edit.message.sources] == ["One", "One again"]
    finally:
        await second.close()


# ------------------------------------------------------------- lifecycle, migrations


async def test_reopening_migrates_nothing_and_keeps_everything(opener: Opener) -> None:
    """The schema is created once (opening again is idempotent); check_database, close."""
    store = await opener()
    try:
        await store.check_database()  # the database it opened
        ids = await one_pending(store, "One")
        await store.mute("ev", LATER)
        await store.set_meta("k", "v")
        before = await store.feed_states()
    finally:
        await store.close()
    for _ in range(2):
        store = await opener()
        try:
            await store.check_database()
            assert await store.feed_states() == before
            assert [d.id for d in await store.due_deliveries(NOW)] == ids
            assert await store.mutes(NOW) == {"ev": LATER}
            assert await store.get_meta("k") == "v"
            assert await store.unseen_keys(before["a"].id, ["k0"]) == set()
        finally:
            await store.close()


def test_every_method_of_the_interface_is_exercised_here() -> None:
    """A method added to ``Store`` needs a test in this suite before a backend may claim it."""
    source = Path(__file__).read_text(encoding="utf-8")
    members = {name: kind for name, kind in vars(Store).items() if not name.startswith("_")}
    assert len(members) >= 30
    called = [f".{name}" if isinstance(kind, property) else f".{name}(" for name, kind in
              members.items()]  # fmt: skip
    assert [name for name in called if name not in source] == []
