"""How long `annot export` takes next to `annot validate` on the same corpus, and its peak memory.

The issue's target: on 100,000 records, export to Parquet and to PLOVER JSON Lines takes at
most 1.5x what validate takes, with a peak resident memory under 300 MB. Prints each wall
time (best of several runs), the ratio to validate, and each command's peak memory.

usage: python benchmarks/export_speed.py [--records N] [--runs K]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_time, options, tool  # noqa: E402
from corpus import write_corpus  # noqa: E402

# Runs a command and prints the peak resident memory of it (and its children), in kB.
PEAK = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def peak_mb(command: list[str], cwd: Path) -> float:
    """The peak resident memory of one run of `command`, in MB."""
    done = subprocess.run([sys.executable, "-c", PEAK, *command], cwd=cwd, capture_output=True,
                          text=True, check=True)
    return int(done.stdout) / 1024


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
        validate = 0.0
        for name, command in commands.items():
            seconds = best_time(command, repo, args.runs)
            validate = validate or seconds
            memory = peak_mb(command, repo)
            print(f"{name:32} {seconds:7.2f} s  {seconds / validate:5.2f}x validate  "
                  f"peak {memory:6.0f} MB")


if __name__ == "__main__":
    main()
