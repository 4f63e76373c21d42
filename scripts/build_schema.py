#!/usr/bin/env python3
"""Generate the record schema (v2) and the actor registry's schema from the shipped vocabularies.

Every enum in the schema (types, modes per type, contexts, sectors, entity
and country codes) comes from `src/annot/data/plover.json` and
`countries.json`; this file holds only the record's structure. The result is
written to the package and to the two copies editors resolve through the
modeline (`schema/` and `examples/schema/`), all byte-identical.

    python scripts/build_schema.py            # write the three copies
    python scripts/build_schema.py --check    # exit 1 if any copy differs

Three parts of the schema are also annot rules with their own words (`mode`,
`role`, `review`); they sit in `$defs` under the names in annot.schema's
RULE_DEFS so that annot can check them itself and name the rule, while
editors and check-jsonschema still see the whole contract.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from annot import vocabulary  # noqa: E402
from annot.schema import RULE_DEFS, SLUG_PATTERN  # noqa: E402

FOLDERS = ("src/annot/data", "schema", "examples/schema")
NAMES = ("event.schema.json", "actors.schema.json")
TARGETS = tuple(f"{folder}/{name}" for name in NAMES for folder in FOLDERS)

# Patterns end in (?!\n)$: in Python's re (check-jsonschema, jsonschema) a bare
# $ also matches before a final newline, in ECMA 262 (editors, jsonschema-rs) not.
END = "(?!\\n)$"
SLUG = SLUG_PATTERN
DATE = "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?" + END
DATETIME = ("^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?"
            "([Zz]|[+-][0-9]{2}:?[0-9]{2})?" + END)
# One segment cannot hold a "/", so the pattern never backtracks.
POINTER = "^(/([^~/]|~[01])*)*" + END


def text(description: str, min_length: int = 1) -> dict[str, Any]:
    return {"description": description, "type": "string", "minLength": min_length}


def one_or_list(ref: str) -> dict[str, Any]:
    return {"anyOf": [{"$ref": ref},
                      {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"$ref": ref}}]}


def build() -> dict[str, Any]:
    """The record schema, as a JSON-ready dict."""
    plover = vocabulary.plover()
    types = plover.types
    all_modes = list(dict.fromkeys(m.code for t in types for m in t.modes))
    recipient_types = [t.code for t in types if t.requires_recipient]

    def type_is(*codes: str) -> dict[str, Any]:
        match = {"const": codes[0]} if len(codes) == 1 else {"enum": list(codes)}
        return {"required": ["type"], "properties": {"type": match}}

    modes_of_type = [
        {"if": type_is(t.code),
         "then": {"properties": {"mode": (
             {"anyOf": [{"enum": [m.code for m in t.modes]},
                        {"type": "array", "items": {"enum": [m.code for m in t.modes]}}]}
             if t.modes else False)}}}
        for t in types
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://annot.example.org/schema/v2/event.schema.json",
        "title": "annot event record (schema v2)",
        "description": (
            "One event reported in a news article, coded in PLOVER: who did what to whom, when, "
            f"where, on what topics, each claim backed by a quote. Vocabularies from the PLOVER "
            f"codebook ({plover.source['repository']} {plover.source['commit']})."
        ),
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "type", "date", "participants", "topics", "source", "annotation"],
        "properties": {
            "id": {"description": "Slug, unique in the repository, equal to the file's stem.",
                   "type": "string", "pattern": SLUG, "maxLength": 80},
            "type": {"description": "PLOVER event type.", "enum": [t.code for t in types]},
            "mode": {"description": "PLOVER mode(s) of the event type; a type without modes takes none.",
                     **one_or_list("#/$defs/mode")},
            "factuality": {"description": "PLOVER auxiliary mode; asserted when absent.",
                           "enum": list(vocabulary.FACTUALITY)},
            "date": {"$ref": "#/$defs/date"},
            "end_date": {"$ref": "#/$defs/date"},
            "location": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "place": text("The place as the article names it."),
                    "country": {"$ref": "#/$defs/country"},
                    "basis": {"description": "stated: the article names the place; inferred: it implies it.",
                              "enum": list(vocabulary.BASES)},
                    "geonames": {"description": "GeoNames id.", "type": "integer", "minimum": 1},
                    "lat": {"description": "Latitude in decimal degrees.", "type": "number",
                            "minimum": -90, "maximum": 90},
                    "lon": {"description": "Longitude in decimal degrees.", "type": "number",
                            "minimum": -180, "maximum": 180},
                    "resolution": {"description": "PLOVER's level of resolution: 5=sub-city, 4=city, "
                                                  "3=district, 2=province, 1=country.",
                                   "type": "integer", "minimum": 1, "maximum": 5},
                },
            },
            "participants": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/participant"}},
            "topics": {"description": "PLOVER general contexts; [] when none fits.",
                       "type": "array", "uniqueItems": True, "items": {"$ref": "#/$defs/topic"}},
            "summary": text("One or two sentences."),
            "source": {
                "type": "object",
                "additionalProperties": False,
                "anyOf": [{"required": ["url"]}, {"required": ["text"]}],
                "properties": {
                    "url": {"description": "an http(s) URL", "type": "string",
                            "pattern": "^https?://\\S+" + END},
                    "title": text("The article's title."),
                    "publisher": text("Who published the article."),
                    "published": {"$ref": "#/$defs/date"},
                    "language": {"description": "a BCP 47 language tag, e.g. fr or pt-BR.",
                                 "type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*" + END},
                    "text": text("Path, relative to the repository root, of a plain-text copy "
                                 "of the article."),
                },
            },
            "evidence": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["about", "quote"],
                    "properties": {
                        "about": {"description": "an RFC 6901 JSON Pointer into this record, "
                                                 "e.g. /participants/0.",
                                  "type": "string", "pattern": POINTER},
                        "quote": text("Words of the source text, as written there (at least 10 characters).",
                                      10),
                        "translation": text("The quote in the annotator's language; not checked."),
                    },
                },
            },
            "related": {"description": "Ids of other records this one refers to (PLOVER's link).",
                        "type": "array", "uniqueItems": True,
                        "items": {"type": "string", "pattern": SLUG, "maxLength": 80}},
            "annotation": {
                "type": "object",
                "additionalProperties": False,
                "required": ["annotator", "created", "status"],
                "properties": {
                    "annotator": text("Who coded the record, e.g. Jane Doe <jane@example.org>."),
                    "created": {"$ref": "#/$defs/datetime"},
                    "updated": {"$ref": "#/$defs/datetime"},
                    "status": {"enum": list(vocabulary.STATUSES)},
                    "reviewer": text("Who reviewed it; required for reviewed and accepted, "
                                     "and not the annotator."),
                    "notes": {"type": "string"},
                },
            },
            "conflicts": {
                "description": "Written by `annot merge` where two branches changed one field two ways: "
                               "the field keeps ours; each entry says what base, ours and theirs held "
                               "(a side without the key had no value). Resolve with `annot merge --pick`.",
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["at"],
                    "properties": {
                        "at": {"description": "the field, as an RFC 6901 JSON Pointer into this record.",
                               "type": "string", "pattern": POINTER},
                        "base": {}, "ours": {}, "theirs": {},
                    },
                },
            },
        },
        "allOf": [{"$ref": "#/$defs/" + name} for name in RULE_DEFS],
        "$defs": {
            "date": {
                "description": "an ISO 8601 date: 2026-02-02, or 2026-02 or 2026 when the article is "
                               "less precise (a bare year may be a number).",
                "anyOf": [{"type": "string", "pattern": DATE},
                          {"type": "integer", "minimum": 1, "maximum": 9999}],
            },
            "datetime": {"description": "an ISO 8601 date and time, e.g. 2026-11-26T10:00:00Z.",
                         "type": "string", "pattern": DATETIME},
            "country": {"description": "an ISO 3166-1 alpha-3 country code, e.g. MLI (or PLOVER's KOS).",
                        "enum": list(vocabulary.country_codes())},
            "entity": {"description": "an ISO 3166-1 alpha-3 country code, e.g. MLI, or a PLOVER entity "
                                      "code: " + ", ".join(e.code for e in plover.entities) + ".",
                       "enum": list(vocabulary.entity_codes())},
            "sector": {"description": "a PLOVER sector code, e.g. GOV, MIL, SPY.",
                       "enum": [s.code for s in plover.sectors]},
            "topic": {"description": "a PLOVER general context, e.g. diplomatic.",
                      "enum": [c.code for c in plover.contexts]},
            "mode": {"description": "a PLOVER mode.", "enum": all_modes},
            "participant": {
                "type": "object",
                "additionalProperties": False,
                "required": ["ref", "role"],
                "properties": {
                    "ref": {"description": "Slug naming the participant inside this record.",
                            "type": "string", "pattern": SLUG},
                    "actor": {"description": "An actor id in the registry (actors.yaml).",
                              "type": "string", "pattern": SLUG},
                    "name": {"description": "Full name, or null when the article does not name them.",
                             "type": ["string", "null"], "minLength": 1},
                    "title": text("Office or description, as the article gives it."),
                    "organization": text("The body the participant speaks for."),
                    "country": {"$ref": "#/$defs/entity"},
                    "sector": {"$ref": "#/$defs/sector"},
                    "wikidata": {"description": "a Wikidata item id such as Q42", "type": "string",
                                 "pattern": "^Q[1-9][0-9]*" + END},
                    "role": {"description": "PLOVER actor or recipient, or a mediator or attendee.",
                             "enum": list(vocabulary.ROLES)},
                    "side": text("Free label; default: the country, else the organization."),
                },
                "anyOf": [{"required": ["actor"]}, {"required": ["name"]}],
                "if": {"required": ["name"], "properties": {"name": {"type": "null"}}},
                "then": {"required": ["title"]},
            },
            "mode-of-type": {"description": "A mode belongs to the event type's mode table.",
                             "allOf": modes_of_type},
            "recipient-required": {
                "description": f"{', '.join(recipient_types)} events require a recipient.",
                "if": type_is(*recipient_types),
                "then": {"properties": {"participants": {
                    "contains": {"required": ["role"], "properties": {"role": {"const": "recipient"}}}}}},
            },
            "reviewer-required": {
                "description": "A reviewed or accepted record names its reviewer.",
                "if": {"required": ["annotation"], "properties": {"annotation": {
                    "required": ["status"], "properties": {"status": {"enum": ["reviewed", "accepted"]}}}}},
                "then": {"properties": {"annotation": {"required": ["reviewer"]}}},
            },
            "merge-resolved": {
                "description": "A record with unresolved merge conflicts is not finished.",
                "not": {"required": ["conflicts"]},
            },
        },
    }


def build_actors() -> dict[str, Any]:
    """The schema of the actor registry (actors.yaml)."""
    from annot.actors import KINDS

    plover = vocabulary.plover()
    short = {"type": "string", "minLength": 1, "maxLength": 500}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://annot.example.org/schema/v2/actors.schema.json",
        "title": "annot actor registry",
        "description": "Actor ids (slugs) mapped to who they are; records cite them as participants' actor.",
        "type": "object",
        "propertyNames": {"pattern": SLUG, "maxLength": 80},
        "additionalProperties": {"$ref": "#/$defs/actor"},
        "$defs": {
            "actor": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "kind"],
                "properties": {
                    "name": {"description": "The name to show.", **short},
                    "kind": {"enum": list(KINDS)},
                    "country": {"$ref": "#/$defs/entity"},
                    "sector": {"$ref": "#/$defs/sector"},
                    "wikidata": {"description": "a Wikidata item id such as Q42", "type": "string",
                                 "pattern": "^Q[1-9][0-9]*" + END},
                    "aliases": {"description": "Other names, in any script.", "type": "array",
                                "uniqueItems": True, "items": short},
                    "member_of": {"description": "Actor ids: a minister's government, a government's state.",
                                  "type": "array", "uniqueItems": True,
                                  "items": {"type": "string", "pattern": SLUG}},
                    "notes": {"type": "string"},
                },
            },
            "entity": {"description": "an ISO 3166-1 alpha-3 country code, or a PLOVER entity code.",
                       "enum": list(vocabulary.entity_codes())},
            "sector": {"description": "a PLOVER sector code, e.g. GOV, MIL, SPY.",
                       "enum": [s.code for s in plover.sectors]},
        },
    }


def render(name: str = "event.schema.json") -> str:
    """A schema as written to disk."""
    built = build() if name == "event.schema.json" else build_actors()
    return json.dumps(built, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    wanted = {name: render(name) for name in NAMES}

    def text(target: str) -> str:
        return wanted[target.rsplit("/", 1)[1]]

    stale = [t for t in TARGETS if not (ROOT / t).is_file() or (ROOT / t).read_text("utf-8") != text(t)]
    if "--check" in argv:
        for target in stale:
            print(f"{target} differs from the schema built from the vocabularies", file=sys.stderr)
        return 1 if stale else 0
    for target in TARGETS:
        path = ROOT / target
        if path.is_symlink():
            path.unlink()
        path.write_text(text(target), "utf-8")
    print(f"wrote {', '.join(TARGETS)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
