"""Slack: alerts as Block Kit messages (``channel``, drawn by ``render``), slash commands
(``commands``) and their listener in Socket Mode or HTTP mode (``frontend``), on
slack_sdk and slack-bolt; the channel kinds it brings (``kinds``) and the listener mode
(``choose_mode``), which import no SDK: ``channel``, ``commands`` and ``frontend`` are
imported only when a Slack channel or front end is built."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal


def choose_mode(setting: str, environ: Mapping[str, str]) -> Literal["socket", "http"] | None:
    """``settings.slack.mode`` resolved: ``auto`` is Socket Mode with an app token, else
    HTTP mode with a signing secret, else none."""
    if setting == "socket":
        return "socket"
    if setting == "http":
        return "http"
    if environ.get("SLACK_APP_TOKEN"):
        return "socket"
    if environ.get("SLACK_SIGNING_SECRET"):
        return "http"
    return None
