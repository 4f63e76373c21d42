"""Signals that stop annot while it holds someone's work: a closed terminal (SIGHUP) or a polite
kill (SIGTERM) stops an interactive session as Ctrl-C does, and a file is written whole first."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

STOPS = tuple(getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name))


@contextmanager
def as_interrupt() -> Iterator[None]:
    """SIGHUP and SIGTERM raise KeyboardInterrupt in the block, once.

    A closed terminal often sends both at once, and a second KeyboardInterrupt raised while
    the first is being handled (inside input(), say) is a SystemError. After the first, they
    are ignored until the process ends, so that what was answered is saved whatever comes
    next: the default handlers would end the process first.
    """
    stopped: list[int] = []

    def interrupt(number: int, _: object) -> None:
        for stop in STOPS:
            signal.signal(stop, signal.SIG_IGN)
        if not stopped:
            stopped.append(number)
            _quiet_ignored_signals()
            raise KeyboardInterrupt

    before = {stop: signal.signal(stop, interrupt) for stop in STOPS}
    try:
        yield
    finally:
        for stop, handler in before.items():
            if handler is not None and not stopped:  # None: set outside Python, not to be set back
                signal.signal(stop, handler)


@contextmanager
def held() -> Iterator[None]:
    """The signals that stop annot wait for the end of the block (a file written whole, the draft
    it replaces removed): then they act as they would have."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, *STOPS})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _quiet_ignored_signals() -> None:
    """Say nothing of a stop signal that arrived with the first and is ignored: Python reports
    it as "Signal N ignored due to race condition", with a traceback."""
    before = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if not (isinstance(unraisable.exc_value, OSError)
                and str(unraisable.exc_value).endswith("ignored due to race condition")):
            before(unraisable)

    sys.unraisablehook = hook
