"""feeds.yaml validation: defaults, durations, and one precise message per problem."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import format_duration, load_config, parse_duration
from bot.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_feeds_yaml_is_valid() -> None:
    config = load_config(REPO / "feeds.yaml")
    assert len(config.feeds) >= 6
    assert {"samsung", "xiaomi", "ev", "exynos"} <= set(config.topics)
    assert [alert.name for alert in config.alerts] == ["samsung-xiaomi-ev"]
    assert config.database == REPO / "storage" / "dealbot.db"


def test_the_issue_example_loads_with_defaults(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """
settings:
  database: storage/dealbot.db
  interval: 15m
  timeout: 20s
  backfill: 24h
  allow_private_networks: false
feeds:
  - name: techwire
    url: https://techwire.example/feed.xml
    interval: 5m
    enabled: true
  - url: https://www.heise.de/rss/heise-atom.xml
topics:
  samsung: [Samsung, 삼성, 三星]
  xiaomi: [Xiaomi, 샤오미, 小米]
  ev: [EV, "electric vehicle*", "Elektroauto*", "Elektrofahrzeug*", "E-Auto*", 电动汽车, 전기차]
  exynos: [Exynos]
alerts:
  - name: samsung-xiaomi-ev
    match: (samsung or xiaomi) and (ev or exynos)   # and / or / not / parentheses
    channels: [console, "jsonl:storage/alerts.jsonl"]
""",
        )
    )
    techwire, heise = config.feeds
    assert techwire.interval == timedelta(minutes=5)
    assert heise.name == "heise-de"  # derived from the host
    assert heise.interval == timedelta(minutes=15)  # the default
    assert config.database == tmp_path / "storage" / "dealbot.db"  # relative to the file
    assert config.settings.timeout == timedelta(seconds=20)
    assert str(config.settings.backfill) == "1d"
    assert config.alerts[0].channels == ("console", "jsonl:storage/alerts.jsonl")
    assert config.alerts[0].expression.evaluate(frozenset({"xiaomi", "ev"}))


def test_an_empty_file_is_an_empty_configuration(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "# nothing yet\n"))
    assert config.feeds == ()
    assert config.settings.interval == timedelta(minutes=15)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("15m", 900), ("2h", 7200), ("1d", 86400), ("1h30m", 5400), ("1.5h", 5400)],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text).total_seconds() == seconds


@pytest.mark.parametrize("text", ["0s", "5 parsecs", "15", "m", "-5m", "", "400d"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match=repr(text).replace("(", r"\(")):
        parse_duration(text)


def test_duration_formatting() -> None:
    assert format_duration(timedelta(seconds=5400)) == "1h30m"
    assert format_duration(timedelta(days=1)) == "1d"


def test_one_duration_formatter_serves_ages_and_waits_too() -> None:
    """Ages in replies show their largest unit, rounded down; a wait in a log two units."""
    assert format_duration(timedelta(seconds=5400), units=1) == "1h"
    assert format_duration(timedelta(seconds=42), units=1) == "42s"
    assert format_duration(timedelta(days=2, hours=23), units=1) == "2d"
    assert format_duration(timedelta(seconds=-5), units=1) == "0s"  # a time just passed
    assert format_duration(timedelta(seconds=1987.6), units=2) == "33m7s"


def test_every_problem_is_reported_with_line_and_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """settings:
  interval: 5 parsecs
  backfill: sometimes
  colour: blue
feeds:
  - url: ftp://example.com/feed
  - name: Tech Wire
    url: https://techwire.example/feed.xml
  - url: https://example.com/feed
    enabled: maybe
topics:
  and: [x]
  ev: ["*EV"]
alerts:
  - name: a1
    match: (ev or
    channels: [carrier-pigeon]
""",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    lines = [str(problem) for problem in caught.value.problems]
    f = str(path)
    assert lines == [
        f"{f}:2: settings.interval: '5 parsecs' is not a duration; write it like 90s, 15m, "
        "2h or 1d",
        f"{f}:3: settings.backfill: 'sometimes' is not a backfill; write a duration like 24h, "
        "or 'all', or 'none'",
        f"{f}:4: settings.colour: unknown key",
        f"{f}:6: feeds[0].url: 'ftp://example.com/feed' is not an http(s) URL",
        f"{f}:7: feeds[1].name: 'Tech Wire' is not a valid name: use 1–64 lower case letters, "
        "digits, '_' or '-'",
        f"{f}:10: feeds[2].enabled: 'maybe': Input should be a valid boolean, unable to "
        "interpret input",
        f"{f}:12: topics.and: 'and' cannot name a topic: it is an operator",
        f"{f}:13: topics.ev[0]: term '*EV': '*' may only end a word, as in 'Elektroauto*'",
        f"{f}:16: alerts[0].match: '(ev or': expression ends where a topic name was expected",
        f"{f}:17: alerts[0].channels[0]: unknown channel 'carrier-pigeon'; known kinds: "
        "console, discord:…, discord-webhook:…, jsonl:…, slack:…, slack-webhook:…",
    ]


def test_cross_references_are_checked(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """feeds:
  - url: https://a.example/feed
  - url: https://a.example/feed
  - name: a-example-2
    url: https://b.example/feed
  - name: dup
    url: https://c.example/feed
  - name: dup
    url: https://d.example/feed
topics:
  ev: [EV]
alerts:
  - name: r
    match: ev and tesla
    channels: [console]
""",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert [str(p).split(": ", 1)[1] for p in caught.value.problems] == [
        "feeds[1].url: feed URL listed twice (see feeds[0])",
        "feeds[4].name: duplicate feed name 'dup' (see feeds[3])",
        "alerts[0].match: 'ev and tesla': unknown topic: tesla",
    ]
    assert [p.line for p in caught.value.problems] == [3, 8, 14]


def test_names_derived_from_one_host_do_not_collide(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            "feeds:\n  - url: https://a.example/1\n  - url: https://a.example/2\n"
            "  - name: a-example-2\n    url: https://b.example/\n",
        )
    )
    assert [feed.name for feed in config.feeds] == ["a-example", "a-example-3", "a-example-2"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("feeds: [\n", "invalid YAML"),
        ("- just\n- a list\n", "the top level must be a mapping"),
        ("feeds:\n  - url: https://a/x\nfeeds: []\n", "invalid YAML"),  # duplicate key
    ],
)
def test_broken_yaml(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, text))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.yaml")


def test_variables_expand_only_from_the_allowed_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEALBOT_FEED_HOST", "news.example")
    monkeypatch.setenv("HOME_SECRET", "do-not-read")
    config = load_config(
        write(tmp_path, "feeds:\n  - name: a\n    url: https://${DEALBOT_FEED_HOST}/feed\n")
    )
    assert config.feeds[0].url == "https://news.example/feed"
    with pytest.raises(ConfigError) as caught:
        load_config(
            write(
                tmp_path,
                "feeds:\n  - name: a\n    url: https://x.example/?k=${HOME_SECRET}\n"
                "  - name: b\n    url: https://${DEALBOT_UNSET}/feed\n",
            )
        )
    assert [str(p).split(": ", 1)[1] for p in caught.value.problems] == [
        "feeds[0].url: ${HOME_SECRET}: only DEALBOT_… variables may be used",
        "feeds[1].url: ${DEALBOT_UNSET}: the environment variable DEALBOT_UNSET is not set",
    ]
    assert [p.line for p in caught.value.problems] == [3, 5]


def test_topic_forms_match_settings_and_max_age(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """settings:
  max_age: 3d
  match:
    accents: exact
topics:
  xiaomi: {terms: [Xiaomi, 小米], exclude: [小米粥]}
  samsung:
    terms: [Samsung, 삼성, 三星]
    exclude: [삼성동, 三星堆]
  ev: ["=EV", "coche* eléctrico*"]
""",
        )
    )
    assert dict(config.topics) == {
        "xiaomi": ("Xiaomi", "小米"),
        "samsung": ("Samsung", "삼성", "三星"),
        "ev": ("=EV", "coche* eléctrico*"),
    }
    assert config.topics.exclusions == {"xiaomi": ("小米粥",), "samsung": ("삼성동", "三星堆")}
    assert config.topics.options.accents is False
    assert config.topics.options.simplified_traditional is True
    assert config.settings.max_age == timedelta(days=3)
    assert config.settings.backfill.max_age == timedelta(days=3)  # the route reads it there


def test_defaults_of_the_new_settings(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "topics:\n  ev: [EV]\n"))
    assert config.settings.max_age == timedelta(days=7)
    assert config.settings.backfill.max_age == timedelta(days=7)
    assert config.topics.options.accents
    assert config.topics.options.simplified_traditional
    for written in ("off", "'off'", "none"):
        text = f"settings:\n  max_age: {written}\n  backfill: all\n"
        off = load_config(write(tmp_path, text))
        assert off.settings.max_age is None
        assert off.settings.backfill.max_age is None
        assert off.settings.backfill.everything


def test_problems_of_the_new_forms_are_precise(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """settings:
  max_age: soon
  match:
    accents: maybe
    chinese: fold
topics:
  a: EV
  b: {terms: [Xiaomi, "*x"], exclude: [7], also: [y]}
  c: {exclude: [x]}
  d: ["="]
""",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    f = str(path)
    assert [str(problem) for problem in caught.value.problems] == [
        f"{f}:2: settings.max_age: 'soon' is not a maximum age; write a duration like 7d, or 'off'",
        f"{f}:4: settings.match.accents: 'maybe': Input should be 'ignore' or 'exact'",
        f"{f}:5: settings.match.chinese: unknown key",
        f"{f}:7: topics.a: 'EV': a topic is a list of terms ([EV, Elektroauto*]) or a "
        "mapping ({terms: [...], exclude: [...]})",
        f"{f}:8: topics.b.terms[1]: term '*x': '*' may only end a word, as in 'Elektroauto*'",
        f"{f}:8: topics.b.exclude[0]: 7 must be a string",
        f"{f}:8: topics.b.also: unknown key",
        f"{f}:9: topics.c.terms: required key is missing",
        f"{f}:10: topics.d[0]: a term cannot be empty after '='",
    ]


def test_an_exclusion_must_surround_a_term_of_its_topic(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """topics:
  xiaomi:
    terms: [Xiaomi, 小米]
    exclude: [小米粥, Millet, "Xiaomi Porridge*"]
  empty: {terms: []}
""",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert [str(p).split(": ", 1)[1] for p in caught.value.problems] == [
        "topics.xiaomi.exclude[1]: 'Millet' contains no term of topic xiaomi, so it would "
        "exclude nothing; an exclusion is a longer phrase around a term (小米粥 around 小米)",
        "topics.empty.terms: a topic needs at least one term",
    ]
    assert [p.line for p in caught.value.problems] == [4, 5]


def test_deal_atoms_in_rules_are_checked_with_the_lists(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """feeds: []
topics:
  deal: [Deal]
  samsung: [Samsung]
alerts:
  - name: ok
    match: samsung and deal:acquisition and not stage:rumoured
    channels: [console]
  - name: bad
    match: samsung and deal:takeover
    channels: [console]
""",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    lines = [str(problem) for problem in caught.value.problems]
    f = str(path)
    assert lines == [
        f"{f}:3: topics.deal: 'deal' cannot name a topic: it is the rule atom for any deal",
        f"{f}:10: alerts[1].match: 'samsung and deal:takeover': unknown deal kind 'takeover' in "
        "'deal:takeover'; kinds: acquisition, merger, stake, funding, partnership, "
        "joint-venture, supply, licensing, divestiture",
    ]
