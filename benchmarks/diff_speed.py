"""`annot diff` of two folders of N records that differ in D of them, against GNU `diff -r`.

usage: python benchmarks/diff_speed.py [--records N] [--runs K] [--changed D]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_time, tool  # noqa: E402
from corpus import write_corpus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--changed", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    annot, gnu = tool("annot"), tool("diff", "apt-get install diffutils")
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        write_corpus(args.records, old)
        new = Path(tmp) / "new"
        shutil.copytree(old, new)
        every = max(1, args.records // args.changed)
        for path in sorted((new / "events").glob("*.yaml"))[::every][: args.changed]:
            text = path.read_text("utf-8")
            path.write_text(text.replace("status: draft", "status: reviewed\n  reviewer: R"))
        ours = best_time([annot, "diff", "old/events", "new/events"], Path(tmp), args.runs, expect=1)
        theirs = best_time([gnu, "-r", "old/events", "new/events"], Path(tmp), args.runs, expect=1)
    print(f"{args.records} records, {args.changed} changed (best of {args.runs})")
    print(f"annot diff {ours:.2f} s, diff -r {theirs:.2f} s: {ours / theirs:.1f}x diff -r (target: under 5x)")


if __name__ == "__main__":
    main()
