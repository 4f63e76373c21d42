"""`annot agree` output: Rich tables, JSON and CSV of one Agreement."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .render import dumps_json, printable

if TYPE_CHECKING:  # the command line imports this module for its formats, on every start
    from .agree import Agreement

# A cell a spreadsheet would read as a formula (OWASP's list of CSV injection's first characters).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMERIC = {"events", "matched", "precision", "recall", "F1", "units", "alpha", "Cohen's kappa"}


def _figure(value: float | None, digits: int = 3) -> str:
    if value is None:
        return "—"
    shown = f"{value:.{digits}f}"
    if value < 1 and shown == f"{1:.{digits}f}":  # a disagreement is never shown as perfect
        return f">{1 - 10 ** -digits:.{digits}f}"
    return shown


def agree_rich(result: Agreement, console: Any, details: bool = False) -> None:
    """Event detection, then agreement per field; with `details`, each disagreement."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    def table(title: str, *columns: str) -> Any:
        t = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, title_style="bold",
                  header_style="bold")
        for column in columns:
            t.add_column(column, overflow="fold", justify="right" if column in NUMERIC else "left")
        return t

    def show(t: Any) -> None:
        if console.is_terminal:
            console.print(t)
            return
        with console.capture() as captured:
            console.print(t)
        console.file.write("\n".join(line.rstrip() for line in captured.get().split("\n")))

    found = table(f"Events: {result.units} found, {result.paired} by at least two annotators",
                  "annotator", "events", "matched", "precision", "recall", "F1")
    for d in result.detection:
        found.add_row(Text(printable(d.annotator, one_line=True)), str(d.events), str(d.matched),
                      _figure(d.precision), _figure(d.recall), _figure(d.f1))
    show(found)
    two = len(result.annotators) == 2
    fields = table("Agreement per field (Krippendorff's alpha)", "field", "level", "units", "alpha",
                   *(["Cohen's kappa"] if two else []))
    for f in result.fields:
        fields.add_row(f.field, f.level, str(f.units), _figure(f.alpha) + ("*" if f.estimated else ""),
                       *([_figure(f.kappa)] if two else []))
    show(fields)
    if any(f.estimated for f in result.fields):
        console.print("* expected disagreement estimated from a fixed sample of the values")
    if details and result.disagreements:
        console.print(Text(f"Disagreements ({len(result.disagreements)})", style="bold"))
        lines, last = [], None
        for row in result.disagreements:
            if row.event != last:
                lines.append(printable(row.event, one_line=True))
                last = row.event
            said = "; ".join(f"{name}: {value or '—'}" for name, value in zip(result.annotators, row.values,
                                                                            strict=True))
            lines.append(printable(f"  {row.field}: {said}", one_line=True))
        console.file.write("\n".join(lines) + "\n")


def agree_json(result: Agreement, details: bool = False) -> str:
    """The whole result as JSON (disagreements with `details`)."""
    data: dict[str, Any] = {
        "annotators": result.annotators,
        "events": {"found": result.units, "paired": result.paired},
        "detection": [d._asdict() for d in result.detection],
        "fields": [f._asdict() for f in result.fields],
    }
    if details:
        data["disagreements"] = [
            {"event": d.event, "field": d.field,
             "values": dict(zip(result.annotators, d.values, strict=True))}
            for d in result.disagreements]
    return dumps_json(data)


def agree_csv(result: Agreement, details: bool = False) -> str:
    """One row per field (or, with `details`, per disagreement)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if details:
        writer.writerow([_cell(c) for c in ["event", "field", *result.annotators]])
        for d in result.disagreements:
            writer.writerow([_cell(c) for c in [d.event, d.field, *d.values]])
    else:
        writer.writerow(["field", "level", "units", "alpha", "kappa", "estimated"])
        for f in result.fields:
            writer.writerow([f.field, f.level, f.units, "" if f.alpha is None else round(f.alpha, 6),
                             "" if f.kappa is None else round(f.kappa, 6), str(f.estimated).lower()])
    return out.getvalue().rstrip("\n")


def _cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: one that would start a formula gets a leading
    quote (OWASP's advice)."""
    shown = printable(text, one_line=True)
    return "'" + shown if shown.startswith(FORMULA_STARTS) or text.startswith(FORMULA_STARTS) else shown


AGREE_FORMATS: dict[str, Callable[[Agreement, bool], str]] = {"json": agree_json, "csv": agree_csv}
