"""The shipped CLDR table (bot/data/cldr.tsv) is what Babel gives, and the bot reads it
without importing Babel."""

from __future__ import annotations

import importlib.util
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest

from bot import cldr
from bot.deals import amounts
from bot.deals.model import format_amount
from bot.models import Amount
from tests.helpers import python

ROOT = Path(__file__).resolve().parent.parent


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cldr_tables", ROOT / "bench" / "cldr_tables.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_table_is_the_one_babel_gives() -> None:
    pytest.importorskip("babel", reason="Babel (a test dependency) writes the table")
    shipped = resources.files("bot").joinpath("data", cldr.TABLE_FILE).read_text("utf-8")
    # after a Babel upgrade that changes it: python bench/cldr_tables.py
    assert shipped == _builder().text()


def test_what_the_readers_get_is_what_babel_gives() -> None:
    babel = pytest.importorskip("babel", reason="Babel (a test dependency) is the reference")
    from babel.numbers import get_currency_symbol, get_decimal_symbol, get_group_symbol

    for code in ("en", "de", "fr", "zh", "ko", "iw", "fil", "bho", "pt"):
        locale = babel.Locale.parse(code)
        assert cldr.parse_locale(code) == str(locale)
        assert cldr.number_symbols(str(locale)) == (
            get_decimal_symbol(locale),
            get_group_symbol(locale),
        )
        shipped = cldr.compact_formats(str(locale))
        for style, forms in locale.compact_decimal_formats.items():
            for plural, patterns in forms.items():
                for magnitude, pattern in patterns.items():
                    assert shipped[style][plural][magnitude] == pattern.pattern
    assert cldr.parse_locale("xx") is None
    for iso in (*amounts.CURRENCIES, "XYZ"):
        assert cldr.currency_symbol(iso, "en_CA") == get_currency_symbol(iso, locale="en_CA")
    names = set(cldr.territory_names("ko"))
    assert names == set(babel.Locale.parse("ko").territories.values())
    assert "대한민국" in names


def test_the_table_serves_every_locale_the_code_asks_for() -> None:
    assert "en_CA" in amounts.SYMBOL_LOCALES  # format_amount's locale
    for code in ("en", *amounts.LOCALES):
        assert cldr.compact_formats(code)["short"]
        assert cldr.currencies(code)["USD"]["name"]
    assert cldr.number_symbols("de") == (",", ".")
    assert cldr.parse_locale("pt-BR") == cldr.parse_locale("pt")
    assert format_amount(Amount("80억 달러", 8e9, "USD")) == "US$8.0 bn"
    assert amounts.find_amounts("Der Preis: 1,5 Mrd. Euro.", "de")[0].amount.value == 1.5e9


async def test_the_bot_reads_numbers_amounts_and_places_without_babel() -> None:
    probe = (
        "import sys\n"
        "from bot.companies import territory_names\n"
        "from bot.deals.amounts import find_amounts\n"
        "from bot.deals.model import format_amount\n"
        "from bot.stories.numbers import quantities\n"
        "assert 'Deutschland' in territory_names()\n"
        "found = find_amounts('Samsung zahlt 8 Mrd. Dollar', 'de')\n"
        "assert format_amount(found[0].amount) == 'US$8.0 bn', found\n"
        "assert quantities('13,7万台', 'zh')\n"
        "assert not [name for name in sys.modules if name.split('.')[0] == 'babel']\n"
    )
    code, _, errors = await python("-c", probe)
    assert code == 0, errors
