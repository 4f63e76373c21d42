"""What `annot add --no-input` costs next to one `annot validate` of the record it writes.

usage: python benchmarks/add_speed.py [--records N] [--runs K]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_time, options, tool  # noqa: E402
from corpus import write_corpus  # noqa: E402

SETTINGS = [
    "type=consult", "mode=visit", "date=2026-02-02", "location.place=Bamako",
    "location.country=MLI", "location.precision=inferred",
    "participants.0.ref=diop", "participants.0.name=Abdoulaye Diop", "participants.0.role=host",
    "participants.0.country=MLI", "participants.1.ref=checker", "participants.1.name=Nick Checker",
    "participants.1.role=guest", "participants.1.country=USA", "topics=diplomatic,economic",
    "source.text=sources/mali-usa-audience-2026-02-02.fr.txt", "evidence.0.about=/date",
    "evidence.0.quote=Le 2 février 2026", "annotation.annotator=Bench <b@example.org>",
]


def main() -> None:
    args = options(__doc__, records=2000, runs=7)
    annot = tool("annot")
    command = [annot, "add", "--no-input", "--force", "--id", "bench-added"]
    for setting in SETTINGS:
        command += ["--set", setting]
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "corpus"
        write_corpus(args.records, repo)
        add = float("inf")
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(command, cwd=repo, check=True, capture_output=True)
            add = min(add, time.perf_counter() - start)
        check = best_time([annot, "validate", "events/bench-added.yaml"], repo, args.runs)
    print(f"annot add --no-input          {add * 1000:6.0f} ms")
    print(f"annot validate of that record {check * 1000:6.0f} ms")
    print(f"add costs {add / check:.2f}x one validate (the difference is writing YAML with ruamel)")


if __name__ == "__main__":
    main()
