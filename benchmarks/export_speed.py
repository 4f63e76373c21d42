"""How long `annot export` takes next to `annot validate` on the same corpus, and its peak memory.

The issue's target: on 100,000 records, export to Parquet and to PLOVER JSON Lines takes at
most 1.3x what validate takes (issue 15 asked 1.5x), with a peak resident memory under 300 MB.
Prints each wall and CPU time (best of several runs), their ratios to validate, and each command's peak memory
(the proportional set size of all its processes, workers included, summed).

usage: python benchmarks/export_speed.py [--records N] [--runs K]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import options, peak_memory, tool  # noqa: E402
from corpus import write_corpus  # noqa: E402

# Runs a command; prints its wall time, its CPU time (user + system) and the peak resident memory
# of it (and its children), in kB. On a shared machine the CPU time is the steadier figure.
MEASURE = ("import resource, subprocess, sys, time; start = time.perf_counter(); "
           "done = subprocess.run(sys.argv[1:], capture_output=True); "
           "use = resource.getrusage(resource.RUSAGE_CHILDREN); "
           "print(time.perf_counter() - start, use.ru_utime + use.ru_stime, use.ru_maxrss, done.returncode)")


def measure(command: list[str], cwd: Path, runs: int) -> tuple[float, float, float]:
    """The best wall and CPU times of `runs` runs of `command` (s), and its highest peak memory (MB)."""
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=cwd, capture_output=True,
                              text=True, check=True)
        wall, cpu, kilobytes, status = done.stdout.split()
        if status != "0":
            sys.exit(f"{' '.join(command[:3])}... exited {status}")
        walls.append(float(wall))
        cpus.append(float(cpu))
        peaks.append(int(kilobytes) / 1024)
    return min(walls), min(cpus), max(peaks)


def main() -> None:
    args = options(__doc__, records=100_000, runs=1)
    annot = tool("annot", "pip install -e '.[parquet]'")
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "corpus"
        write_corpus(args.records, repo)
        out = Path(tmp) / "out"
        out.mkdir()
        commands = {
            "annot validate": [annot, "validate"],
            "annot export --format parquet": [annot, "export", "--format", "parquet", "--force",
                                              "-o", str(out / "events.parquet")],
            "annot export --format plover": [annot, "export", "--format", "plover", "--force",
                                             "-o", str(out / "events.jsonl")],
        }
        print(f"{args.records} records")
        base_wall = base_cpu = 0.0
        for name, command in commands.items():
            wall, cpu, _ = measure(command, repo, args.runs)
            memory = peak_memory(command, repo)  # every process: the workers too
            base_wall, base_cpu = base_wall or wall, base_cpu or cpu
            print(f"{name:30} wall {wall:7.2f} s {wall / base_wall:5.2f}x  cpu {cpu:7.2f} s "
                  f"{cpu / base_cpu:5.2f}x validate  peak {memory:5.0f} MB", flush=True)

if __name__ == "__main__":
    main()
