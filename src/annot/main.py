"""The console script's entry: an interruption during start-up is an interruption (exit 130),
never a traceback. Imports nothing heavy, so Ctrl-C lands here however early it comes."""

from __future__ import annotations

import sys


def run() -> None:
    """Start annot."""
    try:
        from .cli import run as main

        main()
    except KeyboardInterrupt:
        sys.stderr.write("\nannot: interrupted\n")
        raise SystemExit(130) from None
