"""The actor registry: its rules, participants citing it, one identity across scripts,
`annot actors` and `annot actors suggest`, and ids derived from any script."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annot.ids import derive_id
from annot.names import fold, slug

from .conftest import SEED_ID, seed_with

SEED = f"events/{SEED_ID}.yaml"
REGISTRY = """\
mali:
  name: Mali
  kind: state
  country: MLI
abdoulaye-diop:
  name: Abdoulaye Diop
  kind: person
  country: MLI
  aliases: [Абдулай Диоп]
  member_of: [mali]
nick-checker:
  name: Nick Checker
  kind: person
  country: USA
"""


def errors(lines: list[str]) -> list[str]:
    return [line for line in lines if ": warning: " not in line]


@pytest.fixture
def registered(repo: Path) -> Path:
    (repo / "actors.yaml").write_text(REGISTRY, "utf-8")
    return repo


@pytest.mark.parametrize(
    ("registry", "line"),
    [
        ("- mali\n", "actors.yaml:1:1: error: the registry is a YAML mapping of actor ids to their entries, "
                     "not a list [yaml]"),
        (REGISTRY + "Bad_Id:\n  name: X\n  kind: state\n",
         "actors.yaml:15:1: error: actor id 'Bad_Id' is not a slug (lowercase letters and digits joined by "
         "single hyphens) [registry] at /Bad_Id"),
        (REGISTRY + "x:\n  name: X\n  kind: person\n  aliases: [1, two]\n",
         "actors.yaml:18:13: error: aliases must be a string, not the number 1 [schema] at /x/aliases/0"),
        (REGISTRY + "x:\n  name: X\n  kind: person\n  aliases: [" + "y" * 1_000_000 + "]\n",
         "actors.yaml:18:13: error: aliases is longer than 500 characters [schema] at /x/aliases/0"),
        (REGISTRY.replace("  member_of: [mali]", "  member_of: [mail]"),
         "actors.yaml:10:15: error: member_of 'mail' is not an actor id (did you mean 'mali'?) [registry] "
         "at /abdoulaye-diop/member_of/0"),
        (REGISTRY.replace("  country: MLI\nabdoulaye", "  country: MLI\n  member_of: [abdoulaye-diop]\nabdoulaye"),
         "actors.yaml:5:15: error: member_of 'abdoulaye-diop' makes a cycle: 'abdoulaye-diop' is already a "
         "member of 'mali' [registry] at /mali/member_of/0"),
        (REGISTRY.replace("  country: USA", "  country: USA\n  aliases: [ABDOULAYE DIÔP]"),
         "actors.yaml:15:12: error: 'ABDOULAYE DIÔP' also names actor 'abdoulaye-diop'; a name or alias "
         "names one actor [registry] at /nick-checker/aliases"),
        (REGISTRY.replace("  country: MLI\n", "  country: MLI\n  wikidata: Q1\n", 1)
         .replace("  country: USA", "  country: USA\n  wikidata: Q1"),
         "actors.yaml:16:13: error: wikidata Q1 is also actor 'mali' [registry] at /nick-checker/wikidata"),
    ],
)
def test_each_registry_problem_is_one_located_line(registered: Path, run, registry: str, line: str) -> None:
    (registered / "actors.yaml").write_text(registry, "utf-8")
    result = run("validate", cwd=registered)
    assert result.exit_code == 1
    assert errors(result.lines)[0] == line
    assert max(len(x) for x in result.lines) < 400
    assert result.lines[-1].startswith("2 files checked: ")  # the records are still checked


def test_a_registry_of_many_actors_is_read_and_a_bomb_is_not(registered: Path, run) -> None:
    # 30,000 actors, some 150,000 values: far more than a record may hold, as a registry may.
    (registered / "actors.yaml").write_text(REGISTRY + "".join(
        f"a{n}:\n  name: Actor {n}\n  kind: person\n  country: MLI\n  aliases: [A{n}]\n"
        for n in range(30_000)), "utf-8")
    assert run("validate", cwd=registered).lines[-1] == "2 files checked: 0 errors, 1 warning"
    (registered / "actors.yaml").write_text(
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{k}: &{k} [*{j}, *{j}, *{j}, *{j}, *{j}, *{j}, *{j}, *{j}, *{j}, *{j}]\n"
            for j, k in zip("abcdefg", "bcdefgh", strict=True)), "utf-8")
    assert errors(run("validate", cwd=registered).lines)[0].startswith(
        "actors.yaml:7:8: error: aliases expand to more than 2000000 values [yaml]")


def test_a_participant_cites_the_registry_by_id(registered: Path, run) -> None:
    cited = seed_with(("    name: Abdoulaye Diop\n", "    actor: abdoulaye-diop\n"))
    (registered / SEED).write_text(cited)
    assert run("validate", cwd=registered).lines[-1] == "2 files checked: 0 errors, 1 warning"
    (registered / SEED).write_text(cited.replace("actor: abdoulaye-diop", "actor: abdulaye-diop"))
    assert errors(run("validate", cwd=registered).lines) == [
        f"{SEED}:12:12: error: actor 'abdulaye-diop' is not in actors.yaml (did you mean 'abdoulaye-diop'?) "
        "[actor] at /participants/0/actor",
        "2 files checked: 1 error",
    ]


def test_a_name_beside_an_actor_is_its_name_or_an_alias(registered: Path, run) -> None:
    record = registered / "events" / f"{SEED_ID}.yaml"
    cited = seed_with(("name: Abdoulaye Diop", "actor: abdoulaye-diop\n    name: Abdoulaye Diop"))
    for name in ("Abdoulaye Diop", "abdoulaye  DIOP", "Абдулай Диоп"):  # its name, folded; an alias
        record.write_text(cited.replace("name: Abdoulaye Diop", f"name: {name}"), "utf-8")
        assert "[actor]" not in run("validate", cwd=registered).stdout, name
    record.write_text(cited.replace("name: Abdoulaye Diop", "name: Moussa Mara"), "utf-8")
    assert errors(run("validate", cwd=registered).lines)[0] == (
        f"{SEED}:13:11: error: \"Moussa Mara\" is not a name or alias of actor 'abdoulaye-diop': drop it (the "
        "registry names the actor), or add it to its aliases in actors.yaml [actor] at /participants/0/name")
    record.write_text(cited.replace("name: Abdoulaye Diop", "name: Nick Checker"), "utf-8")
    assert errors(run("validate", cwd=registered).lines)[0] == (
        f"{SEED}:13:11: error: \"Nick Checker\" names actor 'nick-checker', not 'abdoulaye-diop': cite one "
        "of them [actor] at /participants/0/name")


def test_an_actor_without_a_registry_is_named(repo: Path, run) -> None:
    (repo / SEED).write_text(seed_with(("    name: Abdoulaye Diop\n", "    actor: abdoulaye-diop\n")))
    assert errors(run("validate", cwd=repo).lines)[0] == (
        f"{SEED}:12:12: error: actor 'abdoulaye-diop': the repository has no actors.yaml to look it up in "
        "[actor] at /participants/0/actor")


def test_the_registry_supplies_the_name_evidence_is_asked_for(registered: Path, run) -> None:
    (registered / SEED).write_text(seed_with(("    name: Abdoulaye Diop\n", "    actor: abdoulaye-diop\n")))
    assert run("validate", cwd=registered).lines[0] == (
        f"{SEED}:11:5: warning: no evidence quote names participant 'Abdoulaye Diop' (add one with about: "
        "/participants/0) [evidence] at /participants/0")


def test_one_party_across_scripts_inline_and_by_id(registered: Path, run) -> None:
    by_id = seed_with(("    name: Abdoulaye Diop\n", "    actor: abdoulaye-diop\n"))
    cyrillic = seed_with(("id: 2026-02-02-bamako-diop-checker", "id: cyrillic"),
                         ("name: Abdoulaye Diop", "name: Абдулай Диоп"))
    latin = seed_with(("id: 2026-02-02-bamako-diop-checker", "id: latin"),
                      ("name: Abdoulaye Diop", "name: ABDOULAYE  DIÔP"))
    (registered / SEED).write_text(by_id)
    (registered / "events" / "cyrillic.yaml").write_text(cyrillic)
    (registered / "events" / "latin.yaml").write_text(latin)
    data = json.loads(run("summary", "--format", "json", cwd=registered).stdout)
    assert data["meetings"] == [{"a": "Abdoulaye Diop", "b": "Nick Checker", "count": 3,
                                 "events": [SEED_ID, "cyrillic", "latin"]}]


def test_actors_lists_each_with_the_records_citing_it(registered: Path, run) -> None:
    assert run("actors", cwd=registered).lines == [
        "mali            Mali (state, MLI): 0 records",
        "abdoulaye-diop  Abdoulaye Diop (person, MLI): 1 record",
        "nick-checker    Nick Checker (person, USA): 1 record",
    ]
    rows = run("actors", "--format", "csv", cwd=registered).lines
    assert rows[:2] == ["id,name,kind,country,records,events", "mali,Mali,state,MLI,0,"]
    assert json.loads(run("actors", "--format", "json", cwd=registered).stdout)[1]["events"] == [SEED_ID]


def said(result: Any) -> tuple[int, str, str]:
    return result.exit_code, result.stdout, result.stderr


def test_a_registry_with_errors_is_named_and_never_taken_for_none(registered: Path, run, tmp_path: Path) -> None:
    actors = registered / "actors.yaml"
    broken = "actors.yaml:2:1: error: YAML syntax error: while parsing a flow node: did not find expected node content [yaml]\n"
    actors.write_text("mali: [\n", "utf-8")
    assert said(run("actors", cwd=registered)) == (1, "", broken)
    assert said(run("actors", "suggest", cwd=registered)) == (
        1, "", broken + "annot: error: the registry has errors (above): fix them first\n")
    assert run("actors", "suggest", "--write", cwd=registered).stderr.endswith("fix them first, nothing written\n")
    assert actors.read_text("utf-8") == "mali: [\n"
    actors.unlink()
    (tmp_path / "outside.yaml").write_text(REGISTRY, "utf-8")
    actors.symlink_to(tmp_path / "outside.yaml")
    assert said(run("actors", cwd=registered)) == (
        1, "", "actors.yaml:1:1: error: a symbolic link out of the repository: not read [yaml]\n")
    # With no record at all (just after annot init), the registry is read all the same.
    actors.unlink()
    actors.write_text("mali: [\n", "utf-8")
    (registered / "events" / f"{SEED_ID}.yaml").unlink()
    assert said(run("actors", cwd=registered)) == (1, "", broken)
    assert said(run("validate", cwd=registered)) == (1, broken + "1 file checked: 1 error\n", "")
    # A registry that reads, with an error in one entry: listed, the error said, exit 1.
    actors.unlink()
    actors.write_text(REGISTRY.replace("  country: MLI", "  country: XXX", 1), "utf-8")
    listed = run("actors", cwd=registered)
    assert (listed.exit_code, listed.lines[0]) == (1, "mali            Mali (state, XXX): 0 records")
    assert listed.stderr.startswith("actors.yaml:4:12: error: country \"XXX\" is not allowed")


def test_suggest_finds_known_inline_participants_and_recurring_names(repo: Path, run) -> None:
    (repo / "actors.yaml").write_text(REGISTRY.replace("  aliases: [Абдулай Диоп]\n", ""), "utf-8")
    for name, spelling in (("a", "Сергей Лавров"), ("b", "Сергей Лавров"), ("c", "王毅"), ("d", "Wang Yi")):
        (repo / "events" / f"{name}.yaml").write_text(
            seed_with((f"id: {SEED_ID}", f"id: {name}"), ("name: Nick Checker", f"name: {spelling}")))
    result = run("actors", "suggest", cwd=repo)
    assert result.lines[0] == f"{SEED}: /participants/0 'Abdoulaye Diop' is actor 'abdoulaye-diop': write actor: abdoulaye-diop"
    assert result.lines[-10:] == [
        "# 2 names recur without an entry; for actors.yaml:",
        "sergei-lavrov:",
        '  name: "Сергей Лавров"',
        "  kind: person                 # check: person, organization, state or group",
        "  country: USA",
        "wang-yi:",
        '  name: "Wang Yi"',
        "  kind: person                 # check: person, organization, state or group",
        "  country: USA",
        '  aliases: ["王毅"]',
    ]
    written = run("actors", "suggest", "--write", cwd=repo)
    assert written.lines[-1] == "added 2 actors to actors.yaml"
    assert run("validate", cwd=repo).exit_code == 0
    assert run("actors", "suggest", cwd=repo).lines[-1].endswith("write actor: wang-yi")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Сергей Лавров", "sergei-lavrov"), ("王毅", "wang-yi"), ("Владимир Путин", "vladimir-putin"),
     ("习近平", "xi-jin-ping"), ("عبد الله", "bd-llh"), ("김정은", "gim-jeong-eun"), ("Sergueï", "serguei")],
)
def test_ids_from_any_script_lose_nobody(name: str, expected: str) -> None:
    assert slug(name) == expected
    record = {"date": "2026-02-02", "location": {"place": "Москва"},
              "participants": [{"name": name, "role": "actor"}, {"name": "Wang Yi", "role": "recipient"}]}
    assert derive_id(record) == f"2026-02-02-moskva-{expected}-wang-yi"


def test_folding_ignores_case_accents_spacing_and_script() -> None:
    assert fold(" ABDOULAYE\u00a0DIÔP ") == fold("Abdoulaye Diop") == "abdoulaye diop"
    assert fold("王毅") == fold("Wang Yi")
