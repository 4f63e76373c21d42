"""`annot summary`: golden outputs, the who-met-whom rules, filters, skipped records."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from annot.summary import Filters, meetings, normalise, summarise

from .conftest import EXAMPLES, TESTS

GOLDEN = TESTS / "golden"
CORPUS = TESTS / "data" / "corpus"
FORMATS = {"text": "txt", "json": "json", "markdown": "md", "csv": "csv"}


def check_golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME; ANNOT_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if os.environ.get("ANNOT_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, "utf-8")
    assert text == path.read_text("utf-8")


@pytest.fixture(autouse=True)
def _fixed_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("where", "label"), [(EXAMPLES, "examples"), (CORPUS, "corpus")])
def test_golden_outputs(run, fmt: str, where: Path, label: str) -> None:
    result = run("summary", "--format", fmt, cwd=where)
    assert result.exit_code == 0
    check_golden(f"summary-{label}.{FORMATS[fmt]}", result.stdout)
    if fmt == "text":
        assert max(len(line) for line in result.lines) <= 80


def test_the_seed_audience_reads_as_who_met_whom(run) -> None:
    text = run("summary", cwd=EXAMPLES).stdout
    assert "1x    Abdoulaye Diop met Nick Checker: 2026-02-02-bamako-diop-checker\n" in text
    markdown = run("summary", "--format", "markdown", cwd=EXAMPLES).stdout
    assert ("| 2026-02-02 | Bamako, MLI | Abdoulaye Diop (host) met Nick Checker (guest); "
            "present: U.S. Ambassador to Mali | diplomatic, terrorism, economic | draft |") in markdown


def test_invalid_records_are_skipped_with_one_warning_each(run) -> None:
    result = run("summary", "--format", "json", cwd=CORPUS)
    assert result.stderr == ("annot: warning: skipped events/broken.yaml: 5 errors "
                             "(annot validate shows them)\n")
    assert json.loads(result.stdout)["skipped"] == 1


def p(ref: str, role: str, country: str | None = None, **more: str) -> dict:
    return {"ref": ref, "name": more.pop("name", ref.title()), "role": role,
            **({"country": country} if country else {}), **more}


@pytest.mark.parametrize(
    ("participants", "met", "present"),
    [
        ([p("a", "host", "MLI"), p("b", "guest", "USA"), p("c", "attendee", "USA")],
         [("A", "B")], ["C"]),
        # Same side: colleagues do not "meet" each other.
        ([p("a", "host", "MLI"), p("b", "participant", "MLI"), p("c", "guest", "USA")],
         [("A", "C"), ("B", "C")], []),
        # side overrides country; organization stands in when there is no country.
        ([p("a", "host", "MLI", side="junta"), p("b", "participant", "MLI", side="opposition"),
          p("c", "mediator", organization="ECOWAS")],
         [("A", "B"), ("A", "C"), ("B", "C")], []),
        # Unnamed participants appear by title; attendees are never paired.
        ([p("a", "host", "MLI"), {"ref": "x", "name": None, "title": "Ambassador", "role": "guest",
                                  "country": "FRA"}, p("d", "attendee", "DEU")],
         [("A", "Ambassador")], ["D"]),
        # The same person twice (one wikidata id) is not a meeting.
        ([p("a", "host", "CHN", wikidata="Q1"), p("b", "guest", "RUS", wikidata="Q1")], [], []),
    ],
)
def test_pair_rules(participants: list, met: list, present: list) -> None:
    pairs, attendees = meetings(participants)
    assert sorted((a.label, b.label) for a, b in pairs) == met
    assert [x.label for x in attendees] == present


def record(identifier: str, date: str, people: list, topics: list, status: str = "draft") -> tuple:
    data = {"id": identifier, "date": date, "participants": people, "topics": topics,
            "location": {"place": "Bamako", "country": "MLI"},
            "annotation": {"status": status}}
    return f"{identifier}.yaml", data


def test_pairs_are_counted_once_per_event_across_spellings() -> None:
    first = record("e1", "2026-01", [p("diop", "host", "MLI", name="Abdoulaye Diop"),
                                     p("x", "guest", "USA", name="Nick Checker")], ["diplomatic"])
    second = record("e2", "2026-02-03", [p("d", "host", "MLI", name="ABDOULAYE  DIÔP"),
                                         p("n", "guest", "USA", name="nick checker"),
                                         p("n2", "participant", "USA", name="Nick Checker")], ["economic"])
    result = summarise([first, second])
    assert [(x.a, x.b, x.times, x.events) for x in result.pairs] == [
        ("Abdoulaye Diop", "Nick Checker", 2, ["e1", "e2"])]
    assert result.timeline == [("2026-01", 1), ("2026-02", 1)]
    assert normalise(" Abdoulaye\u00a0DIÔP ") == "abdoulaye diop"


@pytest.mark.parametrize(
    ("filters", "kept"),
    [
        (Filters(since="2026"), ["e3", "e4"]),
        (Filters(since="2025-06", until="2026-01"), ["e2", "e3"]),
        (Filters(until="2025"), ["e2", "e1"]),  # a year-only date sorts first
        (Filters(topics=("military",)), ["e2", "e4"]),
        (Filters(topics=("military", "economic")), ["e2", "e3", "e4"]),
        (Filters(participant="dIôp"), ["e1", "e3"]),
        (Filters(status="accepted"), ["e4"]),
    ],
)
def test_filters(filters: Filters, kept: list) -> None:
    diop, other = p("diop", "host", "MLI", name="Abdoulaye Diop"), p("o", "guest", "USA")
    records = [
        record("e1", "2025-01-10", [diop, other], ["diplomatic"]),
        record("e2", "2025", [other, p("z", "guest", "FRA")], ["military"]),
        record("e3", "2026-01", [diop, other], ["economic"]),
        record("e4", "2026-05-01", [other, p("y", "host", "SEN")], ["military"], status="accepted"),
    ]
    assert [e.id for e in summarise(records, filters=filters).events] == kept


def test_bad_filter_dates_are_usage_errors(run) -> None:
    result = run("summary", "--since", "2026-13", cwd=EXAMPLES)
    assert result.exit_code == 2
    assert "'2026-13' is not a date like 2026, 2026-02 or 2026-02-02" in result.stderr
