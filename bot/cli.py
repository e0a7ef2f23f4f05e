"""The ``dealbot`` command line: once, run, check, news, health.

Every subcommand takes ``--config F`` before or after its own arguments (default:
``$DEALBOT_CONFIG``, else ``./feeds.yaml``). Alerts printed by the console channel go to
standard output; progress, errors and summaries go to standard error as log lines.

The commands of the command layer (news, search, status, feeds …, topics …, alerts …) are
subcommands too, generated from the same table the chat adapters use.

Exit status: 0 success (also when some feeds failed; ``run`` stopped by a signal), 130
interrupted by Ctrl-C before ``run`` took over the signals, 1 unhealthy or a
command refused, 2 invalid configuration or arguments, 3 unusable database.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import __version__
from bot.commands import COMMANDS, CommandError, Invocation
from bot.commands.spec import BY_NAME, bind_arguments, find_spec
from bot.errors import ConfigError, StorageError

# Only what reading the arguments needs is imported here (``--help`` stops there); the
# configuration once the arguments are read; asyncio and the running parts (the app, the
# scheduler, the store) by the commands that use them (README, "Start-up").
if TYPE_CHECKING:
    from bot.commands import Reply
    from bot.config import Config
    from bot.cycle import Heartbeat

log = logging.getLogger("dealbot")

EXIT_OK, EXIT_UNHEALTHY, EXIT_CONFIG, EXIT_STORAGE = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def _common_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """Options every subcommand accepts before or after its own arguments. A subcommand's
    copy has no default, so that it does not overwrite what came before the subcommand."""
    unset: dict[str, Any] = {} if top else {"default": argparse.SUPPRESS}
    parser.add_argument(
        "--config",
        metavar="F",
        type=Path,
        help="feeds.yaml to use (default: $DEALBOT_CONFIG, else ./feeds.yaml)",
        **({"default": None} if top else unset),
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details", **unset)
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="log warnings and errors only", **unset
    )


def _add_command_parsers(commands: Any) -> None:
    """The command layer's commands, listed for ``dealbot --help``. They are parsed by the
    command grammar itself (``_command_call``), so the command line takes exactly what chat
    takes: ``dealbot news xiaomi hours=48``, and ``--hours 48`` as well."""
    for name in dict.fromkeys(spec.path[0] for spec in COMMANDS):
        specs = [spec for spec in COMMANDS if spec.path[0] == name]
        summary = specs[0].summary if len(specs) == 1 else f"{name} commands"
        commands.add_parser(name, help=f"{summary} (see: dealbot help {name})", add_help=False)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dealbot", description="Feed alerts for tech-industry news, to chat channels."
    )
    parser.add_argument("--version", action="version", version=f"dealbot {__version__}")
    _common_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    once = commands.add_parser("once", help="poll every enabled feed once, deliver, exit")
    once.add_argument(
        "--due", action="store_true", help="poll only the feeds that are due (for cron)"
    )
    commands.add_parser("run", help="run continuously, each feed on its own interval")
    commands.add_parser("check", help="validate the configuration and show what would run")

    _add_command_parsers(commands)

    db = commands.add_parser("db", help="database tools: db copy SOURCE TARGET")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    copy = db_commands.add_parser(
        "copy",
        help="copy a whole database (SQLite file or postgresql:// URL) into a new, empty one",
    )
    copy.add_argument("source", metavar="SOURCE", help="a SQLite file or a postgresql:// URL")
    copy.add_argument(
        "target",
        metavar="TARGET",
        help="a SQLite file or a postgresql:// URL (new or empty); a '${DEALBOT_…}' "
        "reference (quoted) keeps a password off the command line",
    )
    _common_options(copy, top=False)

    health = commands.add_parser("health", help="exit 0 if a cycle completed recently")
    health.add_argument(
        "--max-age",
        default="5m",
        metavar="DURATION",
        help="how old the last completed cycle may be (default 5m)",
    )
    for sub in commands.choices.values():
        _common_options(sub, top=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    call = _command_call(argv)
    args = build_parser().parse_args(argv) if call is None else call.options
    from bot.config import default_config_path, load_config
    from bot.text import plural

    _setup_logging(args.verbose, args.quiet)
    if call is None and args.command == "db":
        return _db(args)  # works on databases given by hand: no feeds.yaml needed
    config_path = args.config or default_config_path()
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"dealbot: {plural(len(exc.problems), 'problem')} in the configuration",
              file=sys.stderr)  # fmt: skip
        return EXIT_CONFIG
    handlers = {"once": _once, "run": _run, "check": _check, "health": _health}
    try:
        if call is not None:
            return _command(config, call)
        return handlers[args.command](config, args)
    except StorageError as exc:
        print(f"dealbot: database unusable: {exc}", file=sys.stderr)
        return EXIT_STORAGE
    # KeyboardInterrupt (Ctrl-C before `run` holds the signals) ends in bot.launch, which
    # leaves at once: returning from here would wait for threads a half-open start left
    # running (the database's), and hang.


def _setup_logging(verbose: bool, quiet: bool) -> None:
    from bot.redact import RedactingFilter

    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    logging.basicConfig(
        level=level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%Y-%m-%d %H:%M:%S",
        force=True,
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())
    for noisy in ("apscheduler", "aiosqlite", "asyncio", "discord", "psycopg", "slack_bolt",
                  "slack_sdk"):  # fmt: skip
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


# ------------------------------------------------------------------------ subcommands


def _once(config: Config, args: argparse.Namespace) -> int:
    import asyncio

    from bot.app import App

    async def cycle() -> str:
        async with App.running(config) as app:
            report = await app.once(due_only=args.due)
            return report.summary()

    summary = asyncio.run(cycle())
    log.info("done: %s", summary)
    return EXIT_OK


def _run(config: Config, args: argparse.Namespace) -> int:
    import asyncio

    from bot.adapters import frontends
    from bot.app import App
    from bot.scheduler import Scheduler

    async def forever() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # not on Windows
                loop.add_signal_handler(signum, stop.set)
        async with App.running(config) as app:
            listeners = frontends(app)  # slash commands, where a platform's token is set
            for listener in listeners:
                await listener.start()
            try:
                await Scheduler(app).run(stop)
            finally:
                for listener in listeners:
                    await listener.stop()

    asyncio.run(forever())
    return EXIT_OK


def _check(config: Config, args: argparse.Namespace) -> int:
    from bot.adapters import platform_status
    from bot.config import format_duration
    from bot.store.url import show_database
    from bot.text import display_channel

    settings = config.settings
    out = [
        f"configuration {config.path} is valid",
        f"database: {show_database(config.database)}",
        f"defaults: interval {format_duration(settings.interval)}, timeout "
        f"{format_duration(settings.timeout)}, backfill {settings.backfill}, private networks "
        f"{'allowed' if settings.allow_private_networks else 'refused'}, parsing in "
        f"{_parsing(config)}",
        f"feeds ({len(config.feeds)}):",
    ]
    for feed in config.feeds:
        state = "" if feed.enabled else "  [disabled]"
        url = feed.shown_url
        out.append(f"  {feed.name:<20} every {format_duration(feed.interval):<6} {url}{state}")
    out.append(f"topics ({len(config.topics)}):")
    for topic, terms in config.topics.items():
        out.append(f"  {topic:<20} {', '.join(terms)}")
    out.append(f"alerts ({len(config.alerts)}):")
    for alert in config.alerts:
        channels = ", ".join(display_channel(channel) for channel in alert.channels)
        out.append(f"  {alert.name:<20} {alert.expression} -> {channels}")
    if settings.admin_channels:
        shown = ", ".join(display_channel(channel) for channel in settings.admin_channels)
        out.append(f"admin reports -> {shown}")
    out.extend(platform_status(config))
    print("\n".join(out))
    return EXIT_OK


def _parsing(config: Config) -> str:
    from bot.ingest.parsepool import resolve_workers
    from bot.text import plural

    workers = resolve_workers(config.settings.parse_workers, len(config.enabled_feeds()))
    return plural(workers, "process", "processes") if workers else "a thread"


@dataclass(frozen=True)
class CommandCall:
    """A command of the command layer typed on the command line."""

    options: argparse.Namespace  # config, verbose, quiet
    invocation: Invocation | None  # None when the words do not form a valid call
    error: str | None = None


_GLOBAL_FLAGS = {"-v": "verbose", "--verbose": "verbose", "-q": "quiet", "--quiet": "quiet"}


def _command_call(argv: list[str]) -> CommandCall | None:
    """``argv`` read as a command of the command layer (``news xiaomi hours=48``,
    ``feeds add URL --name heise``), or None when it names another subcommand. Parameters
    are given in order, as ``key=value`` or as ``--key value``; ``--config F``, ``-v``
    and ``-q`` may stand anywhere."""
    options = argparse.Namespace(config=None, verbose=False, quiet=False)
    words: list[str] = []
    tokens = iter(argv)
    for token in tokens:
        if token == "--":
            words.extend(tokens)
        elif token in _GLOBAL_FLAGS:
            setattr(options, _GLOBAL_FLAGS[token], True)
        elif token == "--config" or token.startswith("--config="):
            value = token.partition("=")[2] if "=" in token else next(tokens, "")
            options.config = Path(value) if value else None
        else:
            words.append(token)
    if not words or words[0].lower() not in {spec.path[0] for spec in COMMANDS}:
        return None
    try:
        spec, rest = find_spec(words)
        if any(word in ("-h", "--help") for word in rest):
            return CommandCall(options, Invocation(BY_NAME["help"], {"command": spec.name}))
        return CommandCall(options, Invocation(spec, bind_arguments(spec, _flags_to_pairs(rest))))
    except CommandError as exc:
        return CommandCall(options, None, str(exc))


def _flags_to_pairs(words: list[str]) -> list[str]:
    """``--name heise`` and ``--name=heise`` become ``name=heise``, the chat form."""
    pairs: list[str] = []
    tokens = iter(words)
    for word in tokens:
        if word.startswith("--") and len(word) > 2:
            key, sep, value = word[2:].partition("=")
            pairs.append(f"{key}={value if sep else next(tokens, '')}")
        else:
            pairs.append(word)
    return pairs


def _command(config: Config, call: CommandCall) -> int:
    """Run a command of the command layer as the (trusted) CLI caller; print the reply."""
    import asyncio

    from bot.app import App
    from bot.commands import Caller, Commands

    if call.invocation is None:
        print(f"dealbot: error: {call.error}", file=sys.stderr)
        return EXIT_CONFIG
    invocation = call.invocation
    if invocation.spec.name == "feeds import":  # the CLI may read a file; chat passes content
        path = Path(str(invocation.args["file"]))
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"dealbot: cannot read {path}: {exc}", file=sys.stderr)
            return EXIT_CONFIG
        invocation = Invocation(invocation.spec, {**invocation.args, "file": content})

    async def run() -> Reply:
        async with App.running(config) as app:
            return await Commands(app.services).run(Caller.cli(), invocation)

    reply = asyncio.run(run())
    print(reply.plain_text(), file=sys.stderr if reply.error else sys.stdout)
    return EXIT_UNHEALTHY if reply.error else EXIT_OK


def _db(args: argparse.Namespace) -> int:
    """``db copy SOURCE TARGET``: one line saying what was copied, or why not."""
    import asyncio

    from bot.store.copy import copy_database
    from bot.store.url import is_database_url, show_database
    from bot.variables import resolve_reference

    try:
        source, target = (resolve_reference(arg) for arg in (args.source, args.target))
    except ValueError as exc:
        print(f"dealbot: db copy: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    where = [db if is_database_url(db) else Path(db) for db in (source, target)]
    try:
        counts = asyncio.run(copy_database(*where))
    except StorageError as exc:
        print(f"dealbot: db copy: {exc}", file=sys.stderr)
        return EXIT_STORAGE
    sent = ["feeds", "items", "alerts", "deliveries", "stories", "mutes"]
    copied = ", ".join(f"{counts[table]} {table}" for table in sent)
    print(f"copied {show_database(source)} to {show_database(target)}: {copied}")
    return EXIT_OK


def _health(config: Config, args: argparse.Namespace) -> int:
    import asyncio

    from bot.config import format_duration, parse_duration
    from bot.cycle import read_heartbeat
    from bot.models import utcnow
    from bot.store import open_store

    try:
        max_age = parse_duration(args.max_age)
    except ValueError as exc:
        print(f"dealbot: --max-age: {exc}", file=sys.stderr)
        return EXIT_CONFIG

    async def last_cycle() -> Heartbeat | None:
        store = await open_store(config.database, readonly=True)  # never creates one
        try:
            return await read_heartbeat(store)
        finally:
            await store.close()

    try:
        beat = asyncio.run(last_cycle())
    except StorageError as exc:
        print(f"unhealthy: {exc}")
        return EXIT_UNHEALTHY
    if beat is None:
        print("unhealthy: no cycle has completed yet")
        return EXIT_UNHEALTHY
    age = utcnow() - beat.finished_at
    ago = format_duration(age, units=1)
    if age > max_age:
        print(f"unhealthy: last cycle finished {ago} ago (limit {args.max_age})")
        return EXIT_UNHEALTHY
    print(f"healthy: last cycle finished {ago} ago")
    return EXIT_OK
