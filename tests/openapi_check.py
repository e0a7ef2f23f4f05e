"""Check outgoing Discord and Slack request bodies against the platforms' published API specs.

The specs are the subsets in ``tests/specs/`` (the operations dealbot calls, with every schema
they reach, unchanged; ``tests/specs/make_subset.py`` makes them from the full documents):

* ``discord-openapi.subset.json``: Discord's own OpenAPI 3.1.0 description of HTTP API v10.
* ``slack-web-openapi.subset.json``: Slack's Swagger 2.0 description of the Web API (spec
  version 1.7.0, about 2020).

Discord (``discord_request_errors``)
    The operation's ``requestBody`` schema for ``application/json`` is validated with JSON Schema
    draft 2020-12 (the dialect of OpenAPI 3.1). ``$ref``s resolve against the whole document
    through a ``referencing`` registry. Discord's unions are written as ``anyOf`` or ``oneOf``
    (``x-discord-union``); both are validated as written. When a union fails, the problems of the
    branch that came closest are reported, tagged ``[via BranchName]``.

    Formats are asserted: ``date-time`` (``datetime.fromisoformat``), ``uri`` (must have a
    scheme, e.g. ``https:`` or ``attachment:``), ``int32``/``int64`` ranges, ``snowflake``.

    ``strict=True`` (the default) also reports keys the spec does not declare. The spec itself
    never forbids extra keys (only one schema has ``additionalProperties: false``), and Discord
    ignores keys it does not know, so a typo such as ``"embed"`` for ``"embeds"`` would
    otherwise pass here *and* in production while silently dropping the embed. Strictness is
    added by giving every object schema that declares ``properties`` and says nothing about
    extra keys ``unevaluatedProperties: false``; because that keyword sees through ``$ref``,
    ``allOf``, ``anyOf`` and ``oneOf``, composed schemas still work. The strict check also
    accepts ``DISCORD_SPEC_GAPS``: what discord.py 2.7 itself sends and Discord accepts but the
    spec does not describe (embed ``flags``, command ``nsfw``, ``tts`` on every edit, integer
    ``attachments[].id`` file indexes in multipart posts). ``strict=False`` checks the spec
    exactly as published.

    For a multipart request (discord.py uses one only when files are attached) pass the parsed
    ``payload_json`` part: it is the same object the ``application/json`` schema describes.

    Not covered: rules that live only in prose (e.g. "one of content, embeds, sticker_ids,
    components, files or poll is required", the 6000-character total across embeds), and
    permission or state checks. The spec says ``content`` may be 4000 characters on
    ``POST /channels/{channel_id}/messages`` (2000 on webhooks); bots are held to 2000 in practice.

Slack (``slack_request_errors``)
    Swagger 2.0 has no JSON request bodies for these methods: every argument is a ``formData``
    (POST) or ``query`` (GET) parameter with a scalar type, although 102 POST methods list
    ``application/json`` in ``consumes``. The check is therefore built from the parameter list:

    * the method must accept JSON (``application/json`` in ``consumes``) unless
      ``json_body=False``;
    * ``token`` must not be in a JSON body (Slack only takes it from the ``Authorization``
      header there), and is never reported missing;
    * every key must be a parameter of the method, or one of the few parameters Slack added
      after the spec was published (``_NEWER_THAN_SPEC``, e.g. ``metadata``, ``markdown_text``),
      or passed in ``extra_params``;
    * parameters the spec marks ``required`` must be present;
    * types are checked loosely: ``string`` wants ``str``; ``blocks``, ``attachments`` and
      ``metadata`` are typed ``string`` because form posts carry them JSON-encoded, so a
      list/dict (or a string that decodes to one) is accepted, and ``blocks`` is checked
      against the spec's (very loose) ``definitions/blocks`` schema; ``as_user``/``link_names``
      are typed ``string`` in places but mean booleans, so ``bool`` is accepted; ``boolean``
      takes ``bool`` or ``"true"``/``"false"``/``"1"``/``"0"``; ``integer`` and ``number``
      take numbers or numeric strings (``ts``/``thread_ts`` are ``number`` in some methods and
      ``string`` in others; sending a Slack timestamp as a float loses digits, so use strings).

    Not covered: anything inside blocks beyond "a list of objects with a string ``type``",
    attachment fields, the either/or rules stated only in prose (``text`` vs ``blocks`` vs
    ``attachments``; ``chat.scheduleMessage`` does not even mark ``channel`` required), value
    enums such as ``parse``, and limits (e.g. 50 blocks, 40 000 characters of text).
"""

from __future__ import annotations

import copy
import difflib
import json
import math
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote, urlsplit

from jsonschema import Draft4Validator, Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPECS_DIR: Final = Path(__file__).resolve().parent / "specs"
DISCORD_SPEC_FILE: Final = "discord-openapi.subset.json"
SLACK_SPEC_FILE: Final = "slack-web-openapi.subset.json"

_DISCORD_URI: Final = "urn:dealbot:discord-openapi"
_DISCORD_STRICT_URI: Final = "urn:dealbot:discord-openapi:strict"
_HTTP_METHODS: Final = frozenset({"get", "put", "post", "delete", "patch", "head", "options"})
_MAX_MESSAGE: Final = 400

JSONDict = dict[str, Any]


# --------------------------------------------------------------------------------------- loading


@cache
def discord_spec() -> JSONDict:
    """Discord's OpenAPI 3.1.0 document, parsed once per process."""
    return _load(DISCORD_SPEC_FILE)


@cache
def slack_spec() -> JSONDict:
    """Slack's Swagger 2.0 Web API document, parsed once per process."""
    return _load(SLACK_SPEC_FILE)


def _load(name: str) -> JSONDict:
    with (SPECS_DIR / name).open(encoding="utf-8") as handle:
        document: JSONDict = json.load(handle)
    return document


# --------------------------------------------------------------------------------------- Discord


def discord_request_errors(
    method: str, path_template: str, body: object, *, strict: bool = True
) -> list[str]:
    """Problems with ``body`` as the JSON body of a Discord API call; empty when it conforms.

    ``path_template`` is the spec's path, e.g. ``"/channels/{channel_id}/messages"``; the names
    inside braces may differ from the spec's (``"/channels/{cid}/messages"`` works too).
    Raises ``KeyError`` when the spec has no such operation or it takes no JSON body.
    """
    validator = _discord_validator(method.lower(), _discord_path(path_template), strict)
    return _messages(validator.iter_errors(body))


def _discord_path(path_template: str) -> str:
    paths: Mapping[str, Any] = discord_spec()["paths"]
    if path_template in paths:
        return path_template
    shape = _path_shape(path_template)
    for candidate in paths:
        if _path_shape(candidate) == shape:
            return candidate
    close = difflib.get_close_matches(path_template, list(paths), n=3)
    raise KeyError(f"no path {path_template!r} in the Discord spec; close: {close}")


def _path_shape(path: str) -> str:
    return re.sub(r"\{[^}/]*\}", "{}", path.rstrip("/") or "/")


@cache
def _discord_validator(method: str, path: str, strict: bool) -> Validator:
    item: Mapping[str, Any] = discord_spec()["paths"][path]
    operation = item.get(method)
    if not isinstance(operation, dict):
        methods = sorted(key.upper() for key in item if key in _HTTP_METHODS)
        raise KeyError(f"{method.upper()} {path} is not in the Discord spec (has {methods})")
    content: Mapping[str, Any] = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        raise KeyError(
            f"{method.upper()} {path} takes no application/json body (has {sorted(content)})"
        )
    pointer = "/" + "/".join(
        _escape_pointer(part)
        for part in ("paths", path, method, "requestBody", "content", "application/json", "schema")
    )
    uri = _DISCORD_STRICT_URI if strict else _DISCORD_URI
    return Draft202012Validator(
        {"$ref": f"{uri}#{quote(pointer, safe='/~')}"},
        registry=_discord_registry(),
        format_checker=_FORMATS,
    )


def _escape_pointer(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


# What discord.py 2.7 sends, and Discord accepts, that the spec's request schemas do not allow:
# schema name -> property -> schema. A new property is added; an existing one is widened to
# "either". Applied to the strict check only; strict=False is the spec as published.
DISCORD_SPEC_GAPS: Final[Mapping[str, Mapping[str, JSONDict]]] = {
    # discord.Embed.to_dict() always includes "flags": 0
    "RichEmbed": {"flags": {"type": ["integer", "null"]}},
    # handle_message_parameters() always sets "tts" (False), edits included
    "MessageEditRequestPartial": {"tts": {"type": ["boolean", "null"]}},
    "IncomingWebhookUpdateRequestPartial": {"tts": {"type": ["boolean", "null"]}},
    # app_commands Command/Group.to_dict() always include "nsfw"
    "ApplicationCommandCreateRequest": {"nsfw": {"type": ["boolean", "null"]}},
    "ApplicationCommandUpdateRequest": {"nsfw": {"type": ["boolean", "null"]}},
    "ApplicationCommandPatchRequestPartial": {"nsfw": {"type": ["boolean", "null"]}},
    # new uploads are referred to by their files[n] index, sent as an integer
    "MessageAttachmentRequest": {"id": {"type": "integer", "minimum": 0}},
}


@cache
def _discord_registry() -> Registry[Any]:
    document = discord_spec()
    strict_document = copy.deepcopy(document)
    schemas = strict_document["components"]["schemas"]
    for schema_name, extra in DISCORD_SPEC_GAPS.items():
        properties = schemas[schema_name]["properties"]
        for key, subschema in extra.items():
            declared = properties.get(key)
            properties[key] = subschema if declared is None else {"anyOf": [declared, subschema]}
    _forbid_undeclared(strict_document)
    return Registry().with_resources(
        [
            (_DISCORD_URI, DRAFT202012.create_resource(document)),
            (_DISCORD_STRICT_URI, DRAFT202012.create_resource(strict_document)),
        ]
    )


_NOT_SCHEMAS: Final = frozenset({"enum", "const", "default", "example", "examples"})
_SCHEMA_MAPS: Final = frozenset({"properties", "patternProperties", "$defs", "schemas"})


def _forbid_undeclared(node: Any, *, is_map: bool = False) -> Any:
    """Add ``unevaluatedProperties: false`` to every object schema that lists its properties.

    Walks the whole document; values (``enum``, ``const``, examples) are left alone, and a map
    of schemas (``properties``, ``components/schemas``) is not itself taken for a schema.
    """
    if isinstance(node, dict):
        for key, value in node.items():
            if is_map or key not in _NOT_SCHEMAS:
                _forbid_undeclared(value, is_map=not is_map and key in _SCHEMA_MAPS)
        open_ended = ("additionalProperties", "patternProperties", "unevaluatedProperties")
        declared = node.get("properties")
        if not is_map and isinstance(declared, dict) and not any(k in node for k in open_ended):
            node["unevaluatedProperties"] = False
    elif isinstance(node, list):
        for value in node:
            _forbid_undeclared(value)
    return node


_FORMATS: Final = FormatChecker(formats=())


def _is_date_time(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    if "T" not in instance.upper():
        raise ValueError("no 'T' between date and time")
    parsed = datetime.fromisoformat(instance)
    return parsed.tzinfo is not None


def _is_uri(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    parts = urlsplit(instance)
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", parts.scheme)) and " " not in instance


def _is_int32(instance: object) -> bool:
    return not isinstance(instance, int) or -(2**31) <= instance < 2**31


def _is_int64(instance: object) -> bool:
    return not isinstance(instance, int) or -(2**63) <= instance < 2**63


def _is_snowflake(instance: object) -> bool:
    return not isinstance(instance, str) or (instance.isascii() and instance.isdigit())


_FORMATS.checks("date-time", raises=ValueError)(_is_date_time)
_FORMATS.checks("uri")(_is_uri)
_FORMATS.checks("int32")(_is_int32)
_FORMATS.checks("int64")(_is_int64)
_FORMATS.checks("snowflake")(_is_snowflake)


def _messages(errors: Iterable[ValidationError]) -> list[str]:
    found: list[tuple[list[str], str]] = []
    for error in errors:
        found.extend(_flatten(error, ""))
    found.sort(key=lambda item: item[0])
    return [text for _, text in found]


def _flatten(error: ValidationError, via: str) -> list[tuple[list[str], str]]:
    """One message per leaf problem; a failed union reports only its most plausible branch."""
    suffix = f" [via {via}]" if via else ""
    if error.validator in ("anyOf", "oneOf") and error.context:
        branches = _ranked_branches(error)
        subs, name, plausible = branches[0]
        label = f"{via} > {name}" if via else name
        leaves: list[tuple[list[str], str]] = []
        for sub in subs:
            leaves.extend(_flatten(sub, label))
        if plausible or len(branches) == 1:
            return leaves
        # Every branch is ruled out by a wrong type, constant or enum value: say so once.
        names = ", ".join(branch_name for _, branch_name, _ in branches)
        example = leaves[0][1] if leaves else ""
        text = f"{_where(error)}: matches none of {{{names}}}; e.g. {example}{suffix}"
        return [([str(part) for part in error.absolute_path], _clip(text))]
    key = [str(part) for part in error.absolute_path]
    return [(key, f"{_where(error)}: {_clip(error.message)}{suffix}")]


def _ranked_branches(error: ValidationError) -> list[tuple[list[ValidationError], str, bool]]:
    """Union branches, most plausible first: (errors, name, not ruled out by a discriminator).

    A branch is ruled out when the value, or one of its direct members (such as ``type``), has
    the wrong JSON type, constant or enum value; among the rest the branch with the fewest
    problems at the union's own level, then the fewest problems, then the deepest ones, wins.
    """
    grouped: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        index = sub.relative_schema_path[0] if sub.relative_schema_path else 0
        grouped.setdefault(int(index), []).append(sub)
    depth = len(error.absolute_path)
    options = error.schema.get(error.validator) if isinstance(error.schema, dict) else None

    def name(index: int) -> str:
        if isinstance(options, list) and index < len(options) and isinstance(options[index], dict):
            ref = options[index].get("$ref")
            if isinstance(ref, str):
                return ref.rsplit("/", 1)[-1]
        return f"{error.validator}[{index}]"

    ranked: list[tuple[tuple[int, int, int, int], list[ValidationError], str, bool]] = []
    for index, subs in grouped.items():
        ruled_out = sum(_is_mismatch(sub) and len(sub.absolute_path) <= depth + 1 for sub in subs)
        at_level = sum(len(sub.absolute_path) == depth for sub in subs)
        deepest = max(len(sub.absolute_path) for sub in subs)
        score = (ruled_out, at_level, len(subs), -deepest)
        ranked.append((score, subs, name(index), ruled_out == 0))
    ranked.sort(key=lambda item: item[0])
    return [(subs, branch_name, plausible) for _, subs, branch_name, plausible in ranked]


def _is_mismatch(error: ValidationError) -> bool:
    if error.validator in ("type", "const", "enum"):
        return True
    if error.validator in ("anyOf", "oneOf", "allOf") and error.context:
        return all(_is_mismatch(sub) for sub in error.context)
    return False


def _where(error: ValidationError) -> str:
    path = "$"
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


# ----------------------------------------------------------------------------------------- Slack

# Parameters Slack documents today that the 1.7.0 spec predates: name -> spec-style type
# ("json" = a JSON-encoded object or array in form posts).
_NEWER_THAN_SPEC: Final[Mapping[str, Mapping[str, str]]] = {
    "chat.postMessage": {"metadata": "json", "markdown_text": "string"},
    "chat.update": {
        "metadata": "json",
        "markdown_text": "string",
        "reply_broadcast": "boolean",
        "file_ids": "string",
    },
    "chat.postEphemeral": {"markdown_text": "string"},
    "chat.scheduleMessage": {"metadata": "json", "markdown_text": "string"},
}

# Typed "string" because form posts carry them JSON-encoded: a list or dict is fine in JSON.
_JSON_ENCODED: Final[Mapping[str, type]] = {"blocks": list, "attachments": list, "metadata": dict}
# Typed "string" in some methods but boolean in meaning (and in slack_sdk's signatures).
_BOOLEAN_MEANING: Final = frozenset({"as_user", "link_names"})
_BOOLEAN_STRINGS: Final = frozenset({"true", "false", "1", "0"})


def slack_request_errors(
    method_name: str,
    body: Mapping[str, object],
    *,
    json_body: bool = True,
    extra_params: Mapping[str, str] | None = None,
) -> list[str]:
    """Problems with ``body`` as the arguments of Slack Web API ``method_name``; empty if fine.

    ``json_body`` says the arguments travel as a JSON body (what slack_sdk does for ``chat.*``
    message methods); with ``False`` they are treated as form or query parameters.
    ``extra_params`` adds parameters (name -> ``"string"``, ``"boolean"``, ``"integer"``,
    ``"number"`` or ``"json"``) the spec does not know. Raises ``KeyError`` for an unknown method.
    """
    operation = _slack_operation(method_name)
    params: dict[str, JSONDict] = {
        param["name"]: param for param in operation.get("parameters", []) if "name" in param
    }
    types = {name: str(param.get("type", "string")) for name, param in params.items()}
    for name, kind in {**_NEWER_THAN_SPEC.get(method_name, {}), **(extra_params or {})}.items():
        types.setdefault(name, kind)

    errors: list[str] = []
    consumes = operation.get("consumes") or []
    if json_body and "application/json" not in consumes:
        errors.append(
            f"{method_name} does not accept a JSON body per the spec (consumes {consumes})"
        )
    if json_body and "token" in body:
        errors.append("token: must travel in the Authorization header, not in a JSON body")
    for name in sorted(body):
        if name == "token":
            continue
        if name not in types:
            close = difflib.get_close_matches(name, list(types), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            errors.append(f"{name}: not a parameter of {method_name}{hint}")
            continue
        problem = _slack_type_problem(name, types[name], body[name])
        if problem:
            errors.append(f"{name}: {problem}")
    for name, param in params.items():
        if param.get("required") and name != "token" and name not in body:
            errors.append(f"{name}: required by {method_name} but missing")
    return errors


def _slack_operation(method_name: str) -> JSONDict:
    paths: Mapping[str, Any] = slack_spec()["paths"]
    item = paths.get("/" + method_name.lstrip("/"))
    if not item:
        names = [path.lstrip("/") for path in paths]
        close = difflib.get_close_matches(method_name, names, n=3)
        raise KeyError(f"no method {method_name!r} in the Slack spec; close: {close}")
    operation: JSONDict = item.get("post") or item.get("get") or next(iter(item.values()))
    return operation


def _slack_type_problem(name: str, kind: str, value: object) -> str | None:
    if name in _JSON_ENCODED and kind in ("string", "json"):
        return _json_encoded_problem(name, value)
    if kind == "boolean" or (kind == "string" and name in _BOOLEAN_MEANING):
        if isinstance(value, bool) or (
            isinstance(value, str) and value.lower() in _BOOLEAN_STRINGS
        ):
            return None
        return f"expected a boolean, got {_type_name(value)}"
    if kind == "integer":
        if (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, str) and re.fullmatch(r"-?\d+", value)
        ):
            return None
        return f"expected an integer, got {_type_name(value)}"
    if kind == "number":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return None if math.isfinite(value) else "expected a finite number"
        if isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value):
            return None
        return f"expected a number or numeric string, got {_type_name(value)}"
    if kind == "json":
        return None if isinstance(value, (dict, list, str)) else f"got {_type_name(value)}"
    if not isinstance(value, str):
        return f"expected a string, got {_type_name(value)}"
    return None


def _json_encoded_problem(name: str, value: object) -> str | None:
    want = _JSON_ENCODED[name]
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return "a string here must be JSON-encoded, and this one does not parse"
    if not isinstance(value, want):
        return f"expected a {want.__name__} (or its JSON encoding), got {_type_name(value)}"
    if name == "attachments" and isinstance(value, list):
        bad = [index for index, item in enumerate(value) if not isinstance(item, dict)]
        if bad:
            return f"items {bad} are not objects"
    if name == "blocks":
        problems = _messages(_slack_blocks_validator().iter_errors(value))
        if problems:
            return "; ".join(problems)
    return None


@cache
def _slack_blocks_validator() -> Validator:
    schema = slack_spec()["definitions"]["blocks"]
    return Draft4Validator(schema)


def _type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__
