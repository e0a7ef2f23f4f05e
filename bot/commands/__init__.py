"""The command layer: one implementation of every command for every front end (the CLI,
Discord, Slack), returning platform-neutral replies. No chat SDK is imported here."""

from bot.commands.reply import Caller, CommandError, Reply, ReplyItem, Snippet
from bot.commands.service import Commands, is_admin
from bot.commands.spec import COMMANDS, CommandSpec, Invocation, Param, parse_command

__all__ = [
    "COMMANDS",
    "Caller",
    "CommandError",
    "CommandSpec",
    "Commands",
    "Invocation",
    "Param",
    "Reply",
    "ReplyItem",
    "Snippet",
    "is_admin",
    "parse_command",
]
