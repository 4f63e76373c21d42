"""How much faster `annot validate` is than check-jsonschema, same records, same schema.

Prints the wall time of each tool on 2,000 records and on one record of that
repository (the pre-commit case), best of several runs, and the ratios. The
issue's targets: at least 4x on 2,000 records and 3x on one.

usage: python benchmarks/validate_speed.py [--records N] [--runs K]
(check-jsonschema comes with `pip install -e '.[bench]'`; ruamel.yaml.clib
makes it as fast as it gets.)
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # noqa: E402

SCHEMA = Path(__file__).resolve().parent.parent / "schema" / "event.schema.json"


def best_time(command: list[str], cwd: Path, runs: int, expect: int = 0) -> float:
    """The fastest of `runs` wall times of `command`, checking its exit status."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True)
        times.append(time.perf_counter() - start)
        if done.returncode != expect:
            sys.exit(f"{' '.join(command[:3])}... exited {done.returncode}:\n"
                     f"{done.stdout.decode()[-2000:]}{done.stderr.decode()[-2000:]}")
    return min(times)


def annot_package() -> str:
    """The folder of the annot package that the `annot` on PATH runs."""
    done = subprocess.run(
        [shutil.which("annot") or "annot", "--version"], capture_output=True, check=True
    )
    assert done.stdout
    import annot

    return str(Path(annot.__file__).parent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    annot = shutil.which("annot")
    checker = shutil.which("check-jsonschema")
    if not annot or not checker:
        sys.exit("needs `annot` and `check-jsonschema` on PATH: pip install -e '.[bench]'")
    # An installed package ships compiled bytecode; an editable one may not
    # (PYTHONDONTWRITEBYTECODE), and compiling on every run is not what users pay.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(annot_package()))], check=True)
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
