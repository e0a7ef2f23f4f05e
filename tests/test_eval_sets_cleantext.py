"""The clean-text evaluation set (bench/data/cleantext) is well formed and says what it claims.

Every feed file is read with feedparser from its bytes and the Content-Type its server sends
(feeds/INDEX.tsv); every label names an entry that exists, has the schema, and holds
against the entry's own text once decoded right: its facts are there to be summarized, its
forbidden strings are really in the feed, late news really comes late, encoding cases
really break when decoded as declared. The set's minimums are counted.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections import Counter
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pytest

from bot.config import load_config
from bot.match import Matcher

DATA = Path(__file__).resolve().parents[1] / "bench" / "data" / "cleantext"
FETCHED_AT = datetime.fromisoformat("2025-06-12T06:00:00+00:00")  # README: "Clean-text set"
LANGUAGES = {"en", "de", "fr", "es", "it", "zh", "ja", "ko", "ru", "pt", "nl"}
CASES = {
    "encoding", "boilerplate-alert", "boilerplate-summary", "late-news", "url-variant",
    "google-news", "invisible", "language", "accents", "traditional", "exclusion",
    "case-sensitive", "stale", "control",
}  # fmt: skip
KEYS = [
    "feed", "entry", "language", "alerts", "topics", "facts", "forbidden", "same_story_as",
    "cases", "published", "note",
]  # fmt: skip


class _Text(HTMLParser):
    BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "figure"})
    BLOCKS |= {"figcaption", "aside"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return "\n".join(" ".join(line.split()) for line in "".join(parser.parts).split("\n")).strip()


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _index() -> dict[str, dict[str, str]]:
    rows = (DATA / "feeds" / "INDEX.tsv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split("\t")
    assert header == ["file", "content_type", "true_encoding", "problem"]
    return {row.split("\t")[0]: dict(zip(header, row.split("\t"), strict=True)) for row in rows[1:]}


INDEX = _index()
LABELS: list[dict[str, Any]] = [
    json.loads(line)
    for line in (DATA / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def misencoded(file: str) -> bool:
    return INDEX[file]["problem"].startswith("encoding:")


def declared_charset(file: str, data: bytes) -> str:
    """What a reader is told: the header's charset, else the XML declaration's, else UTF-8."""
    found = re.search(r"charset=([\w-]+)", INDEX[file]["content_type"])
    if found:
        return found.group(1)
    declaration = re.match(rb'<\?xml[^>]*encoding=["\']([\w-]+)', data)
    return declaration.group(1).decode() if declaration else "utf-8"


def true_text(file: str) -> str:
    data = (DATA / "feeds" / file).read_bytes()
    return data.decode(INDEX[file]["true_encoding"], errors="replace")


def entries(file: str, *, decoded_right: bool) -> dict[str, tuple[str, str]]:
    """guid -> (title, text) of every entry; with ``decoded_right``, parsed from the
    document decoded with its true encoding instead of what it declares."""
    data = (DATA / "feeds" / file).read_bytes()
    if file.endswith(".json"):
        feed = json.loads(data)
        return {
            item["id"]: (item["title"], text_of(item["content_html"]) + "\n" + item["summary"])
            for item in feed["items"]
        }
    headers = {"content-type": INDEX[file]["content_type"]}
    if decoded_right:
        declaration = r'(<\?xml[^>]*?)\s+encoding=["\'][\w-]+["\']'
        text = re.sub(declaration, r"\1", true_text(file), count=1)
        data = text.encode("utf-8")
        headers = {"content-type": "application/xml; charset=utf-8"}
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    assert parsed.get("version"), f"{file}: feedparser does not see a feed"
    found = {}
    for entry in parsed.entries:
        parts = [part.get("value", "") for part in entry.get("content", [])]
        parts.append(entry.get("summary", ""))
        found[entry.get("id", "")] = (entry.get("title", ""), "\n".join(map(text_of, parts)))
    return found


@pytest.fixture(scope="module")
def decoded() -> dict[str, dict[str, tuple[str, str]]]:
    return {file: entries(file, decoded_right=True) for file in INDEX}


def test_index_lists_every_feed_file_and_there_are_enough() -> None:
    on_disk = {path.name for path in (DATA / "feeds").iterdir() if path.name != "INDEX.tsv"}
    assert on_disk == set(INDEX)
    assert len(INDEX) >= 12
    kinds = {file.rsplit(".", 1)[1] for file in INDEX}
    assert kinds == {"xml", "json"}


@pytest.mark.parametrize("file", sorted(INDEX))
def test_every_labelled_entry_is_in_its_feed_as_served(file: str) -> None:
    data = (DATA / "feeds" / file).read_bytes()
    wanted = [label["entry"] for label in LABELS if label["feed"] == file]
    assert wanted, f"{file} has no labelled entry"
    found = entries(file, decoded_right=False)  # feedparser, bytes and Content-Type as served
    assert len(found) == len(wanted), "every entry of a feed is labelled"
    if misencoded(file):
        for guid in wanted:
            assert guid.encode("ascii") in data
    else:
        assert set(wanted) == set(found)


def test_labels_have_the_schema() -> None:
    config = load_config(DATA / "topics.yaml")
    rules = {alert.name for alert in config.alerts}
    keys = set()
    for label in LABELS:
        where = f"{label.get('feed')} {label.get('entry')}"
        assert list(label) == KEYS, where
        assert label["feed"] in INDEX, where
        assert isinstance(label["entry"], str), where
        assert label["entry"], where
        keys.add((label["feed"], label["entry"]))
        assert label["language"] in LANGUAGES, where
        assert set(label["alerts"]) <= rules, where
        assert set(label["topics"]) <= set(config.topics), where
        assert 1 <= len(label["facts"]) <= 3, where
        for fact in label["facts"]:
            assert fact, where
            assert all(isinstance(s, str) and s.strip() for s in fact), where
        assert all(isinstance(s, str) and s for s in label["forbidden"]), where
        same = label["same_story_as"]
        assert same is None or (set(same) == {"feed", "entry"} and same["feed"] != label["feed"])
        assert label["cases"], where
        assert set(label["cases"]) <= CASES, where
        assert datetime.fromisoformat(label["published"]).tzinfo is not None, where
        assert isinstance(label["note"], str), where
    assert len(keys) == len(LABELS), "one label per entry"
    for label in LABELS:
        same = label["same_story_as"]
        if same is not None:
            assert (same["feed"], same["entry"]) in keys, label["entry"]


def test_alerts_follow_from_topics_and_rules_except_for_stale_items() -> None:
    config = load_config(DATA / "topics.yaml")
    for label in LABELS:
        published = datetime.fromisoformat(label["published"])
        if "stale" in label["cases"]:
            assert FETCHED_AT - published >= timedelta(days=60)
            assert label["alerts"] == [], label["entry"]
            continue
        assert FETCHED_AT - published < timedelta(days=14), label["entry"]
        topics = frozenset(label["topics"])
        expected = [a.name for a in config.alerts if a.expression.evaluate(topics)]
        assert label["alerts"] == expected, label["entry"]


def test_facts_are_in_the_entry_and_forbidden_strings_really_occur(
    decoded: dict[str, dict[str, tuple[str, str]]],
) -> None:
    for label in LABELS:
        title, text = decoded[label["feed"]][label["entry"]]
        where = f"{label['feed']} {label['entry']}"
        searchable = fold(f"{title}\n{text}")
        for fact in label["facts"]:
            assert any(fold(option) in searchable for option in fact), f"{where}: {fact}"
        for string in label["forbidden"]:
            if string == "\ufffd":  # what a damaged document decodes to
                assert string in true_text(label["feed"]), where
            else:
                assert string in f"{title}\n{text}", f"{where}: {string!r}"
            assert not any(string in option for fact in label["facts"] for option in fact)


def _sentences(text: str) -> list[str]:
    pieces = re.split(r"(?<=[.!?])\s+(?=[^a-z0-9])|(?<=[。！？])|\n", text)
    return [piece for piece in pieces if piece.strip()]


def test_late_news_is_not_in_the_title_or_the_first_three_sentences(
    decoded: dict[str, dict[str, tuple[str, str]]],
) -> None:
    late = [label for label in LABELS if "late-news" in label["cases"]]
    assert len(late) >= 10
    assert len({label["language"] for label in late}) >= 8
    for label in late:
        title, text = decoded[label["feed"]][label["entry"]]
        lead = fold(" ".join([title, *_sentences(text)[:3]]))
        rest = fold(" ".join(_sentences(text)[3:]))
        for fact in label["facts"]:
            assert not any(fold(option) in lead for option in fact), label["entry"]
            assert any(fold(option) in rest for option in fact), label["entry"]


def test_encoding_cases_break_when_decoded_as_declared() -> None:
    config = load_config(DATA / "topics.yaml")
    matcher = Matcher(config.topics)
    bad = [file for file in INDEX if misencoded(file)]
    assert {INDEX[file]["true_encoding"] for file in bad} >= {
        "cp949", "cp932", "gb18030", "big5", "cp1251", "euc_jp",
    }  # fmt: skip
    for file in bad:
        data = (DATA / "feeds" / file).read_bytes()
        try:
            as_declared: str | None = data.decode(declared_charset(file, data))
        except (UnicodeDecodeError, LookupError):
            as_declared = None
        assert as_declared != true_text(file), f"{file} decodes right as declared"
        # an item that matches only through its non-ASCII text, which a wrong decoding loses
        right = entries(file, decoded_right=True)
        labelled = [label for label in LABELS if label["feed"] == file]
        assert all("encoding" in label["cases"] for label in labelled)
        depends = []
        for label in labelled:
            title, text = right[label["entry"]]
            ascii_only = re.sub(r"[^\x00-\x7f]+", " ", f"{title}\n{text}")
            if label["topics"] and matcher.match(ascii_only).topics < set(label["topics"]):
                depends.append(label["entry"])
        assert depends, f"{file}: no item whose topics depend on decoding"


def test_the_set_has_its_minimums(decoded: dict[str, dict[str, tuple[str, str]]]) -> None:
    def having(case: str) -> list[dict[str, Any]]:
        return [label for label in LABELS if case in label["cases"]]

    assert len(LABELS) >= 90
    assert {"en", "de", "fr", "es", "it", "zh", "ja", "ko", "ru"} <= {
        label["language"] for label in LABELS
    }
    boilerplate = having("boilerplate-alert") + having("boilerplate-summary")
    assert len({(b["feed"], b["entry"]) for b in boilerplate}) >= 20
    assert len({label["language"] for label in boilerplate}) >= 8
    assert len(having("boilerplate-alert")) >= 8
    assert sum(label["same_story_as"] is not None for label in LABELS) >= 8
    google = having("google-news")
    assert len(google) >= 6
    for label in google:
        assert label["feed"].startswith("gnews-")
    assert len(having("control")) >= 25
    assert any(not label["topics"] for label in having("control")), "controls without topics"
    for case in ("accents", "traditional", "case-sensitive", "stale", "invisible", "language"):
        assert having(case), case
    excluded = "".join(
        "\n".join(decoded[label["feed"]][label["entry"]]) for label in having("exclusion")
    )
    for word in ("小米粥", "三星堆", "삼성동"):
        assert word in excluded, word
    counts = Counter(case for label in LABELS for case in label["cases"])
    assert counts["encoding"] >= 6
