"""Agreement between annotators: which events each found, and how alike they coded them.

Each annotator's version is a set of records. Events pair across annotators
by id; an event left over pairs with another annotator's left-over event
whose dates overlap (a reduced-precision date covers its month or year),
whose place is the same (folded name; the country when either names no place)
and that shares at least one participant identity (registry id, else Wikidata
id, else folded name: `summary.party`), preferring the most shared
participants, then the nearest date. A unit is one event as each annotator
coded it (or did not).

Per field, Krippendorff's alpha over the units that at least two annotators
coded, with the field's level of measurement; Cohen's kappa for two
annotators on the nominal fields. The coefficients are computed here from
value counts (linear in the units); tests check them against Krippendorff's
and Passonneau's worked examples and NLTK's `AnnotationTask`.
"""

from __future__ import annotations

import os
import random
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from datetime import date as Date
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, cast

from .actors import Registry
from .collector import paused
from .dates import bounds, real_date
from .names import fold
from .summary import party

NOMINAL, INTERVAL, MASI = "nominal", "interval", "MASI"
# Expected disagreement under MASI is quadratic in the distinct sets; past this many it is
# estimated from a fixed sample of that many values (said in the result).
MASI_EXACT_LIMIT = 1000
NONE = "(none)"  # a field an annotator left out, where leaving it out is a choice


class FieldAgreement(NamedTuple):
    """Agreement on one field over the units it could be compared on."""

    field: str
    level: str
    alpha: float | None  # None: no unit with two values, or no variation to measure against
    units: int  # units with values from at least two annotators
    kappa: float | None  # Cohen's kappa, two annotators and nominal fields only
    estimated: bool = False  # expected disagreement from a sample (MASI over many distinct sets)


class Detection(NamedTuple):
    """How one annotator's events match the others' (precision, recall, F1 of event detection)."""

    annotator: str
    events: int
    matched: int  # of this annotator's events, those another annotator also found
    precision: float | None
    recall: float | None
    f1: float | None


class Disagreement(NamedTuple):
    """One field of one event coded differently (or an event some annotators did not find)."""

    event: str  # the event's id, as the first annotator to find it named it
    field: str
    values: list[str]  # what each annotator said, "" where it has no such event


class Agreement(NamedTuple):
    """The result of `annot agree`."""

    annotators: list[str]
    units: int  # distinct events found by anyone
    paired: int  # events found by at least two annotators
    detection: list[Detection]
    fields: list[FieldAgreement]
    disagreements: list[Disagreement]
    unreadable: list[str]


Event = dict[str, Any]


# Field values ---------------------------------------------------------------


IDENTIFYING = ("actor", "wikidata", "name", "title", "ref")  # all that a participant's identity depends on


def _people(data: Event, registry: Registry | None, known: dict[tuple[str | None, ...], str]
            ) -> dict[str, str]:
    """Participant identity -> role. `known` remembers identities by what identifies them
    (folding a name is the costly part, and the same people come back event after event)."""
    people = data.get("participants")
    found: dict[str, str] = {}
    for person in people if isinstance(people, list) else []:
        if not isinstance(person, dict):
            continue
        said = tuple(person.get(field) for field in IDENTIFYING)
        if all(value is None or type(value) is str for value in said):
            key = known.get(said)
            if key is None:
                key = known[said] = party(person, registry).key
        else:
            key = party(person, registry).key
        found.setdefault(key, str(person.get("role", NONE)))
    return found


def _mode(data: Event) -> str | None:
    """The mode, where the event's type has modes (elsewhere there is nothing to choose)."""
    if str(data.get("type")) not in _types_with_modes():
        return None
    mode = data.get("mode")
    if isinstance(mode, list):
        return "+".join(sorted(str(m) for m in mode)) or NONE
    return str(mode) if mode is not None else NONE


def _day(data: Event) -> int | None:
    """The first day the event's date may mean, as a day number (interval level)."""
    value = data.get("date")
    if not isinstance(value, str) or not real_date(value):
        return None
    return Date.fromisoformat(bounds(value)[0]).toordinal()


def _place(data: Event) -> str | None:
    location = data.get("location")
    place = location.get("place") if isinstance(location, dict) else None
    return fold(place) if isinstance(place, str) and place.strip() else None


def _country_written(data: Event) -> str | None:
    location = data.get("location")
    country = location.get("country") if isinstance(location, dict) else None
    return country if isinstance(country, str) else None


def _country(data: Event) -> str | None:
    return _country_written(data) or None


@cache
def _types_with_modes() -> frozenset[str]:
    from .vocabulary import plover

    return frozenset(t.code for t in plover().types if t.modes)


def _topics(data: Event) -> frozenset[str] | None:
    topics = data.get("topics")
    return frozenset(str(t) for t in topics) if isinstance(topics, list) else None


People = dict[str, str]  # participant identity -> role
Extract = Callable[[Event, People], Hashable | None]
FIELDS: dict[str, tuple[str, Extract]] = {
    "type": (NOMINAL, lambda d, p: str(d["type"]) if "type" in d else None),
    "mode": (NOMINAL, lambda d, p: _mode(d)),
    "factuality": (NOMINAL, lambda d, p: str(d.get("factuality", "asserted"))),
    "date": (INTERVAL, lambda d, p: _day(d)),
    "place": (NOMINAL, lambda d, p: _place(d)),
    "country": (NOMINAL, lambda d, p: _country(d)),
    "topics": (MASI, lambda d, p: _topics(d)),
    "participants": (MASI, lambda d, people: frozenset(people)),
}
ROLES = "roles"  # nominal, one unit per participant identity of a paired event
PLACE = list(FIELDS).index("place")


class Facts(NamedTuple):
    """What agree needs of one record, worked out where it is parsed (in a worker process
    when there are many): the parsed record itself never crosses back."""

    name: str | None  # the id as written; None without one
    kind: Any  # the type as written: pairing prefers events of the same type
    values: tuple[Hashable | None, ...]  # each of FIELDS in order; None: not coded
    people: People
    span: tuple[str, str, int] | None  # first and last day it may mean, the first as a day number
    where: tuple[str | None, str | None]  # folded place, country
    buckets: tuple[tuple[str | None, str], ...]  # where to look for its counterparts
    date: str | None  # as written, for a disagreement
    place: str | None  # as written, for a disagreement


def facts(data: Event, registry: Registry | None, known: dict[tuple[str | None, ...], str]) -> Facts:
    """One record's facts; identities by `registry` where it knows the participant, and
    remembered in `known` (for one registry only)."""
    people = _people(data, registry, known)
    values = tuple(extract(data, people) for _, extract in FIELDS.values())
    identifier, date, span, location = data.get("id"), data.get("date"), _span(data), data.get("location")
    where = cast(str | None, values[PLACE]), _country_written(data)
    place = location.get("place") if where[0] is not None and isinstance(location, dict) else None
    return Facts(
        None if "id" not in data else str(identifier),
        data.get("type"),
        values,
        people,
        None if span is None else (*span, Date.fromisoformat(span[0]).toordinal()),
        where,
        _buckets(span, where[1]),
        date if isinstance(date, str) else None,
        str(place).strip() if place is not None else None,
    )


Unit = dict[int, Facts]  # annotator index -> that annotator's record of the event


def _shown(value: Any) -> str:
    if value is None:
        return NONE
    if isinstance(value, frozenset):
        return ", ".join(sorted(value)) if value else "[]"
    return str(value)


# Coefficients ---------------------------------------------------------------


def masi_distance(a: frozenset[Any], b: frozenset[Any]) -> float:
    """Passonneau's MASI distance: 1 - Jaccard x monotonicity (1 same, 2/3 subset, 1/3 overlap)."""
    if a == b:
        return 0.0
    common = len(a & b)
    if common == min(len(a), len(b)):
        weight = 2 / 3
    elif common:
        weight = 1 / 3
    else:
        return 1.0
    return 1 - common / len(a | b) * weight


def _binary(a: Any, b: Any) -> float:
    return 0.0 if a == b else 1.0


def _interval(a: Any, b: Any) -> float:
    return float((a - b) ** 2)


DISTANCES: dict[str, Callable[[Any, Any], float]] = {
    NOMINAL: _binary, INTERVAL: _interval, MASI: masi_distance}


def alpha(units: Sequence[Sequence[Hashable]], level: str) -> tuple[float | None, bool]:
    """Krippendorff's alpha over units of values (missing values left out) and whether its
    expected disagreement was estimated; None when no unit is pairable or nothing varies.

    alpha = 1 - D_o / D_e, with D_o the disagreement within units (each unit of m values
    weighing 1/(m-1)) and D_e between all pairable values.
    """
    distance = DISTANCES[level]
    observed, counts = 0.0, Counter[Hashable]()
    for values in units:
        if len(values) < 2:
            continue
        if len(values) == 2:  # two annotators' values: the sums below, without their Counter
            a, b = values
            counts[a] += 1
            counts[b] += 1
            if a != b:
                observed += 2 * distance(a, b)
            continue
        within = Counter(values)
        counts.update(within)
        pairs = sum(n * m * distance(a, b) for a, n in within.items() for b, m in within.items())
        observed += pairs / (len(values) - 1)
    n = sum(counts.values())
    if n < 2 or len(counts) < 2:
        return None, False
    expected, estimated = _expected(counts, level)
    if expected == 0:
        return None, estimated
    return 1 - (observed / n) / expected, estimated


def _expected(counts: Counter[Hashable], level: str) -> tuple[float, bool]:
    """D_e: the mean distance of two values drawn without replacement from all pairable ones."""
    n = sum(counts.values())
    if level == NOMINAL:
        return (n * n - sum(c * c for c in counts.values())) / (n * (n - 1)), False
    if level == INTERVAL:  # sum over ordered pairs of (a - b)^2 = 2n sum x^2 - 2 (sum x)^2
        days = [(cast(int, v), c) for v, c in counts.items()]
        total = float(sum(v * c for v, c in days))
        squares = float(sum(v * v * c for v, c in days))
        return (2 * n * squares - 2 * total * total) / (n * (n - 1)), False
    estimated = len(counts) > MASI_EXACT_LIMIT
    if estimated:
        drawn = random.Random(0).sample(sorted(counts, key=_shown), counts=[counts[v] for v in
                                        sorted(counts, key=_shown)], k=MASI_EXACT_LIMIT)
        counts, n = Counter(drawn), MASI_EXACT_LIMIT
    values = [(cast(frozenset[Any], v), len(cast(frozenset[Any], v)), c) for v, c in counts.items()]
    pairs = 0.0
    for i, (a, size_a, na) in enumerate(values):
        for b, size_b, nb in values[i + 1:]:
            common = len(a & b)
            if not common:
                pairs += na * nb
            else:  # masi_distance(a, b) of two distinct sets, written out: this loop is quadratic
                weight = 2 / 3 if common == min(size_a, size_b) else 1 / 3
                pairs += na * nb * (1 - common / (size_a + size_b - common) * weight)
    return 2 * pairs / (n * (n - 1)), estimated


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa of two annotators over the units both coded; None when undefined."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(1 for a, b in pairs if a == b) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(first[k] * second[k] for k in first) / (n * n)
    if chance == 1:  # one value throughout: nothing to measure against, as alpha says
        return None
    return (observed - chance) / (1 - chance)


# Pairing events ---------------------------------------------------------------


def _span(data: Event) -> tuple[str, str] | None:
    start, end = data.get("date"), data.get("end_date")
    if not isinstance(start, str) or not real_date(start):
        return None
    last = end if isinstance(end, str) and real_date(end) else start
    return bounds(start)[0], bounds(last)[1]


def _buckets(span: tuple[str, str] | None, country: str | None) -> tuple[tuple[str | None, str], ...]:
    """Where to look for an event's counterparts: its country and each year it spans (at most 10)."""
    if span is None:
        return ()
    return tuple((country, str(year)) for year in range(int(span[0][:4]), int(span[1][:4]) + 1))[:10]


def _score(a: Facts, b: Facts) -> tuple[bool, float, int] | None:
    """How well two annotators' events match: the same type first, then more shared people,
    then nearer dates; None: they cannot be one event."""
    span_a, span_b = a.span, b.span
    if span_a is None or span_b is None or span_a[1] < span_b[0] or span_b[1] < span_a[0]:
        return None
    (place_a, country_a), (place_b, country_b) = a.where, b.where
    if place_a and place_b and place_a != place_b:
        return None
    if not (place_a and place_b) and country_a != country_b:
        return None
    people_a, people_b = a.people.keys(), b.people.keys()
    shared = len(people_a & people_b)
    if not shared:
        return None
    return a.kind == b.kind, shared / len(people_a | people_b), -abs(span_a[2] - span_b[2])


def pair_events(sides: Sequence[dict[str, Facts]]) -> list[Unit]:
    """Units of events across annotators: by id, then by date, place and participants."""
    units: list[Unit] = []
    by_id: dict[str, Unit] = {}
    # Each bucket's units by folded place ("" without one): an event with a place can only
    # match an event at that place or at none.
    nearby: dict[tuple[str | None, str], dict[str, list[Unit]]] = {}
    for index, records in enumerate(sides):
        left = []
        for identifier, data in records.items():
            unit = by_id.get(identifier)
            if unit is not None and index not in unit:
                unit[index] = data
            else:
                left.append((identifier, data))
        # Every possible pair of a left-over event and an earlier unit, best first: an event
        # takes the unit that fits it best, not the first that fits at all.
        candidates = []
        position = {id(unit): n for n, unit in enumerate(units)} if index else {}
        for order, (identifier, data) in enumerate(left):
            place = data.where[0]
            for key in data.buckets if index else ():  # the first annotator's have no match yet
                at = nearby.get(key, {})
                for unit in (at.get(place, []) + at.get("", []) if place
                             else [u for units_there in at.values() for u in units_there]):
                    score = _score(unit[min(unit)], data)
                    if score is not None:
                        candidates.append((score, -order, -position[id(unit)], identifier, data, unit))
        candidates.sort(key=lambda c: c[:3], reverse=True)
        placed: set[str] = set()
        for _, _, _, identifier, data, unit in candidates:
            if index in unit or identifier in placed:
                continue
            unit[index] = data
            placed.add(identifier)
            by_id.setdefault(identifier, unit)  # a third annotator may use this id
        for identifier, data in left:
            if identifier in placed:
                continue
            unit = {index: data}
            units.append(unit)
            by_id.setdefault(identifier, unit)
            for key in data.buckets:
                nearby.setdefault(key, {}).setdefault(data.where[0] or "", []).append(unit)
    return units


# The whole comparison ----------------------------------------------------------


def measure(versions: Sequence[str], cwd: Path) -> Agreement:
    """`annot agree VERSIONS...` run from `cwd`: each version a folder or a git revision; the
    registry is the working tree's (its identities serve every version)."""
    from functools import partial

    from .errors import AnnotError
    from .sides import read_versions

    # The registry and the vocabulary are read before the workers fork, so that each has
    # them; trouble with the registry is told after any trouble with the versions, as ever.
    deferred: AnnotError | None = None
    try:
        registry = _registry(cwd)
    except AnnotError as exc:
        registry, deferred = None, exc
    _types_with_modes()
    sides, unreadable = [], []
    # Reading and comparing two corpora allocates millions of objects that all stay alive,
    # and none of them in a cycle: the cyclic collector would only walk them again and again.
    with paused():
        for records, bad in read_versions(versions, cwd, partial(facts, registry=registry, known={})):
            sides.append(records)
            unreadable += bad
        if deferred is not None:
            raise deferred
        return agree(versions, sides, unreadable)


def _registry(cwd: Path) -> Registry | None:
    """The project's actor registry; None without one (or when it cannot be read: agree does
    not check it, `annot validate` does)."""
    from .actors import parse
    from .files import inside, read_regular
    from .project import project_for

    project = project_for(cwd)
    path = project.actors_file
    if not os.path.lexists(path) or not inside(path, project.root):
        return None
    try:
        return parse(read_regular(path))
    except OSError:
        return None


def agree(annotators: Sequence[str], sides: Sequence[dict[str, Facts]],
          unreadable: Sequence[str] = ()) -> Agreement:
    """Agreement between annotators' versions of a corpus (each the facts of its records by id)."""
    units = pair_events(sides)
    paired = [u for u in units if len(u) > 1]
    two = len(sides) == 2
    fields = []
    disagreements: list[Disagreement] = []
    names = {id(u): _name(u) for u in units}
    for unit in units:
        if len(unit) < len(sides):
            disagreements.append(Disagreement(names[id(unit)], "event", [
                _id_of(unit[i]) if i in unit else "" for i in range(len(sides))]))
    for number, (field, (level, _)) in enumerate(FIELDS.items()):
        coded = [{i: v for i, data in u.items() if (v := data.values[number]) is not None}
                 for u in paired]
        for unit, values in zip(paired, coded, strict=True):
            if len(values) > 1 and len(set(values.values())) > 1:
                said = _said(field, unit, values)
                disagreements.append(Disagreement(names[id(unit)], field, [
                    said.get(i, "") for i in range(len(sides))]))
        fields.append(_field(field, level, [list(c.values()) for c in coded],
                             [(c[0], c[1]) for c in coded if two and 0 in c and 1 in c]))
    roles = []
    for unit in paired:
        coded_people = {i: data.people for i, data in unit.items()}
        for key in sorted({k for p in coded_people.values() for k in p}):
            said = {i: p[key] for i, p in coded_people.items() if key in p}
            if len(said) > 1:
                roles.append(said)
                if len(set(said.values())) > 1:
                    disagreements.append(Disagreement(names[id(unit)], f"{ROLES} {key}", [
                        said.get(i, "") for i in range(len(sides))]))
    fields.append(_field(ROLES, NOMINAL, [list(r.values()) for r in roles],
                         [(r[0], r[1]) for r in roles if two and 0 in r and 1 in r]))
    return Agreement(list(annotators), len(units), len(paired), _detection(annotators, units),
                     fields, disagreements, list(unreadable))


def _said(field: str, unit: Unit, values: dict[int, Hashable]) -> dict[int, str]:
    """What each annotator said, for a disagreement: a date as written; a place as the first
    annotator to name it wrote it (places compare folded: "Bamako" is "BAMAKO")."""
    if field == "date":
        return {i: str(unit[i].date) for i in values}
    if field != "place":
        return {i: _shown(value) for i, value in values.items()}
    spelled: dict[Hashable, str] = {}
    for i in sorted(values):
        spelled.setdefault(values[i], str(unit[i].place))
    return {i: spelled[value] for i, value in values.items()}


def _id_of(data: Facts) -> str:
    return "" if data.name is None else data.name


def _name(unit: Unit) -> str:
    first = unit[min(unit)]
    return "?" if first.name is None else first.name


def _field(field: str, level: str, units: Sequence[Sequence[Hashable]],
           pairs: Sequence[tuple[Hashable, Hashable]]) -> FieldAgreement:
    value, estimated = alpha(units, level)
    kappa = cohen_kappa(pairs) if level == NOMINAL and pairs else None
    return FieldAgreement(field, level, value, sum(1 for u in units if len(u) > 1), kappa, estimated)


def _detection(annotators: Sequence[str], units: list[Unit]) -> list[Detection]:
    """Each annotator against the others pooled: precision over its own events, recall over
    the events the others found."""
    found = []
    for index, name in enumerate(annotators):
        own = [u for u in units if index in u]
        matched = sum(1 for u in own if len(u) > 1)
        others = sum(1 for u in units if any(i != index for i in u))
        precision = matched / len(own) if own else None
        recall = matched / others if others else None
        f1 = (2 * precision * recall / (precision + recall)
              if precision is not None and recall is not None and precision + recall else None)
        found.append(Detection(name, len(own), matched, precision, recall, f1))
    return found
