"""``${DEALBOT_…}`` references: how an operator keeps a secret (a feed's token, a webhook
URL) out of feeds.yaml, and how the value is read from the environment.

Only variables named ``DEALBOT_…`` may be read: the chat tokens and the rest of the
environment can never reach the configuration.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

VARIABLE = re.compile(r"\$\{([^}]*)\}")
VARIABLE_PREFIX = "DEALBOT_"


def is_variable_reference(text: str) -> bool:
    """Whether ``text`` is exactly one ``${NAME}`` reference (a secret kept in the
    environment, like a webhook URL)."""
    return bool(VARIABLE.fullmatch(text))


def resolve_reference(text: str, environ: Mapping[str, str] | None = None) -> str:
    """A webhook target with its ``${NAME}`` references read from the environment, under the
    same rule as the file (``DEALBOT_…`` only); raise ValueError when one is not allowed or
    not set. Webhook channels call it each time they send."""
    environ = os.environ if environ is None else environ

    def substitute(found: re.Match[str]) -> str:
        name = found.group(1)
        if not name.startswith(VARIABLE_PREFIX):
            raise ValueError(f"${{{name}}}: only {VARIABLE_PREFIX}… variables may be used")
        if name not in environ:
            raise ValueError(f"${{{name}}}: the environment variable {name} is not set")
        return environ[name]

    return VARIABLE.sub(substitute, text)
