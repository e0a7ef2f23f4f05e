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
from bot.config import resolve_path

ChannelFactory = Callable[[str, str, Path], Channel]  # (spec, target, config folder)

FACTORIES: dict[str, ChannelFactory] = {
    "console": lambda spec, _target, _folder: ConsoleChannel(spec),
    "jsonl": lambda spec, target, folder: JsonlChannel(spec, resolve_path(target, folder)),
}


def build_channel(spec: str, folder: Path) -> Channel:
    kind, _, target = spec.partition(":")
    factory = FACTORIES.get(kind)
    if factory is None:
        raise KeyError(f"unknown channel kind {kind!r}")
    return factory(spec, target, folder)


def build_channels(specs: Iterable[str], folder: Path) -> dict[str, Channel]:
    return {spec: build_channel(spec, folder) for spec in dict.fromkeys(specs)}


__all__ = [
    "FACTORIES",
    "Channel",
    "ConsoleChannel",
    "JsonlChannel",
    "build_channel",
    "build_channels",
]
