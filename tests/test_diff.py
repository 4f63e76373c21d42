"""`annot diff`: semantic changes, JSON, patches, folders, revisions, git's driver."""

from __future__ import annotations

import copy
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import jsonpatch
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annot.diff import diff_collections, diff_records

from .conftest import SEED_ID, SEED_RECORD, git, seed_with

REFORMATTED = """\
# the same record, written differently
annotation: {status: draft, created: 2026-11-26T10:00:00Z, annotator: "Jane Doe <jane@example.org>"}
evidence:
- {quote: "lutte contre le terrorisme, échanges économiques et commerciaux", about: /topics}
- quote: Le 2 février 2026
  about: /date
- about: /participants/2
  quote: en présence de l'ambassadrice des États-Unis au Mali
- about: /participants/1
  quote: M. Nick Checker, haut fonctionnaire du Bureau des Affaires africaines
source: {text: sources/mali-usa-audience-2026-02-02.fr.txt, language: fr, title: "Mali–États-Unis, audience du 2 février 2026"}
summary: "Mali's foreign minister received a senior U.S. State Department official."
topics:
  - economic
  - diplomatic
  - terrorism
participants:
  - {ref: checker, name: Nick Checker, title: "Senior official, Bureau of African Affairs", organization: U.S. Department of State, country: USA, role: actor}
  - {ref: diop, name: Abdoulaye Diop, title: Minister of Foreign Affairs and International Cooperation, organization: Government of Mali, country: MLI, role: recipient}
  - {ref: us-ambassador, name: ~, title: U.S. Ambassador to Mali, organization: U.S. Department of State, country: USA, role: attendee}
location: {basis: inferred, country: MLI, place: Bamako}
date: '2026-02-02'
mode: "visit"
type: consult
id: 2026-02-02-bamako-diop-checker
"""

CHANGED = seed_with(
    ("title: Senior official, Bureau of African Affairs", "title: Senior State Department official"),
    ("[diplomatic, terrorism, economic]", "[diplomatic, economic, military]"),
    ("""  - ref: us-ambassador
    name: null
    title: U.S. Ambassador to Mali
    organization: U.S. Department of State
    country: USA
    role: attendee
""", ""),
    ("  basis: inferred\n", "  basis: stated\n  geonames: 2460596\n"),
    ("mode: visit", "factuality: asserted"),
    ("  - about: /topics\n", "  - about: /location\n    quote: Bamako\n  - about: /topics\n"),
)


def files(tmp_path: Path, old: str, new: str) -> tuple[str, str]:
    (tmp_path / "old.yaml").write_text(old, "utf-8")
    (tmp_path / "new.yaml").write_text(new, "utf-8")
    return "old.yaml", "new.yaml"


def test_reformatted_but_equal_is_no_change(tmp_path: Path, run) -> None:
    a, b = files(tmp_path, SEED_RECORD, REFORMATTED)
    assert run("diff", a, b, cwd=tmp_path).exit_code == 0
    result = run("diff", "--format", "json", a, b, cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (0, "[]\n")
    assert run("diff", "--format", "patch", a, b, cwd=tmp_path).stdout == "[]\n"


def test_each_kind_of_change_as_text(tmp_path: Path, run) -> None:
    a, b = files(tmp_path, SEED_RECORD, CHANGED)
    result = run("diff", a, b, cwd=tmp_path)
    assert result.exit_code == 1
    assert result.lines == [
        "- mode: visit",
        "+ factuality: asserted",
        "location.basis: \"inferred\" -> \"stated\"",
        "+ location.geonames: 2460596",
        "- participants[us-ambassador]",
        "participants[checker].title: \"Senior official, Bureau of African Affairs\" -> "
        "\"Senior State Department official\"",
        "- topics: terrorism",
        "+ topics: military",
        "+ evidence[/location]",
    ]


def test_each_kind_of_change_as_json(tmp_path: Path, run) -> None:
    a, b = files(tmp_path, SEED_RECORD, CHANGED)
    changes = json.loads(run("diff", "--format", "json", a, b, cwd=tmp_path).stdout)
    assert changes[0] == {"op": "removed", "path": "mode", "old": "visit", "new": None}
    assert changes[2] == {"op": "changed", "path": "location.basis", "old": "inferred", "new": "stated"}
    assert changes[4]["op"] == "removed" and changes[4]["path"] == "participants[us-ambassador]"
    assert changes[4]["old"]["title"] == "U.S. Ambassador to Mali"
    assert changes[8] == {"op": "added", "path": "evidence[/location]", "old": None,
                          "new": {"about": "/location", "quote": "Bamako"}}


def _load(text: str) -> dict[str, Any]:
    from annot.diff import load_record

    return load_record(text.encode(), "x")


def test_patch_round_trips_with_a_json_patch_library(tmp_path: Path, run) -> None:
    a, b = files(tmp_path, SEED_RECORD, CHANGED)
    patch = json.loads(run("diff", "--format", "patch", a, b, cwd=tmp_path).stdout)
    assert jsonpatch.apply_patch(_load(SEED_RECORD), patch) == _load(CHANGED)


def test_folders_pair_records_by_id_wherever_they_sit(tmp_path: Path, run) -> None:
    (tmp_path / "jane" / "2026").mkdir(parents=True)
    (tmp_path / "joe").mkdir()
    (tmp_path / "jane" / "2026" / f"{SEED_ID}.yaml").write_text(SEED_RECORD)
    (tmp_path / "joe" / "renamed.yaml").write_text(CHANGED)
    gone = seed_with(("id: 2026-02-02-bamako-diop-checker", "id: only-jane"))
    (tmp_path / "jane" / "only-jane.yaml").write_text(gone)
    (tmp_path / "joe" / "only-joe.yaml").write_text(gone.replace("only-jane", "only-joe"))
    result = run("diff", "jane", "joe", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.lines[:3] == [f"- {SEED_ID}.mode: visit", f"+ {SEED_ID}.factuality: asserted",
                                f"{SEED_ID}.location.basis: \"inferred\" -> \"stated\""]
    assert result.lines[-2:] == ["- only-jane", "+ only-joe"]
    patch = json.loads(run("diff", "--format", "patch", "jane", "joe", cwd=tmp_path).stdout)
    old = {SEED_ID: _load(SEED_RECORD), "only-jane": _load(gone)}
    new = {SEED_ID: _load(CHANGED), "only-joe": _load(gone.replace("only-jane", "only-joe"))}
    assert jsonpatch.apply_patch(old, patch) == new


def test_trouble_exits_2_with_a_located_message(tmp_path: Path, run) -> None:
    a, b = files(tmp_path, SEED_RECORD, "id: [broken\n")
    result = run("diff", a, b, cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("new.yaml:2:1: error: YAML syntax error: while parsing a flow sequence: "
                             "did not find expected ',' or ']' [yaml]\n")
    assert run("diff", a, "missing.yaml", cwd=tmp_path).stderr == \
        "annot: error: missing.yaml: no such file or folder\n"
    assert run("diff", a, cwd=tmp_path).exit_code == 2
    (tmp_path / "d").mkdir()
    assert run("diff", a, "d", cwd=tmp_path).exit_code == 2


@pytest.fixture
def history(repo: Path) -> Path:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "seed")
    (repo / "events" / f"{SEED_ID}.yaml").write_text(CHANGED)
    (repo / "events" / "new.yaml").write_text(seed_with(("id: 2026-02-02-bamako-diop-checker", "id: new")))
    return repo


def test_revision_against_the_working_tree_and_two_revisions(history: Path, run) -> None:
    result = run("diff", "HEAD", cwd=history)
    assert result.exit_code == 1
    assert result.lines[0] == f"- {SEED_ID}.mode: visit"
    assert result.lines[-1] == "+ new"
    git(history, "add", "-A")
    git(history, "commit", "-q", "-m", "second")
    two = run("diff", "HEAD~1", "HEAD", "--", f"events/{SEED_ID}.yaml", cwd=history)
    assert two.exit_code == 1
    assert "+ new" not in two.lines
    assert two.lines[-1] == f"+ {SEED_ID}.evidence[/location]"
    assert run("diff", "HEAD", "HEAD", cwd=history).exit_code == 0
    unknown = run("diff", "no-such-rev", cwd=history)
    assert (unknown.exit_code, unknown.stderr) == (
        2, "annot: error: unknown revision 'no-such-rev' (not a commit git knows here)\n")
    misspelt = run("diff", "events/no-such-record.yaml", cwd=history)
    assert (misspelt.exit_code, misspelt.stderr) == (
        2, "annot: error: events/no-such-record.yaml: no such file or folder, nor a revision git knows\n")



def test_as_git_diff_no_argument_is_the_working_tree_and_staged_is_the_index(history: Path, run) -> None:
    # Nothing staged yet: the index is HEAD; the working tree holds both changes.
    assert run("diff", cwd=history) == run("diff", "HEAD", cwd=history)
    assert run("diff", cwd=history).exit_code == 1
    assert run("diff", "--staged", cwd=history).lines == [] and run("diff", "--staged", cwd=history).exit_code == 0
    git(history, "add", "events/new.yaml")
    staged = run("diff", "--staged", cwd=history)
    assert (staged.exit_code, staged.lines) == (1, ["+ new"])
    assert run("diff", "--cached", "HEAD", "--", "events/new.yaml", cwd=history) == staged
    assert run("diff", "--staged", "--", f"events/{SEED_ID}.yaml", cwd=history).exit_code == 0
    git(history, "add", "-A")
    assert run("diff", "--staged", cwd=history) == run("diff", cwd=history)
    assert run("diff", "--staged", "HEAD", "HEAD", cwd=history).stderr == (
        "annot: error: --staged compares git's index with one revision (default HEAD)\n")


def use_as_driver(history: Path) -> None:
    """Make this annot git's diff driver for YAML files in `history`."""
    annot = f"{os.path.dirname(os.sys.executable)}/annot"
    command = f"{annot} diff --git-driver" if os.path.exists(annot) else \
        f"{os.sys.executable} -m annot diff --git-driver"
    git(history, "config", "diff.annot.command", command)
    (history / ".gitattributes").write_text("*.yaml diff=annot\n")


def test_git_uses_it_as_its_diff_driver(history: Path) -> None:
    use_as_driver(history)
    (history / "annot.yaml").write_text("events: events\nsources: sources  # changed\n")
    shown = subprocess.run(["git", "diff"], cwd=history, capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[:3] == [
        "annot diff a/annot.yaml b/annot.yaml (no change in meaning)",
        f"annot diff a/events/{SEED_ID}.yaml b/events/{SEED_ID}.yaml",
        "- mode: visit",
    ]
    (history / "notes.yaml").write_text("- a list, not a record\n")
    git(history, "add", "-A")
    git(history, "commit", "-q", "-m", "notes")
    (history / "notes.yaml").write_text("- another list\n")
    text = subprocess.run(["git", "diff"], cwd=history, capture_output=True, text=True).stdout
    assert "annot diff a/notes.yaml b/notes.yaml (not a record: text diff)" in text
    assert "+- another list" in text


# Properties ------------------------------------------------------------------

slugs = st.from_regex(r"[a-z]{1,6}(-[a-z0-9]{1,4})?", fullmatch=True)
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
participants = st.lists(
    st.fixed_dictionaries({"ref": slugs, "role": st.sampled_from(["host", "guest", "attendee"])},
                          optional={"name": st.one_of(st.none(), texts), "title": texts}),
    max_size=4, unique_by=lambda p: p["ref"])
records = st.fixed_dictionaries(
    {"id": slugs, "date": st.sampled_from(["2026", "2026-02", "2026-02-02"]),
     "participants": participants,
     "topics": st.lists(st.sampled_from(["diplomatic", "economic", "military", "terrorism"]),
                        unique=True, max_size=4)},
    optional={"summary": texts, "location": st.fixed_dictionaries({}, optional={"place": texts, "geonames": st.integers(1, 99)}),
              "evidence": st.lists(st.fixed_dictionaries({"about": st.sampled_from(["/date", "/topics", "/participants/0"]), "quote": texts}),
                                   max_size=3, unique_by=lambda e: e["about"]),
              "related": st.lists(slugs, unique=True, max_size=3),
              "extra": st.lists(st.integers(), max_size=3)},
)


def _canonical(record: dict[str, Any]) -> Any:
    """A record with the order that carries no meaning taken out."""
    out = copy.deepcopy(record)
    for key in ("topics", "related"):
        if key in out:
            out[key] = sorted(out[key])
    if "participants" in out:
        out["participants"] = sorted(out["participants"], key=lambda p: p["ref"])
    if "evidence" in out:
        out["evidence"] = sorted(out["evidence"], key=lambda e: e["about"])
    return out


@settings(max_examples=200, deadline=None)
@given(records)
def test_a_record_has_no_difference_with_itself(record: dict[str, Any]) -> None:
    result = diff_records(record, copy.deepcopy(record))
    assert (result.changes, result.patch) == ([], [])


@settings(max_examples=300, deadline=None)
@given(records, records)
def test_the_patch_turns_old_into_new(old: dict[str, Any], new: dict[str, Any]) -> None:
    result = diff_records(old, new)
    patched = jsonpatch.apply_patch(old, [op.as_dict() for op in result.patch])
    assert _canonical(patched) == _canonical(new)
    assert bool(result.changes) == (_canonical(old) != _canonical(new))


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(slugs, records, max_size=3), st.dictionaries(slugs, records, max_size=3))
def test_collection_patch_turns_old_into_new(old: dict, new: dict) -> None:
    result = diff_collections(old, new)
    patched = jsonpatch.apply_patch(old, [op.as_dict() for op in result.patch])
    assert {k: _canonical(v) for k, v in patched.items()} == {k: _canonical(v) for k, v in new.items()}


def test_the_diff_driver_takes_a_rename(history: Path) -> None:
    use_as_driver(history)
    git(history, "add", "-A")
    git(history, "commit", "-q", "-m", "second")
    git(history, "mv", f"events/{SEED_ID}.yaml", "events/renamed.yaml")
    (history / "events" / "renamed.yaml").write_text(CHANGED.replace("status: draft", "status: reviewed\n  reviewer: R"))
    git(history, "add", "-A")
    shown = subprocess.run(["git", "diff", "--cached", "-M50%"], cwd=history, capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == [
        f"annot diff a/events/{SEED_ID}.yaml b/events/renamed.yaml",
        'annotation.status: "draft" -> "reviewed"',
        "+ annotation.reviewer: R",
    ]


def test_byte_identical_files_are_not_even_parsed(tmp_path: Path, run) -> None:
    for side in ("jane", "joe"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "same-but-broken.yaml").write_text("id: [unclosed\n")
        (tmp_path / side / f"{SEED_ID}.yaml").write_text(SEED_RECORD)
    (tmp_path / "joe" / f"{SEED_ID}.yaml").write_text(CHANGED)
    result = run("diff", "jane", "joe", cwd=tmp_path)
    assert result.exit_code == 1 and result.stderr == ""
    assert result.lines[0] == f"- {SEED_ID}.mode: visit"


def test_a_bad_file_in_a_folder_is_named_and_the_rest_compared(tmp_path: Path, run) -> None:
    for side in ("jane", "joe"):
        (tmp_path / side).mkdir()
        (tmp_path / side / f"{SEED_ID}.yaml").write_text(SEED_RECORD)
    (tmp_path / "joe" / f"{SEED_ID}.yaml").write_text(CHANGED)
    (tmp_path / "joe" / "broken.yaml").write_text("id: [unclosed\n")
    result = run("diff", "jane", "joe", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.lines[0] == f"- {SEED_ID}.mode: visit"
    assert result.stderr == ("joe/broken.yaml:2:1: error: YAML syntax error: while parsing a flow sequence: "
                             "did not find expected ',' or ']' [yaml]\n")


def test_a_file_unreadable_on_one_side_is_neither_removed_nor_added(tmp_path: Path, run) -> None:
    for side in ("jane", "joe"):
        (tmp_path / side).mkdir()
        (tmp_path / side / f"{SEED_ID}.yaml").write_text(SEED_RECORD)
        (tmp_path / side / "other.yaml").write_text(seed_with((f"id: {SEED_ID}", "id: other")))
    (tmp_path / "joe" / "other.yaml").write_text("id: [unclosed\n")
    (tmp_path / "jane" / f"{SEED_ID}.yaml").write_text(CHANGED)
    result = run("diff", "jane", "joe", cwd=tmp_path)
    assert result.exit_code == 2 and "other" not in result.stdout  # not "- other"
    assert result.lines[0][2:].startswith(SEED_ID) and not [line for line in result.lines if "other" in line]
    assert result.stderr.startswith("joe/other.yaml:2:1: error: YAML syntax error")


def test_a_record_in_conflict_is_named_not_taken_for_removed_or_unchanged(history: Path, run) -> None:
    git(history, "checkout", "-q", "--", ".")
    (history / "events" / "new.yaml").unlink()
    record = history / "events" / f"{SEED_ID}.yaml"
    git(history, "checkout", "-q", "-b", "other")
    record.write_text(SEED_RECORD.replace("date: 2026-02-02", "date: 2026-02-03"))
    git(history, "commit", "-q", "-am", "theirs")
    git(history, "checkout", "-q", "main")
    record.write_text(SEED_RECORD.replace("date: 2026-02-02", "date: 2026-02-04"))
    git(history, "commit", "-q", "-am", "ours")
    subprocess.run(["git", "merge", "-q", "other"], cwd=history, capture_output=True, check=False)
    worktree = run("diff", cwd=history)
    assert (worktree.exit_code, worktree.stdout) == (2, "")  # the markers are said; no "- {SEED_ID}"
    assert "unresolved merge conflict" in worktree.stderr
    staged = run("diff", "--staged", cwd=history)
    assert (staged.exit_code, staged.stdout, staged.stderr) == (
        2, "", f"events/{SEED_ID}.yaml: in conflict in git's index (unmerged): resolve it, then compare\n")


def test_a_repository_without_a_commit_compares_with_nothing_as_git_does(repo: Path, run) -> None:
    git(repo, "init", "-q")
    assert (run("diff", cwd=repo).exit_code, run("diff", cwd=repo).lines) == (1, [f"+ {SEED_ID}"])
    assert (run("diff", "--staged", cwd=repo).exit_code, run("diff", "--staged", cwd=repo).stdout) == (0, "")
    git(repo, "add", "-A")
    assert run("diff", "--staged", cwd=repo).lines == [f"+ {SEED_ID}"]
    assert run("diff", "HEAD", cwd=repo).stderr == (
        "annot: error: unknown revision 'HEAD' (not a commit git knows here)\n")  # named: as git says


def test_a_record_moved_and_broken_is_named_not_removed(history: Path, run) -> None:
    git(history, "checkout", "-q", "--", ".")
    (history / "events" / "new.yaml").unlink()
    (history / "events" / "2026").mkdir()
    git(history, "mv", f"events/{SEED_ID}.yaml", "events/2026/")
    with (history / "events" / "2026" / f"{SEED_ID}.yaml").open("a", encoding="utf-8") as moved:
        moved.write("bad: [\n")
    result = run("diff", cwd=history)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"events/2026/{SEED_ID}.yaml:")


def test_a_path_alone_is_head_against_the_working_tree_there_as_git_diff_takes_it(history: Path, run) -> None:
    one = run("diff", f"events/{SEED_ID}.yaml", cwd=history)
    assert one.exit_code == 1 and one.lines[0] == f"- {SEED_ID}.mode: visit" and "+ new" not in one.lines
    assert run("diff", "events", cwd=history) == run("diff", cwd=history)
