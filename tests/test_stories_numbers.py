"""Numbers stated in any locale normalize to one value."""

from __future__ import annotations

import pytest

from bot.stories.numbers import Quantity, quantities, strong_quantities


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("137,000 employees", "en"),
        ("13,7万名员工", "zh"),
        ("13.7万名员工", "zh"),
        ("137.000 Beschäftigte", "de"),
        ("직원 13만7천명", "ko"),
        ("137 000 salariés", "fr"),
    ],
)
def test_a_headcount_in_any_locale(text: str, language: str) -> None:
    assert quantities(text, language) == {Quantity(137000.0, "count")}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("$8 billion", "en"),
        ("US$8bn", "en"),
        ("80억 달러", "ko"),
        ("80亿美元", "zh"),
        ("80億ドル", "ja"),
        ("8 Mrd. Dollar", "de"),
        ("8 Milliarden US-Dollar", "de"),
        ("8 milliards de dollars", "fr"),
        ("8.000 millones de dólares", "es"),
        ("8 mil millones de dólares", "es"),
        ("8 млрд долларов", "ru"),
    ],
)
def test_eight_billion_dollars_in_any_locale(text: str, language: str) -> None:
    assert quantities(text, language) == {Quantity(8e9, "money:USD")}


def test_billion_means_what_the_language_says() -> None:
    assert quantities("1 Billion Euro", "de") == {Quantity(1e12, "money:EUR")}
    assert quantities("1 billion euros", "en") == {Quantity(1e9, "money:EUR")}


def test_compound_korean_amounts() -> None:
    assert quantities("1조1천억원", "ko") == {Quantity(1.1e12, "money:KRW")}


def test_years_small_counts_and_metres_are_not_evidence() -> None:
    assert strong_quantities("In 2024, 3 phones, 5 m tall, up 12%", "en") == set()
    assert Quantity(12.5, "pct") in strong_quantities("up 12.5%", "en")


def test_same_figure_across_currencies_and_rounding() -> None:
    usd, krw = Quantity(8e9, "money:USD"), Quantity(8e9, "money:KRW")
    assert usd.same_as(Quantity(8.004e9, "money"))
    assert not usd.same_as(krw)
    assert not usd.same_as(Quantity(8.2e9, "money:USD"))
    assert Quantity(136971.0, "count").same_as(Quantity(137000.0, "count"))
    assert not Quantity(1800.0, "count").same_as(Quantity(1810.0, "count"))


def test_stock_codes_are_not_figures_and_measures_keep_their_unit() -> None:
    assert quantities("小米集团（01810）", "zh") == set()
    assert quantities("长 5230mm，续航 1500 km", "zh") == {
        Quantity(5230.0, "measure:mm"),
        Quantity(1500.0, "measure:km"),
    }


def test_round_figures_are_not_distinctive() -> None:
    assert Quantity(137000.0, "count").distinctive
    assert Quantity(1.87e9, "money:USD").distinctive
    assert not Quantity(8e9, "money:USD").distinctive
    assert not Quantity(150000.0, "count").distinctive
