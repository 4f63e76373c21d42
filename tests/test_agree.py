"""annot agree: the coefficients against worked examples and NLTK, pairing, the command."""

from __future__ import annotations

import json
import os
import random
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import interval_distance
from nltk.metrics.distance import masi_distance as nltk_masi

from annot import agree as agreement
from annot.agree import INTERVAL, MASI, NOMINAL, alpha, cohen_kappa, masi_distance

from .conftest import EXAMPLES, SEED_ID, git, seed_with

SAMPLE = EXAMPLES / "agreement"

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
# observers, twelve units, missing values ("."); alpha nominal 0.743, interval 0.849.
KRIPPENDORFF_2011 = {
    "A": "1 2 3 3 2 1 4 1 2 . . .",
    "B": "1 2 3 3 2 2 4 1 2 5 . 3",
    "C": ". 3 3 3 2 3 4 2 2 5 1 .",
    "D": "1 2 3 3 2 4 4 1 2 5 1 .",
}


def _reliability(rows: dict[str, str]) -> tuple[list[list[int]], list[tuple[str, str, int]]]:
    units: list[list[int]] = [[] for _ in next(iter(rows.values())).split()]
    triples = []
    for coder, row in rows.items():
        for unit, value in enumerate(row.split()):
            if value != ".":
                units[unit].append(int(value))
                triples.append((coder, str(unit), int(value)))
    return units, triples


def test_alpha_equals_krippendorffs_worked_example_and_nltk() -> None:
    units, triples = _reliability(KRIPPENDORFF_2011)
    nominal, estimated = alpha(units, NOMINAL)
    assert (round(nominal or 0, 3), estimated) == (0.743, False)
    assert nominal == pytest.approx(AnnotationTask(triples).alpha(), abs=1e-12)
    interval, _ = alpha(units, INTERVAL)
    assert round(interval or 0, 3) == 0.849
    assert interval == pytest.approx(AnnotationTask(triples, distance=interval_distance).alpha(), abs=1e-12)


def test_masi_distance_is_passonneaus() -> None:
    """Passonneau (2006): identical 0; a subset 1 - J x 2/3; an overlap 1 - J x 1/3; disjoint 1."""
    ab, abcd, bc = frozenset("AB"), frozenset("ABCD"), frozenset("BC")
    assert masi_distance(ab, ab) == 0
    assert masi_distance(ab, abcd) == pytest.approx(1 - 0.5 * 2 / 3) == nltk_masi(set(ab), set(abcd))
    assert masi_distance(ab, bc) == pytest.approx(1 - 1 / 3 * 1 / 3) == nltk_masi(set(ab), set(bc))
    assert masi_distance(ab, frozenset("CD")) == 1
    assert masi_distance(frozenset(), ab) == 1 and masi_distance(frozenset(), frozenset()) == 0


def test_masi_alpha_equals_nltk() -> None:
    sets = [("a", "b"), ("a", "b", "c"), ("c",), ("d", "e"), ("a",), ()]
    coded = {"x": [0, 1, 2, 3, 4, 5, 0], "y": [1, 1, 2, 4, 4, 0, 0], "z": [0, 1, 3, 3, 0, 5, 0]}
    units: list[list[frozenset[str]]] = [[] for _ in range(7)]
    triples = []
    for coder, chosen in coded.items():
        for unit, which in enumerate(chosen):
            units[unit].append(frozenset(sets[which]))
            triples.append((coder, str(unit), frozenset(sets[which])))

    def nltk_distance(a: frozenset[str], b: frozenset[str]) -> float:  # NLTK's divides by zero on two empty sets
        return masi_distance(a, b) if not (a or b) else nltk_masi(a, b)

    value, estimated = alpha(units, MASI)
    assert not estimated
    assert value == pytest.approx(AnnotationTask(triples, distance=nltk_distance).alpha(), abs=1e-12)


def test_masi_expected_disagreement_is_sampled_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    units = [[frozenset({f"p{i}", "x"}), frozenset({f"p{i}", "x"})] for i in range(30)]
    units += [[frozenset({"q"}), frozenset({"r"})]]
    exact, estimated = alpha(units, MASI)
    assert not estimated
    monkeypatch.setattr(agreement, "MASI_EXACT_LIMIT", 20)
    sampled, estimated = alpha(units, MASI)
    assert estimated and sampled is not None and sampled != exact and abs(sampled - (exact or 0)) < 0.1


def _alpha_as_written(units: list[list[Any]], level: str) -> float | None:
    """Alpha by the formula as written: a Counter of each unit's values, every ordered pair of
    values through the distance function (what `alpha` sums, without its shortcuts)."""
    distance = agreement.DISTANCES[level]
    observed, counts = 0.0, Counter[Any]()
    for values in units:
        if len(values) < 2:
            continue
        within = Counter(values)
        counts.update(within)
        observed += sum(n * m * distance(a, b) for a, n in within.items()
                        for b, m in within.items()) / (len(values) - 1)
    n = drawn = sum(counts.values())
    if level != MASI:
        expected, _ = agreement._expected(counts, level)
    else:
        if len(counts) > agreement.MASI_EXACT_LIMIT:
            shown = sorted(counts, key=agreement._shown)
            sample = random.Random(0).sample(shown, counts=[counts[v] for v in shown],
                                             k=agreement.MASI_EXACT_LIMIT)
            counts, drawn = Counter(sample), agreement.MASI_EXACT_LIMIT
        values = list(counts.items())
        pairs = 0.0
        for i, (a, na) in enumerate(values):
            for b, nb in values[i + 1:]:
                pairs += na * nb if a.isdisjoint(b) else na * nb * masi_distance(a, b)
        expected = 2 * pairs / (drawn * (drawn - 1))
    return 1 - (observed / n) / expected


@pytest.mark.parametrize("level", [NOMINAL, INTERVAL, MASI])
@pytest.mark.parametrize("limit", [1000, 15])
def test_alpha_is_the_formula_as_written_to_the_last_bit(monkeypatch: pytest.MonkeyPatch, level: str,
                                                         limit: int) -> None:
    # `annot agree` prints alpha in full (JSON): its shortcuts must not move the last bit.
    monkeypatch.setattr(agreement, "MASI_EXACT_LIMIT", limit)
    draw = random.Random(level + str(limit))

    def value() -> Any:
        if level == NOMINAL:
            return draw.choice("abcd")
        if level == INTERVAL:
            return 739000 + draw.randrange(400)
        return frozenset(draw.sample("abcdefghijkl", draw.randrange(7)))

    units = [[value() for _ in range(draw.choice([1, 2, 2, 2, 3, 4]))] for _ in range(600)]
    units += [[same, same] for same in (value(), value())]
    found, estimated = alpha(units, level)
    assert estimated == (level == MASI and limit == 15)
    assert found is not None and found == _alpha_as_written(units, level)


def test_cohen_kappa_hand_worked_and_nltk() -> None:
    # 50 items: both yes 20, A yes B no 5, A no B yes 10, both no 15 -> po 0.7, pe 0.5, kappa 0.4.
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    triples = [(c, str(i), v) for i, pair in enumerate(pairs) for c, v in zip("AB", pair, strict=True)]
    assert cohen_kappa(pairs) == pytest.approx(AnnotationTask(triples).kappa())
    # One value throughout: chance agreement is 1, kappa is 0/0, shown as undefined like alpha.
    assert cohen_kappa([("a", "a")]) is None and cohen_kappa([]) is None


def test_no_variation_has_no_alpha() -> None:
    assert alpha([["a", "a"], ["a", "a"]], NOMINAL) == (None, False)
    assert alpha([["a"], ["b"]], NOMINAL) == (None, False)  # nothing pairable


# The command ---------------------------------------------------------------


def test_the_shipped_double_annotated_sample(run) -> None:
    result = run("agree", "annotator-a", "annotator-b", "--format", "json", "--details", cwd=SAMPLE)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["events"] == {"found": 11, "paired": 10}
    detection = {d["annotator"]: (d["events"], d["matched"], round(d["precision"], 3),
                                  round(d["recall"], 3), round(d["f1"], 3)) for d in data["detection"]}
    assert detection == {"annotator-a": (11, 10, 0.909, 1.0, 0.952),
                         "annotator-b": (10, 10, 1.0, 0.909, 0.952)}
    fields = {f["field"]: (f["level"], f["units"], f["alpha"] and round(f["alpha"], 3),
                           f["kappa"] and round(f["kappa"], 3)) for f in data["fields"]}
    assert fields == {
        # mode: only the events whose type has modes (for the others there is nothing to choose)
        "type": ("nominal", 10, 0.885, 0.88), "mode": ("nominal", 3, 0.615, 0.571),
        "factuality": ("nominal", 10, 1.0, 1.0), "date": ("interval", 10, 1.0, None),
        "place": ("nominal", 3, None, None), "country": ("nominal", 4, None, None),
        "topics": ("MASI", 10, 0.928, None),
        "participants": ("MASI", 10, 1.0, None), "roles": ("nominal", 21, 1.0, 1.0),
    }
    # The renamed record pairs by date, place and participants; the missing one is an event disagreement.
    assert [(d["event"], d["field"], d["values"]["annotator-b"]) for d in data["disagreements"]] == [
        ("2005-millennium-challenge-corporation-mali", "event", ""),
        ("2026-02-02-usa-reaffirms-commitment-to-mali", "type", "support"),
        ("2012-usa-suspends-military-aid-mali", "mode", "withdraw"),
        ("2025-usa-mali-intelligence-cooperation", "date", "2025-09"),
        ("2026-02-02-bamako-diop-checker", "topics", "diplomatic, terrorism"),
    ]


def test_text_output_and_details(run) -> None:
    result = run("agree", "annotator-a", "annotator-b", "--details", cwd=SAMPLE)
    assert result.exit_code == 0
    assert "Events: 11 found, 10 by at least two annotators" in result.lines
    assert "  type           nominal       10    0.885           0.880" in result.lines
    assert "  date           interval      10   >0.999               —" in result.lines
    assert result.lines[-2:] == [
        "2026-02-02-bamako-diop-checker",
        "  topics: annotator-a: diplomatic, economic, terrorism; annotator-b: diplomatic, terrorism"]


def test_csv(run) -> None:
    result = run("agree", "annotator-a", "annotator-b", "--format", "csv", cwd=SAMPLE)
    assert result.lines[:2] == ["field,level,units,alpha,kappa,estimated",
                                "type,nominal,10,0.884848,0.879518,false"]
    details = run("agree", "annotator-a", "annotator-b", "--format", "csv", "--details", cwd=SAMPLE)
    assert details.lines[:2] == ["event,field,annotator-a,annotator-b",
                                 "2005-millennium-challenge-corporation-mali,event,"
                                 "2005-millennium-challenge-corporation-mali,"]


def _three_way(tmp_path: Path) -> Path:
    root = tmp_path / "study"
    for name in ("alice", "bob", "carol"):
        (root / name).mkdir(parents=True)
    (root / "alice" / f"{SEED_ID}.yaml").write_text(seed_with(), "utf-8")
    # Bob names it otherwise and cites Diop by registry id, which Alice's inline name is too.
    (root / "bob" / "audience.yaml").write_text(seed_with(
        (f"id: {SEED_ID}", "id: audience"), ("name: Abdoulaye Diop", "actor: abdoulaye-diop")), "utf-8")
    (root / "carol" / f"{SEED_ID}.yaml").write_text(seed_with(("role: recipient", "role: actor")), "utf-8")
    (root / "actors.yaml").write_text(
        "abdoulaye-diop:\n  name: Abdoulaye Diop\n  kind: person\n"
        "nick-checker:\n  name: Nick Checker\n  kind: person\n", "utf-8")
    (root / "annot.yaml").write_text("events: alice\n", "utf-8")
    return root


def test_three_annotators_pair_by_content_with_the_registry(run, tmp_path: Path) -> None:
    root = _three_way(tmp_path)
    result = run("agree", "alice", "bob", "carol", "--format", "json", "--details", cwd=root)
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["events"] == {"found": 1, "paired": 1}
    fields = {f["field"]: (f["units"], f["kappa"]) for f in data["fields"]}
    assert fields["participants"] == (1, None) and fields["roles"] == (3, None)
    assert [(d["field"], list(d["values"].values())) for d in data["disagreements"]] == [
        ("roles actor:abdoulaye-diop", ["recipient", "recipient", "actor"])]


def test_an_id_paired_by_content_pairs_a_third_annotator_by_id(run, tmp_path: Path) -> None:
    root = _three_way(tmp_path)
    # Carol uses Bob's id and moves the date: only Bob's id pairs her with the other two.
    (root / "carol" / f"{SEED_ID}.yaml").unlink()
    (root / "carol" / "audience.yaml").write_text(seed_with(
        (f"id: {SEED_ID}", "id: audience"), ("date: 2026-02-02", "date: 2025-02-02")), "utf-8")
    data = json.loads(run("agree", "alice", "bob", "carol", "--format", "json", cwd=root).stdout)
    assert data["events"] == {"found": 1, "paired": 1}


def test_without_the_registry_a_name_is_not_an_actor_id(run, tmp_path: Path) -> None:
    root = _three_way(tmp_path)
    (root / "actors.yaml").unlink()
    data = json.loads(run("agree", "alice", "bob", "--format", "json", cwd=root).stdout)
    # Without the registry Bob's Diop is known by his title only: two people; Checker pairs the events.
    assert data["events"] == {"found": 1, "paired": 1}
    assert {f["field"]: f["alpha"] for f in data["fields"]}["participants"] == 0.0


def test_git_branches_are_read_without_checking_out(run, repo: Path) -> None:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "seed")
    git(repo, "checkout", "-q", "-b", "bob")
    (repo / "events" / f"{SEED_ID}.yaml").write_text(seed_with(("type: consult", "type: agree")), "utf-8")
    git(repo, "commit", "-q", "-am", "bob's coding")
    git(repo, "checkout", "-q", "main")
    result = run("agree", "main", "bob", "--format", "json", "--details", cwd=repo)
    data = json.loads(result.stdout)
    assert [(d["field"], d["values"]) for d in data["disagreements"]] == [
        ("type", {"main": "consult", "bob": "agree"})]
    assert git(repo, "status", "--porcelain") == ""


def test_trouble(run, tmp_path: Path) -> None:
    shutil.copytree(SAMPLE, tmp_path / "sample")
    one = run("agree", "annotator-a", cwd=tmp_path / "sample")
    assert one.exit_code == 2 and "at least two" in one.stderr
    missing = run("agree", "annotator-a", "nobody", cwd=tmp_path / "sample")
    assert missing.exit_code == 2
    (tmp_path / "sample" / "annotator-b" / "broken.yaml").write_text("id: [\n", "utf-8")
    broken = run("agree", "annotator-a", "annotator-b", cwd=tmp_path / "sample")
    assert broken.exit_code == 2
    assert broken.stderr.startswith("annotator-b/broken.yaml:2:1: error: YAML syntax error")
    afile = run("agree", "annotator-a", "annotator-b/broken.yaml", cwd=tmp_path / "sample")
    assert (afile.exit_code, afile.stderr.strip()) == (
        2, "annot: error: annotator-b/broken.yaml: give a folder of records or a git revision, not a file")


def test_hostile_registry_and_values_print_as_text(run, tmp_path: Path) -> None:
    root = _three_way(tmp_path)
    (root / "actors.yaml").unlink()
    os.mkfifo(root / "actors.yaml")  # never opened: agree would wait forever for a writer
    (root / "carol" / f"{SEED_ID}.yaml").write_text(
        seed_with(("type: consult", 'type: "[red]x\\e[2J"')), "utf-8")
    result = run("agree", "alice", "carol", "--details", cwd=root)
    assert result.exit_code == 0
    assert "  type: alice: consult; carol: [red]x\\x1b[2J" in result.lines


def test_a_version_agrees_with_itself(run) -> None:
    data = json.loads(run("agree", "annotator-a", "annotator-a", "--format", "json", "--details",
                          cwd=SAMPLE).stdout)
    assert data["disagreements"] == [] and data["events"] == {"found": 11, "paired": 11}
    assert {f["alpha"] for f in data["fields"]} <= {1.0, None}
    assert all(d["f1"] == 1.0 for d in data["detection"])


def test_an_event_pairs_with_its_best_match_not_the_first(run, tmp_path: Path) -> None:
    root = _three_way(tmp_path)
    shutil.rmtree(root / "bob")
    (root / "bob").mkdir()
    # Bob codes the audience twice: a poor copy (another actor, another type) under an id that
    # sorts first, and an exact copy under a new id. The exact copy is Alice's event.
    (root / "bob" / "2026-02-02-aaa-first.yaml").write_text(seed_with(
        (f"id: {SEED_ID}", "id: 2026-02-02-aaa-first"), ("name: Nick Checker", "name: Someone Else"),
        ("type: consult", "type: cooperate"), ("mode: visit\n", "")), "utf-8")
    (root / "bob" / "2026-02-02-zzz-second.yaml").write_text(seed_with(
        (f"id: {SEED_ID}", "id: 2026-02-02-zzz-second")), "utf-8")
    data = json.loads(run("agree", "alice", "bob", "--format", "json", "--details", cwd=root).stdout)
    assert data["events"] == {"found": 2, "paired": 1}
    assert [(d["field"], list(d["values"].values())) for d in data["disagreements"]] == [
        ("event", ["", "2026-02-02-aaa-first"])]


def test_an_event_pairs_by_content_at_its_place_or_with_one_that_names_none(run, tmp_path: Path) -> None:
    root = _three_way(tmp_path)
    # Bob names no place (the country is the same): his event is Alice's. Carol's is in
    # Dakar, not Bamako: it is an event of its own, though date and people are the same.
    (root / "bob" / "audience.yaml").write_text(seed_with(
        (f"id: {SEED_ID}", "id: audience"), ("  place: Bamako\n", "")), "utf-8")
    (root / "carol" / f"{SEED_ID}.yaml").unlink()
    (root / "carol" / "in-dakar.yaml").write_text(seed_with(
        (f"id: {SEED_ID}", "id: in-dakar"), ("place: Bamako", "place: Dakar")), "utf-8")
    data = json.loads(run("agree", "alice", "bob", "carol", "--format", "json", "--details", cwd=root).stdout)
    assert data["events"] == {"found": 2, "paired": 1}
    assert [(d["event"], d["field"], list(d["values"].values())) for d in data["disagreements"]] == [
        (SEED_ID, "event", [SEED_ID, "audience", ""]), ("in-dakar", "event", ["", "", "in-dakar"])]


def test_a_mistyped_folder_is_named_as_such(run, tmp_path: Path) -> None:
    shutil.copytree(SAMPLE, tmp_path / "sample")
    git(tmp_path / "sample", "init", "-q")
    result = run("agree", "annotator-a", "annotator-c", cwd=tmp_path / "sample")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "annot: error: annotator-c: no such folder, and not a git revision either\n"


def test_a_mistyped_folder_outside_git_is_named_as_such(run, tmp_path: Path) -> None:
    shutil.copytree(SAMPLE / "annotator-a", tmp_path / "annotator-a")
    result = run("agree", "annotator-a", "annotator-c", cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("annot: error: annotator-c: no such folder (and no git repository here "
                             "for a revision)\n")
