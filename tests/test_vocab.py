"""`annot vocab`: the vocabularies with their meanings, from the shipped codebook data."""

from __future__ import annotations

import json

import pytest

from annot import vocabulary


@pytest.fixture(autouse=True)
def _fixed_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")


def test_modes_are_grouped_by_type_with_the_codebook_meaning(run) -> None:
    result = run("vocab", "modes")
    assert result.exit_code == 0
    assert result.lines[:3] == ["Modes (67)", "  consult",
                                "    visit           actor is visiting, recipient is hosting."]
    assert "  sanction" in result.lines
    assert ("    discontinue     Curtail, decrease, break, or terminate diplomatic, commercial, or material"
            in result.lines)


def test_roles_and_factuality(run) -> None:
    assert run("vocab", "roles", "factuality").lines == [
        "Roles (4)",
        "  actor      initiates the event (in a reciprocal event, such as a meeting of equals, every party)",
        "  recipient  to whom the event is directed (the host of a visit)",
        "  mediator   a third party brokering between the parties",
        "  attendee   present, not a party",
        "",
        "Factuality (5)",
        "  asserted      the article reports it as happening (the default)",
        '  historical    e.g. "During the decolonization struggle, Angolan forces..."',
        '  future        e.g. "Members of the G-7 will meet in Ottawa next month..."',
        '  hypothetical  e.g. "If Russian forces were to cross the border, that would represent a major..."',
        '  negated       e.g. "Thus far, fighting has not re-emerged in the tense region."',
    ]


def test_json_holds_every_code_of_every_kind(run) -> None:
    data = json.loads(run("vocab", "--format", "json", *vocabulary.KINDS).stdout)
    assert list(data) == list(vocabulary.KINDS)
    assert len(data["topics"]) == 37 and data["topics"][0]["code"] == "military"
    assert [e["code"] for e in data["types"]][:2] == ["agree", "consult"]
    assert data["types"][4]["meaning"].endswith("(requires a recipient)")  # cooperate
    assert [e["type"] for e in data["modes"] if e["code"] == "expel"] == ["threaten", "sanction"]
    assert {"code": "MLI", "meaning": "Mali"} in data["countries"]
    assert data["countries"][-1] == {"code": "KOS", "meaning": "Kosovo (PLOVER entity code)"}


def test_an_unknown_kind_is_a_usage_error(run) -> None:
    result = run("vocab", "mode")
    assert result.exit_code == 2
    assert "'mode' is not one of" in result.stderr
