"""The README says what the code does: its rule table is the registry, and the tour's
outputs on the shipped examples are what the commands print."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from annot.rules import RULES

from .conftest import EXAMPLES, PROJECT

README = (PROJECT / "README.md").read_text("utf-8")


def test_the_rule_table_is_the_registry() -> None:
    table = README.split("| rule | problem |\n|---|---|\n", 1)[1].split("\n\n", 1)[0]
    rows = [re.fullmatch(r"\| `([a-z-]+)` \| (.*) \|", line) for line in table.splitlines()]
    assert all(rows), table
    assert [(m[1], m[2]) for m in rows if m] == [(r.id, r.finds) for r in RULES.values()]


def tour_blocks() -> list[tuple[str, str]]:
    """(command, output) of each `$ annot ...` in a console block that starts with `$ cd examples`."""
    found = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        if not block.startswith("$ cd examples\n"):
            continue
        for command, output in re.findall(r"^\$ (annot[^\n]*)\n(.*?)(?=^\$ |\Z)", block, re.S | re.M):
            found.append((command, output))
    return found


@pytest.mark.parametrize(("command", "output"), tour_blocks(), ids=[c for c, _ in tour_blocks()])
def test_the_tour_shows_what_the_commands_print(run, monkeypatch, command: str, output: str) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    result = run(*shlex.split(command)[1:], cwd=EXAMPLES)
    assert result.stdout == output


def test_the_tour_runs_something() -> None:
    assert len(tour_blocks()) >= 3


def test_the_pre_commit_snippet_works_as_pasted(repo: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from .conftest import SEED_ID, git, seed_with

    snippet = README.split("```yaml\nrepos:\n  - repo: local\n", 1)[1].split("```", 1)[0]
    (repo / ".pre-commit-config.yaml").write_text("repos:\n  - repo: local\n" + snippet)
    git(repo, "init", "-q")
    (repo / "events" / f"{SEED_ID}.yaml").write_text(seed_with(("role: actor", "role: visitor")))
    git(repo, "add", "-A")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    done = subprocess.run([sys.executable, "-m", "pre_commit", "run"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"events/{SEED_ID}.yaml:22:11: error: role \"visitor\" is not allowed" in done.stdout
