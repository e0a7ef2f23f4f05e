"""Items and search in PostgreSQL: every item ever seen (its dedupe key kept as long as its
feed exists), its text while it is recent, and its search vector (``items.search``).

Search gives the answers SQLite's FTS5 gives. The text goes through the same transform
(``bot.searchtext.index_text``: CJK and Hangul runs as bigrams), then is folded as FTS5's
``unicode61 remove_diacritics 2`` tokenizer folds it (lower case, diacritics dropped, every
character that is not a letter or a digit a separator: ``search_text``), and only then
reaches ``to_tsvector('simple', …)``, whose parser sees nothing but words between spaces.
A query (``bot.searchtext.fts_query``'s phrases) is folded the same way into a tsquery of
phrases (``<->``) joined by ``&``. Ranking: ``ts_rank_cd`` with the title weighing double
the text, divided by (1 + age in weeks), as the SQLite backend divides bm25. A hit
carries the deal of the item's story.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

import regex

from bot.errors import StorageError
from bot.models import Item, SearchHit
from bot.searchtext import index_text
from bot.store.common import item_columns
from bot.store.postgres.base import TEXTS, Conn, PGBase, dt, execute_many, fetch_all, json_list
from bot.store.postgres.storydeals import story_deals

_SEPARATORS = re.compile(r"[\W_]+")
# UTF-8 bytes: every ASCII character that is not a letter or a digit (what [\W_] matches
# in ASCII) as a space; the bytes of other characters as they are
_ASCII_SEPARATORS = bytes(c if c > 127 or chr(c).isalnum() else 32 for c in range(256))
_MARKS = regex.compile(r"\p{Mn}+")
_PHRASE = re.compile(r'"((?:[^"]|"")*)"')
# a tsvector holds at most 1 MB; an item's text is far shorter, a hostile one is cut
MAX_INDEXED = 200_000
# weights {D, C, B, A}: a title (A) hit counts double a text (B) hit. Cover density
# without length normalisation orders as FTS5's bm25 does on tests/test_postgres.py's
# corpus in four languages (ts_rank, and either with normalisation, did not)
RANK_WEIGHTS = "{0.0, 0.0, 0.5, 1.0}"
RANK = f"ts_rank_cd('{RANK_WEIGHTS}', i.search, q)"
# a poll's new items in one statement, as one JSON array of one object per item in the
# poll's order: a row each costs psycopg a statement's overhead per item on the client, and
# an array per column costs it a Python loop over every value (json.dumps works in C)
INSERT_ITEMS = """
INSERT INTO items (feed_id, key, title, text, link, canonical_url, author, language,
                   published, seen_at, search)
SELECT %(feed_id)s, t.key, t.title, t.text, t.link, t.canonical_url, t.author, t.language,
       t.published, %(seen_at)s,
       setweight(to_tsvector('simple', t.search_title), 'A')
       || setweight(to_tsvector('simple', t.search_text), 'B')
FROM json_array_elements(%(items)s::json) WITH ORDINALITY AS e(item, n),
     json_to_record(e.item) AS t(key text, title text, text text, link text,
                                 canonical_url text, author text, language text,
                                 published timestamptz, search_title text, search_text text)
ORDER BY e.n
ON CONFLICT (feed_id, key) DO NOTHING
"""
SEARCH_VECTOR = (
    "setweight(to_tsvector('simple', %(search_title)s), 'A') || "
    "setweight(to_tsvector('simple', %(search_text)s), 'B')"
)


def search_text(text: str) -> str:
    """``text`` as the index holds it: CJK bigrams, lower case, no diacritics, words
    separated by single spaces."""
    text = index_text(text[:MAX_INDEXED]).lower()
    if not text.isascii():
        bare = _MARKS.sub("", unicodedata.normalize("NFD", text))  # é -> e: marks dropped
        text = unicodedata.normalize("NFC", bare)  # Hangul syllables composed again
    return " ".join(_words(text))


def _words(text: str) -> list[str]:
    """``_SEPARATORS.split(text)`` without its empty ends, 2-3 times faster: the ASCII
    separators become spaces by a byte table in C and the text splits on white space
    (every white space character is a separator too); only the few words that hold a
    non-ASCII character are split by the expression."""
    spaced = text.encode("utf-8", "surrogatepass").translate(_ASCII_SEPARATORS)
    words: list[str] = []
    for word in spaced.decode("utf-8", "surrogatepass").split():
        if word.isascii():
            words.append(word)
        else:
            words += [part for part in _SEPARATORS.split(word) if part]
    return words


def search_vector_params(title: str | None, text: str | None) -> dict[str, str]:
    return {"search_title": search_text(title or ""), "search_text": search_text(text or "")}


def tsquery(match: str) -> str:
    """The tsquery of an FTS5 expression ``bot.searchtext.fts_query`` wrote (quoted phrases
    joined by AND). StorageError when ``match`` is not one."""
    phrases: list[str] = []
    rest = match.strip()
    while rest:
        found = _PHRASE.match(rest)
        if found is None:
            raise StorageError(f"search: malformed expression {match!r}")
        words = search_text(found.group(1).replace('""', '"')).split()
        if words:
            phrases.append("(" + " <-> ".join(f"'{word}'" for word in words) + ")")
        rest = rest[found.end() :].strip()
        if rest:
            if not rest.startswith("AND "):
                raise StorageError(f"search: malformed expression {match!r}")
            rest = rest[4:].strip()
    if not phrases:
        raise StorageError(f"search: malformed expression {match!r}")
    return " & ".join(phrases)


class ItemsMixin(PGBase):
    async def unseen_keys(self, feed_id: int, keys: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return set()
        rows = await self._query(
            f"SELECT key FROM items WHERE feed_id = %(feed_id)s AND key = ANY({TEXTS})",
            {"feed_id": feed_id, "keys": json_list(wanted)},
        )
        return set(wanted) - {row["key"] for row in rows}

    async def search(
        self, match: str, since: datetime, now: datetime, *, limit: int = 10
    ) -> list[SearchHit]:
        query = tsquery(match)

        async def run(conn: Conn) -> list[SearchHit]:
            rows = await fetch_all(
                conn,
                "SELECT i.title, i.text, i.link, i.published, i.seen_at, f.name AS feed, "
                "si.story_id FROM items i JOIN feeds f ON f.id = i.feed_id "
                "LEFT JOIN story_items si ON si.item_id = i.id, "
                "to_tsquery('simple', %(query)s) q "
                "WHERE i.search @@ q AND coalesce(i.published, i.seen_at) >= %(since)s "
                f"ORDER BY {RANK} / (1.0 + greatest(0, "
                "extract(epoch FROM %(now)s - coalesce(i.published, i.seen_at))) / 604800.0) "
                "DESC, i.id LIMIT %(limit)s",
                {"query": query, "since": since, "now": now, "limit": limit},
            )
            deals = await story_deals(conn, {row["story_id"] for row in rows if row["story_id"]})
            return [
                SearchHit(
                    title=row["title"] or "",
                    text=row["text"] or "",
                    url=row["link"],
                    feed=row["feed"],
                    published=dt(row["published"] or row["seen_at"]) or now,
                    deal=deals.get(row["story_id"]),
                )
                for row in rows
            ]

        return await self._run(run)

    async def items_since(self, since: datetime, *, limit: int = 2000) -> list[Item]:
        rows = await self._query(
            "SELECT i.*, f.name AS feed FROM items i JOIN feeds f ON f.id = i.feed_id "
            "WHERE i.seen_at >= %(since)s AND i.text IS NOT NULL "
            "ORDER BY i.seen_at DESC, i.id DESC LIMIT %(limit)s",
            {"since": since, "limit": limit},
        )
        return [
            Item(
                key=row["key"],
                title=row["title"] or "",
                text=row["text"] or "",
                link=row["link"],
                canonical_url=row["canonical_url"],
                published=dt(row["published"]),
                language=row["language"],
                author=row["author"],
            )
            for row in rows
        ]

    async def prune(self, before: datetime) -> int:
        return await self._write(
            "UPDATE items SET text = NULL, author = NULL, search = NULL "
            "WHERE seen_at < %(before)s AND text IS NOT NULL",
            {"before": before},
        )


async def insert_items(
    conn: Conn, feed_id: int, items: Sequence[Item], now: datetime
) -> dict[str, int]:
    """Save a poll's new items and index them (inside the poll's transaction); return the
    row id of each key. A key the feed already has (another process saved it first) keeps
    its row and its index entry."""
    if not items:
        return {}
    saved: dict[str, Item] = {}
    for item in items:  # the first of a key repeated in ``items``
        saved.setdefault(item.key, item)
    rows = [
        {
            **item_columns(item),
            "published": item.published.isoformat() if item.published else None,
            **search_vector_params(item.title, item.text),
        }
        for item in saved.values()
    ]
    await conn.execute(INSERT_ITEMS, {"feed_id": feed_id, "seen_at": now, "items": json_list(rows)})
    return await item_ids(conn, feed_id, list(saved))


async def item_ids(conn: Conn, feed_id: int, keys: Sequence[str]) -> dict[str, int]:
    """The row id of each stored key of a feed."""
    if not keys:
        return {}
    rows = await fetch_all(
        conn,
        f"SELECT id, key FROM items WHERE feed_id = %(feed_id)s AND key = ANY({TEXTS})",
        {"feed_id": feed_id, "keys": json_list(keys)},
    )
    return {row["key"]: row["id"] for row in rows}


async def update_items(conn: Conn, ids: Mapping[str, int], updated: Sequence[Item]) -> None:
    """Store what updated entries now read (inside the poll's transaction): their title,
    text, link, author and language, and their search entry, so that ``news`` and
    ``search`` show the new version. The row keeps its key and canonical URL (dedupe keys:
    an update is the same entry), its published and first-seen times; an entry whose text
    retention already dropped takes the new title and link only, and stays out of the
    index as it was."""
    rows = [
        {
            "id": ids[item.key],
            "title": item.title,
            "text": item.text,
            "link": item.link,
            "author": item.author,
            "language": item.language,
            **search_vector_params(item.title, item.text),
        }
        for item in updated
        if item.key in ids
    ]
    if not rows:
        return
    await execute_many(
        conn,
        "UPDATE items SET title = %(title)s, link = coalesce(%(link)s, link), "
        "text = CASE WHEN text IS NULL THEN NULL ELSE %(text)s END, "
        "author = CASE WHEN text IS NULL THEN author ELSE %(author)s END, "
        "language = CASE WHEN text IS NULL THEN language "
        "ELSE coalesce(%(language)s, language) END, "
        f"search = CASE WHEN text IS NULL THEN NULL ELSE {SEARCH_VECTOR} END "
        "WHERE id = %(id)s",
        rows,
    )
