"""`annot validate` against check-jsonschema and the floor script, from one record to 100,000.

For each size: the wall time of annot, of check-jsonschema (same records, same schema) and of
`floor.py` (libyaml parsing and the compiled schema check in one process: no rules, no
positions), best of several runs; each ratio; and annot's peak memory, its workers included.
The issue's targets: >= 4x check-jsonschema on one record and >= 6x on 2,000; faster than the
floor at 20,000 and 100,000; under 300 MB at 100,000.

usage: python benchmarks/validate_speed.py [--sizes 1,2000,20000,100000] [--runs K]
                                           [--checker-up-to N]
(check-jsonschema comes with `pip install -e '.[bench]'`; ruamel.yaml.clib makes it as fast as
it gets. It takes minutes at 100,000 records: --checker-up-to leaves it out above N.)
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import best_time, peak_memory, tool  # noqa: E402
from corpus import write_corpus  # noqa: E402

SCHEMA = HERE.parent / "schema" / "event.schema.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,2000,20000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--checker-up-to", type=int, default=20_000)
    args = parser.parse_args()
    annot, checker = tool("annot"), tool("check-jsonschema")
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"{'records':>8}{'annot':>10}{'check-jsonschema':>22}{'floor script':>20}{'annot memory':>14}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            # One record: the pre-commit case, a record named in a repository of 2,000.
            repo = Path(tmp) / f"corpus-{max(size, 2000) if size == 1 else size}"
            if not repo.exists():
                write_corpus(2000 if size == 1 else size, repo)
            events = sorted(str(p.relative_to(repo)) for p in (repo / "events").iterdir())
            named = [events[len(events) // 2]] if size == 1 else events
            ours = [annot, "validate", *named] if size == 1 else [annot, "validate"]
            runs = args.runs if size <= 20_000 else 1
            t_ours = best_time(ours, repo, runs)
            floor = [sys.executable, str(HERE / "floor.py"), str(SCHEMA), named[0] if size == 1 else "events"]
            t_floor = best_time(floor, repo, runs)
            if size <= args.checker_up_to:
                t_theirs = best_time([checker, "--schemafile", str(SCHEMA), *named], repo, runs)
                theirs = f"{t_theirs:8.2f} s ({t_theirs / t_ours:4.1f}x)"
            else:
                theirs = f"{'(not run)':>18}"
            memory = peak_memory(ours, repo)
            print(f"{size:>8}{t_ours:>8.2f} s{theirs:>22}{t_floor:>10.2f} s ({t_floor / t_ours:4.2f}x)"
                  f"{memory:>10.0f} MB", flush=True)
            if size > 2000:
                shutil.rmtree(repo)
    print("ratios: how many times annot's time the other tool takes (above 1: annot is faster)")


if __name__ == "__main__":
    main()
