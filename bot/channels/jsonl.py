"""The ``jsonl:PATH`` channel: one JSON object per alert, one line each, appended to a file.

The path comes from feeds.yaml only (never from a chat command) and resolves against its
folder. Each line is written with one ``write`` to a file opened for appending, under an
exclusive ``flock`` (workers on one folder append in turn), then fsynced before the alert
counts as sent; after a crash, the file is read back
to see whether a message already made it, so a resend never duplicates a line.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
from pathlib import Path
from typing import Any

from bot.channels.base import Channel
from bot.models import AlertMessage, DeliveryResult, MessageRef, iso_utc


def alert_record(message: AlertMessage) -> dict[str, Any]:
    """The JSON object written for one alert: its fields, then ``kind``, ``story`` and the
    ``sources`` known when it was sent."""
    record: dict[str, Any] = {"id": message.id}
    if len(message.rules) == 1:
        record["alert"] = message.rules[0]
    else:
        record["alerts"] = list(message.rules)
    record.update(
        feed=message.feed,
        title=message.title,
        url=message.url,
        canonical_url=message.canonical_url,
        published=iso_utc(message.published),
        summary=message.summary,
        topics=list(message.topics),
        terms=list(message.terms),
        language=message.language,
        author=message.author,
        kind="alert",
        story=message.story,
        sources=[source.to_json() for source in message.sources],
        deal=message.deal.to_json() if message.deal else None,
    )
    if message.stage_was:
        record["stage_was"] = message.stage_was
    return record


def update_record(message: AlertMessage) -> dict[str, Any]:
    """The JSON object written for an edit: which alert it updates, every report so far,
    what changed, the title as it reads now and the story's deal (with ``stage_was`` when
    it moved on)."""
    record: dict[str, Any] = {
        "kind": "update",
        "updates": message.id,
        "story": message.story,
        "sources": [source.to_json() for source in message.sources],
        "changed": list(message.changed),
        "title": message.title,
        "deal": message.deal.to_json() if message.deal else None,
    }
    if message.stage_was:
        record["stage_was"] = message.stage_was
    return record


class JsonlChannel(Channel):
    kind = "jsonl"

    def __init__(self, spec: str, path: Path) -> None:
        super().__init__(spec)
        import asyncio  # here: ``dealbot check`` registers this kind without asyncio

        self.path = path
        self._lock = asyncio.Lock()

    async def deliver(self, message: AlertMessage) -> DeliveryResult:
        return await self._append_record(alert_record(message), message.id)

    async def deliver_edit(self, ref: MessageRef, message: AlertMessage) -> DeliveryResult:
        return await self._append_record(update_record(message), message.id)

    async def _append_record(self, record: dict[str, Any], message_id: str) -> DeliveryResult:
        import asyncio

        line = json.dumps(record, ensure_ascii=False) + "\n"
        try:
            async with self._lock:
                await asyncio.to_thread(self._append, line.encode("utf-8"))
        except OSError as exc:  # a full disk, a missing folder, a permission: may all pass
            return DeliveryResult.retry(f"cannot write {self.path}: {exc.strerror or exc}")
        return DeliveryResult.sent(MessageRef(self.spec, message_id))

    def _append(self, data: bytes) -> None:
        """Append ``data`` with one write (more if the kernel takes less); on any failure
        (a full disk, a file size limit) cut the file back to where it was, so that no
        partial line stays behind to spoil the next one."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            # workers sharing the file (several processes, one folder) append in turn: a
            # cut-back after a failed write must not take another process's line with it
            fcntl.flock(fd, fcntl.LOCK_EX)
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                data = b"\n" + data  # a crash cut the last line short: start a new one
            try:
                written = 0
                while written < len(data):  # a full disk can make a write short silently
                    count = os.write(fd, data[written:])
                    if count == 0:
                        raise OSError(errno.ENOSPC, "No space left on device")
                    written += count
                os.fsync(fd)
            except OSError:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, size)
                    os.fsync(fd)
                raise
        finally:
            os.close(fd)

    async def find_sent(self, message: AlertMessage) -> MessageRef | None:
        import asyncio

        async with self._lock:
            found = await asyncio.to_thread(self._contains, message.id)
        return MessageRef(self.spec, message.id) if found else None

    def _contains(self, message_id: str) -> bool:
        needle = json.dumps(message_id).encode()
        try:
            with open(self.path, "rb") as handle:
                fcntl.flock(handle, fcntl.LOCK_SH)  # no line half-written by another process
                for line in handle:
                    if needle in line and _record_id(line) == message_id:
                        return True
        except FileNotFoundError:
            return False
        return False


def _record_id(line: bytes) -> str | None:
    try:
        record = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return None
    return record.get("id") if isinstance(record, dict) else None
