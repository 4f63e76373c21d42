#!/usr/bin/env python3
"""Derive PLOVER's vocabularies from the LaTeX codebook into one JSON data file.

    python scripts/derive_plover.py [PATH_TO_TEX] [-o OUT] [--check]

Every code and meaning is parsed out of ``PLOVER_MANUAL.tex`` (openeventdata/PLOVER): the event
types (``\\section{...}`` in the "Event Categories" chapter, with their recipient requirement, quad
category and mode table), the general contexts (``tab:general-contexts``), the auxiliary modes, the
sector codes (``tab:roles``) and the country-name entities (``tab:nonstate`` plus Kosovo's "KOS").
Nothing is typed from memory; anything the parser does not recognise raises ``CodebookError``
rather than being guessed.

Standard library only (Python 3.11). The output is deterministic:
``json.dumps(data, indent=2, ensure_ascii=False) + "\\n"``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TEX = ROOT.parent / "shared" / "plover" / "PLOVER_MANUAL.tex"
DEFAULT_OUT = ROOT / "src" / "annot" / "data" / "plover.json"

# Provenance of the copy in ../shared/plover (see its README.md); not a vocabulary.
SOURCE = {"file": "PLOVER_MANUAL.tex", "repository": "openeventdata/PLOVER", "commit": "5e0c24f"}


class CodebookError(ValueError):
    """The codebook does not have the shape this parser expects."""


# --------------------------------------------------------------------------- low-level LaTeX scanning


def strip_comments(tex: str) -> str:
    """Remove ``%`` comments the way TeX does: the comment eats its newline and the next line's indent."""
    pieces: list[str] = []
    eat_indent = False
    lines = tex.split("\n")
    for n, line in enumerate(lines):
        if eat_indent:
            line = line.lstrip(" \t")
        cut = _comment_start(line)
        if cut is None:
            pieces.append(line + ("\n" if n < len(lines) - 1 else ""))
            eat_indent = False
        else:
            pieces.append(line[:cut])
            eat_indent = True
    return "".join(pieces)


def _comment_start(line: str) -> int | None:
    i = 0
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        if line[i] == "%":
            return i
        i += 1
    return None


def read_group(s: str, i: int, opening: str = "{", closing: str = "}") -> tuple[str, int]:
    """The content of the balanced group opening at ``s[i]``, and the index just after it."""
    if i >= len(s) or s[i] != opening:
        raise CodebookError(f"expected {opening!r} at: {s[i : i + 60]!r}")
    depth = 0
    j = i
    while j < len(s):
        c = s[j]
        if c == "\\":
            j += 2
            continue
        if c == opening:
            depth += 1
        elif c == closing:
            depth -= 1
            if depth == 0:
                return s[i + 1 : j], j + 1
        j += 1
    raise CodebookError(f"unbalanced {opening}{closing} group at: {s[i : i + 60]!r}")


def _skip_space(s: str, i: int) -> int:
    while i < len(s) and s[i] in " \t\n":
        i += 1
    return i


def find_envs(tex: str, name: str) -> list[tuple[int, int, int, int]]:
    """(start, body_start, body_end, end) of each outermost ``\\begin{name}...\\end{name}``."""
    token = re.compile(r"\\(begin|end)\{" + re.escape(name) + r"\}")
    spans: list[tuple[int, int, int, int]] = []
    depth = 0
    start = body_start = 0
    for m in token.finditer(tex):
        if m.group(1) == "begin":
            if depth == 0:
                start, body_start = m.start(), m.end()
            depth += 1
        else:
            depth -= 1
            if depth < 0:
                raise CodebookError(f"\\end{{{name}}} without \\begin at offset {m.start()}")
            if depth == 0:
                spans.append((start, body_start, m.start(), m.end()))
    if depth:
        raise CodebookError(f"unclosed \\begin{{{name}}}")
    return spans


def env_with_label(tex: str, names: Sequence[str], label: str) -> str:
    """The body of the one environment (of the given names) that holds ``\\label{label}``."""
    found = [
        tex[b:e] for name in names for _, b, e, _ in find_envs(tex, name) if f"\\label{{{label}}}" in tex[b:e]
    ]
    if len(found) != 1:
        raise CodebookError(f"expected one {'/'.join(names)} labelled {label}, found {len(found)}")
    return found[0]


def remove_command(s: str, name: str) -> str:
    """Drop every ``\\name[opt]{arg}`` from raw LaTeX."""
    pattern = re.compile(r"\\" + name + r"(?![A-Za-z])")
    while m := pattern.search(s):
        i = _skip_space(s, m.end())
        if i < len(s) and s[i] == "[":
            _, i = read_group(s, i, "[", "]")
        _, i = read_group(s, _skip_space(s, i))
        s = s[: m.start()] + s[i:]
    return s


def split_top(s: str, sep: str) -> list[str]:
    """Split raw LaTeX on ``sep`` (``"\\\\\\\\"`` for table rows or ``"&"`` for cells) outside braces."""
    parts: list[str] = []
    depth = 0
    last = i = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            if sep == "\\\\" and depth == 0 and s.startswith("\\\\", i):
                parts.append(s[last:i])
                i += 2
                last = i
                continue
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(s[last:i])
            last = i + 1
        i += 1
    parts.append(s[last:])
    return parts


# --------------------------------------------------------------------------- LaTeX -> plain text

# \plcat, \plcon, \plmod and \ti are the codebook's own \newcommand font switches.
KEEP_ARGUMENT = frozenset("txt texttt textit ti emph textbf textsf plcat plcon plmod hyperref".split())
DROP_WITH_ARGUMENT = {"footnote", "fn", "citep", "citet", "cite", "label"}
SYMBOLS = {"ldots": "…", "dots": "…", "_": "_", "&": "&", "%": "%", "$": "$", "#": "#", ",": " ", " ": " "}
REFERENCES = {"ref", "autoref"}
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")


class Converter:
    """Plain text from the LaTeX of one cell or paragraph; references resolve to their titles."""

    def __init__(self, labels: dict[str, tuple[str, str]]) -> None:
        self.labels = labels

    def __call__(self, latex: str) -> str:
        text = self._convert(latex)
        for before, after in (("---", "—"), ("--", "–"), ("``", '"'), ("''", '"'), ("`", "'")):
            text = text.replace(before, after)
        return re.sub(r"\s+", " ", text).strip()

    def _convert(self, s: str) -> str:
        out: list[str] = []
        i = 0
        while i < len(s):
            c = s[i]
            if c == "\\":
                m = _COMMAND.match(s, i)
                if m is None:
                    raise CodebookError(f"dangling backslash in {s!r}")
                name, i = m.group(1), m.end()
                if name == "\\":
                    out.append(" ")
                elif name in SYMBOLS:
                    out.append(SYMBOLS[name])
                    if name.isalpha():
                        i = _skip_space(s, i)
                elif name in KEEP_ARGUMENT | DROP_WITH_ARGUMENT | REFERENCES:
                    i = _skip_space(s, i)
                    if i < len(s) and s[i] == "[":
                        _, i = read_group(s, i, "[", "]")
                    argument, i = read_group(s, _skip_space(s, i))
                    if name in KEEP_ARGUMENT:
                        out.append(self._convert(argument))
                    elif name in REFERENCES:
                        out.append(self._reference(name, argument))
                else:
                    raise CodebookError(f"unsupported LaTeX command \\{name} in {s!r}")
            elif c in "{}$":
                i += 1
            elif c == "~":
                out.append(" ")
                i += 1
            else:
                out.append(c)
                i += 1
        return "".join(out)

    def _reference(self, command: str, label: str) -> str:
        if label not in self.labels:
            raise CodebookError(f"\\{command}{{{label}}}: no such label")
        kind, title = self.labels[label]
        quoted = f'"{self._convert(title).strip()}"'
        # \ref prints a bare number, so the codebook writes "Section \ref{...}"; \autoref names the kind.
        return quoted if command == "ref" else f"{kind} {quoted}"


def collect_labels(tex: str) -> dict[str, tuple[str, str]]:
    """label -> (kind, raw LaTeX title) for labelled headings and tables."""
    labels: dict[str, tuple[str, str]] = {}
    for m in re.finditer(r"\\(chapter|section|subsection|subsubsection)\*?(?=\{)", tex):
        title, i = read_group(tex, m.end())
        after = re.match(r"\s*\\label\{([^}]*)\}", tex[i:])
        if after:
            labels[after.group(1)] = ("chapter" if m.group(1) == "chapter" else "section", title)
    for name in ("table", "longtable"):
        for _, b, e, _ in find_envs(tex, name):
            body = tex[b:e]
            caption = re.search(r"\\caption(?=\{)", body)
            for label in re.findall(r"\\label\{([^}]*)\}", body):
                if caption:
                    labels[label] = ("table", read_group(body, caption.end())[0])
    return labels


# --------------------------------------------------------------------------- tables


def tabular_rows(body: str) -> list[list[str]]:
    """Raw cells of each non-empty row of a tabular/longtable body (column spec already skipped)."""
    for command in ("caption", "label", "multicolumn"):
        body = remove_command(body, command)
    body = re.sub(r"\\hline(?![A-Za-z])|\\cline\{[^}]*\}", " ", body)
    rows = []
    for row in split_top(body, "\\\\"):
        if row.strip():
            rows.append([cell.strip() for cell in split_top(row, "&")])
    return rows


def tabular_body(env_body: str, name: str) -> str:
    """The rows of the one ``name`` environment (tabular, longtable) found in ``env_body``, after its spec."""
    if name == "longtable":
        # env_body is already the longtable's own body.
        inner = env_body
    else:
        spans = find_envs(env_body, name)
        if len(spans) != 1:
            raise CodebookError(f"expected one {name}, found {len(spans)}")
        inner = env_body[spans[0][1] : spans[0][2]]
    i = _skip_space(inner, 0)
    if i < len(inner) and inner[i] == "[":
        _, i = read_group(inner, i, "[", "]")
    _, i = read_group(inner, _skip_space(inner, i))
    return inner[i:]


def two_column(
    rows: list[list[str]], to_text: Converter, header: tuple[str, str] | None, where: str
) -> list[tuple[str, str]]:
    """(first cell, raw second cell) rows; a row whose first cell is empty continues the previous row."""
    if header is not None:
        got = tuple(to_text(cell) for cell in rows[0]) if rows else ()
        if got != header:
            raise CodebookError(f"{where}: header {got!r}, expected {header!r}")
        rows = rows[1:]
    out: list[tuple[str, str]] = []
    for cells in rows:
        if len(cells) != 2:
            raise CodebookError(f"{where}: row with {len(cells)} cells: {cells!r}")
        first, second = to_text(cells[0]), cells[1]
        if not first:
            if not out:
                raise CodebookError(f"{where}: continuation row before any row: {cells!r}")
            out[-1] = (out[-1][0], out[-1][1] + "\n" + second)
        else:
            out.append((first, second))
    return out


def _checked(code: str, pattern: str, where: str) -> str:
    if not re.fullmatch(pattern, code):
        raise CodebookError(f"{where}: unexpected code {code!r} (wanted {pattern})")
    return code


def _meaning(raw: str, to_text: Converter, where: str) -> str:
    text = to_text(raw)
    if not text:
        raise CodebookError(f"{where}: empty meaning")
    return text


# --------------------------------------------------------------------------- event types


def _chapter(tex: str, title: str) -> str:
    m = re.search(r"\\chapter\{" + re.escape(title) + r"\}", tex)
    if m is None:
        raise CodebookError(f"no \\chapter{{{title}}}")
    following = re.compile(r"\\chapter\*?\{").search(tex, m.end())
    return tex[m.end() : following.start() if following else len(tex)]


def _sections(text: str) -> list[tuple[str, str]]:
    """(raw title, body) of each ``\\section`` in ``text``."""
    heads = list(re.finditer(r"\\section(?=\{)", text))
    out = []
    for n, m in enumerate(heads):
        title, i = read_group(text, m.end())
        end = heads[n + 1].start() if n + 1 < len(heads) else len(text)
        out.append((title, text[i:end]))
    return out


def _one(pattern: str, text: str, where: str) -> re.Match[str]:
    found = list(re.finditer(pattern, text))
    if len(found) != 1:
        raise CodebookError(f"{where}: expected one match of {pattern!r}, found {len(found)}")
    return found[0]


def _list_items(body: str) -> list[str]:
    parts = re.split(r"\\item(?![A-Za-z])", body)
    if parts[0].strip():
        raise CodebookError(f"text before the first \\item: {parts[0]!r}")
    return parts[1:]


def _intro(body: str, to_text: Converter, where: str) -> str:
    """The section's opening paragraph, plain; a list it leads into (or opens with) is part of it."""
    intro = body[: body.find("\\subsection")] if "\\subsection" in body else body
    blocks: list[tuple[str, Any]] = []
    last = 0
    lists = sorted(
        (start, b, e, end) for name in ("itemize", "enumerate") for start, b, e, end in find_envs(intro, name)
    )
    for start, b, e, end in lists:
        blocks += [("text", p) for p in re.split(r"\n\s*\n", intro[last:start])]
        blocks.append(("list", [to_text(item) for item in _list_items(intro[b:e])]))
        last = end
    blocks += [("text", p) for p in re.split(r"\n\s*\n", intro[last:])]
    blocks = [(kind, value) for kind, value in blocks if kind == "list" or to_text(value)]
    if not blocks:
        raise CodebookError(f"{where}: no text before the first \\subsection")

    def sentences(items: list[str]) -> str:
        if not all(items):
            raise CodebookError(f"{where}: empty list item")
        return " ".join(item if item[-1] in ".;:!?" else item + "." for item in items)

    kind, value = blocks[0]
    if kind == "list":
        return sentences(value)
    text = to_text(value)
    if len(blocks) > 1 and blocks[1][0] == "list" and text[-1] not in '.!?"':
        text = (text if text.endswith(":") else text + ":") + " " + sentences(blocks[1][1])
    return text


def derive_types(tex: str, to_text: Converter) -> list[dict[str, Any]]:
    types = []
    for raw_title, body in _sections(_chapter(tex, "Event Categories")):
        name = _checked(to_text(raw_title), r"[A-Z]+", "event category")
        where = f"\\section{{{name}}}"
        recipient = _one(r"\\subsection\{Requires recipient:\s*(\w*)\s*\}", body, where).group(1)
        if recipient not in ("Yes", "No"):
            raise CodebookError(f"{where}: Requires recipient: {recipient!r}")
        quad = to_text(_one(r"\\subsection\{Quad category:([^}]*)\}", body, where).group(1)).lower()
        _checked(quad, r"(verbal|material) (cooperation|conflict)", where)
        supplementary = to_text(_one(r"\\subsection\{Supplementary fields:([^}]*)\}", body, where).group(1))

        tables = find_envs(body, "table")
        if len(tables) > 1:
            raise CodebookError(f"{where}: {len(tables)} tables")
        if supplementary.lower() == "none" and tables:
            raise CodebookError(f"{where}: 'Supplementary fields: None' but a mode table")
        if supplementary.lower() != "none" and not tables:
            raise CodebookError(f"{where}: 'Supplementary fields: {supplementary}' but no mode table")
        modes = []
        if tables:
            table = body[tables[0][1] : tables[0][2]]
            has_caption = re.search(r"\\caption(?=\{)", table)
            if has_caption is None:
                raise CodebookError(f"{where}: a table without a caption")
            caption = to_text(read_group(table, has_caption.end())[0])
            if not re.match(re.escape(name) + r" modes\b", caption):
                raise CodebookError(f"{where}: the table in this section is captioned {caption!r}")
            rows = tabular_rows(tabular_body(table, "tabular"))
            for code, raw in two_column(rows, to_text, ("Name", "Content"), f"{where} modes"):
                code = _checked(code, r"[a-z]+(-[a-z]+)*", f"{where} modes")
                modes.append({"code": code, "meaning": _meaning(raw, to_text, f"{where} mode {code}")})
            if len({m["code"] for m in modes}) != len(modes):
                raise CodebookError(f"{where}: duplicate mode codes")
        types.append(
            {
                "code": name.lower(),
                "meaning": _intro(body, to_text, where),
                "quad": quad,
                "requires_recipient": recipient == "Yes",
                "modes": modes,
            }
        )
    if not types:
        raise CodebookError("no event categories")
    return types


# --------------------------------------------------------------------------- other vocabularies


def derive_contexts(tex: str, to_text: Converter) -> list[dict[str, str]]:
    body = tabular_body(env_with_label(tex, ["longtable"], "tab:general-contexts"), "longtable")
    marker = body.find("\\endlastfoot")
    if marker < 0:
        raise CodebookError("tab:general-contexts: no \\endlastfoot")
    rows = tabular_rows(body[marker + len("\\endlastfoot") :])
    out = []
    for code, raw in two_column(rows, to_text, None, "tab:general-contexts"):
        code = _checked(code, r"[a-z]+(_[a-z]+)*", "tab:general-contexts")
        out.append({"code": code, "meaning": _meaning(raw, to_text, f"context {code}")})
    return out


def derive_auxiliary_modes(tex: str, to_text: Converter) -> list[dict[str, str]]:
    sections = [body for title, body in _sections(tex) if to_text(title) == "Auxiliary modes"]
    if len(sections) != 1:
        raise CodebookError(f"expected one \\section{{Auxiliary modes}}, found {len(sections)}")
    body = sections[0]
    lists = find_envs(body, "itemize")
    if len(lists) != 1:
        raise CodebookError(f"Auxiliary modes: expected one itemize, found {len(lists)}")
    out = []
    for item in _list_items(body[lists[0][1] : lists[0][2]]):
        m = re.fullmatch(r"\s*\\plcon\{([^}]*)\}:(.*)", item, re.DOTALL)
        if m is None:
            raise CodebookError(f"Auxiliary modes: unexpected item {item!r}")
        code = _checked(to_text(m.group(1)), r"[a-z]+", "Auxiliary modes")
        out.append({"code": code, "meaning": _meaning(m.group(2), to_text, f"auxiliary mode {code}")})
    # The prose before the examples names the same modes, in the same order.
    named = [to_text(c) for c in re.findall(r"\\plcon\{([^}]*)\}", body[: lists[0][0]])]
    if named != [m["code"] for m in out]:
        raise CodebookError(f"Auxiliary modes: prose names {named}, examples give {[m['code'] for m in out]}")
    return out


def derive_sectors(tex: str, to_text: Converter) -> list[dict[str, str]]:
    rows = tabular_rows(tabular_body(env_with_label(tex, ["longtable"], "tab:roles"), "longtable"))
    out = []
    for cells in rows:
        if len(cells) != 2:
            raise CodebookError(f"tab:roles: row with {len(cells)} cells: {cells!r}")
        code = to_text(cells[0])
        if re.fullmatch(r"[A-Z]{3}", code):
            out.append({"code": code, "meaning": _meaning(cells[1], to_text, f"sector {code}")})
        elif all(not to_text(c) or re.fullmatch(r"\\textbf\{[^{}]*\}", c) for c in cells) and cells[1]:
            continue  # a group heading: "Code | Frequently used codes", "~ | Less frequently used codes"
        else:
            raise CodebookError(f"tab:roles: unexpected row {cells!r}")
    return out


def derive_entities(tex: str, to_text: Converter) -> list[dict[str, str]]:
    table = env_with_label(tex, ["table"], "tab:nonstate")
    rows = tabular_rows(tabular_body(table, "tabular"))
    out = []
    for code, raw in two_column(rows, to_text, ("Code", "Name"), "tab:nonstate"):
        code = _checked(code, r"[A-Z]{3}", "tab:nonstate")
        out.append({"code": code, "name": _meaning(raw, to_text, f"entity {code}")})
    # "Note that one US-recognized independent country, Kosovo, also has its own country name entry.
    #  It does not have an ISO code; we use ``KOS''."
    m = _one(
        r"independent country,\s*([^,]+?),\s*also has its own country name entry\.\s*"
        r"It does not have an ISO code; we use\s*``([^'\"]+)(?:''|\")",
        tex,
        "Country names",
    )
    code = _checked(to_text(m.group(2)), r"[A-Z]{3}", "Country names")
    out.append({"code": code, "name": _meaning(m.group(1), to_text, f"entity {code}")})
    if len({e["code"] for e in out}) != len(out):
        raise CodebookError("duplicate entity codes")
    return out


# --------------------------------------------------------------------------- entry points


JSON_TABLES = {  # our name for each JSON object -> the codebook table that lists its fields
    "record": "tab:json", "entity": "tab:actorinfo", "text": "tab:textinfo",
    "citation": "tab:citeinfo", "location": "tab:locations",
}


def derive_json_layout(tex: str, to_text: Converter) -> dict[str, list[dict[str, str]]]:
    """The field names of PLOVER's JSON record and of its objects, from the tables of the
    codebook's JSON section (name, content; further columns are notes)."""
    layout = {}
    for name, label in JSON_TABLES.items():
        table = env_with_label(tex, ["table"], label)
        rows = tabular_rows(tabular_body(table, "tabular"))
        if not rows or to_text(rows[0][0]) != "Name" or to_text(rows[0][1]) != "Content":
            raise CodebookError(f"{label}: header {rows[:1]!r}, expected Name, Content")
        fields = []
        for cells in rows[1:]:
            field = to_text(cells[0])
            if not field:  # a continuation line of the previous row's content
                fields[-1]["content"] += " " + to_text(cells[1])
                continue
            fields.append({"name": _checked(field, r"[a-z]+(_[a-z]+)*", label),
                           "content": to_text(cells[1])})
        layout[name] = fields
    return layout


def derive_quad_codes(tex: str, to_text: Converter) -> dict[str, int]:
    """Each quad category's number (`quad_code`), from the table captioned "Quad categories in
    PLOVER" (its label is LaTeX's placeholder `default`, so the caption finds it)."""
    tables = [tex[b:e] for _, b, e, _ in find_envs(tex, "table") if "Quad categories in PLOVER" in tex[b:e]]
    if len(tables) != 1:
        raise CodebookError(f"expected one table captioned 'Quad categories in PLOVER', found {len(tables)}")
    rows = tabular_rows(tabular_body(tables[0], "tabular"))
    codes = {}
    for cells in rows[1:]:
        if len(cells) != 3:
            raise CodebookError(f"quad categories: row with {len(cells)} cells: {cells!r}")
        quad = _checked(to_text(cells[0]).lower(), r"(verbal|material) (cooperation|conflict)",
                        "quad categories")
        codes[quad] = int(_checked(to_text(cells[2]), r"[1-4]", "quad categories"))
    return codes


def derive(tex: str) -> dict[str, Any]:
    """Every PLOVER vocabulary annot ships, parsed from the codebook's LaTeX source."""
    tex = strip_comments(tex.replace("\r\n", "\n"))
    to_text = Converter(collect_labels(tex))
    return {
        "source": dict(SOURCE),
        "types": derive_types(tex, to_text),
        "contexts": derive_contexts(tex, to_text),
        "auxiliary_modes": derive_auxiliary_modes(tex, to_text),
        "sectors": derive_sectors(tex, to_text),
        "entities": derive_entities(tex, to_text),
        "quad_codes": derive_quad_codes(tex, to_text),
        "json_layout": derive_json_layout(tex, to_text),
    }


def render(data: dict[str, Any]) -> str:
    """The file's exact text."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def summary(data: dict[str, Any]) -> str:
    with_modes = [t for t in data["types"] if t["modes"]]
    return (
        f"{len(data['types'])} types ({len(with_modes)} with modes, "
        f"{sum(len(t['modes']) for t in with_modes)} modes), {len(data['contexts'])} contexts, "
        f"{len(data['auxiliary_modes'])} auxiliary modes, {len(data['sectors'])} sectors, "
        f"{len(data['entities'])} entities"
    )


def differences(old: Any, new: Any) -> list[str]:
    """Which parts of ``old`` (the file on disk) differ from ``new`` (the derivation), one line each."""
    said: list[str] = []
    _differences("", old, new, said)
    return said


def _differences(path: str, old: Any, new: Any, said: list[str]) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(new) + [k for k in old if k not in new]:
            where = f"{path}.{key}" if path else key
            if key not in old:
                said.append(f"{where}: missing from the file")
            elif key not in new:
                said.append(f"{where}: in the file but not derived")
            else:
                _differences(where, old[key], new[key], said)
    elif isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            said.append(f"{path}: {len(old)} entries in the file, {len(new)} derived")
        for n, (a, b) in enumerate(zip(old, new, strict=False)):
            code = b.get("code") if isinstance(b, dict) else None
            _differences(f"{path}[{n}]" + (f" ({code})" if code else ""), a, b, said)
    else:
        said.append(f"{path}: {_short(old)} in the file, {_short(new)} derived")


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Derive PLOVER's vocabularies from the LaTeX codebook.")
    parser.add_argument("tex", nargs="?", type=Path, default=DEFAULT_TEX, help=f"default: {DEFAULT_TEX}")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT, help=f"default: {DEFAULT_OUT}")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the output file differs from a derivation",
    )
    args = parser.parse_args(argv)

    try:
        data = derive(args.tex.read_text(encoding="utf-8"))
    except (OSError, CodebookError) as exc:
        print(f"derive_plover: {exc}", file=sys.stderr)
        return 2
    text = render(data)

    if args.check:
        try:
            on_disk = args.output.read_text(encoding="utf-8")
        except OSError as exc:
            print(f"{args.output}: cannot read ({exc.strerror})")
            return 1
        if on_disk == text:
            print(f"{args.output}: up to date ({summary(data)})")
            return 0
        try:
            said = differences(json.loads(on_disk), data)
        except json.JSONDecodeError as exc:
            said = [f"not valid JSON ({exc})"]
        print(f"{args.output}: differs from the derivation of {args.tex}")
        for line in said or ["same data, different formatting"]:
            print(f"  {line}")
        return 1

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}: {summary(data)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
