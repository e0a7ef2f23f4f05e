"""Database locations as ``settings.database`` gives them: a SQLite path or a PostgreSQL
URL, told apart here, and a URL's password masked wherever one is shown (logs, ``check``,
errors, ``health``). No driver is imported: the configuration and the command line use it.
"""

from __future__ import annotations

import re
from typing import TypeGuard

MASK = "***"
SCHEMES = ("postgresql://", "postgres://")
# the password of userinfo (scheme://user:password@host) and of a query parameter
_USERINFO_PASSWORD = re.compile(r"^(?P<head>[a-z]+://[^:@/?#]*):(?P<password>[^@/?#]*)@", re.I)
_QUERY_PASSWORD = re.compile(r"(?P<head>[?&]password=)(?P<password>[^&#]*)", re.I)


def is_database_url(location: object) -> TypeGuard[str]:
    """Whether ``location`` names a PostgreSQL database (else it is a SQLite path)."""
    return isinstance(location, str) and location.lower().startswith(SCHEMES)


def url_password(url: str) -> str | None:
    """The password written in ``url`` (userinfo or ``?password=``), if any."""
    for pattern in (_USERINFO_PASSWORD, _QUERY_PASSWORD):
        found = pattern.search(url)
        if found and found.group("password"):
            return found.group("password")
    return None


def mask_url(url: str) -> str:
    """``url`` with its password replaced by ``***`` (user, host and database kept)."""
    url = _USERINFO_PASSWORD.sub(lambda m: f"{m.group('head')}:{MASK}@", url, count=1)
    return _QUERY_PASSWORD.sub(lambda m: f"{m.group('head')}{MASK}", url)


def show_database(location: object) -> str:
    """A database location as messages show it."""
    return mask_url(location) if is_database_url(location) else str(location)
