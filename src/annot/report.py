"""`annot report`: the corpus as one self-contained HTML page to look at.

The page holds the who-met-whom network (a small force layout written here,
in `data/report.js`: drag a node, hover for names and counts), the timeline,
places, topics, and each event with its evidence quotes highlighted in the
source text. Scripts and styles are inlined and a Content-Security-Policy
forbids the page any request, so it opens anywhere without a network. Every
value from a record is escaped.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from . import __version__
from .summary import Summary, aggregate

if TYPE_CHECKING:
    from .export import Found, Item

DATA = Path(__file__).parent / "data"
WHOLE = 20_000  # characters of an article shown whole; past that, the passages around the quotes
AROUND = 300  # characters of context each side of a quote in a long article
NETWORK_NODES = 200  # the most-met parties drawn; a force layout of thousands is unreadable
POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"


def _e(value: Any) -> str:
    """A value as HTML text: escaped, and its control characters (an escape sequence, a bell, a
    bidirectional override) shown as escapes, as the terminal shows them."""
    from .render import printable

    return html.escape("" if value is None else printable(str(value)), quote=True)


def write_report(events: Iterable[Item], out: IO[str]) -> int:
    """Write the report of `events` to `out`; how many events it shows."""
    from .export import evidence

    cards: list[tuple[tuple[str, str], str]] = []
    seen = []
    for item in events:
        seen.append(item.event)
        cards.append(((item.event.date, item.event.id), _card(item, evidence(item))))
    summary = aggregate(seen)
    cards.sort(key=lambda card: card[0])
    out.write(_head(summary))
    out.write(_network(summary))
    out.write(_timeline(summary))
    out.write(_counts("places", "Places", "Place", [(_where(p, c), n) for p, c, n, _ in summary.places]))
    out.write(_counts("topics", "Topics", "Topic", summary.topics))
    out.write(f'<section id="events"><h2>Events ({len(cards)})</h2>\n')
    for _, card in cards:
        out.write(card)
    script = (DATA / "report.js").read_text("utf-8")
    out.write(f"</section>\n</main>\n<script>\n{script}</script>\n</body>\n</html>\n")
    return len(cards)


def _where(place: str | None, country: str | None) -> str:
    if place and country:
        return f"{place}, {country}"
    return place or country or "unknown"


def _head(summary: Summary) -> str:
    style = (DATA / "report.css").read_text("utf-8")
    pairs, count = len(summary.meetings), len(summary.events)
    events = f"{count} event{'s' * (count != 1)}"
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>annot report: {events}</title>\n<style>\n{style}</style>\n"
        "</head>\n<body>\n<header><h1>annot report</h1>\n"
        f'<p class="meta">{events}, {pairs} pair{"s" * (pairs != 1)} who met, '
        f"written by annot {_e(__version__)}</p>\n"
        '<nav><a href="#network">Who met whom</a> <a href="#timeline">Timeline</a> '
        '<a href="#places">Places</a> <a href="#topics">Topics</a> <a href="#events">Events</a></nav>'
        "</header>\n<main>\n"
    )


def _json(data: Any) -> str:
    """JSON that cannot end the script element holding it."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _network(summary: Summary) -> str:
    from .render import printable

    met: dict[str, int] = {}
    for m in summary.meetings:
        met[m.a] = met.get(m.a, 0) + m.times
        met[m.b] = met.get(m.b, 0) + m.times
    shown = sorted(met, key=lambda name: (-met[name], name))[:NETWORK_NODES]
    index = {name: i for i, name in enumerate(shown)}
    data = {
        "nodes": [{"name": printable(name), "count": met[name]} for name in shown],
        "links": [{"source": index[m.a], "target": index[m.b], "count": m.times, "events": m.events}
                  for m in summary.meetings if m.a in index and m.b in index],
    }
    note = (f'<p class="meta">The {NETWORK_NODES} parties who met most, of {len(met)}.</p>'
            if len(met) > NETWORK_NODES else "")
    body = ('<svg id="graph" viewBox="0 0 800 480" role="img" aria-label="Who met whom"></svg>'
            '<div id="tip" hidden></div>' if shown else '<p class="meta">No meeting among these events.</p>')
    return (f'<section id="network"><h2>Who met whom</h2>\n'
            f'<p class="meta">Drag a name; hover for who met whom and how often.</p>{note}\n{body}\n'
            f'<script type="application/json" id="network-data">{_json(data)}</script>\n</section>\n')


def _bars(rows: list[tuple[str, int]], header: str) -> str:
    top = max((n for _, n in rows), default=1)
    lines = "".join(f'<tr><th scope="row">{_e(label)}</th><td class="n">{n}</td>'
                    f'<td class="bar"><span style="width:{100 * n / top:.1f}%"></span></td></tr>\n'
                    for label, n in rows)
    return (f"<table><thead><tr><th>{header}</th><th>Events</th><th></th></tr></thead>"
            f"<tbody>\n{lines}</tbody></table>")


def _timeline(summary: Summary) -> str:
    return f'<section id="timeline"><h2>Timeline</h2>\n{_bars(summary.timeline, "Period")}\n</section>\n'


def _counts(anchor: str, title: str, header: str, rows: list[tuple[str, int]]) -> str:
    return f'<section id="{anchor}"><h2>{title}</h2>\n{_bars(rows, header)}\n</section>\n'


def _card(item: Item, found: list[Found]) -> str:
    from .export import part
    from .stream import source_text

    e, data = item.event, item.data
    source = part(data, "source")
    where = f"{_where(e.place, e.country)}: " if e.place or e.country else ""
    meta = " · ".join(_e(x) for x in [e.type, *e.modes, e.factuality, ", ".join(e.topics), e.status,
                                        item.record.file] if x)
    quotes = "".join(
        f'<li><mark>{_e(f.quote)}</mark> <code>{_e(f.about)}</code>'
        + (f' <i lang="en">{_e(f.translation)}</i>' if f.translation else "")
        + ("" if f.start is not None else ' <span class="missing">(not found in the source text)</span>')
        + "</li>"
        for f in found)
    text = source_text(item.record.root, data)
    spans = [(f.start, f.end, str(f.about)) for f in found if f.start is not None and f.end is not None]
    title = source.get("title") or source.get("text") or source.get("url") or "the article"
    article = (f'<details><summary>Source: {_e(title)}</summary>\n<div class="source">'
               f"{_marked(text, spans)}</div></details>\n" if text is not None else "")
    link = (f'<p class="meta">{_e(source.get("url"))}</p>' if source.get("url") else "")
    return (f'<article class="event" id="event-{_e(e.id)}">\n<h3><span class="when">{_e(e.when)}</span> '
            f"{_e(where)}{_e(e.sentence)}</h3>\n<p class=\"meta\">{meta}</p>\n"
            + (f"<p>{_e(data.get('summary'))}</p>\n" if data.get("summary") else "")
            + (f'<ol class="evidence">{quotes}</ol>\n' if quotes else "") + link + article + "</article>\n")


def _marked(text: str, spans: list[tuple[int, int, str]]) -> str:
    """The article with each quote's span marked (overlapping quotes share a mark); a long
    article only around its quotes."""
    cuts = {0, len(text)}
    for start, end, _ in spans:
        cuts.update((start, end))
    if len(text) > WHOLE:
        shown = [(max(0, s - AROUND), min(len(text), e + AROUND)) for s, e, _ in spans] or [(0, AROUND)]
        for start, end in shown:
            cuts.update((start, end))
    else:
        shown = [(0, len(text))]
    edges = sorted(cuts)
    out: list[str] = []
    for start, end in zip(edges, edges[1:], strict=False):
        if not any(s <= start and end <= e for s, e in shown):
            if out and out[-1] != " … ":
                out.append(" … ")
            continue
        about = [a for s, e, a in spans if s <= start and end <= e]
        piece = _e(text[start:end])
        out.append(f'<mark title="{_e(", ".join(about))}">{piece}</mark>' if about else piece)
    return "".join(out)
