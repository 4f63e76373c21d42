"""Three-way semantic merge of one record, and resolving the conflicts it records.

Mappings merge key by key; lists of participants and evidence pair their
items by identity (diff's: `ref`, else `actor`, else `name`; `about`) and
merge each pair (evidence `about` pointers into participants, topics and
related renumbered to the merged places first); `topics` and `related` merge as sets (ours, less what theirs
removed, plus what theirs added). Any other value follows the usual rule:
changed on one side only, that side wins; changed the same way on both, the
change; changed two ways, a conflict. A conflicting field keeps ours, and the
record gains a `conflicts` entry (`at`, `base`, `ours`, `theirs`; a side
without the key had no value) that `annot validate` reports as rule `merge`.

The merged record is written as OURS edited in place by a JSON Patch (diff's),
so OURS's comments, quoting and key order stay.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

from .diff import IDENTITY, SETS, diff_records, identities
from .errors import TroubleError
from .records import escape_token, resolve_pointer

CONFLICTS = "conflicts"
SIDES = ("base", "ours", "theirs")


class _Missing:
    """No value: the key is absent on that side."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Conflict(NamedTuple):
    """A field changed two ways; MISSING where a side has no value."""

    at: str
    base: Any
    ours: Any
    theirs: Any

    def as_entry(self) -> dict[str, Any]:
        """The `conflicts` item written into the record."""
        entry: dict[str, Any] = {"at": self.at}
        for side in SIDES:
            value = getattr(self, side)
            if value is not MISSING:
                entry[side] = value
        return entry


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def merge_values(base: Any, ours: Any, theirs: Any, at: str = "", key: str = "",
                 conflicts: list[Conflict] | None = None) -> Any:
    """The merged value (MISSING: no key); conflicts are appended to `conflicts`."""
    found = conflicts if conflicts is not None else []
    if _same(ours, theirs) or _same(base, theirs):
        return ours
    if _same(base, ours):
        return theirs
    if isinstance(ours, dict) and isinstance(theirs, dict):
        old = base if isinstance(base, dict) else {}
        merged = {}
        for name in [*ours, *(k for k in theirs if k not in ours)]:
            value = merge_values(old.get(name, MISSING), ours.get(name, MISSING),
                                 theirs.get(name, MISSING), f"{at}/{escape_token(name)}", name, found)
            if value is not MISSING:
                merged[name] = value
        return merged
    if isinstance(ours, list) and isinstance(theirs, list):
        earlier: list[Any] = base if isinstance(base, list) else []
        if key in SETS and all(not isinstance(x, (dict, list)) for x in [*earlier, *ours, *theirs]):
            return _merge_set(earlier, ours, theirs)
        if key in IDENTITY:
            return _merge_identified(earlier, ours, theirs, at, IDENTITY[key], found)
    if at == LATEST and isinstance(ours, str) and isinstance(theirs, str):
        # Both sides edited the record: it was last updated when the later edit was made.
        return max(ours, theirs, key=_instant)
    found.append(Conflict(at, base, ours, theirs))
    return ours


LATEST = "/annotation/updated"  # two edits of one record each set it: not a conflict


def _instant(value: str) -> tuple[int, str]:
    from datetime import UTC, datetime

    try:  # in UTC: local times compare wrongly across a change of daylight saving time
        return 1, datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC).isoformat()
    except (ValueError, OverflowError):  # OverflowError: moved past the year 1 or 9999
        return 0, value  # not a time: the other side's time wins


def _merge_set(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    def seen(items: list[Any]) -> set[tuple[str, Any]]:
        return {(type(x).__name__, x) for x in items}

    removed = seen(base) - seen(theirs)
    added = [x for x in theirs if (type(x).__name__, x) not in seen(base) | seen(ours)]
    return [x for x in ours if (type(x).__name__, x) not in removed] + added


def _merge_identified(base: list[Any], ours: list[Any], theirs: list[Any], at: str,
                      fields: tuple[str, ...], found: list[Conflict]) -> list[Any]:
    labels = {side: dict(zip(identities(items, fields), items, strict=True))
              for side, items in (("base", base), ("ours", ours), ("theirs", theirs))}
    order = [*labels["ours"], *(k for k in labels["theirs"] if k not in labels["ours"])]
    merged: list[Any] = []
    for label in order:
        value = merge_values(labels["base"].get(label, MISSING), labels["ours"].get(label, MISSING),
                             labels["theirs"].get(label, MISSING), f"{at}/{len(merged)}", "", found)
        if value is not MISSING:
            merged.append(value)
        elif found and found[-1].at == f"{at}/{len(merged)}":  # removed by ours, changed by theirs
            found[-1] = found[-1]._replace(at=f"{at}/-")
    return merged


def merge_records(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
                  ) -> tuple[dict[str, Any], list[Conflict]]:
    """The merged record (without a `conflicts` key) and its conflicts.

    Conflicts already recorded on either side are kept, once each.
    """
    sides = [{k: v for k, v in side.items() if k != CONFLICTS} for side in (base, ours, theirs)]
    places = _places(*sides)
    sides = [_renumbered(side, places) for side in sides]
    conflicts: list[Conflict] = []
    merged = merge_values(sides[0], sides[1], sides[2], "", "", conflicts)
    return merged, conflicts


# Evidence follows its participant: `about: /participants/2` names an item by its place in
# one side's list, and the merged list may hold it elsewhere (theirs removed one before it,
# or both added one). Each side's pointers are renumbered to the merged places before the
# evidence merges (it pairs by `about`); a pointer to an item the merge dropped gets "-",
# which `annot validate` names (rule pointer) instead of pointing at someone else.
RENUMBERED = ("participants", *sorted(SETS))


def _labels(field: str, items: list[Any]) -> list[str]:
    if field in IDENTITY:
        return identities(items, IDENTITY[field])
    return [f"{type(x).__name__}:{x}" for x in items]


def _places(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, dict[str, int]]:
    """field -> item label -> its index in the merged list."""
    found = {}
    for field in RENUMBERED:
        merged = merge_values(base.get(field, MISSING), ours.get(field, MISSING),
                              theirs.get(field, MISSING), f"/{field}", field, [])
        if isinstance(merged, list):
            found[field] = {label: i for i, label in enumerate(_labels(field, merged))}
    return found


def _renumbered(record: dict[str, Any], places: dict[str, dict[str, int]]) -> dict[str, Any]:
    evidence = record.get("evidence")
    if not isinstance(evidence, list):
        return record
    own = {f: _labels(f, record[f]) for f in places if isinstance(record.get(f), list)}
    moved = []
    for item in evidence:
        about = item.get("about") if isinstance(item, dict) else None
        parts = about.split("/") if isinstance(about, str) else []
        if len(parts) > 2 and parts[1] in own and parts[2].isdigit() and int(parts[2]) < len(own[parts[1]]):
            where = places[parts[1]].get(own[parts[1]][int(parts[2])])
            parts[2] = "-" if where is None else str(where)
            item = {**item, "about": "/".join(parts)}
        moved.append(item)
    return {**record, "evidence": moved}


def entries(merged_conflicts: list[Conflict], ours: dict[str, Any], theirs: dict[str, Any]) -> list[Any]:
    """The `conflicts` list to write: those still recorded on either side, then the new ones."""
    kept: list[Any] = []
    for side in (ours, theirs):
        for entry in side.get(CONFLICTS) or []:
            if entry not in kept:
                kept.append(entry)
    return kept + [c.as_entry() for c in merged_conflicts if c.as_entry() not in kept]


# Writing into OURS's round-trip document ------------------------------------------


def apply_patch(document: Any, target: dict[str, Any], current: dict[str, Any]) -> None:
    """Edit `document` (ruamel, holding `current`) in place until it holds `target`."""
    for op in diff_records(current, target).patch:
        parent_pointer, token = op.path.rsplit("/", 1)
        parent = resolve_pointer(document, parent_pointer)
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(parent, list):
            if op.op == "remove":
                del parent[int(token)]
            elif op.op == "add":
                parent.insert(len(parent) if token == "-" else int(token), op.value)
            else:
                parent[int(token)] = op.value
        elif op.op == "remove":
            del parent[token]
        else:
            parent[token] = op.value


def pick(document: Any, data: dict[str, Any], side: str, pointers: list[str]) -> list[str]:
    """Resolve recorded conflicts in `document` (ruamel) by taking `side` ("ours" or "theirs");
    every conflict when `pointers` is empty. The pointers resolved, in order."""
    recorded = checked_conflicts(data.get(CONFLICTS))
    if not recorded:
        raise TroubleError("no merge conflicts recorded in this record")
    known = [c["at"] for c in recorded]
    for pointer in pointers:
        if pointer not in known:
            from .suggest import did_you_mean

            raise TroubleError(f"no conflict recorded at {pointer!r}{did_you_mean(pointer, known)}; "
                               f"recorded: {', '.join(known)}")
    chosen = [c for c in recorded if not pointers or c["at"] in pointers]
    done = []
    for conflict in chosen:
        at = conflict["at"]
        if side == "theirs":
            set_value(document, at, conflict.get("theirs", MISSING))
        done.append(at)
    left = [i for i, c in enumerate(document[CONFLICTS]) if not (isinstance(c, dict) and c.get("at") in done)]
    if left:
        document[CONFLICTS] = [document[CONFLICTS][i] for i in left]
    else:
        del document[CONFLICTS]
    return done


def checked_conflicts(recorded: Any) -> list[dict[str, Any]]:
    """The `conflicts` entries of a record; TroubleError naming the first one written so that
    no side can be taken from it (they may be written by hand)."""
    if recorded is None:
        return []
    if not isinstance(recorded, list):
        raise TroubleError("conflicts: not a list of conflicts; edit it by hand")
    for i, entry in enumerate(recorded):
        at = entry.get("at") if isinstance(entry, dict) else None
        if not isinstance(at, str) or not (at == "" or at.startswith("/")):
            raise TroubleError(f"conflicts/{i}: no 'at' pointer such as /mode; edit it by hand")
        if at == f"/{CONFLICTS}" or at.startswith(f"/{CONFLICTS}/"):
            raise TroubleError(f"conflicts/{i}: a conflict about the conflicts themselves "
                               "cannot be picked; edit it by hand")
    return recorded


def set_value(document: Any, pointer: str, value: Any) -> None:
    """Set (or, for MISSING, remove) the value at `pointer`; TroubleError when its parent is gone."""
    if pointer == "":
        raise TroubleError("a conflict about the whole record cannot be picked; edit it by hand")
    parent_pointer, token = pointer.rsplit("/", 1)
    token = token.replace("~1", "/").replace("~0", "~")
    try:
        parent = resolve_pointer(document, parent_pointer)
    except KeyError:
        raise TroubleError(f"{pointer}: its parent is no longer in the record; edit it by hand") from None
    if isinstance(parent, list):
        if token == "-":
            token = str(len(parent))
        if not (token.isascii() and token.isdigit()) or int(token) > len(parent) - (value is MISSING):
            raise TroubleError(f"{pointer}: no such item in the record; edit it by hand")
        if value is MISSING:
            del parent[int(token)]
        elif int(token) == len(parent):
            parent.append(value)
        else:
            parent[int(token)] = value
    elif isinstance(parent, dict):
        if value is MISSING:
            parent.pop(token, None)
        else:
            parent[token] = value
    else:
        raise TroubleError(f"{pointer}: not a field of a mapping or a list; edit it by hand")


# Files -------------------------------------------------------------------------


class Merged(NamedTuple):
    """What `annot merge` did to OURS."""

    conflicts: list[str]  # the pointers of the fields in conflict (recorded before or now)
    as_text: bool  # not records: git merge-file merged the text (conflicts then counts its hunks)


def merge_files(base: Path, ours: Path, theirs: Path, path: str | None = None) -> Merged:
    """Merge THEIRS's changes since BASE into the file OURS (git's %O %A %B, and %P: the
    path in the work tree).

    Only records merge by meaning: with `path`, a file of the project's events folder;
    without, a mapping with an `id`. Any other file (actors.yaml, a config, YAML that does
    not parse) gets git's own text merge, so the driver never does worse than git without it.
    """
    from .diff import load_record
    from .errors import LocatedError
    from .gitio import merge_text
    from .project import is_record

    raw = {side: _read(file) for side, file in zip(SIDES, (base, ours, theirs), strict=True)}
    if path is not None and not is_record(os.path.abspath(path)):
        return Merged(["(text)"] * merge_text(base, ours, theirs), True)
    try:
        data = {side: load_record(raw[side], str(file)) if raw[side].strip() else {}
                for side, file in zip(SIDES, (base, ours, theirs), strict=True)}
    except LocatedError:
        data = {}
    if not data or (path is None and "id" not in data["ours"]):
        return Merged(["(text)"] * merge_text(base, ours, theirs), True)
    merged, conflicts = merge_records(data["base"], data["ours"], data["theirs"])
    recorded = entries(conflicts, data["ours"], data["theirs"])
    plain_ours = {k: v for k, v in data["ours"].items() if k != CONFLICTS}
    if merged != plain_ours or recorded != (data["ours"].get(CONFLICTS) or []):  # else OURS stands
        document = _round_trip(raw["ours"], str(ours))
        apply_patch(document, merged, plain_ours)
        if recorded:
            document[CONFLICTS] = recorded
        elif CONFLICTS in document:
            del document[CONFLICTS]
        _write(ours, document)
    return Merged([str(c.get("at")) for c in recorded if isinstance(c, dict)], False)


def pick_in_file(path: Path, side: str, pointers: list[str]) -> tuple[list[str], int]:
    """Resolve conflicts recorded in the record at `path`; (resolved pointers, conflicts left)."""
    from .diff import load_record

    raw = _read(path)
    data = load_record(raw, str(path))
    document = _round_trip(raw, str(path))
    done = pick(document, data, side, pointers)
    _write(path, document)
    left = document.get(CONFLICTS)
    return done, len(left) if isinstance(left, list) else 0


def recorded_conflicts(path: Path) -> list[dict[str, Any]]:
    """The conflicts recorded in the record at `path`."""
    from .diff import load_record

    return checked_conflicts(load_record(_read(path), str(path)).get(CONFLICTS))


def _read(path: Path) -> bytes:
    from .files import read_regular

    try:
        return read_regular(path)
    except OSError as exc:
        raise TroubleError(f"{path}: cannot read: {exc.strerror}") from None


def _round_trip(raw: bytes, shown: str) -> Any:
    from ruamel.yaml.error import YAMLError

    from .emit import round_trip_yaml

    if not raw.strip():
        from ruamel.yaml.comments import CommentedMap

        return CommentedMap()
    try:
        return round_trip_yaml().load(raw.decode("utf-8-sig"))
    except YAMLError as exc:
        raise TroubleError(f"{shown}: {exc}") from None


def _write(path: Path, document: Any) -> None:
    from .atomic import write_atomic
    from .emit import to_yaml

    try:
        write_atomic(path, to_yaml(document, None, keep_order=True), force=True)
    except OSError as exc:
        raise TroubleError(f"{path}: cannot write: {exc.strerror}") from None
