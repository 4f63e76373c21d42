"""`annot add` / `annot create` and `annot init`, on real temporary repositories."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from annot import newrecord

from .conftest import SEED_ID, git

CREATED = "2026-11-26T10:00:00Z"

SEED_SETTINGS = [
    "type=consult", "mode=visit", "date=2026-02-02",
    "location.place=Bamako", "location.country=MLI", "location.basis=inferred",
    "participants.0.ref=diop", "participants.0.name=Abdoulaye Diop", "participants.0.country=MLI",
    "participants.0.role=recipient",
    "participants.1.ref=checker", "participants.1.name=Nick Checker", "participants.1.country=USA",
    "participants.1.role=actor",
    "participants.2.ref=us-ambassador", "participants.2.name=null",
    "participants.2.title=U.S. Ambassador to Mali", "participants.2.country=USA",
    "participants.2.role=attendee",
    "topics=diplomatic,terrorism,economic",
    "source.title=Mali–États-Unis, audience du 2 février 2026",
    "source.language=fr", "source.text=sources/mali-usa-audience-2026-02-02.fr.txt",
    "evidence.0.about=/date", "evidence.0.quote=Le 2 février 2026",
    "evidence.1.about=/participants/0", "evidence.1.quote=Abdoulaye Diop, a reçu en audience",
    "evidence.2.about=/participants/1", "evidence.2.quote=M. Nick Checker",
]

SEED_WRITTEN = f"""\
# yaml-language-server: $schema=../schema/event.schema.json
id: {SEED_ID}
type: consult
mode: visit
date: 2026-02-02
location:
  place: Bamako
  country: MLI
  basis: inferred
participants:
  - ref: diop
    name: Abdoulaye Diop
    country: MLI
    role: recipient
  - ref: checker
    name: Nick Checker
    country: USA
    role: actor
  - ref: us-ambassador
    name: null
    title: U.S. Ambassador to Mali
    country: USA
    role: attendee
topics: [diplomatic, terrorism, economic]
source:
  title: Mali–États-Unis, audience du 2 février 2026
  language: fr
  text: sources/mali-usa-audience-2026-02-02.fr.txt
evidence:
  - about: /date
    quote: Le 2 février 2026
  - about: /participants/0
    quote: Abdoulaye Diop, a reçu en audience
  - about: /participants/1
    quote: M. Nick Checker
annotation:
  annotator: Jane Doe <jane@example.org>
  created: {CREATED}
  status: draft
"""


@pytest.fixture(autouse=True)
def _fixed_world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Jane Doe\n\temail = jane@example.org\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setattr(newrecord, "now_utc", lambda: CREATED)


@pytest.fixture
def empty(repo: Path) -> Path:
    """The seed repository without its record."""
    (repo / "events" / f"{SEED_ID}.yaml").unlink()
    return repo


def settings(*pairs: str) -> list[str]:
    return [arg for pair in pairs for arg in ("--set", pair)]


def test_no_input_writes_clean_yaml_that_validates(empty: Path, run) -> None:
    result = run("add", "--no-input", *settings(*SEED_SETTINGS), cwd=empty)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, f"wrote events/{SEED_ID}.yaml\n", "")
    assert (empty / "events" / f"{SEED_ID}.yaml").read_text("utf-8") == SEED_WRITTEN
    check = run("validate", cwd=empty)
    assert (check.exit_code, check.lines) == (0, ["1 file checked: no problems"])


def test_create_is_an_alias_and_ids_stay_unique(empty: Path, run) -> None:
    assert run("create", "--no-input", *settings(*SEED_SETTINGS), cwd=empty).exit_code == 0
    second = run("create", "--no-input", *settings(*SEED_SETTINGS), cwd=empty)
    assert second.stdout == f"wrote events/{SEED_ID}-2.yaml\n"
    assert "id: 2026-02-02-bamako-diop-checker-2\n" in (empty / "events" / f"{SEED_ID}-2.yaml").read_text()


def test_explicit_id_and_output(empty: Path, run) -> None:
    result = run("add", "--no-input", "--id", "audience", "--output", "events/2026/audience.yaml",
                 *settings(*SEED_SETTINGS), cwd=empty)
    assert result.stdout == "wrote events/2026/audience.yaml\n"
    written = (empty / "events" / "2026" / "audience.yaml").read_text()
    assert written.startswith("# yaml-language-server: $schema=../../schema/event.schema.json\nid: audience\n")


def test_refused_overwrite_leaves_the_file_byte_for_byte(empty: Path, run) -> None:
    target = empty / "events" / f"{SEED_ID}.yaml"
    target.write_bytes(b"# someone's work\r\nid: x\n")
    result = run("add", "--no-input", "--id", SEED_ID, *settings(*SEED_SETTINGS), cwd=empty)
    assert result.exit_code == 2  # trouble outside the records, not a bad record
    assert result.stderr == (f"annot: error: events/{SEED_ID}.yaml exists; not overwritten "
                             "(use --force to replace it)\n")
    assert target.read_bytes() == b"# someone's work\r\nid: x\n"
    forced = run("add", "--no-input", "--force", "--id", SEED_ID, *settings(*SEED_SETTINGS), cwd=empty)
    assert forced.exit_code == 0
    assert target.read_text("utf-8") == SEED_WRITTEN


def test_a_failing_record_is_not_written(empty: Path, run) -> None:
    result = run("add", "--no-input", *settings(*SEED_SETTINGS, "participants.1.role=visitor",
                                                "evidence.0.quote=Le 3 février"), cwd=empty)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"events/{SEED_ID}.yaml:18:11: error: role \"visitor\" is not allowed: expected one of "
        "actor, recipient, mediator, attendee [schema] at /participants/1/role",
        f"events/{SEED_ID}.yaml:31:12: error: quote not found in "
        "sources/mali-usa-audience-2026-02-02.fr.txt: \"Le 3 février\" (closest: \"Le 2 février\") "
        "[quote] at /evidence/0/quote",
        f"annot: error: not written: events/{SEED_ID}.yaml would have 2 errors",
    ]
    assert list((empty / "events").iterdir()) == []


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("participants.0.nmae=X", "annot: error: unknown key 'nmae' (did you mean 'name'?); allowed "
                                  "here: ref, actor, name, title, organization, country, sector, wikidata, role, side"),
        ("participants.5.ref=x", "annot: error: participants.5: index 5 skips 5 item(s); the next is 0"),
        ("location.geonames=abc", "annot: error: location.geonames takes a whole number, not 'abc'"),
        ("location.geonames=" + "9" * 100_000, "annot: error: location.geonames takes a whole number, not '"
         + "9" * 40 + "…' (100,000 digits: too long)"),
        ("date", "annot: error: --set 'date': expected KEY=VALUE"),
    ],
)
def test_bad_settings_are_usage_trouble(empty: Path, run, setting: str, message: str) -> None:
    result = run("add", "--no-input", "--set", setting, cwd=empty)
    assert (result.exit_code, result.stderr) == (2, message + "\n")


def test_from_a_commented_file_keeps_its_comments(empty: Path, run, tmp_path: Path) -> None:
    template = tmp_path / "start.yaml"
    template.write_text(
        "# Desk template for Bamako audiences\n"
        "type: consult        # PLOVER\n"
        "mode: visit\n"
        "location:\n  place: Bamako   # capital\n  country: MLI\n  basis: inferred\n"
        "topics: [diplomatic]\n"
        "source:\n  url: https://example.org/a\n", "utf-8")
    result = run("add", "--no-input", "--from", str(template), *settings(
        "date=2026-02-02", "participants.0.ref=diop", "participants.0.name=Abdoulaye Diop",
        "participants.0.role=recipient"), cwd=empty)
    assert result.exit_code == 0, result.stderr
    written = (empty / "events" / "2026-02-02-bamako-diop.yaml").read_text("utf-8")
    assert "type: consult        # PLOVER\n" in written
    assert "  place: Bamako   # capital\n" in written
    assert written.index("id: ") < written.index("type: ") < written.index("date: ")


def test_a_full_disk_between_write_and_link_leaves_nothing(empty: Path, run, monkeypatch) -> None:
    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "link", full)
    result = run("add", "--no-input", *settings(*SEED_SETTINGS), cwd=empty)
    assert (result.exit_code, result.stderr) == (2, "annot: error: No space left on device\n")  # os.link: no name
    assert list((empty / "events").iterdir()) == []


def test_a_read_only_folder_is_trouble_with_the_os_reason(empty: Path, run) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")  # CI runs as root: see the next test
    (empty / "events").chmod(0o555)
    result = run("add", "--no-input", *settings(*SEED_SETTINGS), cwd=empty)
    assert result.exit_code == 2 and "Permission denied" in result.stderr


def test_a_file_size_limit_is_trouble_with_the_os_reason(empty: Path) -> None:
    import resource
    import subprocess
    import sys

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))

    # Not measured by coverage: its data file could not be written under the limit either.
    # No bytecode written either: a .pyc cut at 100 bytes would break every later import.
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")},
           "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-m", "annot", "add", "--no-input", *settings(*SEED_SETTINGS)],
                          cwd=empty, capture_output=True, text=True, preexec_fn=limit, env=env)
    assert (done.returncode, done.stderr) == (2, f"annot: error: events/{SEED_ID}.yaml: File too large\n")
    assert list((empty / "events").iterdir()) == []


def test_concurrent_writers_of_one_id_exactly_one_wins(empty: Path) -> None:
    import subprocess
    import sys

    command = [sys.executable, "-m", "annot", "add", "--no-input", "--id", SEED_ID, *settings(*SEED_SETTINGS)]
    runs = [subprocess.Popen(command, cwd=empty, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(6)]
    results = []
    for process in runs:
        out, err = process.communicate()
        results.append((process.returncode, out, err))
    assert sorted(code for code, _, _ in results) == [0, 2, 2, 2, 2, 2]
    for code, _, err in results:
        assert code == 0 or " exists" in err or "created meanwhile by another writer" in err, err
    assert [p.name for p in (empty / "events").iterdir()] == [f"{SEED_ID}.yaml"]


INTERACTIVE = "\n".join([
    "Consult", "?", "visit",             # Consult is consult; ? lists its modes with their meanings
    "",                                  # factuality: asserted
    "2026-02-30", "2026-02-02",          # an impossible date is asked again
    "2026-01-30", "",                    # an end before the start is asked again; then none
    "Bamako", "MLO", "Mali", "inferred", "", "", "", "6", "4",  # a misspelt country is asked again;
                                                                # a name is a code; resolution 1 to 5
    # who, title, organization, country, sector, wikidata, role, side, ref, another?
    "Abdoulaye Diop", "", "Government of Mali", "mali", "", "Q42x", "", "recipient", "", "", "y",
    "", "U.S. Ambassador to Mali", "", "Unted States", "USA", "", "", "attendee", "", "", "y",
    "Nick Checker", "", "", "USA", "", "", "visitor", "actor", "", "", "n",
    "diplomatic, terorism, Economic, meet", "diplomatic, terrorism",
    "Mali's foreign minister received a U.S. official.",
    "", "", "", "", "French", "fr", "sources/mali-usa-audience-2026-02-02.fr.txt",
    "y", "/participants/9", "/date", "Le 2 févr. 2026", "Le 2 février 2026", "", "n",
    "",                                  # related: none
    "", "",                              # annotator: git's user; no notes
]) + "\n"


def test_interactive_session_writes_a_valid_record(empty: Path, run) -> None:
    result = run("add", cwd=empty, input=INTERACTIVE)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.endswith("wrote events/2026-02-02-bamako-diop-checker.yaml\n")
    said = " ".join(result.stdout.split())  # Rich wraps long lines at the console's width
    for reason in ["a date like 2026-02-02, 2026-02 or 2026 (a real one)",
                   "end_date 2026-01-30 is before date 2026-02-02",
                   "'MLO' is neither an ISO 3166-1 alpha-3 code nor a country's name (did you mean 'MLI'?)",
                   "'Q42x' is not a Wikidata item id such as Q42",
                   "'visitor' is not one of actor, recipient, mediator, attendee",
                   "visit actor is visiting, recipient is hosting.",
                   "not known topics (? lists them): 'terorism' (did you mean 'terrorism'?), 'meet'",
                   "'French' is not a BCP 47 language tag such as fr or pt-BR (did you mean fr?)",
                   "/participants/9 points at nothing in the record so far",
                   "not found in sources/mali-usa-audience-2026-02-02.fr.txt; the closest passage is: "
                   "Le 2 février 2026"]:
        assert reason in said
    written = (empty / "events" / f"{SEED_ID}.yaml").read_text("utf-8")
    assert "  - ref: u-s-ambassador-to-mali\n    name: null\n    title: U.S. Ambassador to Mali\n" in written
    assert "    country: MLI\n" in written  # "mali" became the code
    assert "topics: [diplomatic, terrorism]\n" in written
    assert "  basis: inferred\n  resolution: 4\n" in written
    assert "6 is greater than the maximum of 5" in said
    assert ("'Unted States' is neither an ISO 3166-1 alpha-3 code nor a country's name (did you mean "
            "USA, United States?)") in said
    assert run("validate", cwd=empty).exit_code == 0


def test_an_aborted_session_writes_nothing(empty: Path, run) -> None:
    result = run("add", cwd=empty, input="consult\nvisit\n\n")
    assert result.exit_code == 2
    assert "no more answers on standard input" in result.stderr
    assert list((empty / "events").iterdir()) == []
    assert not [p for p in empty.rglob("*.tmp")]


# annot init -----------------------------------------------------------------


def test_init_outside_git_and_idempotent(tmp_path: Path, run) -> None:
    desk = tmp_path / "desk"
    desk.mkdir()
    first = run("init", cwd=desk)
    assert first.lines == [
        "created annot.yaml", "created events/ (with .gitkeep, so that git keeps it)",
        "created sources/ (with .gitkeep, so that git keeps it)", "created actors.yaml",
        "created .yamllint (yamllint's defaults, as records need them)",
        "created .gitignore (.annot/: drafts)",
        "created schema/event.schema.json (for editors)", "created schema/actors.schema.json (for editors)",
        "not a git work tree: no hook, no diff driver (git init, then annot init again)",
    ]
    snapshot = {p: p.read_bytes() for p in desk.rglob("*") if p.is_file()}
    second = run("init", cwd=desk)
    assert second.lines[:8] == ["kept annot.yaml (exists)", "kept events/ (exists)",
                                "kept sources/ (exists)", "kept actors.yaml (exists)",
                                "kept .yamllint (exists)", "kept .gitignore (ignores .annot/)",
                                "kept schema/event.schema.json (up to date)",
                                "kept schema/actors.schema.json (up to date)"]
    assert {p: p.read_bytes() for p in desk.rglob("*") if p.is_file()} == snapshot
    assert run("validate", cwd=desk).exit_code == 0


def test_init_in_git_sets_up_hook_and_driver_without_clobbering(tmp_path: Path, run) -> None:
    desk = tmp_path / "desk"
    desk.mkdir()
    git(desk, "init", "-q")
    (desk / ".gitattributes").write_text("*.png binary")
    (desk / "annot.yaml").write_text("events: records\n")
    lines = run("init", cwd=desk).lines
    assert lines[0] == "kept annot.yaml (exists)"
    assert lines[-4].startswith("installed the pre-commit hook: ")
    assert lines[-3:] == ["configured the git merge driver (merge.annot.driver)",
                          "configured the git diff driver (diff.annot.command)",
                          "updated .gitattributes (*.yaml diff=annot, *.yml diff=annot, *.yaml merge=annot, "
                          "*.yml merge=annot)"]
    assert (desk / ".gitattributes").read_text() == (
        "*.png binary\n*.yaml diff=annot\n*.yml diff=annot\n*.yaml merge=annot\n*.yml merge=annot\n")
    assert (desk / "annot.yaml").read_text() == "events: records\n"
    hook = desk / ".git" / "hooks" / "pre-commit"
    assert hook.stat().st_mode & stat.S_IXUSR
    assert git(desk, "config", "diff.annot.command").strip().endswith(" diff --git-driver")
    assert git(desk, "config", "merge.annot.driver").strip().endswith(" merge %O %A %B %P")
    again = run("init", cwd=desk).lines
    assert again[-4:] == ["kept the pre-commit hook (installed)", "kept the git merge driver (configured)",
                          "kept the git diff driver (configured)", "kept .gitattributes (has the annot lines)"]


def test_from_a_record_with_a_modeline_keeps_exactly_one(empty: Path, run) -> None:
    from .conftest import EXAMPLES

    # Without its related ids, which name records this repository does not have.
    text = (EXAMPLES / "events" / f"{SEED_ID}.yaml").read_text("utf-8")
    shutil.copy(EXAMPLES / "actors.yaml", empty / "actors.yaml")  # the participants cite it
    template = empty / "template.yaml"
    template.write_text(text[: text.index("related:")] + text[text.index("annotation:"):], "utf-8")
    result = run("add", "--no-input", "--from", str(template), "--id", "copy", cwd=empty)
    assert result.exit_code == 0, result.stderr
    written = (empty / "events" / "copy.yaml").read_text("utf-8")
    assert written.count("yaml-language-server") == 1
    assert "type: consult                  # PLOVER event type\n" in written


def test_init_a_new_folder_whose_fresh_clone_validates(tmp_path: Path, run) -> None:
    result = run("init", "desk", cwd=tmp_path)
    assert result.lines[0] == "created desk/"
    desk = tmp_path / "desk"
    git(desk, "init", "-q")
    assert run("init", cwd=desk).lines[-4].startswith("installed the pre-commit hook: ")
    git(desk, "add", "-A")
    git(desk, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-m", "init")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(desk), str(clone))
    assert (clone / "events" / ".gitkeep").exists()
    assert run("validate", cwd=clone).lines == ["1 file checked: no problems"]  # its actors.yaml


def test_from_takes_a_new_id_and_a_fresh_annotation(empty: Path, run) -> None:
    first = run("add", "--no-input", *settings(*SEED_SETTINGS, "annotation.status=reviewed",
                                               "annotation.reviewer=Sam <sam@example.org>"), cwd=empty)
    assert first.exit_code == 0, first.stderr
    again = run("add", "--no-input", "--from", f"events/{SEED_ID}.yaml", "--set", "date=2026-02-03",
                cwd=empty)
    assert (again.exit_code, again.stdout) == (0, "wrote events/2026-02-03-bamako-diop-checker.yaml\n")
    written = (empty / "events" / "2026-02-03-bamako-diop-checker.yaml").read_text("utf-8")
    assert "status: draft" in written and "reviewer" not in written
