"""The error tree: every error dealbot raises on purpose derives from DealbotError.

    DealbotError
    ├── ConfigError          feeds.yaml (or an edit to it) is invalid; carries every problem
    ├── StorageError         the database (SQLite, PostgreSQL) cannot be opened or written
    ├── FetchError           one feed could not be fetched (network, HTTP status, size, timeout)
    │   └── BlockedAddressError   the feed's URL points at a refused address or scheme
    ├── ParseError           the fetched bytes are not a feed, or are broken beyond recovery
    └── ExpressionError      an alert's match expression is invalid

Third-party exceptions (aiohttp, sqlite3, feedparser, ruamel) are translated into these where
they enter, so callers never catch library types.
"""

from __future__ import annotations

from dataclasses import dataclass


class DealbotError(Exception):
    """Root of every error dealbot raises on purpose."""


@dataclass(frozen=True)
class ConfigProblem:
    """One problem in a configuration file: where it is and what is wrong."""

    file: str
    line: int | None  # 1-based, when the YAML library knows it
    path: str  # key path such as "feeds[2].interval"
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" {self.path}:" if self.path else ""
        return f"{where}:{key} {self.message}"


class ConfigError(DealbotError):
    """The configuration is invalid; ``problems`` lists each problem once."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class StorageError(DealbotError):
    """The database cannot be opened, migrated, read or written."""


class DatabaseReplaced(StorageError):
    """The database the store opened is gone or is another one now: the bot stops rather
    than send again from it (a transient StorageError is retried instead)."""


class FetchError(DealbotError):
    """A feed could not be fetched.

    ``retry_after`` (seconds) is set when the server asked for a pause (429/503 Retry-After).
    """

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class BlockedAddressError(FetchError):
    """The URL uses a refused scheme or resolves to a refused (private, local…) address."""


class ParseError(DealbotError):
    """The fetched document is not a feed, or is malformed beyond recovery."""


class ExpressionError(DealbotError):
    """An alert match expression is invalid (syntax, unknown topic)."""
