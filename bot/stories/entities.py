"""Entity finders: the language-independent ids the stories compare (companies, topics).

Owns the adapters from the company table (``bot.companies``: names in EN/DE/FR/ES/ZH/JA/
KO/RU, ``company_table().find(text) -> [Mention(company, surface, start, end)]``) and from
the configured topics (a ``Matcher``, which already maps 삼성/三星/Samsung to one topic) to
an ``EntityFinder``: text -> ids such as ``co:samsung`` and ``topic:samsung``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any, Protocol

from bot.match import Matcher
from bot.stories.fingerprint import EntityFinder


class _Mention(Protocol):
    @property
    def company(self) -> Any: ...


class CompanyTable(Protocol):
    def find(self, text: str) -> Iterable[_Mention]: ...


def company_id(company: Any) -> str:
    """A company's id: its ``id`` attribute, else its ``name``, else itself as text."""
    for attribute in ("id", "key", "name"):
        value = getattr(company, attribute, None)
        if isinstance(value, str) and value:
            return value
    return str(company)


def company_finder(table: CompanyTable | None = None) -> EntityFinder | None:
    """Companies named in a text, from ``table`` or the shipped table; None when no table
    ships with this version."""
    if table is None:
        try:
            module = importlib.import_module("bot.companies")
        except ImportError:
            return None
        table = module.company_table()
    found_in = table

    def find(text: str) -> set[str]:
        return {f"co:{company_id(mention.company)}" for mention in found_in.find(text)}

    return find


def topic_finder(matcher: Matcher) -> EntityFinder:
    """The configured topics a text mentions, as ``topic:<name>``."""

    def find(text: str) -> set[str]:
        return {f"topic:{topic}" for topic in matcher.match(text).topics}

    return find


def combined(*finders: EntityFinder | None) -> EntityFinder | None:
    """One finder over several (the ones that are None left out)."""
    present = [finder for finder in finders if finder is not None]
    if not present:
        return None

    def find(text: str) -> set[str]:
        return {entity for finder in present for entity in finder(text)}

    return find
