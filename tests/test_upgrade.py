"""`annot upgrade`: first-schema records to v2, byte for byte outside the changed lines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annot.upgrade import upgrade_text

from .conftest import EXAMPLES, SOURCE_NAME, TESTS

OLD_EXAMPLES = sorted((TESTS / "data" / "schema-v1" / "examples").glob("*.yaml"))
GOLDEN = TESTS / "golden" / "upgrade"


@pytest.mark.parametrize("old", OLD_EXAMPLES, ids=lambda p: p.stem)
def test_the_first_examples_upgrade_byte_for_byte_and_once(old: Path) -> None:
    upgraded = upgrade_text(old.read_text("utf-8"))
    assert upgraded.changed
    assert upgraded.new == (GOLDEN / old.name).read_text("utf-8")
    assert not upgrade_text(upgraded.new).changed


def test_only_the_changed_lines_differ() -> None:
    old = (TESTS / "data" / "schema-v1" / "examples" / "2026-02-02-bamako-diop-checker.yaml").read_text()
    new = upgrade_text(old).new
    changed = [(a, b) for a, b in zip(old.splitlines(), new.splitlines(), strict=True) if a != b]
    assert changed == [
        ("  precision: inferred          # the article implies it, does not state it",
         "  basis: inferred              # the article implies it, does not state it"),
        ("    role: host", "    role: recipient"),
        ("    role: guest", "    role: actor"),
    ]


FIRST_SCHEMA = """\
id: e1
type: consult   # a meeting
date: 2026-02-02
participants:
  - {ref: a, name: A, country: MLI, role: host}
  - {ref: b, name: B, country: USA, role: guest}
  - {ref: c, name: C, country: USA, role: participant}
topics: [disease, future, crime_murder, crime_theft, culture]
source: {url: "https://example.org/a"}
annotation: {annotator: J, created: 2026-11-26T10:00:00Z, status: draft}
"""


def test_every_first_schema_feature_is_upgraded() -> None:
    new = upgrade_text(FIRST_SCHEMA).new
    assert new == """\
id: e1
type: consult   # a meeting
mode: visit
factuality: future
date: 2026-02-02
participants:
  - {ref: a, name: A, country: MLI, role: recipient}
  - {ref: b, name: B, country: USA, role: actor}
  - {ref: c, name: C, country: USA, role: actor}
topics: [health, crime, culture]
source: {url: "https://example.org/a"}
annotation: {annotator: J, created: 2026-11-26T10:00:00Z, status: draft}
"""


def test_a_v2_record_is_left_alone() -> None:
    text = (EXAMPLES / "events" / "2026-02-02-bamako-diop-checker.yaml").read_text("utf-8")
    assert not upgrade_text(text).changed


@pytest.fixture
def old_repo(tmp_path: Path) -> Path:
    root = tmp_path / "desk"
    (root / "events").mkdir(parents=True)
    (root / "sources").mkdir()
    shutil.copy(EXAMPLES / "annot.yaml", root / "annot.yaml")
    shutil.copy(EXAMPLES / "sources" / SOURCE_NAME, root / "sources" / SOURCE_NAME)
    for old in OLD_EXAMPLES:
        shutil.copy(old, root / "events" / old.name)
    return root


def test_validate_says_to_upgrade_then_check_then_upgrade(old_repo: Path, run) -> None:
    seed = "events/2026-02-02-bamako-diop-checker.yaml"
    before = run("validate", seed, cwd=old_repo)
    assert (before.exit_code, before.lines) == (1, [
        f"{seed}:16:11: error: a record of the first annot schema (role 'host'); run `annot upgrade "
        f"{seed}` to bring it to schema v2 [version] at /participants/0/role",
        "1 file checked: 1 error",
    ])
    check = run("upgrade", "--check", seed, cwd=old_repo)
    assert (check.exit_code, check.lines) == (1, [
        f"annot upgrade {seed}",
        "- location.precision: inferred",
        "+ location.basis: inferred",
        'participants[diop].role: "host" -> "recipient"',
        'participants[checker].role: "guest" -> "actor"',
        "1 file checked: 1 would be upgraded",
    ])
    untouched = (old_repo / seed).read_bytes()
    assert untouched == (TESTS / "data" / "schema-v1" / "examples" / Path(seed).name).read_bytes()
    done = run("upgrade", cwd=old_repo)
    assert (done.exit_code, done.lines[-1]) == (0, "7 files checked: 7 upgraded")
    assert run("upgrade", "--check", cwd=old_repo).lines == ["7 files checked: 0 would be upgraded"]
    assert run("validate", seed, cwd=old_repo).exit_code == 0


def test_an_unreadable_record_is_named_and_the_rest_upgraded(old_repo: Path, run) -> None:
    (old_repo / "events" / "broken.yaml").write_text("id: [unclosed\n")
    result = run("upgrade", cwd=old_repo)
    assert result.exit_code == 1
    assert result.stderr.startswith("events/broken.yaml:2:1: error: YAML syntax error")
    assert result.lines[-1] == "8 files checked: 7 upgraded, 1 unreadable"


EVERY_FIRST_SCHEMA_RECORD = sorted((TESTS / "data" / "schema-v1").rglob("*.yaml"))


@pytest.mark.parametrize("old", EVERY_FIRST_SCHEMA_RECORD, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_record_the_first_schema_accepted_upgrades_to_a_v2_record(old: Path) -> None:
    """The first schema's examples, test corpus and conformance seed: each was valid under the
    first schema (kept in tests/data/schema-v1), and upgrades to a record schema v2 accepts."""
    import json

    import jsonschema

    from annot import rules, schema, vocabulary
    from annot.dates import normalize_dates
    from annot.records import load_text

    first = json.loads((TESTS / "data" / "schema-v1" / "event.schema.json").read_text())
    before = load_text(old.read_text("utf-8")).data
    normalize_dates(before)
    assert not list(jsonschema.Draft202012Validator(first).iter_errors(before))
    upgraded = upgrade_text(old.read_text("utf-8"))
    assert not upgrade_text(upgraded.new).changed
    after = load_text(upgraded.new).data
    normalize_dates(after)
    assert rules.first_schema_feature(after) is None
    v2 = schema.builtin()
    assert v2.is_valid(after), v2.problems(after)
    # Topics with no current PLOVER context are left for the annotator; every other one is current.
    current = {c.code for c in vocabulary.plover().contexts}
    assert set(after["topics"]) <= current | {"culture", "humanitarian"}


def test_a_second_auxiliary_topic_is_noted_not_dropped_unsaid() -> None:
    text = FIRST_SCHEMA.replace("[disease, future, crime_murder, crime_theft, culture]", "[health, future, historical]")
    new = upgrade_text(text).new
    assert "factuality: future\n" in new and "topics: [health]\n" in new
    assert ("annotation: {annotator: J, created: 2026-11-26T10:00:00Z, status: draft, notes: 'annot upgrade: "
            "factuality future; the first schema also gave the topics historical'}") in new
    assert not upgrade_text(new).changed


def test_upgrade_in_a_fresh_process_writes_the_golden_record(tmp_path: Path) -> None:
    # In one test process another command's writer had registered how to write a date; the
    # installed annot, run alone, failed on every record with one ("cannot represent an object").
    import subprocess
    import sys

    old = TESTS / "data" / "schema-v1" / "examples" / "2026-02-02-bamako-diop-checker.yaml"
    (tmp_path / "events").mkdir()
    (tmp_path / "annot.yaml").write_text("events: events\n")
    shutil.copy(old, tmp_path / "events" / old.name)
    code = "import annot.upgrade, sys; sys.argv = ['annot', 'upgrade']; from annot.cli import run; run()"
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "")
    assert (tmp_path / "events" / old.name).read_text("utf-8") == (GOLDEN / old.name).read_text("utf-8")
