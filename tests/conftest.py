from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.feedserver import FeedServer


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    feed_server = await FeedServer().start()
    try:
        yield feed_server
    finally:
        await feed_server.stop()
