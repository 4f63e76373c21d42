"""The questions `annot add` and `annot edit` ask, and the checks each answer meets at its prompt.

No terminal here: a `Session` holds one `Question` at a time and takes the raw
answer; a wrong answer comes back as its reason, so any front end (Rich, a
test) asks again. Each question is keyed by the JSON pointer it fills, which
is how a draft replays its answers and how a failed check finds the answers
to ask again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Generator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import vocabulary as vocab
from .dates import real_date
from .names import fold, slug
from .suggest import closest, did_you_mean

if TYPE_CHECKING:
    from .actors import Registry
    from .schema import RecordSchema

CLEAR = "-"  # when editing, this answer removes an optional field


class Wrong(Exception):
    """An answer that cannot be taken; the message says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# A full stop after two small letters or digits: "U.S. Ambassador" and "e.g. a" go on.
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)][a-z0-9)])\. ")


def _as_is(raw: str) -> Any:
    return raw


@dataclass(frozen=True)
class Question:
    """One prompt: what it fills, how it is labelled, and how its answer is checked."""

    key: str  # the JSON pointer the answer fills (a yes/no about a list item: the item's pointer)
    label: str
    default: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    meanings: Mapping[str, str] = field(default_factory=dict)
    yes_no: bool = False
    clearable: bool = False
    check: Callable[[str], Any] = _as_is  # the raw answer -> its value, or raises Wrong

    def listing(self) -> list[tuple[str, str]]:
        """What `?` shows: each choice with the first sentence of its meaning."""
        codes = self.choices or tuple(self.meanings)
        return [(code, _SENTENCE_END.split(self.meanings.get(code, ""), 1)[0]) for code in codes]

    def answer(self, raw: str) -> Any:
        """The value of an answer; raises Wrong with the reason it cannot be taken."""
        raw = raw.strip() or self.default
        if self.yes_no:
            if raw.lower() not in ("y", "yes", "n", "no"):
                raise Wrong("answer y or n")
            return self.check(raw.lower() in ("y", "yes"))  # type: ignore[arg-type]
        if not raw:
            if self.required:
                raise Wrong("an answer is needed here")
            return None
        if raw == CLEAR and self.clearable:
            return None
        if self.choices:
            raw = _choice(raw, self.choices, self.meanings)
        return self.check(raw)


def _choice(raw: str, choices: Sequence[str], meanings: Mapping[str, str]) -> str:
    """The choice `raw` names, in any case; Wrong with the closest one otherwise."""
    if raw in choices:
        return raw
    by_case = {c.lower(): c for c in choices}
    if raw.lower() in by_case:
        return by_case[raw.lower()]  # Consult is consult
    shown = ", ".join(choices) if len(choices) <= 8 else f"the {len(choices)} choices (? lists them)"
    raise Wrong(f"'{raw}' is not one of {shown}" + _hint(raw, choices, meanings))


def _hint(raw: str, choices: Sequence[str], meanings: Mapping[str, str]) -> str:
    """The choices whose meaning uses the word (meet -> consult), else the closest spelling."""
    import re

    spelt = closest(raw, list(choices))
    if spelt is not None and spelt.lower()[:3] == raw.lower()[:3]:
        return f" (did you mean '{spelt}'?)"
    word = re.compile(rf"\b{re.escape(raw.lower())}", re.IGNORECASE)
    described = [c for c in choices if len(raw) > 2 and word.search(meanings.get(c, ""))]
    if 0 < len(described) <= 3:
        return f" (did you mean {' or '.join(repr(c) for c in described)}?)"
    return did_you_mean(raw, list(choices))


def split(answer: str) -> list[str]:
    """The items of a comma-separated answer."""
    return [part.strip() for part in answer.split(",") if part.strip()]


@dataclass
class Context:
    """What the checks need to know about the repository."""

    schema: RecordSchema
    topics: tuple[str, ...]  # empty: any topic
    registry: Registry | None
    root: Path
    source_text: Callable[[str], str | Exception]  # a path -> its normalized text, or why not
    known_ids: Sequence[str] = ()
    annotator: str | None = None


class Session:
    """An interview over one record: the current question, and the answers given so far.

    `replay` (answers of a draft, by key) are given again without asking, except
    those that `recheck` pointers touch: these are asked with the old answer
    as the default.
    """

    def __init__(self, record: Any, context: Context, *, editing: bool = False,
                 replay: Sequence[tuple[str, str]] = (), recheck: Collection[str] = ()) -> None:
        self.record = record
        self.answers: list[tuple[str, str]] = []
        self.notice: str | None = None  # why a replayed answer is asked again
        self._stored = dict(replay)
        self._held: tuple[str, str] | None = None  # a replayed answer being asked again
        self._recheck = tuple(recheck)
        self._flow = Interview(record, context, editing).questions()
        self.current: Question | None = next(self._flow, None)
        self._replay()

    def give(self, raw: str) -> str | None:
        """Answer the current question: None when taken (the session moves on), else why not."""
        question = self.current
        assert question is not None
        try:
            value = question.answer(raw)
        except Wrong as wrong:
            return wrong.reason
        self.notice = None
        self.answers.append((question.key, raw.strip() or question.default))
        try:
            self.current = self._flow.send(value)
        except StopIteration:
            self.current = None
        self._replay()
        return None

    def to_save(self) -> tuple[list[tuple[str, str]], list[str]]:
        """What a draft keeps of this session should it stop now: the answers given, then the
        replayed ones not reached yet; and the pointers to check again that no answer has met."""
        given = {key for key, _ in self.answers}
        waiting = ([self._held] if self._held else []) + list(self._stored.items())
        answers = self.answers + [(key, raw) for key, raw in waiting if key not in given]
        return answers, [p for p in self._recheck if not any(touches(key, p) for key in given)]

    def _replay(self) -> None:
        self._held = None
        while self.current is not None and self.current.key in self._stored:
            raw = self._stored.pop(self.current.key)
            if any(touches(self.current.key, p) for p in self._recheck):
                self.current = replace(self.current, default=raw)
                self._held = (self.current.key, raw)
                return
            reason = self.give(raw)
            if reason is not None:
                self.notice = f"{self.current.label}: the saved answer {raw!r} no longer fits: {reason}"
                self.current = replace(self.current, default=raw)
                self._held = (self.current.key, raw)
                return


def touches(key: str, pointer: str) -> bool:
    return key == pointer or key.startswith(pointer + "/") or pointer.startswith(key + "/")


def shown(value: Any) -> str:
    """A value as an answer would give it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "y" if value else "n"
    if isinstance(value, list):
        return ", ".join(shown(v) for v in value)
    return str(value)


def put(target: Any, key: str, value: Any) -> None:
    """Set `target[key]`, or remove it for None; an unchanged value is left alone (comments stay)."""
    if value is None:
        target.pop(key, None)
    elif key not in target or shown(target[key]) != shown(value):
        target[key] = value


def resync(items: Any, kept: Sequence[Any]) -> None:
    """Make the list `items` hold `kept`: the removed ones go, new ones are appended (comments stay)."""
    for position in reversed(range(len(items))):
        if not any(items[position] is k for k in kept):
            del items[position]
    for item in kept:
        if not any(item is i for i in items):
            items.append(item)


Flow = Generator[Question, Any, None]
Asking = Generator[Question, Any, bool]


def _partly_named(registry: Any, typed: str) -> list[str]:
    """'Name (id)' of the actors (at most 3) one of whose names or aliases holds every word of
    `typed` (case, accents and script ignored)."""
    from .actors import names_of
    from .names import fold

    words = set(fold(typed).split())
    found = [f"{actor.get('name', identifier)} ({identifier})"
             for identifier, actor in registry.actors.items()
             if words and any(words <= set(fold(name).split()) for name in names_of(actor))]
    return found[:3]


class Interview:
    """The questions of a record, in record order, each with its check."""

    def __init__(self, record: Any, context: Context, editing: bool) -> None:
        self.record = record
        self.context = context
        self.editing = editing
        self.unregistered: set[str] = set()  # names typed twice: someone the registry does not know
        raw = context.schema.raw
        defs = raw.get("$defs", {})
        properties = raw.get("properties", {})
        self.builtin = context.schema.builtin
        self.types = tuple(properties.get("type", {}).get("enum", []))
        participant = defs.get("participant", {}).get("properties", {})
        self.roles = tuple(participant.get("role", {}).get("enum", []))
        self.sectors = tuple(defs.get("sector", {}).get("enum", []))
        plover = vocab.plover()
        self.meanings: dict[str, dict[str, str]] = {
            "type": {t.code: t.meaning for t in plover.types},
            "topic": {c.code: c.meaning for c in plover.contexts},
            "role": dict(vocab.ROLES),
            "factuality": {e.code: e.meaning for e in vocab.entries("factuality")},
            "sector": {s.code: s.meaning for s in plover.sectors},
        } if self.builtin else {}

    # Asking ---------------------------------------------------------------

    def field(self, target: Any, key: str, pointer: str, label: str, **options: Any) -> Flow:
        """Ask for `target[key]` (adding: only when missing; editing: with its value as default)."""
        if key in target and not self.editing:
            return
        if key in target:
            options["default"] = shown(target[key])
        options.setdefault("clearable", self.editing and not options.get("required"))
        if "check" not in options and "choices" not in options:
            options["check"] = self.schema_check(pointer)
        value = yield Question(pointer, label, **options)
        put(target, key, value)

    def yes(self, key: str, label: str, default: bool, check: Callable[[bool], bool] | None = None
            ) -> Asking:
        """A yes/no question; its answer is what the caller receives (via `yield from`)."""
        answer: bool = yield Question(key, label, default="y" if default else "n", yes_no=True,
                                      check=check or _as_is)  # type: ignore[arg-type]
        return answer

    def questions(self) -> Flow:
        """Every question, in record order."""
        from ruamel.yaml.comments import CommentedMap

        record = self.record
        yield from self.field(record, "type", "/type", "Event type (PLOVER)", required=True,
                              choices=self.types, meanings=self.meanings.get("type", {}))
        yield from self.mode()
        if self.builtin:
            factuality = record.get("factuality", "asserted")
            if self.editing or "factuality" not in record:
                answer = yield Question("/factuality", "Factuality", default=shown(factuality),
                                        choices=vocab.FACTUALITY, meanings=self.meanings["factuality"])
                put(record, "factuality", None if answer == "asserted" and "factuality" not in record
                    else answer)
        yield from self.field(record, "date", "/date", "Date", required=True, check=self.date)
        yield from self.field(record, "end_date", "/end_date", "End date (empty if one day)",
                              check=self.end_date)
        location = record.get("location")
        if not isinstance(location, dict):
            location = CommentedMap()
        if self.editing or "location" not in record:
            yield from self.location(location)
            put(record, "location", location or None)
        yield from self.participants()
        yield from self.topics()
        yield from self.field(record, "summary", "/summary", "Summary (one or two sentences)")
        source = record.get("source")
        if not isinstance(source, dict):
            source = CommentedMap()
        if self.editing or "source" not in record:
            yield from self.source(source)
            put(record, "source", source or None)
        yield from self.evidence()
        if self.editing or "related" not in record:
            yield from self.field(record, "related", "/related",
                                  "Related records (ids, comma-separated; ? lists them)",
                                  check=self.related, meanings=dict.fromkeys(self.context.known_ids, ""))
        annotation = record.get("annotation")
        if not isinstance(annotation, dict):
            annotation = record["annotation"] = CommentedMap()
        if not self.editing:
            yield from self.field(annotation, "annotator", "/annotation/annotator", "Annotator",
                                  required=True, default=self.context.annotator or "")
        yield from self.field(annotation, "notes", "/annotation/notes", "Notes for the reviewer")

    def mode(self) -> Flow:
        record = self.record
        event_type = vocab.plover().type(str(record.get("type"))) if self.builtin else None
        if event_type is None or not event_type.modes:
            if event_type is not None:
                record.pop("mode", None)  # a type without modes takes none
            return
        modes = tuple(m.code for m in event_type.modes)
        meanings = {m.code: m.meaning for m in event_type.modes}

        def check(raw: str) -> Any:
            chosen = self.items(raw, modes, "a mode of " + event_type.code)
            return chosen[0] if len(chosen) == 1 else chosen

        yield from self.field(record, "mode", "/mode", "Mode (empty if none fits; several: a, b)",
                              check=check, meanings=meanings)

    def location(self, location: Any) -> Flow:
        yield from self.field(location, "place", "/location/place", "Place")
        yield from self.field(location, "country", "/location/country",
                              "Country (code or name, e.g. MLI or Mali)", meanings=self.places(),
                              check=lambda raw: self.country(raw, vocab.country_codes()))
        if location:
            yield from self.field(location, "basis", "/location/basis",
                                  "Does the article state the place or imply it?", choices=vocab.BASES,
                                  default="stated", required=not self.editing,
                                  meanings={"stated": "the article names the place",
                                            "inferred": "the article implies it"})
            yield from self.field(location, "geonames", "/location/geonames", "GeoNames id (empty if none)")
            yield from self.field(location, "lat", "/location/lat", "Latitude (empty if none)")
            yield from self.field(location, "lon", "/location/lon", "Longitude (empty if none)")
            yield from self.field(location, "resolution", "/location/resolution",
                                  "Resolution (1 country, 2 province, 3 district, 4 city, 5 sub-city; "
                                  "empty if none)")

    def participants(self) -> Flow:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        record = self.record
        if "participants" in record and not self.editing:
            return
        people = record.get("participants")
        if not isinstance(people, list):
            people = CommentedSeq()
        kept = []
        for index, person in enumerate(list(people)):
            if not isinstance(person, dict):
                kept.append(person)
                continue
            keep = yield from self.yes(f"/participants/{index}",
                                       f"Keep participant {index + 1} ({shown(person.get('ref'))})?", True)
            if keep:
                yield from self.participant(person, index, people)
                kept.append(person)
        index = len(people)
        while True:
            if index or kept:
                more = yield from self.yes(f"/participants/{index}", "Another participant?",
                                           default=len(kept) < 2 and not self.editing,
                                           check=lambda more: self.enough(more, kept))
                if not more:
                    break
            person = CommentedMap()
            yield from self.participant(person, index, kept)
            kept.append(person)
            index += 1
        resync(people, kept)
        record["participants"] = people

    def participant(self, person: Any, index: int, others: Sequence[Any]) -> Flow:
        at = f"/participants/{index}"
        registry = self.context.registry
        who = person.get("actor") or person.get("name")
        answer = yield Question(
            f"{at}/name", f"Participant {index + 1}: who? (an actor's id, name or alias, or a name; "
            "empty: unnamed)", default=shown(who), check=self.who,
            meanings={i: a.get("name", "") for i, a in registry.actors.items()} if registry else {})
        if isinstance(answer, tuple):  # a registry actor
            person["actor"] = answer[1]
            for key in ("name", "organization", "country", "wikidata"):
                person.pop(key, None)
            yield from self.field(person, "title", f"{at}/title", "Title (the office held at the time)")
        else:
            put(person, "actor", None)
            if person.get("name") != answer or "name" not in person:
                person["name"] = answer
            yield from self.field(person, "title", f"{at}/title", "Title", required=answer is None)
            yield from self.field(person, "organization", f"{at}/organization", "Organization")
            yield from self.field(person, "country", f"{at}/country",
                                  "Country or entity (code or name; IGO, UNO, EUR, NGO...)",
                                  meanings={e.code: e.meaning for e in vocab.entries("countries")},
                                  check=lambda raw: self.country(raw, vocab.entity_codes()))
            if self.sectors:
                yield from self.field(person, "sector", f"{at}/sector", "Sector (PLOVER; empty if none)",
                                      choices=self.sectors, meanings=self.meanings.get("sector", {}))
            yield from self.field(person, "wikidata", f"{at}/wikidata",
                                  "Wikidata id (e.g. Q42; empty if none)")
        yield from self.field(person, "role", f"{at}/role", "Role", choices=self.roles, required=True,
                              meanings=self.meanings.get("role", {}))
        yield from self.field(person, "side", f"{at}/side",
                              "Side (empty: the country, else the organization)")
        taken = {p.get("ref") for p in others if isinstance(p, dict) and p is not person}
        yield from self.field(person, "ref", f"{at}/ref", "Ref (a short name inside this record)",
                              required=True, default=self.ref_for(person, taken),
                              check=lambda raw: self.ref(raw, taken))

    def enough(self, more: bool, people: Sequence[Any]) -> bool:
        """No more participants only when a type that needs a recipient has one."""
        event_type = vocab.plover().type(str(self.record.get("type"))) if self.builtin else None
        if not more and event_type is not None and event_type.requires_recipient and not any(
                isinstance(p, dict) and p.get("role") == "recipient" for p in people):
            raise Wrong(f"a {event_type.code} event needs a participant with the role recipient: "
                        "add one")
        return more

    def topics(self) -> Flow:
        if "topics" in self.record and not self.editing:
            return
        count = len(self.context.topics)
        label = f"Topics, comma-separated (? lists the {count})" if count else "Topics, comma-separated"
        answer = yield Question("/topics", label, default=shown(self.record.get("topics")),
                                check=self.topic_list, clearable=self.editing,
                                meanings=self.meanings.get("topic") or dict.fromkeys(self.context.topics, ""))
        from ruamel.yaml.comments import CommentedSeq

        topics = answer or []
        if shown(self.record.get("topics", None)) != shown(topics) or "topics" not in self.record:
            self.record["topics"] = CommentedSeq(topics)

    def source(self, source: Any) -> Flow:
        yield from self.field(source, "url", "/source/url", "Source URL")
        yield from self.field(source, "title", "/source/title", "Source title")
        yield from self.field(source, "publisher", "/source/publisher", "Publisher")
        yield from self.field(source, "published", "/source/published", "Published on (a date)",
                              check=self.date)
        yield from self.field(source, "language", "/source/language",
                              "Language of the article (BCP 47, e.g. fr)", check=self.language)
        yield from self.field(source, "text", "/source/text",
                              "Plain-text copy (path from the repository root)",
                              check=self.source_file, required="url" not in source)

    def evidence(self) -> Flow:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        record = self.record
        if "evidence" in record and not self.editing:
            return
        items = record.get("evidence")
        if not isinstance(items, list):
            items = CommentedSeq()
        kept = []
        for index, item in enumerate(list(items)):
            if not isinstance(item, dict):
                kept.append(item)
                continue
            keep = yield from self.yes(f"/evidence/{index}", f"Keep quote {index + 1}?", True)
            if keep:
                yield from self.quote(item, index)
                kept.append(item)
        index = len(items)
        while True:
            label = "Another quote?" if kept else "Add evidence quotes?"
            more = yield from self.yes(f"/evidence/{index}", label, default=not self.editing)
            if not more:
                break
            item = CommentedMap()
            yield from self.quote(item, index)
            kept.append(item)
            index += 1
        resync(items, kept)
        put(record, "evidence", items or None)

    def quote(self, item: Any, index: int) -> Flow:
        at = f"/evidence/{index}"
        yield from self.field(item, "about", f"{at}/about",
                              "About (a pointer such as /date or /participants/0; ? lists them)",
                              required=True, check=self.pointer, meanings=self.pointers())
        yield from self.field(item, "quote", f"{at}/quote", "Quote, as the article words it", required=True,
                              check=self.quote_text)
        yield from self.field(item, "translation", f"{at}/translation", "Translation (empty if none)")

    # Checks ---------------------------------------------------------------

    def schema_check(self, pointer: str) -> Callable[[str], Any]:
        """The raw answer typed and checked by the schema's rules for the field at `pointer`."""
        from .settings import SetError, schema_at, typed

        keys = ["0" if part.isdigit() else part for part in pointer[1:].split("/")]
        try:
            node = schema_at(self.context.schema.raw, keys)
        except SetError:
            return _as_is

        def check(raw: str) -> Any:
            try:
                value = typed(raw, node, pointer[1:].replace("/", "."))
            except SetError as exc:
                raise Wrong(exc.message) from None
            from jsonschema import Draft202012Validator

            fragment = {**node, "$defs": self.context.schema.raw.get("$defs", {})}
            error = next(iter(Draft202012Validator(fragment).iter_errors(value)), None)
            if error is not None:
                described = node.get("description")
                raise Wrong(f"'{raw}' is not {described[0].lower() + described[1:].rstrip('.')}"
                            if error.validator == "pattern" and described else error.message)
            return value

        return check

    def date(self, raw: str) -> str:
        if not real_date(raw):
            raise Wrong("a date like 2026-02-02, 2026-02 or 2026 (a real one)")
        return raw

    def end_date(self, raw: str) -> str:
        self.date(raw)
        start = shown(self.record.get("date"))
        common = min(len(start), len(raw))
        if real_date(start) and raw[:common] < start[:common]:
            raise Wrong(f"end_date {raw} is before date {start}")
        return raw

    def places(self) -> dict[str, str]:
        """What `?` lists for where an event took place: the codes with their names."""
        names = {e.code: e.meaning for e in vocab.entries("countries")}
        return {code: names.get(code, "") for code in vocab.country_codes()}

    def country(self, raw: str, codes: Sequence[str]) -> str:
        """A code in any case, or a country's name (Mali -> MLI)."""
        if raw.upper() in codes:
            return raw.upper()
        names = {fold(c.meaning): c.code for c in vocab.countries()}
        names.update({fold(e.meaning): e.code for e in vocab.plover().entities if e.code in codes})
        if fold(raw) in names:
            return names[fold(raw)]
        by_name = {c.meaning: c.code for c in vocab.countries()}
        starting = sorted((n for n in by_name if len(raw) > 2 and fold(n).startswith(fold(raw))), key=len)
        name = closest(raw, list(by_name)) if len(raw) > 3 else None
        if 0 < len(starting) <= 6:  # MAL: Mali, Malta, Malawi...
            hint = f" (did you mean {', '.join(f'{by_name[n]} {n}' for n in starting)}?)"
        elif name:
            hint = f" (did you mean {by_name[name]}, {name}?)"
        else:
            hint = did_you_mean(raw.upper(), list(codes))
        raise Wrong(f"'{raw}' is neither an ISO 3166-1 alpha-3 code nor a country's name" + hint)

    def items(self, raw: str, known: Sequence[str], what: str) -> list[str]:
        """Each comma-separated item, in any case; every unknown one reported at once."""
        chosen, wrong = [], []
        by_case = {k.lower(): k for k in known}
        for item in split(raw):
            if item.lower() in by_case:
                chosen.append(by_case[item.lower()])
            else:
                wrong.append(f"'{item}'" + did_you_mean(item, list(known)))
        if wrong:
            raise Wrong(f"not {what}: {', '.join(wrong)}")
        if len(set(chosen)) < len(chosen):
            raise Wrong("each item once, please")
        return chosen

    def topic_list(self, raw: str) -> list[str]:
        if not self.context.topics:
            return split(raw)
        return self.items(raw, self.context.topics, "known topics (? lists them)")

    def related(self, raw: str) -> list[str]:
        return self.items(raw, self.context.known_ids, "the id of a record in this repository")

    def language(self, raw: str) -> str:
        from .languages import named, standard

        found = standard(raw)
        if found is None:
            meant = named(raw)
            hint = f" (did you mean {meant}?)" if meant else ""
            raise Wrong(f"'{raw}' is not a BCP 47 language tag such as fr or pt-BR{hint}")
        return found

    def source_file(self, raw: str) -> str:
        text = self.context.source_text(raw)
        if isinstance(text, Exception):
            reason = getattr(text, "strerror", None) or str(text)
            raise Wrong(f"{raw}: {reason}")
        return raw

    def who(self, raw: str) -> Any:
        """('actor', id) for someone the registry knows by id, name or alias; else the name."""
        from .schema import SLUG_PATTERN

        registry = self.context.registry
        if registry is None:
            return raw
        if raw in registry.actors:
            return ("actor", raw)
        known = registry.known({"name": raw})
        if known:
            return ("actor", known)
        import re

        if re.match(SLUG_PATTERN, raw) and "-" in raw:
            raise Wrong(f"'{raw}' is not an actor in the registry{registry.suggest(raw)}; "
                        "for someone not in it, type the name as the article gives it")
        partly = _partly_named(registry, raw)
        if partly and raw not in self.unregistered:  # a surname alone: Diop, for Abdoulaye Diop
            self.unregistered.add(raw)
            raise Wrong(f"'{raw}' is not a name in the registry, but part of {', '.join(partly)}: type "
                        f"its id to cite it, or '{raw}' again for someone else")
        return raw

    def ref_for(self, person: Any, taken: Collection[Any]) -> str:
        """A short ref from the last word of the name (or the title); for a registry actor
        that is not a person, its id (united-states, not "states")."""
        registry = self.context.registry
        name, cited = person.get("name"), person.get("actor")
        actor = registry.actors.get(cited) if registry and isinstance(cited, str) else None
        if actor is not None and actor.get("kind") != "person":
            base = str(cited)
        else:
            name = actor.get("name") if actor is not None else name
            base = slug(str(name).split()[-1]) if isinstance(name, str) and name.split() else slug(
                str(person.get("title") or "x"))
        base = base or "x"
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def ref(self, raw: str, taken: Collection[Any]) -> str:
        if slug(raw) != raw:
            raise Wrong(f"use a slug such as '{slug(raw) or 'x'}'")
        if raw in taken:
            raise Wrong(f"ref '{raw}' is taken by another participant")
        return raw

    def pointers(self) -> dict[str, str]:
        """What an evidence quote can be about, with what is there now."""
        found: dict[str, str] = {}
        for key, value in self.record.items():
            if key in ("annotation", "evidence", "id"):
                continue
            if key == "participants" and isinstance(value, list):
                for index, person in enumerate(value):
                    if isinstance(person, dict):
                        found[f"/participants/{index}"] = shown(
                            person.get("name") or person.get("actor") or person.get("title"))
            else:
                found[f"/{key}"] = shown(value)[:60] if not isinstance(value, dict) else ""
        return found

    def pointer(self, raw: str) -> str:
        from .records import resolve_pointer

        try:
            resolve_pointer(self.record, raw)
        except KeyError:
            raise Wrong(f"{raw} points at nothing in the record so far (? lists what it can)") from None
        return raw

    def quote_text(self, raw: str) -> str:
        from . import quotes

        if len(raw) < 10:
            raise Wrong("a quote has at least 10 characters")
        source = self.record.get("source")
        path = source.get("text") if isinstance(source, dict) else None
        if not isinstance(path, str):
            return raw  # no copy of the article to look in
        text = self.context.source_text(path)
        if isinstance(text, Exception) or quotes.occurs(raw, text):
            return raw
        near = quotes.closest(raw, text)
        hint = f"; the closest passage is: {near}" if near else "; nothing in it comes close"
        raise Wrong(f"not found in {path}{hint}")
