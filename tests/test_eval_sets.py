"""Checks the labelled evaluation sets in bench/data: schema, consistency, minimum counts."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, get_args

import pytest

from bot.models import Kind, Stage

DEALS = Path(__file__).resolve().parent.parent / "bench" / "data" / "deals_eval.jsonl"

LANGUAGES = {"en", "de", "fr", "es", "zh", "zh-Hant", "ja", "ko", "ru"}
KINDS = set(get_args(Kind))  # the deal record's own kinds and stages
STAGES = set(get_args(Stage))
TRAPS = {
    "passive",
    "reversed-order",
    "three-parties",
    "non-deal-number",
    "machine-translated",
    "hedged",
    "denial",
    "lookalike",
    "bystander",
    "small-company",
    "multiple-amounts",
    "converted-amount",
    "vague-amount",
    "kind-ambiguity",
    "stage-ambiguity",
    "past-deal",
    "two-deals",
    "locale-number",
    "per-share-price",
    "government-party",
    "full-width",
}
# What an amount's own text must show of its currency (lower-cased, after NFKC).
CURRENCY_MARKS = {
    "USD": ("$", "dollar", "dólar", "доллар", "美元", "달러"),
    "EUR": ("€", "euro", "евро", "欧元", "유로"),
    "CNY": ("元", "yuan", "위안", "юан", "rmb"),
    "JPY": ("円", "日圓", "日元", "yen", "엔", "иен"),
    "KRW": ("원", "韩元", "韓元", "won", "вон"),
    "RUB": ("руб", "rouble", "ruble", "卢布"),
    "HKD": ("hk$", "港元", "港幣", "港币"),
    "TWD": ("nt$", "新台幣", "新台币"),
    "GBP": ("£", "pound", "sterling", "英镑"),
    "CHF": ("chf", "franken", "francs suisses"),
    "INR": ("₹", "rupee", "crore", "卢比"),
    "SEK": ("kronor", "coronas", "sek"),
}
ITEM_KEYS = {"id", "language", "title", "text", "deal", "traps", "note"}
DEAL_KEYS = {"kind", "stage", "parties", "amounts"}
AMOUNT_KEYS = {"value", "currency", "text"}
ID = re.compile(r"^(en|de|fr|es|zh|zh-hant|ja|ko|ru)-\d{3}$")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _load() -> list[dict[str, Any]]:
    items = []
    with DEALS.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            assert line.strip(), f"line {number} is empty"
            item = json.loads(line)
            assert isinstance(item, dict), f"line {number} is not an object"
            items.append(item)
    return items


ITEMS = _load()


@pytest.mark.parametrize("item", ITEMS, ids=[str(item.get("id")) for item in ITEMS])
def test_deal_item_schema(item: dict[str, Any]) -> None:
    assert set(item) == ITEM_KEYS
    match = ID.match(item["id"])
    assert match, item["id"]
    assert item["language"] in LANGUAGES
    assert match.group(1) == item["language"].lower()
    for key in ("title", "text", "note"):
        assert isinstance(item[key], str)
        assert item[key]
        assert item[key].strip() == item[key]
    assert 60 <= len(item["text"]) <= 900
    assert item["title"] not in item["text"]
    assert isinstance(item["traps"], list)
    assert item["traps"]
    assert len(set(item["traps"])) == len(item["traps"])
    assert set(item["traps"]) <= TRAPS, set(item["traps"]) - TRAPS

    deal = item["deal"]
    if deal is None:
        assert "lookalike" in item["traps"]
        return
    assert "lookalike" not in item["traps"]
    assert set(deal) == DEAL_KEYS
    assert deal["kind"] in KINDS
    assert deal["stage"] in STAGES
    haystack = _fold(item["title"] + "\n" + item["text"])

    parties = deal["parties"]
    assert isinstance(parties, list)
    assert len(parties) >= (1 if deal["kind"] in {"divestiture", "funding"} else 2)
    seen_names: set[str] = set()
    for names in parties:
        assert isinstance(names, list)
        assert names
        assert all(isinstance(name, str) and name.strip() == name and name for name in names)
        folded = {_fold(name) for name in names}
        assert len(folded) == len(names), f"duplicate names in {names}"
        assert not folded & seen_names, f"{names} shares a name with another party"
        seen_names |= folded
        assert any(name in haystack for name in folded), f"no name of {names} occurs in the item"
    if "three-parties" in item["traps"]:
        assert len(parties) >= 3

    amounts = deal["amounts"]
    assert isinstance(amounts, list)
    for amount in amounts:
        assert set(amount) == AMOUNT_KEYS
        assert isinstance(amount["value"], float)
        assert math.isfinite(amount["value"])
        assert amount["value"] > 0
        assert amount["currency"] in CURRENCY_MARKS
        assert isinstance(amount["text"], str)
        assert amount["text"]
        assert amount["text"] in item["title"] or amount["text"] in item["text"]
        marks = CURRENCY_MARKS[amount["currency"]]
        assert any(mark in _fold(amount["text"]) for mark in marks), amount
    pairs = [(amount["value"], amount["currency"]) for amount in amounts]
    assert len(set(pairs)) == len(pairs)
    if "multiple-amounts" in item["traps"] or "converted-amount" in item["traps"]:
        assert len(amounts) >= 2


def test_deal_ids_are_unique() -> None:
    ids = Counter(item["id"] for item in ITEMS)
    assert [key for key, count in ids.items() if count > 1] == []


def test_deal_set_meets_the_minimum_counts() -> None:
    assert len(ITEMS) >= 150
    languages = Counter(item["language"] for item in ITEMS)
    assert languages["zh"] >= 1
    assert languages["zh-Hant"] >= 1
    languages["zh"] += languages.pop("zh-Hant")
    for language in ("en", "de", "fr", "es", "zh", "ja", "ko", "ru"):
        assert languages[language] >= 15, language

    deals = [item["deal"] for item in ITEMS if item["deal"] is not None]
    assert len(ITEMS) - len(deals) >= 50
    kinds = Counter(deal["kind"] for deal in deals)
    stages = Counter(deal["stage"] for deal in deals)
    assert {kind: kinds[kind] for kind in KINDS if kinds[kind] < 6} == {}
    assert {stage: stages[stage] for stage in STAGES if stages[stage] < 6} == {}

    traps = Counter(trap for item in ITEMS for trap in item["traps"])
    required = (
        "passive",
        "reversed-order",
        "three-parties",
        "non-deal-number",
        "machine-translated",
    )
    for trap in required:
        assert traps[trap] >= 5, trap
    languages_with_passive = {item["language"] for item in ITEMS if "passive" in item["traps"]}
    assert {"en", "zh", "ko"} <= languages_with_passive


def test_deal_set_holds_the_seed_item() -> None:
    """The issue's example: machine-translated German beside a revenue figure (not the deal's)."""
    seeds = [
        item
        for item in ITEMS
        if item["language"] == "de"
        and "4,5 Milliarden US-Dollar" in item["text"]
        and "Elektroauto -Segment" in item["text"]
    ]
    assert len(seeds) == 1
    deal = seeds[0]["deal"]
    assert deal["kind"] == "partnership"
    assert deal["stage"] == "talks"
    assert deal["amounts"] == []
    canonical = {names[0] for names in deal["parties"]}
    assert canonical == {"Samsung Electronics", "Xiaomi"}
