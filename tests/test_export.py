"""`annot export`: each format read back by the tools analysts use, streaming, bad input."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import unicodedata
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annot import quotes, vocabulary
from annot.quotes import locate, normalize, occurs

from .conftest import EXAMPLES, PROJECT, SEED_ID, seed_with

README = PROJECT / "README.md"


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """A copy of the shipped examples (11 records, a registry, the article)."""
    return Path(shutil.copytree(EXAMPLES, tmp_path / "examples"))


def summary_of(run, where: Path, *args: str) -> dict:
    result = run("summary", "--format", "json", *args, cwd=where)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# quotes.locate -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "quote", "passage"), [
    ("Le  2\nfévrier 2026, dit-il.", "2 février 2026", "2\nfévrier 2026"),
    ("M. \u201cNick\u201d Checker l\u2019a dit", 'M. "Nick" Checker l\'a', "M. \u201cNick\u201d Checker l\u2019a"),
    ("Le 2 fe\u0301vrier 2026", "2 février", "2 fe\u0301vrier"),  # the text in NFD, the quote in NFC
    ("a\u00a0:\u00a0b and more", "a : b", "a\u00a0:\u00a0b"),
    ("x+y (z) [w]", "(z) [w]", "(z) [w]"),
])
def test_locate_gives_offsets_into_the_original_text(text: str, quote: str, passage: str) -> None:
    start, end = locate(quote, text)
    assert text[start:end] == passage


def test_locate_finds_nothing_where_occurs_finds_nothing() -> None:
    assert locate("absent from it", "Le 2 février 2026") is None
    assert locate("   ", "Le 2 février 2026") is None
    assert locate("Le 2", "Le\u0301 2") is None  # an accent the quote lacks: not the same text


# Every kind of white space str.split() knows (\x1c, U+0085, U+2028 too), typographic marks, and
# accents composed and not (a text not in NFC is mapped cluster by cluster).
_TEXT = st.text(alphabet=st.sampled_from(list("ab e\u0301\u00e9\n\t\u2019'\"\u201c\u00a0\x1c\u0085\u2028")),
                max_size=40)


@given(_TEXT, st.integers(0, 40), st.integers(0, 40))
def test_locate_agrees_with_the_quote_rule(text: str, i: int, j: int) -> None:
    _agrees(text, i, j)


@given(_TEXT, st.integers(0, 40), st.integers(0, 40))
def test_locate_agrees_with_the_quote_rule_when_it_searches_with_a_pattern(text: str, i: int,
                                                                            j: int) -> None:
    """The same with every text long: searched as it is, with the quote as a pattern."""
    saved = quotes._SHORT
    quotes._SHORT = 10
    try:
        _agrees(text, i, j)
    finally:
        quotes._SHORT = saved


def _agrees(text: str, i: int, j: int) -> None:
    quote = text[min(i, j):max(i, j)]
    cuts_a_cluster = any(unicodedata.combining(c) for c in text[max(i, j):max(i, j) + 1] + quote[:1])
    if not occurs(quote, normalize(text)) or cuts_a_cluster:
        return
    found = locate(quote, text)
    assert found is not None
    assert normalize(text[found[0]:found[1]]) == normalize(quote)


# PLOVER ------------------------------------------------------------------------------------------


def test_plover_lines_follow_the_codebook_layout_and_offsets_slice_the_source(run, examples: Path) -> None:
    result = run("export", cwd=examples)
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 11
    fields = vocabulary.plover().json_fields
    article = (examples / "sources" / "mali-usa-audience-2026-02-02.fr.txt").read_text("utf-8")
    for line in lines:
        assert set(line) - set(fields["record"]) == {"date_precision"}  # annot's one field more
        assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", line[key]) for key in ("date", "enddate") if line[key])
        for entity in line["actor"] + line["recipient"]:
            assert set(entity) - set(fields["entity"]) == {"actor"}  # the registry id
        assert set(line["cite_info"]) <= set(fields["citation"])
        if line["event_loc"]:
            assert set(line["event_loc"]) <= set(fields["location"])
        record = json.loads(run("export", "--format", "jsonl", cwd=examples).stdout.splitlines()[
            [x["id"] for x in lines].index(line["id"])])
        quotes = [e["quote"] for e in record.get("evidence", [])]
        assert len(line["text_info"]) == len(quotes)
        for info, quote, text in zip(line["text_info"], quotes, line["event_text"], strict=True):
            assert set(info) - {"about"} <= set(fields["text"])
            assert normalize(article[info["start"]:info["end"]]) == normalize(quote)
            assert article[info["start"]:info["end"]] == text
    seed = next(x for x in lines if x["id"] == SEED_ID)
    assert seed["event"] == ["CONSULT"] and seed["mode"] == ["visit"] and seed["quad_code"] == 1
    assert seed["actor"][0]["entity_text"] == "Nick Checker"
    assert seed["actor"][0]["office"] == "Senior official, Bureau of African Affairs"
    assert seed["recipient"][0]["identifier_id"] is None  # no Wikidata id: never the registry's
    assert seed["recipient"][0]["actor"] == "abdoulaye-diop"
    assert (seed["date"], seed["enddate"], seed["date_precision"]) == ("2026-02-02", None, "day")
    assert seed["event_loc"]["extracted_place"] == "Bamako" and seed["event_loc"]["country"] == "Mali"
    assert seed["coder"] == "Jane Doe <jane@example.org>" and seed["coded_date"] == "2026-11-26"
    historical = next(x for x in lines if x["id"] == "2012-usa-suspends-military-aid-mali")
    assert historical["context"] == ["military", "historical"] and historical["quad_code"] == 4
    assert (historical["date"], historical["enddate"], historical["date_precision"]) == ("2012-01-01", None, "year")
    flintlock = next(x for x in lines if x["id"] == "2005-flintlock-exercises-mali")
    assert (flintlock["date"], flintlock["enddate"]) == ("2005-01-01", "2011-12-31")


def test_plover_cite_info_has_the_language_of_a_bcp47_tag(run, repo: Path) -> None:
    for tag, language in (("fr-ML", "fr"), ("fra", "fr"), ("ses", "ses")):  # ses has no two letters
        (repo / "events" / f"{SEED_ID}.yaml").write_text(seed_with(("language: fr", f"language: {tag}")), "utf-8")
        result = run("export", cwd=repo)
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["cite_info"]["language"] == language  # ISO 639-1, as the codebook asks


def test_quad_codes_and_json_fields_come_from_the_codebook() -> None:
    plover = vocabulary.plover()
    assert plover.quad_codes == {"verbal cooperation": 1, "material cooperation": 2,
                                 "verbal conflict": 3, "material conflict": 4}
    assert {"actor", "recipient", "event", "event_loc", "text_info", "cite_info", "coder",
            "coded_date"} <= set(plover.json_fields["record"])
    assert plover.json_fields["text"] == ("sequence", "start", "end", "text_story")


# CSV ---------------------------------------------------------------------------------------------


def test_csv_has_one_acled_like_row_per_event(run, examples: Path) -> None:
    result = run("export", "--format", "csv", "--type", "consult", cwd=examples)
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["event_id"] for r in rows] == [SEED_ID]
    row = rows[0]
    assert (row["actor1"], row["country1"], row["actor2"], row["country2"]) == (
        "Nick Checker", "USA", "Abdoulaye Diop", "MLI")
    assert row["attendees"] == "U.S. Ambassador to Mali" and row["sub_event_type"] == "visit"
    assert row["location"] == "Bamako" and row["iso3"] == "MLI" and row["year"] == "2026"


def test_csv_puts_a_meeting_of_equals_on_two_sides_and_geo_precision_on_acleds_scale(run, repo: Path) -> None:
    (repo / "events" / f"{SEED_ID}.yaml").write_text(seed_with(
        ("  basis: inferred", "  basis: inferred\n  resolution: 2"),  # PLOVER's province
        ("country: MLI\n    role: recipient", "country: MLI\n    role: actor"),
        ("country: USA\n    role: attendee", "country: USA\n    role: actor")), "utf-8")
    result = run("export", "--format", "csv", cwd=repo)
    assert result.exit_code == 0, result.stderr
    row = next(csv.DictReader(io.StringIO(result.stdout)))
    # Mali's minister on one side; the two Americans, actors beside him, on the other.
    assert (row["actor1"], row["assoc_actor_1"], row["country1"]) == ("Abdoulaye Diop", "", "MLI")
    assert (row["actor2"], row["assoc_actor_2"], row["country2"]) == (
        "Nick Checker", "U.S. Ambassador to Mali", "USA")
    assert row["geo_precision"] == "3"  # ACLED's "a larger region"


# Parquet -----------------------------------------------------------------------------------------


def test_parquet_reads_back_the_same_in_duckdb_and_pandas(run, examples: Path, tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    pandas = pytest.importorskip("pandas")
    out = tmp_path / "events.parquet"
    result = run("export", "--format", "parquet", "-o", str(out), cwd=examples)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    people = tmp_path / "events.participants.parquet"
    assert people.exists()
    from_duckdb = duckdb.sql(f"select event_id, date, end_date, type, mode, topics from '{out}' "
                             "order by event_id").fetchall()
    frame = pandas.read_parquet(out).sort_values("event_id")
    from_pandas = [(r.event_id, r.date, None if pandas.isna(r.end_date) else r.end_date, r.type,
                    list(r.mode), list(r.topics)) for r in frame.itertuples()]
    assert [(*r[:4], list(r[4]), list(r[5])) for r in from_duckdb] == from_pandas
    summary = summary_of(run, examples)
    assert [r[0] for r in from_duckdb] == sorted(e["id"] for e in summary["events"])
    types = dict(duckdb.sql(f"select column_name, column_type from (describe select * from '{out}')")
                 .fetchall())
    assert types["date"] == "DATE" and types["mode"] == "VARCHAR[]" and types["lat"] == "DOUBLE"
    assert types["created"] == "TIMESTAMP WITH TIME ZONE"
    assert types["evidence"].startswith("STRUCT(")
    seed = duckdb.sql(f"select date, date_precision, place, evidence[1].start, actors from '{out}' "
                      f"where event_id = '{SEED_ID}'").fetchall()[0]
    assert (str(seed[0]), seed[1], seed[2], seed[4]) == ("2026-02-02", "day", "Bamako", ["Nick Checker"])
    assert isinstance(seed[3], int)
    year_only = duckdb.sql(f"select date, date_last, end_date from '{out}' "
                           "where event_id = '2012-usaid-humanitarian-assistance-mali'").fetchall()[0]
    assert [str(d) for d in year_only[:2]] == ["2012-01-01", "2012-12-31"]
    roles = duckdb.sql(f"select role, count(*) from '{people}' where event_id = '{SEED_ID}' "
                       "group by role order by role").fetchall()
    assert roles == [("actor", 1), ("attendee", 1), ("recipient", 1)]
    joined = duckdb.sql(f"select p.actor from '{out}' e join '{people}' p using (event_id) "
                        f"where e.event_id = '{SEED_ID}' and p.role = 'recipient'").fetchall()[0]
    assert joined == ("abdoulaye-diop",)


def test_rows_a_worker_packs_cross_back_once_as_arrow_and_read_as_made(examples: Path) -> None:
    # A worker sends the rows it made of a chunk of records as Arrow batches, once for the
    # chunk; the parent takes the events it keeps (not all: one may fail a rule across files)
    # with their own participants, as converting the rows themselves would have given them.
    import pickle

    pytest.importorskip("pyarrow")
    from annot import tables
    from annot.export import Item
    from annot.stream import valid_records

    made = [tables.rows(Item(r)) for r in valid_records([], examples, lambda *_: None)]
    tables.prepare()
    sent = pickle.dumps(tables.pack(made), pickle.HIGHEST_PROTOCOL)
    slots = pickle.loads(sent)
    assert len(slots) == len(made) == 11 and len({id(packed) for packed, _ in slots}) == 1
    assert [index for _, index in slots] == list(range(11))
    kept = [0, 3, 4, 5, 10]
    events, people = slots[0][0].taken(kept)
    assert [piece.num_rows for piece in events] == [1, 3, 1]  # a slice a run of following events
    expected_events, expected_people = tables._batches([made[i] for i in kept])
    assert [row for piece in events for row in piece.to_pylist()] == expected_events.to_pylist()
    assert [row for piece in people for row in piece.to_pylist()] == expected_people.to_pylist()
    assert [row["event_id"] for row in expected_people.to_pylist()] == [
        made[i][0][0] for i in kept for _ in made[i][1]]
    whole = slots[0][0].taken(list(range(11)))
    assert [piece.num_rows for piece in whole[0]] == [11]
    assert [piece.num_rows for piece in whole[1]] == [sum(len(m[1]) for m in made)]
    # The values travel in Arrow's buffers, not as pickled strings.
    first_id = made[0][0][0].encode()
    as_pickled = b"\x8c" + bytes([len(first_id)]) + first_id
    assert as_pickled in pickle.dumps(made, pickle.HIGHEST_PROTOCOL) and as_pickled not in sent
    assert first_id in sent


def test_annots_own_process_writes_parquet_without_numpy(examples: Path) -> None:
    # pyarrow imports numpy when it is installed (pandas brings it here); annot never uses it,
    # and its OpenBLAS threads would start again in every worker. Only annot's own process
    # refuses it: one that goes on to use numpy with pyarrow must have pyarrow know numpy.
    import subprocess
    import sys

    pytest.importorskip("numpy")
    pytest.importorskip("pyarrow")
    code = ("import atexit, sys; atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules} "
            "& {'numpy', 'pandas', 'pyarrow'}))); "
            "sys.argv = ['annot', 'export', '--format', 'parquet', '-o', 'events.parquet']; "
            "from annot.main import run; run()")
    done = subprocess.run([sys.executable, "-c", code], cwd=examples, capture_output=True, text=True)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "['pyarrow']\n")
    import pyarrow.parquet as pq

    assert pq.read_table(examples / "events.parquet").num_rows == 11


def readme_sql(title: str) -> str:
    """The SQL block that follows `title` in README.md."""
    text = README.read_text("utf-8")
    at = text.index(title)
    found = re.search(r"```sql\n(.*?)```", text[at:], re.S)
    assert found, f"no ```sql block after {title!r}"
    return found.group(1)


def test_the_readme_duckdb_recipe_runs(run, examples: Path, tmp_path: Path, monkeypatch) -> None:
    duckdb = pytest.importorskip("duckdb")
    assert run("export", "--format", "parquet", "-o", "events.parquet", cwd=examples).exit_code == 0
    monkeypatch.chdir(examples)
    rows = duckdb.sql(readme_sql("Who met whom most, by year")).fetchall()
    assert rows == [(2026, "Abdoulaye Diop", "Nick Checker", 1)]


def test_the_readme_spark_recipe_reads_the_same_files(run, examples: Path) -> None:
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install pyspark): "
                                          "the Spark recipe is run where it is")
    from pyspark.sql import SparkSession  # pragma: no cover - needs a Java runtime too

    assert run("export", "--format", "parquet", "-o", "events.parquet", cwd=examples).exit_code == 0
    spark = (SparkSession.builder.master("local[1]")  # pragma: no cover
             .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
             .getOrCreate())
    try:  # pragma: no cover
        spark.read.parquet(str(examples / "events.parquet")).createOrReplaceTempView("events")
        spark.read.parquet(str(examples / "events.participants.parquet")) \
            .createOrReplaceTempView("participants")
        query = readme_sql("Who met whom most, by year").strip().rstrip(";").split(";")[-1]
        rows = spark.sql(query).collect()  # the SELECT unchanged, the views registered above
        assert [tuple(r) for r in rows] == [(2026, "Abdoulaye Diop", "Nick Checker", 1)]
    finally:
        spark.stop()


def test_parquet_needs_a_file_and_its_extra(run, examples: Path, monkeypatch) -> None:
    result = run("export", "--format", "parquet", cwd=examples)
    assert result.exit_code == 2
    assert result.stderr == ("annot: error: --format parquet writes files: name one with -o "
                             "(e.g. -o events.parquet)\n")
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow"
                        else real(name, *a))
    result = run("export", "--format", "parquet", "-o", "x.parquet", cwd=examples)
    assert (result.exit_code, result.stderr) == (2, "annot: error: this needs pyarrow (annot's parquet extra): "
                                                    "pip install 'pyarrow>=14'\n")  # pyproject.toml's
    assert not (examples / "x.parquet").exists()


# Graphs ------------------------------------------------------------------------------------------


def exported_graph(run, cwd: Path, out: Path, edges: str) -> Any:
    """The graph `annot export --edges EDGES -o OUT` writes (its format from OUT's suffix), read
    back by networkx."""
    networkx = pytest.importorskip("networkx")
    fmt = out.suffix[1:]
    assert run("export", "--format", fmt, "--edges", edges, "-o", str(out), cwd=cwd).exit_code == 0
    return networkx.read_gexf(out) if fmt == "gexf" else networkx.read_graphml(out)


def test_graphml_meetings_are_the_summarys_who_met_whom(run, examples: Path, tmp_path: Path) -> None:
    graph = exported_graph(run, examples, tmp_path / "met.graphml", "meetings")
    assert not graph.is_directed()
    met = sorted(tuple(sorted((graph.nodes[a]["label"], graph.nodes[b]["label"])))
                 for a, b in graph.edges())
    summary = summary_of(run, examples)
    assert met == sorted((m["a"], m["b"]) for m in summary["meetings"] for _ in range(m["count"]))
    assert sorted(graph.nodes[n]["label"] for n in graph.nodes) == ["Abdoulaye Diop", "Nick Checker"]
    diop = next(graph.nodes[n] for n in graph.nodes if graph.nodes[n]["label"] == "Abdoulaye Diop")
    assert (diop["actor"], diop["kind"], diop["country"], diop["sector"]) == (
        "abdoulaye-diop", "person", "MLI", "GOV")
    assert "wikidata" not in diop  # no value, no attribute
    (_, _, edge), = graph.edges(data=True)
    assert (edge["event"], edge["type"], edge["date"], edge["relation"]) == (
        SEED_ID, "consult", "2026-02-02", "met")


def test_graphml_directed_edges_are_the_summarys_dyads(run, examples: Path, tmp_path: Path) -> None:
    graph = exported_graph(run, examples, tmp_path / "dyads.graphml", "directed")
    assert graph.is_directed() and graph.is_multigraph()
    edges = sorted((graph.nodes[a]["label"], graph.nodes[b]["label"], d["type"])
                   for a, b, d in graph.edges(data=True))
    summary = summary_of(run, examples)
    assert edges == sorted((d["actor"], d["recipient"], d["type"]) for d in summary["dyads"]
                           if d["type"] != "consult" for _ in range(d["count"]))


def test_a_mixed_graph_marks_each_edge(run, examples: Path) -> None:
    for fmt, directed in (("graphml", "directed"), ("gexf", "type")):
        result = run("export", "--format", fmt, cwd=examples)
        assert result.exit_code == 0
        root = ElementTree.fromstring(result.stdout)
        kinds = sorted(e.get(directed) for e in root.iter() if e.tag.endswith("}edge"))
        undirected = "false" if fmt == "graphml" else "undirected"
        assert kinds.count(undirected) == 1 and len(kinds) == 10, kinds


def test_gexf_reads_in_networkx_with_dates(run, examples: Path, tmp_path: Path) -> None:
    graph = exported_graph(run, examples, tmp_path / "dyads.gexf", "directed")
    assert graph.number_of_nodes() == 7 and graph.number_of_edges() == 9
    spans = sorted((d["start"], d["end"]) for _, _, d in graph.edges(data=True))
    assert spans[0] == ("2005-01-01", "2011-12-31")


def test_values_xml_cannot_hold_are_replaced_and_markup_escaped(run, repo: Path) -> None:
    networkx = pytest.importorskip("networkx")
    (repo / "events" / f"{SEED_ID}.yaml").write_text(seed_with(
        ("name: Abdoulaye Diop", 'name: "<b>Diop</b> & \\x01co\\u2028"')), "utf-8")
    result = run("export", "--format", "graphml", "--edges", "meetings", cwd=repo)
    assert result.exit_code == 0, result.stderr
    (repo / "g.graphml").write_text(result.stdout, "utf-8")
    labels = sorted(d["label"] for _, d in networkx.read_graphml(repo / "g.graphml").nodes(data=True))
    assert labels == ["<b>Diop</b> & \ufffdco\u2028", "Nick Checker"]


# Streaming, filters and bad input ----------------------------------------------------------------


def test_a_record_with_errors_is_skipped_named_and_the_rest_written(run, examples: Path) -> None:
    bad = examples / "events" / "2012-usa-suspends-military-aid-mali.yaml"
    bad.write_text(bad.read_text("utf-8").replace("type: sanction", "type: sanctoin"), "utf-8")
    result = run("export", "--format", "jsonl", "-o", "out.jsonl", cwd=examples)
    assert result.exit_code == 1
    assert result.stderr.startswith("annot: skipped events/2012-usa-suspends-military-aid-mali.yaml:")
    assert "[schema]" in result.stderr and len(result.stderr.splitlines()) == 1
    written = (examples / "out.jsonl").read_text("utf-8").splitlines()
    assert len(written) == 10


def test_an_existing_output_is_not_replaced_without_force(run, examples: Path) -> None:
    (examples / "out.csv").write_text("mine\n")
    result = run("export", "--format", "csv", "-o", "out.csv", cwd=examples)
    assert (result.exit_code, result.stderr) == (
        2, "annot: error: out.csv exists; not overwritten (use --force to replace it)\n")
    assert (examples / "out.csv").read_text() == "mine\n"
    assert run("export", "--format", "csv", "-o", "out.csv", "--force", cwd=examples).exit_code == 0
    assert (examples / "out.csv").read_text().startswith("event_id,")
    assert [p.name for p in examples.iterdir() if p.name.startswith(".out")] == []
    result = run("export", "--format", "parquet", "-o", "nowhere/out.parquet", cwd=examples)
    assert (result.exit_code, result.stderr) == (
        2, "annot: error: nowhere/out.parquet: no such folder to write into\n")


def test_filters_are_the_summarys(run, examples: Path) -> None:
    result = run("export", "--format", "jsonl", "--since", "2025", "--topic", "diplomatic", cwd=examples)
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    summary = summary_of(run, examples, "--since", "2025", "--topic", "diplomatic")
    assert ids == sorted(e["id"] for e in summary["events"]) and len(ids) == 5
    diop = run("export", "--format", "jsonl", "--participant", "diop", cwd=examples)
    assert [json.loads(line)["id"] for line in diop.stdout.splitlines()] == [SEED_ID]


@pytest.mark.parametrize(("args", "message"), [
    (("--type", "consul"), "annot: error: --type 'consul' is not a known value (did you mean 'consult'?)\n"),
    (("--participant", "Nick Chekcer"), "annot: error: --participant 'Nick Chekcer' names no participant "
                                        "of these records (did you mean 'Nick Checker'?)\n"),
])
def test_a_filter_that_matches_nothing_known_is_an_error(run, examples: Path, args, message) -> None:
    result = run("export", "-o", "out.jsonl", *args, cwd=examples)
    assert (result.exit_code, result.stderr) == (2, message)
    assert not (examples / "out.jsonl").exists()


def test_records_are_checked_a_batch_at_a_time(run, examples: Path, monkeypatch) -> None:
    from annot import stream

    monkeypatch.setattr(stream, "BATCH", 2)
    result = run("export", "--format", "jsonl", cwd=examples)
    assert result.exit_code == 0, result.stderr  # related ids in other batches still resolve
    assert len(result.stdout.splitlines()) == 11


def test_memory_holds_one_batch_of_checked_records(run, examples: Path, monkeypatch) -> None:
    from annot import stream, validate

    sizes = []
    real = validate.Checker.run

    def run_batch(self, targets, **options):
        targets = list(targets)
        sizes.append(len(targets))
        return real(self, targets, **options)

    monkeypatch.setattr(stream, "BATCH", 3)
    monkeypatch.setattr(validate.Checker, "run", run_batch)
    assert run("export", "--format", "csv", cwd=examples).exit_code == 0
    assert sizes == [3, 3, 3, 2]


def test_registry_problems_are_said_once_and_unwalkable_folders_named(run, examples: Path, monkeypatch) -> None:
    from annot import stream

    monkeypatch.setattr(stream, "BATCH", 4)
    with (examples / "actors.yaml").open("a", encoding="utf-8") as registry:
        registry.write("ghost:\n  name: Ghost\n  kind: person\n  member_of: [nobody]\n")
    (examples / "events" / "folder.yaml").mkdir()
    result = run("export", "--format", "jsonl", cwd=examples)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "annot: skipped events/folder.yaml:1:1: is a directory named like a record, not a record file [yaml]",
        "annot: warning: actors.yaml:60:15: member_of 'nobody' is not an actor id [registry]",
    ]
    assert len(result.stdout.splitlines()) == 11


def test_a_source_out_of_reach_gives_no_offsets(tmp_path: Path) -> None:
    from annot.stream import source_text

    (tmp_path / "repo").mkdir()
    (tmp_path / "outside.txt").write_text("secret")
    (tmp_path / "repo" / "link.txt").symlink_to(tmp_path / "outside.txt")
    (tmp_path / "repo" / "bad.txt").write_bytes(b"\xff\xfe\xfa")
    for where in ["../outside.txt", str(tmp_path / "outside.txt"), "link.txt", "absent.txt", "bad.txt",
                  "a\0b", 7]:
        assert source_text(tmp_path / "repo", {"source": {"text": where}}) is None, where
    assert source_text(tmp_path / "repo", {"source": "not a mapping"}) is None


def test_parquet_rows_say_what_the_summary_and_plover_say_of_each_record(examples: Path,
                                                                         monkeypatch) -> None:
    # The rows are read from the record straight into their columns, not through the
    # summary's Event: its parties, labels and sentence, and PLOVER's offsets, must not drift.
    pytest.importorskip("pyarrow")
    from annot import export, summary
    from annot.stream import valid_records
    from annot.tables import EVENT_COLUMNS, PEOPLE_COLUMNS, rows

    monkeypatch.chdir(examples)
    records = list(valid_records([], examples, lambda *_: pytest.fail("all valid"), lambda r: r))
    assert len(records) == 11 and any(r.registry is not None for r in records)
    for record in records:
        item = export.Item(record)
        event, people = rows(item)
        row = dict(zip([name for name, _ in EVENT_COLUMNS], event, strict=True))
        e = summary.event(record.file, record.data, record.registry)
        assert (row["event_id"], row["type"], row["mode"], row["sentence"], row["topics"]) == (
            e.id, e.type, e.modes, e.sentence, e.topics)
        assert [row[f"{role}s"] for role in ("actor", "recipient", "mediator", "attendee")] == [
            [p.label for p in e.with_role(role)] for role in ("actor", "recipient", "mediator", "attendee")]
        named = [dict(zip(PEOPLE_COLUMNS, person, strict=True)) for person in people]
        assert [(p["identity"], p["label"], p["role"], p["side"]) for p in named] == [
            tuple(party) for party in e.parties]
        assert [p["actor"] for p in named] == [p.get("actor") for p in export.participants(item)]
        plover = export.plover_record(item)
        assert [(q[0], q[3], q[4]) for q in row["evidence"]] == [
            (at["about"], at["start"], at["end"]) for at in plover["text_info"]]
        assert all(q[3] is not None for q in row["evidence"])


def test_parquet_columns_take_what_a_custom_schema_lets_through(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    from annot.export import Item
    from annot.stream import Record
    from annot.tables import _batches, _moment, rows

    data = {"id": 7, "location": {"place": 5, "country": ["MLI"]}, "summary": None, "topics": ["a", 3],
            "participants": [{"name": "A", "role": "actor", "ref": 1, "title": 2, "actor": {"a": 1}}],
            "evidence": [{"quote": "q", "about": {"x": 1}}], "annotation": {"annotator": 1.5}}
    good = {"id": "g", "participants": [{"name": "B", "role": "actor", "ref": "b"}], "evidence": [{"quote": "r"}]}
    made = [rows(Item(Record(f"events/{d['id']}.yaml", d, tmp_path, None))) for d in (good, data)]
    events, people = (batch.to_pylist() for batch in _batches(made))
    assert {k: events[1][k] for k in ("event_id", "place", "country", "summary", "topics", "annotator")} == {
        "event_id": "7", "place": "5", "country": '["MLI"]', "summary": None, "topics": ["a", "3"],
        "annotator": "1.5"}
    assert events[1]["evidence"] == [
        {"about": '{"x": 1}', "quote": "q", "translation": None, "start": None, "end": None}]
    assert {k: people[1][k] for k in ("ref", "actor", "title", "name")} == {
        "ref": "1", "actor": '{"a": 1}', "title": None, "name": "A"}
    # The rows of the batch that had nothing to fix are as they were.
    assert (events[0]["event_id"], events[0]["evidence"][0]["quote"], people[0]["ref"]) == ("g", "r", "b")
    assert str(_moment("2026-11-26T11:00:00+01:00")) == "2026-11-26 10:00:00+00:00"
    assert _moment("yesterday") is None
    # Valid times that are no time in UTC (before the year 1, after 9999): none, not a crash.
    assert _moment("0001-01-01T00:00:00+01:00") is None and _moment("9999-12-31T23:59:59-05:00") is None


def test_json_lines_stay_valid_json_with_a_nan(run, repo: Path) -> None:
    # The built-in schema refuses a NaN (jsonschema-rs reads it as null); a custom one may not.
    (repo / "open.schema.json").write_text('{"type": "object"}')
    (repo / "annot.yaml").write_text("schema: open.schema.json\n")
    (repo / "events" / f"{SEED_ID}.yaml").write_text(seed_with(
        ("  basis: inferred", "  basis: inferred\n  lat: .nan")), "utf-8")
    for fmt in ("plover", "jsonl"):
        result = run("export", "--format", fmt, cwd=repo)
        assert result.exit_code == 0, result.stderr
        line = json.loads(result.stdout, parse_constant=pytest.fail)  # NaN, Infinity: not JSON
        location = line["event_loc"] if fmt == "plover" else line["location"]
        assert location["lat"] == ".nan"


@pytest.mark.parametrize("fmt", ["plover", "jsonl", "csv", "parquet", "graphml", "gexf", "report", "summary"])
def test_odd_values_a_custom_schema_lets_through_do_not_crash(run, repo: Path, fmt: str) -> None:
    (repo / "open.schema.json").write_text('{"type": "object"}')
    (repo / "annot.yaml").write_text("schema: open.schema.json\n")
    (repo / "events" / "odd.yaml").write_text(
        "id: 7\ntype: [consult]\ndate: 12\nend_date: {a: 1}\nparticipants: [x, {role: 5, name: 3}]\n"
        "topics: 5\nlocation: [1]\nsource: {text: 9}\nevidence: [no, {quote: 4}]\nrelated: x\n"
        "annotation: {created: 5, annotator: [1]}\nmode: {x: 1}\n", "utf-8")
    (repo / "events" / "s.yaml").write_text(
        "id: s\ntype: consult\ndate: '2026'\nparticipants: 5\nevidence: 7\nrelated: 3\n", "utf-8")
    (repo / "events" / "b.yaml").write_text(  # a type is no template; a country no list
        "id: b\ntype: '{a} {0} }{'\ndate: '2026'\nlocation: {country: [MLI], place: {x: 1}}\n"
        "participants: [{name: A, role: actor}]\n", "utf-8")
    args = {"report": ["report", "-o", "out.html"], "summary": ["summary"]}.get(
        fmt, ["export", "--format", fmt, "-o", "out"])
    result = run(*args, cwd=repo)
    assert (result.exit_code, result.stderr) == (0, "")


def test_each_batch_lets_go_of_the_articles_it_read(run, examples: Path, monkeypatch) -> None:
    from annot import parallel, stream, validate

    article = "sources/mali-usa-audience-2026-02-02.fr.txt"
    shutil.copy(examples / article, examples / "sources" / "copy.txt")
    sixth = sorted((examples / "events").glob("*.yaml"))[5]  # in the second batch of four
    sixth.write_text(sixth.read_text("utf-8").replace(article, "sources/copy.txt"), "utf-8")
    whole = run("export", cwd=examples)
    held = []
    forget = validate.Checker.forget_sources

    def spy(self: validate.Checker) -> None:
        held.append(len(self._sources))
        forget(self)

    monkeypatch.setenv(parallel.JOBS, "1")
    monkeypatch.setattr(stream, "BATCH", 4)
    monkeypatch.setattr(validate.Checker, "forget_sources", spy)
    batched = run("export", cwd=examples)
    assert batched == whole and whole.exit_code == 0  # quotes found, offsets the same
    # The copy is not held by the third batch; its records, cited from earlier ones, were
    # checked ahead, so it reads no article of its own.
    assert held == [1, 2, 0]


def test_plover_and_json_lines_read_the_record_alone_unless_a_filter_reads_the_summarys_view(
        run, examples: Path, monkeypatch) -> None:
    # Drawing the summary's event of every record (its parties, sentence, meetings) was a fifth
    # of a PLOVER export's cost; the lines come out the same without it.
    from annot import summary

    whole = {fmt: run("export", "--format", fmt, cwd=examples) for fmt in ("plover", "jsonl", "csv")}
    drawn = []
    real = summary.event

    def counted(*args: Any) -> Any:
        drawn.append(args[0])
        return real(*args)

    monkeypatch.setattr(summary, "event", counted)
    for fmt in ("plover", "jsonl"):
        assert run("export", "--format", fmt, cwd=examples) == whole[fmt]
    assert drawn == []
    assert run("export", "--format", "csv", cwd=examples) == whole["csv"]  # its columns read it
    assert len(drawn) == 11
    drawn.clear()
    filtered = run("export", "--type", "consult", cwd=examples)
    assert filtered.exit_code == 0 and 0 < len(drawn) == 11 > len(filtered.stdout.splitlines())


def test_parquet_dates_and_times_cross_back_as_numbers_and_read_back_as_written(run, repo: Path) -> None:
    # A worker sends a row's dates and times as days and seconds since 1970 (pickling a date
    # costs ten times as much); Arrow stores them as it stored the objects, to the second.
    pq = pytest.importorskip("pyarrow.parquet")
    from datetime import UTC, date, datetime

    from annot import export
    from annot.stream import Record

    record = (repo / "events" / f"{SEED_ID}.yaml").read_text("utf-8")
    record = record.replace("date: 2026-02-02", "date: 2026-03", 1)
    record = re.sub(r"created: .*", "created: 1969-12-31T23:59:59.5Z\n  updated: 0001-01-01 00:00:00", record)
    (repo / "events" / f"{SEED_ID}.yaml").write_text(record, "utf-8")
    result = run("export", "--format", "parquet", "-o", "out.parquet", cwd=repo)
    assert result.exit_code == 0, result.stderr
    row = pq.read_table(repo / "out.parquet").to_pylist()[0]
    assert (row["date"], row["date_last"]) == (date(2026, 3, 1), date(2026, 3, 31))
    assert row["created"] == datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert row["updated"] == datetime(1, 1, 1, tzinfo=UTC)
    from annot.records import load

    data = load((repo / "events" / f"{SEED_ID}.yaml").read_bytes()).data
    sent = export.FORMATS["parquet"].row(export.Item(Record(f"events/{SEED_ID}.yaml", data, repo, None)))
    assert all(type(value) in (int, float, str, list, type(None)) for value in sent[0])


def test_a_month_shorter_than_31_days_ends_on_its_last_day(run, repo: Path, tmp_path: Path) -> None:
    # A record of February 2024 lasts until the 29th: not a crash in Parquet ("day is out of
    # range"), nor a 2024-02-31 in a graph.
    pq = pytest.importorskip("pyarrow.parquet")
    from datetime import date

    (repo / "events" / f"{SEED_ID}.yaml").write_text(seed_with(("date: 2026-02-02", "date: 2024-02")))
    result = run("export", "--format", "parquet", "-o", "out.parquet", cwd=repo)
    assert result.exit_code == 0, result.stderr
    row = pq.read_table(repo / "out.parquet").to_pylist()[0]
    assert (row["date"], row["date_last"], row["date_precision"]) == (date(2024, 2, 1), date(2024, 2, 29), "month")
    graph = exported_graph(run, repo, tmp_path / "met.gexf", "meetings")
    assert [(d["start"], d["end"]) for _, _, d in graph.edges(data=True)] == [("2024-02-01", "2024-02-29")]


def test_a_parquet_evidence_struct_takes_text_as_text(run, repo: Path) -> None:
    # A custom schema may let a number through as a translation; the struct's text field
    # holds it as text, as a text column does (it crashed the export).
    pq = pytest.importorskip("pyarrow.parquet")
    (repo / "open.schema.json").write_text('{"type": "object"}')
    (repo / "annot.yaml").write_text("schema: open.schema.json\n")
    (repo / "events" / f"{SEED_ID}.yaml").write_text(seed_with(
        ("    quote: Le 2 février 2026", "    quote: Le 2 février 2026\n    translation: 5")), "utf-8")
    result = run("export", "--format", "parquet", "-o", "out.parquet", cwd=repo)
    assert (result.exit_code, result.stderr) == (0, "")
    quotes = pq.read_table(repo / "out.parquet").to_pylist()[0]["evidence"]
    assert quotes[0] == {"about": "/date", "quote": "Le 2 février 2026", "translation": "5", "start": 0, "end": 17}
    assert quotes[1]["translation"] is None


@pytest.mark.parametrize(("rows", "groups"), [(4, [4, 4, 3]), (11, [11]), (2000, [11])])
def test_parquet_row_groups_hold_rows_events_whatever_the_slices_converted_at_a_time(
        run, examples: Path, monkeypatch, rows: int, groups: list[int]) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    from annot import tables

    assert run("export", "--format", "parquet", "-o", "whole.parquet", cwd=examples).exit_code == 0
    monkeypatch.setattr(tables, "ROWS", rows)
    monkeypatch.setattr(tables, "SLICE", 3)
    assert run("export", "--format", "parquet", "-o", "sliced.parquet", cwd=examples).exit_code == 0
    for name in ("whole", "sliced"):
        for table in (f"{name}.parquet", f"{name}.participants.parquet"):
            assert pq.read_table(examples / table).num_rows > 0
    assert pq.read_table(examples / "sliced.parquet").equals(pq.read_table(examples / "whole.parquet"))
    assert pq.read_table(examples / "sliced.participants.parquet").equals(
        pq.read_table(examples / "whole.participants.parquet"))
    meta = pq.ParquetFile(examples / "sliced.parquet").metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == groups


def test_a_parquet_export_of_no_events_writes_two_empty_tables(run, examples: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    result = run("export", "--format", "parquet", "--type", "assault", "-o", "none.parquet", cwd=examples)
    assert (result.exit_code, result.stderr) == (0, "")
    events, people = pq.read_table(examples / "none.parquet"), pq.read_table(examples / "none.participants.parquet")
    assert (events.num_rows, people.num_rows) == (0, 0)
    assert "evidence" in events.column_names and "identity" in people.column_names


def test_each_parquet_column_holds_its_own_field(examples: Path, monkeypatch) -> None:
    # The rows are tuples in the columns' order: a distinct value in every field shows any
    # two columns swapped, and a participant named by its registry id brings in the actor's.
    from annot.export import Item
    from annot.stream import Record, valid_records
    from annot.tables import EVENT_COLUMNS, PEOPLE_COLUMNS, rows

    monkeypatch.chdir(examples)
    registry = next(r.registry for r in valid_records([], examples, lambda *_: None, lambda r: r))
    assert registry is not None
    data = {
        "id": "e-id", "type": "consult", "mode": ["visit"], "factuality": "historical",
        "date": "2026-02", "end_date": "2026-03-04",
        "location": {"place": "P", "country": "MLI", "basis": "B", "geonames": 7, "lat": 1.5,
                     "lon": -2.5, "resolution": 3},
        "participants": [
            {"ref": "r1", "actor": "abdoulaye-diop", "title": "T1", "organization": "O1", "role": "recipient"},
            {"ref": "r2", "name": "N2", "title": "T2", "organization": "O2", "country": "USA",
             "sector": "S2", "wikidata": "Q2", "role": "actor", "side": "s2"},
            {"ref": "r3", "name": "N3", "role": "mediator"}, {"ref": "r4", "name": "N4", "role": "attendee"}],
        "topics": ["t1", "t2"], "summary": "S",
        "source": {"url": "U", "title": "TI", "publisher": "PU", "published": "2026-02-03", "language": "fr",
                   "text": "sources/mali-usa-audience-2026-02-02.fr.txt"},
        "evidence": [{"about": "/date", "quote": "Le 2 février 2026", "translation": "TR"}],
        "related": ["r-1"],
        "annotation": {"annotator": "AN", "created": "1970-01-02T00:00:00Z", "updated": "1970-01-01T00:01:00Z",
                       "status": "reviewed", "reviewer": "RE"},
    }
    event, people = rows(Item(Record("events/e-id.yaml", data, examples, registry)))
    assert dict(zip([name for name, _ in EVENT_COLUMNS], event, strict=True)) == {
        "event_id": "e-id", "file": "events/e-id.yaml", "type": "consult", "mode": ["visit"],
        "factuality": "historical", "date": 20485, "date_last": 20512, "date_precision": "month",
        "end_date": 20516, "place": "P", "country": "MLI", "basis": "B", "geonames": 7, "lat": 1.5,
        "lon": -2.5, "resolution": 3, "topics": ["t1", "t2"],
        "sentence": "N2 visited Abdoulaye Diop, mediated by N3 (historical)", "summary": "S",
        "actors": ["N2"], "recipients": ["Abdoulaye Diop"], "mediators": ["N3"], "attendees": ["N4"],
        "source_url": "U", "source_title": "TI", "source_publisher": "PU", "source_published": 20487,
        "source_language": "fr", "source_text": "sources/mali-usa-audience-2026-02-02.fr.txt",
        "evidence": [("/date", "Le 2 février 2026", "TR", 0, 17)], "related": ["r-1"], "annotator": "AN",
        "created": 86400, "updated": 60, "status": "reviewed", "reviewer": "RE",
    }
    assert [dict(zip(PEOPLE_COLUMNS, person, strict=True)) for person in people][:2] == [
        {"event_id": "e-id", "ref": "r1", "identity": "actor:abdoulaye-diop", "actor": "abdoulaye-diop",
         "label": "Abdoulaye Diop", "name": "Abdoulaye Diop", "title": "T1", "organization": "O1",
         "country": "MLI", "sector": "GOV", "wikidata": None, "role": "recipient", "side": "MLI"},
        {"event_id": "e-id", "ref": "r2", "identity": "wikidata:Q2", "actor": None, "label": "N2",
         "name": "N2", "title": "T2", "organization": "O2", "country": "USA", "sector": "S2",
         "wikidata": "Q2", "role": "actor", "side": "s2"},
    ]
    assert [p[PEOPLE_COLUMNS.index("role")] for p in people] == ["recipient", "actor", "mediator", "attendee"]
