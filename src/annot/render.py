"""Turning results into text for people and machines. One function a format."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .validate import ERROR, Report

_RED, _YELLOW, _DIM, _BOLD, _RESET = "\x1b[31m", "\x1b[33m", "\x1b[2m", "\x1b[1m", "\x1b[0m"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def validate_text(report: Report, color: bool = False) -> str:
    """`FILE:LINE:COL: error: MESSAGE [RULE] at POINTER` lines, then a count."""
    lines = []
    for p in report.problems:
        where = f" at {p.pointer}" if p.pointer else ""
        severity = p.severity
        if color:
            tint = _RED if severity == ERROR else _YELLOW
            severity = f"{tint}{_BOLD}{severity}{_RESET}"
            where = f"{_DIM}{where}{_RESET}"
            rule = f"{_DIM}[{p.rule}]{_RESET}"
        else:
            rule = f"[{p.rule}]"
        lines.append(f"{p.file}:{p.line}:{p.column}: {severity}: {p.message} {rule}{where}")
    files = _plural(report.files, "file")
    if report.problems:
        counts = [_plural(report.errors, "error")]
        if report.warnings:
            counts.append(_plural(report.warnings, "warning"))
        lines.append(f"{files} checked: {', '.join(counts)}")
    else:
        lines.append(f"{files} checked: no problems")
    return "\n".join(lines)


def validate_json(report: Report, color: bool = False) -> str:
    """A JSON list of {file, line, column, pointer, rule, severity, message}."""
    return json.dumps([p.as_dict() for p in report.problems], indent=2, ensure_ascii=False)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def validate_github(report: Report, color: bool = False) -> str:
    """GitHub Actions workflow commands, one a problem, so they annotate the diff."""
    lines = []
    for p in report.problems:
        where = f" at {p.pointer}" if p.pointer else ""
        lines.append(
            f"::{p.severity} file={_escape_property(p.file)},line={p.line},col={p.column},"
            f"title={_escape_property('annot ' + p.rule)}::{_escape_data(p.message + where)}"
        )
    return "\n".join(lines)


VALIDATE_FORMATS: dict[str, Callable[[Report, bool], str]] = {
    "text": validate_text,
    "json": validate_json,
    "github": validate_github,
}


def dumps_json(data: Any) -> str:
    """JSON as annot prints it: indented, Unicode as itself."""
    return json.dumps(data, indent=2, ensure_ascii=False)


# annot diff -----------------------------------------------------------------

_GREEN = "\x1b[32m"


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _literal(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def diff_text(diff: Any, color: bool = False) -> str:
    """One change a line: `+ path: value`, `- path`, `path: "old" -> "new"`."""
    lines = []
    for change in diff.changes:
        if change.op == "changed":
            line = f"{change.path}: {_literal(change.old)} -> {_literal(change.new)}"
            tint = _YELLOW
        else:
            sign, value = ("+", change.new) if change.op == "added" else ("-", change.old)
            shown = "" if isinstance(value, (dict, list)) else f": {_plain(value)}"
            line = f"{sign} {change.path}{shown}"
            tint = _GREEN if sign == "+" else _RED
        lines.append(f"{tint}{line}{_RESET}" if color else line)
    return "\n".join(lines)


def diff_json(diff: Any, color: bool = False) -> str:
    """A JSON list of {op, path, old, new}."""
    return dumps_json([c._asdict() for c in diff.changes])


def diff_patch(diff: Any, color: bool = False) -> str:
    """An RFC 6902 JSON Patch that turns the old side into the new."""
    return dumps_json([op.as_dict() for op in diff.patch])


DIFF_FORMATS: dict[str, Callable[[Any, bool], str]] = {
    "text": diff_text,
    "json": diff_json,
    "patch": diff_patch,
}
