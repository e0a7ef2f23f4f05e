"""Editing ``feeds.yaml`` safely: the file stays the single source of truth.

An edit is a function that changes the YAML tree. ``ConfigEditor.apply`` reads the file,
applies the function to a round-trip tree (comments, key order, quoting and indentation
kept, by ruamel.yaml), validates the result with the same rules as loading, and only then
writes: to a temporary file in the same folder, fsynced, the previous version kept as
``feeds.yaml.bak``, renamed over the original. An invalid edit changes nothing and says why.

Nobody's hand edit is overwritten: the file's bytes are compared again just before the
rename, and when they changed in between, the edit is re-applied to the new content (an
edit that no longer makes sense then fails with its own message). Edits from several
processes are serialized with a lock file. Where the file cannot be replaced by rename (it
is a bind mount of its own, as in the shipped docker-compose.yml), it is rewritten in place.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import io
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.channels.kinds import DEFAULT_KINDS, ChannelKinds
from bot.config import Config, validate_tree
from bot.config.yamlfile import load_roundtrip, roundtrip_yaml
from bot.errors import ConfigError, ConfigProblem

if TYPE_CHECKING:  # ruamel is imported by the first edit, not by every start
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

MAX_ATTEMPTS = 3

# A single-file bind mount (Docker's `./feeds.yaml:/config/feeds.yaml`) is a mount point:
# renaming over it fails with EBUSY (EXDEV when the temporary is on another file system).
_CANNOT_RENAME_OVER = frozenset({errno.EBUSY, errno.EXDEV})

Edit = Callable[["CommentedMap"], None]


@dataclass(frozen=True, slots=True)
class EditResult:
    config: Config
    text: str  # the new file content


class ConfigEditor:
    def __init__(self, path: Path, kinds: ChannelKinds = DEFAULT_KINDS) -> None:
        import asyncio  # here: ``dealbot check`` and ``--help`` start without asyncio

        self.path = path
        self.kinds = kinds  # the channel kinds an edited file is validated with
        self._lock = asyncio.Lock()

    async def apply(self, edit: Edit) -> EditResult:
        """Apply ``edit`` and save; raise ConfigError (nothing written) if the result is
        invalid, or if the file keeps changing under us."""
        import asyncio

        async with self._lock:
            return await asyncio.to_thread(self._apply_sync, edit)

    def _apply_sync(self, edit: Edit) -> EditResult:
        with self._file_lock():
            for _attempt in range(MAX_ATTEMPTS):
                original = self._read()
                tree, yaml = _load(original.decode("utf-8"), str(self.path))
                edit(tree)
                text = _dump(yaml, tree)
                check, _ = _load(text, str(self.path))
                config = validate_tree(check, self.path, kinds=self.kinds)
                if self._read() != original:
                    continue  # someone saved the file meanwhile: apply the edit to theirs
                self._replace(original, text)
                return EditResult(config, text)
        raise ConfigError(
            [ConfigProblem(str(self.path), None, "", "the file kept changing; edit not saved")]
        )

    def _read(self) -> bytes:
        try:
            return self.path.read_bytes()
        except OSError as exc:
            problem = ConfigProblem(str(self.path), None, "", f"cannot read: {exc}")
            raise ConfigError([problem]) from None

    def _replace(self, original: bytes, text: str) -> None:
        folder = self.path.parent
        temporary = folder / f".{self.path.name}.{os.getpid()}.tmp"
        try:
            with open(temporary, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            shutil.copymode(self.path, temporary)
            (folder / f"{self.path.name}.bak").write_bytes(original)
            try:
                os.replace(temporary, self.path)
            except OSError as exc:
                if exc.errno not in _CANNOT_RENAME_OVER:
                    raise
                temporary.unlink()
                _rewrite_in_place(self.path, text)
            _fsync_folder(folder)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temporary.unlink()
            problem = ConfigProblem(str(self.path), None, "", f"cannot save: {exc}")
            raise ConfigError([problem]) from None

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        lock_path = self.path.parent / f".{self.path.name}.lock"
        with open(lock_path, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


_MAPPING_KEY_LINE = re.compile(r"^( +)[^\s#\-][^:\n]*:(\s|$)", re.MULTILINE)


def _load(text: str, file: str) -> tuple[CommentedMap, YAML]:
    """A round-trip tree, and a YAML instance that writes it back the way it was written:
    same indentation, same quotes, no re-wrapped lines."""
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.util import load_yaml_guess_indent

    yaml = roundtrip_yaml()
    tree = load_roundtrip(text, file, yaml)  # bounded: depth and aliases checked first
    try:
        _, sequence_indent, dash_offset = load_yaml_guess_indent(text)
    except YAMLError as exc:
        raise ConfigError([ConfigProblem(file, None, "", f"invalid YAML: {exc}")]) from None
    key_indents = [len(found.group(1)) for found in _MAPPING_KEY_LINE.finditer(text)]
    mapping_indent = min(key_indents, default=2)
    if sequence_indent is not None:
        yaml.indent(mapping=mapping_indent, sequence=sequence_indent, offset=dash_offset or 0)
    else:
        yaml.indent(mapping=mapping_indent, sequence=mapping_indent + 2, offset=mapping_indent)
    return tree, yaml


def append_to(sequence: CommentedSeq, value: Any) -> None:
    """Append to a block sequence, moving the blank lines or comment that followed the old
    last item (they belong before whatever comes after the sequence) after the new one."""
    from ruamel.yaml.comments import CommentedMap

    trailing = None
    if sequence and isinstance(sequence[-1], CommentedMap) and isinstance(value, CommentedMap):
        last = sequence[-1]
        last_key = next(reversed(last), None) if last else None
        if last_key is not None and last_key in last.ca.items:
            trailing = last.ca.items.pop(last_key)
    sequence.append(value)
    if trailing is not None and value:
        value.ca.items[next(reversed(value))] = trailing


def _dump(yaml: YAML, tree: Any) -> str:
    buffer = io.StringIO()
    yaml.dump(tree, buffer)
    return buffer.getvalue()


def _rewrite_in_place(path: Path, text: str) -> None:
    """Write ``text`` over ``path`` through the same inode (not atomic: a reader may see a
    half-written file, which the watcher reports and then reloads once it is whole; edits
    stay serialized by the lock file)."""
    with open(path, "r+b") as handle:
        handle.write(text.encode("utf-8"))
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
