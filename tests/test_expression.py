from __future__ import annotations

import pytest

from bot.errors import ExpressionError
from bot.match.expression import deal_facts, parse_expression


@pytest.mark.parametrize(
    ("expression", "topics", "expected"),
    [
        ("(samsung or xiaomi) and (ev or exynos)", {"samsung", "ev"}, True),
        ("(samsung or xiaomi) and (ev or exynos)", {"xiaomi", "exynos"}, True),
        ("(samsung or xiaomi) and (ev or exynos)", {"samsung", "xiaomi"}, False),
        ("samsung and not ev", {"samsung"}, True),
        ("samsung and not ev", {"samsung", "ev"}, False),
        ("not not samsung", {"samsung"}, True),
        ("samsung or xiaomi and ev", {"samsung"}, True),  # 'and' binds tighter than 'or'
        ("(samsung or xiaomi) and ev", {"samsung"}, False),
        ("samsung AND ev", {"samsung", "ev"}, True),  # keywords are case-insensitive
        ("samsung Or ev", {"ev"}, True),
    ],
)
def test_evaluation(expression: str, topics: set[str], expected: bool) -> None:
    assert parse_expression(expression).evaluate(frozenset(topics)) is expected


def test_topic_names_are_lower_case() -> None:
    with pytest.raises(ExpressionError, match="must be lower case"):
        parse_expression("Samsung and ev")


def test_names_and_round_trip() -> None:
    parsed = parse_expression("(samsung or xiaomi) and not (ev or exynos)")
    assert parsed.names() == {"samsung", "xiaomi", "ev", "exynos"}
    assert str(parsed) == "(samsung or xiaomi) and not (ev or exynos)"
    assert str(parse_expression(str(parsed))) == str(parsed)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("(samsung or ev", "missing ')'"),
        ("samsung or ev)", "unexpected ')'"),
        ("samsung ev", "expected 'and' or 'or'"),
        ("samsung and", "ends where a topic name was expected"),
        ("and ev", "'and' where a topic name was expected"),
        ("samsung & ev", "unexpected character '&'"),
        ("()", "unexpected ')'"),
        ("x" * 1001, "longer than"),
    ],
)
def test_syntax_errors(expression: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_expression(expression)


def test_unknown_topics_are_named() -> None:
    with pytest.raises(ExpressionError, match="unknown topics: tesla, xiaomi"):
        parse_expression("samsung or xiaomi or tesla", {"samsung"})


# ------------------------------------------------------------------------- deal atoms


def _facts(topics: set[str], kind: str | None = None, stage: str | None = None) -> frozenset[str]:
    return frozenset(topics) | deal_facts(kind, stage)


@pytest.mark.parametrize(
    ("expression", "facts", "expected"),
    [
        ("samsung and deal", _facts({"samsung"}, "partnership", "talks"), True),
        ("samsung and deal", _facts({"samsung"}), False),
        ("(samsung or xiaomi) and deal:acquisition", _facts({"xiaomi"}, "acquisition", "agreed"),
         True),
        ("(samsung or xiaomi) and deal:acquisition", _facts({"xiaomi"}, "merger", "agreed"),
         False),
        ("samsung and deal and not stage:rumoured", _facts({"samsung"}, "stake", "talks"), True),
        ("samsung and deal and not stage:rumoured", _facts({"samsung"}, "stake", "rumoured"),
         False),
        ("samsung and not deal", _facts({"samsung"}), True),
        ("samsung and not deal", _facts({"samsung"}, "supply", "agreed"), False),
        ("stage:completed or deal:funding", _facts(set(), "funding", "talks"), True),
        ("Deal:Joint-Venture", _facts(set(), "joint-venture", "agreed"), True),
    ],
)  # fmt: skip
def test_deal_atoms(expression: str, facts: frozenset[str], expected: bool) -> None:
    assert parse_expression(expression, {"samsung", "xiaomi"}).evaluate(facts) is expected


def test_deal_atoms_round_trip_and_name_no_topic() -> None:
    parsed = parse_expression("(samsung or xiaomi) and deal:acquisition and not stage:rumoured")
    assert parsed.names() == {"samsung", "xiaomi"}
    assert parsed.wants_deal()
    assert str(parsed) == "(samsung or xiaomi) and deal:acquisition and not stage:rumoured"
    assert str(parse_expression("deal or samsung")) == "deal or samsung"
    assert not parse_expression("samsung and not ev").wants_deal()


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("samsung and deal:wedding",
         "unknown deal kind 'wedding' in 'deal:wedding'; kinds: acquisition, merger, stake, "
         "funding, partnership, joint-venture, supply, licensing, divestiture"),
        ("deal and stage:maybe",
         "unknown deal stage 'maybe' in 'stage:maybe'; stages: rumoured, talks, agreed, "
         "approved, completed, cancelled"),
        ("deal:", "unknown deal kind '' in 'deal:'"),
        ("kind:merger", "'kind:merger': only deal:KIND and stage:STAGE take a colon"),
        ("samsung and deal::x", "unexpected character ':'"),
    ],
)  # fmt: skip
def test_deal_atoms_are_checked(expression: str, message: str) -> None:
    with pytest.raises(ExpressionError) as raised:
        parse_expression(expression, {"samsung"})
    assert message in str(raised.value)
