"""What an actor registry costs: validate and summary of N records, with and without a
registry of K actors that knows every participant by name (the lookups every party makes).

usage: python benchmarks/actors_speed.py [--records N] [--runs K] [--actors K]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_time, tool  # noqa: E402
from corpus import NAMES, SURNAMES, write_corpus  # noqa: E402


def registry(count: int) -> str:
    """`count` actors: every name the corpus writes, then filler people with aliases."""
    lines = ["# yaml-language-server: $schema=schema/actors.schema.json"]
    people = [f"{first} {last}" for first in NAMES for last in SURNAMES]
    for i in range(count):
        name = people[i] if i < len(people) else f"Person {i:05d}"
        ident = f"actor-{i:05d}"
        lines += [f"{ident}:", f"  name: {name}", "  kind: person", f"  aliases: [Alias {i:05d}]"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--actors", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    annot = tool("annot")
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "corpus"
        write_corpus(args.records, repo)
        rows = []
        for label, command in (("validate", [annot, "validate"]),
                               ("summary --format json", [annot, "summary", "--format", "json"])):
            (repo / "actors.yaml").unlink(missing_ok=True)
            without = best_time(command, repo, args.runs)
            (repo / "actors.yaml").write_text(registry(args.actors), "utf-8")
            with_registry = best_time(command, repo, args.runs)
            rows.append((label, without, with_registry))
    print(f"{args.records} records, {args.actors} actors (best of {args.runs})")
    print(f"{'':<24}{'no registry':>14}{'registry':>12}{'ratio':>8}")
    for label, without, with_registry in rows:
        print(f"{label:<24}{without:>12.2f} s{with_registry:>10.2f} s{with_registry / without:>7.2f}x")


if __name__ == "__main__":
    main()
