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


@pytest.mark.parametrize("links", [["x"], ["x", "y"], ["a"]])
def test_a_record_reached_through_a_link_to_its_folder_is_no_duplicate_of_itself(repo: Path, run,
                                                                                links: list[str]) -> None:
    (repo / "events" / "b").mkdir()
    shutil.move(repo / "events" / f"{SEED_ID}.yaml", repo / "events" / "b" / f"{SEED_ID}.yaml")
    for link in links:
        (repo / "events" / link).symlink_to("b")
    result = run("validate", cwd=repo)
    assert "[id]" not in result.stdout and result.exit_code == 0, result.stdout


def test_a_link_to_the_repository_root_is_a_loop_and_nothing_through_it_is_read(repo: Path, run) -> None:
    # The root holds the records folder: through the link, annot.yaml and every record again.
    (repo / "agreement").mkdir()
    shutil.copy(repo / "events" / f"{SEED_ID}.yaml", repo / "agreement")
    (repo / "events" / "root").symlink_to("..")
    result = run("validate", cwd=repo)
    assert [line for line in result.lines if "[evidence]" not in line] == [
        "events/root:1:1: error: symbolic link loop: it leads back to a folder above it [yaml]",
        "2 files checked: 1 error, 1 warning"]


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
        # 3,998 hexadecimal digits are 4,814 decimal ones: more than Python writes out (an
        # export, whose schema let the number through, stopped on it)
        (("id: 2026-02-02-bamako-diop-checker", "id: 2026-02-02-bamako-diop-checker\nn: 0x" + "f" * 3998),
         f"{SEED}:3:4: error: a number of 3998 hexadecimal digits: longer than a record has use for [yaml]"),
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


FIRST = Path(__file__).parent / "conformance" / "cases" / "first-schema-record"


@pytest.mark.parametrize(
    ("edit", "line"),
    [
        (("  precision: inferred\n", "  precision: inferred\n  precision: stated\n"),
         f"{SEED}:10:3: error: a key written twice: fix it (annot validate shows where) before upgrading "
         "[duplicate-key]"),
        (("summary: ", "summary:\t"),
         f"{SEED}:30:9: error: cannot be rewritten keeping its layout: found character '\\t' that cannot start "
         "any token [yaml]"),
    ],
)
def test_upgrade_names_what_it_cannot_rewrite_and_goes_on(tmp_path: Path, run, edit, line: str) -> None:
    shutil.copytree(FIRST, tmp_path / "r")
    text = (tmp_path / "r" / SEED).read_text()
    (tmp_path / "r" / SEED).write_text(text.replace(*edit))
    (tmp_path / "r" / "events" / "other.yaml").write_text(text.replace(f"id: {SEED_ID}", "id: other"))
    result = run("upgrade", cwd=tmp_path / "r")
    assert (result.exit_code, result.stderr) == (1, line + "\n")
    assert result.lines == ["upgraded events/other.yaml", "2 files checked: 1 upgraded, 1 unreadable"]


@pytest.mark.parametrize(
    ("schema", "message"),
    [("[" * 100_000 + "]" * 100_000, "s.json:1:1: error: nested too deeply to be a schema [config]"),
     ('{"minimum": ' + "1" * 5000 + "}", "s.json:1:1: error: not usable JSON: Exceeds the limit (4300 digits) "
                                         "for integer string conversion: value has 5000 digits [config]")],
)
def test_a_monstrous_custom_schema_is_a_configuration_error(repo: Path, run, schema: str, message: str) -> None:
    (repo / "s.json").write_text(schema)
    (repo / "annot.yaml").write_text("schema: s.json\n")
    result = run("validate", cwd=repo)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message + "\n")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("events: /etc\n", "annot.yaml:1:9: error: 'events' must be a path inside the repository, relative "
                           "to annot.yaml's folder [config]"),
        ("schema: ../s.json\n", "annot.yaml:1:9: error: 'schema' must be a path inside the repository, "
                                "relative to annot.yaml's folder [config]"),
        ("events: events\nevents: x\n", "annot.yaml:2:1: error: a key written twice [config]"),
    ],
)
def test_annot_yaml_keeps_to_the_repository(repo: Path, run, config: str, message: str) -> None:
    (repo / "annot.yaml").write_text(config)
    result = run("validate", cwd=repo)
    assert (result.exit_code, result.stderr) == (2, message + "\n")


def test_an_annot_yaml_linked_out_or_a_fifo_is_named(repo: Path, run, tmp_path: Path) -> None:
    (repo / "annot.yaml").unlink()
    (repo / "annot.yaml").symlink_to("/etc/passwd")
    assert run("validate", cwd=repo).stderr == (
        "annot.yaml:1:1: error: a symbolic link out of the repository: not read [config]\n")
    (repo / "annot.yaml").unlink()
    os.mkfifo(repo / "annot.yaml")
    assert run("validate", cwd=repo).stderr == (
        "annot.yaml:1:1: error: cannot read: not a regular file (a FIFO, socket or device) [config]\n")


def test_no_record_is_read_or_written_through_a_linked_folder(repo: Path, run, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    first = (FIRST / SEED).read_text()
    (outside / "zz.yaml").write_text(first)
    (repo / "events" / "sub").symlink_to(outside)
    result = run("validate", "events/sub/zz.yaml", cwd=repo)
    assert result.lines[0] == ("events/sub/zz.yaml:1:1: error: reached through a symbolic link out of the "
                               "repository: not read [yaml]")
    assert run("upgrade", "events/sub/zz.yaml", cwd=repo).exit_code == 1
    assert (outside / "zz.yaml").read_text() == first
    added = run("add", "--no-input", "--id", "zz", "--output", "events/sub/zz2.yaml", "--set", "type=consult",
                cwd=repo)
    assert added.exit_code == 2 and "is outside the repository" in added.stderr
    assert not (outside / "zz2.yaml").exists()


def test_no_hook_is_written_through_a_linked_hooks_folder(repo: Path, run, tmp_path: Path) -> None:
    git(repo, "init", "-q")
    shutil.rmtree(repo / ".git" / "hooks")
    (tmp_path / "elsewhere").mkdir()
    (repo / ".git" / "hooks").symlink_to(tmp_path / "elsewhere")
    result = run("hook", "install", cwd=repo)
    assert (result.exit_code, result.stderr) == (
        2, "annot: error: .git/hooks is a symbolic link; annot does not write a hook through it\n")
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_init_under_a_file_size_limit_leaves_no_half_written_file(tmp_path: Path) -> None:
    import resource

    desk = tmp_path / "desk"
    desk.mkdir()
    git(desk, "init", "-q")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")},
           "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-m", "annot", "init"], cwd=desk, capture_output=True, text=True,
                          env=env, preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024)))
    assert (done.returncode, done.stderr) == (2, "annot: error: schema/event.schema.json: File too large\n")
    assert list((desk / "schema").iterdir()) == []


def test_names_and_values_never_break_a_line_or_reach_the_terminal(repo: Path, run) -> None:
    shutil.copy(repo / SEED, repo / "events" / "a\nb.yaml")
    validated = run("validate", cwd=repo)
    assert "events/a\\nb.yaml:2:5: error: id '2026-02-02-bamako-diop-checker' differs from the file name " \
           "'a\\nb.yaml' (expected id 'a\\nb') [id] at /id" in validated.lines
    (repo / "events" / "a\nb.yaml").unlink()
    (repo / SEED).write_text(seed_with(("place: Bamako", 'place: "Bam\\e]0;PWNED\\aako"')))
    csv = run("summary", "--format", "csv", cwd=repo).stdout
    assert "\x1b" not in csv and "Bam\\x1b]0;PWNED\\x07ako" in csv


def test_ninety_thousand_bad_topics_take_seconds_and_twenty_lines(repo: Path, run) -> None:
    many = ", ".join(f"zz{i}" for i in range(90_000))
    (repo / SEED).write_text(seed_with(("[diplomatic, terrorism, economic]", f"[{many}]")))
    result = run("validate", cwd=repo)
    assert len(result.lines) == 23
    assert errors(result.lines)[20] == (f"{SEED}:29:120: error: more [topic] problems in this record: the "
                                        "first 20 are shown [topic] at /topics/20")
    repeated = ", ".join(["diplomatic"] * 90_000)
    (repo / SEED).write_text(seed_with(("[diplomatic, terrorism, economic]", f"[{repeated}]")))
    assert errors(run("validate", cwd=repo).lines)[0] == (
        f'{SEED}:29:9: error: topics lists "diplomatic" more than once [schema] at /topics')


def test_a_tag_on_a_key_is_not_ignored(repo: Path, run) -> None:
    (repo / SEED).write_text(seed_with(("summary:", "!!int summary:")))
    assert errors(run("validate", cwd=repo).lines)[0] == (
        f"{SEED}:30:1: error: a key is a plain string: !!int is not allowed on a key [yaml]")
    (repo / SEED).write_text(seed_with(("summary:", "!!str summary:")))
    assert run("validate", cwd=repo).exit_code == 0
