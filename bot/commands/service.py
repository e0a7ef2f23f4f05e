"""The command service: one implementation of every command, for every front end.

``Commands.run(caller, invocation)`` checks who may run it (reading is open to everyone;
every edit needs an admin), converts the arguments, runs the handler and returns a
``Reply``; a bad argument or a refused edit is a ``CommandError`` turned into a one-line
error reply, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.commands.context import Context, Handler
from bot.commands.deals import DEALS
from bot.commands.editing import EDITING
from bot.commands.reading import READING
from bot.commands.reply import Caller, CommandError, Reply
from bot.commands.services import Services
from bot.commands.spec import Arguments, Invocation, parse_command
from bot.config import Config
from bot.redact import redact


def is_admin(caller: Caller, admins: tuple[str, ...]) -> bool:
    """The one rule for every front end: the CLI is trusted; on chat, a server/workspace
    manager (as the platform says) or a user listed in ``settings.admins``."""
    if caller.platform == "cli":
        return True
    return caller.is_manager or caller.qualified_id in admins


class Commands:
    def __init__(self, services: Services, *, clock: Callable[[], datetime] | None = None) -> None:
        self.reader = services.reader
        self.editor = services.editor
        self.clock = clock or services.reader.clock
        self.handlers: dict[str, Handler] = {**READING, **DEALS, **EDITING}

    @property
    def config(self) -> Config:
        """The configuration in force (front ends read their platform's settings here)."""
        return self.reader.live.config

    async def run_text(self, caller: Caller, text: str) -> Reply:
        """Run a command typed as text (``feeds add https://… interval=10m``)."""
        try:
            invocation = parse_command(text)
        except CommandError as exc:
            return Reply.failure(str(exc))
        return await self.run(caller, invocation)

    async def run(self, caller: Caller, invocation: Invocation) -> Reply:
        """Run a command; a reply to chat never carries a secret (see bot.redact). The CLI is
        the operator, who has the secrets anyway (and ``feeds export`` is for moving them)."""
        reply = await self._run(caller, invocation)
        return reply if caller.platform == "cli" else reply.redacted(redact)

    async def _run(self, caller: Caller, invocation: Invocation) -> Reply:
        spec = invocation.spec
        if spec.admin and not is_admin(caller, self.config.settings.admins):
            return Reply.failure(f"only admins can use {spec.name}; nothing was changed")
        if spec.admin and caller.platform != "cli" and _has_reference(invocation.args):
            return Reply.failure(
                "refused: ${…} references are written in feeds.yaml by the operator, never "
                "from chat; nothing was changed"
            )
        context = Context(self.reader, self.editor, caller, self.clock(), spec)
        try:
            return await self.handlers[spec.name](context, invocation.args)
        except CommandError as exc:
            return Reply.failure(str(exc))


def _has_reference(args: Arguments) -> bool:
    """Whether any argument holds ``${``: the start of an environment reference, which only
    the operator may write (a chat edit must not read the bot's secrets)."""
    values = [v for value in args.values() for v in (value if isinstance(value, list) else [value])]
    return any("${" in value for value in values)
