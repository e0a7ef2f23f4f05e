from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest

from tests.feedserver import FeedServer
from tests.helpers import SCRUBBED_PREFIXES

# No developer's real token or setting reaches the code under test, in this process or in
# any process it starts (parse workers inherit this environment; tests set what they need).
for _name in [name for name in os.environ if name.startswith(SCRUBBED_PREFIXES)]:
    del os.environ[_name]

# `bot`: a Slack app on a fake Slack; `postgres`: a real PostgreSQL server for the session
pytest_plugins = ["tests.slack_support", "tests.pg_support"]


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    feed_server = await FeedServer().start()
    try:
        yield feed_server
    finally:
        await feed_server.stop()
