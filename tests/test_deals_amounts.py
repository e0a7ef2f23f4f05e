"""The amount grammar: every locale form, and the figures that are not money."""

from __future__ import annotations

import pytest

from bot.deals.amounts import find_amounts
from bot.deals.model import Amount, format_amount


@pytest.mark.parametrize(
    ("language", "text", "value", "currency"),
    [
        ("en", "$2.5 billion", 2.5e9, "USD"),
        ("en", "US$1.2bn", 1.2e9, "USD"),
        ("de", "€1,5 Mrd.", 1.5e9, "EUR"),
        ("de", "1,2 Milliarden Euro", 1.2e9, "EUR"),
        ("de", "4,5 Milliarden US-Dollar", 4.5e9, "USD"),
        ("de", "2 Mrd. €", 2e9, "EUR"),
        ("fr", "2,3 milliards d'euros", 2.3e9, "EUR"),
        ("fr", "500 millions de dollars", 5e8, "USD"),
        ("fr", "2 Md$", 2e9, "USD"),
        ("es", "1.200 millones de dólares", 1.2e9, "USD"),
        ("es", "3.000 millones de euros", 3e9, "EUR"),
        ("zh", "45亿美元", 4.5e9, "USD"),
        ("zh", "1.2万亿元", 1.2e12, "CNY"),
        ("zh", "300亿元人民币", 3e10, "CNY"),
        ("zh_Hant", "NT$100 billion", 1e11, "TWD"),
        ("zh_Hant", "新台幣500億元", 5e10, "TWD"),
        ("ko", "1200亿韩元", 1.2e11, "KRW"),
        ("ja", "3000億円", 3e11, "JPY"),
        ("ja", "1兆2000億円", 1.2e12, "JPY"),
        ("ja", "20億ドル", 2e9, "USD"),
        ("ko", "4조 5천억 원", 4.5e12, "KRW"),
        ("ko", "2조원", 2e12, "KRW"),
        ("ko", "80억 달러", 8e9, "USD"),
        ("ru", "1,5 млрд долларов", 1.5e9, "USD"),
        ("ru", "300 млн рублей", 3e8, "RUB"),
        ("ru", "2 млрд руб.", 2e9, "RUB"),
        ("en", "HK$8bn", 8e9, "HKD"),
        ("en", "£1.2bn", 1.2e9, "GBP"),
        ("en", "$300m", 3e8, "USD"),
        ("en", "USD 2.5 billion", 2.5e9, "USD"),
        ("en", "€500,000", 5e5, "EUR"),
        ("en", "5 trillion won", 5e12, "KRW"),
        (None, "$2.5 billion", 2.5e9, "USD"),
        (None, "1,5 млрд долларов", 1.5e9, "USD"),
    ],
)
def test_amount_forms(language: str | None, text: str, value: float, currency: str) -> None:
    found = find_amounts(f"Der Preis: {text}, sagte er.", language)
    assert len(found) == 1
    amount = found[0].amount
    assert amount.text.strip() in text
    assert amount.value == pytest.approx(value)
    assert amount.currency == currency


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Samsung shipped 137,000 units in 2026."),
        ("en", "It holds a 5% stake, up 12.5 percent."),
        ("en", "Samsung won 3 design awards in 2025."),
        ("en", "300 million Chinese consumers"),
        ("de", "Das Werk hat 1.200 Mitarbeiter und 5 Mio. Kunden."),
        ("zh", "2026年第三季度销量增长30%"),
        ("ko", "2026년 3분기 판매량 500만 대"),
        ("ja", "2026年に300万台を販売"),
        ("ru", "в 2026 году продано 5 млн смартфонов"),
    ],
)
def test_figures_that_are_not_money(language: str, text: str) -> None:
    assert find_amounts(text, language) == []


def test_a_year_before_a_figure_is_not_read_as_dollars() -> None:
    found = find_amounts("In 2026 $5bn changed hands", "en")
    assert [(f.amount.text, f.amount.value) for f in found] == [("$5bn", 5e9)]


def test_offsets_and_several_amounts() -> None:
    text = "Samsung zahlt 8 Mrd. Dollar; Harman setzte 2025 rund 10 Milliarden Euro um."
    found = find_amounts(text, "de")
    assert [text[f.start : f.end] for f in found] == ["8 Mrd. Dollar", "10 Milliarden Euro"]


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Amount("80억 달러", 8e9, "USD"), "US$8.0 bn"),
        (Amount("€1,5 Mrd.", 1.5e9, "EUR"), "€1.5 bn"),
        (Amount("4조 5천억 원", 4.5e12, "KRW"), "₩4.5 tn"),
        (Amount("300 млн рублей", 3e8, "RUB"), "RUB 300.0 m"),
    ],
)
def test_compact_format(amount: Amount, shown: str) -> None:
    assert format_amount(amount) == shown
