"""Where the shared corpus of real feeds and API specs lives on this machine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_REPO = Path(__file__).resolve().parent.parent


def corpus_dir() -> Path:
    """../shared/corpus beside the checkout, or $DEALBOT_CORPUS, or /work/shared/corpus."""
    candidates = [
        os.environ.get("DEALBOT_CORPUS", ""),
        str(_REPO.parent / "shared" / "corpus"),
        "/work/shared/corpus",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "feeds" / "INDEX.tsv").is_file():
            return Path(candidate)
    pytest.skip("the shared corpus is not on this machine (set DEALBOT_CORPUS)")
