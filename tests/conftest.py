from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.adapters import install
from tests.feedserver import FeedServer

install()  # the chat channel kinds (discord:…, slack:…), as the CLI does on start


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    feed_server = await FeedServer().start()
    try:
        yield feed_server
    finally:
        await feed_server.stop()
