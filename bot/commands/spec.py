"""Every command, declared once: its words, parameters, usage, example and who may run it.

The table drives ``help``, the text parser (chat and Slack type commands as text), the
CLI's subcommands, and the chat adapters' slash-command definitions, so no front end
describes a command again.

Text form: ``feeds add https://… name=techwire interval=10m``. Parameters are given in
order or as ``key=value``; quotes group words (``alerts add ev-news "ev and not tesla"``).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

from bot.commands.reply import CommandError

MAX_COMMAND_LENGTH = 2000
MAX_ARGUMENT_LENGTH = 500


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    kind: str = "word"  # word | int | duration | text (the rest of the line) | words (1+)
    required: bool = True
    default: Any = None
    help: str = ""
    low: int = 1
    high: int = 1000

    @property
    def greedy(self) -> bool:
        """Takes every remaining positional word."""
        return self.kind in ("text", "words")

    def usage(self) -> str:
        label = self.name.upper() + ("…" if self.greedy else "")
        if self.required:
            return label
        return f"[{label}]" if self.greedy else f"[{self.name}={label}]"


@dataclass(frozen=True, slots=True)
class CommandSpec:
    path: tuple[str, ...]
    params: tuple[Param, ...]
    summary: str
    example: str
    admin: bool = False
    # chat platforms that leave the command out, and why (the answer to one typed anyway)
    left_out: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return " ".join(self.path)

    def left_out_on(self, platform: str) -> str | None:
        """Why ``platform`` leaves the command out, or None when it offers it."""
        return dict(self.left_out).get(platform)

    def usage(self) -> str:
        return " ".join([self.name, *(param.usage() for param in self.params)])


def _spec(
    words: str,
    summary: str,
    example: str,
    *params: Param,
    admin: bool = False,
    left_out: dict[str, str] | None = None,
) -> CommandSpec:
    return CommandSpec(
        tuple(words.split()), params, summary, example, admin, tuple((left_out or {}).items())
    )


# An OPML import needs a file and an export makes one: Discord offers neither; Slack
# answers an export as text, and refuses an import.
_NEEDS_A_FILE = (
    "feeds import needs an OPML file, which a slash command cannot carry; "
    "run it on the command line: dealbot feeds import FILE"
)
_MAKES_A_FILE = "feeds export makes a file; run it on the command line: dealbot feeds export"


NAME = Param("name", help="a feed, topic or alert name")
COMMANDS: tuple[CommandSpec, ...] = (
    _spec("help", "every command, or one in detail", "help feeds add",
          Param("command", "text", required=False)),
    _spec("news", "the most recent stories, newest first (sources, languages)",
          "news xiaomi hours=48",
          Param("query", "text", required=False, help="words that must all appear"),
          Param("hours", "int", required=False, default=24, high=24 * 365),
          Param("limit", "int", required=False, default=10, high=50),
          Param("alert", required=False, help="only this alert rule"),
          Param("deal", required=False, help="only alerts reporting a deal of this kind, or any")),
    _spec("story", "every report of a story (its id is in the alert's footer)",
          "story s1a2b3c4d5", Param("id", help="the story id an alert shows")),
    _spec("deals", "recent deals, newest first: kind, stage, parties, value, source",
          "deals samsung days=30 kind=acquisition",
          Param("company", "text", required=False, help="a company or topic among the parties"),
          Param("days", "int", required=False, default=30, high=3650),
          Param("kind", required=False, help="acquisition, merger, stake, funding, partnership…"),
          Param("stage", required=False, help="rumoured, talks, agreed, approved, completed…"),
          Param("limit", "int", required=False, default=10, high=50)),
    _spec("search", "full-text search over every item fetched", "search 小米 days=7",
          Param("text", "text"),
          Param("days", "int", required=False, default=30, high=3650),
          Param("limit", "int", required=False, default=10, high=50)),
    _spec("status", "the bot's health at a glance", "status"),
    _spec("feeds list", "every feed with its health", "feeds list"),
    _spec("feeds status", "a feed's recent fetches and errors", "feeds status heise", NAME),
    _spec("feeds add", "fetch a feed (or a page that links one) and add it",
          "feeds add https://www.heise.de/ name=heise interval=10m",
          Param("url", help="the feed, or a page that links its feed"),
          Param("name", required=False), Param("interval", "duration", required=False),
          admin=True),
    _spec("feeds remove", "stop polling a feed", "feeds remove heise", NAME, admin=True),
    _spec("feeds pause", "pause a feed", "feeds pause heise", NAME, admin=True),
    _spec("feeds resume", "resume a paused feed", "feeds resume heise", NAME, admin=True),
    _spec("feeds interval", "change how often a feed is polled", "feeds interval heise 30m",
          NAME, Param("interval", "duration"), admin=True),
    _spec("feeds import", "add the feeds of an OPML file", "feeds import subscriptions.opml",
          Param("file"), admin=True,
          left_out={"discord": _NEEDS_A_FILE, "slack": _NEEDS_A_FILE}),
    _spec("feeds export", "every feed as OPML 2.0", "feeds export", admin=True,
          left_out={"discord": _MAKES_A_FILE}),
    _spec("topics list", "every topic and its terms", "topics list"),
    _spec("topics add", "add terms to a topic (created if new)",
          'topics add ev Elektroauto* "electric car*"',
          Param("topic"), Param("terms", "words"), admin=True),
    _spec("topics remove", "remove terms, or the whole topic", "topics remove ev E-Auto*",
          Param("topic"), Param("terms", "words", required=False), admin=True),
    _spec("alerts list", "every alert rule", "alerts list"),
    _spec("alerts add", "add an alert rule", 'alerts add chips "samsung and exynos"',
          Param("name"), Param("match", "text", help="topics with and / or / not"),
          admin=True),
    _spec("alerts remove", "remove an alert rule", "alerts remove chips", NAME, admin=True),
    _spec("alerts test", "what the last day's items would have matched",
          'alerts test "xiaomi and ev"', Param("match", "text")),
    _spec("alerts mute", "stop sending an alert for a while (it still records)",
          "alerts mute chips 2h", NAME, Param("duration", "duration"), admin=True),
    _spec("alerts unmute", "send a muted alert again", "alerts unmute chips", NAME,
          admin=True),
)  # fmt: skip

BY_NAME = {spec.name: spec for spec in COMMANDS}
GROUPS = sorted({spec.path[0] for spec in COMMANDS if len(spec.path) > 1})


def offered_on(platform: str) -> list[CommandSpec]:
    """The commands a chat platform offers: those it does not leave out."""
    return [spec for spec in COMMANDS if spec.left_out_on(platform) is None]


Arguments = dict[str, str | list[str]]  # raw text ("words" give a list); commands convert


@dataclass(frozen=True, slots=True)
class Invocation:
    spec: CommandSpec
    args: Arguments


def find_spec(words: list[str]) -> tuple[CommandSpec, list[str]]:
    """The command named by the first words, and the words left for its parameters."""
    if not words:
        raise CommandError("no command given; try: help")
    for size in (2, 1):
        name = " ".join(words[:size]).lower()
        if name in BY_NAME:
            return BY_NAME[name], words[size:]
    first = words[0].lower()
    if first in GROUPS:
        choices = ", ".join(s.path[1] for s in COMMANDS if s.path[0] == first)
        raise CommandError(f"{first} needs one of: {choices}")
    raise CommandError(f"unknown command {words[0]!r}; try: help")


def parse_command(text: str) -> Invocation:
    """Split a command typed as text into its spec and raw arguments."""
    if len(text) > MAX_COMMAND_LENGTH:
        raise CommandError(f"the command is too long (over {MAX_COMMAND_LENGTH} characters)")
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise CommandError(f"cannot read the command: {exc}") from None
    spec, rest = find_spec(words)
    return Invocation(spec, bind_arguments(spec, rest))


def bind_arguments(spec: CommandSpec, words: list[str]) -> Arguments:
    """Match words to parameters: ``key=value`` for a named parameter, else in order; a
    greedy parameter (``text``, ``words``) takes every remaining positional word."""
    if any(len(word) > MAX_ARGUMENT_LENGTH for word in words):
        raise CommandError(f"an argument is too long (over {MAX_ARGUMENT_LENGTH} characters)")
    by_name = {param.name: param for param in spec.params if not param.greedy}
    args: Arguments = {}
    positional: list[str] = []
    for word in words:
        key, sep, value = word.partition("=")
        if sep and key.lower() in by_name:
            if key.lower() in args:
                raise CommandError(f"{key} given twice; usage: {spec.usage()}")
            args[key.lower()] = value
        else:
            positional.append(word)
    for param in spec.params:
        if param.name in args or not positional:
            continue
        if param.kind == "words":
            args[param.name], positional = positional, []
        elif param.kind == "text":
            args[param.name], positional = " ".join(positional), []
        else:
            args[param.name] = positional.pop(0)
    if positional:
        raise CommandError(f"unexpected {positional[0]!r}; usage: {spec.usage()}")
    missing = [p.name.upper() for p in spec.params if p.required and p.name not in args]
    if missing:
        raise CommandError(f"missing {', '.join(missing)}; usage: {spec.usage()}")
    for param in spec.params:
        given = args.get(param.name)
        if isinstance(given, str) and given:
            check_value(param, given)
    return args


def check_value(param: Param, raw: str) -> None:
    """A typed parameter's value, checked where the words are read (so the command line
    and chat refuse the same things the same way)."""
    if param.kind == "int":
        try:
            value = int(raw)
        except ValueError:
            raise CommandError(f"{param.name} must be a whole number, not {raw!r}") from None
        if not param.low <= value <= param.high:
            raise CommandError(f"{param.name} must be between {param.low} and {param.high}")
    elif param.kind == "duration":
        from bot.config import parse_duration  # here: ``dealbot --help`` reads no configuration

        try:
            parse_duration(raw)
        except ValueError as exc:
            raise CommandError(f"{param.name}: {exc}") from None
