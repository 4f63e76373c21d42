"""A corpus at a glance: who met whom, where, on what topics, and when.

Plain data only; `render.py` draws it. Two participants of one event met
when their sides differ and neither is an attendee (attendees were
present). Pairs are unordered and counted once per event. The same person
is recognised across records by `wikidata` when given, else by the
normalised name; an unnamed participant appears by title.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

ATTENDEE = "attendee"


class Person(NamedTuple):
    """A participant as the summary knows them."""

    key: str  # identity across records
    label: str  # how they are shown
    role: str
    side: str


class Event(NamedTuple):
    """One record, reduced to what the summary shows."""

    id: str
    file: str
    date: str
    place: str | None
    country: str | None
    met: list[tuple[Person, Person]]
    present: list[Person]
    topics: list[str]
    status: str | None


class Pair(NamedTuple):
    """Two people who met, how often, and in which events."""

    a: str
    b: str
    times: int  # "count" in JSON; a NamedTuple field may not shadow tuple.count
    events: list[str]


class Summary(NamedTuple):
    """Everything `annot summary` shows."""

    events: list[Event]
    pairs: list[Pair]
    places: list[tuple[str, str | None, int, list[str]]]  # place, country, count, event ids
    topics: list[tuple[str, int]]
    timeline: list[tuple[str, int]]  # YYYY-MM (or YYYY for year-only dates), count
    skipped: int

    def as_data(self) -> dict[str, Any]:
        """The JSON form: events, pairs, places, topics, timeline, skipped."""
        return {
            "events": [
                {
                    "id": e.id, "file": e.file, "date": e.date, "place": e.place,
                    "country": e.country,
                    "met": [{"a": a.label, "a_role": a.role, "b": b.label, "b_role": b.role}
                            for a, b in e.met],
                    "present": [p.label for p in e.present],
                    "topics": e.topics, "status": e.status,
                }
                for e in self.events
            ],
            "pairs": [{"a": p.a, "b": p.b, "count": p.times, "events": p.events}
                      for p in self.pairs],
            "places": [{"place": p, "country": c, "count": n, "events": ids}
                       for p, c, n, ids in self.places],
            "topics": [{"topic": t, "count": n} for t, n in self.topics],
            "timeline": [{"month": m, "count": n} for m, n in self.timeline],
            "skipped": self.skipped,
        }


def normalise(text: str) -> str:
    """A name as compared: case, accents and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def person(participant: dict[str, Any]) -> Person:
    """How a participant entry is identified, shown and sided."""
    name = participant.get("name")
    title = participant.get("title") or participant.get("ref") or "?"
    wikidata = participant.get("wikidata")
    label = name if isinstance(name, str) and name else str(title)
    if isinstance(wikidata, str) and wikidata:
        key = f"wikidata:{wikidata}"
    elif isinstance(name, str) and name:
        key = f"name:{normalise(name)}"
    else:
        key = f"title:{normalise(str(title))}"
    side = (participant.get("side") or participant.get("country")
            or participant.get("organization") or key)
    return Person(key, label, str(participant.get("role", "")), str(side))


def meetings(participants: Sequence[dict[str, Any]]) -> tuple[list[tuple[Person, Person]], list[Person]]:
    """Who met whom in one event (each pair once, ordered by label), and who was present."""
    people = [person(p) for p in participants if isinstance(p, dict)]
    active = [p for p in people if p.role != ATTENDEE]
    present = [p for p in people if p.role == ATTENDEE]
    met: dict[tuple[str, str], tuple[Person, Person]] = {}
    for i, a in enumerate(active):
        for b in active[i + 1 :]:
            if a.side == b.side or a.key == b.key:
                continue
            first, second = (a, b) if (a.label, a.key) <= (b.label, b.key) else (b, a)
            met.setdefault((first.key, second.key), (first, second))
    return list(met.values()), present


def event(file: str, data: dict[str, Any]) -> Event:
    """The summary's view of one valid record."""
    location = data.get("location")
    location = location if isinstance(location, dict) else {}
    met, present = meetings(data.get("participants") or [])
    annotation = data.get("annotation")
    annotation = annotation if isinstance(annotation, dict) else {}
    return Event(
        id=str(data.get("id")), file=file, date=str(data.get("date")),
        place=location.get("place"), country=location.get("country"),
        met=met, present=present, topics=list(data.get("topics") or []),
        status=annotation.get("status"),
    )


def _bounds(date: str) -> tuple[str, str]:
    """The first and last day a reduced-precision date may mean (as text)."""
    low = date + "-01-01"[len(date) - 4 :] if len(date) < 10 else date
    high = date + "-12-31"[len(date) - 4 :] if len(date) < 10 else date
    return low, high


class Filters(NamedTuple):
    """Which events a summary keeps; None keeps all."""

    since: str | None = None
    until: str | None = None
    topics: tuple[str, ...] = ()
    participant: str | None = None
    status: str | None = None

    def keep(self, e: Event, data: dict[str, Any]) -> bool:
        """Whether event `e` passes every filter given."""
        low, high = _bounds(e.date)
        if self.since and high < _bounds(self.since)[0]:
            return False
        if self.until and low > _bounds(self.until)[1]:
            return False
        if self.topics and not set(self.topics) & set(e.topics):
            return False
        if self.status and e.status != self.status:
            return False
        if self.participant:
            wanted = normalise(self.participant)
            fields = [str(p.get(k)) for p in data.get("participants") or [] if isinstance(p, dict)
                      for k in ("name", "title", "ref", "wikidata", "organization") if p.get(k)]
            if not any(wanted in normalise(f) for f in fields):
                return False
        return True


def summarise(records: Iterable[tuple[str, dict[str, Any]]], skipped: int = 0,
              filters: Filters | None = None) -> Summary:
    """Summarise valid records, given as (file, data) pairs."""
    filters = filters or Filters()
    events = []
    for file, data in records:
        e = event(file, data)
        if filters.keep(e, data):
            events.append(e)
    events.sort(key=lambda e: (e.date, e.id))

    labels: dict[str, str] = {}  # identity -> the first way it was written
    pairs: dict[tuple[str, str], list[str]] = {}
    places: dict[tuple[str, str | None], list[str]] = {}
    topics: dict[str, int] = {}
    months: dict[str, int] = {}
    for e in events:
        for a, b in e.met:
            labels.setdefault(a.key, a.label)
            labels.setdefault(b.key, b.label)
            pairs.setdefault((min(a.key, b.key), max(a.key, b.key)), []).append(e.id)
        if e.place or e.country:
            places.setdefault((e.place or "", e.country), []).append(e.id)
        for topic in e.topics:
            topics[topic] = topics.get(topic, 0) + 1
        month = e.date[:7]
        months[month] = months.get(month, 0) + 1
    return Summary(
        events=events,
        pairs=sorted((_pair(labels[a], labels[b], ids) for (a, b), ids in pairs.items()),
                     key=lambda p: (-p.times, p.a, p.b)),
        places=sorted(((p, c, len(ids), ids) for (p, c), ids in places.items()),
                      key=lambda x: (-x[2], x[0], x[1] or "")),
        topics=sorted(topics.items(), key=lambda t: (-t[1], t[0])),
        timeline=sorted(months.items()),
        skipped=skipped,
    )


def _pair(first: str, second: str, events: list[str]) -> Pair:
    a, b = sorted((first, second))
    return Pair(a, b, len(events), events)
