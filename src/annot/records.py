"""Reading YAML records with the position of every key and value.

The one place the YAML parser is configured. libyaml (through PyYAML's C
binding) produces events; this module builds plain JSON-like data from them
under YAML 1.2 core-schema rules, so `no`, `on` and `2026-02-02` stay strings,
and refuses what a record has no use for: custom tags, alias bombs, deep
nesting, several documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 100_000

_CORE = "tag:yaml.org,2002:"
_STANDARD_TAGS = {
    _CORE + name for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS = {
    ".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
    "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
    "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
    ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan"),
}
_MAYBE_NOT_STR = frozenset("-+.0123456789~nNtTfF")

Position = tuple[int, int]
"""1-based line and column."""


class YamlError(Exception):
    """The text is not a record-shaped YAML document; `position` says where."""

    def __init__(self, message: str, position: Position = (1, 1)) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass
class DuplicateKey:
    """A key written twice in one mapping: the second occurrence."""

    pointer: str
    position: Position


@dataclass
class Document:
    """A parsed record: its data and where each piece of it was written."""

    data: dict[str, Any]
    values: dict[str, Position] = field(default_factory=dict)
    keys: dict[str, Position] = field(default_factory=dict)
    duplicates: list[DuplicateKey] = field(default_factory=list)

    def position(self, pointer: str) -> Position:
        """Where the value at `pointer` starts, else its nearest written ancestor."""
        while True:
            if pointer in self.values:
                return self.values[pointer]
            if not pointer:
                return (1, 1)
            pointer = pointer.rsplit("/", 1)[0]

    def key_position(self, pointer: str) -> Position:
        """Where the key naming `pointer` is written (the value's place if none)."""
        return self.keys.get(pointer) or self.position(pointer)

    def first_key_position(self, pointer: str) -> Position:
        """Where the first key of the mapping at `pointer` is written."""
        value = resolve_pointer(self.data, pointer)
        if isinstance(value, dict) and value:
            return self.key_position(join_pointer(pointer, next(iter(value))))
        return self.position(pointer)


def escape_token(token: str) -> str:
    """One RFC 6901 reference token."""
    return token.replace("~", "~0").replace("/", "~1")


def join_pointer(pointer: str, token: str | int) -> str:
    """`pointer` extended by one key or index."""
    return f"{pointer}/{escape_token(str(token))}"


_MISSING = object()


def resolve_pointer(data: Any, pointer: str, default: Any = _MISSING) -> Any:
    """The value `pointer` names in `data`; KeyError when it names nothing."""
    if pointer == "":
        return data
    if not pointer.startswith("/"):
        if default is _MISSING:
            raise KeyError(pointer)
        return default
    value = data
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif (
            isinstance(value, list)
            and token.isdigit()
            and (token == "0" or not token.startswith("0"))
            and int(token) < len(value)
        ):
            value = value[int(token)]
        else:
            if default is _MISSING:
                raise KeyError(pointer)
            return default
    return value


def decode(raw: bytes) -> str:
    """UTF-8 text of a file (a BOM is dropped); YamlError at the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlError(
            f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded", (line, column)
        ) from None


def load(raw: bytes) -> Document:
    """Parse one record's bytes; YamlError if it is not a single YAML mapping."""
    if len(raw) > MAX_BYTES:
        raise YamlError(
            f"file is {len(raw) / 1048576:.1f} MB, larger than the "
            f"{MAX_BYTES // 1048576} MB a record may be"
        )
    return load_text(decode(raw))


def load_text(text: str) -> Document:
    """Parse one record's text; YamlError if it is not a single YAML mapping."""
    if not text.strip():
        raise YamlError("file is empty: a record is a YAML mapping")
    builder = _Builder()
    try:
        builder.run(text)
    except YamlError:
        raise
    except Exception as exc:  # the parser's own errors carry a problem_mark
        raise _parser_error(exc) from None
    return builder.document()


def _parser_error(exc: Exception) -> YamlError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if problem:
        message = f"{context}: {problem}" if context else str(problem)
    else:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    message = "YAML syntax error: " + message
    if mark is None:
        return YamlError(message)
    return YamlError(message, (mark.line + 1, mark.column + 1))


def _parser(text: str) -> Any:
    # libyaml when PyYAML was built with it, the pure-Python parser otherwise:
    # both yield the same events.
    try:
        from yaml._yaml import CParser

        return CParser(text)
    except ImportError:  # pragma: no cover - depends on the wheel
        from yaml import BaseLoader

        return BaseLoader(text)


def _position(event: Any) -> Position:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1)


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


def _scalar(event: Any) -> Any:
    value: str = event.value
    tag = event.tag
    if tag is None or tag == "!":
        if event.style or tag == "!" or not value or value[0] not in _MAYBE_NOT_STR:
            return None if (not value and not event.style and tag is None) else value
        return _resolve_plain(value)
    if tag not in _STANDARD_TAGS:
        raise YamlError(
            f"custom tag {_tag_name(tag)} is not allowed in a record", _position(event)
        )
    kind = tag[len(_CORE) :]
    if kind in ("str", "timestamp"):
        return value
    resolved = _resolve_plain(value)
    expected = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}.get(kind)
    if expected is None or isinstance(resolved, bool) and kind != "bool":
        expected = ()
    if not isinstance(resolved, expected):  # type: ignore[arg-type]
        raise YamlError(f"{value!r} is not a valid {_tag_name(tag)}", _position(event))
    return float(resolved) if kind == "float" else resolved


def _resolve_plain(value: str) -> Any:
    if value in _NULL:
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.fullmatch(value):
        if value.startswith("0o"):
            return int(value[2:], 8)
        if value.startswith("0x"):
            return int(value[2:], 16)
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    return _SPECIAL_FLOATS.get(value, value)


class _Frame:
    __slots__ = ("container", "pointer", "key", "key_position", "is_map")

    def __init__(self, container: Any, pointer: str, is_map: bool) -> None:
        self.container = container
        self.pointer = pointer
        self.is_map = is_map
        self.key: str | None = None
        self.key_position: Position = (1, 1)


class _Builder:
    """Turns parser events into data, positions and duplicate keys."""

    def __init__(self) -> None:
        self.root: Any = None
        self.values: dict[str, Position] = {}
        self.keys: dict[str, Position] = {}
        self.duplicates: list[DuplicateKey] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.nodes = 0
        self.documents = 0

    def run(self, text: str) -> None:
        parser = _parser(text)
        stack: list[_Frame] = []
        # Anchored containers still being built: (frame, anchor, node count at start).
        open_anchors: list[tuple[_Frame, str, int]] = []
        get_event = parser.get_event
        while True:
            event = get_event()
            kind = type(event).__name__
            if kind == "ScalarEvent":
                if stack and stack[-1].is_map and stack[-1].key is None:
                    self._take_key(stack[-1], event)
                    continue
                value = _scalar(event)
                self._count(event, 1)
                if event.anchor:
                    self.anchors[event.anchor] = (value, 1)
                self._place(stack, value, event)
            elif kind in ("MappingStartEvent", "SequenceStartEvent"):
                if stack and stack[-1].is_map and stack[-1].key is None:
                    raise YamlError(
                        "a key must be a plain string, not a mapping or list", _position(event)
                    )
                tag = event.tag
                if tag is not None and tag != "!" and tag not in _STANDARD_TAGS:
                    raise YamlError(
                        f"custom tag {_tag_name(tag)} is not allowed in a record",
                        _position(event),
                    )
                if len(stack) >= MAX_DEPTH:
                    raise YamlError(
                        f"nesting deeper than {MAX_DEPTH} levels", _position(event)
                    )
                is_map = kind == "MappingStartEvent"
                container: Any = {} if is_map else []
                self._count(event, 1)
                pointer = self._place(stack, container, event)
                frame = _Frame(container, pointer, is_map)
                stack.append(frame)
                if event.anchor:
                    open_anchors.append((frame, event.anchor, self.nodes))
            elif kind in ("MappingEndEvent", "SequenceEndEvent"):
                frame = stack.pop()
                if open_anchors and open_anchors[-1][0] is frame:
                    _, anchor, start = open_anchors.pop()
                    self.anchors[anchor] = (frame.container, self.nodes - start + 1)
            elif kind == "AliasEvent":
                if event.anchor not in self.anchors:
                    raise YamlError(
                        f"alias *{event.anchor} refers to an anchor not yet defined",
                        _position(event),
                    )
                value, size = self.anchors[event.anchor]
                if stack and stack[-1].is_map and stack[-1].key is None:
                    if isinstance(value, (dict, list)):
                        raise YamlError(
                            "a key must be a plain string, not a mapping or list",
                            _position(event),
                        )
                    self._set_key(stack[-1], "" if value is None else str(value), event)
                    continue
                self._count(event, size)
                self._place(stack, value, event)
            elif kind == "DocumentStartEvent":
                self.documents += 1
                if self.documents > 1:
                    raise YamlError(
                        "several YAML documents in one file: a record is one mapping",
                        _position(event),
                    )
            elif kind == "StreamEndEvent":
                return

    def _count(self, event: Any, size: int) -> None:
        self.nodes += size
        if self.nodes > MAX_NODES:
            raise YamlError(
                f"aliases expand to more than {MAX_NODES} values", _position(event)
            )

    def _take_key(self, frame: _Frame, event: Any) -> None:
        if event.tag is not None and event.tag != "!" and event.tag not in _STANDARD_TAGS:
            raise YamlError(
                f"custom tag {_tag_name(event.tag)} is not allowed in a record", _position(event)
            )
        self._set_key(frame, event.value, event)
        if event.anchor:
            self.anchors[event.anchor] = (event.value, 1)

    def _set_key(self, frame: _Frame, key: str, event: Any) -> None:
        frame.key = key
        frame.key_position = _position(event)

    def _place(self, stack: list[_Frame], value: Any, event: Any) -> str:
        position = _position(event)
        if not stack:
            if not isinstance(value, dict):
                raise YamlError(
                    f"a record is a YAML mapping of keys to values, not {_describe(value)}",
                    position,
                )
            self.root = value
            self.values[""] = position
            return ""
        frame = stack[-1]
        if frame.is_map:
            key = frame.key
            assert key is not None
            frame.key = None
            pointer = join_pointer(frame.pointer, key)
            if key in frame.container:
                self.duplicates.append(DuplicateKey(pointer, frame.key_position))
                return pointer + "/\0duplicate"  # positions of the ignored copy go nowhere
            frame.container[key] = value
            self.keys[pointer] = frame.key_position
        else:
            pointer = join_pointer(frame.pointer, len(frame.container))
            frame.container.append(value)
        self.values[pointer] = position
        return pointer

    def document(self) -> Document:
        if self.root is None:
            raise YamlError("file holds no YAML document: a record is a YAML mapping")
        return Document(self.root, self.values, self.keys, self.duplicates)


def _describe(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    if isinstance(value, str):
        return "a single string"
    return f"a single {type(value).__name__}"
