"""An item's language: the declared one when the text agrees, else the detected one.

Feeds declare one language for every item, and aggregators and multilingual sites get it
wrong (a German story in a feed that says ``en``). Detection (fastText, ``bot.text``) costs
tens of µs an item, so a declared language is first checked cheaply: the script of the
text's letters must be one the language is written in, and for languages written in the
Latin alphabet a fair share of the first words must be its function words ("the", "der",
"le"…). Only a text that fails the check, or has no declared language, is detected.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from bot.models import Item
from bot.scripts import HAN, HANGUL, KANA
from bot.text import detect_language, primary_language

_SAMPLE = 600  # characters looked at
_WORDS_SAMPLE = 300  # characters whose words are checked
_SCRIPT_SAMPLE = 80  # characters whose letters' scripts are counted
_MIN_WORDS = 8  # fewer words: too little to doubt a declaration
_MIN_FUNCTION_SHARE = 0.2  # of the first words: function words of the declared language
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
# letters outside the Latin blocks (Greek onwards, CJK, Hangul), for Latin-script languages
_NOT_LATIN = re.compile(r"[\u0370-\u1dff\u2e80-\ua6ff\uac00-\ud7af\uf900-\ufaff]")
_SCRIPT_LETTERS = {
    "Cyrillic": "\u0400-\u052f", "Greek": "\u0370-\u03ff\u1f00-\u1fff",
    "Han": HAN, "Kana": KANA, "Hangul": HANGUL,
    "Arabic": "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff",
    "Hebrew": "\u0590-\u05ff", "Thai": "\u0e00-\u0e7f", "Devanagari": "\u0900-\u097f",
    "Latin": "A-Za-z\u00c0-\u024f\u1e00-\u1eff",
}  # fmt: skip
_MIN_SCRIPT_SHARE = 0.5  # of the letters: in a script the declared language is written in
_SCRIPTS_OF = {
    language: frozenset(scripts.split())
    for language, scripts in {
        "ja": "Kana Han", "zh": "Han", "ko": "Hangul Han", "ru": "Cyrillic", "uk": "Cyrillic",
        "bg": "Cyrillic", "be": "Cyrillic", "kk": "Cyrillic", "mk": "Cyrillic",
        "sr": "Cyrillic Latin", "mn": "Cyrillic", "el": "Greek", "ar": "Arabic", "fa": "Arabic",
        "ur": "Arabic", "he": "Hebrew", "th": "Thai", "hi": "Devanagari", "mr": "Devanagari",
        "ne": "Devanagari",
    }.items()
}  # fmt: skip
# The commonest function words of languages written in Latin letters.
_FUNCTION_WORDS = {
    "en": "the of and to a in is for on that with as by it at from was be are has an this "
    "will its have said he they we not or but",
    "de": "der die das und in den von zu mit ist im für auf des sich nicht ein eine dem es "
    "auch als an wird bei hat sie nach werden um aus",
    "fr": "le la les de des du et à un une en est que pour dans sur qui par au pas plus il "
    "ce avec se sont a aux elle",
    "es": "el la los las de del y en que a un una es por con para se su al lo como más no ha sus o",
    "it": "il la le i gli di del della e che in un una è per con non si da al dei sono alla "
    "anche ha nel lo",
    "pt": "o a os as de do da dos das e em um uma é que para com não por se no na mais ao foi pelo",
    "nl": "de het een en van in is op dat te met voor zijn die niet aan er ook als bij door "
    "om naar",
    "sv": "och i att det som en på är av för med till den har de inte om ett var",
    "da": "og i at det en til er som på de med for af den har ikke et var",
    "no": "og i det som en på er til av for med at den har de ikke et var",
    "pl": "i w na z się do nie że to jest o jak po a od przez dla",
    "cs": "a v se na je že s z do o to jako by k pro",
    "tr": "ve bir bu da de için ile olarak çok daha en gibi olan",
    "id": "dan yang di ini itu dengan untuk dari dalam akan pada tidak",
    "vi": "và của là có các được cho trong một những với không này",
}
_FUNCTION_SETS = {language: frozenset(words.split()) for language, words in _FUNCTION_WORDS.items()}


def with_languages(items: Sequence[Item]) -> tuple[Item, ...]:
    """The items of one document, each with its language (``item_language``) in place of
    the declared one. A document's items are checked one after the other, after they are
    all read: fastText's model then stays in the CPU's caches from one detection to the
    next (between two items' cleaning, a detection cost two to three times as much)."""
    checked = []
    for item in items:
        language = item_language(item.title, item.text, item.language)
        checked.append(item if language == item.language else replace(item, language=language))
    return tuple(checked)


def item_language(title: str, text: str, declared: str | None) -> str | None:
    """The language of an item: ``declared`` (a tag such as "de-DE" or "en") when the text
    agrees with it, else the language detected from the text, else ``declared``."""
    declared = primary_language(declared)
    sample = f"{title}\n{text}"[:_SAMPLE]
    if declared is not None and plausible(sample, declared):
        return declared
    return detect_language(f"{title}\n{text}") or declared


def plausible(sample: str, language: str) -> bool:
    """Whether ``sample`` may be written in ``language``, by cheap evidence only."""
    scripts = _SCRIPTS_OF.get(language, _LATIN)
    head = sample[:_SCRIPT_SAMPLE]
    if scripts == _LATIN:
        if not head.isascii():
            foreign = len(_NOT_LATIN.findall(head))
            if foreign and foreign >= _MIN_SCRIPT_SHARE * len(_LETTER.findall(head)):
                return False
    else:
        # letters to compare with: everything non-ASCII (C-fast count) and Latin letters
        foreign = len(head) - len(head.encode("ascii", errors="ignore"))
        latin = len(_ASCII_LETTER.findall(head))
        if foreign + latin and (
            len(_letters_in(scripts).findall(head)) < _MIN_SCRIPT_SHARE * (foreign + latin)
        ):
            return False
        if language == "zh" and len(_letters_in(_KANA).findall(head)) * 10 > foreign:
            return False  # Japanese: kanji with kana around them
    if language not in _FUNCTION_SETS:
        return True
    words = _WORD.findall(sample[:_WORDS_SAMPLE].lower())
    if len(words) < _MIN_WORDS:
        return True
    function_words = _FUNCTION_SETS[language]
    share = sum(word in function_words for word in words) / len(words)
    return share >= _MIN_FUNCTION_SHARE


_LATIN = frozenset({"Latin"})
_KANA = frozenset({"Kana"})
_SCRIPT_PATTERNS: dict[frozenset[str], re.Pattern[str]] = {}


def _letters_in(scripts: frozenset[str]) -> re.Pattern[str]:
    pattern = _SCRIPT_PATTERNS.get(scripts)
    if pattern is None:
        pattern = re.compile("[" + "".join(_SCRIPT_LETTERS[s] for s in sorted(scripts)) + "]")
        _SCRIPT_PATTERNS[scripts] = pattern
    return pattern
