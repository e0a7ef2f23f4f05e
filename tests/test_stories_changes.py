"""Material vs cosmetic changes of an updated item."""

from __future__ import annotations

from bot.stories import changes
from tests.stories_support import make

URL = "https://www.heise.de/news/Samsung-uebernimmt-FlaektGroup-10384562.html"
TITLE = "Samsung übernimmt Lüftungsspezialisten FläktGroup für 1,5 Milliarden Euro"
TEXT = (
    "Der südkoreanische Konzern Samsung Electronics kauft den deutschen Klimatechnik-Hersteller "
    "FläktGroup. Der Kaufpreis liegt bei 1,5 Mrd. Euro."
)


def version(title: str = TITLE, text: str = TEXT, url: str = URL):  # type: ignore[no-untyped-def]
    return make("flakt-de", title, text, url=url, language="de", feed="heise", entry="10384562")


def test_a_new_title_is_material() -> None:
    new = version(title="Samsung kauft FläktGroup für 1,5 Milliarden Euro")
    assert changes(version(), new) == ["title"]


def test_a_new_amount_is_a_change_of_facts() -> None:
    new = version(text=TEXT.replace("1,5 Mrd.", "1,7 Mrd."))
    assert changes(version(), new) == ["facts"]


def test_a_new_company_named_is_a_change_of_facts() -> None:
    new = version(text=TEXT + " Auch Xiaomi hatte Interesse gezeigt.")
    assert changes(version(), new) == ["facts"]


def test_a_new_title_with_a_new_amount_is_both() -> None:
    new = version(title=TITLE.replace("1,5", "1,7"))
    assert changes(version(), new) == ["title", "facts"]


def test_whitespace_markup_and_tracking_parameters_are_cosmetic() -> None:
    new = version(
        title=f"  {TITLE.replace(' ', '  ')} ",
        text="<p>" + TEXT.replace("FläktGroup.", "<b>FläktGroup</b>.</p>\n<p>") + "</p>",
        url=f"{URL}?utm_source=rss&utm_medium=feed&wt_mc=rss.red.ho.ho.atom.beitrag",
    )
    assert changes(version(), new) == []


def test_a_publisher_suffix_or_case_change_in_the_title_is_cosmetic() -> None:
    assert changes(version(), version(title=f"{TITLE} | heise online")) == []
    assert changes(version(), version(title=TITLE.upper())) == []
