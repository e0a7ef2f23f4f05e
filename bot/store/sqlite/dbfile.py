"""The SQLite database as a file: that it is still the one the bot opened, and why it
cannot be written.

* A database deleted or replaced while the bot runs is noticed at the next cycle (its
  device and inode changed, or it is gone) and the bot stops, instead of writing into a
  fresh file and resending every recent story.
* A marker beside the database (``<database>.id``) holds its id: a restart that finds the
  marker but not the database refuses to start afresh silently, and says how to.
* When SQLite says "readonly", the real cause is found (which of the database, its
  ``-wal`` or ``-shm`` file, or its folder this user cannot write) and said in one line.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from bot.errors import DatabaseReplaced, StorageError


@dataclass(frozen=True, slots=True)
class FileIdentity:
    device: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> FileIdentity | None:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return cls(stat.st_dev, stat.st_ino)


def marker_path(database: Path) -> Path:
    return Path(f"{database}.id")


def read_marker(database: Path) -> str | None:
    try:
        return marker_path(database).read_text(encoding="ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def write_marker(database: Path, database_id: str) -> None:
    with contextlib.suppress(OSError):  # best effort: the database works without it
        marker_path(database).write_text(database_id + "\n", encoding="ascii")


def refuse_missing(database: Path) -> None:
    """Raise when the database is gone but its marker says one was here."""
    if database.exists():
        return
    known = read_marker(database)
    if known is not None:
        raise StorageError(
            f"database {database} is missing, but {marker_path(database)} says one was here "
            f"(id {known}): restore it from a backup, or delete {marker_path(database).name} "
            "to start afresh (items of the last backfill window may alert again)"
        )


def check_same_file(database: Path, opened: FileIdentity | None) -> None:
    """Raise when the file at ``database`` is no longer the one that was opened."""
    now = FileIdentity.of(database)
    if now is None:
        raise DatabaseReplaced(
            f"database {database} was deleted while the bot was running; stopping, so that "
            "nothing is sent twice from a fresh database (restore it, then start again)"
        )
    if opened is not None and now != opened:
        raise DatabaseReplaced(
            f"database {database} was replaced while the bot was running; stopping (start "
            "again to use the new file)"
        )


def readonly_cause(database: Path) -> str | None:
    """Which file (or the folder) this user cannot write, in one line; None if all can be."""
    candidates = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
    for path in candidates:
        if not path.exists():
            continue
        try:
            os.close(os.open(path, os.O_RDWR))
        except PermissionError:
            return f"{path} is not writable by this user ({_owner(path)})"
        except OSError:
            continue
    folder = database.parent
    if not os.access(folder, os.W_OK):
        return f"the folder {folder} is not writable by this user ({_owner(folder)})"
    return None


def _owner(path: Path) -> str:
    try:
        stat = os.stat(path)
    except OSError:
        return "cannot stat it"
    return (
        f"uid {os.getuid()}; it belongs to uid {stat.st_uid} with mode "
        f"{stat.st_mode & 0o777:04o}: fix its owner or permissions"
    )
