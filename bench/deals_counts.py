"""Prints the counts of bench/data/deals_eval.jsonl as Markdown tables (for bench/data/README.md).

Run from the repository root: python bench/deals_counts.py [path]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any, get_args

from bot.models import Kind, Stage

DEFAULT = Path(__file__).resolve().parent / "data" / "deals_eval.jsonl"
LANGUAGES = ["en", "de", "fr", "es", "zh", "zh-Hant", "ja", "ko", "ru"]
KINDS = list(get_args(Kind))  # the deal record's own lists, in their order
STAGES = list(get_args(Stage))


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def report(items: list[dict[str, Any]]) -> str:
    deals = [item for item in items if item["deal"] is not None]
    per_language = Counter(item["language"] for item in items)
    deals_per_language = Counter(item["language"] for item in deals)
    language_rows: list[list[object]] = [
        [
            language,
            per_language[language],
            deals_per_language[language],
            per_language[language] - deals_per_language[language],
        ]
        for language in LANGUAGES
    ]
    language_rows.append(["**total**", len(items), len(deals), len(items) - len(deals)])

    cells = Counter((item["deal"]["kind"], item["deal"]["stage"]) for item in deals)
    kind_rows: list[list[object]] = [
        [kind, *(cells[kind, stage] or "" for stage in STAGES), sum(cells[kind, s] for s in STAGES)]
        for kind in KINDS
    ]
    kind_rows.append(
        ["**total**", *(sum(cells[k, stage] for k in KINDS) for stage in STAGES), len(deals)]
    )

    traps = Counter(trap for item in items for trap in item["traps"])
    trap_rows: list[list[object]] = [[trap, count] for trap, count in traps.most_common()]

    with_amounts = sum(1 for item in deals if item["deal"]["amounts"])
    amounts = Counter(a["currency"] for item in deals for a in item["deal"]["amounts"])
    parties = Counter(min(len(item["deal"]["parties"]), 3) for item in deals)
    lines = [
        table(["language", "items", "deals", "non-deals (deal: null)"], language_rows),
        "",
        table(["kind \\ stage", *STAGES, "total"], kind_rows),
        "",
        f"Deals with at least one amount: {with_amounts} of {len(deals)}; amounts by currency: "
        + ", ".join(f"{currency} {count}" for currency, count in amounts.most_common())
        + f". Deals with 2 parties: {parties[2]}, with 3 or more: {parties[3]}"
        + (f", with 1: {parties[1]}." if parties[1] else "."),
        "",
        table(["trap", "items"], trap_rows),
    ]
    return "\n".join(lines)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    print(report(load(path)))


if __name__ == "__main__":
    main()
