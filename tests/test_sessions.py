"""Real `annot add` sessions at a pseudo-terminal (pexpect), drafts and --resume, and yamllint
on what annot writes."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from annot import newrecord

from .conftest import EXAMPLES, SEED_ID
from .test_add import INTERACTIVE, SEED_SETTINGS, settings

SEED = f"events/{SEED_ID}.yaml"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Jane Doe\n\temail = jane@example.org\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setattr(newrecord, "now_utc", lambda: "2026-11-26T10:00:00Z")
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "ANNOT_DEBUG")}
    return {**env, "NO_COLOR": "1", "COLUMNS": "400", "LINES": "50", "TERM": "xterm"}


@pytest.fixture
def empty(repo: Path) -> Path:
    (repo / SEED).unlink()
    return repo


def steps(repo: Path, answers: list[str]) -> list[tuple[str, str]]:
    """Each answer with the label of the prompt it answers, found by the question core itself."""
    from annot import adding
    from annot.project import project_for
    from annot.questions import Session
    from annot.validate import schema_for

    project = project_for(repo)
    schema = schema_for(project)
    session = Session(adding.start(None, repo).record, adding.context(project, schema, "Jane Doe"))
    found = []
    for raw in answers:
        assert session.current is not None, raw
        found.append((session.current.label, raw))
        if raw != "?":
            session.give(raw)
    assert session.current is None
    return found


ANSWERS = INTERACTIVE.splitlines()


def spawn(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[pexpect.spawn, io.StringIO]:
    seen = io.StringIO()
    child = pexpect.spawn(sys.executable, ["-m", "annot", *args], cwd=str(cwd), env=env,
                          encoding="utf-8", timeout=30, dimensions=(50, 400))
    child.logfile_read = seen
    return child, seen


def answer(child: pexpect.spawn, script: list[tuple[str, str]]) -> None:
    for label, raw in script:
        child.expect_exact(label)
        child.sendline(raw)


def interrupt_at(child: pexpect.spawn, label: str) -> None:
    """Ctrl-C once the prompt of `label` waits for its answer. A SIGINT that lands between
    Python's last look at its signals and readline's wait for a key is only acted on at the next
    key (CPython's readline): the prompt is let settle before it is sent."""
    child.expect_exact(label)
    child.expect_exact(": ")
    time.sleep(0.5)
    child.sendintr()


def interrupted_at_topics(args: list[str], repo: Path, world: dict[str, str],
                          script: list[tuple[str, str]]) -> tuple[int, list[Path], io.StringIO]:
    """A session of `args` answered up to the topics, then Ctrl-C: where it was cut, the one
    draft it left, and what it showed."""
    cut = next(i for i, (label, _) in enumerate(script) if label.startswith("Topics"))
    child, seen = spawn(args, repo, world)
    answer(child, script[:cut])
    interrupt_at(child, script[cut][0])
    assert finish(child) == 130
    drafts = sorted((repo / ".annot" / "drafts").iterdir())
    assert len(drafts) == 1
    return cut, drafts, seen


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else 128 + child.signalstatus)


def without_created(text: str) -> str:
    return re.sub(r"  created: .*\n", "", text)


def test_a_terminal_session_asks_wrong_answers_again_and_shows_the_closest_passage(empty: Path, world) -> None:
    child, seen = spawn(["add"], empty, world)
    answer(child, steps(empty, ANSWERS))
    assert finish(child) == 0, seen.getvalue()
    said = seen.getvalue()
    assert "End date (empty if one day): 2026-01-30\r\nend_date 2026-01-30 is before date 2026-02-02\r\n" in said
    assert ("Quote, as the article words it: Le 2 févr. 2026\r\nnot found in "
            "sources/mali-usa-audience-2026-02-02.fr.txt; the closest passage is: Le 2 février 2026\r\n") in said
    assert "'French' is not a BCP 47 language tag such as fr or pt-BR (did you mean fr?)" in said
    assert "  visit  actor is visiting, recipient is hosting.\r\n" in said  # ? lists the modes
    assert said.endswith(f"wrote {SEED}\r\n")


def test_ctrl_c_then_resume_ends_in_the_record_of_an_uninterrupted_session(empty: Path, world, run,
                                                                            tmp_path: Path) -> None:
    script = steps(empty, ANSWERS)
    whole = run("add", cwd=empty, input=INTERACTIVE)
    assert whole.exit_code == 0, whole.stderr
    expected = (empty / SEED).read_text("utf-8")
    (empty / SEED).unlink()

    cut, drafts, seen = interrupted_at_topics(["add"], empty, world, script)
    assert seen.getvalue().endswith(
        f"\r\nannot: interrupted; the answers are saved in .annot/drafts/{drafts[0].name}: "
        f"`annot add --resume {drafts[0].name}`\r\n")
    assert not (empty / SEED).exists()

    child, seen = spawn(["add", "--resume"], empty, world)
    answer(child, script[cut:])  # the answers before the interruption are not asked again
    assert finish(child) == 0, seen.getvalue()
    assert "Participant 1" not in seen.getvalue()
    assert without_created((empty / SEED).read_text("utf-8")) == without_created(expected)
    assert list((empty / ".annot" / "drafts").iterdir()) == []


@pytest.mark.parametrize("stops", [["SIGHUP"], ["SIGTERM"], ["SIGTERM", "SIGHUP"], ["SIGHUP", "SIGTERM", "SIGHUP"]])
def test_a_closed_terminal_or_a_kill_saves_the_answers_once_however_many_signals(empty: Path, world,
                                                                                 stops: list[str]) -> None:
    # A closing terminal window may send SIGHUP and SIGTERM at once: the second signal
    # must not interrupt the first one's saving, nor end the process before it is done.
    import signal

    script = steps(empty, ANSWERS)
    cut = next(i for i, (label, _) in enumerate(script) if label.startswith("Topics"))
    child, seen = spawn(["add"], empty, world)
    answer(child, script[:cut])
    child.expect_exact(script[cut][0])
    child.expect_exact(": ")
    time.sleep(0.5)
    for stop in stops:
        child.kill(getattr(signal, stop))
    assert finish(child) == 130, seen.getvalue()
    drafts = sorted((empty / ".annot" / "drafts").iterdir())
    assert [d.suffix for d in drafts] == [".json"]  # one draft, whole: no temporary file left
    assert seen.getvalue().endswith(f"`annot add --resume {drafts[0].name}`\r\n")
    assert "Traceback" not in seen.getvalue() and "internal error" not in seen.getvalue()


def test_a_record_that_fails_at_the_end_is_kept_as_a_draft_and_resume_asks_what_failed(empty: Path,
                                                                                      run) -> None:
    bad = [s for s in SEED_SETTINGS if not s.startswith("evidence")] + ["end_date=2026-01-01"]
    # factuality, summary, no evidence, no related record, annotator, notes
    first = run("add", *settings(*bad), cwd=empty, input="\n\nn\n\n\n\n")
    assert first.exit_code == 1
    draft = next((empty / ".annot" / "drafts").iterdir())
    assert "end_date 2026-01-01 is before date 2026-02-02 [date] at /end_date" in first.stderr
    assert first.stderr.endswith(
        f"annot: error: not written: {SEED} would have 1 error (listed above); the answers are saved in "
        f".annot/drafts/{draft.name}: `annot add --resume {draft.name}`\n")
    again = run("add", "--resume", draft.name, cwd=empty, input="2026-02-03\n")
    assert again.exit_code == 0, again.stderr
    assert again.stdout.startswith("End date (empty if one day): ")  # only what failed is asked
    assert "end_date: 2026-02-03\n" in (empty / SEED).read_text("utf-8")
    assert not draft.exists()


def test_an_existing_id_is_refused_before_any_question(repo: Path, run) -> None:
    result = run("add", "--id", SEED_ID, cwd=repo, input="consult\n")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", f"annot: error: {SEED} exists; not overwritten (use --force to replace it)\n")


def test_resume_without_a_draft_is_trouble(empty: Path, run) -> None:
    result = run("add", "--resume", cwd=empty)
    assert (result.exit_code, result.stderr) == (2, "annot: error: no draft to resume in .annot/drafts/\n")
    (empty / ".annot" / "drafts").mkdir(parents=True)
    (empty / ".annot" / "drafts" / "add-x.json").write_text("[1, 2")
    broken = run("add", "--resume", "add-x", cwd=empty)
    assert broken.exit_code == 2 and "not a draft annot wrote" in broken.stderr
    (empty / ".annot" / "drafts" / "add-y.json").write_text('{"annot-draft": 1, "answers": [["/type"]]}')
    assert "not a draft annot wrote" in run("add", "--resume", "add-y.json", cwd=empty).stderr
    (empty.parent / "outside.json").write_text('{"annot-draft": 1, "answers": []}')
    outside = run("add", "--resume", "../../../outside.json", cwd=empty)
    assert (outside.exit_code, outside.stderr) == (
        2, "annot: error: no draft ../../../outside.json in .annot/drafts/\n")  # drafts are read from there only


def test_drafts_are_not_records(empty: Path, run) -> None:
    run("add", cwd=empty, input="consult\nvisit\n")
    assert list((empty / ".annot" / "drafts").iterdir())
    assert run("validate", cwd=empty).lines == ["0 files checked: no problems"]
    assert run("validate", ".", cwd=empty).lines == ["0 files checked: no problems"]


def test_a_second_record_of_one_event_is_warned_about(empty: Path, run) -> None:
    assert run("add", "--no-input", *settings(*SEED_SETTINGS), cwd=empty).exit_code == 0
    again = run("add", "--no-input", *settings(*SEED_SETTINGS), cwd=empty)
    assert again.stdout == f"wrote events/{SEED_ID}-2.yaml\n"
    assert again.stderr == (f"annot: warning: {SEED} already records an event on this date, at this place, "
                            f"with these participants; this one would be events/{SEED_ID}-2.yaml\n")
    asked = run("add", *settings(*SEED_SETTINGS), cwd=empty, input="\n" * 7)  # 6 questions, then no
    assert asked.exit_code == 1
    assert "Write it anyway? [y/N]: \nannot: error: not written: events/" in asked.stderr
    assert "the answers are saved in .annot/drafts/" in asked.stderr
    cut = run("add", *settings(*SEED_SETTINGS), cwd=empty, input="\n" * 6)  # no answer at the confirmation
    assert cut.exit_code == 130 and "\nannot: interrupted; the answers are saved in .annot/drafts/" in cut.stderr
    other = run("add", "--no-input", *settings(*SEED_SETTINGS, "participants.2.role=actor"), cwd=empty)
    assert other.stderr == ""  # the same id would be derived, but the event differs


def test_the_twin_is_found_among_every_id_taken_before(empty: Path, run) -> None:
    # The first record of this id is another event (another attendee, who is not in the id):
    # the second is written without a word; the third is the second's twin.
    first = run("add", "--no-input", *settings(*SEED_SETTINGS, "participants.2.ref=attache"), cwd=empty)
    assert (first.stdout, first.stderr) == (f"wrote events/{SEED_ID}.yaml\n", "")
    assert run("add", "--no-input", *settings(*SEED_SETTINGS), cwd=empty).stderr == ""
    third = run("add", "--no-input", *settings(*SEED_SETTINGS), cwd=empty)
    assert third.stderr == (f"annot: warning: events/{SEED_ID}-2.yaml already records an event on this date, "
                            f"at this place, with these participants; this one would be events/{SEED_ID}-3.yaml\n")


def test_the_readme_shows_real_sessions() -> None:
    import runpy

    from .conftest import PROJECT

    script = runpy.run_path(str(PROJECT / "scripts" / "readme_sessions.py"))
    readme = (PROJECT / "README.md").read_text("utf-8")
    for name, text in script["transcripts"]().items():
        assert text.rstrip() + "\n```" in readme, f"README.md: refresh the {name} block (scripts/readme_sessions.py)"


# yamllint ---------------------------------------------------------------------


def yamllint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "yamllint", "-f", "parsable", *args], cwd=cwd,
                          capture_output=True, text=True)


def test_what_annot_writes_passes_yamllint(tmp_path: Path, run, world) -> None:
    desk = tmp_path / "desk"
    assert run("init", str(desk), cwd=tmp_path).exit_code == 0
    (desk / "sources").joinpath("a.txt").write_text((EXAMPLES / "sources" /
                                                    "mali-usa-audience-2026-02-02.fr.txt").read_text())
    written = [s.replace("sources/mali-usa-audience-2026-02-02.fr.txt", "sources/a.txt") for s in SEED_SETTINGS]
    assert run("add", "--no-input", *settings(*written, "related=", "summary=" + "long " * 40),
               cwd=desk).exit_code == 0
    again = run("add", "--no-input", "--from", f"events/{SEED_ID}.yaml", "--set", "date=2026-02-03", cwd=desk)
    assert again.exit_code == 0, again.stderr
    suggested = run("actors", "suggest", "--write", cwd=desk)
    assert suggested.stdout.endswith("to actors.yaml\n"), suggested.stdout
    strict = yamllint("--strict", ".", cwd=desk)  # with the .yamllint that init wrote
    assert (strict.returncode, strict.stdout) == (0, "")
    defaults = yamllint("-d", "default", ".", cwd=desk)
    said = {line.split("(")[-1] for line in defaults.stdout.splitlines()}
    assert said == {"document-start)", "line-length)"}, defaults.stdout  # the two rules .yamllint turns off
    assert sorted(line for line in defaults.stdout.splitlines() if "[error]" in line) == [  # long summaries
        f"./events/{SEED_ID}.yaml:25:81: [error] line too long (211 > 80 characters) (line-length)",
        "./events/2026-02-03-bamako-diop-checker.yaml:25:81: [error] line too long (211 > 80 characters) "
        "(line-length)"]


@pytest.mark.parametrize("stop", ["SIGINT", "SIGHUP", "SIGTERM"])
def test_a_stop_at_the_last_question_of_an_edit_keeps_the_answers(repo: Path, world, stop: str) -> None:
    # After the questions (the diff shown, "Write ...?" asked) the answers are still kept.
    import signal

    from annot import adding, emit
    from annot.project import project_for
    from annot.questions import Session
    from annot.validate import schema_for

    project = project_for(repo)
    session = Session(emit.load_template(repo / SEED), adding.context(project, schema_for(project), None),
                      editing=True)
    script = []
    while session.current is not None:
        script.append((session.current.label, "Kati" if session.current.key == "/location/place" else ""))
        session.give(script[-1][1])
    before = (repo / SEED).read_text("utf-8")
    child, seen = spawn(["edit", SEED_ID], repo, world)
    answer(child, script)
    child.expect_exact("[Y/n]: ")
    time.sleep(0.3)
    child.kill(getattr(signal, stop))
    assert finish(child) == 130, seen.getvalue()
    assert [d.suffix for d in (repo / ".annot" / "drafts").iterdir()] == [".json"]
    assert (repo / SEED).read_text("utf-8") == before
    assert "Traceback" not in seen.getvalue()


def test_ctrl_c_in_an_edit_then_resume_ends_in_the_record_of_an_uninterrupted_edit(repo: Path, world,
                                                                                   run) -> None:
    from annot import adding, emit
    from annot.project import project_for
    from annot.questions import Session
    from annot.validate import schema_for

    project = project_for(repo)
    session = Session(emit.load_template(repo / SEED), adding.context(project, schema_for(project), None),
                      editing=True)
    changes = {"/factuality": "historical", "/location/place": "Kati"}
    script = []
    while session.current is not None:
        script.append((session.current.label, changes.get(session.current.key, "")))
        session.give(script[-1][1])
    before = (repo / SEED).read_text("utf-8")
    whole = run("edit", SEED_ID, cwd=repo, input="\n".join(raw for _, raw in script) + "\ny\n")
    assert whole.exit_code == 0, whole.stderr
    expected = (repo / SEED).read_text("utf-8")
    (repo / SEED).write_text(before, "utf-8")

    cut, drafts, seen = interrupted_at_topics(["edit", SEED_ID], repo, world, script)
    assert seen.getvalue().endswith(
        f"\r\nannot: interrupted; the answers are saved in .annot/drafts/{drafts[0].name}: "
        f"`annot edit {SEED_ID} --resume`\r\n")
    assert (repo / SEED).read_text("utf-8") == before

    child, seen = spawn(["edit", SEED_ID, "--resume"], repo, world)
    answer(child, script[cut:])  # the answers before the interruption are not asked again
    child.expect_exact("[Y/n]: ")
    child.sendline("y")
    assert finish(child) == 0, seen.getvalue()
    assert "Event type" not in seen.getvalue()
    updated = re.compile(r"  updated: .*\n")
    assert updated.sub("", (repo / SEED).read_text("utf-8")) == updated.sub("", expected)
    assert list((repo / ".annot" / "drafts").iterdir()) == []
