"""`annot edit ID` and the question core it shares with `annot add`, on real repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from annot import newrecord

from .conftest import SEED_ID, seed_with

UPDATED = "2026-11-27T09:30:00Z"
SEED = f"events/{SEED_ID}.yaml"
COMMENTED = seed_with(
    ("type: consult\n", "type: consult                  # PLOVER event type\n"),
    ("participants:\n", "# who took part, as the article names them\nparticipants:\n"),
    ("    role: attendee\n", "    role: attendee             # present, not a party\n"),
    ("summary: Mali's", "summary: 'Mali''s"), ("official.\n", "official.'\n"),
)


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Sam Roe\n\temail = sam@example.org\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setattr(newrecord, "now_utc", lambda: UPDATED)


@pytest.fixture
def commented(repo: Path) -> Path:
    (repo / SEED).write_text(COMMENTED, "utf-8")
    return repo


def session_keys(repo: Path) -> list[str]:
    """The keys of the questions `annot edit` asks of the seed, every answer the default."""
    from annot import adding, emit
    from annot.project import project_for
    from annot.questions import Session
    from annot.validate import schema_for

    project = project_for(repo)
    schema = schema_for(project)
    session = Session(emit.load_template(repo / SEED), adding.context(project, schema, None), editing=True)
    while session.current is not None:
        assert session.give("") is None, session.current
    return [key for key, _ in session.answers]


def typed(repo: Path, answers: dict[str, str]) -> str:
    """What an annotator types to `annot edit` of the seed to give `answers` (by key), every
    other answer the default."""
    from annot import adding, emit
    from annot.project import project_for
    from annot.questions import Session
    from annot.validate import schema_for

    project = project_for(repo)
    session = Session(emit.load_template(repo / SEED), adding.context(project, schema_for(project), None),
                      editing=True)
    lines = []
    while session.current is not None:
        lines.append(answers.get(session.current.key, ""))
        assert session.give(lines[-1]) is None, session.current
    return "\n".join(lines) + "\n"


def test_edit_changes_only_the_answered_lines_comments_byte_for_byte(commented: Path, run) -> None:
    keys = session_keys(commented)
    assert keys[:5] == ["/type", "/mode", "/factuality", "/date", "/end_date"]
    assert "/participants/2/side" in keys and "/related" in keys and "/annotation/reviewer" not in keys
    answers = {"/summary": "The minister received a U.S. official.", "/end_date": "2026-02-03"}
    result = run("edit", SEED_ID, cwd=commented,
                 input="\n".join(answers.get(k, "") for k in keys) + "\ny\n")
    assert result.exit_code == 0, result.stderr
    expected = seed_with(
        ("type: consult\n", "type: consult                  # PLOVER event type\n"),
        ("participants:\n", "# who took part, as the article names them\nparticipants:\n"),
        ("    role: attendee\n", "    role: attendee             # present, not a party\n"),
        ("date: 2026-02-02\n", "date: 2026-02-02\nend_date: 2026-02-03\n"),
        ("summary: Mali's foreign minister received a senior U.S. State Department official.",
         "summary: 'The minister received a U.S. official.'"),  # its quoting kept
        ("  created: 2026-11-26T10:00:00Z\n", f"  created: 2026-11-26T10:00:00Z\n  updated: {UPDATED}\n"),
    )
    assert (commented / SEED).read_text("utf-8") == expected
    diff = result.stdout[result.stdout.index(f"--- a/{SEED}"):]
    assert diff == f"""\
--- a/{SEED}
+++ b/{SEED}
@@ -3,6 +3,7 @@
 type: consult                  # PLOVER event type
 mode: visit
 date: 2026-02-02
+end_date: 2026-02-03
 location:
   place: Bamako
   country: MLI
@@ -28,7 +29,7 @@
     country: USA
     role: attendee             # present, not a party
 topics: [diplomatic, terrorism, economic]
-summary: 'Mali''s foreign minister received a senior U.S. State Department official.'
+summary: 'The minister received a U.S. official.'
 source:
   title: Mali–États-Unis, audience du 2 février 2026
   language: fr
@@ -45,4 +46,5 @@
 annotation:
   annotator: Jane Doe <jane@example.org>
   created: 2026-11-26T10:00:00Z
+  updated: {UPDATED}
   status: draft
Write {SEED}? [Y/n]: y
wrote {SEED}
"""
    assert run("validate", cwd=commented).exit_code == 0


def test_every_default_taken_is_no_change(commented: Path, run) -> None:
    result = run("edit", SEED_ID, cwd=commented, input="\n" * 200)
    assert result.exit_code == 0 and result.stdout.endswith(f": no change to {SEED}\n")
    assert (commented / SEED).read_text("utf-8") == COMMENTED


def test_no_input_with_set_and_yes(commented: Path, run) -> None:
    result = run("edit", SEED_ID, "--no-input", "--yes", "--set", "factuality=historical", cwd=commented)
    assert result.exit_code == 0, result.stderr
    assert (commented / SEED).read_text("utf-8") == COMMENTED.replace(
        "date: 2026-02-02\n", "factuality: historical\ndate: 2026-02-02\n", 1).replace(
        "  created: 2026-11-26T10:00:00Z\n", f"  created: 2026-11-26T10:00:00Z\n  updated: {UPDATED}\n")
    assert result.stdout.endswith(f"wrote {SEED}\n")


def test_no_input_without_yes_shows_the_diff_and_writes_nothing(commented: Path, run) -> None:
    result = run("edit", f"events/{SEED_ID}.yaml", "--no-input", "--set", "factuality=historical",
                 cwd=commented)
    assert result.exit_code == 2
    assert "+factuality: historical\n" in result.stdout
    assert "--no-input changes a record only with --yes" in result.stderr
    assert (commented / SEED).read_text("utf-8") == COMMENTED


def test_declining_the_diff_writes_nothing(commented: Path, run) -> None:
    keys = session_keys(commented)
    answers = {"/factuality": "historical"}
    result = run("edit", SEED_ID, cwd=commented, input="\n".join(answers.get(k, "") for k in keys) + "\nn\n")
    assert result.exit_code == 0 and result.stdout.endswith("[Y/n]: n\nnot written\n")
    assert (commented / SEED).read_text("utf-8") == COMMENTED


def test_an_edit_that_breaks_the_record_is_not_written(commented: Path, run) -> None:
    result = run("edit", SEED_ID, "--no-input", "--yes", "--set", "end_date=2026-01-01", cwd=commented)
    assert result.exit_code == 1
    assert "end_date 2026-01-01 is before date 2026-02-02 [date]" in result.stderr
    assert result.stderr.endswith(f"annot: error: not written: {SEED} would have 1 error\n")
    assert (commented / SEED).read_text("utf-8") == COMMENTED


def test_an_unknown_id_suggests_the_closest(commented: Path, run) -> None:
    result = run("edit", "2026-02-02-bamako-diop-cheker", cwd=commented)
    assert (result.exit_code, result.stderr) == (
        2, f"annot: error: no record '2026-02-02-bamako-diop-cheker' under events/ (did you mean '{SEED_ID}'?)\n")


def test_a_record_changed_meanwhile_is_not_overwritten(commented: Path) -> None:
    from annot import editing
    from annot.errors import TroubleError

    draft, original = editing.start(commented / SEED, commented)
    draft.record["summary"] = "Changed."
    assert editing.render(draft, original)
    (commented / SEED).write_text(COMMENTED + "# someone else\n", "utf-8")
    with pytest.raises(TroubleError, match="changed while it was being edited"):
        editing.write(draft, original)
    assert (commented / SEED).read_text("utf-8").endswith("# someone else\n")


def test_removing_a_participant_and_a_quote(commented: Path, run) -> None:
    keys = session_keys(commented)
    answers = {"/participants/2": "n", "/evidence/2": "n", "/participants/1/side": "United States"}
    asked = [k for k in keys if not k.startswith(("/participants/2/", "/evidence/2/"))]
    result = run("edit", SEED_ID, "--yes", cwd=commented,
                 input="\n".join(answers.get(k, "") for k in asked) + "\n")
    assert result.exit_code == 0, result.stderr
    text = (commented / SEED).read_text("utf-8")
    assert "us-ambassador" not in text and "en présence" not in text
    assert "    side: United States\n" in text
    assert "# who took part, as the article names them\nparticipants:\n" in text


def test_an_id_held_by_two_files_is_named_not_guessed(commented: Path, run) -> None:
    (commented / "events" / "2026").mkdir()
    (commented / "events" / "2026" / f"{SEED_ID}.yaml").write_text(COMMENTED, "utf-8")
    result = run("edit", SEED_ID, cwd=commented)
    assert (result.exit_code, result.stderr) == (
        2, f"annot: error: several records are called '{SEED_ID}': {SEED}, events/2026/{SEED_ID}.yaml\n")


def test_a_record_that_is_not_a_mapping_is_trouble(commented: Path, run) -> None:
    (commented / SEED).write_text("- just\n- a list\n", "utf-8")
    result = run("edit", SEED_ID, cwd=commented)
    assert (result.exit_code, result.stderr) == (
        2, f"{SEED}:1:1: error: a record is a YAML mapping of keys to values, not a list [yaml]\n")


def test_a_record_without_annotation_gets_one_with_updated(commented: Path) -> None:
    from annot import editing

    (commented / SEED).write_text(COMMENTED.split("annotation:")[0], "utf-8")
    draft, original = editing.start(commented / SEED, commented)
    draft.record["summary"] = "Changed."
    assert editing.render(draft, original)
    assert draft.text.endswith(f"annotation:\n  updated: {UPDATED}\n")


def _draft_of_the_seed(repo: Path) -> Path:
    found = list((repo / ".annot" / "drafts").iterdir())
    assert len(found) == 1 and found[0].name.startswith(f"edit-{SEED_ID}-"), found
    return found[0]


def test_an_edit_that_fails_at_the_end_is_kept_and_resume_replays_it(commented: Path, run) -> None:
    # A record marked reviewed without a reviewer: only the check of the whole record finds it.
    # Resumed with the reviewer given, nothing is asked again: the diff shows every answer.
    answers = {"/summary": "The minister received a U.S. official."}
    first = run("edit", SEED_ID, "--set", "annotation.status=reviewed", cwd=commented,
                input=typed(commented, answers))
    assert first.exit_code == 1, first.stderr
    draft = _draft_of_the_seed(commented)
    assert "[review] at /annotation" in first.stderr
    assert first.stderr.endswith(
        f"annot: error: not written: {SEED} would have 1 error (listed above); the answers are saved in "
        f".annot/drafts/{draft.name}: `annot edit {SEED_ID} --resume`\n")
    assert (commented / SEED).read_text("utf-8") == COMMENTED
    again = run("edit", SEED_ID, "--resume", "--set", "annotation.reviewer=Ann Lee", cwd=commented,
                input="y\n")
    assert again.exit_code == 0, again.stderr
    assert again.stdout.startswith(f"--- a/{SEED}\n")
    written = (commented / SEED).read_text("utf-8")
    assert "summary: 'The minister received a U.S. official.'\n" in written
    assert "  status: reviewed\n" in written and "  reviewer: Ann Lee\n" in written
    assert "# who took part, as the article names them\n" in written
    assert not draft.exists()


def test_an_edit_out_of_answers_keeps_them_and_resume_goes_on(commented: Path, run) -> None:
    keys = session_keys(commented)
    first = run("edit", SEED_ID, cwd=commented, input="\n\nhistorical\n")  # three answers, then none
    assert first.exit_code == 2
    draft = _draft_of_the_seed(commented)
    assert first.stderr.endswith(f"the answers are saved in .annot/drafts/{draft.name}: "
                                 f"`annot edit {SEED_ID} --resume`\n")
    again = run("edit", SEED_ID, "--resume", cwd=commented, input="\n" * (len(keys) - 3) + "y\n")
    assert again.exit_code == 0, again.stderr
    assert not again.stdout.startswith("Event type")  # the answers given are not asked again
    assert "factuality: historical\n" in (commented / SEED).read_text("utf-8")
    assert not draft.exists()


def test_resume_refuses_a_record_changed_since_its_draft(commented: Path, run) -> None:
    run("edit", SEED_ID, cwd=commented, input="\n\nhistorical\n")
    draft = _draft_of_the_seed(commented)
    (commented / SEED).write_text(COMMENTED.replace("place: Bamako", "place: Kati"), "utf-8")
    result = run("edit", SEED_ID, "--resume", cwd=commented, input="\n" * 200)
    assert (result.exit_code, result.stderr) == (2, (
        f"annot: error: {SEED} changed since its draft .annot/drafts/{draft.name} was saved: the answers "
        "are not replayed on another text (run annot edit without --resume to start again)\n"))
    assert draft.exists() and "place: Kati" in (commented / SEED).read_text("utf-8")
    added = run("add", "--resume", draft.name, cwd=commented)  # not a new record's answers
    assert (added.exit_code, added.stderr) == (2, (
        f"annot: error: {draft.name} is the draft of an edit of {SEED}: `annot edit ID --resume` continues it\n"))


def test_resume_without_a_draft_of_this_record_is_trouble(commented: Path, run) -> None:
    result = run("edit", SEED_ID, "--resume", cwd=commented)
    assert (result.exit_code, result.stderr) == (
        2, f"annot: error: no draft of an edit of {SEED} to resume in .annot/drafts/\n")


def test_resume_takes_a_set_given_now_over_the_drafts_answer(commented: Path, run) -> None:
    run("edit", SEED_ID, cwd=commented, input="\n\nfuture\n")  # factuality answered, then no more
    draft = _draft_of_the_seed(commented)
    resumed = run("edit", SEED_ID, "--resume", "--yes", "--set", "factuality=historical", cwd=commented,
                  input="\n" * 200)
    assert resumed.exit_code == 0, resumed.stderr
    assert "Factuality (asserted/historical/future/hypothetical/negated) (historical): " in resumed.stdout
    assert "factuality: historical\n" in (commented / SEED).read_text("utf-8")
    assert not draft.exists()


def test_resume_asks_so_it_does_not_go_with_no_input(commented: Path, run) -> None:
    run("edit", SEED_ID, cwd=commented, input="\n\nfuture\n")
    draft = _draft_of_the_seed(commented)
    for command in (["edit", SEED_ID], ["add"]):
        result = run(*command, "--resume", "--no-input", cwd=commented)
        assert result.exit_code == 2 and result.stderr.endswith(
            "Error: --resume replays a session's answers and asks the rest: it does not go with --no-input\n")
    assert draft.exists() and (commented / SEED).read_text("utf-8") == COMMENTED


def test_a_fresh_edit_says_it_replaces_an_earlier_edits_draft(commented: Path, run) -> None:
    run("edit", SEED_ID, cwd=commented, input="\n\nfuture\n")
    draft = _draft_of_the_seed(commented)
    result = run("edit", SEED_ID, cwd=commented, input="\n" * 200)
    assert result.stderr.startswith(
        f"annot: warning: .annot/drafts/{draft.name} holds the answers of an earlier edit of this record "
        f"(`annot edit {SEED_ID} --resume` goes on with them); this edit, started afresh, replaces them\n")


@pytest.mark.parametrize(("text", "why"), [
    ('{"annot-draft": 1, "edit": "events/other.yaml", "original": "x", "answers": []}', "not the draft of an edit"),
    ('{"annot-draft": true, "answers": []}', "not a draft annot wrote"),
    ('{"annot-draft": 1, "answers": [], "settings": "summary=x"}', "not a draft annot wrote"),
    ("[" * 100_000 + "]" * 100_000, "not a draft annot wrote"),
])
def test_a_draft_changed_by_hand_is_refused_in_one_line(commented: Path, run, text: str, why: str) -> None:
    run("edit", SEED_ID, cwd=commented, input="\n\nfuture\n")
    draft = _draft_of_the_seed(commented)
    draft.write_text(text)
    result = run("edit", SEED_ID, "--resume", cwd=commented)
    assert result.exit_code == 2 and why in result.stderr and len(result.stderr.splitlines()) == 1
