"""What the benchmark scripts share: their options, finding the tools, timing a command."""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def options(doc: str, records: int, runs: int) -> argparse.Namespace:
    """--records N and --runs K, with a script's defaults."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--records", type=int, default=records)
    parser.add_argument("--runs", type=int, default=runs)
    args = parser.parse_args()
    if args.records < 1 or args.runs < 1:
        parser.error("--records and --runs take a whole number, 1 or more")
    return args


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


# Runs a command; prints its wall time, its CPU time (user + system) and the peak resident memory
# of it (and its children), in kB, and its exit status; on a failure, the end of its output after.
# On a shared machine the CPU time is the steadier figure.
MEASURE = ("import resource, subprocess, sys, time; start = time.perf_counter(); "
           "done = subprocess.run(sys.argv[1:], capture_output=True); "
           "use = resource.getrusage(resource.RUSAGE_CHILDREN); "
           "print(time.perf_counter() - start, use.ru_utime + use.ru_stime, use.ru_maxrss, done.returncode); "
           "done.returncode and print((done.stdout + done.stderr).decode(errors='replace')[-2000:])")


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """The wall and CPU times of one run of `command` (s)."""
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=cwd, capture_output=True,
                          text=True, check=True)
    figures, _, output = done.stdout.partition("\n")
    wall, cpu, _, status = figures.split()
    if status != "0":
        sys.exit(f"{' '.join(command[:3])}... exited {status}:\n{output}")
    return float(wall), float(cpu)


def side_by_side(commands: dict[str, list[str]], cwd: Path, runs: int) -> None:
    """Run the commands in turn, round after round (a shared machine's speed drifts over
    minutes; a round measures them side by side), each round starting one command further on
    (so that no command always follows the same one), and print for each command:
    - its wall and CPU times, the best of the rounds;
    - its ratios to the first command's times of the same round: the median over the rounds,
      and the best round's (not the ratio of the best times, which may come from two rounds);
    - its peak memory, the proportional set size of all its processes (workers included)
      summed, in a run of its own."""
    names = list(commands)
    rounds = []
    for number in range(runs):
        order = names[number % len(names):] + names[:number % len(names)]
        rounds.append({name: measure(commands[name], cwd) for name in order})
    first = names[0]
    against = first.removeprefix("annot ")
    for name, command in commands.items():
        walls = [r[name][0] for r in rounds]
        cpus = [r[name][1] for r in rounds]
        ratios = [r[name][0] / r[first][0] for r in rounds]
        cpu_ratios = [r[name][1] / r[first][1] for r in rounds]
        memory = peak_memory(command, cwd)  # every process: the workers too
        print(f"{name:30} best wall {min(walls):6.2f} s, cpu {min(cpus):6.2f} s  x {against}: "
              f"wall {statistics.median(ratios):4.2f} (best round {min(ratios):4.2f}), "
              f"cpu {statistics.median(cpu_ratios):4.2f} (best round {min(cpu_ratios):4.2f})  "
              f"peak {memory:4.0f} MB", flush=True)
