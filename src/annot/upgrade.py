"""`annot upgrade`: first-schema records to schema v2, comments and key order kept.

What changes (the table is `data/schema-v1.json`): roles host -> recipient,
guest -> actor, participant -> actor, and a consult with a host or a guest
gets `mode: visit`; `location.precision` -> `location.basis`; the auxiliary
topics future/historical/hypothetical -> `factuality`; topic codes PLOVER
renamed get their current name. A topic with no current equivalent is left
for the annotator (validate names it). Upgrading twice changes nothing.
"""

from __future__ import annotations

import io
from typing import Any, NamedTuple

from . import vocabulary
from .emit import round_trip_yaml


class Upgraded(NamedTuple):
    """One file's text before and after."""

    old: str
    new: str

    @property
    def changed(self) -> bool:
        """Whether upgrading changes the file."""
        return self.old != self.new


def upgrade_text(text: str) -> Upgraded:
    """The record in `text`, upgraded; ValueError if it is not a YAML mapping."""
    yaml = round_trip_yaml()
    record = yaml.load(text)
    if not isinstance(record, dict):
        raise ValueError("not a record (a YAML mapping)")
    if not upgrade_record(record):
        return Upgraded(text, text)
    out = io.StringIO()
    yaml.dump(record, out)
    return Upgraded(text, out.getvalue())


def upgrade_record(record: Any) -> bool:
    """Upgrade a round-trip record in place; whether anything changed."""
    old = vocabulary.first_schema()
    changed = False
    visit = False
    for person in _list(record, "participants"):
        role = person.get("role") if isinstance(person, dict) else None
        if isinstance(role, str) and role in old["roles"]:
            visit = visit or role in ("host", "guest")
            person["role"] = old["roles"][role]
            changed = True
    if visit and record.get("type") == "consult" and "mode" not in record:
        _insert_after(record, "type", "mode", "visit")
    location = record.get("location")
    if isinstance(location, dict):
        for was, now in old["location_keys"].items():
            if was in location and now not in location:
                _rename_key(location, was, now)
                changed = True
    topics = record.get("topics")
    if isinstance(topics, list):
        changed = _upgrade_topics(record, topics, old) or changed
    return changed


def _upgrade_topics(record: Any, topics: list[Any], old: dict[str, Any]) -> bool:
    changed = False
    auxiliary = [t for t in topics if t in old["factuality_topics"]]
    if auxiliary:
        if "factuality" not in record:
            _insert_after(record, "mode" if "mode" in record else "type", "factuality", auxiliary[0])
        if len(auxiliary) > 1 or record.get("factuality") != auxiliary[0]:
            # A record has one factuality: say which topics did not become it, not drop them unsaid.
            _note(record, f"annot upgrade: factuality {record['factuality']}; the first schema also gave "
                          f"the topics {', '.join(t for t in auxiliary if t != record['factuality'])}")
        for topic in auxiliary:
            topics.remove(topic)
        changed = True
    current = {c.code for c in vocabulary.plover().contexts}
    for index, topic in enumerate(list(topics)):
        now = old["renamed_topics"].get(topic) if topic not in current else None
        if now:
            topics[index] = now
            changed = True
    for index in reversed(range(len(topics))):  # a rename may repeat a topic: keep the first
        if topics[index] in topics[:index]:
            del topics[index]
            changed = True
    return changed


def _note(record: Any, text: str) -> None:
    annotation = record.get("annotation")
    if isinstance(annotation, dict):
        notes = annotation.get("notes")
        annotation["notes"] = f"{notes} {text}" if isinstance(notes, str) and notes else text


def _list(record: Any, key: str) -> list[Any]:
    value = record.get(key)
    return value if isinstance(value, list) else []


def _insert_after(mapping: Any, after: str, key: str, value: Any) -> None:
    keys = list(mapping)
    position = keys.index(after) + 1 if after in keys else len(keys)
    mapping.insert(position, key, value)


def _rename_key(mapping: Any, was: str, now: str) -> None:
    keys = list(mapping)
    position = keys.index(was)
    value = mapping.pop(was)
    comments = getattr(mapping, "ca", None)
    mapping.insert(position, now, value)
    if comments is not None and was in comments.items:
        comments.items[now] = comments.items.pop(was)


class FileResult(NamedTuple):
    """What upgrading one file gave: the texts, or a located line saying why not."""

    shown: str
    upgraded: Upgraded | None
    error: str | None


def upgrade_file(shown: str, path: Any) -> FileResult:
    """Read and upgrade one record file (nothing is written)."""
    from . import records
    from .errors import LocatedError
    from .files import read_regular

    try:
        raw = read_regular(path)
    except OSError as exc:
        return FileResult(shown, None, f"{shown}: error: cannot read: {exc.strerror}")
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        document = records.load(raw)  # the same refusals as validate: tags, bombs, depth, size
        if document.duplicates:
            line, column = document.duplicates[0].position
            return FileResult(shown, None, LocatedError(
                shown, "a key written twice: fix it (annot validate shows where) before upgrading",
                line, column, "duplicate-key").message)
        return FileResult(shown, upgrade_text(raw.decode("utf-8-sig")), None)
    except records.YamlError as exc:
        line, column = exc.position
        return FileResult(shown, None, LocatedError(shown, exc.message, line, column, "yaml").message)
    except MarkedYAMLError as exc:  # what libyaml reads and ruamel's writer-side parser does not
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return FileResult(shown, None, LocatedError(
            shown, f"cannot be rewritten keeping its layout: {exc.problem or exc}", line, column,
            "yaml").message)
    except (YAMLError, ValueError) as exc:
        return FileResult(shown, None, f"{shown}: error: {exc}")
