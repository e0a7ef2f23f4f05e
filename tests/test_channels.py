"""The console and jsonl channels, as the deliverer uses them."""

from __future__ import annotations

import asyncio
import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.channels import ConsoleChannel, JsonlChannel, build_channels
from bot.config import Settings
from bot.models import AlertMessage, DeliveryStatus
from tests.helpers import python, scrubbed_env

MESSAGE = AlertMessage(
    id="19ab3c1d2e4f5a6b7c8",
    channel="jsonl:alerts.jsonl",
    rules=("samsung-xiaomi-ev",),
    feed="techwire",
    title="Xiaomi's EV -Segment wächst",
    url="https://news.example/xiaomi-ev?utm_source=rss",
    canonical_url="https://news.example/xiaomi-ev",
    published=datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
    summary="Xiaomi baut ein neues EV-Produktionswerk.",
    topics=("ev", "xiaomi"),
    terms=("EV", "Xiaomi's"),
    language="de",
)


async def test_jsonl_writes_one_line_per_alert(tmp_path: Path) -> None:
    channel = JsonlChannel("jsonl:x", tmp_path / "sub" / "alerts.jsonl")
    result = await channel.send(MESSAGE)
    assert result.status is DeliveryStatus.SENT
    assert result.ref is not None
    assert result.ref.message_id == MESSAGE.id
    (line,) = (tmp_path / "sub" / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line) == {
        "id": "19ab3c1d2e4f5a6b7c8",
        "alert": "samsung-xiaomi-ev",
        "feed": "techwire",
        "title": "Xiaomi's EV -Segment wächst",
        "url": "https://news.example/xiaomi-ev?utm_source=rss",
        "canonical_url": "https://news.example/xiaomi-ev",
        "published": "2026-11-25T09:00:00Z",
        "summary": "Xiaomi baut ein neues EV-Produktionswerk.",
        "topics": ["ev", "xiaomi"],
        "terms": ["EV", "Xiaomi's"],
        "language": "de",
        "author": None,
        "kind": "alert",
        "story": None,
        "sources": [],
        "deal": None,  # every field above stays; an alert without a deal says so
    }
    assert "wächst" in line  # UTF-8, not \u escapes
    assert await channel.find_sent(MESSAGE) is not None


async def test_jsonl_appends_in_turn_with_another_process(tmp_path: Path) -> None:
    """Workers sharing the file take turns: while another process holds the file's lock (a
    child process here, half-way through its own append), a send waits for it."""
    path = tmp_path / "alerts.jsonl"
    path.write_text('{"id": "other"}\n', encoding="utf-8")
    holder = await asyncio.create_subprocess_exec(
        sys.executable, "-c",
        "import fcntl, sys, time; f = open(sys.argv[1], 'a'); "
        "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(1.0)",
        str(path), stdout=asyncio.subprocess.PIPE, env=scrubbed_env(),
    )  # fmt: skip
    assert holder.stdout is not None
    assert await asyncio.wait_for(holder.stdout.readline(), 30) == b"held\n"
    sending = asyncio.create_task(JsonlChannel("jsonl:x", path).send(MESSAGE))
    await asyncio.sleep(0.5)
    assert not sending.done()  # waits for the lock
    result = await asyncio.wait_for(sending, 30)
    await holder.wait()
    assert result.status is DeliveryStatus.SENT
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["other", MESSAGE.id]


async def test_jsonl_find_sent_needs_the_exact_id(tmp_path: Path) -> None:
    path = tmp_path / "alerts.jsonl"
    path.write_text('{"id": "19ab3c1d2e4f5a6b7c80"}\nnot json at all 19ab3c1d2e4f5a6b7c8\n')
    assert await JsonlChannel("jsonl:x", path).find_sent(MESSAGE) is None
    assert await JsonlChannel("jsonl:x", tmp_path / "missing.jsonl").find_sent(MESSAGE) is None


async def test_jsonl_path_that_is_a_folder_is_a_retry(tmp_path: Path) -> None:
    (tmp_path / "alerts.jsonl").mkdir()
    result = await JsonlChannel("jsonl:x", tmp_path / "alerts.jsonl").send(MESSAGE)
    assert result.status is DeliveryStatus.RETRY
    assert result.reason == f"cannot write {tmp_path / 'alerts.jsonl'}: Is a directory"


async def test_jsonl_write_error_is_a_retry_not_a_crash(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    result = await JsonlChannel("jsonl:x", blocker / "alerts.jsonl").send(MESSAGE)
    assert result.status is DeliveryStatus.RETRY
    assert "cannot write" in (result.reason or "")


async def test_several_rules_are_listed_as_alerts(tmp_path: Path) -> None:
    from dataclasses import replace

    channel = JsonlChannel("jsonl:x", tmp_path / "a.jsonl")
    await channel.send(replace(MESSAGE, rules=("one", "two")))
    record = json.loads((tmp_path / "a.jsonl").read_text())
    assert record["alerts"] == ["one", "two"]
    assert "alert" not in record


async def test_console_block_is_readable_at_a_glance() -> None:
    stream = io.StringIO()
    result = await ConsoleChannel("console", stream).send(MESSAGE)
    assert result.status is DeliveryStatus.SENT
    assert stream.getvalue() == (
        "━━ Xiaomi's EV -Segment wächst\n"
        "   techwire · 2026-11-25 09:00 UTC · samsung-xiaomi-ev\n"
        "   Xiaomi baut ein neues EV-Produktionswerk.\n"
        "   matched: ev, xiaomi (EV, Xiaomi's)\n"
        "   https://news.example/xiaomi-ev?utm_source=rss\n\n"
    )


async def test_a_channel_that_raises_reports_a_retry() -> None:
    class Broken(ConsoleChannel):
        async def deliver(self, message: AlertMessage) -> object:  # type: ignore[override]
            raise RuntimeError("boom")

    result = await Broken("console").send(MESSAGE)
    assert result.status is DeliveryStatus.RETRY
    assert result.reason == "unexpected error: RuntimeError: boom"


def test_jsonl_paths_resolve_against_the_config_folder(tmp_path: Path) -> None:
    channels = build_channels(["console", "jsonl:out/a.jsonl"], Settings(), tmp_path)
    jsonl = channels["jsonl:out/a.jsonl"]
    assert isinstance(jsonl, JsonlChannel)
    assert jsonl.path == tmp_path / "out" / "a.jsonl"


FULL_DISK_SCRIPT = """
import asyncio, dataclasses, json, resource, signal, sys
from pathlib import Path
from bot.channels.jsonl import JsonlChannel
from tests.helpers import python, scrubbed_env, sample_alert

path = Path(sys.argv[1])
channel = JsonlChannel("jsonl:x", path)
first = sample_alert("jsonl:x", id="first")
big = sample_alert("jsonl:x", id="second", summary="x" * 20_000)

async def main():
    print((await channel.send(first)).status.value)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
    _soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (path.stat().st_size + 4096, hard))
    print((await channel.send(big)).status.value)
    resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
    print((await channel.send(big)).status.value)

asyncio.run(main())
"""


async def test_a_write_that_fails_halfway_leaves_no_partial_line(tmp_path: Path) -> None:
    """The kernel refuses the rest of a write (a file size limit, as a full disk would):
    the file is cut back to its last complete line, and the retry appends cleanly."""
    path = tmp_path / "alerts.jsonl"
    status, out, err = await python("-c", FULL_DISK_SCRIPT, str(path))
    assert status == 0, err
    assert out.split() == ["sent", "retry", "sent"]
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""
    assert [json.loads(line)["id"] for line in lines[:-1]] == ["first", "second"]


async def test_jsonl_and_console_show_a_story_and_its_edits(tmp_path: Path) -> None:
    """An alert record names its story and sources; a join appends an update record with
    every report so far; the console adds the sources to the block and prints one line
    per edit."""
    from dataclasses import replace

    from bot.models import MessageRef, StorySource

    first = StorySource("techwire", MESSAGE.title, MESSAGE.url, "de", MESSAGE.published)
    heise = StorySource("heise", "Xiaomi baut Werk", "https://heise.example/x", "de",
                        MESSAGE.published)  # fmt: skip
    kr = StorySource("36Kr", "小米扩建工厂", "https://36kr.example/x", "zh", MESSAGE.published)
    alert = replace(MESSAGE, story="s0123456789", sources=(first, heise))
    path = tmp_path / "alerts.jsonl"
    channel = JsonlChannel("jsonl:x", path)
    assert (await channel.send(alert)).status is DeliveryStatus.SENT
    joined = replace(alert, sources=(first, heise, kr), changed=("sources",))
    ref = MessageRef("jsonl:x", alert.id)
    assert (await channel.edit(ref, joined)).status is DeliveryStatus.SENT
    record, update = (json.loads(line) for line in path.read_text().splitlines())
    assert (record["kind"], record["story"], record["id"]) == ("alert", "s0123456789", alert.id)
    assert [s["feed"] for s in record["sources"]] == ["techwire", "heise"]
    assert set(record["sources"][1]) == {"feed", "title", "url", "language", "published"}
    assert update == {
        "kind": "update", "updates": alert.id, "story": "s0123456789",
        "sources": [s.to_json() for s in (first, heise, kr)], "changed": ["sources"],
        "title": MESSAGE.title, "deal": None,
    }  # fmt: skip
    assert await channel.find_sent(alert) is not None
    out = io.StringIO()
    console = ConsoleChannel("console", out)
    await console.send(alert)
    await console.edit(ref, joined)
    await console.edit(ref, replace(joined, title="Xiaomi verdoppelt Werk", changed=("title",)))
    block, edits = out.getvalue().split("\n\n", 1)
    assert "   Also reported by: heise (de)" in block
    assert "   story s0123456789" in block
    assert edits.splitlines() == [
        f"↻ also reported by heise (de), 36Kr (zh): {MESSAGE.title}",
        "↻ updated: Xiaomi verdoppelt Werk",
    ]
