"""The public conformance cases, run in-process: exit status and exact problems."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import TESTS

CASES = sorted(p for p in (TESTS / "conformance" / "cases").iterdir() if (p / "expect.json").exists())


def _key(problem: dict, line: bool, pointer: bool) -> tuple:
    key = [problem["file"], problem["rule"]]
    if line:
        key.append(problem.get("line"))
    if pointer:
        key.append(problem.get("pointer") or "")
    return tuple(key)


def _mismatches(expect: dict, exit_code: int, got: list[dict]) -> list[str]:
    why = []
    if exit_code != expect["exit"]:
        why.append(f"exit {exit_code}, expected {expect['exit']}")
    unmatched = list(got)
    for wanted in expect["problems"]:
        with_line, with_pointer = "line" in wanted, "pointer" in wanted
        hit = next(
            (g for g in unmatched
             if _key(g, with_line, with_pointer) == _key(wanted, with_line, with_pointer)),
            None,
        )
        if hit is None:
            why.append(f"missing {wanted}")
            continue
        unmatched.remove(hit)
        if wanted.get("contains") and wanted["contains"] not in hit["message"]:
            why.append(f"{hit['message']!r} lacks {wanted['contains']!r}")
    why += [f"unexpected {g}" for g in unmatched if g["severity"] == "error"]
    return why


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path, tmp_path: Path, run) -> None:
    work = tmp_path / case.name
    shutil.copytree(case, work, symlinks=True, ignore=shutil.ignore_patterns("expect.json"))
    result = run("validate", "--format", "json", cwd=work)
    expect = json.loads((case / "expect.json").read_text())
    assert _mismatches(expect, result.exit_code, json.loads(result.stdout)) == []
    assert result.stderr == ""


def test_installed_command_runs_a_case_the_way_a_hook_does(tmp_path: Path) -> None:
    case = TESTS / "conformance" / "cases" / "bad-role"
    work = tmp_path / "bad-role"
    shutil.copytree(case, work)
    done = subprocess.run(
        [sys.executable, "-m", "annot", "validate"], cwd=work, capture_output=True, text=True,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "events/2026-02-02-bamako-diop-checker.yaml:11:5: warning: no evidence quote names "
        "participant 'Abdoulaye Diop' (add one with about: /participants/0) "
        "[evidence] at /participants/0",
        "events/2026-02-02-bamako-diop-checker.yaml:22:11: error: role \"visitor\" is not "
        "allowed: expected one of actor, recipient, mediator, attendee "
        "[schema] at /participants/1/role",
        "1 file checked: 1 error, 1 warning",
    ]
    assert done.stderr == ""
