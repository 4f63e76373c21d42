"""The console script's entry: an interruption during start-up is an interruption (exit 130),
never a traceback. Imports nothing heavy, so Ctrl-C lands here however early it comes; a plain
`annot validate` (the commit hook's) runs without click (see quick.py)."""

from __future__ import annotations

import gc
import sys

_started = False  # by run(): this process is annot's, nothing else's


def own_process() -> bool:
    """Whether annot was started as a command (not called by other code in its process)."""
    return _started


def run() -> None:
    """Start annot."""
    global _started
    _started = True
    try:
        prepare_process()
        from . import quick

        plain = quick.plain_validate(sys.argv[1:])
        if plain is not None:
            raise SystemExit(quick.run(plain))
        from .cli import run as main

        main()
    except KeyboardInterrupt:
        sys.stderr.write("\nannot: interrupted\n")
        raise SystemExit(130) from None
    finally:
        # Python's last collection would walk every object left, only for the process to end:
        # 7% of a commit check's instructions, and more after a summary of a large corpus.
        gc.freeze()


def prepare_process() -> None:
    """Output that any locale can take, and write errors instead of signals."""
    import codecs
    import signal

    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        # An ASCII stream means a locale that was never set (LC_ALL=C): write UTF-8, as click
        # does for what it echoes, so that every command prints the same bytes there.
        if codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "ascii":
            reconfigure(encoding="utf-8", errors="backslashreplace")
        else:
            reconfigure(errors="backslashreplace")
    if hasattr(signal, "SIGXFSZ"):  # ulimit -f: let the write fail with EFBIG, not kill us
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
