"""``python -m bot``: the same command line as ``dealbot``."""

from bot.launch import main

raise SystemExit(main())
