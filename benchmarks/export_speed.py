"""How long `annot export` takes next to `annot validate` on the same corpus, and its peak memory.

The issue's target: on 100,000 records, export to Parquet and to PLOVER JSON Lines takes at
most 1.3x what validate takes (issue 15 asked 1.5x), with a peak resident memory under 300 MB.
The commands run in turn, round after round (a shared machine's speed drifts over minutes; a
round measures them side by side). Prints each wall and CPU time (best of the rounds), the ratio
to validate of the round's times (the median over rounds, and the best), and each command's peak
memory (the proportional set size of all its processes, workers included, summed).

usage: python benchmarks/export_speed.py [--records N] [--runs K]
"""

from __future__ import annotations

import statistics
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


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """The wall and CPU times of one run of `command` (s)."""
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=cwd, capture_output=True,
                          text=True, check=True)
    wall, cpu, _, status = done.stdout.split()
    if status != "0":
        sys.exit(f"{' '.join(command[:3])}... exited {status}")
    return float(wall), float(cpu)


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
        print(f"{args.records} records, {args.runs} rounds")
        rounds = [{name: measure(command, repo) for name, command in commands.items()}
                  for _ in range(args.runs)]
        for name, command in commands.items():
            walls = [r[name][0] for r in rounds]
            cpus = [r[name][1] for r in rounds]
            ratios = [r[name][0] / r["annot validate"][0] for r in rounds]
            cpu_ratios = [r[name][1] / r["annot validate"][1] for r in rounds]
            memory = peak_memory(command, repo)  # every process: the workers too
            print(f"{name:30} wall {min(walls):7.2f} s  cpu {min(cpus):7.2f} s  "
                  f"x validate: wall {statistics.median(ratios):5.2f} (best {min(ratios):4.2f})  "
                  f"cpu {statistics.median(cpu_ratios):5.2f} (best {min(cpu_ratios):4.2f})  "
                  f"peak {memory:5.0f} MB", flush=True)

if __name__ == "__main__":
    main()
