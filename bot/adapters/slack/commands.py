"""Slash commands on Slack: ``/news``, ``/search``, ``/status``, ``/feeds``, ``/topics``,
``/alerts`` and ``/help``, registered on a Bolt ``AsyncApp``.

Slack sends a slash command as text (``/feeds add https://… name=x``); the command's name
and that text make the command layer's text form (``feeds add https://… name=x``), parsed
by the command layer itself (quotes group words, bad arguments get the usage line). Each
listener acknowledges at once (Slack drops a command not acknowledged within 3 seconds),
runs the command, and answers through the ``response_url`` (``respond``): ephemeral for
errors and edits, in the channel for ``/news``; a long reply arrives as pages.

Who may edit is the command layer's rule; the adapter only says whether the caller is a
workspace admin or owner, asked with ``users.info`` (cached for a few minutes) and only
when the command edits and ``settings.admins`` does not already name them.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import shlex
import time
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.render import paginate
from bot.adapters.slack.render import reply_blocks, reply_text
from bot.commands.reply import Caller, CommandError, Reply
from bot.commands.service import Commands, is_admin
from bot.commands.spec import BY_NAME, COMMANDS, GROUPS, find_spec, parse_command

log = logging.getLogger(__name__)

SLASH_COMMANDS = ("news", "deals", "story", "search", "status", "feeds", "topics", "alerts", "help")
MANAGER_TTL = 300.0  # seconds a users.info answer is trusted
MANAGER_TTL_ON_ERROR = 30.0  # seconds an unanswered look-up counts as "not an admin"
ITEMS_PER_PAGE = 10
LINES_PER_PAGE = 40
CHARS_PER_PAGE = 12_000  # of lines a page: four full sections, with room for escaping
MAX_RESPONSES = 5  # Slack takes five answers per response_url
PLATFORM = "slack"
_SMART_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^|>\s]+)(?:\|[^>]*)?>")
_CHANNEL_MENTION = re.compile(r"<#([A-Z0-9]+)(?:\|[^>]*)?>")

Respond = Callable[..., Awaitable[Any]]


# ------------------------------------------------------------------- the command text


def command_text(command: str, text: str) -> str:
    """A slash command and its text as the command layer's text form: ``/feeds add x``
    is ``feeds add x``; ``/feeds``, ``/feeds help`` and ``/feeds add help`` ask for help.
    A channel mention is written as the channel it names."""
    name = command.strip().lstrip("/").lower()
    text = channel_mentions(slack_text(text))
    words = text.split()
    lowered = [word.lower() for word in words]
    if name == "help":
        return f"help {text}".strip()
    if not words and name in GROUPS:
        return f"help {name}"
    if lowered == ["help"]:
        return f"help {name}"
    if len(words) == 2 and lowered[1] == "help" and f"{name} {lowered[0]}" in BY_NAME:
        return f"help {name} {lowered[0]}"
    return f"{name} {text}".strip()


def slack_text(text: str) -> str:
    """The text as typed: Slack sends ``&``, ``<``, ``>`` as entities and (with
    ``should_escape``) a link as ``<https://…|…>``, and clients turn quotes into curly
    ones. A channel mention (``<#C0123|news>``) stays one (see ``channel_mentions``)."""
    text = _SLACK_LINK.sub(lambda m: m.group(1), text or "")
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return text.translate(_SMART_QUOTES).strip()


def channel_mentions(text: str) -> str:
    """A channel mention (``<#C0123|news>``, as Slack sends a channel picked in a command)
    as the channel the command layer knows: ``slack:C0123``."""
    return _CHANNEL_MENTION.sub(lambda found: f"{PLATFORM}:{found.group(1)}", text)


def refused(text: str) -> Reply | None:
    """A command Slack leaves out (the command table says why: an import needs a file, and
    no path may ever come from chat), typed anyway."""
    try:
        spec, _ = find_spec(shlex.split(text))
    except (CommandError, ValueError):
        return None  # the command layer answers what is wrong with it
    reason = spec.left_out_on(PLATFORM)
    return Reply.failure(reason) if reason is not None else None


def for_slack(reply: Reply) -> Reply:
    """Command names as Slack users type them: ``usage: search TEXT…`` becomes
    ``usage: /search TEXT…``, and help lists ``/feeds add URL …``."""
    usages = {spec.usage(): "/" + spec.usage() for spec in COMMANDS}
    examples = {spec.example: "/" + spec.example for spec in COMMANDS}

    def line(text: str) -> str:
        head, sep, rest = text.partition(" — ")
        if sep and head in usages:
            return usages[head] + sep + rest
        if text.startswith("  example: "):
            example = text.removeprefix("  example: ")
            return "  example: " + examples.get(example, example)
        if text == "help COMMAND shows an example.":
            return "/COMMAND help shows its example."
        return text

    title = reply.title.replace("; usage: ", "; usage: /")
    return Reply(
        title=title,
        lines=tuple(line(text) for text in reply.lines),
        items=reply.items,
        fields=reply.fields,
        ephemeral=reply.ephemeral,
        error=reply.error,
    )


# ------------------------------------------------------------------ workspace admins


class Managers:
    """Whether a user is an admin or owner of the workspace, from ``users.info``, cached."""

    def __init__(
        self, client: AsyncWebClient, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.client = client
        self.clock = clock
        self._cache: dict[tuple[str, str], tuple[float, bool]] = {}

    async def is_manager(self, user_id: str, team_id: str | None) -> bool:
        key = (user_id, team_id or "")
        cached = self._cache.get(key)
        if cached is not None and cached[0] > self.clock():
            return cached[1]
        try:
            answer = await self.client.users_info(user=user_id)
        except Exception as exc:
            log.warning("slack: cannot look up user %s (%s); treated as no admin", user_id, exc)
            self._cache[key] = (self.clock() + MANAGER_TTL_ON_ERROR, False)
            return False
        user = answer.get("user") or {}
        manager = is_workspace_manager(user, team_id)
        self._cache[key] = (self.clock() + MANAGER_TTL, manager)
        return manager


def is_workspace_manager(user: dict[str, Any], team_id: str | None) -> bool:
    """An admin or owner of this workspace: not a guest, not deleted, and not a member of
    another organisation come in through a shared channel."""
    if user.get("deleted") or user.get("is_restricted") or user.get("is_ultra_restricted"):
        return False
    if team_id and user.get("team_id") and user.get("team_id") != team_id:
        return False
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))


# --------------------------------------------------------------------- the listeners


class SlashCommands:
    """Runs slash commands through the command layer and answers them."""

    def __init__(self, commands: Commands, managers: Managers) -> None:
        self.commands = commands
        self.managers = managers

    def register(self, bolt: AsyncApp) -> None:
        """Every slash command of slack-manifest.yaml, each a group of the table's."""
        for name in SLASH_COMMANDS:
            bolt.command(f"/{name}")(self.answer)

    async def answer(
        self, ack: Callable[[], Awaitable[Any]], command: dict[str, Any], respond: Respond
    ) -> None:
        """Acknowledge, run the command, and answer through ``response_url``."""
        await ack()  # within Slack's 3 seconds; the answer follows through response_url
        try:
            reply = await self.run(command)
        except Exception:
            log.exception("slack: %s failed", command.get("command"))
            reply = Reply.failure("something went wrong; the bot's log has the details")
        try:
            await send_reply(respond, for_slack(reply))
        except Exception as exc:  # the response_url expired, or Slack could not be reached
            log.warning("slack: cannot answer %s: %s", command.get("command"), exc)

    async def run(self, command: dict[str, Any]) -> Reply:
        """The command's reply."""
        text = command_text(str(command.get("command", "")), str(command.get("text", "")))
        refusal = refused(text)
        if refusal is not None:
            return refusal
        caller = await self.caller(command, text)
        return await self.commands.run_text(caller, text)

    async def caller(self, command: dict[str, Any], text: str) -> Caller:
        """Who typed the command; whether they manage the workspace is asked only when the
        command edits and ``settings.admins`` does not already name them."""
        user_id = str(command.get("user_id", ""))
        channel_id = command.get("channel_id")
        caller = Caller(
            platform=PLATFORM,
            user_id=user_id,
            channel=f"{PLATFORM}:{channel_id}" if channel_id else None,
            display_name=str(command.get("user_name", "")),
        )
        if not edits(text) or is_admin(caller, self.commands.config.settings.admins):
            return caller  # nothing to decide, or listed in settings.admins
        manager = await self.managers.is_manager(user_id, command.get("team_id"))
        return dataclasses.replace(caller, is_manager=manager)


def edits(text: str) -> bool:
    """Whether the command is one that only admins may run."""
    try:
        return parse_command(text).spec.admin
    except CommandError:
        return False


def reply_pages(reply: Reply) -> list[Reply]:
    """A reply cut into pages that each fit one Slack message."""
    return paginate(reply, items_per_page=ITEMS_PER_PAGE, lines_per_page=LINES_PER_PAGE,
                    chars_per_page=CHARS_PER_PAGE)  # fmt: skip


async def send_reply(respond: Respond, reply: Reply) -> None:
    """The reply through ``response_url``, in pages (at most Slack's five answers)."""
    response_type = "ephemeral" if reply.ephemeral or reply.error else "in_channel"
    pages = reply_pages(reply)
    shown = pages[:MAX_RESPONSES]
    for index, page in enumerate(shown):
        blocks = reply_blocks(page)
        if index == len(shown) - 1 and len(pages) > len(shown):
            left = len(pages) - len(shown)
            note = f"{left} more pages not shown: narrow the command (limit=…, a name)"
            blocks = [*blocks[:49], {"type": "context",
                                     "elements": [{"type": "mrkdwn", "text": note}]}]  # fmt: skip
        answer = await respond(
            text=reply_text(page),
            blocks=blocks,
            response_type=response_type,
            unfurl_links=False,
            unfurl_media=False,
        )
        status = getattr(answer, "status_code", 200)
        if status != 200:
            log.warning("slack: a reply was refused: %s %s", status, getattr(answer, "body", ""))
            return
