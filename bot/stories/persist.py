"""A story fingerprint as JSON and back: what storage keeps of each report, so that the
candidate index can be rebuilt at start (``StoryClusterer.restore``) without the item's
text, which is pruned after ``settings.retention``.

The embedding is not kept (2 KB a report): a restored fingerprint gets it again when a
decision needs it. Sets are written sorted, so one fingerprint always gives one string.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.stories.fingerprint import StoryFingerprint
from bot.stories.numbers import Quantity

_SETS = ("title_grams", "entities", "title_entities", "kinds", "text_kinds", "codes",
         "title_codes", "numerals", "names")  # fmt: skip
_QUANTITIES = ("quantities", "title_quantities")


def dump_fingerprint(fp: StoryFingerprint) -> str:
    data: dict[str, Any] = {
        "item_id": fp.item_id,
        "entry": fp.entry,
        "url": fp.url,
        "language": fp.language,
        "published": fp.published.isoformat(),
        "title": fp.title,
        "title_core": fp.title_core,
        "minhash": list(fp.minhash),
        "embed_text": fp.embed_text,
    }
    for name in _SETS:
        data[name] = sorted(getattr(fp, name))
    for name in _QUANTITIES:
        data[name] = sorted([q.value, q.unit] for q in getattr(fp, name))
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def load_fingerprint(text: str) -> StoryFingerprint:
    """The fingerprint ``dump_fingerprint`` wrote; ValueError (or KeyError) when it is not one."""
    data = json.loads(text)
    # "names" came later: a fingerprint stored before has none
    sets: dict[str, Any] = {name: frozenset(data.get(name, ())) for name in _SETS}
    for name in _QUANTITIES:
        sets[name] = frozenset(Quantity(float(value), str(unit)) for value, unit in data[name])
    return StoryFingerprint(
        item_id=data["item_id"],
        entry=data["entry"],
        url=data["url"],
        language=data["language"],
        published=datetime.fromisoformat(data["published"]),
        title=data["title"],
        title_core=data["title_core"],
        minhash=tuple(int(v) for v in data["minhash"]),
        embed_text=data["embed_text"],
        **sets,
    )
