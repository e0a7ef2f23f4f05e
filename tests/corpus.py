"""Where the shared corpus of real feeds lives: ``$DEALBOT_CORPUS``, else ``../shared/corpus``
beside the checkout. Tests that need it skip, with the reason, when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_REPO = Path(__file__).resolve().parent.parent


def find_corpus() -> Path | None:
    """The corpus folder, or None when this machine has none."""
    configured = os.environ.get("DEALBOT_CORPUS")
    candidate = Path(configured) if configured else _REPO.parent / "shared" / "corpus"
    return candidate if (candidate / "feeds" / "INDEX.tsv").is_file() else None


def corpus_dir() -> Path:
    """The corpus folder; skips the calling test when there is none."""
    found = find_corpus()
    if found is None:
        pytest.skip(
            "the shared corpus of real feeds is absent (../shared/corpus beside the checkout, "
            "or $DEALBOT_CORPUS)"
        )
    return found
