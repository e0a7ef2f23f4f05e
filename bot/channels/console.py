"""The ``console`` channel: a readable block per alert on standard output, and a line per
edit (with the story's deal when it changed)."""

from __future__ import annotations

import sys
from datetime import UTC
from typing import TextIO

from bot.channels.base import Channel
from bot.deals import card
from bot.models import AlertMessage, DeliveryResult, MessageRef
from bot.storytext import also_reported, edit_line, story_footer


def deal_lines(message: AlertMessage) -> list[str]:
    """The deal's line ("   deal: acquisition · agreed · …") and, when it moved on since an
    earlier alert, "   stage: talks → agreed"; none without a deal."""
    if not message.deal:
        return []
    lines = [f"   deal: {card.line(message.deal)}"]
    if message.stage_was:
        lines.append(f"   {card.stage_change(message.deal, message.stage_was)}")
    return lines


def render_block(message: AlertMessage) -> str:
    """Source, time, title, the deal, summary, matched topics and terms, link; one alert per
    block."""
    rules = ", ".join(message.rules)
    published = message.published.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"━━ {message.title or '(untitled)'}",
        f"   {message.feed} · {published} · {rules}",
    ]
    lines += deal_lines(message)
    if message.summary:
        lines.append(f"   {message.summary}")
    matched = ", ".join(message.topics)
    if message.terms:
        matched += f" ({', '.join(message.terms)})"
    lines.append(f"   matched: {matched}")
    if message.url:
        lines.append(f"   {message.url}")
    others = also_reported(message)
    if others:
        lines.append(f"   {others}")
    story = story_footer(message)
    if story:
        lines.append(f"   {story}")
    return "\n".join(lines) + "\n\n"


class ConsoleChannel(Channel):
    kind = "console"

    def __init__(self, spec: str, stream: TextIO | None = None) -> None:
        super().__init__(spec)
        import asyncio  # here: ``dealbot check`` registers this kind without asyncio

        self._stream = stream
        self._lock = asyncio.Lock()

    @property
    def stream(self) -> TextIO:
        return self._stream or sys.stdout

    async def deliver(self, message: AlertMessage) -> DeliveryResult:
        await self._write(render_block(message))
        return DeliveryResult.sent(MessageRef(self.spec, message.id))

    async def deliver_edit(self, ref: MessageRef, message: AlertMessage) -> DeliveryResult:
        lines = [edit_line(message)]
        if message.deal and "deal" in message.changed:  # the story's deal as it reads now
            lines += deal_lines(message)
        await self._write("\n".join(lines) + "\n")
        return DeliveryResult.sent(ref)

    async def notify(self, text: str) -> DeliveryResult:
        await self._write(f"!! {text}\n\n")
        return DeliveryResult.sent(None)

    async def _write(self, text: str) -> None:
        import asyncio

        async with self._lock:  # a pipe that is full would block: write from a thread
            await asyncio.to_thread(self._write_sync, text)

    def _write_sync(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()
