"""What every command returns and who calls it: platform-neutral values.

A ``Reply`` is a title, lines, items (a linked title with meta and a highlighted snippet)
and fields; each front end renders it its own way (plain text for the CLI, embeds for
Discord, Block Kit for Slack). A ``Caller`` is who typed the command, as the adapter saw
them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from bot.errors import DealbotError


class CommandError(DealbotError):
    """A command cannot be carried out; the message is the one-line reply."""


@dataclass(frozen=True, slots=True)
class Snippet:
    """Text with highlighted parts: ``(("Samsung's new ", False), ("EV", True), …)``."""

    parts: tuple[tuple[str, bool], ...]

    def plain(self) -> str:
        return "".join(text for text, _ in self.parts)

    def marked(self, before: str, after: str) -> str:
        return "".join(f"{before}{text}{after}" if hit else text for text, hit in self.parts)


@dataclass(frozen=True, slots=True)
class ReplyItem:
    title: str
    url: str | None = None
    meta: str = ""  # "heise · 2h ago · samsung-xiaomi-ev"
    snippet: Snippet | None = None

    def redacted(self, clean: Callable[[str], str]) -> ReplyItem:
        snippet = self.snippet
        if snippet is not None:
            snippet = Snippet(tuple((clean(text), hit) for text, hit in snippet.parts))
        url = clean(self.url) if self.url else self.url
        return replace(self, title=clean(self.title), url=url, meta=clean(self.meta),
                       snippet=snippet)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Reply:
    title: str
    lines: tuple[str, ...] = ()
    items: tuple[ReplyItem, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
    ephemeral: bool = True  # only the caller sees it (chat); news answers in the channel
    error: bool = False

    @classmethod
    def failure(cls, message: str) -> Reply:
        return cls(title=message, error=True)

    def redacted(self, clean: Callable[[str], str]) -> Reply:
        """The reply with ``clean`` applied to every text in it (secrets masked)."""
        return replace(
            self,
            title=clean(self.title),
            lines=tuple(clean(line) for line in self.lines),
            items=tuple(item.redacted(clean) for item in self.items),
            fields=tuple((clean(name), clean(value)) for name, value in self.fields),
        )

    def plain_text(self) -> str:
        """The reply as plain text (the CLI; fallback text for chat notifications)."""
        out = [("error: " if self.error else "") + self.title]
        out.extend(self.lines)
        for name, value in self.fields:
            out.append(f"{name}: {value}")
        for item in self.items:
            out.append(f"• {item.title}")
            if item.meta:
                out.append(f"  {item.meta}")
            if item.snippet is not None:
                out.append(f"  {item.snippet.marked('[', ']')}")
            if item.url:
                out.append(f"  {item.url}")
        return "\n".join(out)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who runs a command. ``platform`` is "cli", "discord" or "slack"; ``is_manager`` is
    the platform's own notion of a server/workspace manager, as the adapter checked it;
    ``channel`` is where the command was typed (``discord:123…``), when in a chat."""

    platform: str
    user_id: str
    is_manager: bool = False
    channel: str | None = None
    display_name: str = field(default="", compare=False)

    @classmethod
    def cli(cls) -> Caller:
        return cls(platform="cli", user_id="cli", is_manager=True)

    @property
    def qualified_id(self) -> str:
        """How ``settings.admins`` names this user: ``discord:1234`` or ``slack:U0123``."""
        return f"{self.platform}:{self.user_id}"
