"""Keeping secrets out of everything dealbot says.

The values of the chat tokens and of every ``DEALBOT_…`` variable (webhook URLs, feed
tokens, a database password) never appear in a reply, a log line or a stored error, and
credentials and secret-looking query values of any URL in such text are masked by the one
masking function, ``bot.text.display_url``. This is the last line of defence: the
configuration never expands a token into a value that is shown, and chat edits cannot
write a ``${…}`` reference at all.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping

from bot.store.url import is_database_url, mask_url
from bot.text import MASK, display_url

TOKEN_VARIABLES = ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")
# DEALBOT_ variables that say where things are, not secrets.
NOT_SECRET = frozenset(
    {
        "DEALBOT_CONFIG",
        "DEALBOT_FEEDS",
        "DEALBOT_STORAGE",
        "DEALBOT_UID",
        "DEALBOT_GID",
        "DEALBOT_CORPUS",
    }
)
MIN_SECRET_LENGTH = 6  # shorter values ("1", "true") would mask ordinary words
_URL = re.compile(r"(?:https?|postgres(?:ql)?)://[^\s'\"<>()\[\]{}]+", re.IGNORECASE)


def secret_values(environ: Mapping[str, str] | None = None) -> list[str]:
    """The secret values set in the environment, longest first."""
    environ = os.environ if environ is None else environ
    names = [n for n in environ if n.startswith("DEALBOT_") and n not in NOT_SECRET]
    values = {environ[n] for n in (*TOKEN_VARIABLES, *names) if n in environ}
    return sorted((v for v in values if len(v) >= MIN_SECRET_LENGTH), key=len, reverse=True)


def redact(text: str, environ: Mapping[str, str] | None = None) -> str:
    """``text`` with every secret value replaced by ``***`` and every URL in it masked."""
    for value in secret_values(environ):
        if value in text:
            text = text.replace(value, MASK)
    if "://" in text:
        text = _URL.sub(lambda found: _display(found.group()), text)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that redacts each record's message (arguments included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def _display(url: str) -> str:
    """A URL in a message, masked: a database URL keeps all but its password."""
    return mask_url(url) if is_database_url(url) else display_url(url)
