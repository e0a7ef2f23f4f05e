from __future__ import annotations

import pytest

from bot.errors import ExpressionError
from bot.match.expression import parse_expression


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
