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

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import options, side_by_side, tool  # noqa: E402
from corpus import write_corpus  # noqa: E402


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
        side_by_side(commands, repo, args.runs)


if __name__ == "__main__":
    main()
