"""How a story's reports read in a message: "Also reported by: heise (de) · 36Kr (zh) ·
연합뉴스 (ko) +2", each linked the way a channel links, and the one line the console prints
for an edit. Shared by the console and the chat adapters, so that every channel says it
the same way."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.models import AlertMessage, StorySource

MAX_NAMED = 3  # sources named in the line; the rest counted (+2)
UPDATED = ("title", "facts")


def source_label(source: StorySource) -> str:
    """ "heise (de)", or the feed alone when its language is unknown."""
    return f"{source.feed} ({source.language})" if source.language else source.feed


def _plain(label: str, url: str | None) -> str:
    return label


def also_reported(
    message: AlertMessage, link: Callable[[str, str | None], str] = _plain
) -> str | None:
    """The line naming the story's other reports, or None when it has none."""
    named = sources_line(message.also_reported, link)
    return f"Also reported by: {named}" if named else None


def sources_line(
    sources: Sequence[StorySource],
    link: Callable[[str, str | None], str] = _plain,
    most: int = MAX_NAMED,
) -> str:
    """ "heise (de) · 36Kr (zh) · 연합뉴스 (ko) +2": the first ``most`` named, each passed
    through ``link``, the rest counted."""
    named = " · ".join(link(source_label(source), source.url) for source in sources[:most])
    more = f" +{len(sources) - most}" if len(sources) > most else ""
    return f"{named}{more}"


def updated(message: AlertMessage) -> bool:
    """Whether an edit shows a material update of the entry (a new title, other facts)."""
    return any(change in UPDATED for change in message.changed)


def edit_line(message: AlertMessage) -> str:
    """The console's one line for an edit: ``↻ updated: …``, ``↻ deal moved on: …`` (a
    later report moved the story's deal to another stage), ``↻ deal revised: …`` or
    ``↻ also reported by …``."""
    if updated(message):
        return f"↻ updated: {message.title}"
    if "stage" in message.changed:
        return f"↻ deal moved on: {message.title}"
    if "deal" in message.changed:
        return f"↻ deal revised: {message.title}"
    others = message.also_reported
    names = ", ".join(source_label(source) for source in others) or message.feed
    return f"↻ also reported by {names}: {message.title}"


def story_footer(message: AlertMessage) -> str | None:
    """The footer's story part: "story s1a2b3c4d5" (what ``story ID`` takes)."""
    return f"story {message.story}" if message.story else None
