"""The corpus as a network for Gephi: actors as nodes, events as typed, dated edges.

Who met whom (a consult that happened, the summary's meeting rule) is an
undirected edge per pair; any other event that happened is a directed edge
from each actor to each recipient. Events that did not happen (planned,
hypothetical, negated) make no edge, as in the summary.

Written with the standard library, streaming: edges go to a temporary file
as they come (spilling to disk past a few megabytes), nodes are kept (one
per distinct actor: small), and the file is the header, the nodes, then the
edges. networkx and igraph do not read a graph that mixes directed and
undirected edges; `edges="meetings"` or `edges="directed"` gives them a
graph of one kind.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from .dates import bounds
from .summary import HAPPENED

if TYPE_CHECKING:
    from .export import Item
    from .summary import Party

EDGE_KINDS = ("all", "meetings", "directed")
NODE_KEYS = ("identity", "actor", "kind", "country", "organization", "sector", "wikidata")
EDGE_KEYS = ("event", "type", "mode", "relation", "factuality", "date", "end_date", "place", "country",
             "topics")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: Any) -> str:
    """A value as XML 1.0 can hold it (characters XML forbids become U+FFFD)."""
    return _NOT_XML.sub("\ufffd", "" if value is None else str(value))


def _attr(value: Any) -> str:
    return quoteattr(_text(value), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


class _Nodes:
    """Each distinct party once, with an id and what is known of it."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.attributes: dict[str, dict[str, Any]] = {}

    def id_of(self, party: Party, person: dict[str, Any], item: Item) -> str:
        if party.key in self.ids:
            return self.ids[party.key]
        self.ids[party.key] = node = f"n{len(self.ids)}"
        registry = item.record.registry
        known = registry.actors.get(party.key[len("actor:"):]) if registry and \
            party.key.startswith("actor:") else None
        source = {**person, **(known or {})}
        self.attributes[node] = {
            "label": party.label, "identity": party.key,
            "actor": party.key[len("actor:"):] if known is not None else None,
            **{k: source.get(k) for k in ("kind", "country", "organization", "sector", "wikidata")},
        }
        return node


def _edges(item: Item, nodes: _Nodes, edges: str) -> list[tuple[str, str, bool, str]]:
    """(source, target, directed, relation) of one event."""
    from .export import participants

    e = item.event
    if e.factuality not in HAPPENED:
        return []
    people = dict(zip((p.key for p in e.parties), participants(item), strict=False))
    found = []
    if e.type == "consult" and edges != "directed":
        for a, b in e.met:
            found.append((nodes.id_of(a, people[a.key], item), nodes.id_of(b, people[b.key], item),
                          False, "met"))
    elif e.type != "consult" and edges != "meetings":
        pairs = {(a.key, r.key): (a, r) for a in e.with_role("actor") for r in e.with_role("recipient")
                 if a.key != r.key}
        for a, r in pairs.values():
            found.append((nodes.id_of(a, people[a.key], item), nodes.id_of(r, people[r.key], item),
                          True, e.type))
    return found


def _edge_values(item: Item, relation: str) -> dict[str, Any]:
    e = item.event
    return {"event": e.id, "type": e.type, "mode": ";".join(e.modes), "relation": relation,
            "factuality": e.factuality, "date": e.date, "end_date": e.end_date, "place": e.place,
            "country": e.country, "topics": ";".join(e.topics)}


def write_graph(events: Iterable[Item], out: IO[str], fmt: str, edges: str = "all") -> int:
    """Write the network of `events` as GraphML or GEXF (fmt); how many events were read."""
    nodes = _Nodes()
    count = 0
    written = 0
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024, mode="w+", encoding="utf-8") as spool:
        for item in events:
            count += 1
            for source, target, directed, relation in _edges(item, nodes, edges):
                values = _edge_values(item, relation)
                spool.write((_graphml_edge if fmt == "graphml" else _gexf_edge)(
                    f"e{written}", source, target, directed, values))
                written += 1
        spool.seek(0)
        (_graphml_head if fmt == "graphml" else _gexf_head)(out, nodes, edges)
        while chunk := spool.read(1024 * 1024):
            out.write(chunk)
    out.write("  </graph>\n</graphml>\n" if fmt == "graphml" else "    </edges>\n  </graph>\n</gexf>\n")
    return count


# GraphML ---------------------------------------------------------------------------------------


def _graphml_head(out: IO[str], nodes: _Nodes, edges: str) -> None:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"\n'
              '         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n'
              '         xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
              'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    for key in ("label", *NODE_KEYS):
        out.write(f'  <key id="{key}" for="node" attr.name="{key}" attr.type="string"/>\n')
    for key in EDGE_KEYS:
        out.write(f'  <key id="e_{key}" for="edge" attr.name="{key}" attr.type="string"/>\n')
    default = "undirected" if edges == "meetings" else "directed"
    out.write(f'  <graph id="annot" edgedefault="{default}">\n')
    for node, values in nodes.attributes.items():
        data = "".join(f'<data key="{k}">{escape(_text(v))}</data>'
                       for k, v in values.items() if v is not None)
        out.write(f'    <node id="{node}">{data}</node>\n')


def _graphml_edge(edge: str, source: str, target: str, directed: bool, values: dict[str, Any]) -> str:
    data = "".join(f'<data key="e_{k}">{escape(_text(v))}</data>' for k, v in values.items() if v is not None)
    return (f'    <edge id="{edge}" source="{source}" target="{target}" '
            f'directed="{"true" if directed else "false"}">{data}</edge>\n')


# GEXF ------------------------------------------------------------------------------------------


def _gexf_head(out: IO[str], nodes: _Nodes, edges: str) -> None:
    default = "undirected" if edges == "meetings" else "directed"
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n'
              '  <meta><creator>annot</creator></meta>\n'
              f'  <graph defaultedgetype="{default}" mode="dynamic" timeformat="date">\n'
              '    <attributes class="node" mode="static">\n')
    for index, key in enumerate(NODE_KEYS):
        out.write(f'      <attribute id="{index}" title="{key}" type="string"/>\n')
    out.write('    </attributes>\n    <attributes class="edge" mode="static">\n')
    for index, key in enumerate(EDGE_KEYS):
        out.write(f'      <attribute id="{index}" title="{key}" type="string"/>\n')
    out.write("    </attributes>\n    <nodes>\n")
    for node, values in nodes.attributes.items():
        out.write(f'      <node id="{node}" label={_attr(values["label"])}>'
                  f'{_attvalues(NODE_KEYS, values)}</node>\n')
    out.write("    </nodes>\n    <edges>\n")


def _attvalues(keys: tuple[str, ...], values: dict[str, Any]) -> str:
    found = "".join(f'<attvalue for="{i}" value={_attr(values[k])}/>'
                    for i, k in enumerate(keys) if values.get(k) is not None)
    return f"<attvalues>{found}</attvalues>" if found else ""


def _gexf_edge(edge: str, source: str, target: str, directed: bool, values: dict[str, Any]) -> str:
    start = bounds(str(values["date"]))[0]
    end = bounds(str(values["end_date"] or values["date"]))[1]
    return (f'      <edge id="{edge}" source="{source}" target="{target}" '
            f'type="{"directed" if directed else "undirected"}" label={_attr(values["type"])} '
            f'start="{start}" end="{end}">{_attvalues(EDGE_KEYS, values)}</edge>\n')
