"""The ``dealbot`` entry point: imports the command line lazily, so that Ctrl-C at any moment
of start-up ends the program with one line instead of a traceback."""

from __future__ import annotations

import sys

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def main() -> int:
    try:
        from bot.cli import main as run_cli

        return run_cli()
    except KeyboardInterrupt:
        print("dealbot: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
