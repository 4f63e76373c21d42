"""A semantic diff of records: what changed in meaning, not in text.

List items are paired by identity (participants by `ref`, else `actor`, else `name`;
evidence by `about`; records by `id`), `topics` and `related` compare as
sets, and formatting, key order, quoting and comments never count (they are
gone once a record is loaded). Each change carries two paths: one for
people (`participants[checker].title`) and an RFC 6901 pointer for the JSON
Patch that turns the old records into the new.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .records import escape_token

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
SETS = {"topics", "related"}
IDENTITY = {"participants": ("ref", "actor", "name"), "evidence": ("about",)}


class Change(NamedTuple):
    """One difference: `path` for people, `pointer` into the old document."""

    op: str
    path: str
    old: Any
    new: Any


class PatchOp(NamedTuple):
    """One RFC 6902 operation."""

    op: str
    path: str
    value: Any = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON form of the operation."""
        if self.op == "remove":
            return {"op": "remove", "path": self.path}
        return {"op": self.op, "path": self.path, "value": self.value}


class Diff:
    """Changes and the patch operations that produce them."""

    def __init__(self) -> None:
        self.changes: list[Change] = []
        self.patch: list[PatchOp] = []
        self.unreadable: list[str] = []  # a located line for each file that could not be compared

    def __bool__(self) -> bool:
        return bool(self.changes)


def diff_records(old: dict[str, Any], new: dict[str, Any]) -> Diff:
    """The difference between two records."""
    result = Diff()
    _mapping(old, new, "", "", result)
    return result


def diff_collections(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> Diff:
    """The difference between two sets of records, keyed by id.

    Paths start with the record's id; the patch applies to a JSON object
    mapping each id to its record.
    """
    result = Diff()
    for identifier in sorted(old.keys() | new.keys()):
        pointer = "/" + escape_token(identifier)
        if identifier not in new:
            result.changes.append(Change(REMOVED, identifier, old[identifier], None))
            result.patch.append(PatchOp("remove", pointer))
        elif identifier not in old:
            result.changes.append(Change(ADDED, identifier, None, new[identifier]))
            result.patch.append(PatchOp("add", pointer, new[identifier]))
        else:
            _mapping(old[identifier], new[identifier], identifier, pointer, result)
    return result


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _compare(old: Any, new: Any, path: str, pointer: str, key: str, result: Diff) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        _mapping(old, new, path, pointer, result)
    elif isinstance(old, list) and isinstance(new, list):
        if key in SETS and all(_scalar(x) for x in old + new):
            _set(old, new, path, pointer, result)
        else:
            _list(old, new, path, pointer, IDENTITY.get(key), result)
    elif not _same(old, new):
        result.changes.append(Change(CHANGED, path, old, new))
        result.patch.append(PatchOp("replace", pointer, new))


def _mapping(old: dict[str, Any], new: dict[str, Any], path: str, pointer: str, result: Diff) -> None:
    for key in old:
        if key not in new:
            result.changes.append(Change(REMOVED, _join(path, key), old[key], None))
            result.patch.append(PatchOp("remove", f"{pointer}/{escape_token(key)}"))
    for key in new:
        child_path, child_pointer = _join(path, key), f"{pointer}/{escape_token(key)}"
        if key not in old:
            result.changes.append(Change(ADDED, child_path, None, new[key]))
            result.patch.append(PatchOp("add", child_pointer, new[key]))
        else:
            _compare(old[key], new[key], child_path, child_pointer, key, result)


def _scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _same(a: Any, b: Any) -> bool:
    # 1 == 1.0 == True in Python; in a record they are different values.
    return type(a) is type(b) and a == b


def _set(old: list[Any], new: list[Any], path: str, pointer: str, result: Diff) -> None:
    old_keys = [_hashable(x) for x in old]
    new_keys = [_hashable(x) for x in new]
    removed = [i for i, k in enumerate(old_keys) if k not in new_keys]
    added = [i for i, k in enumerate(new_keys) if k not in old_keys]
    for i in removed:
        result.changes.append(Change(REMOVED, path, old[i], None))
    for i in added:
        result.changes.append(Change(ADDED, path, None, new[i]))
    kept = [k for k in old_keys if k in new_keys]
    _list_patch(old, new, pointer, removed, added, kept, [k for k in new_keys if k in old_keys], result)


def _hashable(value: Any) -> tuple[str, Any]:
    return (type(value).__name__, value)


def identities(items: list[Any], fields: tuple[str, ...] | None) -> list[str]:
    """A label per item: its identity field, else its position; repeats get #2, #3."""
    labels: list[str] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        label = None
        if fields and isinstance(item, dict):
            label = next((item[f] for f in fields if isinstance(item.get(f), str) and item[f]), None)
        if label is None:
            label = f"#{index}"
        seen[label] = seen.get(label, 0) + 1
        labels.append(label if seen[label] == 1 else f"{label}#{seen[label]}")
    return labels


def _list(
    old: list[Any], new: list[Any], path: str, pointer: str,
    fields: tuple[str, ...] | None, result: Diff,
) -> None:
    if fields is None:
        _positional(old, new, path, pointer, result)
        return
    old_ids, new_ids = identities(old, fields), identities(new, fields)
    removed = [i for i, k in enumerate(old_ids) if k not in new_ids]
    added = [i for i, k in enumerate(new_ids) if k not in old_ids]
    for i in removed:
        result.changes.append(Change(REMOVED, f"{path}[{old_ids[i]}]", old[i], None))
    for i in added:
        result.changes.append(Change(ADDED, f"{path}[{new_ids[i]}]", None, new[i]))
    kept_old = [k for k in old_ids if k in new_ids]
    kept_new = [k for k in new_ids if k in old_ids]
    final_index = _list_patch(old, new, pointer, removed, added, kept_old, kept_new, result)
    for label in kept_new:
        a, b = old[old_ids.index(label)], new[new_ids.index(label)]
        _compare(a, b, f"{path}[{label}]", f"{pointer}/{final_index[label]}", "", result)


def _list_patch(
    old: list[Any], new: list[Any], pointer: str, removed: list[int], added: list[int],
    kept_old: list[Any], kept_new: list[Any], result: Diff,
) -> dict[Any, int]:
    """Patch ops for removals and additions; where each kept item then stands.

    When the kept items keep their order, additions go to their new places
    and the patched list equals the new one; otherwise (a reordering, which
    is no change of meaning) they are appended.
    """
    for i in reversed(removed):
        result.patch.append(PatchOp("remove", f"{pointer}/{i}"))
    if kept_old == kept_new:
        for i in added:
            result.patch.append(PatchOp("add", f"{pointer}/{i}", new[i]))
        positions = [k for k in range(len(new)) if k not in added]
        return {label: positions[n] for n, label in enumerate(kept_new)}
    for i in added:
        result.patch.append(PatchOp("add", f"{pointer}/-", new[i]))
    return {label: n for n, label in enumerate(kept_old)}


def _positional(old: list[Any], new: list[Any], path: str, pointer: str, result: Diff) -> None:
    for i in range(min(len(old), len(new))):
        _compare(old[i], new[i], f"{path}[{i}]", f"{pointer}/{i}", "", result)
    for i in range(len(old) - 1, len(new) - 1, -1):
        result.changes.append(Change(REMOVED, f"{path}[{i}]", old[i], None))
        result.patch.append(PatchOp("remove", f"{pointer}/{i}"))
    for i in range(len(old), len(new)):
        result.changes.append(Change(ADDED, f"{path}[{i}]", None, new[i]))
        result.patch.append(PatchOp("add", f"{pointer}/{i}", new[i]))


# Reading the two sides ----------------------------------------------------


def load_record(raw: bytes, shown: str) -> dict[str, Any]:
    """A record's data for comparing; TroubleError located like validate's problems."""
    from .dates import normalize_dates
    from .errors import LocatedError
    from .records import YamlError, load

    try:
        data = load(raw).data
    except YamlError as exc:
        line, column = exc.position
        raise LocatedError(shown, exc.message, line, column, "yaml") from None
    normalize_dates(data)
    return data


def key_records(loaded: list[tuple[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Records keyed by id (by file stem when a record has no usable id)."""
    import os

    keyed: dict[str, dict[str, Any]] = {}
    for shown, data in loaded:
        identifier = data.get("id")
        if not isinstance(identifier, str) or not identifier:
            identifier = os.path.basename(shown).rsplit(".", 1)[0]
        if identifier in keyed:
            identifier = f"{identifier} ({shown})"
        keyed[identifier] = data
    return keyed
