"""How long `annot summary` takes next to `annot validate` on the same corpus.

The issue's target: on 100,000 records the summary takes at most 1.3x what
validate takes. Prints each wall time (best of several runs) and the ratios,
for the terminal tables and for JSON.

usage: python benchmarks/summary_speed.py [--records N] [--runs K]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_time, options, tool  # noqa: E402
from corpus import write_corpus  # noqa: E402


def main() -> None:
    args = options(__doc__, records=100_000, runs=1)
    annot = tool("annot")
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "corpus"
        write_corpus(args.records, repo)
        validate = best_time([annot, "validate"], repo, args.runs)
        text = best_time([annot, "summary"], repo, args.runs)
        as_json = best_time([annot, "summary", "--format", "json"], repo, args.runs)
    print(f"{args.records} records")
    print(f"annot validate          {validate:7.2f} s")
    print(f"annot summary           {text:7.2f} s   {text / validate:.2f}x validate")
    print(f"annot summary --format json {as_json:5.2f} s   {as_json / validate:.2f}x validate")


if __name__ == "__main__":
    main()
