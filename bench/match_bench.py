"""Micro-benchmark of ``bot.match.Matcher``: microseconds per text as the number of terms grows.

    python bench/match_bench.py [--texts N] [--seed S]

Builds matchers of 10, 100, 500 and 1000 terms (the real topics of ``bench/run.py`` first,
then generated ones: made-up brand names, ``Product{k}*`` wildcards, a few two-word phrases
of common words, some Chinese and Korean) and matches the same N texts (default 2,000) of
about 1,500 characters with each, as the pipeline does: ``matcher.match(title, text)``. The
texts are 60% English, 25% German and 15% Chinese, and about 2% mention a watched term.

An Aho-Corasick pass over the text finds the candidate terms; only those run their regular
expression. So the cost per text should stay nearly flat as terms are added: it grows with
the candidates a text contains (the "cand." column), not with the terms configured.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from generate import CHINESE, ENGLISH, GERMAN, REAL_TOPICS, TextMaker

from bot.match import Matcher, normalize_text

SIZES = (10, 100, 500, 1000)
TOPIC_SIZE = 5  # generated terms per generated topic
ROUNDS = 3  # timed passes per size; the best one counts
SYLLABLES = ("ka", "ro", "vi", "ne", "tal", "mor", "zen", "qu", "ix", "lu", "dra", "pem", "sor")
KOREAN = ("갤럭시", "반도체", "스마트폰", "배터리", "자율주행", "폴더블")


def generated_terms(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct terms of the kinds a real configuration has."""
    terms: dict[str, None] = {}
    while len(terms) < count:
        roll = rng.random()
        k = len(terms)
        if roll < 0.55:  # a made-up brand or product name, sometimes with a model number
            name = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))).capitalize()
            term = f"{name} {rng.randint(2, 99)}" if rng.random() < 0.3 else name
        elif roll < 0.90:
            term = f"Product{k}*"
        elif roll < 0.94:  # two words of the vocabulary: a candidate in many texts, rarely a match
            term = " ".join(rng.choices(ENGLISH if rng.random() < 0.7 else GERMAN, k=2))
        elif roll < 0.97:
            term = "".join(rng.choices(CHINESE, k=2))
        else:
            term = rng.choice(KOREAN) + rng.choice(("", "", "폰", "칩"))
        terms[term] = None
    return list(terms)


def topics_of(size: int, extra: list[str]) -> dict[str, list[str]]:
    """The real topics (cut to ``size`` terms), then generated topics up to ``size`` terms."""
    topics: dict[str, list[str]] = {}
    left = size
    for name, terms in REAL_TOPICS.items():
        if left <= 0:
            break
        topics[name] = terms[:left]
        left -= len(topics[name])
    for start in range(0, left, TOPIC_SIZE):
        topics[f"gen{start // TOPIC_SIZE}"] = extra[start : min(start + TOPIC_SIZE, left)]
    return topics


def make_texts(rng: random.Random, count: int, extra: list[str]) -> list[tuple[str, str]]:
    """``count`` (title, text) pairs of about 1,500 characters."""
    maker = TextMaker(rng, extra_topics=0)
    texts = []
    for _ in range(count):
        language = rng.choices(("en", "de", "zh"), weights=(60, 25, 15))[0]
        title = maker.title(language)
        body = maker.plain_text(language, rng.randint(1300, 1700))
        if language == "zh" and rng.random() < 0.5:  # Chinese news names things in English
            body += " " + maker.sentence("en")
        mentions = [maker.maybe_mention(language)]
        if rng.random() < 0.05:
            mentions.append(rng.choice(extra).removesuffix("*"))
        for mention in filter(None, mentions):
            at = rng.randrange(len(body))
            body = f"{body[:at]} {mention} {body[at:]}"
        texts.append((title, body))
    return texts


def candidates_per_text(matcher: Matcher, texts: list[tuple[str, str]]) -> float:
    """Average number of terms whose literal occurs in a text: the ones that run their regex."""
    total = 0
    for title, body in texts:
        folded = [normalize_text(text).casefold() for text in (title, body)]
        total += sum(any(term.key in text for text in folded) for term in matcher.terms)
    return total / len(texts)


def measure(
    size: int, extra: list[str], texts: list[tuple[str, str]]
) -> tuple[float, float, float, float]:
    topics = topics_of(size, extra)
    started = time.perf_counter()
    matcher = Matcher(topics)
    build_ms = (time.perf_counter() - started) * 1000
    assert len(matcher.terms) == size, (len(matcher.terms), size)
    for title, body in texts[:200]:  # warm up caches
        matcher.match(title, body)
    best = float("inf")
    matched = 0
    for _ in range(ROUNDS):
        started = time.perf_counter()
        matched = sum(1 for title, body in texts if matcher.match(title, body).topics)
        best = min(best, time.perf_counter() - started)
    per_text_us = best / len(texts) * 1e6
    return build_ms, per_text_us, candidates_per_text(matcher, texts), matched / len(texts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Matcher cost per text as terms grow")
    parser.add_argument("--texts", type=int, default=2000, help="texts to match (default 2000)")
    parser.add_argument("--seed", type=int, default=20261125, help="seed of the texts and terms")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    extra = generated_terms(rng, max(SIZES))
    texts = make_texts(rng, args.texts, extra)
    average = sum(len(title) + len(body) + 1 for title, body in texts) / len(texts)
    print(
        f"Matcher micro-benchmark: {len(texts)} texts, {average:.0f} characters on average;"
        f" Python {sys.version.split()[0]}; best of {ROUNDS} passes"
    )
    print()
    print(f"{'terms':>6} {'build ms':>9} {'µs/text':>9} {'cand.':>7} {'matched':>8}")
    baseline_us = None
    for size in SIZES:
        build_ms, per_text_us, candidates, matched = measure(size, extra, texts)
        baseline_us = baseline_us or per_text_us
        print(
            f"{size:>6} {build_ms:>9.1f} {per_text_us:>9.1f} {candidates:>7.2f} {matched:>8.1%}"
            f"   ({per_text_us / baseline_us:.2f}× the {SIZES[0]}-term cost)"
        )
    print()
    print("cand.: terms per text whose literal the Aho-Corasick pass found (each runs a regex)")
    print("matched: texts in which at least one topic matched")
    return 0


if __name__ == "__main__":
    sys.exit(main())
