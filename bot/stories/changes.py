"""Whether an updated item (same entry id or canonical URL, new title or text) changed in a
way its alert should show.

Owns the material/cosmetic distinction. Material: a new headline (other words, not just
other spacing, case or punctuation), or a change in the facts the alert shows: the numbers
written in the title and text, the entities named, the kind of event the headline reports.
Cosmetic: whitespace, markup, tracking parameters, a changed publisher suffix, and
rewording that keeps every number, entity and event kind. Both versions are compared by
their fingerprints, which are already free of markup and tracking parameters.
"""

from __future__ import annotations

from bot.stories.fingerprint import StoryFingerprint, units

TITLE = "title"
FACTS = "facts"


def changes(old: StoryFingerprint, new: StoryFingerprint) -> list[str]:
    """What changed materially: [], ["title"], ["facts"] or ["title", "facts"]."""
    changed: list[str] = []
    if units(old.title_core) != units(new.title_core):
        changed.append(TITLE)
    if (
        old.numerals != new.numerals
        or old.entities != new.entities
        or old.kinds != new.kinds
        or old.quantities != new.quantities
    ):
        changed.append(FACTS)
    return changed
