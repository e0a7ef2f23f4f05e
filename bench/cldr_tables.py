"""Writes ``bot/data/cldr.tsv``: the CLDR tables the bot reads, taken from Babel.

    python bench/cldr_tables.py            # rewrite bot/data/cldr.tsv
    python bench/cldr_tables.py --check    # exit 1 when the shipped file differs

The bot reads these tables through ``bot.cldr`` and never imports Babel at run time:
Babel's locale data, once loaded, kept ~15 MB in the bot's process (issue 13's memory
budget). Babel is needed only here (it is a test dependency: ``tests/test_cldr.py``
checks that the shipped file is still what this script writes).

What is taken, per locale (Babel's identifiers: ``de``, ``zh_Hant``, ``he_IL``):

* ``parse``: for every code of two or three lowercase letters that ``Locale.parse``
  accepts, the locale it resolves to (``iw`` -> ``he_IL``), and from each of those
  locales, ``numbers``: the ``latn`` decimal and group symbols, and which ``compact``
  table (``compact_decimal_formats``: style -> plural form -> magnitude -> pattern) is
  the locale's, each table written once (under the first locale that has it): the story
  desk reads the numbers of an item in whatever language it is;
* ``currencies``: display names, plural names and symbols of the currencies the deal
  reader knows (``bot.deals.amounts.CURRENCIES``), in the locales it reads them in;
* ``territories``: country and region names in the languages of the company table.
"""

from __future__ import annotations

import argparse
import itertools
import json
import string
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.cldr import TABLE_FILE  # noqa: E402
from bot.companies import TERRITORY_LOCALES  # noqa: E402
from bot.deals.amounts import CURRENCIES, LOCALES, SYMBOL_LOCALES  # noqa: E402

OUTPUT = ROOT / "bot" / "data" / TABLE_FILE
CURRENCY_LOCALES = ("en", *LOCALES)  # the deal reader's scale words and currency names


def _plain(value: Any) -> Any:
    """Babel's lazy dicts and number patterns as plain JSON values, order kept."""
    if hasattr(value, "items"):
        return {str(key): _plain(item) for key, item in value.items()}
    if hasattr(value, "pattern"):
        return str(value.pattern)
    return str(value)


def rows() -> Iterator[tuple[str, str, Any]]:
    """(section, key, value) in file order."""
    from babel import Locale, UnknownLocaleError
    from babel.numbers import get_decimal_symbol, get_group_symbol

    resolved: dict[str, str] = {}
    for size in (2, 3):
        for letters in itertools.product(string.ascii_lowercase, repeat=size):
            code = "".join(letters)
            try:
                resolved[code] = str(Locale.parse(code))
            except (UnknownLocaleError, ValueError):
                continue
    for code, identifier in resolved.items():
        yield "parse", code, identifier
    numbers: dict[str, dict[str, str]] = {}
    compact: dict[str, Any] = {}  # the first locale with a table -> the table
    shared: dict[str, str] = {}  # the table's JSON -> the first locale with it
    for identifier in sorted({*resolved.values(), *CURRENCY_LOCALES}):
        locale = Locale.parse(identifier)
        formats = _plain(locale.compact_decimal_formats)
        first = shared.setdefault(json.dumps(formats, ensure_ascii=False), identifier)
        compact.setdefault(first, formats)
        numbers[identifier] = {
            "compact": first,
            "decimal": get_decimal_symbol(locale),
            "group": get_group_symbol(locale),
        }
    for identifier, formats in compact.items():
        yield "compact", identifier, formats
    for identifier, symbols in numbers.items():
        yield "numbers", identifier, symbols
    for identifier in sorted({*CURRENCY_LOCALES, *SYMBOL_LOCALES}):
        locale = Locale.parse(identifier)
        plural = locale._data["currency_names_plural"]
        yield (
            "currencies",
            identifier,
            {
                iso: {
                    "name": locale.currencies.get(iso),
                    "plural": _plain(plural.get(iso) or {}),
                    "symbol": locale.currency_symbols.get(iso),
                }
                for iso in CURRENCIES
            },
        )
    for identifier in TERRITORY_LOCALES:
        yield "territories", identifier, sorted(set(Locale.parse(identifier).territories.values()))


def header() -> list[str]:
    import babel
    from babel.core import get_cldr_version

    return [
        f"# CLDR {get_cldr_version()} as Babel {babel.__version__} gives it; written by "
        "bench/cldr_tables.py, do not edit",
        "# section<TAB>locale or code<TAB>JSON value (see bot/cldr.py)",
    ]


def text() -> str:
    lines = header()
    for section, key, value in rows():
        lines.append(f"{section}\t{key}\t{json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    written = text()
    if args.check:
        same = OUTPUT.read_text(encoding="utf-8") == written
        print(f"{OUTPUT.relative_to(ROOT)}: {'up to date' if same else 'DIFFERS'}")
        return 0 if same else 1
    OUTPUT.write_text(written, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({len(written.encode()) // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
