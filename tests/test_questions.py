"""The question core without a terminal: each check at its prompt, replays, edits."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml.comments import CommentedMap

from annot import adding
from annot.project import project_for
from annot.questions import Question, Session, Wrong, put, shown
from annot.validate import schema_for

from .conftest import EXAMPLES, SOURCE_NAME


@pytest.fixture
def desk(repo: Path) -> Path:
    shutil.copy(EXAMPLES / "actors.yaml", repo / "actors.yaml")
    return repo


def session(root: Path, record: Any = None, **options: Any) -> Session:
    project = project_for(root)
    schema = schema_for(project)
    return Session(record if record is not None else CommentedMap(),
                   adding.context(project, schema, "Jane Doe <jane@example.org>"), **options)


def until(asked: Session, key: str, answers: dict[str, str]) -> None:
    """Answer (the given answer, else the default) until the question `key`."""
    while asked.current is not None and asked.current.key != key:
        assert asked.give(answers.get(asked.current.key, "")) is None, asked.current
    assert asked.current is not None and asked.current.key == key


START = {"/type": "cooperate", "/date": "2026-02-02", "/participants/0/name": "Abdoulaye Diop",
         "/participants/0/role": "actor", "/location/place": "Bamako"}


def reasons(asked: Session, *answers: str) -> list[str | None]:
    return [asked.give(a) for a in answers]


def test_answers_are_checked_by_the_rules_known_at_their_prompt(desk: Path) -> None:
    asked = session(desk)
    assert reasons(asked, "meet", "COOPERATE") == [
        "'meet' is not one of the 16 choices (? lists them) (did you mean 'consult'?)", None]
    until(asked, "/location/country", START)
    assert ("MLI", "Mali") in asked.current.listing() and ("KOS", "Kosovo (PLOVER entity code)") in \
        asked.current.listing()
    assert reasons(asked, "MAL", "mali") == [
        "'MAL' is neither an ISO 3166-1 alpha-3 code nor a country's name (did you mean MLI Mali, "
        "MLT Malta, MWI Malawi, MDV Maldives, MYS Malaysia?)", None]
    until(asked, "/location/geonames", START)
    assert reasons(asked, "0", "12x", "2460596") == ["0 is less than the minimum of 1",
                                                   "location.geonames takes a whole number, not '12x'", None]
    until(asked, "/participants/0/name", START)
    assert asked.record["location"]["geonames"] == 2460596
    assert reasons(asked, "abdoulaye-dio") == [
        "'abdoulaye-dio' is not an actor in the registry (did you mean 'abdoulaye-diop'?); "
        "for someone not in it, type the name as the article gives it"]
    assert asked.give("Абдулай Диоп") is None  # an alias in the registry
    until(asked, "/participants/0/ref", START)
    assert asked.current.default == "diop"
    assert asked.give("") is None
    assert asked.current.key == "/participants/1" and asked.current.yes_no
    assert reasons(asked, "maybe", "n") == [
        "answer y or n", "a cooperate event needs a participant with the role recipient: add one"]
    assert asked.give("y") is None
    until(asked, "/participants/1/country", {"/participants/1/title": "Chef de la délégation"})
    assert reasons(asked, "Tchad") == ["'Tchad' is neither an ISO 3166-1 alpha-3 code nor a country's name "
                                       "(did you mean TCD, Chad?)"]
    assert asked.give("igo") is None  # a PLOVER entity code, in any case
    assert reasons(asked, "GVT", "gov") == [
        "'GVT' is not one of the 25 choices (? lists them) (did you mean 'GOV'?)", None]
    assert reasons(asked, "42", "Q42") == ["'42' is not a Wikidata item id such as Q42", None]
    assert asked.give("recipient") is None
    until(asked, "/participants/1/ref", {})
    assert reasons(asked, "diop", "Le Chef", "chef") == [
        "ref 'diop' is taken by another participant", "use a slug such as 'le-chef'", None]
    assert asked.give("n") is None
    assert reasons(asked, "Diplomatic, nope, terorism") == [
        "not known topics (? lists them): 'nope', 'terorism' (did you mean 'terrorism'?)"]
    assert asked.give("Diplomatic, TERRORISM") is None
    assert asked.record["topics"] == ["diplomatic", "terrorism"]
    until(asked, "/source/published", {})
    assert reasons(asked, "2026-13", "2026-02") == ["a date like 2026-02-02, 2026-02 or 2026 (a real one)", None]
    assert reasons(asked, "fr-fr") == [None]
    assert reasons(asked, "../outside.txt", f"sources/{SOURCE_NAME}") == [
        "../outside.txt: outside the repository", None]
    assert asked.record["source"]["language"] == "fr-FR"
    assert asked.give("y") is None
    assert asked.current.listing()[:2] == [("/type", "cooperate"), ("/date", "2026-02-02")]
    assert reasons(asked, "/participants/0", "si court") == [None, "a quote has at least 10 characters"]
    assert reasons(asked, "la relance de coopération dans plusieurs domaines") == [
        f"not found in sources/{SOURCE_NAME}; the closest passage is: "
        "la relance de la coopération dans plusieurs domaines"]
    assert reasons(asked, "la relance de la coopération dans plusieurs domaines", "", "n") == [None, None, None]
    assert asked.current.key == "/related"
    assert reasons(asked, "2026-02-02-bamako-diop-cheker, nope") == [
        "not the id of a record in this repository: '2026-02-02-bamako-diop-cheker' (did you mean "
        "'2026-02-02-bamako-diop-checker'?), 'nope'"]
    assert reasons(asked, "2026-02-02-bamako-diop-checker", "", "") == [None, None, None]
    assert asked.current is None
    assert asked.record["annotation"]["annotator"] == "Jane Doe <jane@example.org>"
    assert asked.record["related"] == ["2026-02-02-bamako-diop-checker"]


def test_a_registry_actor_that_is_no_person_gets_its_id_as_ref(desk: Path) -> None:
    asked = session(desk)
    until(asked, "/participants/0/name", START)
    assert asked.give("États-Unis") is None  # an alias of united-states, a state
    until(asked, "/participants/0/ref", START)
    assert asked.current.default == "united-states"  # not "states", the last word of its name


def test_the_listing_cuts_a_meaning_at_its_first_sentence_not_at_an_abbreviation() -> None:
    asked = Question("/evidence/0/about", "About", meanings={
        "/participants/2": "U.S. Ambassador to Mali", "withhold": "Withhold public goods, e.g. shut off power",
        "agree": "Agree to cooperate. Cooperative actions reported in future tense are AGREE."})
    assert asked.listing() == [("/participants/2", "U.S. Ambassador to Mali"),
                               ("withhold", "Withhold public goods, e.g. shut off power"),
                               ("agree", "Agree to cooperate")]


def test_a_surname_alone_is_asked_again_with_the_actor_it_is_part_of(desk: Path) -> None:
    asked = session(desk)
    until(asked, "/participants/0/name", START)
    assert reasons(asked, "DIOP") == ["'DIOP' is not a name in the registry, but part of Abdoulaye Diop "
                                      "(abdoulaye-diop): type its id to cite it, or 'DIOP' again for someone else"]
    assert asked.give("DIOP") is None  # typed again: someone the registry does not know
    assert asked.current.key == "/participants/0/title"  # asked of an inline participant


def test_a_replayed_draft_asks_only_what_is_missing_or_failed(desk: Path) -> None:
    first = session(desk)
    until(first, "/participants/0/name", START)
    given = first.answers
    again = session(desk, replay=given)
    assert again.current is not None and again.current.key == "/participants/0/name"
    rechecked = session(desk, replay=given, recheck=["/date"])
    assert (rechecked.current.key, rechecked.current.default) == ("/date", "2026-02-02")
    stale = session(desk, replay=[*given[:3], ("/date", "2026-02-30")])
    assert stale.current.key == "/date"
    assert stale.notice == ("Date: the saved answer '2026-02-30' no longer fits: "
                            "a date like 2026-02-02, 2026-02 or 2026 (a real one)")

    # Stopped again before the replay is through, the draft keeps every answer it held: those
    # given, the one asked again, those not reached yet; and the pointer still to check.
    def dated(day: str) -> list[tuple[str, str]]:
        return [(key, day if key == "/date" else raw) for key, raw in given]

    assert session(desk, replay=dated("2026-02-30")).to_save() == (dated("2026-02-30"), [])
    assert session(desk, replay=given, recheck=["/date"]).to_save() == (given, ["/date"])
    answered = session(desk, replay=given, recheck=["/date"])
    assert answered.give("2026-02-03") is None
    assert answered.to_save() == (dated("2026-02-03"), [])


def test_modes_of_the_type_one_or_several(desk: Path) -> None:
    asked = session(desk)
    assert reasons(asked, "consult", "visit, phone, nope") == [None, "not a mode of consult: 'nope'"]
    assert reasons(asked, "Visit, phone") == [None]
    assert asked.record["mode"] == ["visit", "phone"]
    typeless = session(desk)
    assert typeless.give("agree") is None and typeless.current.key == "/factuality"


def test_question_answers_defaults_and_clearing() -> None:
    question = Question("/x", "X", default="old", clearable=True)
    assert (question.answer(""), question.answer("-"), question.answer(" new ")) == ("old", None, "new")
    with pytest.raises(Wrong, match="an answer is needed here"):
        Question("/x", "X", required=True).answer("  ")
    assert Question("/x", "X", choices=("a", "b"), meanings={"a": "First. More."}).listing() == [
        ("a", "First"), ("b", "")]


def test_put_leaves_an_unchanged_value_alone() -> None:
    import datetime

    target = CommentedMap([("date", datetime.date(2026, 2, 2)), ("topics", ["a"])])
    kept = target["topics"]
    put(target, "date", "2026-02-02")
    put(target, "topics", ["a"])
    assert target["date"] == datetime.date(2026, 2, 2) and target["topics"] is kept
    put(target, "topics", None)
    assert "topics" not in target
    assert shown(True) == "y" and shown(None) == "" and shown([1, 2]) == "1, 2"
