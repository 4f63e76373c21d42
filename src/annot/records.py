"""Reading YAML records with the position of every key and value.

The one place the YAML parser is configured. libyaml (through PyYAML's C
binding) produces events; this module builds plain JSON-like data from them
under YAML 1.2 core-schema rules, so `no`, `on` and `2026-02-02` stay strings,
and refuses what a record has no use for: custom tags, alias bombs, deep
nesting, several documents.
"""

from __future__ import annotations

import _thread
import re
import sys
from collections.abc import Callable
from typing import Any, NamedTuple

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 100_000


class Limits(NamedTuple):
    """How large a file of one kind may be: bytes, and values once its aliases are expanded."""

    bytes: int
    nodes: int
    kind: str  # as a message names it


RECORD = Limits(MAX_BYTES, MAX_NODES, "a record")

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
_CONFLICT = re.compile(r"^(<{7}|>{7})( |$)", re.M)
MAX_DIGITS = 4000  # Python refuses to convert longer integers (4,300 decimal digits)
MAX_HEX_DIGITS = 3300  # as many decimal digits as MAX_DIGITS: a hexadecimal one is 1.2 of them

Position = tuple[int, int]
"""1-based line and column."""


class YamlError(Exception):
    """The text is not a record-shaped YAML document; `position` says where."""

    def __init__(self, message: str, position: Position = (1, 1)) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


class DuplicateKey(NamedTuple):
    """A key written twice in one mapping: the second occurrence."""

    pointer: str
    position: Position


class Document:
    """A parsed record: its data and where each piece of it was written."""

    __slots__ = ("data", "values", "keys", "duplicates")

    def __init__(
        self,
        data: dict[str, Any],
        values: dict[str, Position],
        keys: dict[str, Position],
        duplicates: list[DuplicateKey],
    ) -> None:
        self.data = data
        self.values = values  # pointer -> where its value starts
        self.keys = keys  # pointer -> where the key naming it is written
        self.duplicates = duplicates

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


def load(raw: bytes, limits: Limits = RECORD) -> Document:
    """Parse one record's bytes (or another file's, within its `limits`); YamlError if it is
    not a single YAML mapping."""
    if len(raw) > limits.bytes:
        raise YamlError(
            f"file is {len(raw) / 1048576:.1f} MB, larger than the "
            f"{limits.bytes // 1048576} MB {limits.kind} may be"
        )
    return load_text(decode(raw), limits)


def load_text(text: str, limits: Limits = RECORD) -> Document:
    """Parse one record's text; YamlError if it is not a single YAML mapping."""
    if not text.strip():
        raise YamlError("file is empty: a record is a YAML mapping")
    if "<<<<<<<" in text or ">>>>>>>" in text:
        conflict = _CONFLICT.search(text)
        if conflict:
            line = text.count("\n", 0, conflict.start()) + 1
            raise YamlError("unresolved merge conflict: git's conflict markers are still in the file "
                            "(resolve the conflict first)", (line, 1))
    builder = _Builder(limits)
    try:
        builder.run(text)
    except YamlError:
        raise
    except Exception as exc:  # the parser's own errors carry a problem_mark
        raise _parser_error(exc, text) from None
    return builder.document()


def _parser_error(exc: Exception, text: str) -> YamlError:
    index = getattr(exc, "position", None)  # the reader's errors: a character index
    if isinstance(index, int) and getattr(exc, "reason", None):
        before = text[:index]
        place = (before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1)
        return YamlError(f"YAML syntax error: {exc.reason} (character U+{exc.character:04X})",  # type: ignore[attr-defined]
                         place)
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
    at = _locator(text)
    return YamlError(message, at(mark) if at else (mark.line + 1, mark.column + 1))


def _locator(text: str) -> Any:
    """Positions counted the way editors count, where libyaml would count otherwise.

    libyaml (YAML 1.1) also breaks lines at U+0085, U+2028 and U+2029; editors and
    YAML 1.2 do not. Only a text holding one of them pays for counting by index.
    """
    if "\x85" not in text and "\u2028" not in text and "\u2029" not in text:
        return None
    from bisect import bisect_right

    starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]

    def at(mark: Any) -> Position:
        line = bisect_right(starts, mark.index)
        return (line, mark.index - starts[line - 1] + 1)

    return at


# Importing PyYAML compiles the pattern of the characters its pure-Python reader refuses:
# 7 ms, a tenth of what the commit hook takes. libyaml checks them by itself, so the pattern is
# compiled only once that reader reads (PyYAML without libyaml).
_UNPRINTABLE = "[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]"
_IMPORTING = _thread.allocate_lock()


class _CompiledOnFirstRead:
    """A class attribute that compiles its pattern when it is first read, and is that pattern
    from then on."""

    def __init__(self, pattern: str, compile_now: Callable[[str], re.Pattern[str]]) -> None:
        self._pattern, self._compile = pattern, compile_now

    def __set_name__(self, owner: type, name: str) -> None:
        self._owner, self._name = owner, name

    def __get__(self, instance: object, owner: type | None = None) -> re.Pattern[str]:
        compiled = self._compile(self._pattern)
        setattr(self._owner, self._name, compiled)
        return compiled


def _import_pyyaml() -> None:
    """Import PyYAML, its reader's pattern compiled on first read. Only the importing thread's
    call for that pattern is changed, and re.compile is put back as it was found."""
    if "yaml" in sys.modules:
        return
    with _IMPORTING:
        if "yaml" in sys.modules:
            return
        found, importer = re.compile, _thread.get_ident()

        def compile_later(pattern: Any, flags: int = 0) -> Any:
            if type(pattern) is str and pattern == _UNPRINTABLE and not flags \
                    and _thread.get_ident() == importer:
                return _CompiledOnFirstRead(pattern, found)
            return found(pattern, flags)

        re.compile = compile_later
        try:
            import yaml  # noqa: F401
        finally:
            if re.compile is compile_later:
                re.compile = found


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
        return _resolve_plain(_short_enough(value, event))
    if tag not in _STANDARD_TAGS:
        raise YamlError(
            f"custom tag {_tag_name(tag)} is not allowed in a record", _position(event)
        )
    kind = tag[len(_CORE) :]
    if kind in ("str", "timestamp"):
        return value
    resolved = _resolve_plain(_short_enough(value, event))
    expected = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}.get(kind)
    if expected is None or isinstance(resolved, bool) and kind != "bool":
        expected = ()
    if not isinstance(resolved, expected):  # type: ignore[arg-type]
        raise YamlError(f"{value!r} is not a valid {_tag_name(tag)}", _position(event))
    return float(resolved) if kind == "float" else resolved


def _short_enough(value: str, event: Any) -> str:
    if len(value) > MAX_HEX_DIGITS and _INT.fullmatch(value):
        if value.startswith("0x") and len(value) - 2 > MAX_HEX_DIGITS:
            raise YamlError(f"a number of {len(value) - 2} hexadecimal digits: longer than a record has "
                            "use for", _position(event))
        if len(value) > MAX_DIGITS:
            raise YamlError(f"a number of {len(value)} digits: longer than a record has use for",
                            _position(event))
    return value


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


class _Builder:
    """Turns parser events into data, positions and duplicate keys.

    One tight loop: this is where `annot validate` spends most of its time on
    a large corpus, so the helpers are inlined and events are told apart by
    class, not by isinstance chains.
    """

    def __init__(self, limits: Limits = RECORD) -> None:
        self.limits = limits
        self.root: Any = None
        self.values: dict[str, Position] = {}
        self.keys: dict[str, Position] = {}
        self.duplicates: list[DuplicateKey] = []

    def run(self, text: str) -> None:
        _import_pyyaml()
        import yaml.events as ev

        scalar_event, alias_event = ev.ScalarEvent, ev.AliasEvent
        mapping_start, sequence_start = ev.MappingStartEvent, ev.SequenceStartEvent
        collection_end = (ev.MappingEndEvent, ev.SequenceEndEvent)
        anchors: dict[str, tuple[Any, int]] = {}
        # A frame: [container, pointer, is_map, pending key, its position, anchor, nodes at start,
        #           column of the nearest block collection]
        stack: list[list[Any]] = []
        # Events libyaml may read unlike the spec: (event, block column, where it ends).
        suspects: list[tuple[Any, int, Any]] = []
        nodes = 0
        documents = 0
        most = self.limits.nodes
        too_many = f"more than {most} values: too large for {self.limits.kind}"
        get_event = _parser(text).get_event
        at = _locator(text)
        while True:
            event = get_event()
            cls = event.__class__
            top = stack[-1] if stack else None
            if cls is scalar_event or cls is alias_event:
                mark = event.start_mark
                position = (mark.line + 1, mark.column + 1) if at is None else at(mark)
                if cls is scalar_event:
                    if event.style or event.anchor:
                        suspects.append((event, top[7] if top is not None else -1, event.end_mark))
                    elif top is not None and top[8] is not None and top[2] and top[3] is None:
                        suspects.append((event, top[7], event.end_mark))  # a flow key may hide a "?"
                    if top is not None and top[2] and top[3] is None:
                        tag = event.tag
                        if tag is not None and tag != "!" and tag not in _STANDARD_TAGS:
                            raise YamlError(
                                f"custom tag {_tag_name(tag)} is not allowed in a record", position
                            )
                        if tag is not None and tag not in ("!", _CORE + "str"):
                            raise YamlError(f"a key is a plain string: {_tag_name(tag)} is not "
                                            "allowed on a key", position)
                        top[3], top[4] = event.value, position
                        if event.anchor:
                            anchors[event.anchor] = (event.value, 1)
                        continue
                    value = _scalar(event)
                    size = 1
                    if event.anchor:
                        anchors[event.anchor] = (value, 1)
                else:
                    if event.anchor not in anchors:
                        raise YamlError(
                            f"alias *{event.anchor} refers to an anchor not yet defined", position
                        )
                    value, size = anchors[event.anchor]
                    too_many = f"aliases expand to more than {most} values"
                    if top is not None and top[2] and top[3] is None:
                        if isinstance(value, (dict, list)):
                            raise YamlError(
                                "a key must be a plain string, not a mapping or list", position
                            )
                        top[3], top[4] = "" if value is None else str(value), position
                        continue
                nodes += size
                if nodes > most:
                    raise YamlError(too_many, position)
                if top is None:
                    self._set_root(value, position)
                else:
                    self._place(top, value, position)
            elif cls is mapping_start or cls is sequence_start:
                mark = event.start_mark
                position = (mark.line + 1, mark.column + 1) if at is None else at(mark)
                if top is not None and top[2] and top[3] is None:
                    raise YamlError("a key must be a plain string, not a mapping or list", position)
                tag = event.tag
                if tag is not None and tag != "!" and tag not in _STANDARD_TAGS:
                    raise YamlError(
                        f"custom tag {_tag_name(tag)} is not allowed in a record", position
                    )
                if len(stack) >= MAX_DEPTH:
                    raise YamlError(f"nesting deeper than {MAX_DEPTH} levels", position)
                is_map = cls is mapping_start
                container: Any = {} if is_map else []
                nodes += 1
                if nodes > most:
                    raise YamlError(too_many, position)
                if top is None:
                    pointer = self._set_root(container, position)
                else:
                    pointer = self._place(top, container, position)
                flow = event.flow_style
                outer = top[7] if top is not None else -1
                if event.anchor:
                    suspects.append((event, outer, event.end_mark))
                stack.append([container, pointer, is_map, None, None, event.anchor, nodes,
                              outer if flow else mark.column, event if flow else None])
            elif cls in collection_end:
                frame = stack.pop()
                if frame[8] is not None:  # a flow collection: check the lines it spans
                    suspects.append((frame[8], stack[-1][7] if stack else -1, event.end_mark))
                if frame[5]:
                    anchors[frame[5]] = (frame[0], nodes - frame[6] + 1)
            elif cls is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    raise YamlError(
                        "several YAML documents in one file: a record is one mapping",
                        (mark.line + 1, mark.column + 1),
                    )
            elif cls is ev.StreamEndEvent:
                if suspects:
                    _spec_divergences(text, suspects, at)
                return

    def _set_root(self, value: Any, position: Position) -> str:
        if not isinstance(value, dict):
            raise YamlError(
                f"a record is a YAML mapping of keys to values, not {_describe(value)}", position
            )
        self.root = value
        self.values[""] = position
        return ""

    def _place(self, frame: list[Any], value: Any, position: Position) -> str:
        container = frame[0]
        if frame[2]:
            key = frame[3]
            frame[3] = None
            token = key.replace("~", "~0").replace("/", "~1") if ("~" in key or "/" in key) else key
            pointer = f"{frame[1]}/{token}"
            if key in container:
                self.duplicates.append(DuplicateKey(pointer, frame[4]))
                return pointer + "/\0duplicate"  # positions of the ignored copy go nowhere
            container[key] = value
            self.keys[pointer] = frame[4]
        else:
            pointer = f"{frame[1]}/{len(container)}"
            container.append(value)
        self.values[pointer] = position
        return pointer

    def document(self) -> Document:
        if self.root is None:
            raise YamlError("file holds no YAML document: a record is a YAML mapping")
        return Document(self.root, self.values, self.keys, self.duplicates)


def _spec_divergences(text: str, suspects: list[tuple[Any, int, Any]], at: Any) -> None:
    """YamlError where libyaml reads the text unlike the YAML 1.2 spec.

    libyaml accepts some invalid documents and misreads a few valid ones (the
    yaml-test-suite shows which); a record must mean what the spec says, so
    these are refused with a located error rather than read wrongly.
    """
    lines: list[str] = []

    def where(mark: Any) -> Position:
        return (mark.line + 1, mark.column + 1) if at is None else at(mark)

    for event, block_column, end_mark in suspects:
        here, there = where(event.start_mark), where(end_mark)
        start = _Mark(here[0] - 1, here[1] - 1, event.start_mark.index)
        end = _Mark(there[0] - 1, there[1] - 1, end_mark.index)
        anchor = event.anchor
        if anchor and text.startswith(":", start.offset + 1 + len(anchor)) and text[start.offset] == "&":
            raise YamlError(f"anchor &{anchor}: followed by ':' (an anchor name with a colon, "
                            "which libyaml cuts short); rename the anchor", here)
        style = getattr(event, "style", None)
        if end.line > start.line or style in ("|", ">"):
            lines = lines or text.split("\n")
        if style in ("'", '"') or getattr(event, "flow_style", False):
            if style and text.startswith("#", end.offset):
                raise YamlError("a comment needs a space before its #", (end.line + 1, end.column + 1))
            for number in range(start.line + 1, min(end.line, len(lines) - 1) + 1):
                line = lines[number]
                if line.strip() and len(line) - len(line.lstrip(" ")) <= block_column:
                    raise YamlError("this line continues a quoted or flow value, so it must be indented "
                                    "more than its block (spaces, not tabs)", (number + 1, 1))
        elif style in ("|", ">"):
            header = text[start.offset:].split("\n", 1)[0]
            if "#" in header and not re.match(r"[|>][0-9+-]*([ \t]+#.*)?$", header):
                raise YamlError("a comment needs a space before its #", here)
            leading = 0
            for line in lines[start.line + 1:]:
                if line.strip():
                    first = len(line) - len(line.lstrip(" "))
                    if leading > first:
                        raise YamlError("a block scalar's leading empty lines may not be indented more "
                                        "than its first line", here)
                    break
                leading = max(leading, len(line))
            if not text.endswith("\n") and end.offset >= len(text.rstrip(" ")) and text.endswith(" "):
                raise YamlError("a block scalar ending in spaces at the end of the file (libyaml drops "
                                "its line break); end the file with a line break", here)
        elif style == "" and start.offset and text[start.offset - 1] == "?" and (
            start.offset < 2 or text[start.offset - 2] in " \t{,["
        ):
            raise YamlError("'?' written against a flow key: quote the key, or put a space after '?'",
                            (start.line + 1, start.column))


class _Mark(NamedTuple):
    line: int  # 0-based, as libyaml's marks
    column: int
    offset: int  # character index into the text


def _describe(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    if isinstance(value, str):
        return "a single string"
    return f"a single {type(value).__name__}"
