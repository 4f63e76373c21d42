"""The YAML loader: YAML 1.2 values, positions, and everything it refuses."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annot.records import MAX_DEPTH, YamlError, load, load_text, resolve_pointer

from .conftest import SEED_RECORD


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: no", "no"),
        ("a: on", "on"),
        ("a: yes", "yes"),
        ("a: 2026-02-02", "2026-02-02"),
        ("a: 2026-11-26T10:00:00Z", "2026-11-26T10:00:00Z"),
        ("a: true", True),
        ("a: False", False),
        ("a: null", None),
        ("a: ~", None),
        ("a:", None),
        ("a: 12", 12),
        ("a: 0x1f", 31),
        ("a: 0o17", 15),
        ("a: 1.5", 1.5),
        ("a: 010", 10),
        ("a: '12'", "12"),
        ('a: "true"', "true"),
        ("a: !!str 12", "12"),
        ("a: !!int 12", 12),
        ("a: !!float 1", 1.0),
        ("a: ! 12", "12"),
        ("a: ''", ""),
        ("a: 1_000", "1_000"),
        ("a: Null Island", "Null Island"),
    ],
)
def test_scalars_follow_yaml_1_2(text: str, expected: object) -> None:
    assert load_text(text).data == {"a": expected}


def test_positions_of_values_and_keys() -> None:
    doc = load_text(SEED_RECORD)
    assert doc.position("/date") == (5, 7)
    assert doc.position("/participants/1/role") == (22, 11)
    assert doc.position("/topics/2") == (29, 33)
    assert doc.key_position("/participants/1/name") == (18, 5)
    assert doc.first_key_position("") == (2, 1)
    assert doc.first_key_position("/participants/1") == (17, 5)
    assert doc.position("/nowhere/deep") == (2, 1)


def test_duplicate_keys_are_recorded_at_their_second_occurrence() -> None:
    doc = load_text("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n")
    assert [(d.pointer, d.position) for d in doc.duplicates] == [("/b/c", (4, 3)), ("/a", (5, 1))]
    assert doc.data == {"a": 1, "b": {"c": 2}}


@pytest.mark.parametrize(
    ("raw", "message", "position"),
    [
        (b"", "file is empty: a record is a YAML mapping", (1, 1)),
        (b"  \n\n", "file is empty: a record is a YAML mapping", (1, 1)),
        (b"# only a comment\n", "file holds no YAML document: a record is a YAML mapping", (1, 1)),
        (b"- a\n- b\n", "a record is a YAML mapping of keys to values, not a list", (1, 1)),
        (b"just words\n", "a record is a YAML mapping of keys to values, not a single string", (1, 1)),
        (b"a: [1, 2\n", "YAML syntax error: while parsing a flow sequence: did not find expected ',' or ']'", (2, 1)),
        (b"a: 1\n---\nb: 2\n", "several YAML documents in one file: a record is one mapping", (2, 1)),
        (b"a: !!python/object/apply:os.system ['echo']\n", "custom tag !!python/object/apply:os.system is not allowed in a record", (1, 4)),
        (b"a: !custom x\n", "custom tag !custom is not allowed in a record", (1, 4)),
        (b"a: !!set {x}\n", "custom tag !!set is not allowed in a record", (1, 4)),
        (b"a: !!int twelve\n", "'twelve' is not a valid !!int", (1, 4)),
        (b"? [a]\n: 1\n", "a key must be a plain string, not a mapping or list", (1, 3)),
        (b"a: *nope\n", "alias *nope refers to an anchor not yet defined", (1, 4)),
        (b"title: caf\xe9\n", "not UTF-8: byte 0xe9 cannot be decoded", (1, 11)),
        (b"a: 1\nb: \xff\xfe\n", "not UTF-8: byte 0xff cannot be decoded", (2, 4)),
    ],
)
def test_refusals_are_located(raw: bytes, message: str, position: tuple[int, int]) -> None:
    with pytest.raises(YamlError) as caught:
        load(raw)
    assert (caught.value.message, caught.value.position) == (message, position)


def test_bom_and_crlf_are_fine() -> None:
    doc = load(b"\xef\xbb\xbfid: x\r\ntopics: [a]\r\n")
    assert doc.data == {"id": "x", "topics": ["a"]}
    assert doc.position("/topics/0") == (2, 10)


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        refs = ", ".join(f"*a{i - 1}" for _ in range(9))
        lines.append(f"a{i}: &a{i} [{refs}]")
    with pytest.raises(YamlError) as caught:
        load_text("\n".join(lines))
    assert caught.value.message == "aliases expand to more than 100000 values"


def test_small_aliases_are_allowed() -> None:
    assert load_text("a: &x [1, 2]\nb: *x\n").data == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize("text", ["a: " + "[" * 10_000 + "]" * 10_000, "a:\n  " + "- " * 10_000 + "x"])
def test_deep_nesting_is_refused(text: str) -> None:
    with pytest.raises(YamlError) as caught:
        load_text(text)
    assert "nesting" in caught.value.message or "depth" in caught.value.message


def test_nesting_limit_is_ours_before_libyaml() -> None:
    with pytest.raises(YamlError) as caught:
        load_text("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert caught.value.message == f"nesting deeper than {MAX_DEPTH} levels"


def test_ten_megabytes_is_refused_without_parsing() -> None:
    with pytest.raises(YamlError) as caught:
        load(b"a: " + b"x" * 10_000_000)
    assert caught.value.message == "file is 9.5 MB, larger than the 5 MB a record may be"


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [("", "whole"), ("/a/0", 1), ("/a/1/b~1c", 2), ("/m~0n", 3)],
)
def test_resolve_pointer(pointer: str, expected: object) -> None:
    data = {"a": [1, {"b/c": 2}], "m~n": 3}
    assert resolve_pointer(data, pointer) == (data if expected == "whole" else expected)


@pytest.mark.parametrize("pointer", ["/a/2", "/a/01", "/a/-", "/x", "a", "/a/0/z"])
def test_resolve_pointer_misses(pointer: str) -> None:
    with pytest.raises(KeyError):
        resolve_pointer({"a": [1, {"b/c": 2}]}, pointer)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_a_document_or_a_located_error(raw: bytes) -> None:
    try:
        doc = load(raw)
    except YamlError as exc:
        line, column = exc.position
        assert line >= 1 and column >= 1 and exc.message
    else:
        assert isinstance(doc.data, dict)


def test_importing_pyyaml_leaves_its_pure_python_readers_pattern_for_when_that_reader_reads() -> None:
    # In a process of its own: PyYAML is imported once per process, and this one has it already.
    program = """
import re
from annot.records import load_text
load_text("a: 1\\n")
import yaml
print(isinstance(vars(yaml.reader.Reader)["NON_PRINTABLE"], re.Pattern), re.compile.__module__)
try:
    yaml.load("a: b\\x07", Loader=yaml.BaseLoader)  # the pure-Python reader
except yaml.reader.ReaderError as exc:
    print(exc.character == 7, isinstance(vars(yaml.reader.Reader)["NON_PRINTABLE"], re.Pattern))
"""
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n") == ["False re", "True True", ""]


def test_records_read_in_many_threads_at_once_leave_re_and_pyyaml_as_they_were() -> None:
    program = """
import re, threading
from concurrent.futures import ThreadPoolExecutor
from annot.records import load_text
start = threading.Barrier(8)
def load(n):
    start.wait()
    return load_text(f"a: {n}\\n").data["a"]
with ThreadPoolExecutor(8) as pool:
    print(sorted(pool.map(load, range(8))) == list(range(8)))
import yaml
print(re.compile.__module__, yaml.safe_load("a: b"), isinstance(re.compile("x"), re.Pattern))
try:
    yaml.load("a: b\\x07", Loader=yaml.BaseLoader)
except yaml.reader.ReaderError as exc:
    print(exc.character)
"""
    for _ in range(3):  # each run is a race, which the code before the lock lost in most runs
        done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
        assert done.stdout.split("\n") == ["True", "re {'a': 'b'} True", "7", ""]
