"""The company table: its size and data, how names are found, and the marked names."""

from __future__ import annotations

import time

import pytest

from bot.companies import company_table, parse_table
from bot.match.terms import Matcher


def found(text: str) -> list[tuple[str, str]]:
    return [(m.company, m.surface) for m in company_table().find(text)]


def test_table_size_and_rows() -> None:
    table = company_table()
    assert len(table) >= 500
    countries = {c.country for c in table}
    assert {"US", "CN", "JP", "KR", "TW", "DE", "FR", "NL", "RU"} <= countries
    for company in table:
        assert company.id, company
        assert company.names, company
        assert company.name in company.names, company


def test_every_name_compiles_and_loading_is_fast() -> None:
    table = company_table()
    Matcher({c.id: c.names for c in table})  # raises TermError on a bad name
    start = time.perf_counter()
    source = [line for line in _table_lines()]
    parse_table(source)
    assert time.perf_counter() - start < 1.0


def _table_lines() -> list[str]:
    from importlib import resources

    return resources.files("bot").joinpath("data", "companies.tsv").read_text("utf-8").splitlines()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Samsung und Xiaomi könnten zusammenarbeiten", ["samsung-electronics", "xiaomi"]),
        ("삼성전자, 하만 인수", ["samsung-electronics", "harman"]),
        ("三星电子与小米合作", ["samsung-electronics", "xiaomi"]),
        ("鴻海與台積電", ["foxconn", "tsmc"]),
        ("ソニーとホンダが提携", ["sony", "honda"]),
        ("Яндекс и Сбер", ["yandex", "sber"]),
        ("SK hynix's HBM and Samsung SDI", ["sk-hynix", "samsung-sdi"]),
        ("Shares of 005930.KS and 2330.TW rose", ["samsung-electronics", "tsmc"]),
        ("京东方向京东供货", ["boe", "jd"]),  # the longest name wins
        ("LG Energy Solution and LG Display", ["lg-energy-solution", "lg-display"]),
    ],
)
def test_names_in_every_language(text: str, expected: list[str]) -> None:
    assert [company for company, _ in found(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("an apple a day; see lg.com", []),  # case-sensitive names
        ("Apple and LG", ["apple", "lg-electronics"]),
        ("Sharp rise in chip prices", []),  # ~Sharp needs confirmation
        ("Sharp Corp. agreed", ["sharp"]),
        ("애플리케이션 개발", []),  # ~애플 inside a longer word
        ("애플이 발표했다", ["apple"]),
        ("メタバース市場", []),
        ("メタは発表した", ["meta"]),
        ("我联想到了过去", []),
        ("联想集团宣布", ["lenovo"]),
        ("es un ser vivo", []),
    ],
)
def test_names_that_are_common_words(text: str, expected: list[str]) -> None:
    assert [company for company, _ in found(text)] == expected


def test_offsets_refer_to_the_text_as_given() -> None:
    text = "㈱ Ｓａｍｓｕｎｇ and Xiaomi\u00ad's deal"
    mentions = company_table().find(text)
    assert [text[m.start : m.end] for m in mentions] == ["Ｓａｍｓｕｎｇ", "Xiaomi\u00ad's"]
    assert [m.surface for m in mentions] == ["Ｓａｍｓｕｎｇ", "Xiaomi\u00ad's"]


def test_get_and_lookup() -> None:
    table = company_table()
    company = table.get("samsung-electronics")
    assert company is not None
    assert company.name == "Samsung Electronics"
    assert table.get("no-such-company") is None
    assert table.lookup("삼성전자") == company
    assert table.lookup("samsung") == company
    lg = table.lookup("LG")
    assert lg is not None
    assert lg.id == "lg-electronics"
    assert table.lookup("lg") is None  # a case-sensitive name looks up as written
