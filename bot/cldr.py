"""The CLDR locale data the bot reads, shipped as ``bot/data/cldr.tsv``.

Owns reading that file: the compact number formats and decimal and group symbols of every
locale (the story desk reads an item's numbers in whatever language it is), the currency
names and symbols the deal reader knows, and country and region names. The file is written
from Babel by ``bench/cldr_tables.py`` (its header names the CLDR release and the Babel
version); Babel itself is not a run-time dependency: its locale data, once loaded, kept
~15 MB in the process, against issue 13's memory budget. Each table is read from the file
when first asked for (its one line of the file parsed) and kept.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

TABLE_FILE = "cldr.tsv"  # in bot/data

# compact_decimal_formats: style ("short", "long") -> plural form -> magnitude -> pattern
CompactFormats = dict[str, dict[str, dict[str, str]]]


@cache
def _table() -> bytes:
    """The file as it is (~330 KB): a line is found when asked for, not indexed."""
    return resources.files("bot").joinpath("data", TABLE_FILE).read_bytes()


def _raw(section: str, key: str) -> str | None:
    """The JSON text of a (section, key) line's value, None when there is none."""
    table = _table()
    head = f"\n{section}\t{key}\t".encode()
    start = table.find(head)
    if start < 0:
        return None
    start += len(head)
    end = table.find(b"\n", start)
    return table[start : end if end >= 0 else len(table)].decode("utf-8")


@cache
def _value(section: str, key: str) -> Any:
    raw = _raw(section, key)
    if raw is None:
        raise LookupError(f"{TABLE_FILE}: no {section} table for {key!r}")
    return json.loads(raw)


def parse_locale(code: str) -> str | None:
    """The locale a language code resolves to (Babel's ``Locale.parse``: ``de`` -> ``de``,
    ``iw`` -> ``he_IL``), or None when CLDR has none for it. Codes of two or three
    lowercase letters, as language detection and ``primary_language`` give them; a longer
    tag is read by its language (``pt-BR`` -> ``pt``)."""
    resolved = _raw("parse", code) if "\t" not in code and "\n" not in code else None
    if resolved is None and code[:1].isalpha():
        language = code.replace("-", "_").split("_", 1)[0].lower()
        resolved = _raw("parse", language) if language.isalpha() else None
    return json.loads(resolved) if resolved is not None else None


def compact_formats(locale: str) -> CompactFormats:
    """Babel's ``compact_decimal_formats`` of the locale, the patterns as strings."""
    result: CompactFormats = _value("compact", _value("numbers", locale)["compact"])
    return result


def number_symbols(locale: str) -> tuple[str, str]:
    """The ``latn`` decimal and group symbols: ("," , ".") for ``de``."""
    symbols = _value("numbers", locale)
    return str(symbols["decimal"]), str(symbols["group"])


def currencies(locale: str) -> dict[str, dict[str, Any]]:
    """ISO code -> {"name": display name or None, "plural": plural form -> name,
    "symbol": symbol or None}, for the currencies the deal reader knows."""
    result: dict[str, dict[str, Any]] = _value("currencies", locale)
    return result


def currency_symbol(iso: str, locale: str) -> str:
    """As Babel's ``get_currency_symbol``: the code itself when the locale has no symbol."""
    symbol = currencies(locale).get(iso, {}).get("symbol")
    return str(symbol) if symbol is not None else iso


def territory_names(locale: str) -> list[str]:
    result: list[str] = _value("territories", locale)
    return result
