"""Evaluation of the deal extractor against a labelled set.

    python bench/deals_bench.py [--data bench/data/deals_eval.jsonl] [--config feeds.yaml] [-v]

Each line of the set: {"id", "language", "title", "text", "deal": null | {"kind", "stage",
"parties": [[acceptable names…], …], "amounts": [{"value", "currency", "text"}]}}.

Printed overall and per language:

* detection precision and recall (a deal reported / a deal in the gold);
* kind and stage accuracy, over the true deals detected;
* party recall (gold parties found) and false parties (the share of reported parties that
  are no gold party); a reported party matches a gold party when one of its names, or a
  name the company table gives the same company, is one of the acceptable names;
* amount accuracy (gold amounts found with the right currency and a value within 1 %) and
  false amounts (the share of reported amounts that are no gold amount);
* milliseconds per item (median, p95, after one warm-up pass) and the time to load and
  compile the company table, the lexicons and the amount grammar (first item, cold).

The topics are those of the configuration (default: the shipped feeds.yaml).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bot.companies import company_table  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.deals import Deal, extract_deal  # noqa: E402
from bot.deals.model import Party  # noqa: E402
from bot.match import Matcher, normalize_text  # noqa: E402


@dataclass
class Tally:
    items: int = 0
    gold_deals: int = 0
    reported: int = 0
    true_positive: int = 0
    kind_right: int = 0
    stage_right: int = 0
    gold_parties: int = 0
    parties_found: int = 0
    reported_parties: int = 0
    false_parties: int = 0
    gold_amounts: int = 0
    amounts_found: int = 0
    reported_amounts: int = 0
    false_amounts: int = 0
    times: list[float] = field(default_factory=list)


def _names_of(party: Party) -> set[str]:
    names = {normalize_text(party.name).casefold()}
    company = company_table().lookup(party.name)
    if company is not None:
        names |= {normalize_text(n).casefold() for n in company.names}
    return names


def _gold_names(acceptable: Iterable[str]) -> set[str]:
    names: set[str] = set()
    for name in acceptable:
        names.add(normalize_text(name).casefold())
        company = company_table().lookup(name)
        if company is not None:
            names |= {normalize_text(n).casefold() for n in company.names}
    return names


def _same_amount(gold: dict[str, Any], value: float, currency: str) -> bool:
    return currency == gold["currency"] and abs(value - float(gold["value"])) <= 0.01 * float(
        gold["value"]
    )


def score(tally: Tally, gold: dict[str, Any] | None, deal: Deal | None) -> list[str]:
    """Adds one item to the tally; returns what it got wrong (for -v)."""
    wrong: list[str] = []
    tally.items += 1
    tally.gold_deals += gold is not None
    tally.reported += deal is not None
    if gold is None:
        if deal is not None:
            wrong.append("a deal where there is none")
        return wrong
    if deal is None:
        return ["deal missed"]
    tally.true_positive += 1
    if deal.kind == gold["kind"]:
        tally.kind_right += 1
    else:
        wrong.append(f"kind {deal.kind} (gold {gold['kind']})")
    if deal.stage == gold["stage"]:
        tally.stage_right += 1
    else:
        wrong.append(f"stage {deal.stage} (gold {gold['stage']})")
    gold_sets = [_gold_names(names) for names in gold.get("parties", [])]
    reported = [_names_of(p) for p in deal.parties]
    tally.gold_parties += len(gold_sets)
    tally.reported_parties += len(reported)
    for names, acceptable in zip(gold_sets, gold.get("parties", []), strict=True):
        if any(r & names for r in reported):
            tally.parties_found += 1
        else:
            wrong.append(f"party missed: {acceptable[0]}")
    for party, names in zip(deal.parties, reported, strict=True):
        if not any(names & g for g in gold_sets):
            tally.false_parties += 1
            wrong.append(f"false party: {party.name}")
    gold_amounts = gold.get("amounts", [])
    tally.gold_amounts += len(gold_amounts)
    tally.reported_amounts += len(deal.amounts)
    for amount in gold_amounts:
        if any(_same_amount(amount, a.value, a.currency) for a in deal.amounts):
            tally.amounts_found += 1
        else:
            wrong.append(f"amount missed: {amount.get('text') or amount['value']}")
    for a in deal.amounts:
        if not any(_same_amount(g, a.value, a.currency) for g in gold_amounts):
            tally.false_amounts += 1
            wrong.append(f"false amount: {a.text}")
    return wrong


def _ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.2f}" if denominator else "  - "


def row(name: str, t: Tally) -> str:
    median = statistics.median(t.times) * 1000 if t.times else 0.0
    p95 = sorted(t.times)[int(0.95 * (len(t.times) - 1))] * 1000 if t.times else 0.0
    return (
        f"{name:<8} {t.items:>5} {t.gold_deals:>5} "
        f"{_ratio(t.true_positive, t.reported):>6} {_ratio(t.true_positive, t.gold_deals):>6} "
        f"{_ratio(t.kind_right, t.true_positive):>6} {_ratio(t.stage_right, t.true_positive):>6} "
        f"{_ratio(t.parties_found, t.gold_parties):>6} "
        f"{_ratio(t.false_parties, t.reported_parties):>6} "
        f"{_ratio(t.amounts_found, t.gold_amounts):>6} "
        f"{_ratio(t.false_amounts, t.reported_amounts):>6} "
        f"{median:>6.2f} {p95:>6.2f}"
    )


HEADER = (
    f"{'language':<8} {'items':>5} {'deals':>5} {'prec':>6} {'recall':>6} {'kind':>6} "
    f"{'stage':>6} {'party':>6} {'false':>6} {'amount':>6} {'false':>6} {'ms med':>6} {'p95':>6}"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=HERE / "data" / "deals_eval.jsonl")
    parser.add_argument("--config", type=Path, default=HERE.parent / "feeds.yaml")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    args = parser.parse_args(argv)

    items = [json.loads(line) for line in args.data.read_text("utf-8").splitlines() if line.strip()]
    topics = Matcher(load_config(args.config).topics)

    start = time.perf_counter()
    table = company_table()
    table_time = time.perf_counter() - start
    start = time.perf_counter()
    first = items[0]
    extract_deal(first["title"], first["text"], first.get("language"), topics=topics)
    first_time = time.perf_counter() - start
    for item in items:  # warm-up: each language's lexicon and grammar compiled once
        extract_deal(item["title"], item["text"], item.get("language"), topics=topics)

    overall = Tally()
    per_language: dict[str, Tally] = defaultdict(Tally)
    for item in items:
        language = item.get("language") or "?"
        start = time.perf_counter()
        deal = extract_deal(item["title"], item["text"], item.get("language"), topics=topics)
        elapsed = time.perf_counter() - start
        gold = item.get("deal")
        wrong: list[str] = []
        for tally in (overall, per_language[language]):
            tally.times.append(elapsed)
            wrong = score(tally, gold, deal)
        if args.verbose and wrong:
            print(f"{item['id']} [{language}] {item['title'][:70]}")
            got = json.dumps(deal.to_json() if deal else None, ensure_ascii=False)
            print(f"    got: {got}")
            print(f"    {'; '.join(wrong)}")

    print(f"{len(items)} items from {args.data.name}; company table: {len(table)} companies")
    print(
        f"company table load and compile: {table_time * 1000:.0f} ms; first item (lexicon and "
        f"amount grammar compiled): {first_time * 1000:.0f} ms"
    )
    print(HEADER)
    for language in sorted(per_language):
        print(row(language, per_language[language]))
    print(row("all", overall))
    print(
        f"parties: {overall.parties_found} of {overall.gold_parties} gold found, "
        f"{overall.false_parties} of {overall.reported_parties} reported false; amounts: "
        f"{overall.amounts_found} of {overall.gold_amounts} found, {overall.false_amounts} of "
        f"{overall.reported_amounts} reported false"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
