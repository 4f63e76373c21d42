"""annot merge: the three-way merge of records, the conflicts validate names, and git's driver."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annot.errors import TroubleError
from annot.merge import MISSING, Conflict, merge_records, merge_values, pick, set_value

from .conftest import SEED_ID, git, seed_with

BASE: dict[str, Any] = {
    "id": "x", "type": "consult", "topics": ["diplomatic", "economic"],
    "participants": [{"ref": "a", "name": "A", "role": "actor"}, {"ref": "b", "name": "B", "role": "recipient"}],
}


def _with(**changes: Any) -> dict[str, Any]:
    import copy

    record = copy.deepcopy(BASE)
    record.update(changes)
    return record


@pytest.mark.parametrize(("ours", "theirs", "merged", "conflicts"), [
    # One side changed: its change.
    (_with(type="agree"), _with(), _with(type="agree"), []),
    (_with(), _with(type="agree"), _with(type="agree"), []),
    # Both the same way: that change.
    (_with(type="agree"), _with(type="agree"), _with(type="agree"), []),
    # Two ways: ours, and a conflict.
    (_with(type="agree"), _with(type="support"), _with(type="agree"),
     [Conflict("/type", "consult", "agree", "support")]),
    # Sets: union of the changes.
    (_with(topics=["diplomatic", "economic", "military"]), _with(topics=["diplomatic"]),
     _with(topics=["diplomatic", "military"]), []),
    # Participants pair by ref, whatever their order.
    (_with(participants=[{"ref": "b", "name": "B", "role": "recipient", "title": "Minister"},
                         {"ref": "a", "name": "A", "role": "actor"}]),
     _with(participants=[{"ref": "a", "name": "A", "role": "actor", "country": "MLI"},
                         {"ref": "b", "name": "B", "role": "recipient"},
                         {"ref": "c", "name": "C", "role": "attendee"}]),
     _with(participants=[{"ref": "b", "name": "B", "role": "recipient", "title": "Minister"},
                         {"ref": "a", "name": "A", "role": "actor", "country": "MLI"},
                         {"ref": "c", "name": "C", "role": "attendee"}]), []),
    # A key removed on one side and kept on the other: removed.
    ({k: v for k, v in BASE.items() if k != "topics"}, _with(),
     {k: v for k, v in BASE.items() if k != "topics"}, []),
    # Both sides edited the record: it was last updated at the later time, not a conflict
    # (+01:00 is earlier than it reads).
    (_with(annotation={"annotator": "J", "updated": "2026-03-01T10:00:00Z"}),
     _with(annotation={"annotator": "J", "updated": "2026-03-01T10:30:00+01:00"}),
     _with(annotation={"annotator": "J", "updated": "2026-03-01T10:00:00Z"}), []),
    (_with(annotation={"annotator": "J", "updated": "2026-03-01T10:00:00Z"}),
     _with(annotation={"annotator": "J", "updated": "2026-03-02T08:00:00Z"}),
     _with(annotation={"annotator": "J", "updated": "2026-03-02T08:00:00Z"}), []),
    # A time that is no time in UTC (before the year 1) is as good as none: the other side's wins.
    (_with(annotation={"annotator": "J", "updated": "0001-01-01T00:00:00+01:00"}),
     _with(annotation={"annotator": "J", "updated": "2026-03-02T08:00:00Z"}),
     _with(annotation={"annotator": "J", "updated": "2026-03-02T08:00:00Z"}), []),
    # Removed by ours, changed by theirs: a conflict at the end of the list.
    (_with(participants=[BASE["participants"][0]]),
     _with(participants=[BASE["participants"][0], {"ref": "b", "name": "B", "role": "actor"}]),
     _with(participants=[BASE["participants"][0]]),
     [Conflict("/participants/-", BASE["participants"][1], MISSING, {"ref": "b", "name": "B", "role": "actor"})]),
])
def test_three_way(ours: dict[str, Any], theirs: dict[str, Any], merged: dict[str, Any],
                   conflicts: list[Conflict]) -> None:
    assert merge_records(BASE, ours, theirs) == (merged, conflicts)


def test_values_of_different_types_conflict() -> None:
    found: list[Conflict] = []
    assert merge_values(1, 1.0, True, "/x", "x", found) == 1.0
    assert found == [Conflict("/x", 1, 1.0, True)]


def _annot() -> str:
    return str(Path(sys.executable).parent / "annot")


def write_sides(tmp_path: Path, base: str, ours: str, theirs: str) -> list[Path]:
    paths = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        (tmp_path / f"{name}.yaml").write_text(text, "utf-8")
        paths.append(tmp_path / f"{name}.yaml")
    return paths


def test_clean_merge_keeps_ours_comments_and_order(run, tmp_path: Path) -> None:
    ours_text = seed_with(("type: consult", "type: consult  # ours: a meeting"))
    ours_text = ours_text.replace("type: consult  # ours: a meeting\nmode: visit\n",
                                  "mode: visit\ntype: consult  # ours: a meeting\n")  # not SPEC's order
    assert ours_text.index("mode:") < ours_text.index("type:")
    base, ours, theirs = write_sides(tmp_path, seed_with(), ours_text, seed_with(("role: attendee", "role: mediator")))
    result = run("merge", str(base), str(ours), str(theirs), cwd=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert ours.read_text("utf-8") == ours_text.replace("role: attendee", "role: mediator")


DIOP = """  - ref: diop
    name: Abdoulaye Diop
    title: Minister of Foreign Affairs and International Cooperation
    organization: Government of Mali
    country: MLI
    role: recipient
"""
WITHOUT_DIOP = ((DIOP, ""), ("about: /participants/1", "about: /participants/0"),
                ("about: /participants/2", "about: /participants/1"))
AMBASSADOR = ("title: U.S. Ambassador to Mali", "title: Ambassador of the United States to Mali")


def test_evidence_follows_its_participant_to_the_merged_place(run, tmp_path: Path) -> None:
    """Theirs removed Diop, so Checker and the ambassador move up; ours' evidence follows them."""
    def title_quote(index: int) -> tuple[str, str]:
        return ("  - about: /topics\n", f"  - about: /participants/{index}/title\n"
                "    quote: l'ambassadrice des États-Unis au Mali\n  - about: /topics\n")

    base, ours, theirs = write_sides(tmp_path, seed_with(), seed_with(AMBASSADOR, title_quote(2)),
                                seed_with(*WITHOUT_DIOP))
    result = run("merge", str(base), str(ours), str(theirs), cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (0, "")
    assert ours.read_text("utf-8") == seed_with(*WITHOUT_DIOP, AMBASSADOR, title_quote(1))


def test_evidence_about_a_dropped_participant_points_at_nothing(run, tmp_path: Path) -> None:
    """Ours quotes Diop, whom theirs removed: the quote is not moved onto someone else."""
    quote = "  - about: /participants/0\n    quote: Abdoulaye Diop, a reçu en audience\n"
    with_quote = ("  - about: /topics\n", quote + "  - about: /topics\n")
    base, ours, theirs = write_sides(tmp_path, seed_with(), seed_with(with_quote), seed_with(*WITHOUT_DIOP))
    assert run("merge", str(base), str(ours), str(theirs), cwd=tmp_path).exit_code == 0
    assert "  - about: /participants/-\n    quote: Abdoulaye Diop" in ours.read_text("utf-8")


def test_ours_is_left_as_it_is_when_theirs_changed_nothing(run, tmp_path: Path) -> None:
    ours_text = seed_with(("date: 2026-02-02", "date:    '2026-02-02'   # spaced"))
    base, ours, theirs = write_sides(tmp_path, seed_with(), ours_text, seed_with())
    assert run("merge", str(base), str(ours), str(theirs), cwd=tmp_path).exit_code == 0
    assert ours.read_text("utf-8") == ours_text


def test_conflict_is_recorded_named_by_validate_and_picked(run, repo: Path) -> None:
    record = repo / "events" / f"{SEED_ID}.yaml"
    base, ours, theirs = write_sides(repo, seed_with(), seed_with(("mode: visit", "mode: third-party")),
                                seed_with(("mode: visit", "mode: phone")))
    result = run("merge", str(base), str(ours), str(theirs), cwd=repo)
    assert (result.exit_code, result.stderr) == (1, f"{ours}: 1 merge conflict: /mode\n")
    assert ours.read_text("utf-8").endswith(
        "conflicts:\n  - at: /mode\n    base: visit\n    ours: third-party\n    theirs: phone\n")
    record.write_bytes(ours.read_bytes())
    checked = run("validate", cwd=repo)
    assert checked.exit_code == 1
    assert (f"events/{SEED_ID}.yaml:4:7: error: unresolved merge conflict at /mode: ours \"third-party\"; "
            "theirs \"phone\"; base \"visit\" (annot merge --pick ours|theirs FILE POINTER) [merge] "
            "at /mode") in checked.lines
    wrong = run("merge", "--pick", "theirs", str(record), "/mod", cwd=repo)
    assert (wrong.exit_code, wrong.stderr.strip()) == (
        2, "annot: error: no conflict recorded at '/mod' (did you mean '/mode'?); recorded: /mode")
    picked = run("merge", "--pick", "theirs", str(record), "/mode", cwd=repo)
    assert (picked.exit_code, picked.stdout) == (
        0, f"{record}: /mode: took theirs\n{record}: no conflict left; in a git merge, `git add` it\n")
    assert record.read_text("utf-8") == seed_with(("mode: visit", "mode: phone"))
    assert run("validate", cwd=repo).exit_code == 0
    again = run("merge", "--pick", "ours", str(record), cwd=repo)
    assert (again.exit_code, again.stderr.strip()) == (
        2, "annot: error: no merge conflicts recorded in this record")


def test_resolve_asks_for_each_conflict(run, tmp_path: Path) -> None:
    base, ours, theirs = write_sides(
        tmp_path, seed_with(),
        seed_with(("type: consult", "type: agree"), ("place: Bamako", "place: Kati")),
        seed_with(("type: consult", "type: support"), ("place: Bamako", "place: Koulikoro")))
    assert run("merge", str(base), str(ours), str(theirs), cwd=tmp_path).exit_code == 1
    result = run("merge", "--resolve", str(ours), cwd=tmp_path, input="theirs\nskip\n")
    assert result.exit_code == 1 and result.stderr == "1 conflict left\n"
    assert "conflict at /type" in result.stdout and "│ theirs │ \"support\"" in result.stdout
    text = ours.read_text("utf-8")
    assert "type: support\n" in text and "place: Kati\n" in text and "at: /location/place" in text
    out_of_answers = run("merge", "--resolve", str(ours), cwd=tmp_path, input="")
    assert out_of_answers.exit_code == 2
    assert out_of_answers.stderr == ("annot: error: no more answers on standard input (1 conflict left); "
                                     "use --pick ours|theirs\n")
    assert run("merge", "--pick", "ours", str(ours), cwd=tmp_path).exit_code == 0
    assert "conflicts" not in ours.read_text("utf-8")
    nothing = run("merge", "--resolve", str(ours), cwd=tmp_path)
    assert (nothing.exit_code, nothing.stderr) == (2, f"annot: error: {ours}: no merge conflicts recorded\n")
    assert run("merge", "--resolve", str(ours), "/x", cwd=tmp_path).exit_code == 2


def test_usage(run, tmp_path: Path) -> None:
    assert run("merge", "a", "b", cwd=tmp_path).exit_code == 2
    assert run("merge", "--pick", "ours", "--resolve", "a", cwd=tmp_path).exit_code == 2
    missing = run("merge", "a", "b", "c", cwd=tmp_path)
    assert missing.exit_code == 2 and "a: cannot read" in missing.stderr


def test_a_file_that_is_not_a_record_is_merged_as_text(run, tmp_path: Path) -> None:
    base, ours, theirs = write_sides(tmp_path, "- a\n- b\n- c\n", "- A\n- b\n- c\n", "- a\n- b\n- C\n")
    assert run("merge", str(base), str(ours), str(theirs), cwd=tmp_path).exit_code == 0
    assert ours.read_text() == "- A\n- b\n- C\n"


def test_text_merge_conflicts_exit_1_with_gits_markers(run, tmp_path: Path) -> None:
    base, ours, theirs = write_sides(tmp_path, "- a\n", "- b\n", "- c\n")
    result = run("merge", str(base), str(ours), str(theirs), "list.yaml", cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (1, "list.yaml: 1 merge conflict\n")
    assert ours.read_text().startswith("<<<<<<< ")


def test_only_a_record_merges_by_meaning(run, repo: Path) -> None:
    """actors.yaml is a mapping too, but a `conflicts` key there would be an actor: git's text merge."""
    base, ours, theirs = write_sides(repo, "a:\n  name: A\n  kind: person\n", "a:\n  name: A\n  kind: group\n",
                                "a:\n  name: A\n  kind: state\n")
    result = run("merge", str(base), str(ours), str(theirs), "actors.yaml", cwd=repo)
    assert (result.exit_code, result.stderr) == (1, "actors.yaml: 1 merge conflict\n")
    assert "<<<<<<<" in ours.read_text() and "conflicts" not in ours.read_text()
    # Without a path, a mapping without an id is not taken for a record either.
    base, ours, theirs = write_sides(repo, "a: 1\nx: 0\ny: 0\nb: 1\n", "a: 2\nx: 0\ny: 0\nb: 1\n",
                                "a: 1\nx: 0\ny: 0\nb: 2\n")
    assert run("merge", str(base), str(ours), str(theirs), cwd=repo).exit_code == 0
    assert ours.read_text() == "a: 2\nx: 0\ny: 0\nb: 2\n"


def test_a_record_added_on_both_sides_merges_from_an_empty_base(run, repo: Path) -> None:
    base, ours, theirs = write_sides(repo, "", seed_with(("mode: visit", "mode: phone")), seed_with())
    path = f"events/{SEED_ID}.yaml"
    result = run("merge", str(base), str(ours), str(theirs), path, cwd=repo)
    assert (result.exit_code, result.stderr) == (1, f"{path}: 1 merge conflict: /mode\n")


def _env() -> dict[str, str]:
    return {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"}


@pytest.fixture
def desk(run, repo: Path) -> Path:
    """The seed in a git repository set up by `annot init` (hook, diff and merge drivers)."""
    git(repo, "init", "-q", "-b", "main")
    run("init", cwd=repo)  # merge.annot.driver: this very annot
    git(repo, "add", ".")
    git(repo, "commit", "-q", "--no-verify", "-m", "seed")
    return repo


def _branch(repo: Path, name: str, *edits: tuple[str, str]) -> None:
    record = repo / "events" / f"{SEED_ID}.yaml"
    git(repo, "checkout", "-q", "-b", name, "main")
    record.write_text(seed_with(*edits), "utf-8")
    git(repo, "commit", "-q", "--no-verify", "-am", name)


def test_git_merges_edits_of_different_participants(desk: Path) -> None:
    _branch(desk, "alice", ("role: attendee", "role: mediator"))
    _branch(desk, "bob", ("title: Senior official, Bureau of African Affairs", "title: Deputy Assistant Secretary"))
    done = subprocess.run(["git", "merge", "-q", "--no-edit", "--no-verify", "alice"], cwd=desk,
                          env=_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (desk / "events" / f"{SEED_ID}.yaml").read_text("utf-8") == seed_with(
        ("role: attendee", "role: mediator"),
        ("title: Senior official, Bureau of African Affairs", "title: Deputy Assistant Secretary"))


def test_git_conflict_is_named_by_validate_and_resolved(desk: Path) -> None:
    record = desk / "events" / f"{SEED_ID}.yaml"
    _branch(desk, "alice", ("title: Senior official, Bureau of African Affairs", "title: Senior official"))
    _branch(desk, "bob", ("title: Senior official, Bureau of African Affairs", "title: Deputy Assistant Secretary"))
    done = subprocess.run(["git", "merge", "--no-edit", "--no-verify", "alice"], cwd=desk,
                          env=_env(), capture_output=True, text=True)
    assert done.returncode == 1
    assert f"CONFLICT (content): Merge conflict in events/{SEED_ID}.yaml" in done.stdout
    assert "<<<<<<<" not in record.read_text("utf-8")
    checked = subprocess.run([_annot(), "validate"], cwd=desk, capture_output=True, text=True)
    assert checked.returncode == 1
    assert (f"events/{SEED_ID}.yaml:19:12: error: unresolved merge conflict at /participants/1/title: "
            "ours \"Deputy Assistant Secretary\"; theirs \"Senior official\"; base \"Senior official, "
            "Bureau of African Affa…\" (annot merge --pick ours|theirs FILE POINTER) [merge] at "
            "/participants/1/title") in checked.stdout.splitlines()
    picked = subprocess.run([_annot(), "merge", "--pick", "theirs", f"events/{SEED_ID}.yaml"],
                            cwd=desk, capture_output=True, text=True)
    assert picked.returncode == 0, picked.stderr
    git(desk, "add", f"events/{SEED_ID}.yaml")
    git(desk, "commit", "-q", "--no-edit")  # the hook runs annot validate --staged: it passes now
    assert record.read_text("utf-8") == seed_with(
        ("title: Senior official, Bureau of African Affairs", "title: Senior official"))
    assert git(desk, "status", "--porcelain") == ""


# Properties and the corners of picking ------------------------------------------

scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["a", "b", "c"]))
KEYS = st.sampled_from(["ref", "name", "topics", "participants", "x"])


def _nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(scalars, st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=3))


values = _nested(_nested(scalars))  # two levels deep: lists of participants, their fields
records = st.dictionaries(st.sampled_from(["type", "topics", "participants", "related", "x", "y"]),
                          values, max_size=4)


@given(records, records)
def test_one_sided_changes_merge_to_that_side(base: dict[str, Any], changed: dict[str, Any]) -> None:
    assert merge_records(base, changed, base) == (changed, [])
    assert merge_records(base, base, changed) == (changed, [])
    assert merge_records(base, changed, changed) == (changed, [])


@given(records, values, values)
def test_changes_to_different_keys_both_land(base: dict[str, Any], a: Any, b: Any) -> None:
    ours, theirs = {**base, "x": a}, {**base, "y": b}
    merged, conflicts = merge_records(base, ours, theirs)
    if "x" not in base and "y" not in base:
        assert (merged, conflicts) == ({**base, "x": a, "y": b}, [])


def test_pick_theirs_removes_appends_and_refuses_what_it_cannot_place() -> None:
    document: dict[str, Any] = {"summary": "ours", "participants": [{"ref": "a"}], "conflicts": [
        {"at": "/summary", "base": "old", "ours": "ours"},
        {"at": "/participants/-", "base": {"ref": "b"}, "theirs": {"ref": "b", "role": "actor"}}]}
    assert pick(document, dict(document), "theirs", []) == ["/summary", "/participants/-"]
    assert document == {"participants": [{"ref": "a"}, {"ref": "b", "role": "actor"}]}
    for pointer, message in [("", "a conflict about the whole record cannot be picked; edit it by hand"),
                             ("/gone/x", "/gone/x: its parent is no longer in the record; edit it by hand"),
                             ("/participants/7", "/participants/7: no such item in the record; edit it by hand"),
                             ("/participants/0/ref/x", "/participants/0/ref/x: not a field of a mapping or a "
                                                       "list; edit it by hand")]:
        with pytest.raises(TroubleError) as caught:
            set_value(document, pointer, 1)
        assert caught.value.message == message
    set_value(document, "/participants/0", MISSING)
    assert document == {"participants": [{"ref": "b", "role": "actor"}]}


def test_conflicts_recorded_before_are_kept_once(run, tmp_path: Path) -> None:
    recorded = "conflicts:\n  - at: /summary\n    ours: x\n"
    base, ours, theirs = write_sides(tmp_path, seed_with(), seed_with() + recorded,
                                seed_with(("role: attendee", "role: mediator")) + recorded)
    result = run("merge", str(base), str(ours), str(theirs), cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (1, f"{ours}: 1 merge conflict: /summary\n")
    assert ours.read_text("utf-8") == seed_with(("role: attendee", "role: mediator")) + recorded
