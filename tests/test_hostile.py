"""Hostile input (SPEC section 5): links out of the repository, FIFOs, control characters,
markup, huge numbers, conflict markers, odd file names and locales. One located line each,
exit 1 for a bad record and 2 for trouble outside them, nothing read or written outside."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SEED_ID, git, seed_with

SEED = f"events/{SEED_ID}.yaml"


def errors(lines: list[str]) -> list[str]:
    return [line for line in lines if ": warning: " not in line]


def test_a_source_linked_out_of_the_repository_is_not_read(repo: Path, run, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Le 2 février 2026")
    source = repo / "sources" / "mali-usa-audience-2026-02-02.fr.txt"
    source.unlink()
    source.symlink_to(secret)
    result = run("validate", cwd=repo)
    assert errors(result.lines) == [
        f"{SEED}:34:9: error: source text sources/mali-usa-audience-2026-02-02.fr.txt is a symbolic link "
        "out of the repository: not read [source] at /source/text",
        "1 file checked: 1 error, 1 warning",
    ]


def test_a_folder_linked_to_the_root_of_the_file_system_is_not_walked(repo: Path, run) -> None:
    (repo / "events" / "root").symlink_to("/")
    result = run("validate", cwd=repo)
    assert errors(result.lines) == [
        "events/root:1:1: error: a symbolic link out of the repository: not followed [yaml]",
        "2 files checked: 1 error, 1 warning",
    ]


def test_a_record_linked_out_of_the_repository_is_neither_read_nor_echoed(repo: Path, run, tmp_path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("secret: TOP SECRET\n")
    (repo / "events" / "x.yaml").symlink_to(outside)
    result = run("validate", cwd=repo)
    assert "TOP SECRET" not in result.stdout + result.stderr
    assert "events/x.yaml:1:1: error: a symbolic link out of the repository: not followed [yaml]" in result.lines


def test_two_links_to_one_folder_are_searched_once_and_are_no_loop(repo: Path, run) -> None:
    shutil.move(repo / "events" / f"{SEED_ID}.yaml", repo / "events.yaml")
    (repo / "events" / "real").mkdir()
    shutil.move(repo / "events.yaml", repo / "events" / "real" / f"{SEED_ID}.yaml")
    (repo / "events" / "a").symlink_to("real")
    (repo / "events" / "b").symlink_to("real")
    result = run("validate", cwd=repo)
    assert result.exit_code == 0 and "loop" not in result.stdout
    (repo / "events" / "real" / "up").symlink_to("..")
    looped = run("validate", cwd=repo)
    assert "symbolic link loop: it leads back to a folder above it [yaml]" in looped.stdout


@pytest.mark.parametrize("name", ["annot.yaml", ".gitattributes", "schema"])
def test_init_never_writes_through_a_link(tmp_path: Path, run, name: str) -> None:
    desk = tmp_path / "desk"
    desk.mkdir()
    git(desk, "init", "-q")
    (desk / name).symlink_to(tmp_path / "elsewhere")
    result = run("init", cwd=desk)
    assert (result.exit_code, result.stderr) == (
        2, f"annot: error: {name} is a symbolic link; annot init does not write through links\n")
    assert not (tmp_path / "elsewhere").exists()


def test_fifos_where_init_and_hook_read_never_hang(tmp_path: Path) -> None:
    desk = tmp_path / "desk"
    desk.mkdir()
    git(desk, "init", "-q")
    os.mkfifo(desk / ".gitattributes")
    os.mkfifo(desk / ".git" / "hooks" / "pre-commit")

    def annot(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "annot", *args], cwd=desk, capture_output=True,
                              text=True, timeout=60, stdin=subprocess.DEVNULL)

    init = annot("init")
    assert init.returncode == 2
    assert init.stderr == "annot: error: .gitattributes: cannot read: not a regular file (a FIFO, socket or device)\n"
    status = annot("hook", "status")
    assert status.returncode == 1 and "another tool's hook" in status.stdout


@pytest.mark.parametrize(
    ("edit", "line"),
    [
        (("text: sources/mali-usa-audience-2026-02-02.fr.txt", 'text: "sources/\\0mali.txt"'),
         f"{SEED}:34:9: error: source text sources/\\x00mali.txt cannot be read: a path cannot hold a NUL "
         "character [source] at /source/text"),
        (("summary: Mali's", 'summary: "\\e[31mred\\u2028\\u202e"\nx: 1\n#'),
         f"{SEED}:31:1: error: unknown key 'x' [schema] at /x"),
        (("id: 2026-02-02-bamako-diop-checker", "id: 2026-02-02-bamako-diop-checker\nn: " + "9" * 5000),
         f"{SEED}:3:4: error: a number of 5000 digits: longer than a record has use for [yaml]"),
    ],
)
def test_one_clear_line_for_each(repo: Path, run, edit: tuple[str, str], line: str) -> None:
    (repo / SEED).write_text(seed_with(edit))
    result = run("validate", cwd=repo)
    assert result.exit_code == 1
    assert errors(result.lines)[0] == line
    assert "\x1b" not in result.stdout and "\u2028" not in result.stdout


def test_conflict_markers_are_named(repo: Path, run) -> None:
    (repo / SEED).write_text("<<<<<<< HEAD\n" + SEED_RECORD_HEAD + "=======\nid: other\n>>>>>>> theirs\n")
    result = run("validate", cwd=repo)
    assert errors(result.lines)[0] == (
        f"{SEED}:1:1: error: unresolved merge conflict: git's conflict markers are still in the file "
        "(resolve the conflict first) [yaml]")


SEED_RECORD_HEAD = "id: 2026-02-02-bamako-diop-checker\n"


def test_markup_and_escapes_in_values_print_as_text(repo: Path, run, monkeypatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    (repo / SEED).write_text(seed_with(("place: Bamako", 'place: "[/bogus] [link=https://evil.example]x[/link]\\e]8;;x\\a"')))
    result = run("summary", cwd=repo)
    assert result.exit_code == 0, result.stderr
    assert "[/bogus] [link=https://evil.example]x[/link]\\x1b]8;;x\\x07" in result.stdout
    assert "\x1b]8" not in result.stdout  # no live terminal hyperlink


def test_json_is_valid_json_with_nan_and_names_that_are_not_utf8(repo: Path, run) -> None:
    (repo / "events" / "nan.yaml").write_text("id: .nan\n")
    odd = os.fsencode(repo / "events") + b"/\xff.yaml"
    with open(odd, "w") as handle:
        handle.write("id: x\n")
    result = run("validate", "--format", "json", cwd=repo)
    data = json.loads(result.stdout)
    assert {p["file"] for p in data} >= {"events/nan.yaml", "events/\\xff.yaml"}
    assert any(p["message"] == "id must be a string, not the number nan" for p in data)


def test_any_locale_gets_output_without_a_crash(repo: Path) -> None:
    (repo / SEED).write_text(seed_with(("name: Abdoulaye Diop", "name: Абдулай Диоп")))
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii", "PYTHONUTF8": "0"}
    for command in (["validate"], ["summary"]):
        done = subprocess.run([sys.executable, "-m", "annot", *command], cwd=repo, env=env,
                              capture_output=True, timeout=60)
        assert (done.returncode, done.stderr) == (0, b"")
        # click writes UTF-8 to a stream it finds misconfigured; Rich escapes what the locale lacks.
        assert "Абд".encode() in done.stdout or b"\\u0410\\u0431\\u0434" in done.stdout


def test_events_that_is_a_file_is_trouble(repo: Path, run) -> None:
    shutil.rmtree(repo / "events")
    (repo / "events").write_text("not a folder\n")
    result = run("validate", cwd=repo)
    assert (result.exit_code, result.stderr) == (
        2, "annot: error: events is not a folder: the records folder must be one\n")


@pytest.mark.parametrize(
    ("value", "line"),
    [
        # libyaml counts U+2028, U+2029 and U+0085 as line breaks; editors and YAML 1.2 do not.
        ('summary: "x\u2028y\u2029z\x85w"\n', f"{SEED}:31:1: error: unknown key 'nope' [schema] at /nope"),
        ("summary: x\x07y\n", f"{SEED}:30:11: error: YAML syntax error: control characters are not allowed "
                              "(character U+0007) [yaml]"),
        ("summary: x\x00y\n", f"{SEED}:30:11: error: YAML syntax error: control characters are not allowed "
                              "(character U+0000) [yaml]"),
    ],
)
def test_positions_count_lines_as_editors_do(repo: Path, run, value: str, line: str) -> None:
    text = seed_with(("summary: Mali's foreign minister received a senior U.S. State Department official.\n",
                      value + "nope: 1\n"))
    (repo / SEED).write_text(text)
    assert errors(run("validate", cwd=repo).lines)[0] == line


def test_git_missing_is_named_as_such(repo: Path, run, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(repo))  # no git on it
    result = run("validate", "--staged", cwd=repo)
    assert (result.exit_code, result.stderr) == (2, "annot: error: git is not installed (or not on PATH)\n")


def test_a_megabyte_value_is_clipped_in_messages(repo: Path, run) -> None:
    (repo / SEED).write_text(seed_with(("type: consult", "type: " + "x" * 1_000_000)))
    result = run("validate", cwd=repo)
    assert result.exit_code == 1
    assert max(len(line) for line in result.lines) < 400
    assert errors(result.lines)[0].startswith(f'{SEED}:3:7: error: type "xxxxx')
