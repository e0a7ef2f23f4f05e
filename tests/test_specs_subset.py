"""The API spec subsets in tests/specs are what make_subset.py makes from the official
documents (checked where the corpus with the full documents is present)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus import find_corpus
from tests.specs.make_subset import HERE, subsets


def test_committed_subsets_match_the_official_specs() -> None:
    corpus = find_corpus()
    if corpus is None or not (corpus / "specs").is_dir():
        pytest.skip("the full API specs are absent (../shared/corpus/specs)")
    for name, text in subsets(corpus / "specs").items():
        committed = (HERE / name).read_text(encoding="utf-8")
        assert committed == text, f"tests/specs/{name} is stale: rerun tests/specs/make_subset.py"


def test_no_machine_path_in_the_repository() -> None:
    """The suite must pass on a fresh clone: nothing may point at this machine's folders."""
    repo = Path(__file__).resolve().parent.parent
    parent = str(repo.parent)
    offenders = []
    for folder in ("bot", "tests", "bench", ".ci"):
        for path in (repo / folder).rglob("*"):
            if path.is_file() and path.suffix in {".py", ".md", ".yaml", ".toml", ""}:
                text = path.read_text(encoding="utf-8", errors="replace")
                if f"{parent}/" in text:
                    offenders.append(str(path.relative_to(repo)))
    assert offenders == []
