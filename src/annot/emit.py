"""Records as YAML text: the one place ruamel.yaml is configured, for reading to edit and writing.

The YAML is written with ruamel.yaml's round-trip emitter, so a record
started `--from` (or edited) keeps its comments, and every record comes
out in the SPEC example's key order with the editor modeline.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from .errors import LocatedError, TroubleError

ORDER = ["id", "type", "mode", "factuality", "date", "end_date", "location", "participants",
         "topics", "summary", "source", "evidence", "related", "annotation"]
NESTED_ORDER = {
    "location": ["place", "country", "basis", "geonames", "lat", "lon", "resolution"],
    "participants": ["ref", "actor", "name", "title", "organization", "country", "sector", "wikidata",
                     "role", "side"],
    "source": ["url", "title", "publisher", "published", "language", "text"],
    "evidence": ["about", "quote", "translation"],
    "annotation": ["annotator", "created", "updated", "status", "reviewer", "notes"],
}
FLOW_LISTS = {"topics"}  # short codes on one line; `related` ids would make it too long
DATE_KEYS = {"date", "end_date", "published", "created", "updated"}



def ordered(record: Any) -> Any:
    """A CommentedMap in SPEC order (comments kept), recursively."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def arrange(mapping: Any, order: list[str]) -> Any:
        if not isinstance(mapping, CommentedMap):
            mapping = CommentedMap(mapping)
        rank = {k: i for i, k in enumerate(order)}
        keys = sorted(mapping, key=lambda k: rank.get(k, len(order)))
        if list(mapping) != keys:
            items = [(k, mapping[k]) for k in keys]
            for k in list(mapping):
                del mapping[k]
            for k, v in items:
                mapping[k] = v
        return mapping

    record = arrange(record, ORDER)
    for key, order in NESTED_ORDER.items():
        value = record.get(key)
        if isinstance(value, dict):
            record[key] = arrange(value, order)
        elif isinstance(value, list):
            seq = value if isinstance(value, CommentedSeq) else CommentedSeq(value)
            for i, item in enumerate(seq):
                if isinstance(item, dict):
                    seq[i] = arrange(item, order)
            record[key] = seq
    for key in FLOW_LISTS:
        value = record.get(key)
        if isinstance(value, list):
            seq = value if isinstance(value, CommentedSeq) else CommentedSeq(value)
            if seq.fa.flow_style() is None:  # a new list; one read from a file keeps its style
                seq.fa.set_flow_style()
            record[key] = seq
    return record


class _Plain(str):
    """A date or time that must stay unquoted."""


def to_yaml(record: Any, schema_link: str | None, *, keep_order: bool = False) -> str:
    """The record as YAML text: modeline, SPEC key order (or, with `keep_order`, its own),
    dates unquoted, Unicode as itself."""
    yaml = round_trip_yaml()
    if not keep_order:
        record = ordered(record)
    _mark_dates(record)
    if schema_link:
        comment = f"yaml-language-server: $schema={schema_link}"
        existing = getattr(record, "ca", None) and record.ca.comment
        if not (existing and any(comment in str(c.value) for c in (existing[1] or []) if c)):
            record.yaml_set_start_comment(comment)
    out = io.StringIO()
    yaml.dump(record, out)
    return out.getvalue()


def round_trip_yaml() -> Any:
    """ruamel.yaml as annot writes records: comments, quotes and order kept; dates and times
    kept as the text they are written as (an impossible one, 2026-02-30, is then a value to fix,
    not a crash)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import RoundTripConstructor

    class Constructor(RoundTripConstructor):  # a subclass: add_constructor changes the class
        pass

    Constructor.add_constructor("tag:yaml.org,2002:timestamp", lambda _c, node: _Plain(node.value))
    yaml = YAML()
    yaml.Constructor = Constructor
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold a line the annotator wrote (nor leave trailing blanks)
    yaml.allow_unicode = True
    yaml.preserve_quotes = True
    yaml.representer.add_representer(
        type(None), lambda r, d: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    # What the constructor read as a date is written back as one, unquoted, by every writer.
    yaml.representer.add_representer(
        _Plain, lambda r, d: r.represent_scalar("tag:yaml.org,2002:timestamp", str(d)))
    return yaml


def _mark_dates(node: Any) -> None:
    from .dates import DATE

    if isinstance(node, dict):
        for key, value in node.items():
            if key in DATE_KEYS and isinstance(value, str) and not isinstance(value, _Plain):
                # by its shape: an impossible 2026-02-30 stays as unquoted as it was written
                if (len(value) == 10 and DATE.fullmatch(value)) or "T" in value:
                    node[key] = _Plain(value)
            else:
                _mark_dates(value)
    elif isinstance(node, list):
        for item in node:
            _mark_dates(item)


def load_template(path: Path, shown: str | None = None) -> Any:
    """A record to start from (`--from`) or to edit, comments and all; `shown` names it in errors."""
    from ruamel.yaml.error import YAMLError

    from . import records
    from .files import read_regular

    try:
        raw = read_regular(path)
    except OSError as exc:
        raise TroubleError(f"{shown or path}: cannot read: {exc.strerror}") from None
    try:
        records.load(raw)  # the same refusals as validate: tags, bombs, depth, size
    except records.YamlError as exc:
        line, column = exc.position
        raise LocatedError(shown or str(path), exc.message, line, column, "yaml") from None
    try:
        data = round_trip_yaml().load(raw.decode("utf-8-sig"))
    except YAMLError as exc:
        raise TroubleError(f"{shown or path}: {exc}") from None
    return data
