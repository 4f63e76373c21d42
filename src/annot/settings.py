"""`--set KEY=VALUE`: a command-line string typed by the schema, put at a dotted key path."""

from __future__ import annotations

from typing import Any

from .errors import TroubleError
from .schema import RecordSchema
from .suggest import did_you_mean


class SetError(TroubleError):
    """A `--set KEY=VALUE` that the schema cannot take."""


def _is_index(key: str) -> bool:
    """Whether a key path part is a list index: ASCII digits ('²'.isdigit() is true too), and
    short (a 5,000-digit one is not a place in any record)."""
    return key.isascii() and key.isdigit() and len(key) <= 6


def _shown(key: str) -> str:
    """A key or value as a message quotes it: at most 40 characters, control characters escaped."""
    return repr(key if len(key) <= 40 else key[:40] + "…")  # repr escapes control characters


def schema_at(schema: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    """The sub-schema that describes the value at `keys` (dotted path parts)."""
    node: Any = schema
    for key in keys:
        node = _deref(schema, node)
        if "items" in node:
            if not _is_index(key):
                raise SetError(f"{_shown(key)} is not a list index like 0, 1, 2")
            node = node["items"]
        elif key in node.get("properties", {}):
            node = node["properties"][key]
        else:
            allowed = list(node.get("properties", {}))
            raise SetError(f"unknown key {_shown(key)}{did_you_mean(key, allowed)}"
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
            # Python reads no more than 4,300 digits: a longer number is refused as one.
            digits = raw.strip().lstrip("+-").replace("_", "")
            size = f" ({len(digits):,} digits: too long)" if digits.isdigit() else ""
            raise SetError(f"{key} takes a whole number, not {_shown(raw)}{size}") from None
    if "number" in types:
        try:
            return float(raw)
        except ValueError:
            raise SetError(f"{key} takes a number, not {_shown(raw)}") from None
    if "boolean" in types and raw in ("true", "false"):
        return raw == "true"
    return raw


def set_value(record: dict[str, Any], dotted: str, raw: str, schema: RecordSchema) -> None:
    """Apply one `--set KEY=VALUE`: dotted keys, list indexes (`participants.0.name`)."""
    try:
        (dotted + raw).encode("utf-8")
    except UnicodeEncodeError:  # a byte of the command line that is not UTF-8
        raise SetError(f"--set {_shown(dotted)}: not valid text (a byte that is not UTF-8)") from None
    keys = dotted.split(".")
    if not all(keys):
        raise SetError(f"'{dotted}' is not a key path like participants.0.name")
    node = schema_at(schema.raw, keys)
    value = typed(raw, node, dotted)
    container: Any = record
    for depth, key in enumerate(keys):
        last = depth == len(keys) - 1
        next_is_index = not last and _is_index(keys[depth + 1])
        if isinstance(container, list):
            if not _is_index(key):
                raise SetError(f"{_shown(key)} is not a list index like 0, 1, 2")
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
            if _is_index(key):
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
