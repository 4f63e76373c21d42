"""The published schema: built from the vocabularies, shipped as real identical files,
and read the same way by check-jsonschema (what editors and CI run) as by annot."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annot.schema import BUILTIN_SCHEMA

from .conftest import EXAMPLES, PROJECT, SOURCE_NAME, TESTS

CASES = sorted(p for p in (TESTS / "conformance" / "cases").iterdir() if (p / "expect.json").exists())
# Rules whose findings are the schema's to find too (the rest need other files or the article).
# merge: the schema refuses a record with `conflicts` (its merge-resolved def), as editors should.
SCHEMA_LEVEL = {"schema", "yaml", "duplicate-key", "mode", "role", "topic", "version", "merge"}


def _builder():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build_schema", PROJECT / "scripts" / "build_schema.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_schema_is_the_one_built_from_the_vocabularies() -> None:
    assert BUILTIN_SCHEMA.read_text("utf-8") == _builder().render()


@pytest.mark.parametrize("name", ["event.schema.json", "actors.schema.json"])
@pytest.mark.parametrize("folder", ["schema", "examples/schema"])
def test_the_editor_copies_are_real_files_identical_to_the_package(folder: str, name: str) -> None:
    path = PROJECT / folder / name
    assert not path.is_symlink()
    assert path.read_bytes() == (BUILTIN_SCHEMA.parent / name).read_bytes()
    assert path.read_text("utf-8") == _builder().render(name)


def test_every_vocabulary_reaches_the_schema() -> None:
    from annot import vocabulary

    schema = json.loads(BUILTIN_SCHEMA.read_text("utf-8"))
    plover = vocabulary.plover()
    assert schema["properties"]["type"]["enum"] == [t.code for t in plover.types]
    assert len(schema["$defs"]["topic"]["enum"]) == 37
    assert schema["$defs"]["sector"]["enum"] == [s.code for s in plover.sectors]
    assert schema["$defs"]["entity"]["enum"][-8:] == ["IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC", "KOS"]
    sanction = next(s for s in schema["$defs"]["mode-of-type"]["allOf"]
                    if s["if"]["properties"]["type"] == {"const": "sanction"})
    assert sanction["then"]["properties"]["mode"]["anyOf"][0]["enum"] == [
        "convict", "expel", "withdraw", "discontinue"]


def check_jsonschema(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(BUILTIN_SCHEMA), *map(str, files)],
        capture_output=True, text=True,
    )


def test_check_jsonschema_passes_every_example() -> None:
    done = check_jsonschema(*sorted((EXAMPLES / "events").glob("*.yaml")))
    assert (done.returncode, done.stdout.strip()) == (0, "ok -- validation done"), done.stdout
    registry = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile",
         str(BUILTIN_SCHEMA.parent / "actors.schema.json"), str(EXAMPLES / "actors.yaml")],
        capture_output=True, text=True)
    assert (registry.returncode, registry.stdout.strip()) == (0, "ok -- validation done"), registry.stdout


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_check_jsonschema_fails_exactly_the_cases_annot_fails_at_the_schema_level(case: Path) -> None:
    expect = json.loads((case / "expect.json").read_text())
    schema_level = any(set(p["rule"].split("|")) & SCHEMA_LEVEL for p in expect["problems"])
    done = check_jsonschema(*sorted((case / "events").rglob("*.yaml")))
    assert (done.returncode != 0) == schema_level, done.stdout


def test_check_jsonschema_passes_the_records_annot_add_writes(tmp_path: Path, run) -> None:
    from .test_add import SEED_SETTINGS, settings

    desk = tmp_path / "desk"
    desk.mkdir()
    assert run("init", cwd=desk).exit_code == 0
    shutil.copy(EXAMPLES / "sources" / SOURCE_NAME, desk / "sources" / SOURCE_NAME)
    assert run("add", "--no-input", *settings(*SEED_SETTINGS), cwd=desk).exit_code == 0
    aid = [s for s in SEED_SETTINGS if s != "mode=visit"] + ["type=aid", "factuality=historical", "date=2012"]
    added = run("add", "--no-input", "--id", "aid", *settings(*aid), cwd=desk)
    assert added.exit_code == 0, added.stderr
    written = sorted((desk / "events").glob("*.yaml"))
    assert len(written) == 2
    done = check_jsonschema(*written)
    assert (done.returncode, done.stdout.strip()) == (0, "ok -- validation done"), done.stdout
