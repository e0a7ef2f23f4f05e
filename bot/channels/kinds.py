"""Channel kinds: what each kind of channel written in feeds.yaml is, described by itself.

A ``ChannelKind`` declares its prefix (``console``, ``jsonl:PATH``, ``discord:ID``…),
whether it takes a target and how the target is checked, whether the target is a secret
(a webhook URL: a ``${DEALBOT_…}`` there is kept, not expanded, and a literal one is
masked when shown), and how the channel is built. A ``ChannelKinds`` registry answers
config validation, the command layer and the app; it is passed to ``load_config`` and
travels with the ``Config`` it validated.

``DEFAULT_KINDS`` knows the core kinds, and the chat platforms' by the module that declares
them (``bot.adapters.<platform>.kinds``), imported the first time one of their prefixes is
looked up. Those modules import no SDK either: discord.py or slack_sdk comes with the
channel, when one is built.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.channels.base import Channel
from bot.channels.console import ConsoleChannel
from bot.channels.jsonl import JsonlChannel
from bot.text import MASK, display_channel
from bot.variables import is_variable_reference

# (spec, target, settings, config folder) -> the channel. The settings are bot.config's
# Settings, which a builder reads; they are not named here because bot.config validates
# channels with this module (a platform's builders, in bot.adapters, name the type).
Settings = Any
Builder = Callable[[str, str, Settings, Path], Channel]
TargetCheck = Callable[[str], None]  # raises ValueError with a one-line message


@dataclass(frozen=True, slots=True)
class ChannelKind:
    """One kind of channel: ``prefix`` alone (``console``) or ``prefix:target``."""

    prefix: str
    build: Builder
    takes_target: bool = True
    check: TargetCheck | None = None  # the target, beyond being present
    secret_target: bool = False

    @property
    def written(self) -> str:
        """How lists of kinds show it: ``console``, ``jsonl:…``."""
        return f"{self.prefix}:…" if self.takes_target else self.prefix

    def check_target(self, spec: str, target: str) -> None:
        if self.takes_target and not target.strip():
            raise ValueError(
                f"channel {spec!r} needs a target after the colon, like {self.prefix}:…"
            )
        if not self.takes_target and target:
            raise ValueError(f"channel {self.prefix!r} takes no target")
        if self.check is not None:
            self.check(target)


class ChannelKinds:
    """The channel kinds a configuration may use, by prefix.

    ``elsewhere`` maps prefixes to the module that declares them (its ``KINDS``), imported
    when one of them is first looked up."""

    def __init__(
        self, kinds: Iterable[ChannelKind] = (), *, elsewhere: Mapping[str, str] | None = None
    ) -> None:
        self._kinds = {kind.prefix: kind for kind in kinds}
        self._elsewhere = {
            prefix: module
            for prefix, module in (elsewhere or {}).items()
            if prefix not in self._kinds
        }

    def with_kinds(self, *kinds: ChannelKind) -> ChannelKinds:
        """A registry that knows ``kinds`` too (one of the same prefix is replaced)."""
        known = {**self._kinds, **{kind.prefix: kind for kind in kinds}}
        return ChannelKinds(known.values(), elsewhere=self._elsewhere)

    @property
    def prefixes(self) -> list[str]:
        return sorted({*self._kinds, *self._elsewhere})

    def get(self, prefix: str) -> ChannelKind | None:
        kind = self._kinds.get(prefix)
        if kind is None and prefix in self._elsewhere:
            module = importlib.import_module(self._elsewhere[prefix])
            declared: Iterable[ChannelKind] = module.KINDS
            kind = next((k for k in declared if k.prefix == prefix), None)
            if kind is None:
                raise LookupError(f"{self._elsewhere[prefix]} declares no channel kind {prefix}")
            self._kinds[prefix] = kind  # remembered: the module is read once
        return kind

    def __contains__(self, prefix: object) -> bool:
        return isinstance(prefix, str) and (prefix in self._kinds or prefix in self._elsewhere)

    def kind_of(self, spec: str) -> ChannelKind:
        """The kind of a channel spec; ValueError naming every known kind if none."""
        kind = self.get(spec.partition(":")[0])
        if kind is None:
            known = ", ".join(self._known(prefix) for prefix in self.prefixes)
            raise ValueError(f"unknown channel {spec!r}; known kinds: {known}")
        return kind

    def _known(self, prefix: str) -> str:
        kind = self.get(prefix)
        return kind.written if kind is not None else prefix

    def check(self, spec: str) -> str:
        """Validate a channel written as ``kind`` or ``kind:target``; return it stripped."""
        spec = spec.strip()
        kind = self.kind_of(spec)
        kind.check_target(spec, spec.partition(":")[2])
        return spec

    def names_channel(self, word: str) -> bool:
        """Whether ``word`` is written like a channel of a known kind (``jsonl:a.jsonl``,
        ``console``), whether or not its target is valid."""
        prefix, colon, target = word.partition(":")
        kind = self.get(prefix)
        return kind is not None and bool(colon and target) == kind.takes_target

    def is_secret(self, spec: str) -> bool:
        """Whether the channel's target is a secret (a webhook URL)."""
        kind = self.get(spec.partition(":")[0])
        return kind is not None and kind.secret_target

    def shown(self, spec: str) -> str:
        """The channel as lists and logs may show it: a secret target written literally
        shows at most its host; a ``${DEALBOT_…}`` reference shows as written."""
        prefix, _, target = spec.partition(":")
        shown = display_channel(spec)  # a URL target: its host only
        if shown == spec and self.is_secret(spec) and not is_variable_reference(target):
            return f"{prefix}:{MASK}"
        return shown

    def build(self, spec: str, settings: Settings, folder: Path) -> Channel:
        kind = self.get(spec.partition(":")[0])
        if kind is None:
            raise KeyError(f"unknown channel kind {spec.partition(':')[0]!r}")
        return kind.build(spec, spec.partition(":")[2], settings, folder)


def reference_or_url(prefix: str, pattern: re.Pattern[str], example: str) -> TargetCheck:
    """The check of a webhook target: a ``${DEALBOT_…}`` reference, or a URL ``pattern``
    matches (accepted, with a warning when the channel is built)."""

    def check(target: str) -> None:
        if is_variable_reference(target) or pattern.fullmatch(target):
            return
        raise ValueError(
            f"{prefix}: needs ${{DEALBOT_…}} naming an environment variable that holds the "
            f"webhook URL (or the URL itself, {example})"
        )

    return check


def chat_kinds(
    platform: str,
    *,
    check_channel: TargetCheck,
    build_channel: Builder,
    build_webhook: Builder,
    webhook_url: re.Pattern[str],
    example: str,
) -> tuple[ChannelKind, ChannelKind]:
    """A chat platform's two kinds: ``<platform>:<channel id>``, posted by the bot, and
    ``<platform>-webhook:${DEALBOT_…}``, an incoming webhook whose URL is a secret."""
    webhook = f"{platform}-webhook"
    return (
        ChannelKind(platform, build=build_channel, check=check_channel),
        ChannelKind(
            webhook,
            build=build_webhook,
            check=reference_or_url(webhook, webhook_url, example),
            secret_target=True,
        ),
    )


def _console(spec: str, _target: str, _settings: Settings, _folder: Path) -> Channel:
    return ConsoleChannel(spec)


def _jsonl(spec: str, target: str, _settings: Settings, folder: Path) -> Channel:
    return JsonlChannel(spec, folder / Path(target).expanduser())  # relative to feeds.yaml


CONSOLE = ChannelKind("console", build=_console, takes_target=False)
JSONL = ChannelKind("jsonl", build=_jsonl)
PLATFORM_KINDS = {
    "discord": "bot.adapters.discord.kinds",
    "discord-webhook": "bot.adapters.discord.kinds",
    "slack": "bot.adapters.slack.kinds",
    "slack-webhook": "bot.adapters.slack.kinds",
}
DEFAULT_KINDS = ChannelKinds((CONSOLE, JSONL), elsewhere=PLATFORM_KINDS)
