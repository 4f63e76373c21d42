"""What the benchmark scripts share: their options, finding the tools, timing a command."""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def options(doc: str, records: int, runs: int) -> argparse.Namespace:
    """--records N and --runs K, with a script's defaults."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--records", type=int, default=records)
    parser.add_argument("--runs", type=int, default=runs)
    return parser.parse_args()


def tool(name: str, install: str = "pip install -e '.[bench]'") -> str:
    """The absolute path of a command beside this Python (the environment it runs in), else on
    PATH, or exit saying how to get it. PATH alone may find another install first (a pyenv
    shim, which also adds its own start to every run)."""
    found = shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name)
    if not found:
        sys.exit(f"needs `{name}` on PATH: {install}")
    if name == "annot":
        # An installed package ships compiled bytecode; an editable one may not
        # (PYTHONDONTWRITEBYTECODE), and compiling on every run is not what users pay.
        import annot

        compileall.compile_dir(str(Path(annot.__file__).parent), quiet=1)
    return os.path.abspath(found)  # a relative PATH entry (.venv/bin) gives a relative name


def best_time(command: list[str], cwd: Path, runs: int, expect: int = 0) -> float:
    """The fastest of `runs` wall times of `command`, checking its exit status."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True)
        times.append(time.perf_counter() - start)
        if done.returncode != expect:
            sys.exit(f"{' '.join(command[:3])}... exited {done.returncode}:\n"
                     f"{done.stdout.decode()[-2000:]}{done.stderr.decode()[-2000:]}")
    return min(times)


def _tree_pss_kb(root: int) -> int:
    """Proportional set size of process `root` and all its descendants, in KB (Linux)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    parents[int(entry)] = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    family, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in family} - family
        family |= more
        grew = bool(more)
    total = 0
    for pid in family:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
        except (OSError, StopIteration):
            continue
    return total


def peak_memory(command: list[str], cwd: Path) -> float:
    """The peak memory of one run of `command` with every process it starts, in MB: their
    proportional set sizes summed, sampled every 20 ms (a run of its own, so that sampling
    does not slow the timed runs)."""
    peak = 0
    with subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as process:
        while process.poll() is None:
            peak = max(peak, _tree_pss_kb(process.pid))
            time.sleep(0.02)
    return peak / 1024
