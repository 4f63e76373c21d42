"""What a hostile tester found in add, edit and merge: each a test that failed before its fix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annot import newrecord

from .conftest import SEED_ID, seed_with
from .test_edit import session_keys
from .test_merge import write_sides

SEED = f"events/{SEED_ID}.yaml"
UPDATED = "2026-11-27T09:30:00Z"
BAD_DATE = ("date: 2026-02-02", "date: 2026-02-30")
BAD_TIME = ("created: 2026-11-26T10:00:00Z", "created: 2026-11-26T25:00:00Z")


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Sam Roe\n\temail = sam@example.org\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setattr(newrecord, "now_utc", lambda: UPDATED)


# A1: an impossible date or time is a value to fix, not a crash ------------------------


def test_edit_fixes_an_impossible_date(repo: Path, run) -> None:
    (repo / SEED).write_text(seed_with(BAD_DATE), "utf-8")
    result = run("edit", SEED_ID, "--no-input", "--yes", "--set", "date=2026-02-02", cwd=repo)
    assert result.exit_code == 0, result.stderr
    assert (repo / SEED).read_text("utf-8") == seed_with(
        ("  created: 2026-11-26T10:00:00Z\n", f"  created: 2026-11-26T10:00:00Z\n  updated: {UPDATED}\n"))


def test_edit_of_a_record_with_an_impossible_time_names_it(repo: Path, run) -> None:
    (repo / SEED).write_text(seed_with(BAD_TIME), "utf-8")
    result = run("edit", SEED_ID, "--no-input", "--yes", "--set", "factuality=historical", cwd=repo)
    assert result.exit_code == 1
    assert "annotation.created 2026-11-26T25:00:00Z is not a real date and time [date]" in result.stderr
    assert (repo / SEED).read_text("utf-8") == seed_with(BAD_TIME)


def test_add_from_a_record_with_an_impossible_date(repo: Path, run) -> None:
    (repo / "old.yaml").write_text(seed_with(BAD_DATE), "utf-8")
    result = run("add", "--from", "old.yaml", "--no-input", "--set", "date=2026-02-03",
                 "--id", "new-one", cwd=repo)
    assert result.exit_code == 0, result.stderr
    assert "date: 2026-02-03\n" in (repo / "events" / "new-one.yaml").read_text("utf-8")


@pytest.mark.parametrize("side", ["ours", "theirs"])
@pytest.mark.parametrize("bad", [BAD_DATE, BAD_TIME])
def test_merge_keeps_both_sides_when_one_has_an_impossible_date(
        tmp_path: Path, run, side: str, bad: tuple[str, str]) -> None:
    ours_change, theirs_change = ("mode: visit", "mode: phone"), ("role: attendee", "role: mediator")
    sides = {"ours": [ours_change], "theirs": [theirs_change]}
    sides[side].append(bad)
    base, ours, theirs = write_sides(tmp_path, seed_with(), seed_with(*sides["ours"]), seed_with(*sides["theirs"]))
    result = run("merge", str(base), str(ours), str(theirs), cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (0, "")
    assert ours.read_text("utf-8") == seed_with(ours_change, theirs_change, bad)


def test_pick_in_a_record_with_an_impossible_date(tmp_path: Path, run) -> None:
    conflict = "conflicts:\n  - at: /mode\n    base: visit\n    ours: visit\n    theirs: phone\n"
    record = tmp_path / "r.yaml"
    record.write_text(seed_with(BAD_DATE) + conflict, "utf-8")
    result = run("merge", "--pick", "theirs", str(record), cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (0, "")
    assert record.read_text("utf-8") == seed_with(BAD_DATE, ("mode: visit", "mode: phone"))


# A2: a list index is a short run of ASCII digits ---------------------------------------


@pytest.mark.parametrize(("index", "shown"), [
    ("²", "'²'"), ("9" * 5000, "'" + "9" * 40 + "…'"), ("name", "'name'"), ("1234567", "'1234567'")])
@pytest.mark.parametrize("command", ["edit", "add"])
def test_set_refuses_an_index_that_is_not_one(repo: Path, run, index: str, shown: str, command: str) -> None:
    args = [SEED_ID, "--yes"] if command == "edit" else ["--id", "new-one"]
    result = run(command, *args, "--no-input", "--set", f"participants.{index}.name=x", cwd=repo)
    assert (result.exit_code, result.stderr) == (2, f"annot: error: {shown} is not a list index like 0, 1, 2\n")
    assert (repo / SEED).read_text("utf-8") == seed_with()
    assert not (repo / "events" / "new-one.yaml").exists()


# A3: hand-written conflicts entries are refused, one line each ----------------------

CONFLICT_REFUSED = {
    "[{at: /conflicts, theirs: 5}]": "conflicts/0: a conflict about the conflicts themselves cannot be "
                                     "picked; edit it by hand",
    "[{at: /conflicts/0}]": "conflicts/0: a conflict about the conflicts themselves cannot be picked; "
                            "edit it by hand",
    "[{at: /mode, theirs: x}, {at: x}]": "conflicts/1: no 'at' pointer such as /mode; edit it by hand",
    "[{at: 5}]": "conflicts/0: no 'at' pointer such as /mode; edit it by hand",
    "[{at: [1, 2]}]": "conflicts/0: no 'at' pointer such as /mode; edit it by hand",
    "[5]": "conflicts/0: no 'at' pointer such as /mode; edit it by hand",
    "{at: /mode}": "conflicts: not a list of conflicts; edit it by hand",
    "[{at: /topics/², theirs: x}]": "/topics/²: no such item in the record; edit it by hand",
}


@pytest.mark.parametrize("how", [("--pick", "theirs"), ("--pick", "ours"), ("--resolve",)])
@pytest.mark.parametrize("conflicts", list(CONFLICT_REFUSED))
def test_a_bad_conflicts_entry_is_refused(tmp_path: Path, run, conflicts: str, how: tuple[str, ...]) -> None:
    record = tmp_path / "r.yaml"
    record.write_text(seed_with() + f"conflicts: {conflicts}\n", "utf-8")
    result = run("merge", *how, str(record), cwd=tmp_path, input="theirs\n")
    message = CONFLICT_REFUSED[conflicts]
    if message.startswith("/topics") and how == ("--pick", "ours"):
        return  # taking ours of a pointer that names nothing only drops the entry
    assert (result.exit_code, result.stderr) == (2, f"annot: error: {message}\n")
    assert record.read_text("utf-8") == seed_with() + f"conflicts: {conflicts}\n"


# A4: a byte that is not UTF-8, typed at a prompt ------------------------------------


def _annot(args: list[str], cwd: Path, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "ANNOT_DEBUG")}
    return subprocess.run([str(Path(sys.executable).parent / "annot"), *args], cwd=cwd, input=stdin,
                          capture_output=True, env={**env, "NO_COLOR": "1", "COLUMNS": "400"})


def test_a_byte_that_is_not_utf8_is_refused_at_its_prompt(repo: Path) -> None:
    (repo / SEED).unlink()
    done = _annot(["add"], repo, b"consult\nvisit\n\n2026-02-02\n\n\xff\nBamako\n")
    assert done.returncode == 2, done.stderr
    assert b"Place: not valid text (a byte that is not UTF-8); type it again\nPlace: " in done.stdout
    draft = next((repo / ".annot" / "drafts").iterdir())
    assert b"no more answers on standard input" in done.stderr and draft.name.encode() in done.stderr
    assert ["/location/place", "Bamako"] in json.loads(draft.read_text("utf-8"))["answers"]


def test_a_draft_keeps_an_answer_that_is_not_utf8(tmp_path: Path) -> None:
    from annot import drafts

    path = drafts.save(tmp_path, {"answers": [["/summary", "a\udcffb"]]})
    assert drafts.load(tmp_path, path.name)[1]["answers"] == [["/summary", "a\udcffb"]]


# E1, E2: drafts never go through a link out of the repository ------------------------


def test_drafts_are_not_written_through_a_link_out_of_the_repository(repo: Path, run, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (repo / ".annot").symlink_to(outside)
    result = run("add", cwd=repo, input="consult\n")
    assert (result.exit_code, result.stderr) == (2, (
        "annot: error: no more answers on standard input (use --no-input with --set); the answers could "
        "not be saved, they are lost (.annot/ is a symbolic link out of the repository; not written)\n"))
    assert list(outside.iterdir()) == []


def test_answers_that_cannot_be_saved_are_said_lost(repo: Path, run) -> None:
    (repo / ".annot").write_text("")
    result = run("add", cwd=repo, input="consult\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("annot: error: no more answers on standard input (use --no-input with "
                                    "--set); the answers could not be saved, they are lost (")
    assert result.stderr.endswith(": cannot write: Not a directory)\n")


def test_resume_does_not_follow_a_draft_out_of_the_repository(repo: Path, run, tmp_path: Path) -> None:
    outside = tmp_path / "o.json"
    outside.write_text(json.dumps({"annot-draft": 1, "answers": []}))
    (repo / ".annot" / "drafts").mkdir(parents=True)
    (repo / ".annot" / "drafts" / "add-9.json").symlink_to(outside)
    result = run("add", "--resume", cwd=repo, input="")
    assert (result.exit_code, result.stderr) == (
        2, "annot: error: add-9.json: a symbolic link out of .annot/drafts/; not read\n")


def test_resume_does_not_read_a_template_out_of_the_repository(repo: Path, run, tmp_path: Path) -> None:
    outside = tmp_path / "t.yaml"
    outside.write_text(seed_with(), "utf-8")
    (repo / ".annot" / "drafts").mkdir(parents=True)
    draft = repo / ".annot" / "drafts" / "add-9.json"
    draft.write_text(json.dumps({"annot-draft": 1, "answers": [], "template": str(outside)}))
    result = run("add", "--resume", cwd=repo, input="")
    assert (result.exit_code, result.stderr) == (
        2, f"annot: error: {draft}: its template {outside} is outside the repository; not read\n")


# G4: out of answers is one error line, not click's usage block -------------------------


def test_edit_out_of_answers_is_one_error_line(repo: Path, run) -> None:
    result = run("edit", SEED_ID, cwd=repo, input="")
    assert (result.exit_code, result.stderr) == (
        2, "annot: error: no more answers on standard input (use --no-input with --set)\n")


# C1-C3, G2: what a prompt shows from a file is printed as text ----------------------------


def test_prompts_print_values_from_files_as_text(repo: Path, run) -> None:
    (repo / SEED).write_text(seed_with(
        ("  place: Bamako", '  place: "Bam\\e]0;PWNED\\aako\\e[31mRED[bold]x[/]"')), "utf-8")
    (repo / "events" / "zz\x1b]0;FNAME\x07.yaml").write_text(seed_with(), "utf-8")
    (repo / "actors.yaml").write_text('evil:\n  name: "Evil\\e]0;ACTOR\\a[blink]X[/]"\n  kind: person\n')
    keys = session_keys(repo)
    asked = {"/related": "?\n\n", "/participants/0/name": "?\n\n"}
    result = run("edit", SEED_ID, cwd=repo, input="".join(asked.get(k, "\n") for k in keys))
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "Place (- clears) (Bam\\x1b]0;PWNED\\x07ako\\x1b[31mRED[bold]x[/]): " in result.stdout
    assert "  zz\\x1b]0;FNAME\\x07\n" in result.stdout
    assert "  evil  Evil\\x1b]0;ACTOR\\x07[blink]X[/]\n" in result.stdout
    assert result.stdout.endswith(f"no change to {SEED}\n")


def test_an_id_with_a_newline_is_named_on_one_line(repo: Path, run) -> None:
    result = run("edit", "a\nb", cwd=repo)
    assert (result.exit_code, result.stderr) == (2, "annot: error: no record 'a\\nb' under events/\n")


# D: of editors who read the same text, exactly one writes ------------------------------


def test_concurrent_edits_of_one_text_write_exactly_one(repo: Path) -> None:
    import threading

    from annot import editing
    from annot.errors import TroubleError

    drafts = [editing.start(repo / SEED, repo) for _ in range(12)]
    for i, (draft, original) in enumerate(drafts):
        draft.record["annotation"]["notes"] = f"writer {i}"
        assert editing.render(draft, original)
    start = threading.Barrier(len(drafts))
    outcome: dict[int, str] = {}

    def write(i: int) -> None:
        start.wait()
        try:
            editing.write(*drafts[i])
            outcome[i] = "wrote"
        except TroubleError as exc:
            outcome[i] = str(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(drafts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wrote = [i for i, said in outcome.items() if said == "wrote"]
    assert len(wrote) == 1, outcome
    assert (repo / SEED).read_text("utf-8") == drafts[wrote[0]][0].text
    assert sorted(set(outcome.values())) == sorted({"wrote", f"{repo / SEED} changed while it was being "
                                                    "edited; not overwritten (run annot edit again)"})


@pytest.mark.parametrize("command", ["edit", "add"])
@pytest.mark.parametrize(("key", "value"), [("annotation.notes", "a\udcffb"), ("annotation.n\udcffotes", "x")])
def test_set_refuses_a_byte_that_is_not_utf8(repo: Path, run, command: str, key: str, value: str) -> None:
    args = [SEED_ID, "--yes"] if command == "edit" else ["--from", SEED, "--id", "new-one"]
    result = run(command, *args, "--no-input", "--set", f"{key}={value}", cwd=repo)
    assert (result.exit_code, result.stderr) == (
        2, f"annot: error: --set {key!r}: not valid text (a byte that is not UTF-8)\n")
    assert (repo / SEED).read_text("utf-8") == seed_with()


def test_edit_names_a_record_file_as_text(repo: Path, run) -> None:
    name = "events/zz\x1b]0;FNAME\x07.yaml"
    (repo / name).write_text(seed_with(), "utf-8")
    result = run("edit", name, "--no-input", cwd=repo)
    assert (result.exit_code, result.stdout) == (0, "no change to events/zz\\x1b]0;FNAME\\x07.yaml\n")
