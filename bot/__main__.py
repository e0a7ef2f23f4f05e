"""``python -m bot``: the same command line as ``dealbot``."""

from bot.cli import main

raise SystemExit(main())
