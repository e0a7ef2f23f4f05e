"""The channel-kind registry: each kind describes itself (prefix, target check, secret
target, how it is built); config validation asks the registry it is given; the chat
platforms' kinds are known without importing their SDKs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.channels import (
    DEFAULT_KINDS,
    Channel,
    ChannelKind,
    ChannelKinds,
    ConsoleChannel,
    JsonlChannel,
    build_channels,
)
from bot.config import Settings, load_config
from bot.config.edit import ConfigEditor
from bot.errors import ConfigError
from bot.models import AlertMessage, DeliveryResult, MessageRef
from tests.helpers import python

KNOWN = "console, discord:…, discord-webhook:…, jsonl:…, slack:…, slack-webhook:…"


class PagerChannel(Channel):
    kind = "pager"

    def __init__(self, spec: str, team: str) -> None:
        super().__init__(spec)
        self.team = team

    async def deliver(self, message: AlertMessage) -> DeliveryResult:
        return DeliveryResult.sent(MessageRef(self.spec, message.id))


def check_team(target: str) -> None:
    if not re.fullmatch(r"[a-z]+", target):
        raise ValueError(f"pager:{target} is not a team; use lower case letters, like pager:ops")


PAGER = ChannelKind(
    "pager", build=lambda spec, target, _settings, _folder: PagerChannel(spec, target),
    check=check_team,
)  # fmt: skip
HOOK = ChannelKind(
    "hook", build=lambda spec, _t, _s, _f: PagerChannel(spec, "hook"), secret_target=True
)
KINDS = DEFAULT_KINDS.with_kinds(PAGER, HOOK)


def config_text(*channels: str) -> str:
    return (
        "settings:\n  database: state/dealbot.db\n"
        "topics:\n  chips: [Exynos]\n"
        f"alerts:\n  - name: chips\n    match: chips\n    channels: {json.dumps(channels)}\n"
    )


def write(tmp_path: Path, *channels: str) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(config_text(*channels), encoding="utf-8")
    return path


def problems(path: Path, kinds: ChannelKinds = DEFAULT_KINDS) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path, kinds)
    return [str(problem) for problem in caught.value.problems]


def test_an_unknown_prefix_is_one_line_naming_every_known_kind(tmp_path: Path) -> None:
    path = write(tmp_path, "carrier-pigeon:loft")
    (problem,) = problems(path)
    assert problem == (
        f"{path}:8: alerts[0].channels[0]: unknown channel 'carrier-pigeon:loft'; "
        f"known kinds: {KNOWN}"
    )
    assert "\n" not in problem
    (problem,) = problems(path, KINDS)  # a registry lists its own kinds
    assert problem.endswith(
        "known kinds: console, discord:…, discord-webhook:…, hook:…, jsonl:…, pager:…, "
        "slack:…, slack-webhook:…"
    )


def test_a_kind_added_in_a_registry_works_end_to_end_in_validation(tmp_path: Path) -> None:
    path = write(tmp_path, "pager:ops", "console")
    config = load_config(path, KINDS)
    assert config.alerts[0].channels == ("pager:ops", "console")
    assert config.kinds is KINDS  # the configuration keeps the kinds it was validated with
    channels = build_channels(config.channels(), config.settings, config.folder, config.kinds)
    pager = channels["pager:ops"]
    assert isinstance(pager, PagerChannel)
    assert pager.team == "ops"
    assert isinstance(channels["console"], ConsoleChannel)
    # its own target check, with file, line and key path
    (problem,) = problems(write(tmp_path, "pager:Ops Team"), KINDS)
    assert problem == (
        f"{path}:8: alerts[0].channels[0]: pager:Ops Team is not a team; use lower case "
        "letters, like pager:ops"
    )
    (problem,) = problems(write(tmp_path, "pager"), KINDS)
    assert problem.endswith("channel 'pager' needs a target after the colon, like pager:…")
    (problem,) = problems(write(tmp_path, "console:stdout"), KINDS)
    assert problem.endswith("channel 'console' takes no target")
    # the default registry does not know it
    (problem,) = problems(write(tmp_path, "pager:ops"))
    assert "unknown channel 'pager:ops'" in problem


async def test_an_edit_is_validated_with_the_registry_of_the_configuration(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "pager:ops")
    config = load_config(path, KINDS)
    editor = ConfigEditor(config.path, config.kinds)
    result = await editor.apply(lambda tree: tree["alerts"][0]["channels"].append("pager:web"))
    assert result.config.alerts[0].channels == ("pager:ops", "pager:web")
    with pytest.raises(ConfigError, match="pager:Web is not a team"):
        await editor.apply(lambda tree: tree["alerts"][0]["channels"].append("pager:Web"))
    with pytest.raises(ConfigError, match="unknown channel 'pager:ops'"):
        await ConfigEditor(config.path).apply(lambda tree: None)


def test_a_secret_target_keeps_its_reference_and_is_masked_when_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEALBOT_HOOK", "https://hooks.example/services/T0/s3cr3t")
    monkeypatch.setenv("DEALBOT_TEAM", "ops")
    path = write(tmp_path, "hook:${DEALBOT_HOOK}", "pager:${DEALBOT_TEAM}")
    config = load_config(path, KINDS)
    # a secret target is read by the channel itself; any other reference is expanded
    assert config.alerts[0].channels == ("hook:${DEALBOT_HOOK}", "pager:ops")
    assert KINDS.is_secret("hook:${DEALBOT_HOOK}")
    assert not KINDS.is_secret("pager:ops")
    assert not KINDS.is_secret("carrier-pigeon:loft")
    assert KINDS.shown("hook:${DEALBOT_HOOK}") == "hook:${DEALBOT_HOOK}"
    assert KINDS.shown("hook:https://hooks.example/services/T0/s3cr3t") == (
        "hook:hooks.example/***"
    )
    assert KINDS.shown("hook:s3cr3t-token") == "hook:***"  # not a URL, still a secret
    assert KINDS.shown("pager:ops") == "pager:ops"
    assert KINDS.shown("console") == "console"
    # the platforms' webhooks are secret kinds too
    assert DEFAULT_KINDS.is_secret("discord-webhook:${DEALBOT_HOOK}")
    assert DEFAULT_KINDS.is_secret("slack-webhook:${DEALBOT_HOOK}")
    assert not DEFAULT_KINDS.is_secret("slack:C0123ABCD")


def test_a_valid_discord_channel_needs_no_install_step(tmp_path: Path) -> None:
    path = write(tmp_path, "discord:123456789012345678", "slack:C0123ABCD", "jsonl:a.jsonl")
    config = load_config(path)
    assert config.alerts[0].channels == (
        "discord:123456789012345678",
        "slack:C0123ABCD",
        "jsonl:a.jsonl",
    )
    jsonl = DEFAULT_KINDS.build("jsonl:a.jsonl", Settings(), config.folder)
    assert isinstance(jsonl, JsonlChannel)
    assert jsonl.path == config.folder / "a.jsonl"  # relative to feeds.yaml


def test_a_registry_names_the_channel_words_of_its_kinds() -> None:
    assert KINDS.names_channel("pager:ops")
    assert KINDS.names_channel("console")
    assert KINDS.names_channel("discord:123")  # written like one; checked later
    assert not KINDS.names_channel("pager")  # a pager needs a target
    assert not KINDS.names_channel("console:x")
    assert not KINDS.names_channel("exynos")
    assert not DEFAULT_KINDS.names_channel("pager:ops")
    assert "pager" in KINDS
    assert "pager" not in DEFAULT_KINDS
    assert "discord" in DEFAULT_KINDS


CORE_ONLY = """
import json, sys
import bot
from bot.config import load_config
config = load_config(sys.argv[1])
print(json.dumps({
    "channels": list(config.channels()),
    "sdks": sorted({m.split(".")[0] for m in sys.modules} & {"discord", "slack_bolt", "slack_sdk"}),
}))
"""

CHECK = """
import json, sys
from bot.cli import main
status = main(["check", "--config", sys.argv[1]])
print(json.dumps({
    "status": status,
    "sdks": sorted({m.split(".")[0] for m in sys.modules} & {"discord", "slack_bolt", "slack_sdk"}),
}))
"""


async def test_the_core_loads_chat_channels_without_any_chat_sdk(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "discord:123456789012345678",
        "discord-webhook:${DEALBOT_DISCORD_HOOK}",
        "slack:C0123ABCD",
        "slack-webhook:${DEALBOT_SLACK_HOOK}",
    )
    env = {
        "DEALBOT_DISCORD_HOOK": "https://discord.com/api/webhooks/1/x",
        "DEALBOT_SLACK_HOOK": "https://hooks.slack.com/services/T/B/x",
    }
    status, out, err = await python("-c", CORE_ONLY, str(path), env=env)
    assert status == 0, err
    loaded = json.loads(out.splitlines()[-1])
    assert len(loaded["channels"]) == 4
    assert loaded["sdks"] == []
    status, out, err = await python("-c", CHECK, str(path), env=env)
    assert status == 0, err
    checked = json.loads(out.splitlines()[-1])
    assert checked == {"status": 0, "sdks": []}
