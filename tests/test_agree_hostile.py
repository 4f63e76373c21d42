"""annot agree on hostile folders: links out and back, FIFOs, duplicate ids, CSV formulas."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from .conftest import EXAMPLES, git

A, B = "annotator-a", "annotator-b"
FLINTLOCK = "2005-flintlock-exercises-mali"
AES = "2026-02-02-usa-willing-to-work-with-aes"  # in Bamako, for both annotators


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """The shipped double-annotated sample in a git repository of its own."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "agreement", root)
    git(root, "init", "-q")
    return root


def _events(result) -> dict[str, int]:
    return {d["annotator"]: d["events"] for d in json.loads(result.stdout)["detection"]}


def test_a_link_out_of_the_repository_is_not_followed(run, sample: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("not: [a record\n", "utf-8")
    (outside / "stray.yaml").write_bytes((sample / A / f"{FLINTLOCK}.yaml").read_bytes()
                                         .replace(FLINTLOCK.encode(), b"stray-event"))
    os.symlink(outside / "secret.yaml", sample / A / "pw.yaml")
    os.symlink(outside / "stray.yaml", sample / A / "stray.yaml")
    os.symlink(outside, sample / A / "elsewhere")
    result = run("agree", A, B, "--format", "json", cwd=sample)
    assert result.exit_code == 2
    # Neither the unparsable file nor the valid record out there is read: A has its 11 events.
    assert _events(result) == {A: 11, B: 10}
    assert result.stderr.splitlines() == [
        f"{A}/{name}:1:1: error: a symbolic link out of the repository: not followed"
        for name in ("elsewhere", "pw.yaml", "stray.yaml")]


def test_a_fifo_is_one_line_and_the_comparison_goes_on(run, sample: Path) -> None:
    os.mkfifo(sample / A / "fifo.yaml")  # never opened: it would wait forever for a writer
    result = run("agree", A, B, "--format", "json", cwd=sample)
    assert result.exit_code == 2
    assert _events(result) == {A: 11, B: 10}
    assert result.stderr == (f"{A}/fifo.yaml:1:1: error: cannot read: "
                             "not a regular file (a FIFO, socket or device)\n")


def test_a_link_back_up_does_not_credit_a_with_bs_records(run, sample: Path) -> None:
    os.symlink("..", sample / A / "loop")
    os.symlink(".", sample / A / "self")
    result = run("agree", A, B, "--format", "json", cwd=sample)
    assert result.exit_code == 2
    assert _events(result) == {A: 11, B: 10}
    assert result.stderr.splitlines() == [
        f"{A}/{name}:1:1: error: symbolic link loop: it leads back to a folder above it"
        for name in ("loop", "self")]


def test_a_link_to_a_folder_inside_is_followed(run, sample: Path) -> None:
    (sample / "shared").mkdir()
    (sample / A / f"{FLINTLOCK}.yaml").rename(sample / "shared" / f"{FLINTLOCK}.yaml")
    os.symlink("../shared", sample / A / "shared")
    result = run("agree", A, B, "--format", "json", cwd=sample)
    assert (result.exit_code, result.stderr) == (0, "")
    assert _events(result) == {A: 11, B: 10}


def test_a_duplicate_id_counts_once_with_a_warning(run, sample: Path) -> None:
    (sample / A / "sub").mkdir()
    shutil.copy(sample / A / f"{FLINTLOCK}.yaml", sample / A / "sub" / f"{FLINTLOCK}.yaml")
    result = run("agree", A, B, "--format", "json", cwd=sample)
    assert result.exit_code == 2
    assert _events(result) == {A: 11, B: 10}
    assert result.stderr == (f"{A}/sub/{FLINTLOCK}.yaml:1:1: warning: id '{FLINTLOCK}' is also the id "
                             f"of {A}/{FLINTLOCK}.yaml: only that one counted\n")


def test_a_duplicate_id_in_a_git_revision_counts_once(run, sample: Path) -> None:
    (sample / A / "sub").mkdir()
    shutil.copy(sample / A / f"{FLINTLOCK}.yaml", sample / A / "sub" / f"{FLINTLOCK}.yaml")
    (sample / "annot.yaml").write_text(f"events: {A}\n", "utf-8")
    git(sample, "add", ".")
    git(sample, "commit", "-q", "-m", "a copy of a record")
    result = run("agree", "HEAD", B, "--format", "json", cwd=sample)
    assert result.exit_code == 2
    assert _events(result) == {"HEAD": 11, B: 10}
    assert f"{A}/sub/{FLINTLOCK}.yaml:1:1: warning: id '{FLINTLOCK}' is also the id of " in result.stderr


def _with_place(folder: Path, place: str) -> None:
    path = folder / f"{AES}.yaml"
    text = path.read_text("utf-8")
    assert "  place: Bamako\n" in text
    path.write_text(text.replace("  place: Bamako\n", f"  place: {json.dumps(place)}\n", 1), "utf-8")


def test_csv_cells_never_start_a_formula_and_places_keep_their_spelling(run, sample: Path) -> None:
    _with_place(sample / A, "=cmd|' /c calc'!A0")
    _with_place(sample / B, "Bamako")
    os.rename(sample / A, sample / "@a")
    result = run("agree", "@a", B, "--format", "csv", "--details", cwd=sample)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["event", "field", "'@a", B]
    assert [AES, "place", "'=cmd|' /c calc'!A0", "Bamako"] in rows


def test_places_compare_folded_and_show_the_first_spelling(run, sample: Path, tmp_path: Path) -> None:
    shutil.copytree(sample / B, sample / "annotator-c")
    _with_place(sample / A, "Bamako")
    _with_place(sample / B, "BAMAKO")
    _with_place(sample / "annotator-c", "Ségou")
    result = run("agree", A, B, "annotator-c", "--format", "json", "--details", cwd=sample)
    places = [d["values"] for d in json.loads(result.stdout)["disagreements"] if d["field"] == "place"]
    assert places == [{A: "Bamako", B: "Bamako", "annotator-c": "Ségou"}]
    two = run("agree", A, B, "--format", "json", "--details", cwd=sample)
    assert [d for d in json.loads(two.stdout)["disagreements"] if d["field"] == "place"] == []
