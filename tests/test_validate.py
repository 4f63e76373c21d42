"""`annot validate` on real files: every rule, every format, every bad input."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import EXAMPLES, SEED_ID, SEED_RECORD, seed_with

SEED = f"events/{SEED_ID}.yaml"
DIOP_WARNING = (
    f"{SEED}:11:5: warning: no evidence quote names participant 'Abdoulaye Diop' "
    "(add one with about: /participants/0) [evidence] at /participants/0"
)


def write(repo: Path, text: str, name: str = SEED) -> Path:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_examples_are_valid(run) -> None:
    result = run("validate", cwd=EXAMPLES)
    assert (result.exit_code, result.lines) == (0, ["12 files checked: no problems"])


@pytest.mark.parametrize(
    ("edits", "line"),
    [
        ((("date: 2026-02-02", "date: 2026-02-30"),),
         f"{SEED}:5:7: error: date 2026-02-30 is not a real calendar date [date] at /date"),
        ((("date: 2026-02-02", "date: 2026-02-02\nend_date: 2026-01"),),
         f"{SEED}:6:11: error: end_date 2026-01 is before date 2026-02-02 [date] at /end_date"),
        ((("created: 2026-11-26T10:00:00Z", "created: 2026-11-31T10:00:00Z"),),
         f"{SEED}:46:12: error: annotation.created 2026-11-31T10:00:00Z is not a real date "
         "and time [date] at /annotation/created"),
        ((("- ref: us-ambassador", "- ref: diop"),),
         f"{SEED}:23:10: error: ref 'diop' is already used by participant 0; each participant "
         "needs its own ref [ref] at /participants/2/ref"),
        ((("about: /participants/2", "about: /participants/9"),),
         f"{SEED}:40:12: error: about /participants/9 points at nothing in this record "
         "[pointer] at /evidence/2/about"),
        ((("text: sources/mali", "text: sources/gone-mali"),),
         f"{SEED}:34:9: error: source text sources/gone-mali-usa-audience-2026-02-02.fr.txt "
         "does not exist (paths are relative to the repository root) [source] at /source/text"),
        ((("text: sources/mali-usa-audience-2026-02-02.fr.txt", "text: ../../etc/passwd"),),
         f"{SEED}:34:9: error: source text ../../etc/passwd is outside the repository; give a "
         "path relative to its root [source] at /source/text"),
        ((("quote: Le 2 février 2026", "quote: Le 2 février 2027"),),
         f'{SEED}:37:12: error: quote not found in sources/mali-usa-audience-2026-02-02.fr.txt: '
         '"Le 2 février 2027" (closest: "Le 2 février 2026") [quote] at /evidence/0/quote'),
        ((("quote: M. Nick Checker, haut fonctionnaire du Bureau des Affaires africaines",
           "quote: renforcement de la coopération en matière de renseignement"),),
         f'{SEED}:39:12: error: quote not found in sources/mali-usa-audience-2026-02-02.fr.txt: '
         '"renforcement de la coopération en matière de renseignement" (closest: "renforcement discret de '
         'la coopération en matière de renseignement") [quote] at /evidence/1/quote'),
        ((("quote: Le 2 février 2026", "quote: Nothing of the sort is in this article"),),
         f'{SEED}:37:12: error: quote not found in sources/mali-usa-audience-2026-02-02.fr.txt: '
         '"Nothing of the sort is in this article" [quote] at /evidence/0/quote'),
        ((("[diplomatic, terrorism, economic]", "[diplomatic, terorism]"),),
         f"{SEED}:29:22: error: topic 'terorism' is not in PLOVER's general contexts "
         "(did you mean 'terrorism'?) [topic] at /topics/1"),
        ((("id: 2026-02-02-bamako-diop-checker", "id: 2026-02-02-bamako"),),
         f"{SEED}:2:5: error: id '2026-02-02-bamako' differs from the file name "
         f"'{SEED_ID}.yaml' (expected id '{SEED_ID}') [id] at /id"),
        ((("topics:", "related: [no-such-event]\ntopics:"),),
         f"{SEED}:29:11: error: related id 'no-such-event' is not the id of any record in "
         "events [related] at /related/0"),
        ((("    organization: U.S. Department of State\n    country: USA\n    role: actor",
           "    organisation: U.S. Department of State\n    country: USA\n    role: actor"),),
         f"{SEED}:20:5: error: unknown key 'organisation' (did you mean 'organization'?); allowed "
         "here: ref, actor, name, title, organization, country, sector, wikidata, role, side [schema] at "
         "/participants/1/organisation"),
        ((("type: consult", "type: consultation"),),
         f'{SEED}:3:7: error: type "consultation" is not allowed: expected one of agree, '
         "consult, support, concede, cooperate, aid, retreat, request, accuse, reject, "
         "threaten, protest, sanction, mobilize, coerce, assault (did you mean 'consult'?) "
         "[schema] at /type"),
        ((("type: consult", "type: aid"),),
         f"{SEED}:4:7: error: aid has no modes in PLOVER; leave mode out [mode] at /mode"),
        ((("mode: visit", "mode: discontinue"),),
         f"{SEED}:4:7: error: mode 'discontinue' is not a mode of consult: expected one of visit, "
         "third-party, multilateral, phone ('discontinue' is a mode of sanction) [mode] at /mode"),
        ((("mode: visit", "mode: [visit, vist]"),),
         f"{SEED}:4:15: error: mode 'vist' is not a mode of consult: expected one of visit, "
         "third-party, multilateral, phone (did you mean 'visit'?) [mode] at /mode/1"),
        ((("type: consult\nmode: visit", "type: cooperate"), ("role: recipient", "role: actor")),
         f"{SEED}:10:3: error: a cooperate event requires a recipient in PLOVER: give the party it is "
         "directed to role: recipient [role] at /participants"),
        ((("status: draft", "status: reviewed"),),
         f"{SEED}:47:11: error: a reviewed record names its reviewer (add annotation.reviewer) "
         "[review] at /annotation/status"),
        ((("status: draft", "status: accepted\n  reviewer: jane doe  <JANE@example.org>"),),
         f"{SEED}:48:13: error: the reviewer is the annotator; a record is reviewed by someone else "
         "[review] at /annotation/reviewer"),
        ((("role: recipient", "role: host"),),
         f"{SEED}:16:11: error: a record of the first annot schema (role 'host'); run `annot upgrade "
         f"{SEED}` to bring it to schema v2 [version] at /participants/0/role"),
        ((("quote: Le 2 février 2026", "quote: Le 2 févr"),),
         f"{SEED}:37:12: error: quote is shorter than 10 characters [schema] at /evidence/0/quote"),
        ((("country: MLI", "country: MLO"),),
         f'{SEED}:8:12: error: country "MLO" is not allowed: expected an ISO 3166-1 alpha-3 '
         "country code, e.g. MLI (or PLOVER's KOS) (did you mean 'MLI'?) [schema] at /location/country"),
        ((("    country: USA\n    role: actor", "    country: UN\n    role: actor"),),
         f'{SEED}:21:14: error: country "UN" is not allowed: expected an ISO 3166-1 alpha-3 country '
         "code, e.g. MLI, or a PLOVER entity code: IGO, UNO, EUR, NGO, ISM, IMG, MNC, KOS "
         "(did you mean 'UNO'?) [schema] at /participants/1/country"),
        ((("    country: USA\n    role: actor", "    sector: DIP\n    role: actor"),),
         f'{SEED}:21:13: error: sector "DIP" is not allowed: expected a PLOVER sector code, e.g. '
         "GOV, MIL, SPY [schema] at /participants/1/sector"),
        ((("    name: null", "    name:"), ("    title: U.S. Ambassador to Mali\n", "")),
         f"{SEED}:23:5: error: missing required key 'title' (needed when a participant has no "
         "name) [schema] at /participants/2"),
        ((("[diplomatic, terrorism, economic]", "[diplomatic, economic, diplomatic]"),),
         f"{SEED}:29:9: error: topics lists \"diplomatic\" more than once [schema] at /topics"),
        ((("  language: fr\n", "  language: 12\n"),),
         f"{SEED}:33:13: error: language must be a string, not the number 12 [schema] at /source/language"),
        ((("ref: checker", "ref: Checker"),),
         f'{SEED}:17:10: error: ref "Checker" is not valid; expected a slug of lowercase letters '
         "and digits joined by single hyphens [schema] at /participants/1/ref"),
        ((("  text: sources/mali-usa-audience-2026-02-02.fr.txt\n", ""),
          ("evidence:", "evidence:")),
         f"{SEED}:32:3: error: source needs at least one of 'url', 'text' [schema] at /source"),
    ],
)
def test_each_rule_gives_one_exact_line(repo: Path, run, edits, line: str) -> None:
    write(repo, seed_with(*edits))
    result = run("validate", cwd=repo)
    errors = [x for x in result.lines[:-1] if ": warning: " not in x]
    assert (result.exit_code, errors) == (1, [line])
    assert result.stderr == ""


def test_unquoted_and_quoted_dates_and_bare_years_are_accepted(repo: Path, run) -> None:
    write(repo, seed_with(("date: 2026-02-02", 'date: "2026-02"\nend_date: 2026')))
    assert run("validate", cwd=repo).lines == [
        DIOP_WARNING.replace(":11:5:", ":12:5:"), "1 file checked: 0 errors, 1 warning"]


def test_quotes_match_across_typography_and_white_space(repo: Path, run) -> None:
    text = seed_with((
        "quote: en présence de l'ambassadrice des États-Unis au Mali",
        "quote: \"en  présence de l\u2019ambassadrice\\ndes E\u0301tats-Unis au Mali\"",
    ))
    write(repo, text)
    assert run("validate", cwd=repo).exit_code == 0


def test_each_related_id_is_found_at_its_own_entry_among_entries_that_are_not_ids(repo: Path, run) -> None:
    write(repo, seed_with(("topics:", "related:\n  - 5\n  - no-such-id\n  - {a: 1}\n  - also-missing\ntopics:")))
    result = run("validate", cwd=repo)
    assert [x for x in result.lines if "/related" in x] == [
        f"{SEED}:30:5: error: related must be a string, not the number 5 [schema] at /related/0",
        f"{SEED}:31:5: error: related id 'no-such-id' is not the id of any record in events [related] "
        "at /related/1",
        f"{SEED}:32:5: error: related must be a string, not a mapping [schema] at /related/2",
        f"{SEED}:33:5: error: related id 'also-missing' is not the id of any record in events [related] "
        "at /related/3",
    ]


@pytest.mark.parametrize("others", [0, 64])  # folders of a few names, and of many (looked up another way)
def test_duplicate_ids_and_related_resolve_across_the_repository(repo: Path, run, others: int) -> None:
    for folder in ("events", "events/copy"):
        (repo / folder).mkdir(exist_ok=True)
        for number in range(others):
            (repo / folder / f"unrelated-{number}.yaml").write_text("not: checked here\n")
    other = seed_with(("id: 2026-02-02-bamako-diop-checker", "id: other-event"),
                      ("topics:", f"related: [{SEED_ID}]\ntopics:"))
    write(repo, other, "events/2026/other-event.yaml")
    # Checking one file still sees the rest of the repository.
    result = run("validate", "events/2026/other-event.yaml", cwd=repo)
    assert result.exit_code == 0
    write(repo, SEED_RECORD, f"events/copy/{SEED_ID}.yml")
    result = run("validate", SEED, cwd=repo)
    assert [x for x in result.lines if "[id]" in x] == [
        f"{SEED}:2:5: error: id '{SEED_ID}' is also the id of events/copy/{SEED_ID}.yml [id] at /id"
    ]


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"", "1:1: error: file is empty: a record is a YAML mapping [yaml]"),
        (b"id: [x\n", "2:1: error: YAML syntax error: while parsing a flow sequence: did not "
                      "find expected ',' or ']' [yaml]"),
        (b"- 1\n", "1:1: error: a record is a YAML mapping of keys to values, not a list [yaml]"),
        (b"id: caf\xc3\n", "1:8: error: not UTF-8: byte 0xc3 cannot be decoded [yaml]"),
        (b"id: !!python/object/apply:os.system ['x']\n",
         "1:5: error: custom tag !!python/object/apply:os.system is not allowed in a record [yaml]"),
        (b"a: &a [x,x,x,x,x,x,x,x,x,x]\n" + b"".join(
            b"%c: &%c [" % (c, c) + b",".join([b"*%c" % (c - 1 if c > 98 else 97)] * 10) + b"]\n"
            for c in range(98, 106)),
         "5:29: error: aliases expand to more than 100000 values [yaml]"),
        (b"a: " + b"[" * 10_000 + b"]" * 10_000, "1:1003: error: YAML syntax error: while "
         "increasing flow level: exceeded maximum nesting depth [yaml]"),
        (b"a:\n" + b"".join(b"  " * i + b"- \n" for i in range(70)),
         "65:127: error: nesting deeper than 64 levels [yaml]"),
        (b"a: " + b"x" * 10_485_760, "1:1: error: file is 10.0 MB, larger than the 5 MB a record "
                                     "may be [yaml]"),
    ],
)
def test_bad_input_is_one_line_and_the_run_goes_on(repo: Path, run, content: bytes, line: str) -> None:
    (repo / "events" / "broken.yaml").write_bytes(content)
    result = run("validate", cwd=repo)
    assert result.exit_code == 1
    assert result.lines == [DIOP_WARNING, f"events/broken.yaml:{line}",
                            "2 files checked: 1 error, 1 warning"]
    assert result.stderr == ""


def test_bom_crlf_record_is_valid(repo: Path, run) -> None:
    raw = b"\xef\xbb\xbf" + SEED_RECORD.replace("\n", "\r\n").encode()
    (repo / "events" / f"{SEED_ID}.yaml").write_bytes(raw)
    assert run("validate", cwd=repo).exit_code == 0


def test_directory_named_like_a_record_and_symlink_loops(repo: Path, run) -> None:
    (repo / "events" / "folder.yaml").mkdir()
    os.symlink("loop.yaml", repo / "events" / "loop.yaml")
    os.symlink(".", repo / "events" / "self")
    result = run("validate", cwd=repo)
    assert result.exit_code == 1
    assert result.lines == [
        "events/folder.yaml:1:1: error: is a directory named like a record, not a record file [yaml]",
        "events/self:1:1: error: symbolic link loop: it leads back to a folder above it [yaml]",
        DIOP_WARNING,
        "events/loop.yaml:1:1: error: cannot read: symbolic link loop [yaml]",
        "4 files checked: 3 errors, 1 warning",
    ]


def test_missing_path_and_unknown_option_exit_2(repo: Path, run) -> None:
    result = run("validate", "events/nope.yaml", cwd=repo)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", "annot: error: events/nope.yaml: no such file or folder\n")
    assert run("validate", "--nope", cwd=repo).exit_code == 2


def test_formats(repo: Path, run) -> None:
    write(repo, seed_with(("role: actor", "role: visitor")))
    as_json = json.loads(run("validate", "--format", "json", cwd=repo).stdout)
    assert as_json[1] == {
        "file": SEED, "line": 22, "column": 11, "pointer": "/participants/1/role",
        "rule": "schema", "severity": "error",
        "message": 'role "visitor" is not allowed: expected one of actor, recipient, '
                   "mediator, attendee",
    }
    github = run("validate", "--format", "github", cwd=repo)
    assert github.exit_code == 1
    assert github.lines == [
        f"::warning file={SEED},line=11,col=5,title=annot evidence::no evidence quote names "
        "participant 'Abdoulaye Diop' (add one with about: /participants/0) at /participants/0",
        f"::error file={SEED},line=22,col=11,title=annot schema::role \"visitor\" is not allowed: "
        "expected one of actor, recipient, mediator, attendee at /participants/1/role",
    ]


def test_strict_turns_warnings_into_errors(repo: Path, run) -> None:
    assert run("validate", cwd=repo).exit_code == 0
    strict = run("validate", "--strict", cwd=repo)
    assert strict.exit_code == 1
    assert strict.lines[-1] == "1 file checked: 1 error"


def test_color_only_on_a_terminal_and_never_with_no_color(repo: Path, run, monkeypatch) -> None:
    from annot.cli import use_color

    class Terminal:
        def isatty(self) -> bool:
            return True

    assert use_color(Terminal())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(Terminal())
    assert "\x1b[" not in run("validate", cwd=repo).stdout


def test_project_topics_and_open_topics(repo: Path, run) -> None:
    (repo / "annot.yaml").write_text("topics: [diplomatic, trade]\n")
    result = run("validate", cwd=repo)
    assert [x for x in result.lines if "[topic]" in x] == [
        f"{SEED}:29:22: error: topic 'terrorism' is not in annot.yaml's topics [topic] at /topics/1",
        f"{SEED}:29:33: error: topic 'economic' is not in annot.yaml's topics [topic] at /topics/2",
    ]
    (repo / "annot.yaml").write_text("topics:\n  open: true\n")
    write(repo, seed_with(("[diplomatic, terrorism, economic]", "[anything-goes]")))
    assert run("validate", cwd=repo).exit_code == 0


def test_project_schema_replaces_the_builtin(repo: Path, run) -> None:
    (repo / "annot.yaml").write_text("schema: my.schema.json\n")
    (repo / "my.schema.json").write_text(json.dumps(
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
         "required": ["id", "reviewer"]}))
    result = run("validate", cwd=repo)
    assert [x for x in result.lines if "error" in x][0] == (
        f"{SEED}:2:1: error: missing required key 'reviewer' [schema]")


def test_remote_ref_is_refused_without_network(repo: Path, run) -> None:
    (repo / "annot.yaml").write_text("schema: my.schema.json\n")
    (repo / "my.schema.json").write_text(json.dumps(
        {"$schema": "https://json-schema.org/draft/2020-12/schema",
         "$ref": "https://example.invalid/schema.json"}))
    result = run("validate", cwd=repo)
    assert result.exit_code == 2
    assert result.stderr.startswith("my.schema.json:1:1: error: not a usable JSON Schema: ")
    assert "annot never reaches the network" in result.stderr


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("evnts: events\n", "annot.yaml:1:1: error: unknown key 'evnts' (did you mean 'events'?); "
                            "annot.yaml takes events, sources, actors, schema, topics, warnings"),
        ("warnings: [evidnce]\n", "annot.yaml:1:12: error: \"evidnce\" is not a rule (did you mean "
                                  "'evidence'?); the warnings are coding, evidence"),
        ("warnings: [coding, schema]\n", "annot.yaml:1:20: error: \"schema\" is an error, which cannot be "
                                         "silenced; the warnings are coding, evidence"),
        ("warnings: [" + "x" * 100_000 + "]\n", "annot.yaml:1:12: error: \"" + "x" * 59 + "…\" is not a rule; "
                                                 "the warnings are coding, evidence"),
        ("schema: " + "x" * 5000 + "\n", "annot.yaml:1:9: error: 'schema' must be a path inside the repository, "
                                        "relative to annot.yaml's folder"),
        ("warnings: evidence\n", "annot.yaml:1:11: error: 'warnings' must be a list of warning rule ids "
                                 "(coding, evidence)"),
        ("topics: 3\n", "annot.yaml:1:9: error: 'topics' must be a list of topic slugs, or "
                        "'open: true' to allow any slug"),
        ("events: [\n", "annot.yaml:2:1: error: YAML syntax error: while parsing a flow "
                        "node: did not find expected node content"),
    ],
)
def test_broken_config_is_trouble(repo: Path, run, config: str, message: str) -> None:
    (repo / "annot.yaml").write_text(config)
    result = run("validate", cwd=repo)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message + " [config]\n")


def test_annot_yaml_silences_the_warning_rules_it_names(repo: Path, run) -> None:
    record = repo / "events" / f"{SEED_ID}.yaml"
    record.write_text(seed_with(("mode: visit", "mode: [visit, phone]"), ("role: recipient", "role: actor")))
    warned = run("validate", cwd=repo)
    assert {line.rsplit("[", 1)[1][:-1].split("]")[0] for line in warned.stdout.splitlines()[:-1]} == {
        "coding", "evidence"}
    (repo / "annot.yaml").write_text("events: events\nwarnings: [evidence]\n")
    result = run("validate", cwd=repo)
    assert (result.exit_code, result.stdout.count("[evidence]"), "[coding]" in result.stdout) == (0, 0, True)
    (repo / "annot.yaml").write_text("warnings: [evidence, coding]\n")
    assert run("validate", cwd=repo).stdout == "1 file checked: no problems\n"


def test_a_broken_record_is_its_own_error_not_that_of_every_record_citing_it(repo: Path, run) -> None:
    (repo / "events" / "cited.yaml").write_text("id: [\n", "utf-8")  # there, but not a record
    (repo / "events" / f"{SEED_ID}.yaml").write_text(seed_with(("topics:", "related: [cited]\ntopics:")))
    result = run("validate", cwd=repo)
    assert [line for line in result.lines if "[evidence]" not in line] == [
        "events/cited.yaml:2:1: error: YAML syntax error: while parsing a flow node: did not find "
        "expected node content [yaml]", "2 files checked: 1 error, 1 warning"]
    # Checked alone, the citing record finds the file, unreadable outside this run: the same.
    alone = run("validate", f"events/{SEED_ID}.yaml", cwd=repo)
    assert "[related]" not in alone.stdout and alone.exit_code == 0
    (repo / "events" / "cited.yaml").unlink()
    assert "related id 'cited' is not the id of any record" in run("validate", cwd=repo).stdout


def test_root_is_found_from_a_subfolder(repo: Path, run) -> None:
    result = run("validate", f"{SEED_ID}.yaml", cwd=repo / "events")
    assert result.exit_code == 0


record_texts = st.sampled_from(SEED_RECORD.splitlines(keepends=True))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cut=st.integers(0, len(SEED_RECORD)),
    junk=st.text(alphabet=st.sampled_from(list(":-[]{}!&*#'\"\n |>?%@`\t\\\x00é")), max_size=12),
    drop=st.lists(st.integers(0, 50), max_size=3),
)
def test_damaged_records_always_give_a_clean_answer(repo: Path, run, cut, junk, drop) -> None:
    lines = SEED_RECORD.splitlines(keepends=True)
    for index in sorted(set(drop), reverse=True):
        if index < len(lines):
            del lines[index]
    text = "".join(lines)
    write(repo, text[:cut] + junk + text[cut:])
    result = run("validate", "--format", "json", cwd=repo)
    assert result.exit_code in (0, 1)
    assert result.stderr == ""
    problems = json.loads(result.stdout)
    assert all(p["line"] >= 1 and p["column"] >= 1 and p["message"] for p in problems)
    assert (result.exit_code == 1) == any(p["severity"] == "error" for p in problems)


def test_without_config_or_git_the_root_is_the_current_directory(tmp_path: Path, run) -> None:
    plain = tmp_path / "plain"
    (plain / "records").mkdir(parents=True)
    (plain / "sources").mkdir()
    shutil.copy(EXAMPLES / "sources" / "mali-usa-audience-2026-02-02.fr.txt", plain / "sources")
    write(plain, SEED_RECORD, f"records/{SEED_ID}.yaml")
    # source.text is relative to the current directory, not to the record's folder.
    assert run("validate", f"records/{SEED_ID}.yaml", cwd=plain).exit_code == 0
    elsewhere = run("validate", f"plain/records/{SEED_ID}.yaml", cwd=tmp_path)
    assert "[source]" in elsewhere.stdout


def test_a_repository_root_means_its_records(repo: Path, run) -> None:
    (repo / ".pre-commit-config.yaml").write_text("repos: []\n")
    (repo / "mkdocs.yml").write_text("site_name: desk\n")
    result = run("validate", ".", cwd=repo)
    assert result.lines == [DIOP_WARNING, "1 file checked: 0 errors, 1 warning"]
    outside = run("validate", "repo", cwd=repo.parent)
    assert outside.lines[-1] == "1 file checked: 0 errors, 1 warning"


def test_a_folder_outside_any_records_folder_is_searched_whole(tmp_path: Path, run) -> None:
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "annot.yaml").write_text("topics: {open: true}\n")  # a config, never a record
    (drafts / "one.yaml").write_text("id: one\n")
    result = run("validate", "drafts", cwd=tmp_path)
    assert result.lines[0].startswith("drafts/one.yaml:1:1: error: missing required key 'type'")
    assert result.lines[-1] == "1 file checked: 6 errors"


def test_a_file_named_twice_is_checked_once(repo: Path, run) -> None:
    result = run("validate", SEED, "events", f"./{SEED}", cwd=repo)
    assert result.lines == [DIOP_WARNING, "1 file checked: 0 errors, 1 warning"]


@pytest.mark.parametrize(
    ("pattern", "value", "line"),
    [
        # Python's \d and \w take any script's digits and letters, ECMA 262's only ASCII (what
        # editors and jsonschema-rs read): both engines read every pattern the ECMA way.
        ("^\\d+$", "١٢٣", 'events/a.yaml:1:5: error: id "١٢٣" is not valid (pattern ^\\d+$) [schema] at /id'),
        ("^\\w+$", "café", 'events/a.yaml:1:5: error: id "café" is not valid (pattern ^\\w+$) [schema] at /id'),
        # Backtracks exponentially in Python's re; linear in the ECMA engine both now use.
        ("^(a+)+$", "a" * 40 + "!", 'events/a.yaml:1:5: error: id "' + "a" * 40 + '!" is not valid '
                                    "(pattern ^(a+)+$) [schema] at /id"),
    ],
)
def test_a_record_that_one_engine_fails_is_never_valid(tmp_path: Path, run, pattern, value, line) -> None:
    (tmp_path / "annot.yaml").write_text("schema: s.json\n")
    schema = {"type": "object", "properties": {"id": {"type": "string", "pattern": pattern}}}
    (tmp_path / "s.json").write_text(json.dumps(schema))
    write(tmp_path, f'id: "{value}"\n', "events/a.yaml")
    result = run("validate", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.lines[0] == line


def test_a_unicode_property_pattern_is_read_by_both_engines(tmp_path: Path, run) -> None:
    (tmp_path / "annot.yaml").write_text("schema: s.json\n")
    (tmp_path / "s.json").write_text(
        '{"type": "object", "properties": {"id": {"type": "string", "pattern": "^\\\\p{Letter}+$"}}}')
    write(tmp_path, 'id: "été"\n', "events/été.yaml")
    assert run("validate", cwd=tmp_path).lines == ["1 file checked: no problems"]
    write(tmp_path, 'id: "a1"\n', "events/été.yaml")
    assert run("validate", cwd=tmp_path).lines[0].startswith('events/été.yaml:1:5: error: id "a1" is not valid')


def test_a_property_pattern_python_cannot_read_is_a_configuration_error(tmp_path: Path, run) -> None:
    (tmp_path / "annot.yaml").write_text("schema: s.json\n")
    (tmp_path / "s.json").write_text(
        '{"type": "object", "patternProperties": {"^\\\\p{Letter}+$": {"type": "string"}}}')
    write(tmp_path, "id: a\n", "events/a.yaml")
    result = run("validate", cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("s.json:1:1: error: pattern '^\\\\p{Letter}+$' is not one both schema engines "
                             "read (bad escape \\p at position 1); write it without that construct [config]\n")


@pytest.mark.parametrize("field", ["date", "source/language", "source/url"])
def test_built_in_patterns_refuse_a_trailing_newline(repo: Path, run, field: str) -> None:
    import json as json_module

    from annot.records import load

    data = load(SEED_RECORD.encode()).data
    parent, key = (data, field) if "/" not in field else (data["source"], field.split("/")[1])
    parent[key] = str(parent.get(key, "https://example.org/a")) + "\n"
    write(repo, json_module.dumps(data, ensure_ascii=False))
    result = run("validate", cwd=repo)
    assert result.exit_code == 1
    assert f"[schema] at /{field}" in result.stdout


def custom_schema_repo(root: Path, schema: dict, files: dict[str, object]) -> None:
    root.mkdir(exist_ok=True)
    (root / "annot.yaml").write_text("schema: schemas/record.json\n")
    for name, content in {"schemas/record.json": schema, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))


def test_a_custom_schema_resolves_relative_refs_inside_the_repository(tmp_path: Path, run) -> None:
    custom_schema_repo(tmp_path, {
        "type": "object", "required": ["id"],
        "properties": {"id": {"$ref": "parts/id.json"}, "topics": {"$ref": "parts/id.json#/$defs/topics"}},
    }, {"schemas/parts/id.json": {"type": "string", "pattern": "^[a-z]+$",
                                  "$defs": {"topics": {"type": "array", "items": {"enum": ["trade"]}}}}})
    write(tmp_path, "id: a\ntopics: [trade]\n", "events/a.yaml")
    assert run("validate", cwd=tmp_path).lines == ["1 file checked: no problems"]
    # Nothing PLOVER-specific: the schema's own enum speaks, not the topic rule.
    write(tmp_path, "id: a\ntopics: [health]\n", "events/a.yaml")
    assert run("validate", cwd=tmp_path).lines == [
        'events/a.yaml:2:10: error: topics "health" is not allowed: expected one of trade [schema] '
        "at /topics/0", "1 file checked: 1 error"]


@pytest.mark.parametrize(
    ("ref", "why"),
    [("../../outside.json", "is outside the repository"),
     ("https://example.org/x.json", "is not fetched: annot never reaches the network")],
)
def test_a_ref_out_of_the_repository_is_refused(tmp_path: Path, run, ref: str, why: str) -> None:
    root = tmp_path / "desk"
    custom_schema_repo(root, {"type": "object", "properties": {"id": {"$ref": ref}}}, {})
    (tmp_path / "outside.json").write_text("{}")
    write(root, "id: a\n", "events/a.yaml")
    result = run("validate", cwd=root)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("schemas/record.json:1:1: error: not a usable JSON Schema: ")
    assert why in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("edits", "warning"),
    [
        ((("mode: visit", "factuality: future"),),
         f"{SEED}:3:7: warning: PLOVER codes a future consult as agree (the codebook's AGREE: future "
         "consults are AGREE) [coding] at /type"),
        ((("type: consult\nmode: visit", "type: support\nfactuality: future"),),
         f"{SEED}:3:7: warning: PLOVER codes a future support as agree (the codebook's AGREE: future "
         "SUPPORT, COOPERATE and AID are AGREE) [coding] at /type"),
        ((("type: consult\nmode: visit", "type: retreat\nfactuality: future"),),
         f"{SEED}:3:7: warning: PLOVER codes a future retreat as concede (the codebook's RETREAT: "
         "announcements of future retreats are CONCEDE) [coding] at /type"),
        ((("role: recipient", "role: actor"),),
         f"{SEED}:4:7: warning: in a visit the visitor is the actor and the host the recipient; no "
         "participant is the recipient [coding] at /mode"),
        ((("role: recipient", "role: attendee"), ("mode: visit", "mode: phone")),
         f"{SEED}:11:3: warning: a consult needs at least two parties (actors, a recipient, a mediator) "
         "[coding] at /participants"),
    ],
)
def test_codebook_guidance_is_a_warning(repo: Path, run, edits, warning: str) -> None:
    write(repo, seed_with(*edits))
    result = run("validate", cwd=repo)
    assert result.exit_code == 0
    assert [x for x in result.lines if "[coding]" in x] == [warning]


def test_sarif_for_code_scanning_with_paths_from_the_git_root(repo: Path, run) -> None:
    from .conftest import git

    git(repo.parent, "init", "-q")
    write(repo, seed_with(("role: actor", "role: visitor")))
    result = run("validate", "--format", "sarif", cwd=repo / "events")
    assert result.exit_code == 1
    sarif = json.loads(result.stdout)
    assert (sarif["version"], sarif["runs"][0]["tool"]["driver"]["name"]) == ("2.1.0", "annot")
    rules = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
    assert rules == ["evidence", "schema"]
    error = sarif["runs"][0]["results"][1]
    assert error == {
        "ruleId": "schema", "ruleIndex": 1, "level": "error",
        "message": {"text": 'role "visitor" is not allowed: expected one of actor, recipient, mediator, '
                            "attendee at /participants/1/role"},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": f"repo/{SEED}", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 22, "startColumn": 11}}}],
    }
    github = run("validate", "--format", "github", cwd=repo / "events")
    assert github.lines[1].startswith(f"::error file=repo/{SEED},line=22,col=11,")


def test_one_record_from_standard_input(repo: Path, run) -> None:
    draft = seed_with(("id: 2026-02-02-bamako-diop-checker", "id: draft"), ("role: actor", "role: visitor"))
    result = run("validate", "-", cwd=repo, input=draft)
    assert (result.exit_code, [x for x in result.lines if "error" in x]) == (1, [
        '-:22:11: error: role "visitor" is not allowed: expected one of actor, recipient, mediator, '
        "attendee [schema] at /participants/1/role",
        "1 file checked: 1 error, 1 warning",
    ])


def test_an_editors_buffer_is_checked_as_the_file_it_names(repo: Path, run) -> None:
    # Without a name, the buffer of a record already saved holds the id of that record: a
    # duplicate. Named, it stands for the file (not read), whose name its id must match;
    # paths are shown from where annot runs, and from the git root in github's format.
    saved = (repo / SEED).read_text("utf-8")
    alone = run("validate", "-", cwd=repo, input=saved)
    assert (alone.exit_code, alone.lines[0]) == (1, f"-:2:5: error: id '{SEED_ID}' is also the id of {SEED} "
                                                    "[id] at /id")
    assert run("validate", "-", "--stdin-filename", SEED, cwd=repo, input=saved).exit_code == 0
    renamed = run("validate", "-", "--stdin-filename", SEED, cwd=repo, input=saved.replace(SEED_ID, "other", 1))
    assert (renamed.exit_code, renamed.lines[0]) == (1, f"{SEED}:2:5: error: id 'other' differs from the file "
                                                        f"name '{Path(SEED).name}' (expected id '{SEED_ID}') [id] at /id")
    from .conftest import git

    git(repo.parent, "init", "-q")
    broken = saved.replace("role: actor", "role: visitor")
    github = run("validate", "-", "--format", "github", "--stdin-filename", Path(SEED).name, cwd=repo / "events",
                 input=broken)
    assert [line.split(",line=")[0] for line in github.lines if line.startswith("::error")] == [
        f"::error file=repo/{SEED}"]
    # A link out of the repository is not followed: the buffer stands in its place.
    outside = repo.parent / "outside"
    outside.mkdir()
    (outside / "2026-03-03-linked.yaml").write_text("not: [a record\n")
    (repo / "events" / "2026-03-03-linked.yaml").symlink_to(outside / "2026-03-03-linked.yaml")
    linked = run("validate", "-", "--stdin-filename", "events/2026-03-03-linked.yaml", cwd=repo,
                 input=saved.replace(SEED_ID, "2026-03-03-linked", 1))
    assert (linked.exit_code, linked.lines[-1]) == (0, "1 file checked: 0 errors, 1 warning")
    unsaved = run("validate", "-", "--stdin-filename", "events/2026-03-03-new.yaml", cwd=repo,
                  input=saved.replace(SEED_ID, "2026-03-03-new", 1))
    assert (unsaved.exit_code, unsaved.lines[-1]) == (0, "1 file checked: 0 errors, 1 warning")
    for args, message in [(("--stdin-filename", SEED), "--stdin-filename names the record read from standard "
                            "input: give it with `-` as the only path, and without --staged"),
                          (("-", "--stdin-filename", "events"), "--stdin-filename events: a folder; name a "
                           "record file"),
                          (("-", "--stdin-filename", "events/-"), "--stdin-filename 'events/-': name a record "
                           "file (`-` is standard input)"),
                          (("-", "--staged", "--stdin-filename", SEED), "--stdin-filename names the record "
                           "read from standard input: give it with `-` as the only path, and without --staged")]:
        refused = run("validate", *args, cwd=repo, input=saved)
        assert (refused.exit_code, refused.stderr) == (2, f"annot: error: {message}\n")


def test_a_check_leaves_the_callers_garbage_to_the_collector(repo: Path) -> None:
    # Freezing what a run gathered would freeze every garbage cycle of the process with it:
    # only the export stream, in a process of its own, asks for that.
    import gc
    import weakref

    from annot.validate import check

    class Node:
        pass

    thresholds = gc.get_threshold()
    gc.set_threshold(10**9)  # no collection of the collector's own before the check's end
    try:
        node = Node()
        node.self = node  # type: ignore[attr-defined]
        gone = weakref.ref(node)
        del node
        check([], repo)
    finally:
        gc.set_threshold(*thresholds)
    gc.collect()
    assert gone() is None


@pytest.mark.parametrize("fmt", ["json", "github", "sarif"])
def test_configuration_errors_come_in_the_chosen_format(repo: Path, run, fmt: str) -> None:
    (repo / "annot.yaml").write_text("evnts: events\n")
    result = run("validate", "--format", fmt, cwd=repo)
    assert (result.exit_code, result.stderr) == (2, "")
    if fmt == "json":
        assert json.loads(result.stdout) == [{
            "file": "annot.yaml", "line": 1, "column": 1, "pointer": "", "rule": "config",
            "severity": "error",
            "message": "unknown key 'evnts' (did you mean 'events'?); annot.yaml takes events, sources, "
                       "actors, schema, topics, warnings"}]
    elif fmt == "github":
        assert result.stdout.startswith("::error file=annot.yaml,line=1,col=1,title=annot config::unknown key")
    else:
        assert json.loads(result.stdout)["runs"][0]["results"][0]["ruleId"] == "config"


def test_a_checker_for_the_valid_records_runs_no_rule_that_only_warns(repo: Path, monkeypatch) -> None:
    """export, summary and report read the valid records and drop every warning: their checker
    does not run the rules that only warn, and finds the same errors."""
    from annot.validate import ERROR, Checker, collect

    write(repo, seed_with(("role: recipient", "role: attendee"), ("mode: visit", "mode: phone"),
                          ("date: 2026-02-02", "date: 2026-02-31")))
    monkeypatch.chdir(repo)
    targets, _ = collect([], repo)
    every = Checker().run(targets).problems
    errors_only = Checker(errors_only=True).run(targets).problems
    assert {p.rule for p in every if p.severity != ERROR} == {"coding", "evidence"}
    assert errors_only == [p for p in every if p.severity == ERROR] != []


@pytest.mark.parametrize("command", [("summary",), ("summary", "--format", "json"), ("export",),
                                     ("actors",), ("actors", "suggest"), ("report", "-o", "r.html")])
def test_the_commands_that_read_the_valid_records_run_no_rule_that_only_warns(
        run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]) -> None:
    from annot.rules import RULES
    from annot.validate import Checker

    corpus = tmp_path / "examples"
    shutil.copytree(EXAMPLES, corpus)

    def refuse(_: object) -> None:
        raise AssertionError("a rule that only warns was run")

    for rule_id, rule in list(RULES.items()):
        if rule.severity != "error" and rule.check is not None:
            monkeypatch.setitem(RULES, rule_id, rule._replace(check=refuse))
    Checker._rules_of.cache_clear()
    try:
        assert run(*command, cwd=corpus).exit_code == 0
    finally:
        Checker._rules_of.cache_clear()
