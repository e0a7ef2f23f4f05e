"""Item + the firing rules' matched terms -> 1–3 sentences of the item's own text that carry
the news.

Each sentence scores for the rules' topics it mentions (more for those no chosen sentence
mentions yet, so that together they cover the rules' topics without repeating), for
standing first (news puts the news first), and for the marks of news that hold in every language:
a figure (an amount, a percentage, a count; not a bare year), a source saying it ("said",
"laut", "selon", "表示", "밝혔다"…) and a day ("on Tuesday", "11日", "10일"); a little less
the later it stands. Sentences are taken best first while they fit; the chosen ones keep
their original order. A
sentence that is boilerplate (``bot.ingest.clean.boilerplate_kind``) or repeats the title
(with or without a source name around it) is never chosen, and a text that is only the
title again (a Google News description: "<a>Title</a> Publisher") gives no summary at all.
At most 400 characters, never cut inside a word, invisible characters removed, plain text
in the item's language.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence

import regex

from bot.models import Item
from bot.text import shorten, single_line, split_sentences, strip_invisible

MAX_CHARS = 400
MAX_SENTENCES = 3
MAX_SOURCE_CHARS = 10_000  # summaries come from the start of long articles
MAX_CANDIDATES = 60  # sentences considered
_CJK_SENTENCE_END = ("。", "！", "？", "」", "』")
_NOT_WORD = regex.compile(r"[\W_]+")
_TITLE_SOURCE = regex.compile(r"\s+[-–—|·:]\s+[^-–—|·:]{1,60}$")

Terms = Sequence[str] | Mapping[str, Sequence[str]]


def summarize(
    item: Item, terms: Terms, *, limit: int = MAX_CHARS, sentences: int = MAX_SENTENCES
) -> str:
    """The summary of ``item`` that best carries why it matched: ``terms`` are the matched
    surface strings, per topic (a mapping) or each its own topic (a sequence)."""
    from bot.ingest.clean import boilerplate_kind  # its patterns cost a start 40 ms to compile

    topics = _topics(terms)
    title = _key(item.title)
    titles = {title, _key(_TITLE_SOURCE.sub("", item.title))} - {""}
    text = strip_invisible(item.text[:MAX_SOURCE_CHARS])
    all_sentences = [single_line(s) for s in split_sentences(text, item.language)]
    if titles and _only_the_title(all_sentences, titles):
        return ""
    candidates = [
        s for s in all_sentences if s and not _repeats(s, titles) and boilerplate_kind(s) is None
    ][:MAX_CANDIDATES]
    if not candidates:
        return ""
    mentions = [
        frozenset(t for t, words in topics.items() if _mentions(s, words)) for s in candidates
    ]
    base = [_score(index, sentence) for index, sentence in enumerate(candidates)]
    chosen: list[int] = []
    covered: set[str] = set()
    used = 0
    remaining = list(range(len(candidates)))
    while remaining and len(chosen) < sentences:
        best = max(
            remaining,
            key=lambda i: (base[i] + _topic_score(mentions[i], covered), -i),
        )
        remaining.remove(best)
        cost = len(candidates[best]) + (1 if chosen else 0)
        if used + cost <= limit:
            chosen.append(best)
            covered |= mentions[best]
            used += cost
        elif not chosen:  # the best sentence alone is over the limit
            return shorten(candidates[best], limit)
    return _join(candidates[i] for i in sorted(chosen))


# weights of what makes a sentence the news (see the module docstring)
NEW_TOPIC = 1.5  # per topic of the rules that no chosen sentence mentions yet (two at most)
OLD_TOPIC = 0.5  # per topic already mentioned (two at most): repetition says less
LEAD = 0.75
FIGURE = 1.0
SOURCE = 0.75
DAY = 0.5
LATER = 0.05  # per sentence before it

_FIGURE = regex.compile(
    r"[$€£¥₩]\s?\d|\d\s?(?:[$€£¥₩元円원%]|percent|per cent|prozent|pour cent|por ciento"
    r"|per cento|por cento|procent|процент|\p{Han}?[万亿億]|[조억만]|billion|million|milliard"
    r"|mrd|mio|millones|milioni|milhões|миллиард|миллион|млрд|млн)"
    r"|(?<!\d)(?!(?:19|20)\d\d(?!\d))\d{2,}(?:[.,]\d+)*(?!\d)",
    regex.IGNORECASE,
)
_SOURCE = regex.compile(
    r"(?i)\b(?:said|says|told|announced|confirmed|according to|reported|sagte|sagt|teilte"
    r"|kündigte|bestätigte|laut|erklärte|a annoncé|a indiqué|a déclaré|selon|a confirmé"
    r"|ha annunciato|ha detto|ha confermato|secondo|anunció|dijo|confirmó|según|afirmou"
    r"|anunciou|disse|segundo|zei|volgens|maakte bekend|сообщил\w*|заявил\w*|по данным)\b"
    r"|表示|宣布|透露|证实|證實|据悉|據悉|発表|明らかにした|によると|밝혔다|말했다|발표했다|따르면"
)
_DAY = regex.compile(
    r"(?i)\b(?:today|yesterday|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|heute|gestern|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
    r"|aujourd'hui|hier|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|hoy|ayer|lunes|martes|miércoles|jueves|viernes|sábado|domingo"
    r"|oggi|ieri|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica"
    r"|hoje|ontem|segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira"
    r"|vandaag|gisteren|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
    r"|сегодня|вчера|в понедельник|во вторник|в среду|в четверг|в пятницу)\b"
    r"|(?<!\d)\d{1,2}\s?[日일](?!\s?[本元])|今日|本日|今天|昨天|昨日|오늘|어제"
)


def _score(index: int, sentence: str) -> float:
    """What a sentence scores besides the topics it mentions."""
    score = -LATER * index
    if index == 0:
        score += LEAD
    if _FIGURE.search(sentence):
        score += FIGURE
    if _SOURCE.search(sentence):
        score += SOURCE
    if _DAY.search(sentence):
        score += DAY
    return score


def _topic_score(mentioned: frozenset[str], covered: set[str]) -> float:
    new = len(mentioned - covered)
    return NEW_TOPIC * min(new, 2) + OLD_TOPIC * min(len(mentioned) - new, 2)


def _topics(terms: Terms) -> dict[str, tuple[str, ...]]:
    """Topic -> folded surface strings."""
    if isinstance(terms, Mapping):
        pairs: Iterable[tuple[str, Sequence[str]]] = terms.items()
    else:
        pairs = ((term, (term,)) for term in terms)
    return {
        topic: tuple(folded for word in words if (folded := _fold(word))) for topic, words in pairs
    }


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", strip_invisible(text)).casefold()


def _mentions(sentence: str, folded_terms: Sequence[str]) -> bool:
    folded = _fold(sentence)
    return any(term in folded for term in folded_terms)


def _key(text: str) -> str:
    """``text`` reduced to its letters and digits, folded: what a repetition is judged by."""
    reduced: str = _NOT_WORD.sub(" ", _fold(text))
    return reduced.strip()


def _repeats(sentence: str, titles: set[str]) -> bool:
    """Whether ``sentence`` is a title again, perhaps with a source name around it: the
    words it adds are all the title's own (Google News: "Title - Source" and "Title Source"),
    or, around a title of three words or more, at most four short words (a source name)."""
    key = _key(sentence)
    if not key:
        return False
    for title in titles:
        if key == title or (len(key) >= 8 and key in title):
            return True
        if title and title in key:
            extra = key.replace(title, " ", 1).split()
            own = set().union(*(t.split() for t in titles))
            if all(word in own for word in extra):
                return True
            if len(title.split()) >= 3 and len(extra) <= 4 and sum(map(len, extra)) <= 30:
                return True  # a source name ("Asia Auto Wire") or a date around it
    return False


def _only_the_title(sentences: list[str], titles: set[str]) -> bool:
    """Whether the whole text says nothing but the title (and a source name)."""
    return bool(sentences) and _repeats(" ".join(sentences), titles)


def _join(parts: Iterable[str]) -> str:
    text = ""
    for part in parts:
        if text and not text.endswith(_CJK_SENTENCE_END):
            text += " "
        text += part
    return text
