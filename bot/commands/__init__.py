"""The command layer: one implementation of every command for every front end (the CLI,
Discord, Slack), returning platform-neutral replies. No chat SDK is imported here."""

from typing import TYPE_CHECKING, Any

from bot.commands.reply import Caller, CommandError, Reply, ReplyItem, Snippet
from bot.commands.spec import COMMANDS, CommandSpec, Invocation, Param, parse_command

if TYPE_CHECKING:
    from bot.commands.service import Commands, is_admin


def __getattr__(name: str) -> Any:
    """The service, imported when first asked for: the command table alone (what
    ``dealbot --help`` lists) needs neither the configuration nor its editor."""
    if name in ("Commands", "is_admin"):
        from bot.commands import service

        return getattr(service, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
