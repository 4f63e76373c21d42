"""`annot summary`: golden outputs, the who-met-whom rules, filters, skipped records."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annot.summary import Filters, labels, meetings, normalise, party, sentence, summarise

from .conftest import EXAMPLES, SEED_ID, TESTS, seed_with

GOLDEN = TESTS / "golden"
CORPUS = TESTS / "data" / "corpus"
FORMATS = {"text": "txt", "json": "json", "markdown": "md", "csv": "csv"}


def check_golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME; ANNOT_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if os.environ.get("ANNOT_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, "utf-8")
    assert text == path.read_text("utf-8")


@pytest.fixture(autouse=True)
def _fixed_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("where", "label"), [(EXAMPLES, "examples"), (CORPUS, "corpus")])
def test_golden_outputs(run, fmt: str, where: Path, label: str) -> None:
    result = run("summary", "--format", fmt, cwd=where)
    assert result.exit_code == 0
    check_golden(f"summary-{label}.{FORMATS[fmt]}", result.stdout)
    if fmt == "text":
        assert max(len(line) for line in result.lines) <= 80


def test_the_seed_audience_reads_as_who_met_whom(run) -> None:
    text = run("summary", cwd=EXAMPLES).stdout
    assert "1x    Abdoulaye Diop met Nick Checker: 2026-02-02-bamako-diop-checker\n" in text
    markdown = run("summary", "--format", "markdown", cwd=EXAMPLES).stdout
    assert ("| 2026-02-02 | Bamako, MLI | Nick Checker visited Abdoulaye Diop; "
            "present: U.S. Ambassador to Mali | diplomatic, terrorism, economic | draft |") in markdown


def test_only_consult_events_that_happened_are_meetings(run) -> None:
    data = json.loads(run("summary", "--format", "json", cwd=EXAMPLES).stdout)
    types = {e["id"]: e["type"] for e in data["events"]}
    assert {types[i] for m in data["meetings"] for i in m["events"]} == {"consult"}
    assert {"actor": "United States", "recipient": "Mali", "type": "sanction", "count": 1,
            "events": ["2012-usa-suspends-military-aid-mali"]} in data["dyads"]
    suspension = next(e for e in data["events"] if e["id"] == "2012-usa-suspends-military-aid-mali")
    assert suspension["sentence"] == "United States discontinued exchanges with Mali (historical)"
    assert (suspension["mode"], suspension["factuality"]) == (["discontinue"], "historical")


def test_invalid_records_are_skipped_with_one_warning_each(run) -> None:
    result = run("summary", "--format", "json", cwd=CORPUS)
    assert result.stderr == ("annot: warning: skipped events/broken.yaml: 5 errors "
                             "(annot validate shows them)\n")
    assert json.loads(result.stdout)["skipped"] == 1


def test_a_record_found_invalid_across_files_counts_for_nothing(run, tmp_path: Path) -> None:
    # Each event is counted as its record's check comes in; a rule across files (here a
    # related id that no record has) may find it invalid after: it is left out of every
    # count, list and label, as if it had never been read.
    root = Path(shutil.copytree(EXAMPLES, tmp_path / "examples"))
    clean = json.loads(run("summary", "--format", "json", cwd=root).stdout)
    text = (root / "events" / f"{SEED_ID}.yaml").read_text("utf-8")
    for old, new in [(f"id: {SEED_ID}", "id: 2001-01-01-earliest"), ("date: 2026-02-02", "date: 2001-01-01"),
                     ("place: Bamako", "place: Nowhere"), ("topics: [diplomatic,", "topics: [migration,"),
                     ("title: U.S. Ambassador to Mali", "title: U.S. AMBASSADOR TO MALI")]:
        assert old in text, old
        text = text.replace(old, new, 1)
    earliest = root / "events" / "2001-01-01-earliest.yaml"
    earliest.write_text(text, "utf-8")
    counted = json.loads(run("summary", "--format", "json", cwd=root).stdout)
    assert counted["events"][0]["id"] == "2001-01-01-earliest"
    assert {"place": "Nowhere", "country": "MLI", "count": 1, "events": ["2001-01-01-earliest"]} in counted["places"]
    assert {"topic": "migration", "count": 1} in counted["topics"]
    assert counted["timeline"][0] == {"period": "2001-01", "count": 1}
    earliest.write_text(text.replace("\nrelated:\n", "\nrelated:\n  - no-such-event\n", 1), "utf-8")
    result = run("summary", "--format", "json", cwd=root)
    assert (result.exit_code, result.stderr) == (0, "annot: warning: skipped events/2001-01-01-earliest.yaml: "
                                                    "1 error (annot validate shows them)\n")
    assert json.loads(result.stdout) == {**clean, "skipped": 1}


def test_a_party_is_labelled_as_its_first_event_counted_writes_it() -> None:
    # The way the earliest event (by date, then id) writes a party is its label; an event
    # left out does not name it, nor does a way written before the last in one event.
    from annot.summary import Brief, Tally

    def b(date: str, identifier: str, *parties: tuple[str, str]) -> Brief:
        met = [("name:a", "name:b")] if len({key for key, _ in parties}) == 2 else []
        return Brief(date, identifier, "consult", ("Bamako", "MLI"), [], list(parties), met, [], identifier)

    tally = Tally()
    later = tally.add(b("2026-02-02", "later", ("name:a", "A"), ("name:b", "B")))
    first = tally.add(b("2001-01-01", "first", ("name:a", "a, first"), ("name:b", "b?"), ("name:b", "b, last")))
    second = tally.add(b("2001-01-01", "second", ("name:a", "a, second")))
    assert (later, first, second) == (0, 1, 2)
    whole = tally.summary()
    assert [(m.a, m.b, m.events) for m in whole.meetings] == [("a, first", "b, last", ["first", "later"])]
    assert whole.events == ["first", "second", "later"]
    without = tally.summary(1, {first})
    assert [(m.a, m.b, m.events) for m in without.meetings] == [("B", "a, second", ["later"])]
    assert (without.events, without.places, without.skipped) == (
        ["second", "later"], [("Bamako", "MLI", 2, ["second", "later"])], 1)
    assert tally.summary(0, {first, later}).meetings == []


def p(ref: str, role: str, country: str | None = None, **more: str) -> dict:
    return {"ref": ref, "name": more.pop("name", ref.title()), "role": role,
            **({"country": country} if country else {}), **more}


@pytest.mark.parametrize(
    ("participants", "met"),
    [
        ([p("a", "recipient", "MLI"), p("b", "actor", "USA"), p("c", "attendee", "USA")], [("A", "B")]),
        # Same side: colleagues do not "meet" each other.
        ([p("a", "recipient", "MLI"), p("b", "actor", "MLI"), p("c", "actor", "USA")],
         [("A", "C"), ("B", "C")]),
        # side overrides country; organization stands in when there is no country.
        ([p("a", "actor", "MLI", side="junta"), p("b", "actor", "MLI", side="opposition"),
          p("c", "mediator", organization="ECOWAS")],
         [("A", "B"), ("A", "C"), ("B", "C")]),
        # Unnamed participants appear by title; attendees are never paired.
        ([p("a", "recipient", "MLI"), {"ref": "x", "name": None, "title": "Ambassador", "role": "actor",
                                       "country": "FRA"}, p("d", "attendee", "DEU")],
         [("A", "Ambassador")]),
        # The same person twice (one wikidata id) is not a meeting.
        ([p("a", "recipient", "CHN", wikidata="Q1"), p("b", "actor", "RUS", wikidata="Q1")], []),
        # A generic code (IGO) is a side only when nothing names one better: the organization
        # does; two parties of IGO alone are colleagues of it. The UN is one side.
        ([p("a", "actor", "IGO", organization="African Union"), p("b", "actor", "IGO", organization="ECOWAS"),
          p("c", "actor", "IGO", organization="ECOWAS"), p("d", "actor", "IGO"), p("g", "actor", "IGO"),
          p("e", "actor", "UNO"), p("f", "actor", "UNO")],
         [("A", "B"), ("A", "C"), ("A", "D"), ("A", "E"), ("A", "F"), ("A", "G"), ("B", "D"), ("B", "E"),
          ("B", "F"), ("B", "G"), ("C", "D"), ("C", "E"), ("C", "F"), ("C", "G"), ("D", "E"), ("D", "F"),
          ("E", "G"), ("F", "G")]),
    ],
)
def test_pair_rules(participants: list, met: list) -> None:
    pairs = meetings([party(x) for x in participants])
    assert sorted((a.label, b.label) for a, b in pairs) == met


def test_registry_envoys_of_one_igo_are_colleagues_and_of_two_meet() -> None:
    from annot.actors import parse

    registry = parse(b"aes:\n  name: AES\n  kind: organization\n  country: IGO\n"
                     b"au:\n  name: AU\n  kind: organization\n  country: IGO\n"
                     + b"".join(b"%s:\n  name: %s\n  kind: person\n  country: IGO\n  member_of: [%s]\n"
                                % (key, key.title(), group)
                                for key, group in ((b"one", b"aes"), (b"two", b"aes"), (b"three", b"au"))))
    assert registry.findings == []
    parties = [party({"ref": r, "actor": r, "role": "actor"}, registry) for r in ("one", "two", "three")]
    assert sorted((a.label, b.label) for a, b in meetings(parties)) == [("One", "Three"), ("Three", "Two")]


@pytest.mark.parametrize(
    ("event_type", "modes", "factuality", "roles", "expected"),
    [
        ("consult", ["visit"], "asserted", {"actor": ["Nick Checker"], "recipient": ["Abdoulaye Diop"]},
         "Nick Checker visited Abdoulaye Diop"),
        ("consult", [], "asserted", {"actor": ["Mali", "Senegal", "Niger"]}, "Mali, Senegal and Niger held talks"),
        ("consult", ["third-party"], "future", {"actor": ["A", "B"], "mediator": ["Qatar"]},
         "A and B met at a third party's, mediated by Qatar (planned)"),
        ("consult", [], "negated", {"actor": ["A"], "recipient": ["B"]}, "A met B (did not happen)"),
        ("sanction", ["discontinue"], "historical", {"actor": ["United States"], "recipient": ["Mali"]},
         "United States discontinued exchanges with Mali (historical)"),
        ("aid", [], "hypothetical", {"actor": ["USAID"], "recipient": ["Mali"]},
         "USAID gave aid to Mali (hypothetical)"),
        ("protest", ["demo"], "asserted", {"actor": ["Students"]}, "Students protested"),
        ("accuse", ["allege", "disapprove"], "asserted", {"actor": ["A"], "recipient": ["B"]},
         "A made allegations against B"),
        ("threaten", ["expel"], "asserted", {"actor": ["Niger"], "recipient": ["France"]},
         "Niger threatened to expel France"),
        ("retreat", ["resign"], "asserted", {"actor": ["Choguel Maiga"]}, "Choguel Maiga resigned"),
    ],
)
def test_each_event_reads_as_one_sentence(event_type, modes, factuality, roles, expected) -> None:
    parties = [party(p(name.lower(), role, name=name)) for role, names in roles.items() for name in names]
    assert sentence(event_type, modes, factuality, labels(parties)) == expected


def test_the_generic_codes_are_the_codebooks_entities_but_the_un_the_eu_and_kosovo() -> None:
    from annot import vocabulary
    from annot.summary import GENERIC_ENTITIES

    assert GENERIC_ENTITIES == {e.code for e in vocabulary.plover().entities} - {"UNO", "EUR", "KOS"}


def test_every_plover_type_has_a_sentence() -> None:
    from annot import vocabulary
    from annot.summary import TYPE_PHRASES

    assert list(TYPE_PHRASES) == [t.code for t in vocabulary.plover().types]


def test_each_mode_phrase_is_of_a_mode_the_codebook_gives_its_type() -> None:
    from annot import vocabulary
    from annot.summary import MODE_PHRASES

    modes = {(t.code, m.code) for t in vocabulary.plover().types for m in t.modes}
    assert set(MODE_PHRASES) <= modes, set(MODE_PHRASES) - modes
    for with_recipient, alone in MODE_PHRASES.values():
        assert "{a}" in with_recipient and "{r}" in with_recipient and "{r}" not in alone


def record(identifier: str, date: str, people: list, topics: list, status: str = "draft",
           **more: object) -> tuple:
    data = {"id": identifier, "type": "consult", "date": date, "participants": people, "topics": topics,
            "location": {"place": "Bamako", "country": "MLI"},
            "annotation": {"status": status}, **more}
    return f"{identifier}.yaml", data


def test_pairs_are_counted_once_per_event_across_spellings() -> None:
    first = record("e1", "2026-01", [p("diop", "recipient", "MLI", name="Abdoulaye Diop"),
                                     p("x", "actor", "USA", name="Nick Checker")], ["diplomatic"])
    second = record("e2", "2026-02-03", [p("d", "recipient", "MLI", name="ABDOULAYE  DIÔP"),
                                         p("n", "actor", "USA", name="nick checker"),
                                         p("n2", "actor", "USA", name="Nick Checker")], ["economic"])
    planned = record("e3", "2026-03", [p("d", "recipient", "MLI", name="Abdoulaye Diop"),
                                       p("n", "actor", "USA", name="Nick Checker")], [], factuality="future")
    aid = record("e4", "2026-04", [p("d", "recipient", "MLI", name="Abdoulaye Diop"),
                                   p("n", "actor", "USA", name="Nick Checker")], [], type="aid")
    result = summarise([first, second, planned, aid])
    assert [(x.a, x.b, x.times, x.events) for x in result.meetings] == [
        ("Abdoulaye Diop", "Nick Checker", 2, ["e1", "e2"])]
    assert [(d.actor, d.recipient, d.type, d.events) for d in result.dyads] == [
        ("Nick Checker", "Abdoulaye Diop", "consult", ["e1", "e2"]),
        ("Nick Checker", "Abdoulaye Diop", "aid", ["e4"])]
    assert result.timeline == [("2026-01", 1), ("2026-02", 1), ("2026-03", 1), ("2026-04", 1)]
    assert normalise(" Abdoulaye\u00a0DIÔP ") == "abdoulaye diop"


@pytest.mark.parametrize(
    ("filters", "kept"),
    [
        (Filters(since="2026"), ["e2", "e3", "e4"]),  # e2 runs into 2026
        (Filters(since="2025-06", until="2026-01"), ["e2", "e3"]),
        (Filters(until="2025"), ["e2", "e1"]),  # a year-only date sorts first
        (Filters(topics=("military",)), ["e2", "e4"]),
        (Filters(topics=("military", "economic")), ["e2", "e3", "e4"]),
        (Filters(participant="dIôp"), ["e1", "e3"]),
        (Filters(status="accepted"), ["e4"]),
        (Filters(types=("aid",)), ["e3"]),
        # A range counts where it overlaps: e2 runs 2025 to 2026-02.
        (Filters(since="2026-02", until="2026-02"), ["e2"]),
    ],
)
def test_filters(filters: Filters, kept: list) -> None:
    diop, other = p("diop", "recipient", "MLI", name="Abdoulaye Diop"), p("o", "actor", "USA")
    records = [
        record("e1", "2025-01-10", [diop, other], ["diplomatic"]),
        record("e2", "2025", [other, p("z", "actor", "FRA")], ["military"], end_date="2026-02"),
        record("e3", "2026-01", [diop, other], ["economic"], type="aid"),
        record("e4", "2026-05-01", [other, p("y", "recipient", "SEN")], ["military"], status="accepted"),
    ]
    assert [e.id for e in summarise(records, filters=filters).events] == kept


def test_bad_filter_dates_are_usage_errors(run) -> None:
    result = run("summary", "--since", "2026-13", cwd=EXAMPLES)
    assert result.exit_code == 2
    assert "'2026-13' is not a date like 2026, 2026-02 or 2026-02-02" in result.stderr


@pytest.mark.parametrize(
    ("option", "stderr"),
    [
        (("--type", "meet"), "annot: error: --type 'meet' is not a known value (did you mean 'reject'?)\n"),
        (("--type", "consul"), "annot: error: --type 'consul' is not a known value (did you mean 'consult'?)\n"),
        (("--topic", "terorism"),
         "annot: error: --topic 'terorism' is not a known value (did you mean 'terrorism'?)\n"),
        (("--participant", "Nick Chekcer"),
         "annot: error: --participant 'Nick Chekcer' names no participant of these records "
         "(did you mean 'Nick Checker'?)\n"),
    ],
)
def test_unknown_filter_values_are_errors_with_a_suggestion(run, option, stderr) -> None:
    result = run("summary", *option, cwd=EXAMPLES)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr)


def test_type_filter_keeps_only_that_type(run) -> None:
    data = json.loads(run("summary", "--format", "json", "--type", "sanction", cwd=EXAMPLES).stdout)
    assert [e["id"] for e in data["events"]] == ["2012-usa-suspends-military-aid-mali"]
    assert data["meetings"] == []


def test_piped_tables_carry_no_padding_and_places_count_every_event(run) -> None:
    result = run("summary", cwd=EXAMPLES)
    assert [line for line in result.lines if line != line.rstrip()] == []
    assert "  unknown       6" in result.lines  # the events without a place, listed last
    assert "2025        MLI: United States cooperated with Mali [intelligence] draft" in result.lines


@pytest.mark.parametrize("text", [
    "Awa Konaté visited Nick Traoré [political_institutions, election, human_rights] draft",
    "王毅 met Сергей Лавров and 王毅 again and again in 北京 on the question of the day",
    "Ре\u0301зник called e\u0301le\u0300ve Zoë Ångström about trade, aid and the line of control",
    "plain ascii words that go on and on well past the width of the terminal column",
    "averyveryverylongwordthatcannotbebrokenatall then short",
])
def test_event_lines_wrap_by_terminal_cells_between_words(text: str) -> None:
    from rich.cells import cell_len

    from annot.render import _wrap

    for width in (12, 20, 33):
        lines = _wrap(text, width)
        assert " ".join(lines) == text
        assert all(cell_len(line) <= width or " " not in line for line in lines)
        # greedy: the next line's first word would not have fitted on this one
        for line, after in zip(lines, lines[1:], strict=False):
            assert cell_len(line) + 1 + cell_len(after.split(" ")[0]) > width


@given(st.lists(st.text("abé\u00a0-", max_size=7), max_size=9), st.integers(-2, 14))
def test_a_line_cut_at_the_last_space_that_fits_is_the_word_loops_line(words: list[str], width: int) -> None:
    from annot.render import _wrap, _wrap_words

    text = " ".join(words)  # an empty word: two spaces, or one at an end
    assert _wrap(text, width) == ([text] if len(text) <= width else _wrap_words(text, width, len))


def test_printable_escapes_exactly_what_a_terminal_must_not_interpret() -> None:
    from annot.render import printable

    for kept in ("Zoë", "王毅 met Лавров", "tab\there", "new\nline"):
        assert printable(kept) == kept
    assert printable("a\x1bb\x85") == "a\\x1bb\\x85" and printable("x\u2028y") == "x\\u2028y"
    assert printable("\u202eevil") == "\\u202eevil" and printable("\udcff") == "\\xff"
    assert printable("new\nline\t", one_line=True) == "new\\nline\\t"


def test_a_newline_or_tab_in_a_value_is_shown_and_each_line_keeps_its_place(run, repo: Path) -> None:
    (repo / "events" / f"{SEED_ID}.yaml").write_text(seed_with(
        ("place: Bamako", 'place: "Bam\\nako\\tX"'), ("name: Nick Checker", 'name: "Nick\\nChecker"')), "utf-8")
    result = run("summary", cwd=repo)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1:3] == ["2026-02-02  Bam\\nako\\tX, MLI: Nick\\nChecker visited Abdoulaye Diop; present:",
                          "            U.S. Ambassador to Mali [diplomatic, terrorism, economic] draft"]
    assert "1x    Abdoulaye Diop met Nick\\nChecker: 2026-02-02-bamako-diop-checker" in lines


def test_a_pool_summarises_what_one_process_does(tmp_path: Path) -> None:
    # Each event is read and drawn in the worker that checked its record; the parent counts
    # and lays out. The bytes are the same in every format, with and without filters.
    from .test_parallel import corpus, run_annot

    root = corpus(tmp_path, 150)
    shutil.copy(EXAMPLES / "actors.yaml", root)
    shutil.copytree(EXAMPLES / "events", root / "events" / "examples")
    for fmt in FORMATS:
        for options in [[], ["--participant", "diop"], ["--since", "2025", "--type", "consult"],
                        ["--participant", "nobody of that name"]]:
            one = run_annot("summary", "--format", fmt, *options, cwd=root, jobs="1")
            pooled = run_annot("summary", "--format", fmt, *options, cwd=root, jobs="2")
            assert pooled == one, (fmt, options)
            if "nobody of that name" in options:
                assert (one.exit_code, one.stdout) == (2, "")
                continue
            # Three records in ten have an error; a broken file, a folder, and an id given twice.
            assert one.exit_code == 0 and one.stderr.count("annot: warning: skipped") == 3 * 15 + 2 + 2
            assert one.stdout.count("Abdoulaye Diop") > 100


@pytest.mark.parametrize("odd", [
    {},
    {"location": {"place": 'Ba"ma\\ko\u2028\x1b\n王', "country": None}, "annotation": {}},
    {"location": {"place": float("nan"), "country": True}, "annotation": {"status": ["a", {"b": None}]}},
    {"location": {"place": 2, "country": float("-inf")}, "end_date": "2026-03", "mode": ["visit", "phone"]},
])
def test_events_drawn_one_by_one_make_the_json_of_the_whole(odd: dict) -> None:
    # Each event's JSON is drawn where its record was checked and spliced into the document:
    # the bytes are json.dumps's of the whole, whatever a custom schema lets through.
    from annot.render import dumps_json, summary_event_json, summary_json
    from annot.summary import brief, event, tally

    people = [p("a", "actor", "USA", name="Nick \"N\" Checker"), p("b", "recipient", "MLI", name="Аб Диоп"),
              p("c", "mediator", "QAT"), p("d", "attendee", "USA"), {"ref": "e", "title": "Amb.", "role": "actor"}]
    events = [event(*record("e1", "2026-02", people, ["diplomatic", "ter\"ror"], **odd)),
              event(*record("e2", "2025", people[:1], [], type="aid", factuality="future",
                            **{k: v for k, v in odd.items() if k == "location"}))]  # one place: sortable
    whole = tally([brief(e, e) for e in events])
    assert "".join(summary_json(tally([brief(e, summary_event_json(e)) for e in events]))) == dumps_json(
        {"events": [e.as_data() for e in whole.events], **whole.as_data()})
    assert "".join(summary_json(tally([]))) == dumps_json({"events": [], **tally([]).as_data()})


@pytest.mark.parametrize("piece", [1, 2, 3, 7])
def test_a_document_written_in_pieces_is_the_whole_document(monkeypatch: pytest.MonkeyPatch,
                                                            piece: int) -> None:
    # JSON and CSV are written a piece of many events (meetings, dyads) at a time: whatever
    # the piece's size, and whether the last piece is full or not, the bytes are the same.
    from annot import render
    from annot.render import dumps_json, summary_csv, summary_event_csv, summary_event_json, summary_json
    from annot.summary import brief, event, tally

    people = [[p(f"a{i}", "actor", "USA"), p(f"r{i % 3}", "recipient", "MLI")] for i in range(7)]
    events = [event(*record(f"e{i}", f"2026-0{i % 3 + 1}", people[i], ["diplomatic"][: i % 2]))
              for i in range(7)]
    whole = tally([brief(e, e) for e in events])
    assert (len(whole.events), len(whole.meetings), len(whole.dyads)) == (7, 7, 7)
    monkeypatch.setattr(render, "_PIECE", piece)
    pieces = list(summary_json(tally([brief(e, summary_event_json(e)) for e in events])))
    assert "".join(pieces) == dumps_json({"events": [e.as_data() for e in whole.events], **whole.as_data()})
    rows = list(summary_csv(tally([brief(e, summary_event_csv(e)) for e in events])))
    assert "".join(rows) == "\n".join([rows[0], *(summary_event_csv(e) for e in whole.events)])
    assert len(rows) == 1 + -(-7 // piece)


@pytest.mark.parametrize("fmt", ["json", "markdown", "csv"])
def test_a_summary_beyond_the_file_size_limit_is_trouble(tmp_path: Path, fmt: str) -> None:
    # ulimit -f: what fits is written, and the rest is an error, not a silent success.
    import resource
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    written = tmp_path / f"summary.{fmt}"
    with written.open("w") as out:
        done = subprocess.run([sys.executable, "-m", "annot", "summary", "--format", fmt], cwd=EXAMPLES,
                              stdout=out, stderr=subprocess.PIPE, text=True, env=env,
                              preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024)))
    assert (done.returncode, done.stderr) == (2, "annot: error: File too large\n")
    assert written.stat().st_size == 1024


def test_a_reader_that_goes_away_ends_a_summary_quietly(tmp_path: Path) -> None:
    # `annot summary --format json | head`: the summary is written a piece at a time, and the
    # piece that meets the closed pipe ends it, with exit 1 and nothing said.
    import subprocess

    from .test_parallel import ANNOT, corpus

    root = corpus(tmp_path, 300)  # about 180 kB of JSON: more than a pipe holds
    with subprocess.Popen([ANNOT, "summary", "--format", "json"], cwd=root, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env={**os.environ, "ANNOT_JOBS": "1"}) as process:
        assert process.stdout is not None and process.stderr is not None
        head = process.stdout.read(10)
        process.stdout.close()
        err = process.stderr.read()
        status = process.wait(timeout=60)
    assert (status, head) == (1, b'{\n  "event')
    assert err.decode().count("annot: warning: skipped") == 3 * 30 + 2 + 2  # then stderr closes


def test_the_words_events_share_cross_back_from_a_worker_once_and_are_held_once() -> None:
    # A summary of 100,000 records holds a brief of each: a party, a topic or a date that
    # many events share is one string, in a worker's chunk of results and in the parent.
    import pickle

    from annot.summary import brief, event

    def record(n: int) -> dict:
        return {"id": f"e{n}", "date": "2026-02-02", "type": "consult", "topics": ["diplomatic"],
                "location": {"place": "Bamako", "country": "MLI"},
                "participants": [{"name": "Abdoulaye Diop", "role": "actor", "country": "MLI"},
                                 {"name": "Nick Checker", "role": "recipient", "country": "USA"}]}

    briefs = pickle.loads(pickle.dumps([brief(e, None) for e in (event(f"e{n}.yaml", record(n))
                                                                   for n in range(2))]))
    first = briefs[0]
    shared = [(b.date, b.type, b.where[0], b.where[1], b.topics[0], b.parties[0][0], b.parties[0][1],
               b.met[0][0], b.dyads[0][1]) for b in briefs]
    assert all(a is b for a, b in zip(*shared, strict=True))
    assert first.met == [("name:abdoulaye diop", "name:nick checker")]
    assert first.met[0][0] is first.parties[0][0] and first.met[0][1] is first.parties[1][0]
