"""The company table: ~670 technology companies with their names in every language dealbot
reads, and where a text names them.

The table is data (``bot/data/companies.tsv``; its header gives the source and the format),
loaded once, on first use. Names are matched with the topic-term rules of
``bot.match.terms`` (script-aware boundaries, Hangul at the start of a word, Chinese and
Japanese anywhere, English plural and possessive), compiled lazily so that loading stays
fast. Two markers handle names that are also common words:

* ``=Name``: case-sensitive (``=LG`` never matches ``lg`` in a URL, ``=Apple`` not ``apple``);
* ``~Name``: case-sensitive and confirmed: it counts only when the same text also names the
  company by an unmarked name, or a company word follows it (``Sharp Corp.``, ``联想集团``);
  a Hangul ``~`` name must stand alone or take a particle (``애플이``, not ``애플리케이션``), and
  a katakana one must be a whole katakana word (``メタは``, not ``メタバース``).

A Russian name also matches its case forms ("Ростелекомом", "Сберу"), written with a capital.
Where mentions overlap, the longest wins (``京东方`` is BOE, not ``京东`` + ``方``;
``Samsung SDI`` is not Samsung Electronics).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import regex

from bot import cldr
from bot.match.highlight import normalize_with_offsets
from bot.match.terms import Hit, Matcher, normalize_text

_STRONG, _CASE, _WEAK = 0, 1, 2
# The languages of the table, whose place names are never a company (territory_names).
TERRITORY_LOCALES = ("en", "de", "fr", "es", "zh", "zh_Hant", "ja", "ko", "ru")

# What may follow a confirmed (~) name to make it a company: legal forms and "group" words.
_COMPANY_WORD = regex.compile(
    r"[\s,]*(?:Inc\b|Corp\b|Corporation\b|Co\.|Ltd\b|Limited\b|AG\b|SE\b|S\.?A\.|plc\b|PLC\b"
    r"|Group\b|Holdings\b|GmbH\b|N\.V\.|Electronics\b|Motor\b|Technologies\b"
    r"|公司|集团|集團|控股|股份|汽车|汽車|科技|电子|電子|株式会社|グループ|ホールディングス"
    r"|그룹|홀딩스|社)"
)
_HANGUL_PARTICLE = regex.compile(
    r"(?:\P{Hangul}|$|(?:에서|에게|으로|보다|처럼|까지|부터|과의|와의|은|는|이|가|을|를|의|와|과"
    r"|도|에|로|만|측|사)(?!\p{Hangul}))"
)
_INFLECTED = regex.compile(r"\p{Cyrillic}{3}$")
_KATAKANA = regex.compile(r"[\p{Katakana}ー]")
_SEPARATORS = regex.compile(r"[\s\-\u2010-\u2015\u2212]+")


@dataclass(frozen=True, slots=True)
class Company:
    """One company: ``names`` are its aliases as written in the table, without markers."""

    id: str
    name: str
    country: str
    sector: str
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Mention:
    """A company named in a text; offsets are in the text as given to ``find``."""

    company: str
    surface: str
    start: int
    end: int


class CompanyTable:
    """Every company, its names compiled into one matcher."""

    def __init__(self, companies: Sequence[Company], flags: dict[tuple[str, str], int]) -> None:
        self._companies = {company.id: company for company in companies}
        self._flags = flags
        terms: dict[str, list[str]] = {}
        for company in companies:
            terms[company.id] = list(company.names)
            for name in company.names:
                if _INFLECTED.search(name):  # Russian cases: "Ростелекомом", "Сберу"
                    terms[company.id].append(name + "*")
                    flag = flags.get((company.id, name), _STRONG)
                    flags[(company.id, name + "*")] = _WEAK if flag == _WEAK else _CASE
        self._matcher = Matcher(terms)
        self._by_name: dict[str, str] = {}
        for company in companies:
            for name in company.names:
                if flags.get((company.id, name), _STRONG) == _STRONG:
                    self._by_name.setdefault(name.casefold(), company.id)
                else:
                    self._by_name.setdefault(name, company.id)

    def __len__(self) -> int:
        return len(self._companies)

    def __iter__(self) -> Iterator[Company]:
        return iter(self._companies.values())

    def get(self, company_id: str) -> Company | None:
        return self._companies.get(company_id)

    def lookup(self, name: str) -> Company | None:
        """The company one of whose names is exactly ``name`` (marked names: same case)."""
        name = normalize_text(name).strip()
        company_id = self._by_name.get(name) or self._by_name.get(name.casefold())
        return self._companies.get(company_id) if company_id else None

    def find(self, text: str) -> list[Mention]:
        """The companies named in ``text``, in order; offsets refer to ``text`` as given (to
        ``normalize_text(text)`` as well when the text is already normalized)."""
        normalized = normalize_text(text)
        starts: list[int] | None = None
        ends: list[int] | None = None
        if normalized != text:
            normalized, starts, ends = normalize_with_offsets(text)
        hits = [
            hit
            for hit in self._matcher.find(normalized)
            if self._case_ok(hit) and not self._glued(hit, normalized)
        ]
        chosen: list[Hit] = []
        taken: list[tuple[int, int]] = []
        for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
            if any(hit.start < end and start < hit.end for start, end in taken):
                continue
            chosen.append(hit)
            taken.append((hit.start, hit.end))
        strong = {h.topic for h in chosen if self._flag(h) != _WEAK}
        mentions: list[Mention] = []
        for hit in sorted(chosen, key=lambda h: h.start):
            if self._flag(hit) == _WEAK and not self._confirmed(hit, normalized, strong):
                continue
            start, end = hit.start, hit.end
            if starts is not None and ends is not None:
                start, end = starts[hit.start], ends[hit.end - 1]
            mentions.append(Mention(hit.topic, text[start:end], start, end))
        return mentions

    def _flag(self, hit: Hit) -> int:
        return self._flags.get((hit.topic, hit.term), _STRONG)

    def _case_ok(self, hit: Hit) -> bool:
        if self._flag(hit) == _STRONG:
            return True
        written = _SEPARATORS.sub(" ", normalize_text(hit.term).rstrip("*"))
        return str(_SEPARATORS.sub(" ", hit.surface)).startswith(written)

    def _glued(self, hit: Hit, text: str) -> bool:
        """A short capitals name glued to a Korean, Chinese or Japanese word is part of another
        name ("SK쉴더스" is not SK Group); a particle or a company word may follow."""
        if self._flag(hit) == _STRONG or len(hit.term) > 3 or not hit.term.isascii():
            return False
        following = text[hit.end : hit.end + 1]
        if regex.match(r"\p{Hangul}", following):
            return _HANGUL_PARTICLE.match(text, hit.end) is None
        if regex.match(r"[\p{Han}\p{Hiragana}\p{Katakana}]", following):
            return _COMPANY_WORD.match(text, hit.end) is None
        return False

    @staticmethod
    def _confirmed(hit: Hit, text: str, strong: set[str]) -> bool:
        if regex.match(r"\p{Hangul}", hit.term[-1:]):
            return _HANGUL_PARTICLE.match(text, hit.end) is not None
        if regex.match(r"\p{Katakana}", hit.term[-1:]):  # not inside メタバース
            before = text[max(hit.start - 1, 0) : hit.start]
            inside = _KATAKANA.match(text, hit.end) or (before and _KATAKANA.match(before))
            return not inside
        return hit.topic in strong or _COMPANY_WORD.match(text, hit.end) is not None


def parse_table(lines: Sequence[str]) -> CompanyTable:
    """A table from the lines of a companies.tsv (comments and the column header skipped)."""
    companies: list[Company] = []
    flags: dict[tuple[str, str], int] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#") or line.startswith("id\t"):
            continue
        fields = line.rstrip("\n").split("\t")
        if len(fields) != 5:
            raise ValueError(f"companies.tsv:{number}: expected 5 tab-separated fields")
        company_id, name, country, sector, raw_names = fields
        names: list[str] = []
        for raw in raw_names.split("|"):
            bare = raw.lstrip("=~")
            if raw.startswith("="):
                flags[(company_id, bare)] = _CASE
            elif raw.startswith("~"):
                flags[(company_id, bare)] = _WEAK
            names.append(bare)
        companies.append(Company(company_id, name, country, sector, tuple(names)))
    return CompanyTable(companies, flags)


@cache
def company_table() -> CompanyTable:
    """The shipped table, loaded and compiled once."""
    source = resources.files("bot").joinpath("data", "companies.tsv")
    return parse_table(source.read_text(encoding="utf-8").splitlines())


@cache
def territory_names() -> frozenset[str]:
    """Country and region names in every language the table covers (CLDR, shipped in
    ``bot/data/cldr.tsv``, read on first use): places, which many stories name, never a
    company."""
    names: set[str] = set()
    for code in TERRITORY_LOCALES:
        names.update(cldr.territory_names(code))
    return frozenset(names)
