"""fastfeedparser against feedparser, item by item, after dealbot's own reading of the entries.

    python bench/parser_compare.py [--corpus PATH] [--generated N] [--no-tests] [--show N]

Every document is read by ``bot.ingest.parse.parse_feed`` twice, once with
``parser="feedparser"`` and once with ``parser="fastfeedparser"``, and the two ``ParsedFeed``
results are compared: the feed's title, link, language and format, the number of items, and
per item the dedupe key, title, link, canonical link, date, language, author and the text after
dealbot's cleaning. Documents come from three sources:

* the shared corpus of real feeds (``../shared/corpus/feeds``, or ``--corpus``);
* every document the parse tests hand to ``parse_feed`` (tests/test_parse.py,
  test_parse_corpus.py, test_decode.py, test_hostile.py, test_clean.py, test_urls.py,
  test_review_regressions.py), captured by running them under a pytest plugin that records
  the arguments (the tests' own assertions run as usual);
* N generated benchmark feeds (bench/generate.py, as bench/run.py serves them).

Two modes are compared: **guarded**, what dealbot ships (a document that fastfeedparser may
read wrongly goes to feedparser: ``parse_feed(parser="fastfeedparser")`` then refuses it), and
**unguarded**, fastfeedparser on every RSS 2.0 and Atom 1.0 document whatever it holds, which
shows why each guard is there. It prints the counts, the differences (``--show``), and the
time of each parser per document on the generated feeds. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.errors import ParseError  # noqa: E402
from bot.ingest import parse as parse_module  # noqa: E402
from bot.ingest.parse import parse_feed  # noqa: E402
from bot.models import Item, ParsedFeed  # noqa: E402

TEST_FILES = (
    "tests/test_parse.py",
    "tests/test_parse_corpus.py",
    "tests/test_decode.py",
    "tests/test_hostile.py",
    "tests/test_clean.py",
    "tests/test_urls.py",
    "tests/test_review_regressions.py",
)
ITEM_FIELDS = tuple(f.name for f in fields(Item) if f.name != "removed")


@dataclass(frozen=True, slots=True)
class Document:
    source: str  # corpus, tests or generated
    name: str
    body: bytes
    url: str
    headers: dict[str, str]


# --------------------------------------------------------------------------- the documents


def corpus_documents(folder: Path | None) -> list[Document]:
    if folder is None:
        from tests.corpus import find_corpus

        folder = find_corpus()
        if folder is None:
            print("the shared corpus is absent: skipped", file=sys.stderr)
            return []
    feeds = folder / "feeds"
    return [
        Document("corpus", path.name, path.read_bytes(), f"https://corpus.example/{path.name}", {})
        for path in sorted(feeds.iterdir())
        if path.name != "INDEX.tsv"
    ]


def test_documents() -> list[Document]:
    """What the parse tests hand to parse_feed, recorded by bench/capture_plugin.py."""
    with tempfile.TemporaryDirectory(prefix="dealbot-capture-") as folder:
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "capture_plugin",
            *TEST_FILES,
        ]
        env = {"DEALBOT_CAPTURE": folder, "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}"}
        import os

        result = subprocess.run(
            command, cwd=ROOT, env=os.environ | env, capture_output=True, text=True, check=False
        )
        print(f"tests: {result.stdout.strip().splitlines()[-1]}", file=sys.stderr)
        documents = []
        seen: set[tuple[bytes, str]] = set()
        for path in sorted(Path(folder).iterdir()):
            test, body, url, headers = pickle.loads(path.read_bytes())
            if (body, url) not in seen:
                seen.add((body, url))
                documents.append(Document("tests", test, body, url, headers))
        return documents


def generated_documents(count: int) -> list[Document]:
    from generate import rss_document

    now = datetime.now(UTC)
    return [
        Document(
            "generated",
            f"feed{index}",
            rss_document(20261125, index, 20, now),
            f"http://127.0.0.1/feed{index}.xml",
            {"Content-Type": "application/rss+xml; charset=utf-8"},
        )
        for index in range(count)
    ]


# ---------------------------------------------------------------------------- comparison


@dataclass
class Outcome:
    feed: ParsedFeed | None
    error: str | None
    seconds: float


def read(document: Document, parser: str) -> Outcome:
    started = time.perf_counter()
    try:
        feed = parse_feed(document.body, document.url, document.headers, parser=parser)  # type: ignore[arg-type]
    except ParseError as exc:
        return Outcome(None, str(exc), time.perf_counter() - started)
    return Outcome(feed, None, time.perf_counter() - started)


def differences(slow: ParsedFeed, fast: ParsedFeed) -> list[tuple[str, Any, Any]]:
    found: list[tuple[str, Any, Any]] = []
    for name in ("format", "title", "link", "language"):
        if getattr(slow, name) != getattr(fast, name):
            found.append((f"feed {name}", getattr(slow, name), getattr(fast, name)))
    if len(slow.items) != len(fast.items):
        found.append(("item count", len(slow.items), len(fast.items)))
    for one, other in zip(slow.items, fast.items, strict=False):
        for name in ITEM_FIELDS:
            if getattr(one, name) != getattr(other, name):
                found.append((f"item {name}", getattr(one, name), getattr(other, name)))
    return found


@contextlib.contextmanager
def unguarded() -> Iterator[None]:
    """fastfeedparser on every RSS 2.0 / Atom 1.0 document it finds entries with links and
    bodies in: the guards on the document's content switched off."""
    names = ("_FEEDPARSER_ONLY", "_holds_html_elements", "_on_every_entry", "_permalink_ids")
    saved = {name: getattr(parse_module, name) for name in names}
    parse_module._FEEDPARSER_ONLY = ()
    parse_module._holds_html_elements = lambda body: False
    parse_module._on_every_entry = lambda *args: True
    parse_module._permalink_ids = lambda *args: True
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(parse_module, name, value)


@dataclass
class Tally:
    documents: int = 0
    fast_read: int = 0  # documents fastfeedparser read (not sent to feedparser)
    same: int = 0  # of those, identical ParsedFeeds
    different: int = 0
    fast_failed: int = 0  # fastfeedparser refused or raised where feedparser read a feed
    fields: Counter[str] | None = None

    def __post_init__(self) -> None:
        self.fields = Counter()


def compare(documents: list[Document], show: int, label: str) -> tuple[dict[str, Tally], list[str]]:
    tallies: dict[str, Tally] = {}
    shown: list[str] = []
    for document in documents:
        tally = tallies.setdefault(document.source, Tally())
        tally.documents += 1
        slow = read(document, "feedparser")
        fast = read(document, "fastfeedparser")
        if fast.feed is None:
            if fast.error and fast.error.startswith("not for fastfeedparser"):
                continue
            if slow.feed is not None:
                tally.fast_failed += 1
            continue
        tally.fast_read += 1
        if slow.feed is None:
            tally.different += 1
            assert tally.fields is not None
            tally.fields["feedparser failed"] += 1
            continue
        found = differences(slow.feed, fast.feed)
        if not found:
            tally.same += 1
            continue
        tally.different += 1
        assert tally.fields is not None
        for name in {name for name, _one, _other in found}:
            tally.fields[name] += 1  # documents in which this field differs
        if len(shown) < show:
            first = found[0]
            shown.append(
                f"[{label}] {document.source}/{document.name}: {first[0]}:"
                f" feedparser {str(first[1])[:160]!r} / fastfeedparser {str(first[2])[:160]!r}"
            )
    return tallies, shown


def print_tallies(label: str, tallies: dict[str, Tally]) -> None:
    print(f"\n{label}")
    print(
        f"{'documents':<11} {'count':>6} {'fast read':>10} {'identical':>10}"
        f" {'different':>10} {'fast failed':>12}  differing fields"
    )
    for source, tally in tallies.items():
        assert tally.fields is not None
        detail = ", ".join(f"{name} {count}" for name, count in tally.fields.most_common())
        print(
            f"{source:<11} {tally.documents:>6} {tally.fast_read:>10} {tally.same:>10}"
            f" {tally.different:>10} {tally.fast_failed:>12}  {detail or '-'}"
        )


def timings(documents: list[Document]) -> None:
    """Median time per generated document of parse_feed with each parser, and of the parsers
    alone."""
    import io

    import fastfeedparser
    import feedparser

    def median_ms(function: Callable[[Document], object]) -> float:
        times = []
        for document in documents:
            started = time.process_time()  # CPU, not wall: the machine is shared
            function(document)
            times.append(time.process_time() - started)
        return statistics.median(times) * 1000

    rows: dict[str, Callable[[Document], object]] = {
        "feedparser.parse alone": lambda d: feedparser.parse(io.BytesIO(d.body)),
        "feedparser.parse as dealbot calls it": lambda d: feedparser.parse(
            io.BytesIO(d.body), resolve_relative_uris=False, sanitize_html=False
        ),
        "fastfeedparser.parse alone": lambda d: fastfeedparser.parse(d.body),
        "parse_feed, feedparser": lambda d: read(d, "feedparser"),
        "parse_feed, fastfeedparser": lambda d: read(d, "fastfeedparser"),
        "parse_feed, auto (as shipped)": lambda d: read(d, "auto"),
    }
    best: dict[str, float] = {}
    for _round in range(3):  # interleaved rounds, the best median of each: a shared machine
        for name, function in rows.items():
            best[name] = min(best.get(name, float("inf")), median_ms(function))
    print(f"\nCPU per generated document (best of 3 medians over {len(documents)}, ms)")
    for name, value in best.items():
        print(f"{name:<40} {value:>8.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, help="the corpus folder (default: as tests find it)")
    parser.add_argument("--generated", type=int, default=200, help="generated feeds (200)")
    parser.add_argument("--no-tests", action="store_true", help="skip the tests' documents")
    parser.add_argument("--show", type=int, default=20, help="differences to print (20)")
    args = parser.parse_args(argv)
    documents = corpus_documents(args.corpus)
    if not args.no_tests:
        documents += test_documents()
    generated = generated_documents(args.generated)
    documents += generated
    guarded, shown = compare(documents, args.show, "guarded")
    with unguarded():
        loose, shown_loose = compare(documents, args.show, "unguarded")
    print_tallies("guarded (as shipped): documents sent to fastfeedparser", guarded)
    print_tallies("unguarded: fastfeedparser on every RSS 2.0 / Atom 1.0 document", loose)
    print("\ndifferences, guarded:" if shown else "\nno difference, guarded")
    print("\n".join(shown))
    print("\ndifferences, unguarded:")
    print("\n".join(shown_loose))
    timings(generated)
    return 0 if all(t.different == 0 and t.fast_failed == 0 for t in guarded.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
