"""The cyclic garbage collector, paused while a command gathers many objects that hold no cycle."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused(freeze: bool = False) -> Iterator[None]:
    """No cyclic collection in the block: as what it gathers grows, the collector would walk
    it again and again, for no cycle. With `freeze`, what the process holds is frozen before
    collection resumes (the collector never walks it again)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            if freeze:
                gc.freeze()
            gc.enable()
