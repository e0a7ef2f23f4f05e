"""A pytest plugin for bench/parser_compare.py: records what the tests hand to parse_feed.

Loaded with ``-p capture_plugin`` (bench/ on PYTHONPATH) and ``DEALBOT_CAPTURE`` naming a
folder, it replaces ``bot.ingest.parse.parse_feed`` before the test modules import it with a
function that pickles (test, body, URL, headers) into that folder and then parses as usual.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Mapping
from itertools import count
from pathlib import Path
from typing import Any

from bot.ingest import parse
from bot.models import ParsedFeed

_folder = Path(os.environ["DEALBOT_CAPTURE"])
_numbers = count()
_original = parse.parse_feed


def _recording(
    body: bytes, url: str, headers: Mapping[str, str] | None = None, *args: Any, **kwargs: Any
) -> ParsedFeed:
    test = os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0]
    record = (test, bytes(body), url, dict(headers or {}))
    (_folder / f"{os.getpid()}-{next(_numbers):06d}.pickle").write_bytes(pickle.dumps(record))
    return _original(body, url, headers, *args, **kwargs)


parse.parse_feed = _recording  # type: ignore[assignment]
