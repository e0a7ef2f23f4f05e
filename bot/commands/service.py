"""The command service: one implementation of every command, for every front end.

``Commands.run(caller, invocation)`` checks who may run it (reading is open to everyone;
every edit needs an admin), converts the arguments, runs the handler and returns a
``Reply``; a bad argument or a refused edit is a ``CommandError`` turned into a one-line
error reply, and changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.commands.reply import Caller, CommandError, Reply
from bot.commands.spec import Arguments, CommandSpec, Invocation, parse_command
from bot.config import MAX_NAME_LENGTH, Config, parse_duration
from bot.config.edit import ConfigEditor, Edit
from bot.errors import ConfigError
from bot.match.expression import TOPIC_NAME
from bot.redact import redact

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

Handler = Callable[["Context", Arguments], Awaitable[Reply]]


@dataclass
class Context:
    """What a handler works with: the running app, the file editor, the caller, the time."""

    app: App
    editor: ConfigEditor
    caller: Caller
    now: datetime
    spec: CommandSpec

    @property
    def config(self) -> Config:
        return self.app.config

    async def save(self, edit: Edit) -> Config:
        """Apply an edit to feeds.yaml and run on the result at once."""
        try:
            result = await self.editor.apply(edit)
        except ConfigError as exc:
            reasons = "; ".join(p.message if not p.path else f"{p.path}: {p.message}"
                                for p in exc.problems)  # fmt: skip
            raise CommandError(f"not saved: {reasons}") from None
        await self.app.apply_config(result.config)
        log.info("%s by %s", self.spec.name, self.caller.qualified_id)
        return result.config

    # argument conversion: every failure is a one-line CommandError with the usage

    def text(self, args: Arguments, name: str, default: str = "") -> str:
        value = args.get(name, default)
        return " ".join(value) if isinstance(value, list) else value

    def words(self, args: Arguments, name: str) -> list[str]:
        value = args.get(name, [])
        return value if isinstance(value, list) else value.split()

    def integer(self, args: Arguments, name: str) -> int:
        param = next(p for p in self.spec.params if p.name == name)
        raw = self.text(args, name)
        if not raw:
            return int(param.default)
        try:
            value = int(raw)
        except ValueError:
            raise CommandError(f"{name} must be a whole number, not {raw!r}") from None
        if not param.low <= value <= param.high:
            raise CommandError(f"{name} must be between {param.low} and {param.high}")
        return value

    def duration(self, args: Arguments, name: str) -> timedelta | None:
        raw = self.text(args, name)
        if not raw:
            return None
        try:
            return parse_duration(raw)
        except ValueError as exc:
            raise CommandError(f"{name}: {exc}") from None

    def name(self, args: Arguments, key: str = "name") -> str:
        value = self.text(args, key).strip().lower()
        if not TOPIC_NAME.fullmatch(value) or len(value) > MAX_NAME_LENGTH:
            raise CommandError(
                f"{value!r} is not a valid name: use lower case letters, digits, '_' or '-'"
            )
        return value


def is_admin(caller: Caller, admins: tuple[str, ...]) -> bool:
    """The one rule for every front end: the CLI is trusted; on chat, a server/workspace
    manager (as the platform says) or a user listed in ``settings.admins``."""
    if caller.platform == "cli":
        return True
    return caller.is_manager or caller.qualified_id in admins


class Commands:
    def __init__(self, app: App, *, clock: Callable[[], datetime] | None = None) -> None:
        from bot.commands.editing import EDITING
        from bot.commands.reading import READING

        self.app = app
        self.editor = ConfigEditor(app.config.path, app.config.kinds)
        self.clock = clock or app.clock
        self.handlers: dict[str, Handler] = {**READING, **EDITING}

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
        if spec.admin and not is_admin(caller, self.app.config.settings.admins):
            return Reply.failure(f"only admins can use {spec.name}; nothing was changed")
        if spec.admin and caller.platform != "cli" and _has_reference(invocation.args):
            return Reply.failure(
                "refused: ${…} references are written in feeds.yaml by the operator, never "
                "from chat; nothing was changed"
            )
        context = Context(self.app, self.editor, caller, self.clock(), spec)
        try:
            return await self.handlers[spec.name](context, invocation.args)
        except CommandError as exc:
            return Reply.failure(str(exc))


def _has_reference(args: Arguments) -> bool:
    """Whether any argument holds ``${``: the start of an environment reference, which only
    the operator may write (a chat edit must not read the bot's secrets)."""
    values = [v for value in args.values() for v in (value if isinstance(value, list) else [value])]
    return any("${" in value for value in values)
