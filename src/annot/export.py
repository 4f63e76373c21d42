"""The corpus as data for analysis: PLOVER JSON Lines, annot's own JSON Lines, an
ACLED-like CSV, Parquet, and GraphML/GEXF networks (`graphs.py`).

Every writer takes the events one at a time and writes each as it comes, so
memory does not grow with the corpus. An event is an `Item`: the valid record
and the summary's view of it (parties with their identity, who met whom). A
format with a `row` makes its line or row of each Item in the process that
checked the record (a worker, when there are many); its writer takes those.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from importlib import import_module
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from . import __version__
from .dates import bounds, precision, real_date
from .errors import TroubleError
from .quotes import locator

if TYPE_CHECKING:  # the command line imports this module for its formats, on every start
    from .stream import Record
    from .summary import Event, Filters, Party


class Item:
    """One event to export: the record and the summary's reading of it, made when first
    read (PLOVER and annot's JSON Lines read the record alone)."""

    __slots__ = ("_event", "record")

    def __init__(self, record: Record, event: Event | None = None) -> None:
        self.record = record
        self._event = event

    @property
    def event(self) -> Event:
        """The summary's reading of the record."""
        if self._event is None:
            from .summary import event

            self._event = event(self.record.file, self.record.data, self.record.registry)
        return self._event

    @property
    def data(self) -> dict[str, Any]:
        """The record's data."""
        return self.record.data


class Made(NamedTuple):
    """What is made of one valid record: its row (None when the filters leave it out), and
    with --participant every name it may match (to say which was meant when none does)."""

    row: Any
    names: list[str] | None


def maker(filters: Filters, row: Callable[[Item], Any]) -> Callable[[Record], Made]:
    """What makes `row` of a record's Item when the filters keep it."""
    from .summary import Filters, view_for

    seeing = view_for(filters)

    def make(record: Record) -> Made:
        seen = seeing(record.file, record.data, record.registry)
        kept = row(Item(record, seen.event)) if filters.keep(seen) else None
        return Made(kept, seen.names if filters.participant else None)

    def make_every(record: Record) -> Made:  # no filter to read the summary's view
        return Made(row(Item(record)), None)

    return make_every if filters == Filters() else make


def packer(pack: Callable[[list[Any]], list[Any]]) -> Callable[[list[Made]], list[Made]]:
    """What a format's `pack` makes of the rows in what `maker` made of some records."""

    def packed(made: list[Made]) -> list[Made]:
        at = [i for i, one in enumerate(made) if one.row is not None]
        for i, row in zip(at, pack([made[i].row for i in at]) if at else [], strict=True):
            made[i] = Made(row, made[i].names)
        return made

    return packed


def participants(item: Item) -> list[dict[str, Any]]:
    """The record's participants, each with what its registry actor knows (own fields win)."""
    people = [p for p in listed(item.data, "participants") if isinstance(p, dict)]
    registry = item.record.registry
    return [registry.resolve(p) for p in people] if registry is not None else people


class Found(NamedTuple):
    """An evidence quote and where it is in the source text as it is on disk: start/end in
    code points, the passage text[start:end] (None when not found or the text is not at hand).
    The first five fields are the Parquet table's evidence struct, in its order."""

    about: Any
    quote: str
    translation: Any
    start: int | None
    end: int | None
    passage: str | None


Span = tuple[int, int]  # where a quote is in a text, in code points


def evidence(item: Item) -> list[Found]:
    """Each evidence quote of the record, with where it is in the source text."""
    text = _module("stream").source_text(item.record.root, item.data)
    found = []
    for entry, quote, at in located(item.data, text):
        start, end = at or (None, None)
        found.append(Found(entry.get("about"), quote, entry.get("translation"), start, end,
                           text[start:end] if text is not None and at is not None else None))
    return found


def located(data: dict[str, Any], text: str | None) -> Iterator[tuple[dict[str, Any], str, Span | None]]:
    """Each evidence entry of a record with a quote, the quote, and where it is in `text`
    (the source text, None when it has none), as `evidence` finds it."""
    find = None if text is None else locator(text)
    for entry in listed(data, "evidence"):
        if isinstance(entry, dict) and isinstance(quote := entry.get("quote"), str):
            yield entry, quote, None if find is None else find(quote)


# A record's fields where a custom schema may let a number through in place of a mapping, a list
# or text: each is then read as none (or as text) rather than stopping the command.

def part(data: dict[str, Any], key: str) -> dict[str, Any]:
    """The mapping at `key` of a record (location, source, annotation), else an empty one."""
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def listed(data: dict[str, Any], key: str) -> list[Any]:
    """The list at `key` of a record (participants, evidence, related, topics), else an empty one."""
    value = data.get(key)
    return value if isinstance(value, list) else []


def as_text(value: Any) -> str | None:
    """A value where text is expected, as text (JSON for a list or mapping), or None."""
    return value if value is None or isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                                           default=str)


@cache
def _module(name: str) -> Any:
    """A module of annot, imported when first needed and then kept: for what runs for every
    record, where an import statement costs 1.6 us a call."""
    return import_module(f"{__package__}.{name}")


def _get(data: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None  # type: ignore[assignment]
    return data


# PLOVER ------------------------------------------------------------------------------------------


def plover_record(item: Item) -> dict[str, Any]:
    """The event in the PLOVER codebook's JSON record layout (field names from its tables),
    read from the record itself (the summary's view is drawn only for a filter).

    Auxiliary modes (factuality) join `context`, as the codebook says; mediators and
    attendees have no PLOVER field and are left out. Dates are days (YYYY-MM-DD), as the
    codebook requires: a reduced-precision date (2026-03) its first day, with `date_precision`
    (a field of annot's: the codebook lets a provider add named fields), and `enddate` the
    last day the end date may mean.
    """
    from .summary import facts

    quad_codes, codebook = _codebook()
    data = item.data
    f = facts(data)
    people = participants(item)
    found = evidence(item)
    created = str(_get(data, "annotation", "created") or "")
    factuality = {"negated": "negation"}.get(f.factuality, f.factuality)
    location = part(data, "location")
    source = part(data, "source")
    related = data.get("related") or []
    return {
        "id": f.id,
        "has_event": True,
        "date": _day(f.date, 0),
        "enddate": f.end_date and _day(f.end_date, 1),
        "date_precision": precision(f.date) if real_date(f.date) else None,
        "actor": [_entity(p) for p in people if p.get("role") == "actor"],
        "recipient": [_entity(p) for p in people if p.get("role") == "recipient"],
        "event": [f.type.upper()],
        "event_loc": _location(location) if location else None,
        "event_text": [f.passage or f.quote for f in found],
        "quad_code": quad_codes.get(f.type),
        "mode": f.modes,
        "context": f.topics + ([factuality] if factuality != "asserted" else []),
        "link": related if related else None,
        "text_info": [{"start": f.start, "end": f.end, "about": f.about} for f in found],
        "cite_info": {
            "url": source.get("url"), "title": source.get("title"),
            "language": _language(source.get("language")),
            "publication": source.get("publisher"), "citation": source.get("text"),
            "coder": f"annot {__version__}",
            "codebook": codebook,
        },
        "coder": _get(data, "annotation", "annotator"),
        "coded_date": created[:10] or None,
        "coded_time": created[11:] or None,
        "comment": data.get("summary"),
    }


@lru_cache(maxsize=1024)  # the events of a day, the records of an article
def _day(text: str, end: int) -> str:
    """The first (end 0) or last (end 1) day a date may mean; a date that is not a real one
    (a custom schema's) as it is."""
    return bounds(text)[end] if real_date(text) else text


@cache
def _codebook() -> tuple[dict[str, int | None], str]:
    """Each PLOVER event type's quad_code, and the codebook as cite_info names it."""
    from . import vocabulary

    plover = vocabulary.plover()
    quad_codes: dict[str, int | None] = {}
    for kind in plover.types:
        quad_codes.setdefault(kind.code, plover.quad_codes.get(kind.quad))
    return quad_codes, "plover " + plover.source["commit"]


def _language(tag: Any) -> Any:
    """A BCP 47 tag's language as cite_info asks for it: ISO 639-1's two letters (fr-ML: fr;
    fra: fr), three for a language that has no two (ses)."""
    if not isinstance(tag, str):
        return tag
    primary = tag.split("-", 1)[0].lower()
    return primary if len(primary) == 2 else _shortest(primary)


@cache
def _shortest(code: str) -> str:
    from .languages import standard

    found = standard(code)  # langcodes: only a tag that does not start with two letters pays for it
    return found.split("-", 1)[0] if found else code


def _entity(person: dict[str, Any]) -> dict[str, Any]:
    """An entity object; identifier_id is the Wikidata id (the codebook's: "This should be the
    Wikidata ID"), and `actor` the registry id (a field of annot's), so that one actor has one
    identifier across records even without a Wikidata id."""
    name = person.get("name")
    return {
        "code": person.get("country"), "sector": person.get("sector"),
        "entity_text": name if isinstance(name, str) and name else person.get("title"),
        "identifier_id": person.get("wikidata") or None,
        "identifier_text": name if isinstance(name, str) and name else None,
        "office": person.get("title"),
        "actor": person.get("actor"),
    }


@cache
def _country_names() -> dict[str, str]:
    from . import vocabulary

    return {c.code: c.meaning for c in vocabulary.countries()}


def _location(location: dict[str, Any]) -> dict[str, Any]:
    code = location.get("country")
    names = _country_names()
    return {
        "extracted_place": location.get("place"), "geonameid": location.get("geonames"),
        "lat": location.get("lat"), "lon": location.get("lon"),
        "country": names.get(code) if isinstance(code, str) else None, "country_code": code,
        "resolution": location.get("resolution"),
    }


_YAML_SPELLING = {"NaN": ".nan", "Infinity": ".inf", "-Infinity": "-.inf"}


_JSON = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=str)  # json.dumps makes one a call


def _line(data: dict[str, Any]) -> str:
    """One line of valid JSON: a NaN or an infinity (YAML's .nan, .inf) is written as the
    string YAML spells it, as `summary --format json` does."""
    try:
        return _JSON.encode(data) + "\n"
    except ValueError:
        text = json.dumps(data, ensure_ascii=False, default=str)
        return json.dumps(json.loads(text, parse_constant=_YAML_SPELLING.__getitem__),
                          ensure_ascii=False) + "\n"


def plover_line(item: Item) -> str:
    """PLOVER JSON Lines: one event a line."""
    return _line(plover_record(item))


def jsonl_line(item: Item) -> str:
    """annot's own records, one JSON object a line."""
    return _line(item.data)


def write_lines(lines: Iterable[str], out: IO[str]) -> int:
    """Lines already made, as they come."""
    count = 0
    for line in lines:
        out.write(line)
        count += 1
    return count


# CSV ---------------------------------------------------------------------------------------------

CSV_COLUMNS = ["event_id", "event_date", "end_date", "year", "event_type", "sub_event_type",
               "factuality", "actor1", "assoc_actor_1", "country1", "actor2", "assoc_actor_2", "country2",
               "mediators", "attendees", "location", "iso3", "latitude", "longitude", "geo_precision",
               "topics", "source", "source_url", "notes", "status", "annotator", "file"]


def csv_row(item: Item) -> list[str]:
    """One row per event, ACLED-like: actor1 (the first actor) with the actors beside it
    (assoc_actor_1), actor2 (the first recipient) with the recipients beside it. An event
    without a recipient (a meeting of equals) has its actors on two sides: actor1's side
    (`side`, else the country) and the rest. Lists are joined with "; "."""
    from .render import printable

    data, e = item.data, item.event
    people = participants(item)
    by_role = {role: [(p, person) for p, person in zip(e.parties, people, strict=False)
                      if p.role == role] for role in ("actor", "recipient", "mediator", "attendee")}
    first, second = by_role["actor"], by_role["recipient"]
    if first and not second:
        side = first[0][0].side
        first, second = [a for a in first if a[0].side == side], [a for a in first if a[0].side != side]
    actor1, assoc1, country1 = _first(first)
    actor2, assoc2, country2 = _first(second)
    location = part(data, "location")
    resolution = location.get("resolution")
    row = [e.id, e.date, e.end_date, e.date[:4], e.type, "; ".join(e.modes), e.factuality,
           actor1, assoc1, country1, actor2, assoc2, country2,
           "; ".join(p.label for p, _ in by_role["mediator"]),
           "; ".join(p.label for p, _ in by_role["attendee"]),
           e.place, e.country, location.get("lat"), location.get("lon"),
           _GEO_PRECISION.get(resolution) if type(resolution) is int else None,
           "; ".join(e.topics), _get(data, "source", "publisher") or _get(data, "source", "title"),
           _get(data, "source", "url"), data.get("summary"), e.status,
           _get(data, "annotation", "annotator"), item.record.file]
    return ["" if cell is None else printable(str(cell)) for cell in row]


# PLOVER's resolution (5 below a city, 4 a city, 3 a district, 2 a province, 1 a country) as
# ACLED's geo_precision, which runs the other way: 1 a town, 2 part of a region, 3 a larger one.
_GEO_PRECISION = {5: 1, 4: 1, 3: 2, 2: 3, 1: 3}


def write_csv(rows: Iterable[list[str]], out: IO[str]) -> int:
    """The CSV header, then the rows as they come."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def _first(found: list[tuple[Party, dict[str, Any]]]) -> tuple[str, str, str]:
    """ACLED's actor, its associated actors, and the actor's country."""
    if not found:
        return "", "", ""
    return found[0][0].label, "; ".join(p.label for p, _ in found[1:]), str(found[0][1].get("country") or "")


# Writing files -----------------------------------------------------------------------------------


@contextmanager
def atomic(paths: list[Path], force: bool) -> Iterator[list[Path]]:
    """Temporary paths beside `paths`, renamed onto them only when the block succeeds:
    nothing half-written, and an existing file replaced only with `force`."""
    for path in paths:
        if os.path.lexists(path) and not force:
            raise TroubleError(f"{path} exists; not overwritten (use --force to replace it)")
        if path.is_dir():
            raise TroubleError(f"{path} is a folder; name a file to write")
        if not path.absolute().parent.is_dir():
            raise TroubleError(f"{path}: no such folder to write into")
    temporaries = [p.with_name(f".{p.name}.{os.getpid()}.tmp") for p in paths]
    try:
        yield temporaries
        from .atomic import publish

        for temporary, path in zip(temporaries, paths, strict=True):
            publish(temporary, path, force)
    finally:
        for temporary in temporaries:
            if temporary.exists():
                temporary.unlink()


class Format(NamedTuple):
    """An export format: how it writes, and whether it needs a file (binary output)."""

    text: Callable[..., int] | None  # (events, out[, edges]) -> events written
    files: Callable[[Path], list[Path]] | None = None  # the files a binary format writes for -o
    binary: Callable[[Iterable[Any], list[Path]], int] | None = None
    extra: str | None = None  # the optional dependency group it needs
    graph: bool = False  # takes `edges`
    row: Callable[[Item], Any] | None = None  # what its writer takes of each event; else Items
    # What a worker makes of the rows it made at a time (a list as long), to send them back
    pack: Callable[[list[Any]], list[Any]] | None = None


def _parquet_files(path: Path) -> list[Path]:
    from .tables import participants_path

    return [path, participants_path(path)]


def _parquet_rows(item: Item) -> Any:
    return _module("tables").rows(item)


def _pack_parquet(rows: list[Any]) -> list[Any]:
    return _module("tables").pack(rows)  # type: ignore[no-any-return]


def _write_parquet(rows: Iterable[Any], paths: list[Path]) -> int:
    from .tables import write_parquet

    return write_parquet(rows, paths[0], paths[1])


def _graph(kind: str) -> Callable[[Iterable[Item], IO[str], str], int]:
    def write(events: Iterable[Item], out: IO[str], edges: str = "all") -> int:
        from .graphs import write_graph

        return write_graph(events, out, kind, edges)

    return write


FORMATS: dict[str, Format] = {
    "plover": Format(write_lines, row=plover_line),
    "jsonl": Format(write_lines, row=jsonl_line),
    "csv": Format(write_csv, row=csv_row),
    "parquet": Format(None, _parquet_files, _write_parquet, "parquet", row=_parquet_rows, pack=_pack_parquet),
    "graphml": Format(_graph("graphml"), graph=True),
    "gexf": Format(_graph("gexf"), graph=True),
}


def export(fmt: str, events: Iterable[Any], output: Path | None, stdout: IO[str],
           force: bool = False, edges: str = "all") -> int:
    """Write `events` in format `fmt` to `output` (atomically) or, for a text format, to
    `stdout`; how many events were read. `events` are what the format's `row` makes of each
    Item, or Items. `edges` chooses a graph's edges (graphs.EDGE_KINDS)."""
    chosen = FORMATS[fmt]
    options = {"edges": edges} if chosen.graph else {}
    if chosen.extra:
        need(chosen.extra)
    if chosen.text is None:
        if output is None:
            raise TroubleError(f"--format {fmt} writes files: name one with -o (e.g. -o events.{fmt})")
        assert chosen.files is not None and chosen.binary is not None
        with atomic(chosen.files(output), force) as temporaries:
            return chosen.binary(events, temporaries)
    if output is None:
        return chosen.text(events, stdout, **options)
    with atomic([output], force) as temporaries:
        try:
            with open(temporaries[0], "x", encoding="utf-8", newline="") as handle:
                return chosen.text(events, handle, **options)
        except OSError as exc:  # a full disk or a size limit: name the file it was for
            raise OSError(exc.errno, exc.strerror, str(output)) from None


EXTRAS = {"parquet": ("pyarrow",)}


def need(extra: str) -> None:
    """TroubleError naming what to install when an optional extra's libraries are missing: the
    extra's requirements as annot's metadata states them (annot is installed from its folder,
    so `pip install 'annot[extra]'` would look for another annot on PyPI)."""
    import importlib.util
    from importlib.metadata import PackageNotFoundError, requires

    missing = [m for m in EXTRAS[extra] if importlib.util.find_spec(m) is None]
    if missing:
        try:
            stated = requires(__package__ or "annot") or []
        except PackageNotFoundError:
            stated = []
        marker = f'extra == "{extra}"'
        wanted = [r.split(";")[0].strip() for r in stated if r.replace("'", '"').endswith(marker)]
        raise TroubleError(f"this needs {', '.join(missing)} (annot's {extra} extra): "
                           f"pip install {' '.join(repr(w) for w in wanted or missing)}")
