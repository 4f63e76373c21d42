"""The vocabularies annot knows, as shipped data: PLOVER's (derived from the
codebook by scripts/derive_plover.py), ISO 3166 countries, and what the
first record schema called things (for `annot upgrade`).

Plain data, loaded once; no rule and no prompt types a vocabulary itself.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

DATA = Path(__file__).parent / "data"

ROLES = {
    "actor": "initiates the event (in a reciprocal event, such as a meeting of equals, every party)",
    "recipient": "to whom the event is directed (the host of a visit)",
    "mediator": "a third party brokering between the parties",
    "attendee": "present, not a party",
}
FACTUALITY = ("asserted", "historical", "future", "hypothetical", "negated")
STATUSES = ("draft", "reviewed", "accepted")
BASES = ("stated", "inferred")


class Term(NamedTuple):
    """A code and what it means."""

    code: str
    meaning: str


class EventType(NamedTuple):
    """A PLOVER event type as the codebook defines it."""

    code: str
    meaning: str
    quad: str
    requires_recipient: bool
    modes: tuple[Term, ...]


class Plover(NamedTuple):
    """PLOVER's vocabularies, in the codebook's order."""

    types: tuple[EventType, ...]
    contexts: tuple[Term, ...]
    auxiliary: tuple[Term, ...]
    sectors: tuple[Term, ...]
    entities: tuple[Term, ...]
    source: dict[str, str]
    quad_codes: dict[str, int]  # quad category -> PLOVER's quad_code
    json_fields: dict[str, tuple[str, ...]]  # JSON object (record, entity, ...) -> its field names

    def type(self, code: str) -> EventType | None:
        """The event type called `code`, if PLOVER has one."""
        return next((t for t in self.types if t.code == code), None)


def _terms(rows: list[dict[str, str]], text: str = "meaning") -> tuple[Term, ...]:
    return tuple(Term(row["code"], row[text]) for row in rows)


@cache
def plover() -> Plover:
    """PLOVER's vocabularies, from the shipped `plover.json`."""
    data = json.loads((DATA / "plover.json").read_text("utf-8"))
    return Plover(
        types=tuple(
            EventType(t["code"], t["meaning"], t["quad"], t["requires_recipient"], _terms(t["modes"]))
            for t in data["types"]
        ),
        contexts=_terms(data["contexts"]),
        auxiliary=_terms(data["auxiliary_modes"]),
        sectors=_terms(data["sectors"]),
        entities=_terms(data["entities"], "name"),
        source=data["source"],
        quad_codes=data["quad_codes"],
        json_fields={name: tuple(f["name"] for f in fields) for name, fields in data["json_layout"].items()},
    )


@cache
def countries() -> tuple[Term, ...]:
    """ISO 3166-1 alpha-3 codes with their English short names."""
    data = json.loads((DATA / "countries.json").read_text("utf-8"))
    return _terms(data["countries"], "name")


def country_codes() -> tuple[str, ...]:
    """Where an event took place: an ISO 3166 state, or PLOVER's KOS."""
    kosovo = tuple(e.code for e in plover().entities if e.code == "KOS")
    return tuple(c.code for c in countries()) + kosovo


def entity_codes() -> tuple[str, ...]:
    """What a participant belongs to: a country code or a PLOVER entity code."""
    return tuple(c.code for c in countries()) + tuple(e.code for e in plover().entities)


@cache
def first_schema() -> dict[str, Any]:
    """What the first record schema called things, and what they are now."""
    data: dict[str, Any] = json.loads((DATA / "schema-v1.json").read_text("utf-8"))
    return data


KINDS = ("types", "modes", "topics", "roles", "factuality", "countries", "sectors")


class Entry(NamedTuple):
    """One row of `annot vocab`: a code, what it means, and the type it belongs to (modes)."""

    code: str
    meaning: str
    type: str = ""


def entries(kind: str) -> list[Entry]:
    """The vocabulary `kind` (one of KINDS) with one-line meanings."""
    plover_data = plover()
    if kind == "types":
        needs = " (requires a recipient)"
        return [Entry(t.code, t.meaning + (needs if t.requires_recipient else "")) for t in plover_data.types]
    if kind == "modes":
        return [Entry(m.code, m.meaning, t.code) for t in plover_data.types for m in t.modes]
    if kind == "topics":
        return [Entry(c.code, c.meaning) for c in plover_data.contexts]
    if kind == "roles":
        return [Entry(code, meaning) for code, meaning in ROLES.items()]
    if kind == "factuality":
        auxiliary = {a.code: a.meaning for a in plover_data.auxiliary}
        auxiliary["negated"] = auxiliary.get("negation", "")
        return [Entry("asserted", "the article reports it as happening (the default)")] + [
            Entry(code, f"e.g. {auxiliary[code]}") for code in FACTUALITY[1:]]
    if kind == "countries":
        return [Entry(c.code, c.meaning) for c in countries()] + [
            Entry(e.code, e.meaning + " (PLOVER entity code)") for e in plover_data.entities]
    if kind == "sectors":
        return [Entry(s.code, s.meaning) for s in plover_data.sectors]
    raise ValueError(f"unknown vocabulary {kind!r}")
