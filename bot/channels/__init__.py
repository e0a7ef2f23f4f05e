"""Channels: where alerts go. ``build_channels`` turns the specs of feeds.yaml into objects.

Each kind registers a factory in ``FACTORIES``; the chat adapters add theirs
(``discord:…``, ``slack:…``) without the core importing them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from bot.channels.base import Channel
from bot.channels.console import ConsoleChannel
from bot.channels.jsonl import JsonlChannel
from bot.config import Settings, resolve_path

# (spec, target, settings, config folder) -> channel
ChannelFactory = Callable[[str, str, Settings, Path], Channel]

FACTORIES: dict[str, ChannelFactory] = {
    "console": lambda spec, _target, _settings, _folder: ConsoleChannel(spec),
    "jsonl": lambda spec, target, _settings, folder: JsonlChannel(
        spec, resolve_path(target, folder)
    ),
}


def build_channel(spec: str, settings: Settings, folder: Path) -> Channel:
    kind, _, target = spec.partition(":")
    factory = FACTORIES.get(kind)
    if factory is None:
        raise KeyError(f"unknown channel kind {kind!r}")
    return factory(spec, target, settings, folder)


def build_channels(specs: Iterable[str], settings: Settings, folder: Path) -> dict[str, Channel]:
    return {spec: build_channel(spec, settings, folder) for spec in dict.fromkeys(specs)}


__all__ = [
    "FACTORIES",
    "Channel",
    "ConsoleChannel",
    "JsonlChannel",
    "build_channel",
    "build_channels",
]
