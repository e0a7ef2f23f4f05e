"""Rules for the test suite itself: what a test's subprocess may inherit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import dealbot, python

TESTS = Path(__file__).resolve().parent
_SPAWN = re.compile(r"create_subprocess_exec\(|subprocess\.(?:run|Popen|check_output|call)\(")


def _call_text(source: str, start: int) -> str:
    """The text of the call whose opening parenthesis ends at ``start``."""
    depth, index = 1, start
    while depth and index < len(source):
        depth += {"(": 1, ")": -1}.get(source[index], 0)
        index += 1
    return source[start:index]


def test_every_subprocess_a_test_starts_gets_an_explicit_environment() -> None:
    missing = []
    for path in TESTS.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for found in _SPAWN.finditer(source):
            if "env=" not in _call_text(source, found.end()):
                line = source.count("\n", 0, found.start()) + 1
                missing.append(f"{path.name}:{line}")
    assert missing == []


async def test_a_developers_token_never_reaches_a_test_subprocess(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "developer-real-token")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-developer-real-token")
    code = "import os; print(sorted(k for k in os.environ if 'TOKEN' in k))"
    status, out, err = await python("-c", code)
    assert status == 0, err
    assert out.strip() == "[]"
    status, out, err = await dealbot("check")
    assert status == 0, err
    assert "developer-real-token" not in out + err
    assert "DISCORD_TOKEN set" not in out
