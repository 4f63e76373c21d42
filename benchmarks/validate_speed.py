"""How much faster `annot validate` is than check-jsonschema, same records, same schema.

Prints the wall time of each tool on 2,000 records and on one record of that
repository (the pre-commit case), best of several runs, and the ratios. The
issue's targets: at least 4x on 2,000 records and 3x on one.

usage: python benchmarks/validate_speed.py [--records N] [--runs K]
(check-jsonschema comes with `pip install -e '.[bench]'`; ruamel.yaml.clib
makes it as fast as it gets.)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_time, options, tool  # noqa: E402
from corpus import write_corpus  # noqa: E402

SCHEMA = Path(__file__).resolve().parent.parent / "schema" / "event.schema.json"


def main() -> None:
    args = options(__doc__, records=2000, runs=5)
    annot, checker = tool("annot"), tool("check-jsonschema")
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "corpus"
        paths = write_corpus(args.records, repo)
        files = [str(p.relative_to(repo)) for p in paths]
        one = files[len(files) // 2]
        rows = []
        for label, ours, theirs in [
            (f"{len(files)} records", [annot, "validate"],
             [checker, "--schemafile", str(SCHEMA), *files]),
            ("1 record", [annot, "validate", one], [checker, "--schemafile", str(SCHEMA), one]),
        ]:
            t_ours = best_time(ours, repo, args.runs)
            t_theirs = best_time(theirs, repo, args.runs)
            rows.append((label, t_theirs, t_ours))
    print(f"{'':<16}{'check-jsonschema':>18}{'annot validate':>16}{'ratio':>8}")
    for label, t_theirs, t_ours in rows:
        print(f"{label:<16}{t_theirs * 1000:>15.0f} ms{t_ours * 1000:>13.0f} ms"
              f"{t_theirs / t_ours:>7.1f}x")


if __name__ == "__main__":
    main()
