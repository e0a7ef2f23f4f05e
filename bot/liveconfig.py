"""The configuration in force, and what a change of it needs.

One ``LiveConfig`` holds the running configuration and the matcher compiled from its
topics; every component reads them here at the moment it needs them, so a reload is one
swap, not attributes poked into other objects. ``replace`` compiles a new matcher off the
event loop when the topics or ``settings.match`` changed, and returns the ``Change``: which
settings differ, so that the app rebuilds what depends on them (fetch policy, pools,
limits) and names the few that take a restart.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.config import Config, Settings
from bot.match import Matcher

# Settings read once at start: the database file and the chat connections (their tokens,
# API bases, ports and modes). Every other setting applies on reload.
NEEDS_RESTART = frozenset({"database", "discord", "slack"})


@dataclass(frozen=True, slots=True)
class Change:
    """What a reload changed."""

    settings: frozenset[str]  # names of the settings whose value changed

    @property
    def needs_restart(self) -> list[str]:
        return sorted(self.settings & NEEDS_RESTART)

    def touches(self, *names: str) -> bool:
        return any(name in self.settings for name in names)


def changed_settings(old: Settings, new: Settings) -> frozenset[str]:
    return frozenset(
        name for name in type(new).model_fields if getattr(old, name) != getattr(new, name)
    )


def compile_matcher(config: Config) -> Matcher:
    return Matcher(config.topics)  # the topics carry settings.match's options


class LiveConfig:
    def __init__(self, config: Config, matcher: Matcher | None = None) -> None:
        self.config = config
        self.matcher = matcher if matcher is not None else compile_matcher(config)

    async def replace(self, config: Config) -> Change:
        """Run on ``config`` from now on; recompile the matcher (tens of thousands of terms:
        in a thread) only when what it is compiled from changed."""
        old = self.config
        if config.topics != old.topics or config.settings.match != old.settings.match:
            self.matcher = await asyncio.to_thread(compile_matcher, config)
        self.config = config
        return Change(changed_settings(old.settings, config.settings))
