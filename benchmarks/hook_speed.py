"""What the pre-commit hook adds to `git commit` of one staged record.

Times `git commit` of a one-line change to one record, with the hook and
with --no-verify in turn, in a repository of N records (best of several rounds). The
issue's target: under 100 ms added at 20,000 records. Then the least any hook
written in Python with these parsers pays: starting Python and importing PyYAML
and jsonschema-rs, and the one git call that says what is staged.

usage: python benchmarks/hook_speed.py [--records N] [--runs K]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_time, options, tool  # noqa: E402
from corpus import write_corpus  # noqa: E402

ENV = {**os.environ, "GIT_AUTHOR_NAME": "B", "GIT_AUTHOR_EMAIL": "b@example.org",
       "GIT_COMMITTER_NAME": "B", "GIT_COMMITTER_EMAIL": "b@example.org"}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=ENV, check=True, capture_output=True)


def commit_times(repo: Path, record: Path, runs: int) -> tuple[float, float]:
    """The best times of `git commit` of a one-line change, without the hook and with it, the two
    taken in turn round after round (a shared machine's speed drifts from one minute to the next)."""
    best = {"--no-verify": float("inf"), "": float("inf")}
    for n in range(runs):
        for extra in best:
            text = record.read_text("utf-8")
            record.write_text(text.replace("summary: ", f"summary: ({n}{extra}) ", 1), "utf-8")
            git(repo, "add", str(record))
            start = time.perf_counter()
            subprocess.run(["git", "commit", "-q", "-m", "change", *([extra] if extra else [])], cwd=repo,
                           env=ENV, check=True, capture_output=True)
            best[extra] = min(best[extra], time.perf_counter() - start)
    return best["--no-verify"], best[""]


def main() -> None:
    args = options(__doc__, records=20_000, runs=7)
    annot = tool("annot")
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "corpus"
        paths = write_corpus(args.records, repo)
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "corpus")
        subprocess.run([annot, "hook", "install"], cwd=repo, check=True, capture_output=True)
        record = paths[len(paths) // 2]
        without, with_hook = commit_times(repo, record, args.runs)
        record.write_text(record.read_text("utf-8").replace("summary: ", "summary: (staged) ", 1), "utf-8")
        git(repo, "add", str(record))
        start = best_time([sys.executable, "-c", "import yaml, jsonschema_rs"], repo, args.runs)
        staged = best_time(["git", "diff", "--cached", "--raw", "-z", "--no-renames", "--no-abbrev"],
                           repo, args.runs)
        check = best_time([annot, "validate", "--staged"], repo, args.runs)
    print(f"git commit of one record, {args.records} records in the repository")
    print(f"  without the hook   {without * 1000:6.0f} ms")
    print(f"  with the hook      {with_hook * 1000:6.0f} ms   (+{(with_hook - without) * 1000:.0f} ms)")
    print(f"annot validate --staged alone {check * 1000:6.0f} ms; the least a Python hook pays: "
          f"{(start + staged) * 1000:.0f} ms")
    print(f"  python -c 'import yaml, jsonschema_rs' {start * 1000:6.0f} ms")
    print(f"  git diff --cached (what is staged)     {staged * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
