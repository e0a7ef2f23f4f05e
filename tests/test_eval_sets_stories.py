"""Validator of the stories evaluation set (bench/data/stories_eval.jsonl).

It checks the schema, the internal consistency of the labels (updates, syndicated copies,
kinds) and the minimums the set promises in bench/data/README.md, and that the counts pasted
in that README are the counts of the data. It never looks at a clusterer.

`python tests/test_eval_sets_stories.py` prints the counts section of the README.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "bench" / "data"
SET = DATA / "stories_eval.jsonl"
README = DATA / "README.md"

FIELDS = {
    "id",
    "story",
    "feed",
    "language",
    "entry_id",
    "url",
    "published",
    "title",
    "text",
    "update_of",
    "change",
    "kind",
    "note",
}
KINDS = {"original", "translation", "syndicated", "rewrite", "update"}
REQUIRED_LANGUAGES = {"en", "de", "fr", "es", "it", "zh", "ja", "ko", "ru"}
GOOGLE_NEWS = re.compile(r"^https://news\.google\.com/rss/articles/CBMi[A-Za-z0-9_-]+\?oc=5$")

Item = dict[str, Any]


@cache
def load() -> tuple[Item, ...]:
    items = []
    with open(SET, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            assert line.endswith("\n"), f"line {number}: unterminated"
            assert line.strip(), f"line {number}: empty"
            items.append(json.loads(line))
    return tuple(items)


def when(item: Item) -> datetime:
    return datetime.strptime(item["published"], "%Y-%m-%dT%H:%M:%SZ")


def base_language(item: Item) -> str:
    return str(item["language"]).split("-")[0]


def by_story(items: tuple[Item, ...]) -> dict[str, list[Item]]:
    stories: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        stories[item["story"]].append(item)
    return stories


def plain(markup: str) -> str:
    """Markup and entities removed, whitespace collapsed: what a cosmetic update may not change."""
    blocks = re.sub(r"</?(p|br|div|li|ul|ol|h[1-6])\b[^>]*>", " ", markup, flags=re.IGNORECASE)
    text = html.unescape(re.sub(r"<[^>]+>", "", blocks))
    return " ".join(text.split())


# ---------------------------------------------------------------- schema


def test_every_line_has_exactly_the_schema() -> None:
    for item in load():
        assert set(item) == FIELDS, item.get("id")
        for field in FIELDS - {"update_of", "change"}:
            assert isinstance(item[field], str), (item["id"], field)
        for field in ("id", "story", "feed", "language", "entry_id", "url", "title", "text"):
            assert item[field].strip() == item[field] or field == "title", (item["id"], field)
            assert item[field], (item["id"], field)
        assert re.fullmatch(r"i\d{3}", item["id"]), item["id"]
        assert re.fullmatch(r"s\d{2}", item["story"]), item["id"]
        assert re.fullmatch(r"[a-z]{2}(-Hans|-Hant)?", item["language"]), item["id"]
        assert re.fullmatch(r"https?://[^\s/]+/\S*", item["url"]), item["id"]
        assert item["kind"] in KINDS, item["id"]
        assert item["update_of"] is None or isinstance(item["update_of"], str), item["id"]
        assert item["change"] in (None, "material", "cosmetic"), item["id"]
        when(item)  # raises on another format
        assert not re.search(r"[\x00-\x08\x0b-\x1f]", item["title"] + item["text"]), item["id"]


def test_ids_are_unique_numbered_and_in_published_order() -> None:
    items = load()
    assert [item["id"] for item in items] == [f"i{n:03d}" for n in range(1, len(items) + 1)]
    times = [when(item) for item in items]
    assert times == sorted(times)


def test_story_ids_are_numbered_by_first_appearance() -> None:
    first_seen = list(dict.fromkeys(item["story"] for item in load()))
    assert first_seen == [f"s{n:02d}" for n in range(1, len(first_seen) + 1)]


# ---------------------------------------------------------------- labels


def test_updates_point_to_an_earlier_item_of_the_same_entry() -> None:
    items = load()
    index = {item["id"]: n for n, item in enumerate(items)}
    for n, item in enumerate(items):
        is_update = item["update_of"] is not None
        assert (item["kind"] == "update") == is_update, item["id"]
        assert (item["change"] is not None) == is_update, item["id"]
        if not is_update:
            continue
        assert item["update_of"] in index, item["id"]
        assert index[item["update_of"]] < n, item["id"]
        earlier = items[index[item["update_of"]]]
        assert earlier["entry_id"] == item["entry_id"], item["id"]
        assert earlier["feed"] == item["feed"], item["id"]
        assert earlier["story"] == item["story"], item["id"]
        assert when(earlier) < when(item), item["id"]
        same_title = " ".join(earlier["title"].split()) == " ".join(item["title"].split())
        same_text = plain(earlier["text"]) == plain(item["text"])
        if item["change"] == "cosmetic":
            assert same_title, item["id"]
            assert same_text, item["id"]
            assert (earlier["title"], earlier["text"], earlier["url"]) != (
                item["title"],
                item["text"],
                item["url"],
            ), item["id"]
        else:
            assert not same_title, item["id"]


def test_an_entry_seen_again_in_its_feed_is_an_update_of_the_previous_version() -> None:
    latest: dict[tuple[str, str], str] = {}
    for item in load():
        key = (item["feed"], item["entry_id"])
        if key in latest:
            assert item["update_of"] == latest[key], item["id"]
        else:
            assert item["update_of"] is None, item["id"]
        latest[key] = item["id"]


def test_kinds_follow_the_order_and_languages_of_each_story() -> None:
    for story, members in by_story(load()).items():
        assert members[0]["kind"] == "original", story
        assert sum(m["kind"] == "original" for m in members) == 1, story
        seen: set[str] = set()
        for member in members:
            if member["kind"] == "translation":
                assert member["language"] not in seen, member["id"]
            elif member["kind"] in ("rewrite", "syndicated", "update"):
                assert member["language"] in seen, member["id"]
            seen.add(member["language"])


def test_syndicated_copies_join_a_story_with_another_url() -> None:
    stories = by_story(load())
    for item in load():
        if item["kind"] != "syndicated":
            continue
        others = [
            m
            for m in stories[item["story"]]
            if m["kind"] != "syndicated" and m["feed"] != item["feed"] and m["url"] != item["url"]
        ]
        assert others, item["id"]


def test_google_news_items_look_like_google_news() -> None:
    gnews = [item for item in load() if item["url"].startswith("https://news.google.com/")]
    assert len(gnews) >= 5
    for item in gnews:
        assert GOOGLE_NEWS.match(item["url"]), item["id"]
        assert item["entry_id"] == item["url"].split("/")[-1].split("?")[0], item["id"]
        assert re.search(r" - [^-]+$", item["title"]), item["id"]


# ---------------------------------------------------------------- minimums


def test_sizes() -> None:
    items = load()
    stories = by_story(items)
    sizes = Counter(len(members) for members in stories.values())
    assert len(items) >= 180
    assert len(stories) >= 45
    assert sizes[1] >= 10
    assert sum(count for size, count in sizes.items() if 3 <= size <= 7) >= 20
    multilingual = [s for s, m in stories.items() if len({base_language(i) for i in m}) >= 3]
    assert len(multilingual) >= 20


def test_languages_and_scripts() -> None:
    items = load()
    languages = {base_language(item) for item in items}
    assert languages >= REQUIRED_LANGUAGES
    assert len(languages) >= 9
    assert {"zh-Hans", "zh-Hant"} <= {item["language"] for item in items}
    hant = "".join(i["title"] + i["text"] for i in items if i["language"] == "zh-Hant")
    hans = "".join(i["title"] + i["text"] for i in items if i["language"] == "zh-Hans")
    # characters that exist in one script only: 電/电, 車/车, 導/导, 發/发
    assert all(c in hant and c not in hans for c in "電車導發")
    assert all(c in hans and c not in hant for c in "电车导发")


def test_timestamps_span_about_ten_days() -> None:
    times = [when(item) for item in load()]
    assert max(times) - min(times) >= timedelta(days=9)
    days = {t.date() for t in times}
    assert len(days) >= 10


def test_updates_counts() -> None:
    changes = Counter(item["change"] for item in load() if item["update_of"])
    assert changes["material"] >= 5
    assert changes["cosmetic"] >= 3
    assert sum(changes.values()) >= 8


URL_FORMS: dict[str, Any] = {
    "AMP path /amp/": lambda u: "/amp/" in u,
    "AMP query ?amp=1": lambda u: re.search(r"[?&]amp=1\b", u),
    "AMP suffix .amp": lambda u: re.search(r"\.amp(\?|$)", u),
    "AMP query outputType=amp": lambda u: "outputType=amp" in u,
    "amp. host": lambda u: re.match(r"https?://amp\.", u),
    "m. host": lambda u: re.match(r"https?://m\.", u),
    "mobile. host": lambda u: re.match(r"https?://mobile\.", u),
    "Google News link": lambda u: GOOGLE_NEWS.match(u),
    "FeedBurner link": lambda u: u.startswith("http://feedproxy.google.com/~r/"),
    "http (not https)": lambda u: u.startswith("http://") and "feedproxy" not in u,
}


def url_forms(items: tuple[Item, ...]) -> Counter[str]:
    forms: Counter[str] = Counter()
    for item in items:
        for name, test in URL_FORMS.items():
            if test(item["url"]):
                forms[name] += 1
    return forms


def test_every_syndication_form_is_present() -> None:
    forms = url_forms(load())
    assert all(forms[name] >= 1 for name in URL_FORMS), forms
    urls = [item["url"] for item in load()]
    tracked = [u for u in urls if re.search(r"[?&](utm_\w+|wt_mc|from|ref|input)=", u)]
    assert len(tracked) >= 10
    # the same page with and without its trailing slash, within one story
    paths = {(item["story"], item["url"].split("?")[0].split("://")[1]) for item in load()}
    assert any(p.endswith("/") and (s, p.rstrip("/")) in paths for s, p in paths)


def test_numbers_are_written_in_locale_forms() -> None:
    corpus = "\n".join(item["title"] + "\n" + item["text"] for item in load())
    for form in (
        "137,000",
        "13.7万",
        "13.7萬",
        "137.000",
        "137\u00a0000",
        "13만7천",
        "13万7000",
        "$8 billion",
        "80억 달러",
        "80亿美元",
        "8 Mrd. Dollar",
        "8.000 millones",
        "8 miliardi",
    ):
        assert form in corpus, form


# ---------------------------------------------------------------- the README


def distractor_groups() -> list[list[str]]:
    groups = []
    for line in README.read_text(encoding="utf-8").splitlines():
        found = re.match(r"\| (s\d{2}(?: / s\d{2})+) \|", line)
        if found:
            groups.append(found.group(1).split(" / "))
    return groups


def shared_names(stories: list[list[Item]]) -> set[str]:
    """Capitalized Latin words (company names, mostly) found in every one of the stories."""
    sets = [
        set(re.findall(r"\b[A-Z][A-Za-z]{2,}\b", " ".join(i["title"] + " " + i["text"] for i in s)))
        for s in stories
    ]
    return set.intersection(*sets)


def test_distractor_groups_listed_in_the_readme_are_real() -> None:
    stories = by_story(load())
    groups = distractor_groups()
    assert len(groups) >= 8
    close = 0
    recurring = 0
    for group in groups:
        assert len(set(group)) == len(group), group
        assert all(s in stories for s in group), group
        members = [stories[s] for s in group]
        assert shared_names(members) - {"The", "Reuters"}, group
        firsts = sorted(when(m[0]) for m in members)
        close += firsts[-1] - firsts[0] <= timedelta(hours=72)
        recurring += firsts[-1] - firsts[0] >= timedelta(days=5)
    assert close >= 8  # a time window alone cannot tell these apart
    assert recurring >= 1  # an event that comes back 5 days later as a new story


def summary(items: tuple[Item, ...]) -> str:
    """The counts section of the README, computed from the data."""
    stories = by_story(items)
    sizes = Counter(len(members) for members in stories.values())
    languages = Counter(item["language"] for item in items)
    kinds = Counter(item["kind"] for item in items)
    changes = Counter(item["change"] for item in items if item["change"])
    multilingual = Counter(len({base_language(i) for i in m}) for m in stories.values())
    times = [when(item) for item in items]
    lines = [
        f"- items: {len(items)}; stories: {len(stories)}; singletons: {sizes[1]}; "
        f"feeds: {len({item['feed'] for item in items})}",
        f"- published from {min(times):%Y-%m-%d %H:%M} to {max(times):%Y-%m-%d %H:%M} UTC "
        f"({len({t.date() for t in times})} days)",
        f"- updates: {sum(changes.values())} ({changes['material']} material, "
        f"{changes['cosmetic']} cosmetic)",
        "- kinds: " + ", ".join(f"{k} {kinds[k]}" for k in sorted(KINDS)),
        "",
        "| language | items |",
        "|---|---|",
        *(
            f"| {lang} | {n} |"
            for lang, n in sorted(languages.items(), key=lambda x: (-x[1], x[0]))
        ),
        "",
        "| story size | stories |",
        "|---|---|",
        *(f"| {size} | {sizes[size]} |" for size in sorted(sizes)),
        "",
        "| languages in a story | stories |",
        "|---|---|",
        *(f"| {n} | {multilingual[n]} |" for n in sorted(multilingual)),
        "",
        "| syndicated URL form | items |",
        "|---|---|",
        *(f"| {name} | {n} |" for name, n in url_forms(items).items()),
    ]
    return "\n".join(lines)


def test_the_readme_counts_are_the_counts_of_the_data() -> None:
    assert summary(load()) in README.read_text(encoding="utf-8")


if __name__ == "__main__":
    sys.stdout.write(summary(load()) + "\n")
    sys.exit(0)
