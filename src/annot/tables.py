"""The corpus as two Parquet tables with typed columns: one row per event, and one row per
participant (joined on `event_id`), for DuckDB, pandas and Spark.

pyarrow (Apache-2.0, the `parquet` extra) writes them in row groups of ROWS events, so
memory holds one group. Dates are dates: a reduced-precision date (2026-02) is its first
day in `date` and its last in `date_last`, with `date_precision`; `end_date` is the last
day the event may have lasted to.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .dates import bounds, precision, real_date
from .export import as_text, listed, located, part
from .render import printable
from .stream import source_text
from .summary import facts, labels, party, sentence

if TYPE_CHECKING:
    from .export import Item
    from .summary import Party

ROWS = 2_000  # events a row group holds
# Rows converted to Arrow at a time: the Python objects of a slice are still in the processor's
# cache when they are read column by column (a row group's at once took half as long again).
SLICE = 256


def participants_path(path: Path) -> Path:
    """Where the participants table goes beside the events table: events.participants.parquet."""
    return path.with_name(f"{path.stem}.participants{path.suffix or '.parquet'}")


# The tables' columns, each with the kind of its values; `_schemas` gives each kind its Arrow
# type. Declared without pyarrow, which only an export to Parquet imports (`prepare`).
EVENT_COLUMNS = (
    ("event_id", "text"), ("file", "text"), ("type", "text"), ("mode", "texts"), ("factuality", "text"),
    ("date", "day"), ("date_last", "day"), ("date_precision", "text"), ("end_date", "day"),
    ("place", "text"), ("country", "text"), ("basis", "text"), ("geonames", "integer"), ("lat", "real"),
    ("lon", "real"), ("resolution", "byte"), ("topics", "texts"), ("sentence", "text"), ("summary", "text"),
    ("actors", "texts"), ("recipients", "texts"), ("mediators", "texts"), ("attendees", "texts"),
    ("source_url", "text"), ("source_title", "text"), ("source_publisher", "text"),
    ("source_published", "day"), ("source_language", "text"), ("source_text", "text"),
    ("evidence", "quotes"), ("related", "texts"), ("annotator", "text"), ("created", "moment"),
    ("updated", "moment"), ("status", "text"), ("reviewer", "text"),
)
PEOPLE_COLUMNS = ("event_id", "ref", "identity", "actor", "label", "name", "title", "organization",
                  "country", "sector", "wikidata", "role", "side")  # all text


@cache
def _schemas() -> tuple[Any, Any]:
    import pyarrow as pa

    text = pa.string()
    quote = pa.struct([("about", text), ("quote", text), ("translation", text),
                       ("start", pa.int64()), ("end", pa.int64())])
    types = {"text": text, "texts": pa.list_(text), "day": pa.date32(), "integer": pa.int64(),
             "real": pa.float64(), "byte": pa.int8(), "quotes": pa.list_(quote),
             "moment": pa.timestamp("s", tz="UTC")}
    return (pa.schema([(name, types[kind]) for name, kind in EVENT_COLUMNS]),
            pa.schema([(name, text) for name in PEOPLE_COLUMNS]))


# Dates and times cross back from the workers as whole numbers, which Arrow takes as they
# are: a date or a datetime costs a worker and the parent ten times as much to pickle.
_EPOCH_DAY = date(1970, 1, 1).toordinal()
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = timedelta(seconds=1)


def _days(text: Any) -> tuple[int, int] | tuple[None, None]:
    """The first and last day a date names, in days since 1970 (date32s), else None, None."""
    return _days_of(text) if isinstance(text, str) else (None, None)


@lru_cache(maxsize=1024)  # the events of a day, the records of an article
def _days_of(text: str) -> tuple[int, int] | tuple[None, None]:
    if not real_date(text):
        return None, None
    if len(text) == 10:  # a whole date: its own first and last day
        day = date.fromisoformat(text).toordinal() - _EPOCH_DAY
        return day, day
    first, last = (date.fromisoformat(day).toordinal() - _EPOCH_DAY for day in bounds(text))
    return first, last


def _seconds(moment: datetime | None) -> int | None:
    """A moment in whole seconds since 1970 (a timestamp("s")), earlier ones rounded down."""
    return None if moment is None else (moment - _EPOCH) // _SECOND


def _moment(text: Any) -> datetime | None:
    """The moment an ISO 8601 date and time names (UTC when it names no zone), else None."""
    if not isinstance(text, str):
        return None
    try:  # dates.real_datetime's reading, done once
        moment = datetime.fromisoformat(text.replace("z", "Z").replace(" ", "T", 1))
        # In UTC, 0001-01-01T00:00+01:00 is before the year 1: OverflowError, as for 9999's last hours.
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


def _int(value: Any, limit: int = 2**63) -> int | None:
    """An integer that fits its column (a custom schema may allow any), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) and -limit < value < limit \
        else None


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        and abs(value) < 1e300 else None


Row = tuple[Any, ...]  # a table's values in the order of its columns


def rows(item: Item) -> tuple[Row, list[Row]]:
    """The event's row and its participants' rows, each value in its column's order: what
    a worker sends back of a record. Parties, labels and the sentence are the summary's
    (`summary.party`, `summary.sentence`); the rest is read from the record once, straight
    into the row (through the summary's Event and a dict of the columns it cost twice as much)."""
    record = item.record
    data, registry = record.data, record.registry
    f = facts(data)
    people = [p for p in listed(data, "participants") if isinstance(p, dict)]
    parties = [party(p, registry) for p in people]
    by_role = labels(parties)
    location, source, annotation = part(data, "location"), part(data, "source"), part(data, "annotation")
    first, last = _days(f.date)
    event: Row = (
        f.id, printable(record.file), f.type, f.modes, f.factuality, first, last,
        precision(f.date), _days(f.end_date)[1],
        location.get("place"), location.get("country"), location.get("basis"),
        _int(location.get("geonames")), _float(location.get("lat")), _float(location.get("lon")),
        _int(location.get("resolution"), 128),
        f.topics, sentence(f.type, f.modes, f.factuality, by_role), data.get("summary"), *by_role,
        source.get("url"), source.get("title"), source.get("publisher"), _days(source.get("published"))[0],
        source.get("language"), source.get("text"),
        _quotes(item), [str(r) for r in listed(data, "related")],
        annotation.get("annotator"), _seconds(_moment(annotation.get("created"))),
        _seconds(_moment(annotation.get("updated"))), annotation.get("status"), annotation.get("reviewer"),
    )
    resolved = [registry.resolve(p) for p in people] if registry is not None else people
    return event, [_person(f.id, p, person) for p, person in zip(parties, resolved, strict=True)]


def _person(event_id: str, p: Party, person: dict[str, Any]) -> Row:
    get = person.get
    return (event_id, get("ref"), p.key, get("actor"), p.label, get("name"), get("title"),
            get("organization"), get("country"), get("sector"), get("wikidata"), p.role, p.side)


Quote = tuple[Any, str, Any, int | None, int | None]  # about, quote, translation, start, end


def _quotes(item: Item) -> list[Quote]:
    """The evidence struct of each quote, as `export.evidence` finds it."""
    data = item.record.data
    return [(entry.get("about"), quote, entry.get("translation"), *(at or (None, None)))
            for entry, quote, at in located(data, source_text(item.record.root, data))]


# A custom schema may let a number, a list or a mapping through where a record has text.
# Arrow refuses such a value in a text column, and only then is the batch made again with
# what each column's fix makes of its values (not value by value in every row): text (JSON)
# in the events table and a participant's ref and actor, none in their other fields.

def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _quotes_as_text(quotes: list[Quote]) -> list[Quote]:
    return [(as_text(about), quote, as_text(translation), start, end)
            for about, quote, translation, start, end in quotes]


_EVENT_FIXES = [{"text": as_text, "quotes": _quotes_as_text}.get(kind) for _, kind in EVENT_COLUMNS]
_PEOPLE_FIXES = [as_text if name in ("ref", "actor") else _text for name in PEOPLE_COLUMNS]


class Packed:
    """The rows a worker made of the events it checked at a time, as Arrow record batches
    (events, participants), with where each event's participants start. It crosses to the
    parent as Arrow's own messages, which cost a worker and the parent a fraction of what
    pickling the rows' values one by one costs, and the parent converts nothing."""

    __slots__ = ("events", "people", "starts")

    def __init__(self, events: Any, people: Any, starts: list[int]) -> None:
        self.events, self.people, self.starts = events, people, starts

    def __reduce__(self) -> tuple[Any, ...]:
        return _unpacked, (self.events.serialize(), self.people.serialize(), self.starts)

    def taken(self, indices: list[int]) -> tuple[list[Any], list[Any]]:
        """The events at `indices` (rising), and their participants: slices of the batches, a
        slice a run of following events (those the parent leaves out break the runs)."""
        events: list[Any] = []
        people: list[Any] = []
        starts = self.starts
        first = 0
        for at in range(1, len(indices) + 1):
            if at == len(indices) or indices[at] != indices[at - 1] + 1:
                low, high = indices[first], indices[at - 1] + 1
                events.append(self.events.slice(low, high - low))
                people.append(self.people.slice(starts[low], starts[high] - starts[low]))
                first = at
        return events, people


def _unpacked(events: Any, people: Any, starts: list[int]) -> Packed:
    import pyarrow as pa

    events_schema, people_schema = _schemas()
    return Packed(pa.ipc.read_record_batch(events, events_schema),
                  pa.ipc.read_record_batch(people, people_schema), starts)


# An event's rows in what a worker packed: where they are in it. A plain tuple, the cheapest
# thing to send back (an object of its own was a call to unpickle each).
Slot = tuple[Packed, int]


def pack(made: list[tuple[Row, list[Row]]]) -> list[Slot]:
    """What `rows` made of some events, as one Packed: run in the worker that made them
    (pyarrow was imported before it was forked)."""
    starts = [0]
    for _, participants in made:
        starts.append(starts[-1] + len(participants))
    packed = Packed(*_batches(made), starts)
    return [(packed, index) for index in range(len(made))]


def _batches(made: list[tuple[Row, list[Row]]]) -> tuple[Any, Any]:
    """The events' record batch and their participants'."""
    events_schema, people_schema = _schemas()
    return (_batch([row for row, _ in made], events_schema, _EVENT_FIXES),
            _batch([person for _, participants in made for person in participants], people_schema,
                   _PEOPLE_FIXES))


def _batch(found: list[Row], schema: Any, fixes: Sequence[Callable[[Any], Any] | None]) -> Any:
    import pyarrow as pa

    # Column by column: from_pylist, row by row, takes eight times as long.
    columns = [list(column) for column in zip(*found, strict=True)] if found else [[] for _ in fixes]
    try:
        return pa.RecordBatch.from_pydict(dict(zip(schema.names, columns, strict=True)), schema)
    except (pa.ArrowTypeError, pa.ArrowInvalid):  # what a custom schema let through (above)
        fixed = [values if fix is None else list(map(fix, values))
                 for values, fix in zip(columns, fixes, strict=True)]
        return pa.RecordBatch.from_pydict(dict(zip(schema.names, fixed, strict=True)), schema)


def prepare() -> None:
    """Import pyarrow, before the workers are forked: they pack what they make with it."""
    from .main import own_process

    # annot uses no numpy, which pyarrow imports when installed: 50 ms, and OpenBLAS threads
    # that every forked worker starts again. It is refused in annot's own process only: a
    # process that goes on to use numpy (a test, a notebook) needs pyarrow to know it.
    alone = own_process() and "pyarrow" not in sys.modules and "numpy" not in sys.modules
    with _refusing("numpy") if alone else nullcontext():
        import pyarrow as pa

        # The system allocator gives memory back as it is freed; pyarrow's default (jemalloc
        # or mimalloc) keeps tens of MB in its arenas, a fifth of the export's peak.
        pa.set_memory_pool(pa.system_memory_pool())
        _without_pandas(pa)  # pyarrow asks for numpy there too


def write_parquet(made: Iterable[tuple[Row, list[Row]] | Slot], path: Path, people_path: Path) -> int:
    """Write the events table to `path` and the participants table to `people_path`, from
    what `rows` made of each event, or its Slot in what `pack` made."""
    prepare()
    import pyarrow as pa
    import pyarrow.parquet as pq

    events_schema, people_schema = _schemas()
    count = 0
    with pq.ParquetWriter(path, events_schema) as events_out, \
            pq.ParquetWriter(people_path, people_schema) as people_out:
        rows: list[tuple[Row, list[Row]]] = []  # made here, not yet converted
        slots: list[Slot] = []  # following, of one Packed
        batches: tuple[list[Any], list[Any]] = ([], [])  # of this row group, events' and people's

        def convert() -> None:
            if rows:
                events, people = _batches(rows)
                batches[0].append(events)
                batches[1].append(people)
                rows.clear()
            elif slots:
                events, people = slots[0][0].taken([index for _, index in slots])
                batches[0].extend(events)
                batches[1].extend(people)
                slots.clear()

        def flush() -> None:
            convert()
            if not batches[0]:  # no event: the tables' columns, in an empty row group
                batches[0].append(_batch([], events_schema, _EVENT_FIXES))
                batches[1].append(_batch([], people_schema, _PEOPLE_FIXES))
            events_out.write_table(pa.Table.from_batches(batches[0], events_schema))
            people_out.write_table(pa.Table.from_batches(batches[1], people_schema))
            batches[0].clear()
            batches[1].clear()

        for one in made:
            if type(one[0]) is Packed:  # a Slot
                if rows or (slots and slots[0][0] is not one[0]):
                    convert()
                slots.append(one)
            else:
                if slots:
                    convert()
                rows.append(one)  # type: ignore[arg-type]
                if len(rows) == SLICE:
                    convert()
            count += 1
            if count % ROWS == 0:
                flush()
        if count % ROWS or not count:
            flush()
    return count


class _Refused:
    """An import finder that refuses some packages, and their modules."""

    def __init__(self, *names: str) -> None:
        self.names = names

    def find_spec(self, name: str, *_: Any) -> None:
        if name.split(".")[0] in self.names:
            raise ImportError(f"{name} is not needed to write Parquet")


@contextmanager
def _refusing(*names: str) -> Iterator[None]:
    """Importing these packages fails in the block: pyarrow takes them as not installed."""
    finder = _Refused(*names)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


def _without_pandas(pa: Any) -> None:
    """Tell pyarrow that pandas is not there. Converting a Python list, pyarrow first imports
    pandas, when installed, to ask whether the list is a pandas object: half a second and
    some 50 MB in each process that writes, for lists that never are."""
    if "pandas" in sys.modules:
        return
    with _refusing("pandas"):
        pa.array([])  # pyarrow asks once, and remembers the answer
