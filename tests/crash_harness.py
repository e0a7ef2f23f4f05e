"""Run one ``once`` cycle and kill the process (``os._exit``) at a chosen point.

    python -m tests.crash_harness CONFIG MODE

MODE: ``after-outbox``  polls and commits the outbox, dies before any delivery;
      ``before-write``  dies inside the channel send, before the alert is written;
      ``after-write``   dies after the channel accepted the alert, before it is marked sent.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Mapping, Sequence

from bot.app import App
from bot.channels import build_channels
from bot.config import Feed, load_config
from bot.models import AlertMessage, DeliveryResult, FeedState
from bot.pipeline import PollOutcome

CRASH_STATUS = 17


def crash() -> None:
    sys.stdout.flush()
    os._exit(CRASH_STATUS)


async def main(config_path: str, mode: str) -> None:
    config = load_config(config_path)
    channels = build_channels(config.channels(), config.settings, config.folder)
    jsonl = next(c for spec, c in channels.items() if spec.startswith("jsonl:"))
    real_deliver = jsonl.deliver

    async def deliver(message: AlertMessage) -> DeliveryResult:
        if mode == "before-write":
            crash()
        result = await real_deliver(message)
        if mode == "after-write":
            crash()
        return result

    jsonl.deliver = deliver  # type: ignore[method-assign]
    async with App.running(config, channels=channels) as app:
        if mode == "after-outbox":
            real_poll = app.cycle.poll_each

            async def poll_then_crash(
                feeds: Sequence[Feed],
                take: Callable[[PollOutcome], object],
                states: Mapping[str, FeedState] | None = None,
            ) -> None:
                await real_poll(feeds, take, states)
                crash()

            app.cycle.poll_each = poll_then_crash  # type: ignore[method-assign]
        await app.once()
    raise SystemExit("the harness was expected to crash")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
