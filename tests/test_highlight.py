"""Matched terms in bold, in Discord and Slack alike: every term an alert reports is found in
the summary the way the matcher found it (NFKC, soft hyphens, full-width letters, Hangul at
the start of a word, accents and Chinese forms folded), and nothing the matcher would not
have matched is made bold. The reported terms come from the matcher, never written here."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.adapters.discord.render import alert_embed
from bot.adapters.slack.render import alert_blocks
from bot.config import parse_config
from bot.match import Matcher, Topics, normalize_text
from bot.match.highlight import normalize_with_offsets, surface_spans
from bot.models import AlertMessage, Item
from bot.route import draft_alerts
from tests.helpers import sample_alert

TOPICS = Topics(
    {
        "samsung": ["Samsung", "삼성"],
        "ev": ["=EV", "Elektroauto*", "coche* eléctrico*", "电动汽车"],
        "money": ["profit*"],
    },
    {"samsung": ["삼성동"]},
)
MATCHER = Matcher(TOPICS)

# (summary as the feed wrote it, the text that must be bold, once each, in order)
CASES = [
    ("Samsung's quarterly pro\ufb01ts rose.", ["Samsung's", "pro\ufb01ts"]),  # NFKC: "ﬁ"
    ("Samsung baut Elektro\u00adautos in Ungarn.", ["Samsung", "Elektro\u00adautos"]),
    ("Ｓａｍｓｕｎｇ shows an ＥＶ battery.", ["Ｓａｍｓｕｎｇ", "ＥＶ"]),  # full width
    ("삼성전자가 전기차 배터리를 발표했다.", ["삼성"]),  # start of a Hangul word
    ("Samsung: los coches electricos suben.", ["Samsung", "coches electricos"]),  # accents
    ("三星與比亞迪合作生產電動汽車。Samsung", ["電動汽車", "Samsung"]),  # traditional
    ("Samsung EVs use 3,26 eV cells; every EV counts.", ["Samsung", "EVs", "EV"]),  # case
]


def _discord_bold(message: AlertMessage) -> list[str]:
    description = alert_embed(message).to_dict()["description"]
    return re.findall(r"\*\*(.+?)\*\*", description)


def _slack_bold(message: AlertMessage) -> list[str]:
    section = alert_blocks(message)[0]["text"]["text"]
    summary = section.split("\n", 1)[1]
    return re.findall(r"\*(.+?)\*", summary)


@pytest.mark.parametrize(("summary", "bold"), CASES)
def test_every_reported_term_is_bold_in_discord_and_slack(summary: str, bold: list[str]) -> None:
    found = MATCHER.match(summary)
    terms = found.terms_for(found.topics)
    assert terms, "the matcher reports terms for every case"
    for channel, bolded in (("discord:1", _discord_bold), ("slack:C1", _slack_bold)):
        message = sample_alert(channel, summary=summary, terms=terms)
        assert bolded(message) == bold, channel


def test_highlight_offsets_are_those_of_the_text_as_given() -> None:
    text = "Ｘ Sam\u00adsung ﬁ 삼성전자"
    spans = surface_spans(text, ("Samsung", "삼성"))
    assert [text[start:end] for start, end in spans] == ["Sam\u00adsung", "삼성"]
    normalized, starts, ends = normalize_with_offsets(text)
    assert normalized == "X Samsung fi 삼성전자"
    assert (starts[normalized.index("f")], ends[normalized.index("i", 10)]) == (11, 12)  # "ﬁ"


def test_a_surface_is_not_bold_inside_a_word_the_matcher_would_not_match() -> None:
    assert surface_spans("every EVE and Steve", ("EV",)) == []
    assert surface_spans("대삼성 삼성", ("삼성",)) == [(4, 6)]
    assert surface_spans("Samsung Electronics and Samsung", ("Samsung", "Samsung Electronics")) == [
        (0, 19),
        (24, 31),
    ]


def test_through_the_route_the_summary_and_terms_highlight_the_same(tmp_path: Path) -> None:
    """The pipeline's own summary and terms (draft_alerts) for an item written with every
    difference at once: each reported term is bold in both renderers."""
    config = parse_config(
        'topics:\n  samsung: [Samsung, 삼성]\n  ev: ["=EV", "Elektroauto*"]\n'
        "alerts:\n  - name: r\n    match: samsung and ev\n    channels: [console]\n",
        tmp_path / "feeds.yaml",
    )
    item = Item(
        key="id:1",
        title="News",
        text="Ｓａｍｓｕｎｇ und 삼성전자 bauen Elektro\u00adautos. Das EV kommt 2026.",
        link=None,
        canonical_url=None,
        published=None,
        language="de",
    )
    (draft,) = draft_alerts(
        1,
        [item],
        first_poll=False,
        backfill=config.settings.backfill,
        matcher=Matcher(config.topics),
        alerts=config.alerts,
        now=datetime(2026, 11, 25, tzinfo=UTC),
    )
    assert set(draft.terms) == {"Samsung", "삼성", "Elektroautos", "EV"}
    for channel, bolded in (("discord:1", _discord_bold), ("slack:C1", _slack_bold)):
        message = sample_alert(channel, summary=draft.summary, terms=draft.terms)
        shown = {normalize_text(part) for part in bolded(message)}
        assert shown == {"Samsung", "삼성", "Elektroautos", "EV"}, channel
