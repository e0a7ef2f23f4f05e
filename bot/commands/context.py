"""What a command handler works with (``Context``): the reader, the editor, the caller, the
time and the command; and the conversion of its raw arguments, where every failure is a
one-line ``CommandError`` with the usage.

The handlers (``reading``, ``editing``) depend on it, and the service on them: no module of
the command layer imports one that imports it back.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.commands.reply import Caller, CommandError, Reply
from bot.commands.services import Editor, Reader
from bot.commands.spec import Arguments, CommandSpec, check_value
from bot.config import MAX_NAME_LENGTH, Config, parse_duration
from bot.config.edit import Edit
from bot.errors import ConfigError
from bot.match.expression import TOPIC_NAME

log = logging.getLogger(__name__)

Handler = Callable[["Context", Arguments], Awaitable[Reply]]


@dataclass
class Context:
    """What a handler works with: the reader, the editor, the caller, the time."""

    reader: Reader
    editor: Editor
    caller: Caller
    now: datetime
    spec: CommandSpec

    @property
    def config(self) -> Config:
        return self.reader.live.config

    async def save(self, edit: Edit) -> Config:
        """Apply an edit to feeds.yaml and run on the result at once."""
        try:
            config = await self.editor.save(edit)
        except ConfigError as exc:
            reasons = "; ".join(p.message if not p.path else f"{p.path}: {p.message}"
                                for p in exc.problems)  # fmt: skip
            raise CommandError(f"not saved: {reasons}") from None
        log.info("%s by %s", self.spec.name, self.caller.qualified_id)
        return config

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
        check_value(param, raw)
        return int(raw)

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
