"""A plain `annot validate` runs without click (quick.py) and prints what the click command prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annot.quick import Plain, plain_validate

from .conftest import SEED_ID, seed_with

SEED = f"events/{SEED_ID}.yaml"

# The click command line, whatever the arguments: the path every other command takes.
THROUGH_CLICK = ("import sys; sys.argv[0] = 'annot'; import annot.main; annot.main.prepare_process(); "
                 "from annot.cli import run; run()")
# The console script's start, reporting afterwards whether click was imported.
THROUGH_MAIN = ("import sys; sys.argv[0] = 'annot'; import annot.main\n"
                "try:\n    annot.main.run()\n"
                "finally:\n    sys.stderr and sys.stderr.write('click imported' if 'click' in sys.modules else '')")


def both(cwd: Path, *args: str, stdin: str | None = "", env: dict[str, str] | None = None, closed: int | None = None
         ) -> tuple[subprocess.CompletedProcess[bytes], subprocess.CompletedProcess[bytes]]:
    """The same command line run through annot's start and through click (with the
    descriptor `closed` closed: 0, 1 or 2)."""
    environment = {**os.environ, **(env or {})}
    for name in ("NO_COLOR", "FORCE_COLOR", "ANNOT_DEBUG", "_ANNOT_COMPLETE"):
        if name not in (env or {}):
            environment.pop(name, None)
    runs = [subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=environment,
                           input=None if stdin is None else stdin.encode(), capture_output=True, timeout=120,
                           preexec_fn=None if closed is None else lambda: os.close(closed))
            for code in (THROUGH_MAIN, THROUGH_CLICK)]
    return runs[0], runs[1]


def same(cwd: Path, *args: str, stdin: str | None = "", env: dict[str, str] | None = None,
         closed: int | None = None) -> tuple[int, str]:
    """Run both ways; assert the quick start took no click and printed the same bytes."""
    quick, full = both(cwd, *args, stdin=stdin, env=env, closed=closed)
    assert not quick.stderr.endswith(b"click imported"), quick.stderr
    assert (quick.returncode, quick.stdout, quick.stderr) == (full.returncode, full.stdout, full.stderr)
    return quick.returncode, (quick.stdout + quick.stderr).decode("utf-8", "replace")


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
                   cwd=cwd, check=True, capture_output=True)


def test_a_clean_repository(repo: Path) -> None:
    code, output = same(repo, "validate")
    assert (code, output.splitlines()[-1]) == (0, "1 file checked: 0 errors, 1 warning")


def test_errors_across_files_and_a_broken_file(repo: Path) -> None:
    (repo / "events" / "copy.yaml").write_text(seed_with(("\ntopics:", "\nrelated: [2026-01-01-nowhere-x]\ntopics:")))
    (repo / "events" / "broken.yaml").write_text("id: [unclosed\n")
    (repo / "events" / "odd.yaml").write_text(seed_with(("name: Abdoulaye Diop", 'name: "Abdoulaye \\e[31mDiop"')))
    code, output = same(repo, "validate")
    assert code == 1 and "is also the id of" in output and "broken.yaml:2:1: error" in output
    assert "\x1b" not in output and "'Abdoulaye \\x1b[31mDiop'" in output


def test_one_file_strict_and_forced_colour(repo: Path) -> None:
    (repo / "events" / "w.yaml").write_text(seed_with(("Abdoulaye Diop", "Abdoulaye  Diop")))
    for args in (("validate", SEED), ("validate", "--strict", "events/w.yaml"), ("validate", "events/w.yaml")):
        same(repo, *args)
    code, output = same(repo, "validate", "--strict", env={"FORCE_COLOR": "1"})
    assert "\x1b[" in output


def test_trouble_a_missing_path_an_empty_one_and_a_broken_config(repo: Path) -> None:
    assert same(repo, "validate", "nowhere.yaml")[0] == 2
    same(repo, "validate", "")
    (repo / "annot.yaml").write_text("events: [\n")
    code, output = same(repo, "validate")
    assert code == 2 and output.startswith("annot.yaml:")


def test_standard_input(repo: Path) -> None:
    text = (repo / SEED).read_text("utf-8")
    (repo / SEED).unlink()
    assert same(repo, "validate", "-", stdin=text)[0] == 0
    code, output = same(repo, "validate", "-", stdin=text.replace(f"id: {SEED_ID}", "id: 7"))
    assert code == 1 and output.startswith("-:2:5: error:")
    alone = "annot: error: -: standard input is one record, checked alone: give `-` and no other path " \
        "(./- is a file named -)\n"
    assert same(repo, "validate", "-", "-", stdin=text) == (2, alone)
    assert same(repo, "validate", "events", "-", stdin=text) == (2, alone)


def test_staged_records(repo: Path) -> None:
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    assert same(repo, "validate", "--staged")[0] == 0
    (repo / SEED).write_text(seed_with(("role: actor", "role: visitor")))
    git(repo, "add", "-A")
    code, output = same(repo, "validate", "--staged", "--strict")
    assert code == 1 and 'role "visitor"' in output
    # git is asked what is staged before the top of the work tree is known: from a subfolder,
    # and with diff.relative set, it still names every path from the top.
    git(repo, "config", "diff.relative", "true")
    (repo / "notes").mkdir()
    code, output = same(repo / "notes", "validate", "--staged")
    assert code == 1 and output.startswith(f"../{SEED}:")


def test_a_locale_never_set_gets_utf8_both_ways(repo: Path) -> None:
    (repo / "events" / "été.yaml").write_text(seed_with(("mode: visit", "mode: vïsité")))
    code, output = same(repo, "validate", env={"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii"})
    assert code == 1 and "events/été.yaml:4:7: error: mode 'vïsité'" in output


def test_closed_streams(repo: Path) -> None:
    # Started with stdout closed: the status alone says; stdin closed: `-` is trouble; stderr
    # closed: the status still says trouble.
    assert same(repo, "validate", closed=1) == (0, "")
    (repo / "events" / "bad.yaml").write_text("id: [\n")
    assert same(repo, "validate", closed=1) == (1, "")
    assert same(repo, "validate", "-", stdin=None, closed=0) == (2, "annot: error: -: standard input is closed\n")
    assert same(repo, "validate", "nowhere.yaml", closed=2) == (2, "")


def test_an_error_naming_a_path_with_a_newline_is_one_line(repo: Path) -> None:
    assert same(repo, "validate", "no\nwhere.yaml") == (2, "annot: error: no\\nwhere.yaml: no such file or folder\n")


def test_outside_any_repository(tmp_path: Path) -> None:
    assert same(tmp_path, "validate", "--staged")[0] == 2


@pytest.mark.parametrize("argv", [
    ["validate", "--format", "json"], ["validate", "--format=json"], ["validate", "-h"], ["validate", "--help"],
    ["validate", "--", "x.yaml"], ["validate", "--stagd"], ["--no-color", "validate"], ["summary"], [],
    ["validate", "-x"],
])
def test_every_other_command_line_goes_to_click(argv: list[str]) -> None:
    assert plain_validate(argv) is None


def test_the_plain_forms(monkeypatch: pytest.MonkeyPatch) -> None:
    assert plain_validate(["validate"]) == Plain((), False, False)
    assert plain_validate(["validate", "a.yaml", "--strict", "-", "--staged", "b/"]) == Plain(
        ("a.yaml", "-", "b/"), True, True)
    monkeypatch.setenv("_ANNOT_COMPLETE", "bash_complete")
    assert plain_validate(["validate"]) is None


def test_other_forms_still_work_through_the_console_script(repo: Path) -> None:
    quick, full = both(repo, "validate", "--format", "json")
    assert quick.stderr.endswith(b"click imported")
    assert (quick.returncode, quick.stdout) == (full.returncode, full.stdout)
    assert quick.returncode == 0 and quick.stdout.startswith(b'[\n  {\n    "file": ')
