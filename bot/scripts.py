"""Unicode ranges of the East Asian scripts, defined once, as regular-expression class
contents: Han (with the extensions and the compatibility ideographs), kana (half-width
too) and Hangul (syllables and jamo).

Chinese and Japanese are written without spaces between words: a text may be cut between
any two of their characters. Korean is written with spaces, so it is cut at a space like
any spaced script; but all three say more per character than a Latin letter does, and the
search index splits runs of all three into bigrams.
"""

from __future__ import annotations

import re

HAN = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
KANA = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"
HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"

UNSPACED = re.compile(f"[{HAN}{KANA}]")  # a character of a script written without spaces
EAST_ASIAN = re.compile(f"[{HAN}{KANA}{HANGUL}]")
