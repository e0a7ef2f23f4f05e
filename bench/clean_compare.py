"""Which boilerplate remover for feed items? Ours against the libraries, on tests/clean_cases.py.

Run it in a virtual environment that has the candidates (they are not dealbot's
dependencies): ``pip install trafilatura justext readability-lxml inscriptis resiliparse``,
then ``python bench/clean_compare.py``. For each candidate: the share of must-keep strings
kept, the share of must-go strings removed, the cases fully right, and µs per item. Strings
are compared without whitespace, so that a library is not blamed for spacing alone.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import contextlib

from bot.ingest.clean import clean_article
from bot.text import html_to_text
from tests.clean_cases import CASES

Extractor = Callable[[str], str]


def candidates() -> dict[str, Extractor]:
    found: dict[str, Extractor] = {
        "dealbot clean_article": lambda markup: clean_article(markup).text,
        "selectolax html_to_text (no cleaning)": html_to_text,
    }
    try:
        import trafilatura

        found["trafilatura 2 extract"] = lambda m: (
            trafilatura.extract(m, include_comments=False, include_tables=True) or ""
        )
        found["trafilatura 2 extract, favor_recall"] = lambda m: (
            trafilatura.extract(m, include_comments=False, favor_recall=True) or ""
        )
    except ImportError:
        pass
    try:
        import justext

        english = justext.get_stoplist("English")

        def jus(markup: str, stoplist: frozenset[str], **options: float) -> str:
            page = f"<html><body>{markup}</body></html>"
            paragraphs = justext.justext(page, stoplist, **options)
            return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

        # for fragments: no length or stop-word thresholds, link density alone
        fragment = {"length_low": 0, "length_high": 0, "stopwords_low": 0, "stopwords_high": 0}
        found["jusText 3, English stoplist"] = lambda m: jus(m, english)
        found["jusText 3, thresholds off for fragments"] = lambda m: jus(m, english, **fragment)
    except ImportError:
        pass
    try:
        from readability import Document

        found["readability-lxml 0.9"] = lambda m: html_to_text(
            Document(f"<html><body>{m}</body></html>").summary(html_partial=True)
        )
    except ImportError:
        pass
    try:
        from inscriptis import get_text

        found["inscriptis 2 (converter only)"] = get_text
    except ImportError:
        pass
    try:
        from resiliparse.extract.html2text import extract_plain_text

        found["resiliparse 2, main_content"] = lambda m: extract_plain_text(m, main_content=True)
    except ImportError:
        pass
    return found


def _bare(text: str) -> str:
    return "".join(text.split())


def measure(extract: Extractor, rounds: int = 20) -> tuple[float, float, int, float]:
    kept = keep_total = removed = drop_total = perfect = 0
    for _name, markup, keep, drop in CASES:
        try:
            text = _bare(extract(markup))
        except Exception:
            text = ""
        ok_keep = sum(_bare(k) in text for k in keep)
        ok_drop = sum(_bare(d) not in text for d in drop)
        kept += ok_keep
        keep_total += len(keep)
        removed += ok_drop
        drop_total += len(drop)
        perfect += ok_keep == len(keep) and ok_drop == len(drop)
    started = time.perf_counter()
    for _ in range(rounds):
        for _name, markup, _keep, _drop in CASES:
            with contextlib.suppress(Exception):
                extract(markup)
    micros = (time.perf_counter() - started) / rounds / len(CASES) * 1e6
    return kept / keep_total, removed / drop_total, perfect, micros


def main() -> None:
    print(f"{len(CASES)} cases\n")
    print(f"{'candidate':42s} {'kept':>6s} {'removed':>8s} {'perfect':>8s} {'µs/item':>8s}")
    for name, extract in candidates().items():
        keep, drop, perfect, micros = measure(extract)
        print(f"{name:42s} {keep:6.0%} {drop:8.0%} {perfect:5d}/{len(CASES)} {micros:8.0f}")


if __name__ == "__main__":
    main()
