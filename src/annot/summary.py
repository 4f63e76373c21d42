"""A corpus at a glance: what happened, who met whom, who did what to whom,
where, on what topics, and when.

Plain data only; `render.py` draws it. Each event reads as one sentence
built from its PLOVER type, mode, direction and factuality ("Nick Checker
visited Abdoulaye Diop", "United States curtailed exchanges with Mali
(historical)").

Who met whom holds consult events that happened (asserted or historical):
two participants met when neither is an attendee and their sides differ
(`side`, else the country, else the organization). Who did what to whom
holds the dyads (an actor and a recipient) of events that happened, by
type. The same party is recognised across records by `wikidata`, else by
the folded name; an unnamed participant appears by title.

Each record is read, and its event drawn in the output's format, where it
was checked (a worker, when there are many: `seeing`); the parent gets a
Brief of each, counts it (`Tally`) as it comes and lays out the whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import lru_cache
from sys import intern
from typing import TYPE_CHECKING, Any, NamedTuple

from . import vocabulary
from .collector import paused
from .dates import bounds
from .export import as_text, listed, part

if TYPE_CHECKING:
    from .actors import Registry
from .errors import TroubleError
from .suggest import did_you_mean

ATTENDEE = "attendee"
# The codebook's international non-state codes that name no one entity: "With the exception of
# the UN and EU, the special codes ... are intentionally broad and generic". Such a code is no
# side: two envoys of two IGOs are not colleagues.
GENERIC_ENTITIES = frozenset({"IGO", "NGO", "ISM", "IMG", "MNC"})
HAPPENED = ("asserted", "historical")
FACTUALITY_SHOWN = {"historical": "historical", "future": "planned", "hypothetical": "hypothetical",
                    "negated": "did not happen"}

# How an event reads: (with a recipient, without one). {a} actors, {r} recipients.
TYPE_PHRASES = {
    "agree": ("{a} pledged cooperation to {r}", "{a} pledged cooperation"),
    "consult": ("{a} met {r}", "{a} held talks"),
    "support": ("{a} supported {r}", "{a} improved ties"),
    "concede": ("{a} made concessions to {r}", "{a} made concessions"),
    "cooperate": ("{a} cooperated with {r}", "{a} cooperated"),
    "aid": ("{a} gave aid to {r}", "{a} gave aid"),
    "retreat": ("{a} took a conciliatory step toward {r}", "{a} took a conciliatory step"),
    "request": ("{a} made a request of {r}", "{a} made a request"),
    "accuse": ("{a} accused {r}", "{a} made accusations"),
    "reject": ("{a} rejected {r}", "{a} voiced a rejection"),
    "threaten": ("{a} threatened {r}", "{a} made threats"),
    "protest": ("{a} protested against {r}", "{a} protested"),
    "sanction": ("{a} sanctioned {r}", "{a} imposed sanctions"),
    "mobilize": ("{a} mobilized against {r}", "{a} mobilized"),
    "coerce": ("{a} coerced {r}", "{a} used coercion"),
    "assault": ("{a} attacked {r}", "{a} used violence"),
}
MODE_PHRASES = {
    ("consult", "visit"): ("{a} visited {r}", "{a} made a visit"),
    ("consult", "third-party"): ("{a} met {r} at a third party's", "{a} met at a third party's"),
    ("consult", "multilateral"): ("{a} met {r} in a multilateral setting",
                                  "{a} met in a multilateral setting"),
    ("consult", "phone"): ("{a} spoke remotely with {r}", "{a} spoke remotely"),
    ("sanction", "convict"): ("{a} convicted {r}", "{a} handed down a conviction"),
    ("sanction", "expel"): ("{a} expelled {r}", "{a} expelled someone"),
    ("sanction", "withdraw"): ("{a} withdrew from {r}", "{a} withdrew"),
    ("sanction", "discontinue"): ("{a} discontinued exchanges with {r}", "{a} discontinued exchanges"),
    ("accuse", "disapprove"): ("{a} criticized {r}", "{a} voiced disapproval"),
    ("accuse", "investigate"): ("{a} investigated {r}", "{a} opened an investigation"),
    ("accuse", "allege"): ("{a} made allegations against {r}", "{a} made allegations"),
    ("retreat", "withdraw"): ("{a} withdrew forces, yielding to {r}", "{a} withdrew forces"),
    ("retreat", "release"): ("{a} released captives to {r}", "{a} released captives"),
    ("retreat", "disarm"): ("{a} gave up weapons, yielding to {r}", "{a} gave up weapons"),
    ("retreat", "ceasefire"): ("{a} implemented a ceasefire with {r}", "{a} implemented a ceasefire"),
    ("retreat", "access"): ("{a} allowed {r} access", "{a} allowed access"),
    ("retreat", "resign"): ("{a} resigned, yielding to {r}", "{a} resigned"),
    ("request", "assist"): ("{a} asked {r} for assistance", "{a} asked for assistance"),
    ("request", "change"): ("{a} asked {r} for a change of policy", "{a} asked for a change of policy"),
    ("request", "yield"): ("{a} asked {r} to yield", "{a} asked for a concession"),
    ("request", "meet"): ("{a} asked to meet {r}", "{a} asked for talks"),
    ("reject", "assist"): ("{a} rejected exchanges or assistance with {r}",
                           "{a} rejected exchanges or assistance"),
    ("reject", "change"): ("{a} rejected a change of policy asked by {r}", "{a} rejected a change of policy"),
    ("reject", "yield"): ("{a} refused to yield to {r}", "{a} refused to yield"),
    ("reject", "meet"): ("{a} refused to meet {r}", "{a} refused talks"),
    # A threat's mode is what is threatened (the codebook: "the mode is the content of the threat").
    ("threaten", "restrict"): ("{a} threatened {r} with restrictions", "{a} threatened restrictions"),
    ("threaten", "arrest"): ("{a} threatened {r} with arrest", "{a} threatened arrests"),
    ("threaten", "relations"): ("{a} threatened to suspend relations with {r}",
                                "{a} threatened to suspend relations"),
    ("threaten", "expel"): ("{a} threatened to expel {r}", "{a} threatened expulsions"),
    ("threaten", "territory"): ("{a} threatened to seize territory of {r}",
                                "{a} threatened to seize territory"),
    ("threaten", "violence"): ("{a} threatened {r} with violence", "{a} threatened violence"),
}


class Party(NamedTuple):
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
    end_date: str | None
    type: str
    modes: list[str]
    factuality: str
    place: str | None
    country: str | None
    sentence: str
    parties: list[Party]
    met: list[tuple[Party, Party]]  # empty unless a consult that happened
    topics: list[str]
    status: str | None

    def with_role(self, role: str) -> list[Party]:
        """The parties of this event that have `role`."""
        return [p for p in self.parties if p.role == role]

    @property
    def when(self) -> str:
        """The date, or the date range."""
        return f"{self.date}–{self.end_date}" if self.end_date else self.date

    def as_data(self) -> dict[str, Any]:
        """The JSON form of one event."""
        return {
            "id": self.id, "file": self.file, "date": self.date, "end_date": self.end_date,
            "type": self.type, "mode": self.modes, "factuality": self.factuality,
            "place": self.place, "country": self.country, "sentence": self.sentence,
            **{f"{role}s": found for role, found in zip(ROLES, labels(self.parties), strict=True)},
            "met": [{"a": a.label, "b": b.label} for a, b in self.met],
            "topics": self.topics, "status": self.status,
        }


class Meeting(NamedTuple):
    """Two parties who met, how often, and in which events."""

    a: str
    b: str
    times: int  # "count" in JSON; a NamedTuple field may not shadow tuple.count
    events: list[str]


class Dyad(NamedTuple):
    """An actor and a recipient of events of one type."""

    actor: str
    recipient: str
    type: str
    times: int
    events: list[str]


class Summary(NamedTuple):
    """Everything `annot summary` shows."""

    events: list[Any]  # each event as the output draws it (an Event, unless drawn otherwise)
    meetings: list[Meeting]
    dyads: list[Dyad]
    places: list[tuple[str | None, str | None, int, list[str]]]  # place, country, count, event ids
    # (None, None): the events without a place or country
    topics: list[tuple[str, int]]
    timeline: list[tuple[str, int]]  # YYYY-MM (or YYYY for year-only dates), count
    skipped: int

    def as_data(self) -> dict[str, Any]:
        """The JSON form of all but the events (each drawn on its own, `Event.as_data`):
        meetings, dyads, and the counts (`counts_as_data`)."""
        return {
            "meetings": [{"a": m.a, "b": m.b, "count": m.times, "events": m.events}
                         for m in self.meetings],
            "dyads": [{"actor": d.actor, "recipient": d.recipient, "type": d.type, "count": d.times,
                       "events": d.events} for d in self.dyads],
            **self.counts_as_data(),
        }

    def counts_as_data(self) -> dict[str, Any]:
        """The JSON form of places, topics, timeline and skipped."""
        return {
            "places": [{"place": p, "country": c, "count": n, "events": ids}
                       for p, c, n, ids in self.places],
            "topics": [{"topic": t, "count": n} for t, n in self.topics],
            "timeline": [{"period": m, "count": n} for m, n in self.timeline],
            "skipped": self.skipped,
        }


@lru_cache(maxsize=4096)  # a corpus names the same people again and again
def normalise(text: str) -> str:
    """A name as compared: case, accents, spacing and script ignored."""
    from .names import fold

    return fold(text)


def party(participant: dict[str, Any], registry: Registry | None = None) -> Party:
    """How a participant entry is identified, shown and sided: by its registry actor when
    the registry knows it (by id, Wikidata id, name or alias), else by what it says."""
    if registry is not None:
        known = registry.known(participant)
        if known is not None:
            actor = registry.actors[known]
            member_of = actor.get("member_of")
            group = f"actor:{member_of[0]}" if isinstance(member_of, list) and member_of else None
            side = _side(participant, participant.get("country") or actor.get("country"), group,
                         f"actor:{known}")
            return Party(f"actor:{known}", str(actor.get("name", known)), str(participant.get("role", "")),
                         str(side))
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
    return Party(key, label, str(participant.get("role", "")),
                 str(_side(participant, participant.get("country"), None, key)))


def _side(participant: dict[str, Any], country: Any, group: str | None, alone: str) -> Any:
    """A party's side: its own `side`, else its country, else its organization, else the group
    the registry makes it a member of, else `alone` (itself). A generic code (IGO, NGO, ...)
    is a side only when nothing names one better: the envoys of two IGOs meet, two
    colleagues of one do not."""
    generic = isinstance(country, str) and country in GENERIC_ENTITIES
    return (participant.get("side") or (None if generic else country) or participant.get("organization")
            or group or country or alone)


def meetings(parties: Sequence[Party]) -> list[tuple[Party, Party]]:
    """Who met whom among the parties of one consult (each pair once, ordered by label)."""
    active = [p for p in parties if p.role != ATTENDEE]
    met: dict[tuple[str, str], tuple[Party, Party]] = {}
    for i, a in enumerate(active):
        for b in active[i + 1 :]:
            if a.side == b.side or a.key == b.key:
                continue
            first, second = (a, b) if (a.label, a.key) <= (b.label, b.key) else (b, a)
            met.setdefault((first.key, second.key), (first, second))
    return list(met.values())


ROLES = tuple(vocabulary.ROLES)  # actor, recipient, mediator, attendee: the label columns' order too
_ROLE_AT = {role: at for at, role in enumerate(ROLES)}


def labels(parties: Iterable[Party]) -> tuple[list[str], list[str], list[str], list[str]]:
    """The labels of the actors, recipients, mediators and attendees among `parties`."""
    found: tuple[list[str], list[str], list[str], list[str]] = ([], [], [], [])
    for p in parties:
        at = _ROLE_AT.get(p.role)
        if at is not None:
            found[at].append(p.label)
    return found


def _names(labels: list[str]) -> str:
    unique = list(dict.fromkeys(labels))
    return unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " and " + unique[-1]


def sentence(event_type: str, modes: list[str], factuality: str,
             by_role: tuple[list[str], list[str], list[str], list[str]]) -> str:
    """What happened, in one sentence, from type, mode, direction and factuality; `by_role`
    is the parties' `labels`."""
    actors, recipients, mediators, _ = by_role
    doers = actors or mediators
    phrases = None
    for mode in modes:
        phrases = MODE_PHRASES.get((event_type, mode))
        if phrases is not None:
            break
    if phrases is None:  # a type of a custom vocabulary: named as it is, braces and all
        phrases = TYPE_PHRASES.get(event_type) or ("{a} {t} {r}", "{a} {t}")
    text = (phrases[0] if recipients else phrases[1]).format(
        a=_names(doers) if doers else "someone", r=_names(recipients) if recipients else "", t=event_type)
    if mediators and actors:
        text += f", mediated by {_names(mediators)}"
    shown = FACTUALITY_SHOWN.get(factuality)
    return f"{text} ({shown})" if shown else text


class Facts(NamedTuple):
    """A record's plain fields, as every view of it reads them."""

    id: str
    date: str
    end_date: str | None
    type: str
    modes: list[str]
    factuality: str
    topics: list[str]


def facts(data: dict[str, Any]) -> Facts:
    """The plain fields of a valid record (a custom schema may let anything through)."""
    mode, end, topics = data.get("mode"), data.get("end_date"), data.get("topics")
    return Facts(  # by position: a summary reads every record's
        str(data.get("id")), str(data.get("date")), str(end) if end else None, str(data.get("type")),
        list(map(str, mode)) if isinstance(mode, list) else [str(mode)] if mode else [],
        str(data.get("factuality") or "asserted"),
        list(map(str, topics)) if isinstance(topics, list) else [],
    )


def event(file: str, data: dict[str, Any], registry: Registry | None = None) -> Event:
    """The summary's view of one valid record."""
    location, annotation = part(data, "location"), part(data, "annotation")
    parties = [party(p, registry) for p in listed(data, "participants") if isinstance(p, dict)]
    f = facts(data)
    return Event(
        id=f.id, file=file, date=f.date, end_date=f.end_date, type=f.type, modes=f.modes,
        factuality=f.factuality, place=as_text(location.get("place")),
        country=as_text(location.get("country")),
        sentence=sentence(f.type, f.modes, f.factuality, labels(parties)), parties=parties,
        met=meetings(parties) if f.type == "consult" and f.factuality in HAPPENED else [],
        topics=f.topics, status=annotation.get("status"),
    )


class Filters(NamedTuple):
    """Which events a summary keeps; None or () keeps all."""

    since: str | None = None
    until: str | None = None
    types: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    participant: str | None = None
    status: str | None = None

    def keep(self, seen: View) -> bool:
        """Whether an event passes every filter given; a date range counts where it overlaps."""
        e = seen.event
        low, high = bounds(e.date)[0], bounds(e.end_date or e.date)[1]
        if self.since and high < bounds(self.since)[0]:
            return False
        if self.until and low > bounds(self.until)[1]:
            return False
        if self.types and e.type not in self.types:
            return False
        if self.topics and not set(self.topics) & set(e.topics):
            return False
        if self.status and e.status != self.status:
            return False
        return not self.participant or any(
            normalise(self.participant) in normalise(f) for f in seen.names)


class View(NamedTuple):
    """What the summary needs of one valid record: its event, and every name `--participant`
    may match (the parties' labels and what the record writes of each participant)."""

    event: Event
    names: list[str]


def view(file: str, data: dict[str, Any], registry: Registry | None = None) -> View:
    """The summary's view of one valid record."""
    e = event(file, data, registry)
    written = [str(p.get(k)) for p in listed(data, "participants") if isinstance(p, dict)
               for k in ("name", "title", "ref", "actor", "wikidata", "organization") if p.get(k)]
    return View(e, written + [p.label for p in e.parties])


def nameless_view(file: str, data: dict[str, Any], registry: Registry | None = None) -> View:
    """The summary's view of one valid record, without the names only --participant reads
    (what a worker sends back is smaller)."""
    return View(event(file, data, registry), [])


def view_for(filters: Filters) -> Callable[[str, dict[str, Any], Registry | None], View]:
    """`view` when --participant reads every name of a record, else the smaller `nameless_view`."""
    return view if filters.participant else nameless_view


def check_filters(filters: Filters, types: Sequence[str], topics: Sequence[str],
                  views: Sequence[View | Seen | Counted]) -> None:
    """TroubleError for a filter value that can match nothing, with the closest known one."""
    for option, values, known in (("--type", filters.types, types), ("--topic", filters.topics, topics)):
        for value in values:
            if known and value not in known:
                hint = did_you_mean(value, list(known))
                raise TroubleError(f"{option} {value!r} is not a known value{hint}")
    if filters.participant:
        check_participant(filters.participant, {name for seen in views for name in seen.names})


def check_participant(wanted: str, names: Iterable[str]) -> None:
    """TroubleError when `wanted` matches none of `names`, with the closest one."""
    known = sorted(set(names))
    folded = normalise(wanted)
    if not any(folded in normalise(n) for n in known):
        raise TroubleError(f"--participant {wanted!r} names no participant of these "
                           f"records{did_you_mean(wanted, known)}")


def summarise(records: Iterable[tuple[str, dict[str, Any]]], skipped: int = 0,
              filters: Filters | None = None, registry: Registry | None = None) -> Summary:
    """Summarise valid records, given as (file, data) pairs, knowing the actor registry."""
    filters = filters or Filters()
    seen = (view(file, data, registry) for file, data in records)
    return tally([brief(s.event, s.event) for s in seen if filters.keep(s)], skipped)


class Brief(NamedTuple):
    """What the summary counts of one event, and the event as the output draws it: strings
    and lists of them, so that what a worker sends back is small and quick to read."""

    date: str
    id: str
    type: str
    where: tuple[str | None, str | None]  # (place, country) as counted: ("", country)
    # without a place, (None, None) without either
    topics: list[str]
    parties: list[tuple[str, str]]  # (identity, label) of each party
    met: list[tuple[str, str]]  # the identities of two parties who met, the lesser first
    dyads: list[tuple[str, str]]  # the identities of each actor and recipient, if it happened
    drawn: Any


def brief(e: Event, drawn: Any) -> Brief:
    """What the summary counts of `e`, drawn as `drawn`. Its words are interned: a word that
    many events share (a date, a topic, a party) crosses back from a worker once a chunk, and
    is held once, for every event of a corpus."""
    recipients = e.with_role("recipient")
    dyads = ([(intern(a.key), intern(r.key)) for a in e.with_role("actor") for r in recipients]
             if e.factuality in HAPPENED else [])
    place, country = e.place or ("" if e.country else None), e.country
    return Brief(intern(e.date), e.id, intern(e.type), (place and intern(place), country and intern(country)),
                 [intern(t) for t in e.topics], [(intern(p.key), intern(p.label)) for p in e.parties],
                 [(intern(min(a.key, b.key)), intern(max(a.key, b.key))) for a, b in e.met], dyads, drawn)


class Seen(NamedTuple):
    """What a summary keeps of one valid record: its brief (None when the filters leave it
    out) and, with --participant, every name that may match (`View.names`)."""

    brief: Brief | None
    names: list[str]


def seeing(filters: Filters, draw: Callable[[Event], Any]
           ) -> Callable[[str, dict[str, Any], Registry | None], Seen | None]:
    """What a check keeps of each valid record (file, data, registry) for a summary, with
    each event kept drawn by `draw` where the record was checked (a worker, when there are
    many): the drawing of one event is the output's per-event work. None for a record left
    out when no name is wanted of it."""

    viewing = view_for(filters)

    def see(file: str, data: dict[str, Any], registry: Registry | None) -> Seen | None:
        seen = viewing(file, data, registry)
        if not filters.keep(seen):
            return Seen(None, seen.names) if filters.participant else None
        return Seen(brief(seen.event, draw(seen.event)), seen.names)

    return see


def aggregate(events: list[Event], skipped: int = 0) -> Summary:
    """The summary of events already read and filtered (sorted here by date, then id)."""
    return tally([brief(e, e) for e in events], skipped)


@paused()  # the counts hold no cycle
def tally(briefs: Iterable[Brief], skipped: int = 0) -> Summary:
    """The summary of the briefs of events already read and filtered (sorted here by date,
    then id); its events are as the briefs draw them."""
    counted = Tally()
    for b in briefs:
        counted.add(b)
    return counted.summary(skipped)


class Counted(NamedTuple):
    """What a summary holds of a valid record once its event is counted: the event's number
    in the Tally (None when the filters leave it out), and with --participant every name
    that may match (`View.names`)."""

    number: int | None
    names: Sequence[str]


def counting(tally: Tally) -> Callable[[Seen], Counted]:
    """What counts each record's Seen in `tally` as it comes."""

    def count(seen: Seen) -> Counted:
        return Counted(tally.add(seen.brief) if seen.brief is not None else None, seen.names or ())

    return count


class Tally:
    """The summary's counts, taken one brief at a time as the records come, in any order.
    What is held of an event once counted is its date, id and drawing, and its number in
    the lists of events of each party's label, pair, dyad, place and topic: an event found
    invalid later (by a rule across files) is left out of every count by its number."""

    def __init__(self) -> None:
        self._events: list[tuple[str, str, Any]] = []  # (date, id, drawn), as they came
        self._labels: dict[tuple[str, str], list[int]] = {}  # (identity, label) -> events
        self._met: dict[tuple[str, str], list[int]] = {}
        self._dyads: dict[tuple[str, str, str], list[int]] = {}
        self._places: dict[tuple[str | None, str | None], list[int]] = {}
        self._topics: dict[str, list[int]] = {}

    def add(self, b: Brief) -> int:
        """Count one event; its number. (A check that gathers runs with the collector paused.)"""
        number = len(self._events)
        self._events.append((b.date, b.id, b.drawn))
        for written in dict(b.parties).items():  # a party written twice: the last way counts
            self._labels.setdefault(written, []).append(number)
        for pair in b.met:
            self._met.setdefault(pair, []).append(number)
        for actor, recipient in b.dyads:
            events = self._dyads.setdefault((actor, recipient, b.type), [])
            if not events or events[-1] != number:  # one party written twice counts once
                events.append(number)
        # An event without a place counts too, as (None, None): "unknown", listed last.
        self._places.setdefault(b.where, []).append(number)
        for topic in b.topics:
            self._topics.setdefault(topic, []).append(number)
        return number

    @paused()
    def summary(self, skipped: int = 0, dropped: Collection[int] = ()) -> Summary:
        """The summary of the events counted but those `dropped`, in order of date, then id."""
        events, left_out = self._events, set(dropped)
        order = sorted((n for n in range(len(events)) if n not in left_out), key=lambda n: events[n][:2])
        rank = [-1] * len(events)  # an event's place in `order`; -1 for one left out
        for place, number in enumerate(order):
            rank[number] = place

        def kept(numbers: list[int]) -> list[str]:
            return [events[n][1] for n in sorted((n for n in numbers if rank[n] >= 0), key=rank.__getitem__)]

        first: dict[str, tuple[int, str]] = {}  # identity -> (rank, label) of its first event
        for (identity, label), numbers in self._labels.items():
            earliest = min((rank[n] for n in numbers if rank[n] >= 0), default=None)
            if earliest is not None and (identity not in first or earliest < first[identity][0]):
                first[identity] = (earliest, label)
        labels = {identity: label for identity, (_, label) in first.items()}
        met = [(pair, ids) for pair, numbers in self._met.items() if (ids := kept(numbers))]
        dyads = [(dyad, ids) for dyad, numbers in self._dyads.items() if (ids := kept(numbers))]
        places = [(where, ids) for where, numbers in self._places.items() if (ids := kept(numbers))]
        topics = [(topic, count) for topic, numbers in self._topics.items()
                  if (count := sum(rank[n] >= 0 for n in numbers))]
        return Summary(
            events=[events[n][2] for n in order],
            meetings=sorted((_meeting(labels[a], labels[b], ids) for (a, b), ids in met),
                            key=lambda m: (-m.times, m.a, m.b)),
            dyads=sorted((Dyad(labels[a], labels[r], t, len(ids), ids) for (a, r, t), ids in dyads),
                         key=lambda d: (-d.times, d.actor, d.recipient, d.type)),
            places=sorted(((p, c, len(ids), ids) for (p, c), ids in places),
                          key=lambda x: (x[0] is None, -x[2], x[0] or "", x[1] or "")),
            topics=sorted(topics, key=lambda t: (-t[1], t[0])),
            timeline=sorted(Counter(events[n][0][:7] for n in order).items()),
            skipped=skipped,
        )


def _meeting(first: str, second: str, events: list[str]) -> Meeting:
    a, b = sorted((first, second))
    return Meeting(a, b, len(events), events)
