"""`annot validate --staged` sees what the commit does: deletions, renames, submodules."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from annot.errors import TroubleError
from annot.gitio import PATHSPEC_MODES, BlobReader
from annot.validate import check

from .conftest import SEED_ID, SOURCE_NAME, git, seed_with

SEED = f"events/{SEED_ID}.yaml"


@pytest.fixture
def cited(repo: Path) -> Path:
    """A committed repository where a second record cites the seed in `related`."""
    other = seed_with(("id: 2026-02-02-bamako-diop-checker", "id: other"),
                      ("topics:", f"related: [{SEED_ID}]\ntopics:"))
    (repo / "events" / "2026").mkdir()
    (repo / "events" / "2026" / "other.yaml").write_text(other)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-m", "seed")
    return repo


def test_deleting_a_cited_record_fails_the_commit_check(cited: Path, run) -> None:
    git(cited, "rm", "-q", SEED)
    result = run("validate", "--staged", cwd=cited)
    assert (result.exit_code, [x for x in result.lines if "error" in x]) == (1, [
        "events/2026/other.yaml:29:11: error: related id '2026-02-02-bamako-diop-checker' is not the id "
        "of any record in events [related] at /related/0",
        "1 file checked: 1 error, 1 warning",
    ])


def test_renaming_a_cited_record_checks_the_records_that_cite_it(cited: Path, run) -> None:
    git(cited, "mv", SEED, "events/renamed.yaml")
    result = run("validate", "--staged", cwd=cited)
    # The renamed file still holds the cited id, so only its name is wrong; the citing
    # record is checked (2 files) and still resolves.
    errors = [x for x in result.lines if ": error: " in x or "checked" in x]
    assert errors == [
        f"events/renamed.yaml:2:5: error: id '{SEED_ID}' differs from the file name 'renamed.yaml' "
        "(expected id 'renamed') [id] at /id",
        "2 files checked: 1 error, 2 warnings",
    ]


def test_deleting_an_uncited_record_passes(cited: Path, run) -> None:
    git(cited, "rm", "-q", "events/2026/other.yaml")
    result = run("validate", "--staged", cwd=cited)
    assert (result.exit_code, result.lines) == (0, ["0 files checked: no problems"])


def test_a_submodule_named_like_a_record_is_not_a_record(cited: Path, run, tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    git(inner, "init", "-q", "-b", "main")
    git(inner, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "--allow-empty",
        "-m", "x")
    commit_id = git(inner, "rev-parse", "HEAD").strip()
    git(cited, "update-index", "--add", "--cacheinfo", f"160000,{commit_id},events/vendored.yaml")
    result = run("validate", "--staged", cwd=cited)
    assert (result.exit_code, result.lines) == (0, ["0 files checked: no problems"])


def test_a_new_record_with_the_id_of_a_committed_one_is_named(cited: Path, run) -> None:
    # Only the files named like the id are asked of the index; one in a subfolder is found.
    copy = cited / "events" / "2026" / "later" / f"{SEED_ID}.yml"
    copy.parent.mkdir()
    copy.write_text((cited / SEED).read_text())
    git(cited, "add", str(copy))
    result = run("validate", "--staged", cwd=cited)
    assert [x for x in result.lines if ": error: " in x] == [
        f"events/2026/later/{SEED_ID}.yml:2:5: error: id '{SEED_ID}' is also the id of "
        f"events/{SEED_ID}.yaml [id] at /id",
    ]


@pytest.mark.parametrize("also", ["other", "'a [glob]*'"])  # plain stems are asked by name; others list all
def test_related_ids_are_looked_up_in_the_index_not_on_disk(cited: Path, run, also: str) -> None:
    other = cited / "events" / "2026" / "other.yaml"
    other.write_text(other.read_text().replace(f"related: [{SEED_ID}]", f"related: [untracked-one, {also}]"))
    git(cited, "add", str(other))
    untracked = seed_with((f"id: {SEED_ID}", "id: untracked-one"))
    (cited / "events" / "untracked-one.yaml").write_text(untracked)  # on disk, never staged
    result = run("validate", "--staged", cwd=cited)
    missing = [] if also == "other" else [
        "events/2026/other.yaml:29:26: error: related id 'a [glob]*' is not the id of any record "
        "in events [related] at /related/1"]
    assert [x for x in result.lines if ": error: " in x and "[related]" in x] == [
        "events/2026/other.yaml:29:11: error: related id 'untracked-one' is not the id of any record "
        "in events [related] at /related/0", *missing,
    ]
    git(cited, "add", "events/untracked-one.yaml")
    result = run("validate", "--staged", cwd=cited)
    assert [x for x in result.lines if ": error: " in x and "[related]" in x] == missing


@pytest.mark.parametrize("mode", PATHSPEC_MODES)
def test_the_callers_pathspec_mode_changes_nothing(cited: Path, run, monkeypatch: pytest.MonkeyPatch,
                                                   mode: str) -> None:
    # Magit runs git with --literal-pathspecs; the hook inherits it as GIT_LITERAL_PATHSPECS=1.
    # The related record sits in another folder, and the article differs on disk from the index.
    other = cited / "events" / "2026" / "other.yaml"
    other.write_text(other.read_text() + "# edited\n")
    git(cited, "add", str(other))
    (cited / "sources" / SOURCE_NAME).write_text("not the article\n")
    plain = run("validate", "--staged", cwd=cited)
    monkeypatch.setenv(mode, "1")
    assert run("validate", "--staged", cwd=cited) == plain
    assert (plain.exit_code, plain.lines[-1]) == (0, "1 file checked: 0 errors, 1 warning")



@pytest.mark.parametrize("variables", [{"GIT_WORK_TREE": ".."}, {"GIT_WORK_TREE": "..", "GIT_DIR": "../.git"}])
def test_git_paths_set_relative_to_a_subfolder_mean_that_subfolder(
        cited: Path, run, monkeypatch: pytest.MonkeyPatch, variables: dict[str, str]) -> None:
    # annot runs git from the top of the work tree; a relative GIT_DIR or GIT_WORK_TREE is the
    # user's, relative to where annot was started, and must not be read from the top instead.
    other = cited / "events" / "2026" / "other.yaml"
    other.write_text(other.read_text() + "# edited\n")
    git(cited, "add", str(other))
    (cited / "notes").mkdir()
    plain = run("validate", "--staged", cwd=cited / "notes")
    for key, value in variables.items():
        monkeypatch.setenv(key, value)
    assert run("validate", "--staged", cwd=cited / "notes") == plain
    assert (plain.exit_code, plain.lines[-1]) == (0, "1 file checked: 0 errors, 1 warning")


def test_an_index_file_named_relative_is_read_from_the_top_as_git_reads_it(cited: Path, run,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # git reads a relative GIT_INDEX_FILE from the top of the work tree, wherever it is started.
    shutil.copy(cited / ".git" / "index", cited / ".git" / "other-index")
    (cited / SEED).write_text(seed_with(("type: consult", "type: agree")))
    monkeypatch.setenv("GIT_INDEX_FILE", ".git/other-index")
    git(cited / "events", "add", SEED.split("/", 1)[1])
    result = run("validate", "--staged", cwd=cited / "events")
    assert result.lines[0] == f"{SEED_ID}.yaml:4:7: error: agree has no modes in PLOVER; leave mode out [mode] at /mode"
    assert (result.exit_code, result.lines[-1]) == (1, "1 file checked: 1 error, 1 warning")


def test_each_staged_record_finds_its_own_article_and_related_records(cited: Path, run) -> None:
    # git is asked ahead about the first record's article and related ids only; the second
    # record's are asked when they are needed. An article git does not hold is read from disk.
    (cited / "events" / "third.yaml").write_text(seed_with((f"id: {SEED_ID}", "id: third")))
    git(cited, "add", "events/third.yaml")
    git(cited, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-m", "third")
    (cited / "sources" / "untracked.txt").write_text((cited / "sources" / SOURCE_NAME).read_text())
    first = seed_with((f"id: {SEED_ID}", "id: a-first"), ("topics:", f"related: [{SEED_ID}]\ntopics:"))
    second = seed_with((f"id: {SEED_ID}", "id: b-second"), ("topics:", "related: [third]\ntopics:"),
                       (f"text: sources/{SOURCE_NAME}", "text: sources/untracked.txt"))
    (cited / "events" / "a-first.yaml").write_text(first)
    (cited / "events" / "b-second.yaml").write_text(second)
    git(cited, "add", "events/a-first.yaml", "events/b-second.yaml")
    result = run("validate", "--staged", cwd=cited)
    assert (result.exit_code, [x for x in result.lines if "error" in x]) == (
        0, ["2 files checked: 0 errors, 2 warnings"])
    (cited / "sources" / "untracked.txt").write_text("another article\n")
    result = run("validate", "--staged", cwd=cited)
    assert [x.split(": error: ")[0] for x in result.lines if ": error: " in x] == [
        f"events/b-second.yaml:{line}:12" for line in (38, 40, 42, 44)]  # the four quotes


def test_a_record_in_conflict_is_named_not_passed_over(cited: Path, run) -> None:
    commit = ("-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-am")
    git(cited, "checkout", "-q", "-b", "theirs")
    (cited / SEED).write_text(seed_with(("role: actor", "role: host")))
    git(cited, *commit, "theirs")
    git(cited, "checkout", "-q", "main")
    (cited / SEED).write_text(seed_with(("role: actor", "role: guest")))
    git(cited, *commit, "ours")
    subprocess.run(["git", "merge", "-q", "theirs"], cwd=cited, capture_output=True, check=False)
    result = run("validate", "--staged", cwd=cited)
    assert (result.exit_code, result.lines) == (1, [
        f"{SEED}:1:1: error: in conflict in git's index (a merge not yet resolved): resolve it, then "
        "`git add` it [yaml]",
        "1 file checked: 1 error",
    ])
    named = run("validate", "--staged", SEED, cwd=cited)
    assert (named.exit_code, named.lines) == (result.exit_code, result.lines)
    # Below a folder too; the record that cites it finds it ("ours" stands for it).
    below = run("validate", "--staged", "events", cwd=cited)
    assert (below.exit_code, [x for x in below.lines if "error" in x]) == (1, [
        result.lines[0], "2 files checked: 1 error, 1 warning"])


@pytest.mark.parametrize("pipe", [None, 4096])  # 4096: the one-page pipes of a user past its quota
def test_one_open_cat_file_reads_what_one_call_of_it_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            pipe: int | None) -> None:
    # More object ids than a pipe holds (written all at once, git and annot would wait on each
    # other for ever), objects larger than a pipe holds, and git tracing every object it reads
    # on its stderr, which nothing reads.
    git(tmp_path, "init", "-q")
    names = []
    for n in range(2_000):
        (tmp_path / f"f{n}").write_bytes(bytes([n % 251]) * (70_000 if n % 500 == 0 else n % 300))
        names.append(f"f{n}")
    git(tmp_path, "add", "-A")
    git(tmp_path, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-m", "all")
    git(tmp_path, "repack", "-adq")  # read from a pack, each object is traced
    objects = git(tmp_path, "hash-object", *names).split()
    monkeypatch.setenv("GIT_TRACE_PACK_ACCESS", "2")
    if pipe is not None:
        monkeypatch.setattr(subprocess, "Popen", functools.partial(subprocess.Popen, pipesize=pipe))
    reader = BlobReader(tmp_path)
    read: list[list[bytes]] = []
    asking = threading.Thread(target=lambda: read.append(reader.read(objects)), daemon=True)
    asking.start()
    asking.join(60)
    if asking.is_alive():
        reader._process.kill()
        pytest.fail("cat-file and annot waited on each other")
    assert read[0] == [(tmp_path / name).read_bytes() for name in names]
    assert reader.read(objects[1:3]) == [b"\x01", b"\x02\x02"]  # asked again, the same git
    with pytest.raises(TroubleError, match=f"git object {'0' * 40} is missing"):
        reader.read(["0" * 40])
    reader.close()


def test_a_first_record_without_an_id_does_not_hide_the_next_ones_related_records(cited: Path, run) -> None:
    # The first record's related ids are not all plain names, so its look-ahead lists no
    # records; the second's related record is then looked up, not taken as missing.
    (cited / "events" / "aaa.yaml").write_text(
        f"related: [bbb, {SEED_ID}, Bad Id]\nsource: {{text: sources/{SOURCE_NAME}}}\n")
    (cited / "events" / "bbb.yaml").write_text(
        seed_with((f"id: {SEED_ID}", "id: bbb"), ("topics:", f"related: [{SEED_ID}]\ntopics:")))
    git(cited, "add", "events")
    result = run("validate", "--staged", cwd=cited)
    assert result.exit_code == 1
    assert [x for x in result.lines if "events/bbb" in x and ": error: " in x] == []


def test_checks_of_the_index_leave_no_git_running(cited: Path) -> None:
    other = cited / "events" / "2026" / "other.yaml"
    other.write_text(other.read_text() + "# edited\n")
    git(cited, "add", str(other))
    before = _git_children()
    for _ in range(5):
        assert check((), cited, staged=True).files == 1
    assert _git_children() == before


def _git_children() -> list[str]:
    listed = subprocess.run(["ps", "--ppid", str(os.getpid()), "-o", "args="], capture_output=True, text=True)
    return [line for line in listed.stdout.splitlines() if line.startswith("git ")]


def test_an_article_name_too_long_for_git_is_that_record_s_trouble_alone(cited: Path, run) -> None:
    long = "sources/" + "x" * 140_000  # more than one argument of a command may hold
    other = cited / "events" / "2026" / "other.yaml"
    other.write_text(other.read_text().replace(f"text: sources/{SOURCE_NAME}", f"text: {long}"))
    git(cited, "add", str(other))
    result = run("validate", "--staged", cwd=cited)
    errors = [x for x in result.lines if "error" in x]
    assert (result.exit_code, len(errors), errors[1]) == (1, 2, "1 file checked: 1 error, 1 warning")
    assert errors[0].startswith("events/2026/other.yaml:35:9: error: source text sources/xxxxxxxxxx")
    assert errors[0].endswith("… cannot be read: Argument list too long [source] at /source/text")


def test_an_article_staged_as_a_link_out_of_the_repository_is_not_read(cited: Path, run, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text((cited / "sources" / SOURCE_NAME).read_text())  # every quote is there
    (cited / "sources" / "linked.txt").symlink_to(outside)
    other = cited / "events" / "2026" / "other.yaml"
    other.write_text(other.read_text().replace(f"text: sources/{SOURCE_NAME}", "text: sources/linked.txt"))
    git(cited, "add", "sources/linked.txt", str(other))
    result = run("validate", "--staged", cwd=cited)
    assert [x for x in result.lines if ": error: " in x] == [
        "events/2026/other.yaml:35:9: error: source text sources/linked.txt is a symbolic link out of the "
        "repository: not read [source] at /source/text"]
    assert run("validate", cwd=cited).lines[0] == result.lines[0]  # as the working tree's check says


def test_staged_settings_are_the_settings_checked_and_every_record_is_checked_with_them(cited: Path,
                                                                                        run) -> None:
    config = cited / "annot.yaml"
    committed = config.read_text("utf-8")
    config.write_text(committed + "topics: [trade]\n", "utf-8")  # no record's topics are among them
    git(cited, "add", "annot.yaml")
    result = run("validate", "--staged", cwd=cited)
    assert result.exit_code == 1 and result.lines[-1] == "2 files checked: 6 errors, 2 warnings"  # both records
    config.write_text(committed, "utf-8")  # staged one way, on disk another: refused
    refused = run("validate", "--staged", cwd=cited)
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr == ("annot: error: annot.yaml differs between git's index and the working tree; the "
                              "check reads the settings the commit holds from the working tree: stage it "
                              "(git add annot.yaml) or restore it (git restore annot.yaml) first\n")
    git(cited, "add", "annot.yaml")  # back as committed: nothing to check
    assert run("validate", "--staged", cwd=cited).lines == ["0 files checked: no problems"]
