"""Channels: where alerts go. ``build_channels`` turns the specs of feeds.yaml into objects.

Each kind of channel is described by a ``ChannelKind`` (``bot.channels.kinds``); the
registry a configuration was validated with builds its channels. The chat platforms
declare theirs in ``bot.adapters``, imported only when one of them is looked up.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bot.channels.base import Channel
from bot.channels.console import ConsoleChannel
from bot.channels.jsonl import JsonlChannel
from bot.channels.kinds import DEFAULT_KINDS, ChannelKind, ChannelKinds, Settings


def build_channel(
    spec: str, settings: Settings, folder: Path, kinds: ChannelKinds = DEFAULT_KINDS
) -> Channel:
    return kinds.build(spec, settings, folder)


def build_channels(
    specs: Iterable[str], settings: Settings, folder: Path, kinds: ChannelKinds = DEFAULT_KINDS
) -> dict[str, Channel]:
    return {spec: kinds.build(spec, settings, folder) for spec in dict.fromkeys(specs)}


__all__ = [
    "DEFAULT_KINDS",
    "Channel",
    "ChannelKind",
    "ChannelKinds",
    "ConsoleChannel",
    "JsonlChannel",
    "build_channel",
    "build_channels",
]
