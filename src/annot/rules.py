"""The rules of `annot validate`, registered by their id.

A rule on one record is one function: it takes the record's Context and
yields (pointer, message) for each problem. The registry also names the
rules that the checker applies itself (parsing, the schema, the rules
across files), so that it is the one list of rule ids; the README's rule
table is tested against it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from . import dates, quotes, vocabulary
from .records import resolve_pointer
from .suggest import did_you_mean

if TYPE_CHECKING:
    from .actors import Registry  # only a project with actors.yaml loads the registry

ERROR = "error"
WARNING = "warning"

Finding = tuple[str, str]  # pointer, message


class Context(NamedTuple):
    """What a rule may look at: one record and where it lives."""

    data: dict[str, Any]
    path: str  # absolute
    builtin: bool  # the built-in (PLOVER) schema, not a project's own
    topics: tuple[str, ...]  # the topic vocabulary in force; () when open
    topics_from_config: bool
    required: frozenset[str]  # the schema's required top-level keys
    source_text: Callable[[str], str | Exception]
    registry: Registry | None  # the project's actors.yaml, if it has one
    registry_file: str  # how to name it in messages


class Rule(NamedTuple):
    """A rule id, its severity, what it finds, and (for a per-record rule) its check."""

    id: str
    severity: str
    finds: str
    check: Callable[[Context], Iterable[Finding]] | None
    plover: bool  # only with the built-in schema


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, finds: str, *, severity: str = ERROR, plover: bool = False
) -> Callable[[Callable[[Context], Iterable[Finding]]], Callable[[Context], Iterable[Finding]]]:
    """Register a per-record rule."""

    def register(check: Callable[[Context], Iterable[Finding]]) -> Callable[[Context], Iterable[Finding]]:
        RULES[rule_id] = Rule(rule_id, severity, finds, check, plover)
        return check

    return register


def _checker_rule(rule_id: str, finds: str) -> None:
    RULES[rule_id] = Rule(rule_id, ERROR, finds, None, False)


_checker_rule("config", "`annot.yaml` or the schema it names cannot be used (exit 2): unknown keys, "
              "a schema that is not JSON Schema, a pattern one engine cannot read, a remote `$ref`")
_checker_rule("yaml", "unreadable, not UTF-8, a syntax error, a custom tag (`!!python/...`), an alias "
              "bomb, nesting deeper than 64, over 5 MB, empty, not a mapping, a folder or FIFO named "
              "like a record")
_checker_rule("duplicate-key", "a key written twice in one mapping")
_checker_rule("version", "a record of the first annot schema (roles host/guest/participant, "
              "`location.precision`, future/historical/hypothetical as topics): run `annot upgrade`")
_checker_rule("schema", "the JSON Schema: missing or unknown keys, types, patterns, enums; "
              "\"did you mean\" for misspellings")


def _a(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    return value if isinstance(value, list) else []


def _field(pointer: str) -> str:
    return pointer[1:].replace("/", ".")


@rule("date", "not a real calendar date (`2026-02-30`), or `end_date` before `date`")
def check_dates(ctx: Context) -> Iterable[Finding]:
    data = ctx.data
    for pointer in dates.DATE_FIELDS:
        value = resolve_pointer(data, pointer, None)
        if isinstance(value, str) and dates.DATE.fullmatch(value) and not dates.real_date(value):
            yield pointer, f"{_field(pointer)} {value} is not a real calendar date"
    for pointer in dates.DATETIME_FIELDS:
        value = resolve_pointer(data, pointer, None)
        if isinstance(value, str) and dates.DATE.match(value) and not dates.real_datetime(value):
            yield pointer, f"{_field(pointer)} {value} is not a real date and time"
    start, end = data.get("date"), data.get("end_date")
    if isinstance(start, str) and isinstance(end, str) and dates.real_date(start) and dates.real_date(end):
        common = min(len(start), len(end))
        if end[:common] < start[:common]:
            yield "/end_date", f"end_date {end} is before date {start}"


@rule("ref", "a participant `ref` used twice in one record")
def check_refs(ctx: Context) -> Iterable[Finding]:
    seen: dict[str, int] = {}
    for index, person in enumerate(_list(ctx.data, "participants")):
        ref = person.get("ref") if isinstance(person, dict) else None
        if not isinstance(ref, str):
            continue
        if ref in seen:
            yield (f"/participants/{index}/ref",
                   f"ref '{short(ref)}' is already used by participant {seen[ref]}; "
                   "each participant needs its own ref")
        else:
            seen[ref] = index


@rule("actor", "a participant's `actor` that is not an id in the registry, with the closest id, name "
      "or alias suggested; or whose own `name` is not that actor's name or alias")
def check_actors(ctx: Context) -> Iterable[Finding]:
    for index, person in enumerate(_list(ctx.data, "participants")):
        actor = person.get("actor") if isinstance(person, dict) else None
        if not isinstance(actor, str):
            continue
        if ctx.registry is None:
            yield (f"/participants/{index}/actor",
                   f"actor '{actor}': the repository has no {ctx.registry_file} to look it up in")
        elif actor not in ctx.registry.actors:
            yield (f"/participants/{index}/actor", f"actor '{actor}' is not in {ctx.registry_file}"
                   f"{ctx.registry.suggest(actor)}")
        elif isinstance(name := person.get("name"), str) and name.strip() \
                and (other := ctx.registry.known({"name": name})) != actor:
            # The registry names the actor: a name of its own would say one thing in the
            # summary (the registry's) and another in the export (the record's).
            yield (f"/participants/{index}/name", (
                f"{clip(name)} names actor '{other}', not '{actor}': cite one of them" if other else
                f"{clip(name)} is not a name or alias of actor '{actor}': drop it (the registry "
                f"names the actor), or add it to its aliases in {ctx.registry_file}"))


@rule("topic", "a topic outside the vocabulary, with the closest one suggested (and the current "
      "name of a topic PLOVER renamed)")
def check_topics(ctx: Context) -> Iterable[Finding]:
    if not ctx.topics:
        return
    renamed: dict[str, str | None] = vocabulary.first_schema()["renamed_topics"] if ctx.builtin else {}
    where = "annot.yaml's topics" if ctx.topics_from_config else "PLOVER's general contexts"
    for index, topic in enumerate(_list(ctx.data, "topics")):
        if not isinstance(topic, str) or topic in ctx.topics:
            continue
        now = renamed.get(topic)
        if now and not ctx.topics_from_config:
            hint = f"; PLOVER now calls it '{now}' (annot upgrade renames it)"
        else:
            hint = did_you_mean(topic, list(ctx.topics))
        yield f"/topics/{index}", f"topic '{short(topic)}' is not in {where}{hint}"


@rule("id", "`id` differs from the file name, or several files have it")
def check_id_is_stem(ctx: Context) -> Iterable[Finding]:
    name = os.path.basename(ctx.path)
    if name == "-":
        return  # read from standard input: no file name to match
    identifier = ctx.data.get("id")
    stem = name.rsplit(".", 1)[0]
    if isinstance(identifier, str) and identifier != stem:
        yield "/id", f"id '{identifier}' differs from the file name '{name}' (expected id '{stem}')"


def _abouts(data: dict[str, Any]) -> list[tuple[int, str]]:
    return [(index, item["about"]) for index, item in enumerate(_list(data, "evidence"))
            if isinstance(item, dict) and isinstance(item.get("about"), str)]


@rule("pointer", "an evidence `about` that points at nothing in the record")
def check_pointers(ctx: Context) -> Iterable[Finding]:
    for index, about in _abouts(ctx.data):
        try:
            resolve_pointer(ctx.data, about)
        except KeyError:
            head = about[1:].split("/", 1)[0]
            if head in ctx.required and head not in ctx.data:
                continue  # the schema already reports the missing key
            yield f"/evidence/{index}/about", f"about {short(about)} points at nothing in this record"


@rule("source", "`source.text` missing, unreadable, or outside the repository")
def check_source(ctx: Context) -> Iterable[Finding]:
    text_path = source_path(ctx.data)
    if text_path is not None:
        text = ctx.source_text(text_path)
        if not isinstance(text, str):
            yield "/source/text", _source_error(text_path, text)


@rule("quote", "an evidence quote not found in the source text (white space, NFC and typographic "
      "quotes ignored), with the closest passage shown")
def check_quotes(ctx: Context) -> Iterable[Finding]:
    text_path = source_path(ctx.data)
    if text_path is None:
        return
    text = ctx.source_text(text_path)
    if not isinstance(text, str):
        return
    for index, item in enumerate(_list(ctx.data, "evidence")):
        quote = item.get("quote") if isinstance(item, dict) else None
        if isinstance(quote, str) and quote and not quotes.occurs(quote, text):
            near = quotes.closest(quote, text)
            hint = f" (closest: {clip(near, 80)})" if near else ""
            yield f"/evidence/{index}/quote", f"quote not found in {short(text_path)}: {clip(quote)}{hint}"


def source_path(data: dict[str, Any]) -> str | None:
    """The article a record's `source.text` names, if it names one."""
    source = data.get("source")
    text_path = source.get("text") if isinstance(source, dict) else None
    return text_path if isinstance(text_path, str) and text_path else None


@rule("mode", "a mode that is not one of the event type's modes in the PLOVER codebook", plover=True)
def check_mode(ctx: Context) -> Iterable[Finding]:
    event_type = vocabulary.plover().type(str(ctx.data.get("type")))
    mode = ctx.data.get("mode")
    if event_type is None or mode is None:
        return
    allowed = [m.code for m in event_type.modes]
    if not allowed:
        yield "/mode", f"{event_type.code} has no modes in PLOVER; leave mode out"
        return
    given = [(f"/mode/{i}", m) for i, m in enumerate(mode)] if isinstance(mode, list) else [("/mode", mode)]
    for pointer, value in given:
        if isinstance(value, str) and value not in allowed:
            owners = [t.code for t in vocabulary.plover().types if value in {m.code for m in t.modes}]
            elsewhere = f" ('{value}' is a mode of {', '.join(owners)})" if owners else ""
            yield (pointer, f"mode '{short(value)}' is not a mode of {event_type.code}: expected one of "
                   f"{', '.join(allowed)}{elsewhere}{did_you_mean(value, allowed) if not owners else ''}")


def _roles(data: dict[str, Any]) -> list[str]:
    return [str(p.get("role")) for p in _list(data, "participants") if isinstance(p, dict)]


@rule("role", "an event type that requires a recipient (cooperate, aid, sanction) has none", plover=True)
def check_recipient(ctx: Context) -> Iterable[Finding]:
    event_type = vocabulary.plover().type(str(ctx.data.get("type")))
    participants = _list(ctx.data, "participants")
    if event_type and event_type.requires_recipient and participants and "recipient" not in _roles(ctx.data):
        yield ("/participants", f"{_a(event_type.code)} event requires a recipient in PLOVER: "
               "give the party it is directed to role: recipient")


def _identity(who: str) -> str:
    email = re.search(r"<([^<>]+)>", who)
    return (email.group(1) if email else " ".join(who.split())).casefold()


@rule("review", "a reviewed or accepted record without a reviewer, or reviewed by its annotator")
def check_review(ctx: Context) -> Iterable[Finding]:
    annotation = ctx.data.get("annotation")
    if not isinstance(annotation, dict) or annotation.get("status") not in ("reviewed", "accepted"):
        return
    reviewer, annotator = annotation.get("reviewer"), annotation.get("annotator")
    if reviewer is None:
        yield ("/annotation/status",
               f"{_a(annotation['status'])} record names its reviewer (add annotation.reviewer)")
    elif isinstance(reviewer, str) and isinstance(annotator, str) and (
        _identity(reviewer) == _identity(annotator)
    ):
        yield "/annotation/reviewer", "the reviewer is the annotator; a record is reviewed by someone else"


# The codebook's "Potential ambiguities" of AGREE, RETREAT and the "Auxiliary modes" section:
# a type reported with this factuality is coded as another type.
RECODED = {
    ("consult", "future"): ("agree", "AGREE: future consults are AGREE"),
    ("support", "future"): ("agree", "AGREE: future SUPPORT, COOPERATE and AID are AGREE"),
    ("cooperate", "future"): ("agree", "AGREE: future SUPPORT, COOPERATE and AID are AGREE"),
    ("aid", "future"): ("agree", "AGREE: future SUPPORT, COOPERATE and AID are AGREE"),
    ("retreat", "future"): ("concede", "RETREAT: announcements of future retreats are CONCEDE"),
    ("assault", "hypothetical"): ("threaten", "Auxiliary modes: THREATEN, not ASSAULT + hypothetical"),
}


@rule("coding", "*warning*: codebook guidance: a type that PLOVER codes otherwise with this "
      "factuality (a future meeting is AGREE), a consult with a single party, a visit without a host",
      severity=WARNING, plover=True)
def check_coding(ctx: Context) -> Iterable[Finding]:
    data = ctx.data
    recoded = RECODED.get((str(data.get("type")), str(data.get("factuality"))))
    if recoded:
        yield "/type", (f"PLOVER codes a {data['factuality']} {data['type']} as {recoded[0]} "
                        f"(the codebook's {recoded[1]})")
    if data.get("type") != "consult":
        return
    roles = _roles(data)
    if roles and len([r for r in roles if r != "attendee"]) < 2:
        yield "/participants", "a consult needs at least two parties (actors, a recipient, a mediator)"
    mode = data.get("mode")
    modes: list[Any] = mode if isinstance(mode, list) else [mode]
    if "visit" in modes and "recipient" not in roles:
        yield "/mode", ("in a visit the visitor is the actor and the host the recipient; "
                        "no participant is the recipient")


@rule("evidence", "*warning*: the date or a named participant has no evidence quote about it",
      severity=WARNING)
def check_evidence(ctx: Context) -> Iterable[Finding]:
    abouts = [about for _, about in _abouts(ctx.data)]

    def supported(pointer: str) -> bool:
        return any(a == pointer or a.startswith(pointer + "/") for a in abouts)

    if "date" in ctx.data and not supported("/date"):
        yield "/date", "no evidence quote supports the date (add one with about: /date)"
    for index, person in enumerate(_list(ctx.data, "participants")):
        if isinstance(person, dict) and ctx.registry is not None:
            person = ctx.registry.resolve(person)
        name = person.get("name") if isinstance(person, dict) else None
        if isinstance(name, str) and name.strip() and not supported(f"/participants/{index}"):
            yield (f"/participants/{index}", f"no evidence quote names participant '{name}' "
                   f"(add one with about: /participants/{index})")


@rule("merge", "a conflict `annot merge` recorded: two branches changed the field two ways (the "
      "record keeps ours); resolve with `annot merge --pick` or `annot merge --resolve`")
def check_merge(ctx: Context) -> Iterable[Finding]:
    for index, conflict in enumerate(_list(ctx.data, "conflicts")):
        at = conflict.get("at") if isinstance(conflict, dict) else None
        if not isinstance(at, str) or not (at == "" or at.startswith("/")):
            yield f"/conflicts/{index}", "an unresolved merge conflict whose field is not a JSON Pointer"
            continue
        said = "; ".join(f"{side} {_shown(conflict[side])}" if side in conflict else f"{side} without it"
                         for side in ("ours", "theirs", "base"))
        yield at, (f"unresolved merge conflict at {short(at)}: {said} "
                   "(annot merge --pick ours|theirs FILE POINTER)")


def _shown(value: Any) -> str:
    import json

    return clip(value, 40) if isinstance(value, str) else short(json.dumps(value, ensure_ascii=False,
                                                                           default=str), 40)


_checker_rule("related", "a `related` id that no record in the repository has")
_checker_rule("registry", "in `actors.yaml`: an id that is not a slug, a Wikidata id or a name or alias "
              "given to two actors, an unknown or cyclic `member_of`")


def _source_error(text_path: str, exc: Any) -> str:
    import errno

    text_path = short(text_path)
    if isinstance(exc, UnicodeDecodeError):
        return f"source text {text_path} is not UTF-8 text"
    if getattr(exc, "strerror", None) == "outside the repository":
        return f"source text {text_path} is outside the repository; give a path relative to its root"
    if getattr(exc, "strerror", None) == "outside the repository through a symbolic link":
        return f"source text {text_path} is a symbolic link out of the repository: not read"
    if getattr(exc, "errno", None) == errno.ENOENT:
        return f"source text {text_path} does not exist (paths are relative to the repository root)"
    if getattr(exc, "errno", None) == errno.EISDIR:
        return f"source text {text_path} is a directory, not a text file"
    return f"source text {text_path} cannot be read: {getattr(exc, 'strerror', None) or exc}"


def short(text: str, limit: int = 60) -> str:
    """A value as a message shows it: one line, at most `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else f"{flat[: limit - 1]}…"


def clip(text: str, limit: int = 60) -> str:
    """`short(text)`, in double quotes."""
    return f'"{short(text, limit)}"'


def first_schema_feature(data: dict[str, Any]) -> tuple[str, str] | None:
    """Where a record shows it is of the first schema, and how; None for a v2 record."""
    old = vocabulary.first_schema()
    for index, person in enumerate(_list(data, "participants")):
        if isinstance(person, dict) and person.get("role") in old["roles"]:
            return f"/participants/{index}/role", f"role '{person['role']}'"
    location = data.get("location")
    for key in old["location_keys"]:
        if isinstance(location, dict) and key in location:
            return f"/location/{key}", f"location.{key}"
    for index, topic in enumerate(_list(data, "topics")):
        if topic in old["factuality_topics"]:
            return f"/topics/{index}", f"'{topic}' as a topic"
    return None
