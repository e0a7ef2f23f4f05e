"""Slack Block Kit rendering: escaping of hostile feed text, Slack's limits, matched terms in
bold, digests and command replies; every message body checked against Slack's Web API
spec."""

from __future__ import annotations

from typing import Any

import pytest

from bot.adapters.slack.commands import reply_pages
from bot.adapters.slack.render import (
    alert_blocks,
    alert_metadata,
    alert_text,
    digest_blocks,
    digest_metadata,
    digest_text,
    escape,
    reply_blocks,
    reply_text,
    safe_url,
)
from bot.commands.reply import Reply, ReplyItem, Snippet
from bot.models import Digest
from tests.openapi_check import slack_request_errors
from tests.slack_support import (
    CHANNEL,
    assert_inert,
    assert_within_limits,
    message,
    texts_of,
)

HOSTILE_TITLE = "<!channel> Samsung & Xiaomi <https://evil|bank>"


def post_body(blocks: list[dict[str, Any]], text: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """What SlackChannel hands chat.postMessage."""
    return {
        "channel": CHANNEL,
        "text": text,
        "blocks": blocks,
        "metadata": metadata,
        "unfurl_links": False,
        "unfurl_media": False,
    }


def test_escape_turns_slack_control_characters_into_entities() -> None:
    assert escape("a & b <c> d") == "a &amp; b &lt;c&gt; d"
    assert escape("&amp;") == "&amp;amp;"  # an entity in a feed stays as the feed wrote it


def test_a_hostile_title_and_summary_render_inert() -> None:
    hostile = message(
        title=HOSTILE_TITLE,
        summary="<!here> <@U0ADMIN> call <!subteam^S123> in <#C999> or <tel:123|support> "
        "& see <https://evil.example|your bank>",
        topics=("<!everyone>",),
        feed="wire<@U1>",
    )
    blocks, text = alert_blocks(hostile), alert_text(hostile)
    urls = {"https://news.example/su7?id=7&amp;utm_source=rss"}
    for _where, shown in [*texts_of(blocks), ("text", text)]:
        assert_inert(shown, urls)
    section = blocks[0]["text"]["text"]
    assert section.startswith(
        "*<https://news.example/su7?id=7&amp;utm_source=rss|&lt;!channel&gt; Samsung &amp; "
        "Xiaomi &lt;https://evil|bank&gt;>*\n"
    )
    assert "&lt;!here&gt;" in section
    assert text.startswith("&lt;!channel&gt; Samsung &amp; Xiaomi &lt;https://evil|bank&gt;")
    assert slack_request_errors("chat.postMessage", post_body(blocks, text, {})) == []


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://news.example/a|b>c <!channel>",
            "https://news.example/a%7Cb%3Ec%20%3C!channel%3E",
        ),
        ("https://user:pw@news.example/x?a=1&b=2", "https://news.example/x?a=1&amp;b=2"),
        ("javascript:alert(1)", None),
        ("ftp://news.example/file", None),
        ("https://news.example/" + "x" * 3000, None),
        (None, None),
    ],
)
def test_links_cannot_be_bent_into_other_links(url: str | None, shown: str | None) -> None:
    assert safe_url(url) == shown
    blocks = alert_blocks(message(url=url))
    title = blocks[0]["text"]["text"].split("\n")[0]
    if shown is None:
        assert title == "*Xiaomi SU7 EV deliveries double*"
    else:
        assert title == f"*<{shown}|Xiaomi SU7 EV deliveries double>*"
        assert_inert(title, {shown})


def test_matched_terms_are_bold_and_the_context_names_topics_source_age_rules() -> None:
    blocks = alert_blocks(message())
    section = blocks[0]["text"]["text"]
    assert section.endswith("\n*Xiaomi* said its SU7 *EV* sold twice as many.")
    context = [element["text"] for element in blocks[1]["elements"]]
    assert context == [
        "topics: ev, xiaomi",
        "wire",
        f"<!date^{int(message().published.timestamp())}^{{ago}}|2026-11-25T08:30:00Z>",
        "alert: samsung-xiaomi-ev",
    ]
    assert alert_text(message()) == "Xiaomi SU7 EV deliveries double (wire)"
    assert alert_metadata(message()) == {
        "event_type": "dealbot_alert",
        "event_payload": {"id": "a1b2c3d4e5f6a7b8c9d0e1f2a"},
    }


def test_a_huge_summary_a_long_title_and_many_topics_stay_within_limits() -> None:
    words = " ".join(f"Xiaomi{n} EV & <b>" for n in range(2000))
    big = message(
        title="Samsung " * 62 + "Exynos",  # 500 characters
        summary=words[:10_000],
        topics=tuple(f"topic-{n:02d}-{'x' * 20}" for n in range(40)),
        terms=("EV",),
    )
    assert len(big.title) == 502
    assert len(big.summary) == 10_000
    blocks, text = alert_blocks(big), alert_text(big)
    assert_within_limits(blocks, text)
    section = blocks[0]["text"]["text"]
    assert len(section) > 1500  # cut to fit, not dropped
    title, summary = section.split("\n", 1)
    assert title.endswith("…>*")
    assert "Samsung Samsung…" in title
    assert summary.endswith("…")
    assert not summary.endswith("&amp…")
    assert not summary.endswith("&…")
    head = summary.removesuffix("…")
    assert words.startswith(
        head.replace("*", "").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    )
    topics = blocks[1]["elements"][0]["text"]
    assert len(topics) <= 500
    assert topics.endswith("…")
    body = post_body(blocks, text, alert_metadata(big))
    assert slack_request_errors("chat.postMessage", body) == []


def test_digests_list_the_alerts_within_limits() -> None:
    messages = tuple(
        message(id=f"id{n:04d}", title=f"Story {n} <!here> " + "word " * 60,
                url=f"https://news.example/{n}")
        for n in range(300)
    )  # fmt: skip
    digest = Digest.of(messages)
    blocks, text = digest_blocks(digest), digest_text(digest)
    assert_within_limits(blocks, text)
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "300 more alerts this minute"},
    }
    shown = "\n".join(t for _, t in texts_of(blocks))
    assert "<https://news.example/0|Story 0 &lt;!here&gt; word" in shown
    assert "more: use /news to see them" in shown
    for _where, value in texts_of(blocks):
        assert_inert(value, {f"https://news.example/{n}" for n in range(300)})
    metadata = digest_metadata(digest)
    assert metadata["event_type"] == "dealbot_digest"
    assert metadata["event_payload"]["id"] == digest.id
    assert metadata["event_payload"]["alerts"].split() == [m.id for m in messages]
    assert slack_request_errors("chat.postMessage", post_body(blocks, text, metadata)) == []


def test_replies_are_paged_and_every_page_fits() -> None:
    items = tuple(
        ReplyItem(
            title=f"Result {n} <!channel>",
            url=f"https://news.example/{n}",
            meta="wire · 2h ago",
            snippet=Snippet(((" before " * 50, False), ("Xiaomi", True), (" after" * 300, False))),
        )
        for n in range(35)
    )
    lines = tuple(f"feed-{n} — every 15m, ok 2m ago <@U1> " + "x" * 150 for n in range(130))
    fields = tuple((f"field {n}", f"value {n} & more") for n in range(14))
    reply = Reply("A long reply " + "t" * 200, lines=lines, items=items, fields=fields)
    pages = reply_pages(reply)
    assert len(pages) == 4
    for page in pages:
        blocks, text = reply_blocks(page), reply_text(page)
        assert_within_limits(blocks, text)
        for _where, value in texts_of(blocks):
            assert_inert(value, {f"https://news.example/{n}" for n in range(35)})
    first = reply_blocks(pages[0])
    assert first[0]["type"] == "section"  # a title too long for a header
    assert any("*Xiaomi*" in value for _, value in texts_of(first))


def test_error_replies_and_short_titles() -> None:
    error = reply_blocks(Reply.failure("only admins can use feeds add; nothing was changed"))
    assert error == [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": ":warning: only admins can use feeds add; nothing was changed",
                "verbatim": True,
            },
        }
    ]
    plain = reply_blocks(Reply("Topics (1)", lines=("ev: EV, E-Auto*", "")))
    assert plain[0] == {"type": "header", "text": {"type": "plain_text", "text": "Topics (1)"}}
    assert plain[1]["text"]["text"] == "ev: EV, E-Auto*\n"
    assert reply_blocks(Reply("Nothing", lines=("",))) == [
        {"type": "header", "text": {"type": "plain_text", "text": "Nothing"}}
    ]
