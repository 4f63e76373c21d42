"""Making a new record: typed values, a derived id, clean YAML, an atomic write.

The YAML is written with ruamel.yaml's round-trip emitter, so a record
started `--from` a commented file keeps its comments, and every record
comes out in the SPEC example's key order with the editor modeline.
"""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import AnnotError, LocatedError, TroubleError
from .names import slug
from .schema import RecordSchema
from .suggest import did_you_mean

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
FLOW_LISTS = {"topics", "related"}
DATE_KEYS = {"date", "end_date", "published", "created", "updated"}
MAX_ID = 80


class SetError(TroubleError):
    """A `--set KEY=VALUE` that the schema cannot take."""


def schema_at(schema: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    """The sub-schema that describes the value at `keys` (dotted path parts)."""
    node: Any = schema
    for key in keys:
        node = _deref(schema, node)
        if key.isdigit() and "items" in node:
            node = node["items"]
        elif key in node.get("properties", {}):
            node = node["properties"][key]
        else:
            allowed = list(node.get("properties", {}))
            raise SetError(f"unknown key '{key}'{did_you_mean(key, allowed)}"
                           + (f"; allowed here: {', '.join(allowed)}" if allowed else ""))
    return _deref(schema, node)


def _deref(schema: dict[str, Any], node: Any) -> dict[str, Any]:
    for _ in range(10):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)
                and node["$ref"].startswith("#/")):
            break
        target: Any = schema
        for part in node["$ref"][2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        node = target
    return node if isinstance(node, dict) else {}


def typed(raw: str, node: dict[str, Any], key: str) -> Any:
    """`raw` (a command-line string) as the type the schema wants."""
    types = node.get("type", "string")
    types = types if isinstance(types, list) else [types]
    if "array" in types:
        return [part.strip() for part in raw.split(",") if part.strip()]
    if "null" in types and raw.strip() in ("", "null", "~"):
        return None
    if "integer" in types:
        try:
            return int(raw)
        except ValueError:
            raise SetError(f"{key} takes a whole number, not {raw!r}") from None
    if "number" in types:
        try:
            return float(raw)
        except ValueError:
            raise SetError(f"{key} takes a number, not {raw!r}") from None
    if "boolean" in types and raw in ("true", "false"):
        return raw == "true"
    return raw


def set_value(record: dict[str, Any], dotted: str, raw: str, schema: RecordSchema) -> None:
    """Apply one `--set KEY=VALUE`: dotted keys, list indexes (`participants.0.name`)."""
    keys = dotted.split(".")
    if not all(keys):
        raise SetError(f"'{dotted}' is not a key path like participants.0.name")
    node = schema_at(schema.raw, keys)
    value = typed(raw, node, dotted)
    container: Any = record
    for depth, key in enumerate(keys):
        last = depth == len(keys) - 1
        next_is_index = not last and keys[depth + 1].isdigit()
        if isinstance(container, list):
            index = int(key)
            if index > len(container):
                raise SetError(f"{'.'.join(keys[:depth + 1])}: index {index} skips "
                               f"{index - len(container)} item(s); the next is {len(container)}")
            if index == len(container):
                container.append(value if last else _new(next_is_index))
            elif last:
                container[index] = value
            container = container[index]
        elif isinstance(container, dict):
            if key.isdigit():
                raise SetError(f"{'.'.join(keys[:depth])} is not a list")
            if last:
                container[key] = value
            elif key not in container or not isinstance(container[key], (dict, list)):
                container[key] = _new(next_is_index)
            container = container[key]
        else:
            raise SetError(f"{'.'.join(keys[:depth])} is a value, not a mapping or list")


def _new(is_list: bool) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    return CommentedSeq() if is_list else CommentedMap()


def derive_id(record: dict[str, Any]) -> str:
    """An id from the date, the place and who took part: 2026-02-02-bamako-diop-checker."""
    parts = [str(record.get("date") or "")]
    location = record.get("location")
    if isinstance(location, dict) and location.get("place"):
        parts.append(str(location["place"]))
    for person in record.get("participants") or []:
        if isinstance(person, dict) and person.get("role") != "attendee":
            parts.append(str(person.get("ref") or person.get("actor") or person.get("name") or ""))
    identifier = "-".join(p for p in (slug(x) for x in parts) if p)
    if len(identifier) > MAX_ID:
        identifier = identifier[:MAX_ID].rsplit("-", 1)[0]
    return identifier or "event"


def unique_id(identifier: str, taken: set[str]) -> str:
    """`identifier`, or it with -2, -3... when the repository has it already."""
    if identifier not in taken:
        return identifier
    for n in range(2, 10_000):
        suffix = f"-{n}"
        candidate = identifier[: MAX_ID - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
    raise AnnotError(f"no free id near {identifier}")


def now_utc() -> str:
    """The current time as ISO 8601, to the second, in UTC."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def git_annotator(cwd: Path) -> str | None:
    """`Name <email>` from git config, or None when git has no user (or no git)."""
    from .gitio import config

    def get(key: str) -> str:
        try:
            return config(key, cwd)
        except OSError:
            return ""

    name, email = get("user.name"), get("user.email")
    if name and email:
        return f"{name} <{email}>"
    return name or (f"<{email}>" if email else None)


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
            seq.fa.set_flow_style()
            record[key] = seq
    return record


class _Plain(str):
    """A date or time that must stay unquoted."""


def to_yaml(record: Any, schema_link: str | None, *, keep_order: bool = False) -> str:
    """The record as YAML text: modeline, SPEC key order (or, with `keep_order`, its own),
    dates unquoted, Unicode as itself."""
    yaml = round_trip_yaml()
    yaml.representer.add_representer(
        _Plain, lambda r, d: r.represent_scalar("tag:yaml.org,2002:timestamp", str(d)))
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
    """ruamel.yaml as annot writes records: comments, quotes and order kept."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold a line the annotator wrote (nor leave trailing blanks)
    yaml.allow_unicode = True
    yaml.preserve_quotes = True
    yaml.representer.add_representer(
        type(None), lambda r, d: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def _mark_dates(node: Any) -> None:
    from .dates import real_date

    if isinstance(node, dict):
        for key, value in node.items():
            if key in DATE_KEYS and isinstance(value, str) and not isinstance(value, _Plain):
                if (len(value) == 10 and real_date(value)) or "T" in value:
                    node[key] = _Plain(value)
            else:
                _mark_dates(value)
    elif isinstance(node, list):
        for item in node:
            _mark_dates(item)


def write_atomic(path: Path, text: str, force: bool = False) -> None:
    """Write `text` to `path` through a temporary file, then a link or a rename.

    Without `force` the file is created exclusively (a hard link fails when
    the name exists), so of several writers of one new path exactly one
    wins and the others are refused. A failure at any point leaves the old
    file (or no file) and no temporary behind.
    """
    if path.exists() and not force:
        raise TroubleError(f"{path} exists; not overwritten (use --force to replace it)")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        try:
            with open(temporary, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:  # a full disk or a size limit: name the file it was for
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        if force:
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)
            except FileExistsError:
                raise TroubleError(f"{path} was created meanwhile by another writer; "
                                   "not overwritten (use --force to replace it)") from None
    finally:
        if temporary.exists():
            temporary.unlink()


def load_template(path: Path) -> Any:
    """A starting record (`--from`), comments and all."""
    from ruamel.yaml.error import YAMLError

    from . import records
    from .files import read_regular

    try:
        raw = read_regular(path)
    except OSError as exc:
        raise TroubleError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        records.load(raw)  # the same refusals as validate: tags, bombs, depth, size
    except records.YamlError as exc:
        line, column = exc.position
        raise LocatedError(str(path), exc.message, line, column, "yaml") from None
    try:
        data = round_trip_yaml().load(raw.decode("utf-8-sig"))
    except YAMLError as exc:
        raise TroubleError(f"{path}: {exc}") from None
    return data
