"""The actor registry (`actors.yaml`): who is who, across records and scripts.

An actor id maps to a name, a kind and, optionally, a country or entity
code, a sector, a Wikidata id, aliases in any script and the actors it is a
member of. Identity everywhere is: registry id, else Wikidata id, else the
folded name, where a folded name or alias the registry knows maps to its id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from .names import fold
from .records import Document, Limits, YamlError, escape_token, load
from .schema import SLUG_PATTERN, RecordSchema
from .suggest import did_you_mean

SCHEMA = Path(__file__).parent / "data" / "actors.schema.json"
KINDS = ("person", "organization", "state", "group")
COPIED = ("name", "country", "sector", "wikidata")  # what a participant's `actor` brings in


class Finding(NamedTuple):
    """A problem in the registry file: where, which rule, why."""

    pointer: str
    anchor: str  # "value", "key" or "first-key", as schema problems
    rule: str
    message: str


class Registry:
    """A parsed registry and its lookups; `findings` holds what is wrong with it."""

    def __init__(self, document: Document | None, findings: list[Finding],
                 unreadable_at: tuple[int, int] = (1, 1)) -> None:
        self.document = document
        self.findings = findings
        self.unreadable_at = unreadable_at  # where the YAML error is, when there is no document
        data = document.data if document is not None else {}
        self.actors: dict[str, dict[str, Any]] = {
            k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, dict)}
        self._by_wikidata: dict[str, str] = {}
        self._by_name: dict[str, str] = {}
        for identifier, actor in self.actors.items():
            if isinstance(actor.get("wikidata"), str):
                self._by_wikidata.setdefault(actor["wikidata"], identifier)
            for name in names_of(actor):
                self._by_name.setdefault(fold(name), identifier)

    def known(self, participant: dict[str, Any]) -> str | None:
        """The registry id a participant is, by actor id, Wikidata id, name or alias."""
        actor = participant.get("actor")
        if isinstance(actor, str):
            return actor if actor in self.actors else None
        wikidata = participant.get("wikidata")
        if isinstance(wikidata, str) and wikidata in self._by_wikidata:
            return self._by_wikidata[wikidata]
        name = participant.get("name")
        if isinstance(name, str) and name.strip():
            return self._by_name.get(fold(name))
        return None

    def resolve(self, participant: dict[str, Any]) -> dict[str, Any]:
        """The participant with what its registry actor knows (its own fields win)."""
        identifier = participant.get("actor")
        actor = self.actors.get(identifier) if isinstance(identifier, str) else None
        if actor is None:
            return participant
        return {**{k: actor[k] for k in COPIED if k in actor}, **participant}

    def suggest(self, unknown: str) -> str:
        """' (did you mean 'id'?)' for the id, name or alias most like `unknown`."""
        choices: dict[str, str] = {}
        for identifier, actor in self.actors.items():
            choices.setdefault(identifier, identifier)
            for name in names_of(actor):
                choices.setdefault(name, identifier)
        hint = did_you_mean(unknown, list(choices))
        if not hint:
            return ""
        named = hint.split("'")[1]
        return f" (did you mean '{choices[named]}'?)"


def names_of(actor: dict[str, Any]) -> list[str]:
    """An actor's name and aliases, strings only."""
    aliases = actor.get("aliases")
    found = [actor.get("name"), *(aliases if isinstance(aliases, list) else [])]
    return [n for n in found if isinstance(n, str) and n.strip()]


@cache
def registry_schema() -> RecordSchema:
    """The registry's JSON Schema; ids are checked by `check` (a located key, not a pattern)."""
    schema = json.loads(SCHEMA.read_text("utf-8"))
    checked = {k: v for k, v in schema.items() if k != "propertyNames"}
    return RecordSchema(checked, str(SCHEMA))


# A registry names every actor of a corpus, once: tens of thousands of them, where a record is
# one event.
REGISTRY = Limits(50 * 1024 * 1024, 2_000_000, "a registry")


def parse(raw: bytes) -> Registry:
    """A registry from its bytes: every problem a Finding, never an exception."""
    try:
        document = load(raw, REGISTRY)
    except YamlError as exc:
        if exc.message.startswith(("file is empty", "file holds no YAML document")):
            return Registry(None, [])  # a registry of comments only: no actor yet
        message = exc.message.replace("a record is a YAML mapping of keys to values",
                                      "the registry is a YAML mapping of actor ids to their entries")
        return Registry(None, [Finding("", "value", "yaml", message)], exc.position)
    findings = [Finding(d.pointer, "key", "duplicate-key", f"actor key written twice: {d.pointer}")
                for d in document.duplicates]
    schema = registry_schema()
    if not schema.is_valid(document.data):
        findings += [Finding(p.pointer, p.anchor, "schema", p.message)
                     for p in schema.problems(document.data)]
    registry = Registry(document, findings)
    findings += check(registry)
    return registry


def check(registry: Registry) -> Iterable[Finding]:
    """The `registry` rule: ids, duplicate Wikidata ids, shared aliases, member_of."""
    import re

    slug = re.compile(SLUG_PATTERN)
    wikidata: dict[str, str] = {}
    names: dict[str, str] = {}
    for identifier, actor in (registry.document.data.items() if registry.document else ()):
        at = "/" + escape_token(str(identifier))
        if not isinstance(identifier, str) or not slug.search(identifier) or len(identifier) > 80:
            yield Finding(at, "key", "registry", f"actor id '{_clip(str(identifier))}' is not a slug "
                          "(lowercase letters and digits joined by single hyphens)")
        if not isinstance(actor, dict):
            continue
        if isinstance(actor.get("wikidata"), str):
            first = wikidata.setdefault(actor["wikidata"], identifier)
            if first != identifier:
                yield Finding(f"{at}/wikidata", "value", "registry",
                              f"wikidata {actor['wikidata']} is also actor '{first}'")
        for index, name in enumerate(names_of(actor)):
            first = names.setdefault(fold(name), identifier)
            if first != identifier:
                where = f"{at}/name" if index == 0 and name == actor.get("name") else f"{at}/aliases"
                yield Finding(where, "value", "registry",
                              f"'{_clip(name)}' also names actor '{first}'; a name or alias names one actor")
    for identifier, actor in registry.actors.items():
        members = actor.get("member_of")
        if not isinstance(members, list):
            continue
        at = "/" + escape_token(identifier)
        for index, other in enumerate(members):
            if not isinstance(other, str):
                continue
            if other not in registry.actors:
                yield Finding(f"{at}/member_of/{index}", "value", "registry",
                              f"member_of '{_clip(other)}' is not an actor id{registry.suggest(other)}")
            elif _reaches(registry, other, identifier):
                yield Finding(f"{at}/member_of/{index}", "value", "registry",
                              f"member_of '{other}' makes a cycle: '{other}' is already a member of "
                              f"'{identifier}'")


def _reaches(registry: Registry, start: str, goal: str) -> bool:
    """Whether `goal` is reached from `start` through member_of links."""
    seen, pending = set(), [start]
    while pending:
        current = pending.pop()
        if current == goal:
            return True
        if current in seen:
            continue
        seen.add(current)
        members = registry.actors.get(current, {}).get("member_of")
        pending += [m for m in members if isinstance(m, str)] if isinstance(members, list) else []
    return False


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def position(registry: Registry, finding: Finding) -> tuple[int, int]:
    """Where in the file a finding points."""
    if registry.document is None:
        return registry.unreadable_at
    if finding.anchor == "key":
        return registry.document.key_position(finding.pointer)
    if finding.anchor == "first-key":
        return registry.document.first_key_position(finding.pointer)
    return registry.document.position(finding.pointer)


class Listed(NamedTuple):
    """An actor as `annot actors` lists it."""

    id: str
    name: str
    kind: str
    country: str
    events: list[str]  # ids of the records that cite it (by id, Wikidata id, name or alias)


def listing(registry: Registry, records: Iterable[tuple[str, dict[str, Any]]]) -> list[Listed]:
    """Every registry actor, with the records citing it."""
    cited: dict[str, list[str]] = {identifier: [] for identifier in registry.actors}
    for _, data in records:
        for person in _participants(data):
            known = registry.known(person)
            if known is not None and str(data.get("id")) not in cited[known]:
                cited[known].append(str(data.get("id")))
    return [Listed(i, str(a.get("name", "")), str(a.get("kind", "")), str(a.get("country", "")), cited[i])
            for i, a in registry.actors.items()]


class Known(NamedTuple):
    """An inline participant the registry already knows: cite it by `actor: ID` instead."""

    file: str
    pointer: str
    name: str
    actor: str


class Recurring(NamedTuple):
    """A name that several records write inline and the registry lacks: a proposed entry."""

    id: str
    names: list[str]  # the spellings seen, most frequent first
    country: str
    files: list[str]


def suggestions(registry: Registry, records: Iterable[tuple[str, dict[str, Any]]]
                ) -> tuple[list[Known], list[Recurring]]:
    """What `annot actors suggest` proposes."""
    from .names import slug

    known: list[Known] = []
    unknown: dict[str, list[tuple[str, str, str]]] = {}  # folded name -> (spelling, country, file)
    for file, data in records:
        for index, person in enumerate(_participants(data)):
            name = person.get("name")
            if "actor" in person or not isinstance(name, str) or not name.strip():
                continue
            actor = registry.known(person)
            if actor is not None:
                known.append(Known(file, f"/participants/{index}", name, actor))
            else:
                unknown.setdefault(fold(name), []).append((name, str(person.get("country", "")), file))
    recurring = []
    taken = set(registry.actors)
    for seen in unknown.values():
        files = list(dict.fromkeys(f for _, _, f in seen))
        if len(files) < 2:
            continue
        written = [s for s, _, _ in seen]
        spellings = _distinct(sorted(set(written), key=lambda s: (-written.count(s), s)))
        identifier = base = slug(spellings[0]) or "actor"
        n = 2
        while identifier in taken:
            identifier, n = f"{base}-{n}", n + 1
        taken.add(identifier)
        countries = [c for _, c, _ in seen if c]
        country = max(sorted(set(countries)), key=countries.count) if countries else ""
        recurring.append(Recurring(identifier, spellings, country, files))
    return known, sorted(recurring, key=lambda r: (-len(r.files), r.id))


def entries_yaml(recurring: list[Recurring]) -> str:
    """The proposed entries as a YAML block to paste into actors.yaml (kind: person is a guess)."""
    lines = []
    for entry in recurring:
        lines.append(f"{entry.id}:")
        lines.append(f"  name: {json.dumps(entry.names[0], ensure_ascii=False)}")
        lines.append("  kind: person                 # check: person, organization, state or group")
        if entry.country:
            lines.append(f"  country: {entry.country}")
        if len(entry.names) > 1:
            aliases = ", ".join(json.dumps(n, ensure_ascii=False) for n in entry.names[1:])
            lines.append(f"  aliases: [{aliases}]")
    return "\n".join(lines) + ("\n" if lines else "")


def _distinct(spellings: list[str]) -> list[str]:
    """Spellings that differ by more than case, accents and spacing (another script, say)."""
    from .names import unaccented

    kept: dict[str, str] = {}
    for spelling in spellings:
        kept.setdefault(" ".join(unaccented(spelling).casefold().split()), spelling)
    return list(kept.values())


def _participants(data: dict[str, Any]) -> list[dict[str, Any]]:
    people = data.get("participants")
    return [p for p in people if isinstance(p, dict)] if isinstance(people, list) else []
