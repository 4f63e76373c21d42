"""Per-file work spread over the machine's cores, its results in order.

Workers are forked, so they start with everything the parent has loaded (the
schema, the registry) instead of reading it again; where fork is not the safe
default (macOS, Windows) the work stays in one process.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from .errors import TroubleError

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_FILES = 256  # fewer files are checked before a pool of workers would have started
CHUNK = 64  # files a worker takes at a time: few messages, and a Ctrl-C waits for little
# ... when it packs their results: packing has a cost of its own per message (Arrow's, 2 us a
# Parquet row at 128 files against 4 at 64)
PACKED_CHUNK = 128
# ... which, packed, are some 200 KB a message: more than a pipe holds by default (64 KB).
RESULTS_PIPE = 2**20
JOBS = "ANNOT_JOBS"


def workers_for(files: int) -> int:
    """How many processes should check `files` files: one per core once there are enough
    files to repay starting them; ANNOT_JOBS sets the number, never above the cores."""
    given = os.environ.get(JOBS) or None  # set but empty: as unset, as NO_COLOR= is
    digits = given.lstrip("0") if given is not None else ""
    if given is not None and (not given.isascii() or not given.isdigit() or not digits):
        shown = given if len(given) <= 20 else given[:19] + "…"
        raise TroubleError(f"{JOBS}={shown!r}: give a whole number of processes, 1 or more")
    if given is None and files < MIN_FILES:
        return 1
    if sys.platform != "linux" or files < 2:
        return 1
    # More digits than any machine has cores: int() would refuse a number of 4,300 digits.
    wanted = cores() if given is None or len(digits) > 9 else int(digits)
    return max(1, min(wanted, cores(), files))


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def ordered_map(function: Callable[[Item], Result], items: Sequence[Item],
                workers: int) -> Iterator[Result]:
    """`function` of each item, computed in `workers` forked processes, yielded in order.
    `function` may be any callable, a closure or a bound method: the workers are forked with it,
    only the items and the results are pickled."""
    with Pool([function], workers) as pool:
        yield from pool.map(function, items)


class Pool:
    """Worker processes forked once, with every function they will run, for several ordered
    maps: a command that checks batch after batch forks once, not once a batch.

    A worker knows what the parent held when it was forked (at the first map), nothing
    learnt since: what changes must travel in the items. Leaving the `with` block by an
    exception (Ctrl-C, a consumer that stopped early) ends the workers, without waiting."""

    def __init__(self, functions: Sequence[Callable[[Any], Any]], workers: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.functions = list(functions)
        self.workers = workers
        self._executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                             initializer=_start_worker)
        _widen_results(self._executor)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        global _tasks
        try:
            if kind is not None:
                # The workers are ended, not waited for (an interruption can leave them
                # blocked on the call queue's lock for ever).
                _end_workers(self._executor)
        finally:
            self._executor.shutdown(wait=True, cancel_futures=True)
            _tasks = []

    def map(self, function: Callable[[Item], Result], items: Sequence[Item],
            pack: Callable[[list[Result]], list[Result]] | None = None) -> Iterator[Result]:
        """`function` (one of the pool's) of each item, in order; every item is handed to the
        workers now, the results come as they are read. `pack` (one of the pool's too) is
        what a worker makes of the results of the items it took at a time before it sends
        them back, in one message: an object they share is sent once."""
        from concurrent.futures.process import BrokenProcessPool

        global _tasks
        _tasks = self.functions  # what the workers inherit, if this map forks them
        index = self.functions.index(function)
        packing = -1 if pack is None else self.functions.index(pack)
        size = max(1, min(CHUNK if pack is None else PACKED_CHUNK, len(items) // (self.workers * 4)))
        chunks = [(index, packing, items[start:start + size]) for start in range(0, len(items), size)]
        # A Ctrl-C while a worker is being forked would be swallowed by fork's own handlers
        # (in the parent and in the child): it waits, blocked, until every worker has started.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            results = self._executor.map(_run_chunk, chunks)
        except BrokenProcessPool:
            raise TroubleError(BROKEN) from None
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        return _read(results)


BROKEN = f"a worker process ended abruptly (out of memory?); {JOBS}=1 checks in one process"


def _read(results: Iterator[list[Result]]) -> Iterator[Result]:
    from concurrent.futures.process import BrokenProcessPool

    try:
        for chunk in results:
            yield from chunk
    except BrokenProcessPool:
        raise TroubleError(BROKEN) from None


_tasks: list[Callable[[Any], Any]] = []  # what the workers run; they inherit it by the fork


def _run_chunk(task: tuple[int, int, Sequence[Any]]) -> list[Any]:
    index, packing, items = task
    function = _tasks[index]
    results = [function(item) for item in items]
    return results if packing < 0 else _tasks[packing](results)


def _widen_results(pool: Any) -> None:
    """Let the pipe the results come back through hold RESULTS_PIPE bytes, where Linux allows
    it. A worker writing a message larger than the pipe waits until the pool's thread in the
    parent reads it, and that thread waits its turn behind the parent's main thread (an
    export's writing): with the room, the worker goes on at once (an export of 100,000 records
    to Parquet took 1 to 3% less time)."""
    import fcntl

    reader = getattr(getattr(pool, "_result_queue", None), "_reader", None)
    if reader is not None and hasattr(fcntl, "F_SETPIPE_SZ"):
        try:
            fcntl.fcntl(reader.fileno(), fcntl.F_SETPIPE_SZ, RESULTS_PIPE)
        except OSError:  # more than this user may have (fs.pipe-max-size): the default
            pass


def _end_workers(pool: Any) -> None:
    ending = getattr(pool, "terminate_workers", None)  # Python 3.14
    if ending is not None:
        ending()
    else:
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            if process.is_alive():
                process.terminate()
    # A worker ended while it sent a result leaves the pool's own thread waiting for the rest
    # of the message, and the exit waiting for that thread, for ever. Once the parent's copy
    # of the results pipe's writing end is closed, the pipe ends when the workers do: the
    # thread reads its end, takes the pool as broken, and stops.
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        if sys.version_info < (3, 12):
            _ignore_failing_a_cancelled_future()
        writer.close()


def _ignore_failing_a_cancelled_future() -> None:
    """Before Python 3.12, a broken pool's thread raises (and prints a traceback) when it fails
    a future its caller has cancelled; 3.12 ignores that (CPython gh-107219), and so does this."""
    import threading
    from concurrent.futures import InvalidStateError

    before = threading.excepthook
    if getattr(before, "annot", False):
        return

    def hook(args: Any) -> None:
        if args.exc_type is InvalidStateError and type(args.thread).__name__ == "_ExecutorManagerThread":
            return
        before(args)

    hook.annot = True  # type: ignore[attr-defined]
    threading.excepthook = hook


def _start_worker() -> None:
    # Ctrl-C reaches the whole process group: the parent alone answers it, and stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    # What the parent loaded stays as it is: the collector need not walk it, nor copy its pages.
    gc.freeze()
