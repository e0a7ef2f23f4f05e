"""Reading ``feeds.yaml`` safely and fast: the one place that turns YAML text into a tree.

* ``load_plain`` reads with libyaml (PyYAML's C parser) into plain dicts, lists and
  scalars: what every start, reload and ``check`` needs, about 20 times faster than a
  round-trip parser on a large file. Scalars resolve as in YAML 1.2 (``yes``, ``no``,
  ``on``, ``off`` stay words; ``1:30`` stays text), as ruamel reads them.
* ``load_roundtrip`` reads with ruamel.yaml into a tree that keeps comments, quoting and
  line numbers: for edits, and for the line of a problem.

Both first scan the document's events (no tree is built, nothing is copied) and refuse it
in one line when it nests deeper than ``MAX_DEPTH`` or when its aliases would expand to
more than ``MAX_ALIAS_NODES`` nodes: a 650-byte "billion laughs" document is refused at
once instead of hanging the loader, and deep nesting never reaches a recursive
constructor.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any

import yaml

from bot.errors import ConfigError, ConfigProblem

if TYPE_CHECKING:  # ruamel is imported by the first edit or problem, not by every start
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

MAX_DEPTH = 32  # feeds.yaml needs 5 levels; a limit far below Python's recursion limit
MAX_ALIAS_NODES = 10_000  # nodes that aliases may add when expanded, in all


def _problem(file: str, line: int | None, message: str) -> ConfigError:
    return ConfigError([ConfigProblem(file, line, "", message)])


def check_shape(text: str, file: str) -> bool:
    """Refuse a document that nests too deeply or whose aliases expand too far; raise
    ConfigError (with the line) before any tree is built. Return whether it has anchors
    or aliases."""
    sizes: dict[str, int] = {}  # anchor -> nodes under it, aliases expanded
    stack: list[list[Any]] = []  # open collections: [anchor, nodes so far]
    added = 0  # nodes that aliases add
    anchored = False
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise _problem(file, _line(event), f"nested deeper than {MAX_DEPTH} levels")
                stack.append([event.anchor, 1])
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                anchor, size = stack.pop()
            elif isinstance(event, yaml.ScalarEvent):
                anchor, size = event.anchor, 1
            elif isinstance(event, yaml.AliasEvent):
                anchor, size = None, sizes.get(event.anchor or "", 1)
                added += size
                if added > MAX_ALIAS_NODES:
                    raise _problem(
                        file, _line(event),
                        f"aliases (*{event.anchor}) expand to more than {MAX_ALIAS_NODES:,} "
                        "values; write the values out instead",
                    )  # fmt: skip
            else:
                continue
            if anchor:
                sizes[anchor] = size
                anchored = True
            if stack:
                stack[-1][1] += size
    except yaml.MarkedYAMLError as exc:
        raise _invalid(file, exc.problem_mark, exc.context, exc.problem) from None
    except yaml.YAMLError as exc:
        raise _problem(file, None, f"invalid YAML: {exc}") from None
    return anchored or added > 0


def _line(event: Any) -> int | None:
    return event.start_mark.line + 1 if event.start_mark else None


def _invalid(file: str, mark: Any, *parts: object) -> ConfigError:
    line = mark.line + 1 if mark is not None else None
    message = " ".join(str(part) for part in parts if part)
    return _problem(file, line, f"invalid YAML: {message}")


class _Yaml12Loader(yaml.CSafeLoader):
    """libyaml's parser with YAML 1.2 core-schema scalars, and duplicate keys refused (as
    ruamel reads them)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                continue  # unhashable: the safe constructor reports it
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark,
                    f"found duplicate key {key!r}", key_node.start_mark,
                )  # fmt: skip
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
     list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", list("-+.0123456789")),
):  # fmt: skip
    _Yaml12Loader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


def _construct_yaml12_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    return int(text, 0) if text[:2] in ("0o", "0x") else int(text)


_Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _construct_yaml12_int)


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_OTHER_SCALARS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null"))


class _Unusual(Exception):
    """A node the plain walk leaves to PyYAML's constructor (which reports it if wrong)."""


def _plain_values(loader: _Yaml12Loader, node: yaml.Node) -> Any:
    """What ``loader.construct_document(node)`` gives, for a tree without anchors and of
    the usual tags, built by a plain walk instead of PyYAML's generic constructor (a third
    of the cost of a start with thousands of feeds); raise _Unusual for anything else
    (another tag, a duplicate or unhashable key). Recursion is bounded by check_shape."""
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        if tag == _STR:
            return node.value
        if tag in _OTHER_SCALARS:
            return loader.yaml_constructors[tag](loader, node)
    elif isinstance(node, yaml.MappingNode):
        if tag == _MAP:
            mapping: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = _plain_values(loader, key_node)
                if isinstance(key, list | dict) or key in mapping:
                    raise _Unusual
                mapping[key] = _plain_values(loader, value_node)
            return mapping
    elif isinstance(node, yaml.SequenceNode) and tag == _SEQ:
        return [_plain_values(loader, item) for item in node.value]
    raise _Unusual


def _load_yaml12(text: str, anchored: bool) -> Any:
    """``yaml.load(text, Loader=_Yaml12Loader)``, by the plain walk where it applies."""
    if anchored:
        return yaml.load(text, Loader=_Yaml12Loader)
    loader = _Yaml12Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _plain_values(loader, node)
        except _Unusual:
            return loader.construct_document(node)
    finally:
        loader.dispose()


_NO_KEY: Any = object()  # a mapping's next event is a key, not a value
_PLAIN_TAGS = (None, "!")  # no explicit tag: the scalar resolves by its text
_SCALAR_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _resolved(event: yaml.ScalarEvent) -> Any:
    """A scalar's value as ``_Yaml12Loader`` resolves and constructs it."""
    value = event.value
    if not event.implicit[0]:  # quoted or block: a string, as PyYAML's resolver says
        return value
    for tag, pattern in _Yaml12Loader.yaml_implicit_resolvers.get(value[:1], ()):
        if pattern.match(value):
            constructor = _Yaml12Loader.yaml_constructors[tag]
            return constructor(_SCALAR_CONSTRUCTOR, yaml.ScalarNode(tag, value))
    return value


def _plain_from_events(text: str) -> Any:
    """The document built straight from libyaml's events in one pass (the usual
    ``feeds.yaml``: no anchors, aliases or tags, one document, no duplicate or unhashable
    keys, nesting within ``MAX_DEPTH``): what ``_load_yaml12`` gives, without scanning the
    events twice and composing nodes in between. Raise _Unusual for anything else, and for
    invalid YAML, so that the careful path reads it and reports what is wrong."""
    root: Any = None
    open_: list[dict[Any, Any] | list[Any]] = []
    keys: list[Any] = []  # per open collection: the key awaiting its value, or _NO_KEY

    def add(value: Any) -> None:
        nonlocal root
        if not open_:
            root = value
            return
        parent = open_[-1]
        if isinstance(parent, list):
            parent.append(value)
        elif keys[-1] is _NO_KEY:
            if isinstance(value, list | dict) or value in parent:
                raise _Unusual
            keys[-1] = value
        else:
            parent[keys[-1]] = value
            keys[-1] = _NO_KEY

    documents = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.ScalarEvent):
                if event.anchor or event.tag not in _PLAIN_TAGS:
                    raise _Unusual
                add(_resolved(event))
            elif isinstance(event, yaml.CollectionStartEvent):
                if event.anchor or event.tag not in _PLAIN_TAGS or len(open_) >= MAX_DEPTH:
                    raise _Unusual
                collection: dict[Any, Any] | list[Any] = (
                    {} if isinstance(event, yaml.MappingStartEvent) else []
                )
                add(collection)
                open_.append(collection)
                keys.append(_NO_KEY)
            elif isinstance(event, yaml.CollectionEndEvent):
                open_.pop()
                keys.pop()
            elif isinstance(event, yaml.AliasEvent):
                raise _Unusual
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Unusual
    except (yaml.YAMLError, ValueError):
        raise _Unusual from None
    return root


def load_plain(text: str, file: str) -> Any:
    """The document as plain Python values (a mapping at the top); raise ConfigError."""
    try:
        return _top_level(_plain_from_events(text), file)
    except _Unusual:
        pass
    anchored = check_shape(text, file)
    try:
        tree = _load_yaml12(text, anchored)
    except yaml.MarkedYAMLError as exc:
        raise _invalid(file, exc.problem_mark, exc.context, exc.problem) from None
    except (yaml.YAMLError, ValueError) as exc:
        raise _problem(file, None, f"invalid YAML: {exc}") from None
    return _top_level(tree, file)


def roundtrip_yaml() -> YAML:
    """The ruamel instance that reads and writes feeds.yaml as it was written."""
    from ruamel.yaml import YAML

    yaml_rt = YAML(typ="rt")
    yaml_rt.preserve_quotes = True
    yaml_rt.width = 4096
    return yaml_rt


def load_roundtrip(text: str, file: str, parser: YAML | None = None) -> CommentedMap:
    """The document as a round-trip tree (comments, quotes, line numbers); raise
    ConfigError."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    check_shape(text, file)
    try:
        tree = (parser or roundtrip_yaml()).load(text)
    except MarkedYAMLError as exc:
        raise _invalid(file, exc.problem_mark or exc.context_mark, exc.context,
                       exc.problem) from None  # fmt: skip
    except YAMLError as exc:
        raise _problem(file, None, f"invalid YAML: {exc}") from None
    result = _top_level(tree, file)
    return result if isinstance(result, CommentedMap) else CommentedMap(result)


def is_roundtrip(tree: Any) -> bool:
    """Whether ``tree`` came from ``load_roundtrip``; asked without importing ruamel."""
    comments = sys.modules.get("ruamel.yaml.comments")
    return comments is not None and isinstance(tree, comments.CommentedMap)


def _top_level(tree: Any, file: str) -> Any:
    if tree is None:
        return {}
    if not isinstance(tree, dict):
        raise _problem(file, 1, "the top level must be a mapping of keys")
    return tree
