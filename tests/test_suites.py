"""The public suites in ../shared/suites: the YAML test suite against the record loader, and
the JSON-Schema-Test-Suite (draft 2020-12) against `annot validate` with a custom schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annot.errors import ConfigError
from annot.records import YamlError, load, load_text
from annot.schema import RecordSchema

from .conftest import PROJECT

SUITES = PROJECT.parent / "shared" / "suites"
YAML_SUITE = SUITES / "yaml-test-suite"
SCHEMA_SUITE = SUITES / "JSON-Schema-Test-Suite" / "tests" / "draft2020-12"
ABSENT = "../shared/suites is absent (e.g. in an sdist): nothing to test against"

YAML_CASES = sorted(p.parent for p in YAML_SUITE.rglob("in.yaml")) if YAML_SUITE.is_dir() else []


def _json_stream(text: str) -> list[Any]:
    decoder, position, values = json.JSONDecoder(), 0, []
    text = text.strip()
    while position < len(text):
        value, position = decoder.raw_decode(text, position)
        values.append(value)
        while position < len(text) and text[position].isspace():
            position += 1
    return values


@pytest.mark.skipif(not YAML_CASES, reason=ABSENT)
@pytest.mark.parametrize("case", YAML_CASES, ids=lambda p: str(p.relative_to(YAML_SUITE)))
def test_the_loader_never_returns_a_wrong_value(case: Path) -> None:
    """A case is read to the suite's value, or refused with a located yaml error (a root that
    is not one mapping, a tag, or what libyaml would read unlike the spec)."""
    try:
        data = load((case / "in.yaml").read_bytes()).data
    except YamlError as exc:
        assert exc.message and exc.position[0] >= 1
        return
    assert not (case / "error").exists(), "the suite marks this input invalid"
    expected = _json_stream((case / "in.json").read_text("utf-8")) if (case / "in.json").exists() else None
    if expected is not None:
        assert [data] == expected


def test_the_yaml_suite_is_there_in_ci() -> None:
    if not YAML_CASES:
        pytest.skip(ABSENT)
    assert len(YAML_CASES) > 300


# JSON-Schema-Test-Suite ---------------------------------------------------------------

# Refused by design, with the reason: annot never reaches the network (remote $refs and
# metaschemas by URL), and a pattern both engines cannot read is a configuration error.
REFUSED = {
    "dynamicRef.json": "remote $ref (http://localhost:1234): annot never reaches the network",
    "refRemote.json": "remote $ref (http://localhost:1234): annot never reaches the network",
    "vocabulary.json": "a metaschema by URL: annot never reaches the network",
    "patternProperties.json": "\\p{...} as a property pattern: Python's re (unevaluatedProperties) "
                              "cannot read it",
}


def _groups() -> list[tuple[str, dict[str, Any]]]:
    if not SCHEMA_SUITE.is_dir():
        return []
    return [(f.name, g) for f in sorted(SCHEMA_SUITE.glob("*.json")) for g in json.loads(f.read_text())]


@pytest.mark.skipif(not SCHEMA_SUITE.is_dir(), reason=ABSENT)
@pytest.mark.parametrize(("name", "group"), _groups(), ids=lambda x: x if isinstance(x, str) else "")
def test_no_wrong_verdict_on_an_object_instance(name: str, group: dict[str, Any]) -> None:
    schema = group["schema"] if isinstance(group["schema"], dict) else {"allOf": [group["schema"]]}
    try:
        checked = RecordSchema(schema, name)
    except ConfigError:
        assert name in REFUSED, f"{name}: {group['description']} refused without a reason listed"
        return
    for case in group["tests"]:
        if not isinstance(case["data"], dict) or not case["data"]:
            continue  # a record is a non-empty mapping
        data = load_text(json.dumps(case["data"])).data
        valid = checked.is_valid(data)
        if not valid:
            assert checked.problems(data), "a failing record is always explained"
        assert valid == case["valid"], case["description"]
