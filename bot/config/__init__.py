"""``feeds.yaml`` -> a validated, immutable ``Config``.

Every problem is reported once, with file, line (where the YAML library knows it), key path
and what is wrong; nothing is half-loaded. Relative paths resolve against the folder of the
file. Durations are written ``90s``, ``15m``, ``2h``, ``1d`` (or combined: ``1h30m``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from yarl import URL

from bot.channels.kinds import DEFAULT_KINDS, ChannelKinds
from bot.config.yamlfile import is_roundtrip, load_plain, load_roundtrip
from bot.errors import ConfigError, ConfigProblem, ExpressionError
from bot.match import Matcher, MatchOptions, TermError, Topics, compile_term
from bot.match.expression import DEAL_WORD, KEYWORDS, TOPIC_NAME, Expression, parse_expression
from bot.store.url import is_database_url, url_password
from bot.text import display_url
from bot.variables import VARIABLE, VARIABLE_PREFIX

DEFAULT_CONFIG = "feeds.yaml"
CONFIG_ENV = "DEALBOT_CONFIG"
MAX_NAME_LENGTH = 64
MAX_URL_LENGTH = 2048

# ---------------------------------------------------------------------------------- values

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
_DURATION = re.compile(r"\s*(?:\d+(?:\.\d+)?\s*[smhd]\s*)+")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|kib|mib|gib)?\s*", re.IGNORECASE)
_SIZE_FACTORS = {
    "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "kib": 2**10, "mib": 2**20, "gib": 2**30,
}  # fmt: skip


def parse_duration(value: object) -> timedelta:
    """``"90s"``, ``"15m"``, ``"2h"``, ``"1d"``, ``"1h30m"`` -> timedelta (> 0)."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"{value!r} is not a duration; write it like 90s, 15m, 2h or 1d")
    if isinstance(value, int | float):
        raise ValueError(f"{value!r} needs a unit; write it like 90s, 15m, 2h or 1d")
    if not _DURATION.fullmatch(value):
        raise ValueError(f"{value!r} is not a duration; write it like 90s, 15m, 2h or 1d")
    seconds = sum(float(n) * _UNIT_SECONDS[unit] for n, unit in _DURATION_PART.findall(value))
    if seconds <= 0:
        raise ValueError(f"{value!r} must be longer than zero")
    if seconds > 366 * 86400:
        raise ValueError(f"{value!r} is longer than a year")
    return timedelta(seconds=seconds)


def format_duration(duration: timedelta, *, units: int = 4) -> str:
    """The shortest written form: 900 s -> "15m", 5400 s -> "1h30m"; with ``units``, at most
    that many units, the largest first, rounded down (``units=1``: "1h", how ages are
    shown). Less than a second, or a negative duration, is "0s"."""
    seconds = int(duration.total_seconds())
    parts: list[str] = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size and len(parts) < units:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts) or "0s"


def _parse_size(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        size = value
    elif isinstance(value, str) and (found := _SIZE.fullmatch(value)):
        size = int(float(found.group(1)) * _SIZE_FACTORS[(found.group(2) or "b").lower()])
    else:
        raise ValueError(f"{value!r} is not a size; write it like 10MB or 512KB")
    if size < 1024:
        raise ValueError(f"{value!r} is too small; at least 1KB")
    return size


@dataclass(frozen=True, slots=True)
class Backfill:
    """How far back the first poll of a feed alerts: a window, everything, or nothing; and
    ``max_age`` (``settings.max_age``), the rule of every later poll: an item first seen
    longer than this after its published date does not alert. Both travel together because
    the route applies both, from the item's date alone."""

    window: timedelta | None  # None with everything=False means "none"
    everything: bool = False
    max_age: timedelta | None = None  # None: off

    def __str__(self) -> str:
        if self.everything:
            return "all"
        return format_duration(self.window) if self.window else "none"


def _parse_backfill(value: object) -> Backfill:
    if isinstance(value, Backfill):
        return value
    if isinstance(value, str) and value.strip().lower() in ("all", "none"):
        return Backfill(None, everything=value.strip().lower() == "all")
    try:
        return Backfill(parse_duration(value))
    except ValueError:
        raise ValueError(
            f"{value!r} is not a backfill; write a duration like 24h, or 'all', or 'none'"
        ) from None


_OFF = ("off", "none")


def _parse_max_age(value: object) -> timedelta | None:
    # YAML 1.1 (the fast loader) reads a bare `off` as false
    if (
        value is None
        or value is False
        or (isinstance(value, str) and value.strip().lower() in _OFF)
    ):
        return None
    try:
        return parse_duration(value)
    except ValueError:
        raise ValueError(
            f"{value!r} is not a maximum age; write a duration like 7d, or 'off'"
        ) from None


AUTO = -1  # parse_workers: "auto"
MAX_PARSE_WORKERS = 32


def _parse_workers(value: object) -> int:
    if value == "auto":
        return AUTO
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PARSE_WORKERS:
        raise ValueError(f"{value!r} must be 'auto' or a number from 0 to {MAX_PARSE_WORKERS}")
    return value


def _database(value: object) -> object:
    """``settings.database``: a SQLite path, or a PostgreSQL URL (kept as written)."""
    if isinstance(value, str) and "://" in value:
        if not is_database_url(value.strip()):
            raise ValueError(
                "a database URL starts with postgresql:// (or postgres://); "
                "a SQLite database is a path"
            )
        return value.strip()
    return Path(value) if isinstance(value, str) else value


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
DatabaseSetting = Annotated[Path | str, BeforeValidator(_database)]
ByteSize = Annotated[int, BeforeValidator(_parse_size)]
BackfillSetting = Annotated[Backfill, BeforeValidator(_parse_backfill)]
MaxAge = Annotated[timedelta | None, BeforeValidator(_parse_max_age)]

# ------------------------------------------------------------------------------- channels


def _check_channel(value: object, info: ValidationInfo) -> str:
    """A channel, checked by the registry validation was given (its context)."""
    kinds: ChannelKinds = (info.context or {}).get("kinds", DEFAULT_KINDS)
    return kinds.check(_expect_str(value))


ChannelSpec = Annotated[str, BeforeValidator(_check_channel)]


def _expect_str(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} must be a string")
    return value


# --------------------------------------------------------------------------------- models


def _check_name(value: object) -> str:
    name = _expect_str(value)
    if not TOPIC_NAME.fullmatch(name) or len(name) > MAX_NAME_LENGTH:
        raise ValueError(
            f"{name!r} is not a valid name: use 1–{MAX_NAME_LENGTH} lower case letters, "
            "digits, '_' or '-'"
        )
    return name


def check_feed_url(value: object) -> str:
    """An absolute http(s) URL with a host; raise ValueError otherwise."""
    text = _expect_str(value).strip()
    if len(text) > MAX_URL_LENGTH:
        raise ValueError(f"URL is longer than {MAX_URL_LENGTH} characters")
    try:
        url = URL(text)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a URL ({exc})") from None
    if url.scheme not in ("http", "https"):
        raise ValueError(f"{text!r} is not an http(s) URL")
    if not url.host:
        raise ValueError(f"{text!r} has no host")
    return text


def _check_topic_name(value: object) -> str:
    name = _check_name(value)
    if name in KEYWORDS:
        raise ValueError(f"{name!r} cannot name a topic: it is an operator")
    if name == DEAL_WORD:
        raise ValueError(f"{name!r} cannot name a topic: it is the rule atom for any deal")
    return name


def _check_term(value: object) -> str:
    term = _expect_str(value)
    try:
        compile_term(term)
    except TermError as exc:
        raise ValueError(str(exc)) from None
    return term


def _check_expression_syntax(value: object) -> str:
    text = _expect_str(value)
    try:
        parse_expression(text)
    except ExpressionError as exc:
        raise ValueError(f"{text!r}: {exc}") from None
    return text


Name = Annotated[str, BeforeValidator(_check_name)]
TopicName = Annotated[str, BeforeValidator(_check_topic_name)]
Term = Annotated[str, BeforeValidator(_check_term)]
FeedURL = Annotated[str, BeforeValidator(check_feed_url)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_api_base(value: object) -> str:
    text = _expect_str(value).strip().rstrip("/")
    try:
        url = URL(text)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a URL ({exc})") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"{text!r} is not an http(s) URL")
    return text


ApiBase = Annotated[str, BeforeValidator(_check_api_base)]


class DiscordSettings(_Model):
    guild_ids: tuple[Annotated[int, Field(gt=0)], ...] = ()  # slash commands synced there
    api_base: ApiBase = "https://discord.com/api/v10"


class SlackSettings(_Model):
    api_base: ApiBase = "https://slack.com/api"
    mode: Literal["auto", "socket", "http"] = "auto"  # auto: socket with SLACK_APP_TOKEN
    host: str = "0.0.0.0"  # HTTP mode
    port: int = Field(default=3000, ge=1, le=65535)  # HTTP mode: serves /slack/events


class MatchSettings(_Model):
    """``settings.match``: which differences between a term and a text matching ignores."""

    accents: Literal["ignore", "exact"] = "ignore"
    simplified_traditional: Literal["ignore", "exact"] = "ignore"

    @property
    def options(self) -> MatchOptions:
        return MatchOptions(
            accents=self.accents == "ignore",
            simplified_traditional=self.simplified_traditional == "ignore",
        )


DEFAULT_MAX_AGE = timedelta(days=7)


class Settings(_Model):
    database: DatabaseSetting = Path("storage/dealbot.db")  # or a postgresql:// URL
    interval: Duration = timedelta(minutes=15)
    timeout: Duration = timedelta(seconds=20)
    # later polls: an item first seen this long after its date never alerts ("off": no limit)
    max_age: MaxAge = DEFAULT_MAX_AGE
    backfill: BackfillSetting = Field(default=Backfill(timedelta(hours=24)), validate_default=True)
    allow_private_networks: bool = False
    unhealthy_after: Duration = timedelta(days=3)
    max_response_size: ByteSize = 10 * 10**6
    max_redirects: int = Field(default=5, ge=0, le=20)
    concurrency: int = Field(default=16, ge=1, le=256)
    per_host: int = Field(default=2, ge=1, le=16)
    parse_workers: Annotated[int, BeforeValidator(_parse_workers)] = AUTO
    admin_channels: tuple[ChannelSpec, ...] = ()
    admins: tuple[str, ...] = ()  # user ids allowed to edit from chat: "discord:1234", …
    retention: Duration = timedelta(days=30)  # item text and search index kept this long
    max_per_minute: int = Field(default=10, ge=1, le=600)  # per chat channel; then a digest
    # later reports of a story (any feed, any language) within this long edit its message
    story_window: Duration = timedelta(hours=72)
    # several workers on one database: a worker's claim on a feed lasts this long (its
    # poll must end within it; a crashed worker's feeds go to the others when it runs out)
    lease: Duration = timedelta(minutes=2)
    match: MatchSettings = MatchSettings()
    discord: DiscordSettings = DiscordSettings()
    slack: SlackSettings = SlackSettings()

    @field_validator("lease")
    @classmethod
    def _lease_outlasts_a_fetch(cls, lease: timedelta, info: ValidationInfo) -> timedelta:
        timeout = info.data.get("timeout")  # validated first: declared before lease
        if isinstance(timeout, timedelta) and lease <= timeout:
            raise ValueError(
                f"{format_duration(lease)} must be longer than settings.timeout "
                f"({format_duration(timeout)}): a poll must end within its lease"
            )
        return lease

    @field_validator("backfill")
    @classmethod
    def _age_rides_with_backfill(cls, backfill: Backfill, info: ValidationInfo) -> Backfill:
        max_age = info.data.get("max_age")  # validated first: declared before backfill
        return Backfill(backfill.window, backfill.everything, max_age)


class FeedSpec(_Model):
    name: Name | None = None
    url: FeedURL
    interval: Duration | None = None
    enabled: bool = True


class AlertRule(_Model):
    name: Name
    match: Annotated[str, BeforeValidator(_check_expression_syntax)]
    channels: tuple[ChannelSpec, ...] = Field(min_length=1)


class TopicSpec(_Model):
    """A topic written as a mapping: ``{terms: [...], exclude: [...]}``."""

    terms: tuple[Term, ...]
    exclude: tuple[Term, ...] = ()


def _topic_form(value: Any) -> str:
    return "mapping" if isinstance(value, dict | TopicSpec) else "list"


# A topic is a list of terms, or a mapping with its terms and the phrases it excludes. The
# tag names the form in pydantic's error locations; _problems_from_pydantic drops it.
_TOPIC_FORMS = ("list", "mapping")
TopicEntry = Annotated[
    Annotated[tuple[Term, ...], Tag("list")] | Annotated[TopicSpec, Tag("mapping")],
    Discriminator(_topic_form),
]


class _RawConfig(_Model):
    settings: Settings = Settings()
    feeds: tuple[FeedSpec, ...] = ()
    topics: dict[TopicName, TopicEntry] = {}
    alerts: tuple[AlertRule, ...] = ()


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed as configured, with its name resolved and its interval filled in."""

    name: str
    url: str  # with any ${DEALBOT_…} reference expanded: what is fetched
    interval: timedelta
    enabled: bool
    written_url: str = ""  # as written in feeds.yaml, references kept: what is shown

    @property
    def shown_url(self) -> str:
        """The URL as replies, lists and logs may show it: the written form (a
        ``${DEALBOT_…}`` stays a reference), credentials and secret query values masked."""
        written = self.written_url or self.url
        references = VARIABLE.findall(written)
        for index, name in enumerate(references):  # kept readable, not percent-encoded
            written = written.replace(f"${{{name}}}", f"DEALBOTREF{index}X", 1)
        shown = display_url(written)
        for index, name in enumerate(references):
            shown = shown.replace(f"DEALBOTREF{index}X", f"${{{name}}}", 1)
        return shown


@dataclass(frozen=True, slots=True)
class Alert:
    """An alert rule with its expression parsed."""

    name: str
    match: str
    expression: Expression
    channels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Config:
    path: Path
    settings: Settings
    feeds: tuple[Feed, ...]
    topics: Topics  # topic name -> terms; with its exclusions and settings.match
    alerts: tuple[Alert, ...]
    kinds: ChannelKinds = DEFAULT_KINDS  # the channel kinds it was validated with

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def database(self) -> Path | str:
        """The SQLite file (relative to this file's folder), or the PostgreSQL URL."""
        if isinstance(self.settings.database, str):
            return self.settings.database
        return resolve_path(self.settings.database, self.folder)

    def feed(self, name: str) -> Feed | None:
        return next((feed for feed in self.feeds if feed.name == name), None)

    def enabled_feeds(self) -> list[Feed]:
        return [feed for feed in self.feeds if feed.enabled]

    def channels(self) -> tuple[str, ...]:
        """Every channel an alert or an admin report may go to, each once."""
        specs: dict[str, None] = {}
        for alert in self.alerts:
            specs.update(dict.fromkeys(alert.channels))
        specs.update(dict.fromkeys(self.settings.admin_channels))
        return tuple(specs)


def resolve_path(path: Path | str, folder: Path) -> Path:
    path = Path(path).expanduser()
    return path if path.is_absolute() else (folder / path)


def default_config_path() -> Path:
    return Path(os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)


# -------------------------------------------------------------------------------- loading


def load_config(path: Path | str, kinds: ChannelKinds = DEFAULT_KINDS) -> Config:
    """Read and validate ``path``; raise ConfigError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([ConfigProblem(str(path), None, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([ConfigProblem(str(path), None, "", f"cannot read: {exc}")]) from None
    try:
        return parse_config(text, path, kinds)
    except RecursionError:  # the shape checks should make this unreachable
        problem = ConfigProblem(str(path), None, "", "nested too deeply to read")
        raise ConfigError([problem]) from None


def parse_config(text: str, path: Path, kinds: ChannelKinds = DEFAULT_KINDS) -> Config:
    """Validate configuration ``text`` as if read from ``path``."""
    tree = load_plain(text, str(path))
    return validate_tree(tree, path, source=text, kinds=kinds)


EXPANDED_WHERE = "feed URLs, channels, settings.database and the discord/slack settings"


def expand_variables(
    tree: Any,
    environ: Mapping[str, str],
    problem: Callable[[list[str | int], str], None],
    kinds: ChannelKinds = DEFAULT_KINDS,
) -> Any:
    """A plain copy of ``tree`` with ``${NAME}`` replaced where the operator may need a value
    from the environment (feed URLs, channels, ``settings.database``, the discord/slack
    settings), and only for variables named ``DEALBOT_…``: the chat tokens and the rest of
    the environment can never be read into the configuration. A ``${`` anywhere else is a
    problem; a channel whose target is a secret (a webhook URL) keeps its reference."""

    def walk(node: Any, loc: list[str | int]) -> Any:
        if isinstance(node, dict):
            return {key: walk(value, [*loc, key]) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(value, [*loc, index]) for index, value in enumerate(node)]
        if isinstance(node, str) and "${" in node:
            if not _expandable(loc):
                problem(loc, f"${{…}} can be used only in {EXPANDED_WHERE}")
                return str(node)
            expanded = VARIABLE.sub(lambda found: substitute(found.group(1), loc), str(node))
            # A channel whose target is a secret (a webhook URL) keeps its reference: the
            # channel reads the variable itself, so the URL never reaches the database,
            # a list or a log.
            return str(node) if _is_channel(loc) and kinds.is_secret(str(node)) else expanded
        return node

    def substitute(name: str, loc: list[str | int]) -> str:
        if not name.startswith(VARIABLE_PREFIX):
            problem(loc, f"${{{name}}}: only {VARIABLE_PREFIX}… variables may be used")
            return ""
        if name not in environ:
            problem(loc, f"${{{name}}}: the environment variable {name} is not set")
            return ""
        return environ[name]

    return walk(tree, [])


def _expandable(loc: Sequence[str | int]) -> bool:
    """Where a ``${VAR}`` may stand: what an operator writes by hand to keep a secret out
    of the file (a feed's token, a database password, a webhook URL)."""
    if _is_channel(loc):
        return True
    if len(loc) == 3 and loc[0] == "feeds" and loc[2] == "url":
        return True
    return len(loc) >= 2 and loc[0] == "settings" and loc[1] in ("database", "discord", "slack")


def _is_channel(loc: Sequence[str | int]) -> bool:
    return (len(loc) == 4 and loc[0] == "alerts" and loc[2] == "channels") or (
        len(loc) == 3 and loc[:2] == ["settings", "admin_channels"]
    )


class _Lines:
    """The line of a key path, read from a round-trip tree only when a problem needs it
    (the plain tree of a fast load has no line numbers)."""

    def __init__(self, tree: Any, source: str | None, file: str) -> None:
        self._tree = tree if is_roundtrip(tree) else None
        self._source = source
        self._file = file

    def __call__(self, loc: Sequence[str | int]) -> int | None:
        if self._tree is None and self._source is not None:
            try:
                self._tree = load_roundtrip(self._source, self._file)
            except ConfigError:
                self._source = None
        return line_of(self._tree, loc) if self._tree is not None else None


def validate_tree(
    tree: Any,
    path: Path,
    environ: Mapping[str, str] | None = None,
    *,
    source: str | None = None,
    kinds: ChannelKinds = DEFAULT_KINDS,
) -> Config:
    """Validate an already-loaded YAML tree; ``source`` (the text) gives line numbers to
    problems when the tree is a plain one. ``${VAR}`` is expanded in a copy, so an edited
    file keeps the reference."""
    file = str(path)
    lines = _Lines(tree, source, file)
    expansion_problems: list[ConfigProblem] = []

    def expansion_problem(loc: list[str | int], message: str) -> None:
        expansion_problems.append(ConfigProblem(file, lines(loc), format_loc(loc), message))

    environ = os.environ if environ is None else environ
    data = expand_variables(tree, environ, expansion_problem, kinds)
    if expansion_problems:
        raise ConfigError(expansion_problems)
    try:
        raw = _RawConfig.model_validate(data, context={"kinds": kinds})
    except ValidationError as exc:
        raise ConfigError(_problems_from_pydantic(exc, lines, file)) from None
    problems: list[ConfigProblem] = []

    def problem(loc: Sequence[str | int], message: str) -> None:
        problems.append(ConfigProblem(file, lines(loc), format_loc(loc), message))

    _check_database_password(tree, problem)
    feeds = _resolve_feeds(raw, _written_feed_urls(tree), problem)
    topics = _resolve_topics(raw, problem)
    alerts = _resolve_alerts(raw, problem)
    if problems:
        raise ConfigError(problems)
    return Config(
        path=path.resolve(),
        settings=raw.settings,
        feeds=feeds,
        topics=topics,
        alerts=alerts,
        kinds=kinds,
    )


def _check_database_password(tree: Any, problem: Any) -> None:
    """A PostgreSQL password comes from the environment only, never from the file (which
    may live in git): ``${DEALBOT_DATABASE_PASSWORD}`` in its place, or the whole URL as
    ``${DEALBOT_DATABASE_URL}``."""
    settings = tree.get("settings") if isinstance(tree, dict) else None
    written = settings.get("database") if isinstance(settings, dict) else None
    if not isinstance(written, str) or not is_database_url(written.strip()):
        return
    password = url_password(written.strip())
    if password and not VARIABLE.fullmatch(password):
        problem(
            ("settings", "database"),
            "the database password is written in the file: put it in the environment and "
            "write ${DEALBOT_DATABASE_PASSWORD} in its place (or the whole URL as "
            "${DEALBOT_DATABASE_URL})",
        )


def _written_feed_urls(tree: Any) -> list[str]:
    feeds = tree.get("feeds") if isinstance(tree, dict) else None
    if not isinstance(feeds, list):
        return []
    return [str(f.get("url", "")) if isinstance(f, dict) else "" for f in feeds]


def _resolve_feeds(raw: _RawConfig, written: list[str], problem: Any) -> tuple[Feed, ...]:
    feeds: list[Feed] = []
    explicit = {spec.name for spec in raw.feeds if spec.name}
    taken: dict[str, int] = {}
    urls: dict[str, int] = {}
    for index, spec in enumerate(raw.feeds):
        if spec.url in urls:
            problem(("feeds", index, "url"), f"feed URL listed twice (see feeds[{urls[spec.url]}])")
            continue
        urls[spec.url] = index
        name = spec.name or _name_from_url(spec.url, explicit | set(taken))
        if name in taken:
            problem(
                ("feeds", index, "name"), f"duplicate feed name {name!r} (see feeds[{taken[name]}])"
            )
            continue
        taken[name] = index
        interval = spec.interval or raw.settings.interval
        written_url = written[index].strip() if index < len(written) else spec.url
        feeds.append(Feed(name, spec.url, interval, spec.enabled, written_url or spec.url))
    return tuple(feeds)


def _name_from_url(url: str, taken: Iterable[str]) -> str:
    """ "https://www.heise.de/rss/x" -> "heise-de"; "-2", "-3"… when already taken."""
    host = (URL(url).host or "feed").lower().removeprefix("www.")
    base = re.sub(r"[^a-z0-9]+", "-", host).strip("-")[: MAX_NAME_LENGTH - 4] or "feed"
    taken = set(taken)
    name, counter = base, 2
    while name in taken:
        name, counter = f"{base}-{counter}", counter + 1
    return name


def _resolve_topics(raw: _RawConfig, problem: Any) -> Topics:
    terms: dict[str, tuple[str, ...]] = {}
    exclusions: dict[str, tuple[str, ...]] = {}
    options = raw.settings.match.options
    for topic, entry in raw.topics.items():
        if isinstance(entry, TopicSpec):
            terms[topic], exclusions[topic] = entry.terms, entry.exclude
            where: tuple[str, ...] = ("topics", topic, "terms")
        else:
            terms[topic] = entry
            where = ("topics", topic)
        if not terms[topic]:
            problem(where, "a topic needs at least one term")
            continue
        if exclusions.get(topic):
            own = Matcher({topic: terms[topic]}, options=options)
            for index, phrase in enumerate(exclusions[topic]):
                if not own.find(phrase.removeprefix("=").replace("*", "")):
                    problem(
                        ("topics", topic, "exclude", index),
                        f"{phrase!r} contains no term of topic {topic}, so it would "
                        "exclude nothing; an exclusion is a longer phrase around a term "
                        "(小米粥 around 小米)",
                    )
    return Topics(terms, exclusions, options)


def _resolve_alerts(raw: _RawConfig, problem: Any) -> tuple[Alert, ...]:
    alerts: list[Alert] = []
    seen: set[str] = set()
    topics = set(raw.topics)
    for index, rule in enumerate(raw.alerts):
        if rule.name in seen:
            problem(("alerts", index, "name"), f"duplicate alert name {rule.name!r}")
            continue
        seen.add(rule.name)
        try:
            expression = parse_expression(rule.match, topics)
        except ExpressionError as exc:
            problem(("alerts", index, "match"), f"{rule.match!r}: {exc}")
            continue
        alerts.append(Alert(rule.name, rule.match, expression, tuple(dict.fromkeys(rule.channels))))
    return tuple(alerts)


def _problems_from_pydantic(exc: ValidationError, lines: _Lines, file: str) -> list[ConfigProblem]:
    problems = []
    errors = exc.errors()
    deeper = [error["loc"] for error in errors]
    for error in errors:
        loc = [part for part in error["loc"] if isinstance(part, str | int)]
        # pydantic appends "[key]" for mapping keys that fail validation
        loc = [part for part in loc if part != "[key]"]
        topic_form = len(loc) >= 3 and loc[0] == "topics" and loc[2] in _TOPIC_FORMS
        if topic_form:
            del loc[2]  # the tag of the form the topic is written in
        if topic_form and len(loc) == 2 and error["type"] == "tuple_type":
            message = (
                f"{error['input']!r}: a topic is a list of terms ([EV, Elektroauto*]) or a "
                "mapping ({terms: [...], exclude: [...]})"
            )
            problems.append(ConfigProblem(file, lines(loc), format_loc(loc), message))
            continue
        if error["type"] == "too_short" and any(
            len(other) > len(error["loc"]) and other[: len(error["loc"])] == error["loc"]
            for other in deeper
        ):
            continue  # the list is short only because an item in it was invalid
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        elif error["type"] == "missing":
            message = "required key is missing"
        elif "input" in error and error["type"] not in ("value_error",):
            message = f"{error['input']!r}: {message}"
        problems.append(ConfigProblem(file, lines(loc), format_loc(loc), message))
    return problems


def format_loc(loc: Sequence[str | int]) -> str:
    """("feeds", 2, "interval") -> "feeds[2].interval"."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def line_of(tree: Any, loc: Sequence[str | int]) -> int | None:
    """The 1-based line of the deepest node of ``loc`` that exists in a round-trip tree."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    node, line = tree, None
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            if line is None and hasattr(node, "lc"):
                line = node.lc.line + 1
            break
    return line
