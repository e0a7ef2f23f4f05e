"""Write the subsets of the Discord and Slack API specs that the tests validate against.

    python -m tests.specs.make_subset [SPECS_DIR]

SPECS_DIR holds the official documents (default: ``$DEALBOT_CORPUS/specs``, else
``../shared/corpus/specs`` beside the checkout):

* ``discord-openapi.json``: Discord HTTP API v10, OpenAPI 3.1 (MIT), discord/discord-api-spec;
* ``slack-web-openapi-v2.json``: Slack Web API, Swagger 2.0 (MIT), slackapi/slack-api-specs.

Only the operations dealbot calls are kept, with every schema they reach through ``$ref``,
unchanged, so that the suite runs on a fresh clone; ``tests/test_specs_subset.py`` checks
that the committed subsets are still what this script makes from the full documents.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DISCORD_FILE = "discord-openapi.json"
SLACK_FILE = "slack-web-openapi-v2.json"

# The Discord routes dealbot (through discord.py) calls: messages, command sync,
# interactions and their follow-ups, webhooks.
DISCORD_PATHS = re.compile(
    r"^/(channels/\{[^}]+\}/messages(/\{[^}]+\})?"
    r"|applications/\{[^}]+\}(/guilds/\{[^}]+\})?/commands(/\{[^}]+\})?"
    r"|interactions/\{[^}]+\}/\{[^}]+\}/callback"
    r"|webhooks/\{[^}]+\}/\{[^}]+\}(/messages/[^/]+)?)$"
)
SLACK_METHODS = (
    "chat.postMessage",
    "chat.update",
    "conversations.history",
    "users.info",
    "auth.test",
    "chat.postEphemeral",
)


def default_specs_dir() -> Path:
    corpus = os.environ.get("DEALBOT_CORPUS")
    base = Path(corpus) if corpus else HERE.parent.parent.parent / "shared" / "corpus"
    return base / "specs"


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.add(value)
            else:
                found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def _resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _closure(document: dict[str, Any], roots: Any) -> set[str]:
    """Every local ``$ref`` reachable from ``roots``."""
    todo, seen = list(_refs(roots)), set()
    while todo:
        ref = todo.pop()
        if ref in seen or not ref.startswith("#/"):
            continue
        seen.add(ref)
        todo.extend(_refs(_resolve(document, ref)))
    return seen


def _keep(document: dict[str, Any], refs: set[str], section: list[str]) -> dict[str, Any]:
    source = document
    for part in section:
        source = source[part]
    prefix = "#/" + "/".join(section) + "/"
    names = sorted(ref.removeprefix(prefix) for ref in refs if ref.startswith(prefix))
    return {name: source[name] for name in names}


def discord_subset(document: dict[str, Any]) -> dict[str, Any]:
    paths = {path: item for path, item in document["paths"].items() if DISCORD_PATHS.match(path)}
    refs = _closure(document, paths)
    components = {
        kind: kept
        for kind in document["components"]
        if (kept := _keep(document, refs, ["components", kind]))
    }
    return {
        "openapi": document["openapi"],
        "info": document["info"],
        "paths": paths,
        "components": components,
    }


def slack_subset(document: dict[str, Any]) -> dict[str, Any]:
    paths = {f"/{name}": document["paths"][f"/{name}"] for name in SLACK_METHODS}
    refs = _closure(document, paths)
    return {
        "swagger": document["swagger"],
        "info": document["info"],
        "basePath": document["basePath"],
        "paths": paths,
        "definitions": _keep(document, refs, ["definitions"]),
    }


def render(subset: dict[str, Any]) -> str:
    return json.dumps(subset, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def subsets(specs_dir: Path) -> dict[str, str]:
    """File name -> the subset's text, made from the full documents in ``specs_dir``."""
    discord = json.loads((specs_dir / DISCORD_FILE).read_text(encoding="utf-8"))
    slack = json.loads((specs_dir / SLACK_FILE).read_text(encoding="utf-8"))
    return {
        "discord-openapi.subset.json": render(discord_subset(discord)),
        "slack-web-openapi.subset.json": render(slack_subset(slack)),
    }


def main(argv: list[str]) -> int:
    specs_dir = Path(argv[0]) if argv else default_specs_dir()
    for name, text in subsets(specs_dir).items():
        (HERE / name).write_text(text, encoding="utf-8")
        print(f"wrote {name} ({len(text) // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
