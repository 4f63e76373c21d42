"""How long `annot summary` takes next to `annot validate` on the same corpus, and its peak memory.

The issue's target: on 100,000 records the summary takes at most 1.3x what validate takes.
The commands run in turn, round after round; prints each wall and CPU time (best of the rounds),
the ratio to validate of the round's times (the median over rounds, and the best), and each
command's peak memory, for the terminal tables and for JSON.

usage: python benchmarks/summary_speed.py [--records N] [--runs K]
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
    annot = tool("annot")
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "corpus"
        write_corpus(args.records, repo)
        print(f"{args.records} records, {args.runs} rounds")
        side_by_side({"annot validate": [annot, "validate"], "annot summary": [annot, "summary"],
                      "annot summary --format json": [annot, "summary", "--format", "json"]}, repo, args.runs)


if __name__ == "__main__":
    main()
