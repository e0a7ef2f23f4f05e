"""The deal on every card: Discord embeds and Slack blocks posted to the fakes on 127.0.0.1 and
checked against the platforms' API spec subsets, the console block and the jsonl record; an
alert without a deal looks as before."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from discord.http import Route

from bot.adapters.discord.channel import DiscordChannel
from bot.adapters.slack.channel import SlackChannel
from bot.channels.console import ConsoleChannel, render_block
from bot.channels.jsonl import JsonlChannel, alert_record
from bot.config import DiscordSettings, SlackSettings
from bot.deals import Deal, Party
from bot.models import AlertMessage, DeliveryStatus
from tests.fake_discord import FakeDiscord
from tests.fake_slack import FakeSlack
from tests.helpers import sample_alert
from tests.openapi_check import discord_request_errors, slack_request_errors
from tests.slack_support import PROXY_VARIABLES, TOKEN
from tests.test_deals_alerts import HARMAN, HARMAN_DEAL

DISCORD_CHANNEL = "111111111111111111"
SLACK_CHANNEL = "C0123ABCD"
TALKS = Deal(
    "partnership", "talks", (Party("Samsung Electronics", "samsung"), Party("Xiaomi", "xiaomi"))
)
HOSTILE = Deal("merger", "rumoured", (Party("**Evil** <!channel> @everyone"), Party("[x](y)")))


def alert(channel: str, deal: Deal | None, stage_was: str | None = None) -> AlertMessage:
    return sample_alert(channel, deal=deal, stage_was=stage_was)


@pytest.fixture
async def discord_fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    monkeypatch.setattr(Route, "BASE", Route.BASE)  # restored after the test
    monkeypatch.setenv("DISCORD_TOKEN", "test-token")
    async with FakeDiscord() as server:
        yield server


@pytest.fixture
async def slack_fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeSlack]:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    async with FakeSlack(valid_token=TOKEN) as server:
        yield server


async def post_to_discord(fake: FakeDiscord, *messages: AlertMessage) -> list[dict[str, object]]:
    channel = DiscordChannel(
        f"discord:{DISCORD_CHANNEL}", int(DISCORD_CHANNEL), DiscordSettings(api_base=fake.base)
    )
    try:
        for message in messages:
            assert (await channel.send(message)).status is DeliveryStatus.SENT
    finally:
        await channel.close()
    bodies = fake.bodies("POST", f"/channels/{DISCORD_CHANNEL}/messages")
    for body in bodies:
        assert discord_request_errors("POST", "/channels/{channel_id}/messages", body) == []
    return bodies


async def test_discord_embed_opens_with_the_deal_and_names_parties_and_value(
    discord_fake: FakeDiscord,
) -> None:
    channel = f"discord:{DISCORD_CHANNEL}"
    bodies = await post_to_discord(
        discord_fake,
        alert(channel, HARMAN),
        alert(channel, TALKS, stage_was="rumoured"),
        alert(channel, None),
    )
    harman, talks, plain = (body["embeds"][0] for body in bodies)  # type: ignore[index]
    assert harman["description"].startswith("**🛒 acquisition · agreed**\n**Xiaomi** said")
    fields = {field["name"]: field["value"] for field in harman["fields"]}
    assert fields["Parties"] == "Samsung Electronics → Harman"
    assert fields["Value"] == "US$8.0 bn"
    assert [field["name"] for field in harman["fields"]][:2] == ["Parties", "Value"]
    assert talks["description"].startswith("**🤝 partnership · talks (was rumoured)**\n")
    talk_fields = {field["name"]: field["value"] for field in talks["fields"]}
    assert talk_fields["Parties"] == "Samsung Electronics ⇄ Xiaomi"
    assert "Value" not in talk_fields  # no figure, no field
    # without a deal: as before
    assert [field["name"] for field in plain["fields"]] == ["Topics", "Source", "Published"]
    assert plain["description"] == "**Xiaomi** said its SU7 **EV** sold twice as many."


async def test_discord_party_names_from_a_feed_are_escaped(discord_fake: FakeDiscord) -> None:
    (body,) = await post_to_discord(discord_fake, alert(f"discord:{DISCORD_CHANNEL}", HOSTILE))
    fields = {field["name"]: field["value"] for field in body["embeds"][0]["fields"]}  # type: ignore[index]
    assert fields["Parties"] == "\\*\\*Evil\\*\\* \\<!channel> @\u200beveryone ⇄ \\[x\\](y)"
    assert body["allowed_mentions"] == {"parse": []}


async def test_slack_shows_the_deal_in_a_context_block(slack_fake: FakeSlack) -> None:
    spec = f"slack:{SLACK_CHANNEL}"
    channel = SlackChannel(spec, SLACK_CHANNEL, SlackSettings(api_base=f"{slack_fake.root}/api"))
    for message in (
        alert(spec, HARMAN, stage_was="talks"),
        alert(spec, None),
        alert(spec, HOSTILE),
    ):
        assert (await channel.send(message)).status is DeliveryStatus.SENT
    harman, plain, hostile = slack_fake.bodies("chat.postMessage")
    for body in (harman, plain, hostile):
        assert slack_request_errors("chat.postMessage", body) == []
    blocks = harman["blocks"]
    assert [block["type"] for block in blocks] == ["section", "context", "context"]
    assert [element["text"] for element in blocks[1]["elements"]] == [
        "*🛒 acquisition · agreed (was talks)*",
        "parties: Samsung Electronics → Harman",
        "value: US$8.0 bn",
    ]
    assert blocks[2]["elements"][0]["text"] == "topics: ev, xiaomi"
    assert [block["type"] for block in plain["blocks"]] == ["section", "context"]
    shown = hostile["blocks"][1]["elements"][1]["text"]
    assert shown == "parties: **Evil** &lt;!channel&gt; @everyone ⇄ [x](y)"


async def test_console_shows_the_deal_and_a_stage_change_on_lines_of_their_own() -> None:
    block = render_block(alert("console", HARMAN, stage_was="talks"))
    lines = block.splitlines()
    assert lines[2] == "   deal: acquisition · agreed · Samsung Electronics → Harman · US$8.0 bn"
    assert lines[3] == "   stage: talks → agreed"
    assert lines[4] == "   Xiaomi said its SU7 EV sold twice as many."
    talks = render_block(alert("console", TALKS)).splitlines()
    assert talks[2] == "   deal: partnership · talks · Samsung Electronics ⇄ Xiaomi"
    plain = render_block(alert("console", None)).splitlines()
    assert not any(line.lstrip().startswith(("deal:", "stage:")) for line in plain)
    stream = io.StringIO()
    await ConsoleChannel("console", stream).send(alert("console", HARMAN))
    assert "   deal: acquisition · agreed" in stream.getvalue()


async def test_the_jsonl_record_gains_the_deal_and_keeps_every_field(tmp_path: Path) -> None:
    plain = alert_record(alert("jsonl:x", None))
    with_deal = alert_record(alert("jsonl:x", HARMAN, stage_was="talks"))
    assert set(with_deal) == set(plain) | {"stage_was"}
    assert {key: value for key, value in with_deal.items() if key not in ("deal", "stage_was")} == {
        key: value for key, value in plain.items() if key != "deal"
    }
    assert with_deal["deal"] == HARMAN_DEAL
    assert with_deal["stage_was"] == "talks"
    assert plain["deal"] is None
    path = tmp_path / "alerts.jsonl"
    await JsonlChannel("jsonl:x", path).send(alert("jsonl:x", HARMAN))
    (line,) = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["deal"]["amounts"][0]["text"] == "80억 달러"  # UTF-8 as written


def test_the_outbox_message_keeps_the_deal_through_json() -> None:
    message = alert("jsonl:x", HARMAN, stage_was="talks")
    assert AlertMessage.from_json(json.loads(json.dumps(message.to_json()))) == message
    assert (
        AlertMessage.from_json({**alert("jsonl:x", None).to_json()} | {"deal": None}).deal is None
    )


# ------------------------------------------------------------------ a stage move edits the card

TALKS_HARMAN = Deal("acquisition", "talks", HARMAN.parties)


def moved(channel: str) -> AlertMessage:
    """A story's alert as its edit reads once a later report moved the deal on: talks, then
    agreed (``bot.store``: ``changed`` names the deal and its stage)."""
    return sample_alert(
        channel,
        story="s0a1b2c3d4e",
        deal=HARMAN,
        stage_was="talks",
        changed=("sources", "deal", "stage"),
    )


async def test_a_stage_move_edits_the_discord_embed_and_the_slack_blocks(
    discord_fake: FakeDiscord, slack_fake: FakeSlack
) -> None:
    spec = f"discord:{DISCORD_CHANNEL}"
    discord = DiscordChannel(
        spec, int(DISCORD_CHANNEL), DiscordSettings(api_base=discord_fake.base)
    )
    try:
        sent = await discord.send(sample_alert(spec, story="s0a1b2c3d4e", deal=TALKS_HARMAN))
        assert sent.ref is not None
        assert (await discord.edit(sent.ref, moved(spec))).status is DeliveryStatus.SENT
    finally:
        await discord.close()
    path = f"/channels/{DISCORD_CHANNEL}/messages/{sent.ref.message_id}"
    (patch,) = discord_fake.bodies("PATCH", path)
    assert discord_request_errors("PATCH", "/channels/{c}/messages/{m}", patch) == []
    embed = patch["embeds"][0]
    assert embed["description"].startswith("**🛒 acquisition · agreed (was talks)**\n")
    assert {f["name"]: f["value"] for f in embed["fields"]}["Value"] == "US$8.0 bn"
    assert embed["title"] == "Xiaomi SU7 EV deliveries double"  # the story's title stays

    spec = f"slack:{SLACK_CHANNEL}"
    slack = SlackChannel(spec, SLACK_CHANNEL, SlackSettings(api_base=f"{slack_fake.root}/api"))
    posted = await slack.send(sample_alert(spec, story="s0a1b2c3d4e", deal=TALKS_HARMAN))
    assert posted.ref is not None
    assert (await slack.edit(posted.ref, moved(spec))).status is DeliveryStatus.SENT
    (update,) = slack_fake.bodies("chat.update")
    assert slack_request_errors("chat.update", update) == []
    texts = [e["text"] for block in update["blocks"] if block["type"] == "context"
             for e in block["elements"]]  # fmt: skip
    assert "*🛒 acquisition · agreed (was talks)*" in texts
    assert "*🛒 acquisition · talks*" not in texts


async def test_a_stage_move_on_the_console_and_in_jsonl(tmp_path: Path) -> None:
    from bot.models import MessageRef

    stream = io.StringIO()
    console = ConsoleChannel("console", stream)
    await console.edit(MessageRef("console", "x"), moved("console"))
    assert stream.getvalue().splitlines() == [
        "↻ deal moved on: Xiaomi SU7 EV deliveries double",
        "   deal: acquisition · agreed · Samsung Electronics → Harman · US$8.0 bn",
        "   stage: talks → agreed",
    ]
    path = tmp_path / "alerts.jsonl"
    await JsonlChannel("jsonl:x", path).edit(MessageRef("jsonl:x", "x"), moved("jsonl:x"))
    (line,) = path.read_text(encoding="utf-8").splitlines()
    update = json.loads(line)
    assert (update["kind"], update["changed"]) == ("update", ["sources", "deal", "stage"])
    assert (update["deal"], update["stage_was"]) == (HARMAN_DEAL, "talks")


def test_a_storys_deal_is_its_best_supported_reading_at_the_furthest_stage() -> None:
    from bot.deals.stages import story_deal

    korean = Deal("acquisition", "agreed", (Party("삼성전자"), Party("Harman")), HARMAN.amounts)
    misread = Deal("partnership", "talks", HARMAN.parties)
    completed = Deal("acquisition", "completed", HARMAN.parties)
    assert story_deal([]) is None
    assert story_deal([TALKS_HARMAN]) == TALKS_HARMAN
    # a later report moves the stage on, with the figures a report gave
    later = story_deal([TALKS_HARMAN, korean])
    assert later is not None
    assert (later.kind, later.stage, later.amounts) == ("acquisition", "agreed", HARMAN.amounts)
    # a report that lags behind moves nothing; a reading of another kind is outvoted
    assert story_deal([TALKS_HARMAN, korean, TALKS_HARMAN, misread]) == later
    final = story_deal([TALKS_HARMAN, korean, completed])
    assert final is not None
    assert final.stage == "completed"
