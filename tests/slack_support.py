"""What the Slack adapter tests share: ids and secrets, a sample alert, a feeds.yaml with
Slack channels, signed slash-command requests, and the checks every message must pass
(Slack's limits, and no mention or link a feed could have smuggled in)."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.adapters.slack.frontend import bolt_app
from bot.app import App
from bot.commands import Commands
from bot.config import Config
from bot.models import AlertMessage
from tests.fake_slack import FakeSlack
from tests.feedserver import FeedServer, rss, rss_item
from tests.helpers import sample_alert, write_config, write_rule_config

TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
CHANNEL = "C0123ABCD"
OTHER = "C0456EFGH"
ADMIN_CHANNEL = "C0789ADMN"
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY",
                   "all_proxy")  # fmt: skip

ITEMS = (
    rss_item("Xiaomi SU7 EV deliveries double", "https://news.example/su7", guid="1",
             description="Xiaomi said its SU7 EV sold twice as many.", published=None),
    rss_item("Samsung shows Exynos for EV makers", "https://news.example/exynos", guid="2",
             description="Samsung showed an Exynos chip for EV makers.", published=None),
)  # fmt: skip


def message(**changes: Any) -> AlertMessage:
    defaults: dict[str, Any] = {
        "url": "https://news.example/su7?id=7&utm_source=rss",
        "canonical_url": "https://news.example/su7?id=7",
    }
    return sample_alert(**({"channel": f"slack:{CHANNEL}"} | defaults | changes))


def slack_config(
    tmp_path: Path,
    fake: FakeSlack,
    server: FeedServer,
    channels: str,
    *,
    items: tuple[str, ...] = ITEMS,
    **settings: str,
) -> Config:
    url = server.route("/feed.xml", rss(*items))
    merged = {"backfill": "all", "slack": f"{{api_base: '{fake.root}/api'}}"}
    return write_rule_config(tmp_path, {"wire": url}, channels, merged | settings)


# --------------------------------------------------------------------- signed requests


def slash_body(command: str, text: str, response_url: str, **fields: str) -> str:
    values = {
        "token": "deprecated-verification-token",
        "team_id": "T000FAKE",
        "team_domain": "fake",
        "channel_id": CHANNEL,
        "channel_name": "news",
        "user_id": "U0USER",
        "user_name": "alice",
        "command": command,
        "text": text,
        "api_app_id": "A000APP",
        "response_url": response_url,
        "trigger_id": "1.2.3",
    }
    return urlencode(values | fields)


def signed_headers(
    body: str, *, secret: str = SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """Headers Slack would send: the v0 HMAC-SHA256 signature of ``v0:timestamp:body``."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    assert signature is not None
    return {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": stamp,
        "x-slack-signature": signature,
    }


# ---------------------------------------------------------------------- message checks

_OWN_MARKUP = (
    re.compile(r"<!date\^\d+\^\{ago\}\|[^<>|]*>"),  # the age, drawn by the adapter
    re.compile(r"<(https?://[^|<>\s]+)\|[^<>]*>"),  # a link around a known URL
)


def texts_of(blocks: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(where, text) for every text in ``blocks``."""
    found: list[tuple[str, str]] = []
    for index, block in enumerate(blocks):
        if "text" in block:
            found.append((f"{index}.{block['type']}.text", block["text"]["text"]))
        for number, field in enumerate(block.get("fields", [])):
            found.append((f"{index}.fields.{number}", field["text"]))
        for number, element in enumerate(block.get("elements", [])):
            if "text" in element:
                found.append((f"{index}.elements.{number}", element["text"]))
    return found


def assert_within_limits(blocks: list[dict[str, Any]], text: str) -> None:
    assert 0 < len(blocks) <= 50
    assert 0 < len(text) <= 4000
    for block in blocks:
        if block["type"] == "header":
            assert block["text"]["type"] == "plain_text"
            assert 0 < len(block["text"]["text"]) <= 150
        if block["type"] == "section":
            if "text" in block:
                assert len(block["text"]["text"].strip()) > 0
                assert len(block["text"]["text"]) <= 3000
            assert len(block.get("fields", [])) <= 10
            assert all(len(field["text"]) <= 2000 for field in block.get("fields", []))
        if block["type"] == "context":
            assert 0 < len(block["elements"]) <= 10
            assert all(len(element["text"]) <= 3000 for element in block["elements"])


def assert_inert(text: str, urls: set[str]) -> None:
    """Every ``<…>`` in ``text`` is markup the adapter drew: the age, or a link to one of
    ``urls``; no mention, special mention or other link."""
    for piece in re.findall(r"<[^>]*>?", text):
        own = [pattern.fullmatch(piece) for pattern in _OWN_MARKUP]
        assert any(own), f"foreign markup {piece!r} in {text!r}"
        link = own[1]
        if link is not None:
            assert link.group(1) in urls, f"a link to {link.group(1)!r} in {text!r}"
    for forbidden in ("<!channel", "<!here", "<!everyone", "<@", "<#", "<!subteam"):
        assert forbidden not in text


def bolt_request(body: str, headers: dict[str, str]) -> AsyncBoltRequest:
    """The request Bolt's HTTP adapters build from what Slack sent."""
    values: dict[str, str | Sequence[str]] = {name: [value] for name, value in headers.items()}
    return AsyncBoltRequest(body=body, headers=values)


ADMIN = "U0ADMIN"
USER = "U0USER"
LISTED = "U0LISTED"


@dataclass
class Bot:
    app: App
    bolt: AsyncApp
    fake: FakeSlack
    server: FeedServer
    config: Config
    answers: int = 0

    async def slash(
        self, command: str, text: str = "", *, user: str = USER, pages: int = 1, **fields: str
    ) -> list[dict[str, Any]]:
        """Send a signed slash command through Bolt; return the answers it posted."""
        self.answers += 1
        response_id = str(self.answers)
        body = slash_body(command, text, self.fake.response_url(response_id), user_id=user,
                          **fields)  # fmt: skip
        started = time.monotonic()
        response = await self.bolt.async_dispatch(bolt_request(body, signed_headers(body)))
        assert response.status == 200, response.body
        assert time.monotonic() - started < 3  # acknowledged within Slack's 3 seconds
        await self.fake.wait_for(f"/respond/{response_id}", pages, within=10)
        await asyncio.sleep(0.05)  # let the listener finish after its last answer
        return self.fake.responses(response_id)


@pytest.fixture
async def bot(tmp_path: Path, server: FeedServer) -> AsyncIterator[Bot]:
    async with FakeSlack(valid_token=TOKEN) as fake:
        fake.add_user(ADMIN, is_admin=True, team_id=fake.team_id)
        fake.add_user(USER)
        fake.add_user(LISTED)
        url = server.route("/feed.xml", rss(*ITEMS))
        server.route("/other.xml", rss(*ITEMS, title="Other wire"))
        config = write_config(
            tmp_path,
            {"wire": url},
            settings={
                "backfill": "all",
                "admins": f'["slack:{LISTED}"]',
                "slack": f"{{api_base: '{fake.root}/api'}}",
            },
        )
        async with App.running(config) as app:
            await app.once()  # news and search have something to find
            bolt = bolt_app(Commands(app.services), bot_token=TOKEN, signing_secret=SECRET,
                            api_base=f"{fake.root}/api")  # fmt: skip
            yield Bot(app, bolt, fake, server, config)
