"""The ``dealbot`` entry point: imports the command line lazily, so that Ctrl-C at any moment
of start-up ends the program with one line instead of a traceback."""

from __future__ import annotations

import os
import sys

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def main() -> int:
    try:
        from bot.cli import main as run_cli

        return run_cli()
    except KeyboardInterrupt:
        print("dealbot: interrupted", file=sys.stderr)
        sys.stderr.flush()
        # Ctrl-C during the imports can leave the interpreter marked "interrupted", and it
        # would then end by the signal instead of this status: nothing is open yet to close.
        os._exit(EXIT_INTERRUPTED)
