"""Turning results into text for people and machines. One function a format."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from .validate import ERROR, Problem, Report
from .vocabulary import ROLES

_RED, _YELLOW, _DIM, _BOLD, _RESET = "\x1b[31m", "\x1b[33m", "\x1b[2m", "\x1b[1m", "\x1b[0m"


_UNPRINTABLE = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0),
                 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
}


_ONE_LINE = {**_UNPRINTABLE, 0x0A: "\\n", 0x09: "\\t"}


def printable(text: str, *, one_line: bool = False) -> str:
    """`text` safe for a terminal: control characters, line and paragraph separators and
    bidirectional overrides shown as escapes (with `one_line`, newlines and tabs too);
    bytes of a name that is not UTF-8 as \\xNN."""
    if text.isprintable():
        return text  # what the tables map is all unprintable, and so is a lone surrogate
    text = text.translate(_ONE_LINE if one_line else _UNPRINTABLE)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from a file name that is not UTF-8
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


def problem_line(p: Problem, color: bool = False) -> str:
    """`FILE:LINE:COL: error: MESSAGE [RULE] at POINTER`."""
    where = f" at {printable(p.pointer, one_line=True)}" if p.pointer else ""
    severity = p.severity
    if color:
        tint = _RED if severity == ERROR else _YELLOW
        severity = f"{tint}{_BOLD}{severity}{_RESET}"
        where = f"{_DIM}{where}{_RESET}"
        rule = f"{_DIM}[{p.rule}]{_RESET}"
    else:
        rule = f"[{p.rule}]"
    return (f"{printable(p.file, one_line=True)}:{p.line}:{p.column}: {severity}: "
            f"{printable(p.message, one_line=True)} {rule}{where}")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def validate_text(report: Report, color: bool = False) -> str:
    """`FILE:LINE:COL: error: MESSAGE [RULE] at POINTER` lines, then a count."""
    lines = [problem_line(p, color) for p in report.problems]
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
    return dumps_json([{**p.as_dict(), "file": printable(p.file), "message": printable(p.message)}
                       for p in report.problems])


def _escape_data(text: str) -> str:
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


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


def validate_sarif(report: Report, color: bool = False) -> str:
    """SARIF 2.1.0, for code scanning: one run, annot's rules, one result a problem."""
    from . import __version__
    from .rules import RULES

    used = sorted({p.rule for p in report.problems})
    rules = [{"id": rule, "shortDescription": {
        "text": RULES[rule].finds.replace("*", "").replace("`", "") if rule in RULES else rule}}
        for rule in used]
    results = [{
        "ruleId": p.rule,
        "ruleIndex": used.index(p.rule),
        "level": p.severity,
        "message": {"text": printable(p.message + (f" at {p.pointer}" if p.pointer else ""))},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": _uri(p.file), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": p.line, "startColumn": p.column},
        }}],
    } for p in report.problems]
    return dumps_json({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "annot", "version": __version__, "rules": rules}},
                  "results": results}],
    })


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(printable(path).replace("\\", "/"))


VALIDATE_FORMATS: dict[str, Callable[[Report, bool], str]] = {
    "text": validate_text,
    "json": validate_json,
    "github": validate_github,
    "sarif": validate_sarif,
}
REPO_RELATIVE_FORMATS = {"github", "sarif"}  # paths relative to the git root, as code scanning wants


def dumps_json(data: Any) -> str:
    """JSON as annot prints it: indented, Unicode as itself, and valid JSON: a NaN or an
    infinity from a record is written as the string YAML spells it (.nan, .inf, -.inf)."""
    try:
        return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    except ValueError:  # a NaN or an infinity somewhere: rare, so only then is every value visited
        return json.dumps(_finite(data), indent=2, ensure_ascii=False, allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and value != value or value in (float("inf"), float("-inf")):
        return ".nan" if value != value else (".inf" if value > 0 else "-.inf")
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


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
        line = printable(line, one_line=True)
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


# annot summary --------------------------------------------------------------


def _what(e: Any) -> str:
    """The event's sentence, and who else was present."""
    present = ", ".join(p.label for p in e.with_role("attendee"))
    return f"{e.sentence}; present: {present}" if present else e.sentence


def _where(place: str | None, country: str | None, missing: str = "—") -> str:
    if place and country:
        return f"{place}, {country}"
    return place or country or missing


# Each format draws one event on its own (where its record was checked: in a worker, when
# there are many), then the document around the events drawn.


def summary_event_text(e: Any) -> tuple[str, str]:
    """An event's date, and its line in the terminal (made printable, not yet wrapped)."""
    return e.when, printable(f"{_where(e.place, e.country) + ': ' if (e.place or e.country) else ''}"
                             f"{_what(e)} [{', '.join(e.topics)}] {e.status or ''}".rstrip(), one_line=True)


def summary_event_json(e: Any) -> str:
    """An event's JSON, indented as it sits in the summary's list of events: the bytes
    `_json` writes of `e.as_data()`, from the event's known shape (each event is drawn
    this way, so its cost is the summary's per-event cost)."""
    if not all(value is None or isinstance(value, str) for value in (e.place, e.country, e.status)):
        return _json(e.as_data(), " " * 4)  # what a custom schema lets through may be anything
    roles: dict[str, list[str]] = {"actor": [], "recipient": [], "mediator": [], "attendee": []}
    for p in e.parties:
        if p.role in roles:
            roles[p.role].append(p.label)
    met = ",\n".join([f'        {{\n          "a": {_string(a.label)},\n          "b": {_string(b.label)}\n'
                      "        }" for a, b in e.met])
    met = "[\n" + met + "\n      ]" if met else "[]"
    return (f'{{\n      "id": {_string(e.id)},\n      "file": {_string(e.file)},\n'
            f'      "date": {_string(e.date)},\n      "end_date": {_nullable(e.end_date)},\n'
            f'      "type": {_string(e.type)},\n      "mode": {_strings(e.modes)},\n'
            f'      "factuality": {_string(e.factuality)},\n      "place": {_nullable(e.place)},\n'
            f'      "country": {_nullable(e.country)},\n      "sentence": {_string(e.sentence)},\n'
            f'      "actors": {_strings(roles["actor"])},\n'
            f'      "recipients": {_strings(roles["recipient"])},\n'
            f'      "mediators": {_strings(roles["mediator"])},\n'
            f'      "attendees": {_strings(roles["attendee"])},\n'
            f'      "met": {met},\n'
            f'      "topics": {_strings(e.topics)},\n      "status": {_nullable(e.status)}\n    }}')


def _nullable(text: str | None) -> str:
    return "null" if text is None else _string(text)


def _strings(texts: list[str]) -> str:
    """A list of strings as it sits in an event's field."""
    return '[\n        ' + ',\n        '.join(map(_string, texts)) + '\n      ]' if texts else "[]"


def _json(data: Any, pad: str = "") -> str:
    """What dumps_json writes of `data`, indented to sit at `pad` in a document.

    json indents in pure Python, at twice the cost of `_layout`: a summary's JSON is most
    of its own work, so its events, meetings and dyads are laid out here. What a custom
    schema lets through (a number, a NaN) is left to json."""
    try:
        return _layout(data, pad)
    except ValueError:
        return dumps_json(data).replace("\n", "\n" + pad)  # a JSON string holds no newline


def _layout(value: Any, pad: str) -> str:
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if type(value) is int:
        return int.__repr__(value)
    inner = pad + "  "
    # A string, the most common value by far, is written without a call of _layout.
    if type(value) is list:
        if not value:
            return "[]"
        return "[\n" + ",\n".join([inner + (_string(item) if type(item) is str else _layout(item, inner))
                                    for item in value]) + "\n" + pad + "]"
    if type(value) is dict and all(type(key) is str for key in value):
        if not value:
            return "{}"
        return "{\n" + ",\n".join([f"{inner}{_string(key)}: "
                                    f"{_string(item) if type(item) is str else _layout(item, inner)}"
                                    for key, item in value.items()]) + "\n" + pad + "}"
    raise ValueError(f"{type(value).__name__}: left to json")


_string = json.encoder.encode_basestring  # a string as json.dumps(ensure_ascii=False) writes it


def summary_event_markdown(e: Any) -> str:
    """An event's row in the Markdown table of events."""
    return _md_row([e.when, _where(e.place, e.country), _what(e), ", ".join(e.topics), e.status or ""])


def summary_event_csv(e: Any) -> str:
    """An event's CSV row (without its line end)."""
    import csv
    import io

    from .summary import labels

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([printable(str(cell)) for cell in [
        e.id, e.date, e.end_date or "", e.type, ";".join(e.modes), e.factuality, e.sentence,
        *(";".join(found) for found in labels(e.parties)),
        e.place or "", e.country or "", ";".join(e.topics), e.status or ""]])
    return out.getvalue()[:-1]


SUMMARY_EVENTS: dict[str, Callable[[Any], Any]] = {
    "text": summary_event_text,
    "json": summary_event_json,
    "markdown": summary_event_markdown,
    "csv": summary_event_csv,
}


# Below U+0300 (where combining marks start) each printable character takes one cell.
_FROM_U0300 = re.compile("[\u0300-\U0010ffff]")


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` terminal cells, broken between words only.

    Rich measures cells (a Chinese character takes two); its own wrapping
    cannot indent continuation lines, and a table is too slow for 20,000 rows.
    """
    from rich.cells import cell_len

    measure = len if text.isascii() or not _FROM_U0300.search(text) else cell_len
    if measure(text) <= width:
        return [text]
    if measure is cell_len or width < 1 or "  " in text or text[0] == " " or text[-1] == " ":
        return _wrap_words(text, width, measure)
    # Words one space apart, a character a cell: each line ends at the last space that fits
    # (found in C; a summary wraps every event, and the loop over words was most of its drawing).
    lines = []
    while len(text) > width:
        cut = text.rfind(" ", 0, width + 1)
        if cut < 0:  # a first word wider than the line: a line of its own
            cut = text.find(" ")
            if cut < 0:
                break
        lines.append(text[:cut])
        text = text[cut + 1 :]
    lines.append(text)
    return lines


def _wrap_words(text: str, width: int, measure: Callable[[str], int]) -> list[str]:
    lines: list[str] = []
    current, used = "", 0
    for word in text.split(" "):
        size = measure(word)
        if current and used + 1 + size > width:
            lines.append(current)
            current, used = word, size
        else:
            current, used = (f"{current} {word}", used + 1 + size) if current else (word, size)
    lines.append(current)
    return lines


TOP_ROWS = 25  # rows of a ranked table in the terminal; JSON and CSV hold them all


def summary_rich(summary: Any, console: Any) -> None:
    """Draw the summary on a Rich console.

    Each event is one line (wrapped, never cut); then who met whom, places
    and topics, most frequent first, and a timeline with bars.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    def table(title: str, *columns: str) -> Any:
        t = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=False,
                  title_style="bold", header_style="bold")
        for column in columns:
            t.add_column(column, overflow="fold")
        return t

    def show(table: Any) -> None:
        """A table; piped, without the padding Rich leaves at the end of each line."""
        if console.is_terminal:
            console.print(table)
            return
        with console.capture() as captured:
            console.print(table)
        console.file.write("\n".join(line.rstrip() for line in captured.get().split("\n")))

    def more(rows: int, what: str) -> None:
        if rows > TOP_ROWS:
            console.print(f"  … and {rows - TOP_ROWS} more {what} (--format json or csv lists all)\n")

    def block(title: str, entries: list[tuple[str, str]], indent: int) -> None:
        """A bold title, then each entry's head and (printable) text wrapped with a hanging
        indent."""
        console.print(Text(title, style="bold"))
        lines = []
        pad = " " * indent
        width = console.width - indent
        for head, text in entries:
            wrapped = _wrap(text, width)
            lines.append(f"{printable(head):<{indent}}{wrapped[0]}")
            lines.extend(pad + more_line for more_line in wrapped[1:])
        # Already wrapped plain text, written as it is: Rich would split and
        # sanitise 40,000 lines again for a 20,000-event corpus.
        console.file.write("\n".join(lines) + "\n\n")

    # The events come drawn by summary_event_text.
    block(f"Events ({len(summary.events)})", summary.events,
          indent=max((len(when) for when, _ in summary.events), default=10) + 2)
    if summary.meetings:
        shown = summary.meetings[:TOP_ROWS]
        block(f"Who met whom ({_plural(len(summary.meetings), 'pair')})", [
            (f"{m.times}x", printable(f"{m.a} met {m.b}: {', '.join(m.events)}", one_line=True))
            for m in shown
        ], indent=6)
        more(len(summary.meetings), "pairs")
    if summary.dyads:
        block(f"Who did what to whom ({_plural(len(summary.dyads), 'dyad')})", [
            (f"{d.times}x",
             printable(f"{d.actor} → {d.recipient} ({d.type}): {', '.join(d.events)}", one_line=True))
            for d in summary.dyads[:TOP_ROWS]
        ], indent=6)
        more(len(summary.dyads), "dyads")
    if summary.places:
        places = table("Places", "Place", "Events")
        for place, country, count, _ in summary.places[:TOP_ROWS]:
            places.add_row(Text(printable(_where(place, country, "unknown"), one_line=True)), str(count))
        show(places)
        more(len(summary.places), "places")
    if summary.topics:
        topics = table("Topics", "Topic", "Events")
        for topic, count in summary.topics[:TOP_ROWS]:
            topics.add_row(Text(printable(topic, one_line=True)), str(count))
        show(topics)
        more(len(summary.topics), "topics")
    if summary.timeline:
        timeline = table("Timeline", "Period", "Events", "")
        top = max(n for _, n in summary.timeline)
        for month, count in summary.timeline:
            timeline.add_row(month, str(count), "█" * max(1, round(30 * count / top)))
        show(timeline)
    if summary.skipped:
        console.print(f"{summary.skipped} invalid record{'s' * (summary.skipped != 1)} skipped "
                      "(see annot validate)")


def summary_json(summary: Any) -> Iterator[str]:
    """events, meetings, dyads, places, topics, timeline, as JSON, in pieces to write as they
    are made (the whole document would be one more copy of every event in memory); the
    events come drawn by summary_event_json."""
    yield '{\n  "events": '
    yield from _json_list(summary.events)
    yield ',\n  "meetings": '
    yield from _json_list(summary.meetings, _meeting_json)
    yield ',\n  "dyads": '
    yield from _json_list(summary.dyads, _dyad_json)
    yield ",\n" + _json(summary.counts_as_data())[2:]  # "{\n  "places": ..."


def _json_list(items: list[Any], draw: Callable[[Any], str] | None = None) -> Iterator[str]:
    """A list of the summary's JSON, each item drawn (by `draw`, unless it is already) to
    sit in it, in pieces of many items."""
    if not items:
        yield "[]"
        return
    drawn = iter(items if draw is None else map(draw, items))
    yield "[\n    " + ",\n    ".join(islice(drawn, _PIECE))
    while piece := ",\n    ".join(islice(drawn, _PIECE)):
        yield ",\n    " + piece
    yield "\n  ]"


_PIECE = 1000  # items in a piece of output: about a megabyte of events


def _meeting_json(m: Any) -> str:
    """A meeting's JSON, as `Summary.as_data` has it, indented to sit in the list of meetings."""
    return (f'{{\n      "a": {_string(m.a)},\n      "b": {_string(m.b)},\n      "count": {m.times},\n'
            f'      "events": {_strings(m.events)}\n    }}')


def _dyad_json(d: Any) -> str:
    """A dyad's JSON, as `Summary.as_data` has it, indented to sit in the list of dyads."""
    return (f'{{\n      "actor": {_string(d.actor)},\n      "recipient": {_string(d.recipient)},\n'
            f'      "type": {_string(d.type)},\n      "count": {d.times},\n'
            f'      "events": {_strings(d.events)}\n    }}')


def _cell(text: Any) -> str:
    return printable(str(text).replace("|", "\\|").replace("\n", " "))


def _md_row(cells: list[Any]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _md_table(header: list[str], rows: list[str]) -> list[str]:
    """A table of rows already drawn by _md_row."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + rows + [""]


def summary_markdown(summary: Any) -> Iterator[str]:
    """Markdown tables, for a report or a pull-request comment (in one piece)."""
    lines = [f"## Events ({len(summary.events)})", ""]
    lines += _md_table(["Date", "Place", "What happened", "Topics", "Status"], summary.events)
    if summary.meetings:
        lines += ["## Who met whom", ""]
        lines += _md_table(["Party", "Met", "Times", "Events"],
                           [_md_row([m.a, m.b, m.times, ", ".join(m.events)]) for m in summary.meetings])
    if summary.dyads:
        lines += ["## Who did what to whom", ""]
        lines += _md_table(["Actor", "Recipient", "Type", "Times", "Events"],
                           [_md_row([d.actor, d.recipient, d.type, d.times, ", ".join(d.events)])
                            for d in summary.dyads])
    if summary.places:
        lines += ["## Places", ""]
        lines += _md_table(["Place", "Events"],
                           [_md_row([_where(p, c, "unknown"), n]) for p, c, n, _ in summary.places])
    if summary.topics:
        lines += ["## Topics", ""]
        lines += _md_table(["Topic", "Events"], [_md_row([t, n]) for t, n in summary.topics])
    if summary.timeline:
        lines += ["## Timeline", ""]
        lines += _md_table(["Period", "Events"], [_md_row([m, n]) for m, n in summary.timeline])
    if summary.skipped:
        lines += [f"{summary.skipped} invalid record{'s' * (summary.skipped != 1)} skipped.", ""]
    yield "\n".join(lines).rstrip("\n")


def summary_csv(summary: Any) -> Iterator[str]:
    """One row per event, for spreadsheets; lists joined with ";". The events come drawn
    by summary_event_csv, and are written in pieces of many rows."""
    yield ",".join(["event", "date", "end_date", "type", "mode", "factuality", "sentence",
                    *(f"{r}s" for r in ROLES), "place", "country", "topics", "status"])
    for start in range(0, len(summary.events), _PIECE):
        yield "\n" + "\n".join(summary.events[start:start + _PIECE])


# Each yields the document in pieces, to be written one after the other.
SUMMARY_FORMATS: dict[str, Callable[[Any], Iterable[str]]] = {
    "json": summary_json,
    "markdown": summary_markdown,
    "csv": summary_csv,
}


# annot vocab ------------------------------------------------------------------


def vocab_text(vocabularies: dict[str, list[Any]], width: int) -> str:
    """Each vocabulary as a titled list: code, then its meaning wrapped under a hanging indent."""
    out: list[str] = []
    for kind, entries in vocabularies.items():
        out.append(f"{kind.capitalize()} ({len(entries)})")
        column = min(max((len(e.code) for e in entries), default=0) + 2, 20)
        group = None
        for entry in entries:
            if entry.type and entry.type != group:
                group = entry.type
                out.append(f"  {group}")
            margin = "    " if entry.type else "  "
            pad = margin + " " * column
            first, *rest = _wrap(_one_line(entry.meaning), max(20, width - len(pad)))
            code = margin + entry.code
            if len(code) + 1 > len(pad):
                out += [code, pad + first]
            else:
                out.append((code.ljust(len(pad)) + first).rstrip())
            out.extend(pad + line for line in rest)
        out.append("")
    return "\n".join(out).rstrip("\n")


def vocab_json(vocabularies: dict[str, list[Any]], width: int = 0) -> str:
    """{kind: [{code, meaning} (and type, for modes)]}."""
    return dumps_json({kind: [{k: v for k, v in e._asdict().items() if v} for e in entries]
                       for kind, entries in vocabularies.items()})


def _one_line(text: str) -> str:
    return " ".join(text.split())


VOCAB_FORMATS: dict[str, Callable[[dict[str, list[Any]], int], str]] = {
    "text": vocab_text,
    "json": vocab_json,
}


# annot actors -----------------------------------------------------------------


def actors_text(listed: list[Any]) -> str:
    """One line an actor: id, name, kind, country, and how many records cite it."""
    if not listed:
        return "no actors (add them to actors.yaml, or see annot actors suggest)"
    width = max(len(a.id) for a in listed)
    lines = [printable(f"{a.id:<{width}}  {a.name} ({a.kind}{', ' + a.country if a.country else ''}): "
                       f"{len(a.events)} record{'s' * (len(a.events) != 1)}", one_line=True) for a in listed]
    return "\n".join(lines)


def actors_json(listed: list[Any]) -> str:
    """A JSON list of {id, name, kind, country, events}."""
    return dumps_json([a._asdict() for a in listed])


def actors_csv(listed: list[Any]) -> str:
    """One row an actor; events joined with ';'."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "name", "kind", "country", "records", "events"])
    for a in listed:
        writer.writerow([printable(str(c)) for c in [a.id, a.name, a.kind, a.country, len(a.events),
                                                      ";".join(a.events)]])
    return out.getvalue().rstrip("\n")


ACTOR_FORMATS: dict[str, Callable[[list[Any]], str]] = {
    "text": actors_text,
    "json": actors_json,
    "csv": actors_csv,
}
