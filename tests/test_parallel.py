"""Checking in worker processes changes nothing a user sees: the same bytes, the same exit
status, in every format; Ctrl-C still ends with one line."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from annot import parallel, validate
from annot.errors import TroubleError

from .conftest import SEED_ID, SEED_RECORD, Result

ANNOT = shutil.which("annot", path=os.path.dirname(sys.executable)) or "annot"


def corpus(root: Path, count: int) -> Path:
    """`count` records, every tenth with a problem of its own, and problems across files:
    ids given twice, related ids that name nothing, a broken file, a folder named like a record."""
    events = root / "events"
    events.mkdir(parents=True, exist_ok=True)
    (root / "sources").mkdir(exist_ok=True)
    shutil.copy(Path(__file__).parent.parent / "examples" / "sources" / "mali-usa-audience-2026-02-02.fr.txt",
                root / "sources")
    (root / "annot.yaml").write_text("events: events\nsources: sources\n")
    for n in range(count):
        identifier = f"2026-02-02-bamako-{n:04d}"
        text = SEED_RECORD.replace(SEED_ID, identifier)
        if n % 10 == 3:
            text = text.replace("type: consult", "type: meet")
        if n % 10 == 5:
            text = text.replace("related:", "related:\n  - 2026-01-01-nowhere-to-be-found\n  - ", 1) \
                if "related:" in text else text + "related: [2026-01-01-nowhere-to-be-found]\n"
        if n % 10 == 7:
            text = text.replace("quote: ", "quote: not in the article at all ", 1)
        folder = events / f"batch-{n % 3}"
        folder.mkdir(exist_ok=True)
        (folder / f"{identifier}.yaml").write_text(text, "utf-8")
    # The same id twice, in two folders; a syntax error; a folder named like a record.
    shutil.copy(events / "batch-0" / "2026-02-02-bamako-0000.yaml", events / "batch-1" / "copy.yaml")
    (events / "batch-2" / "broken.yaml").write_text("id: [unclosed\n")
    (events / "folder.yaml").mkdir()
    return root


def run_annot(*args: str, cwd: Path, jobs: str) -> Result:
    done = subprocess.run([ANNOT, *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, parallel.JOBS: jobs, "NO_COLOR": "1"})
    return Result(done.returncode, done.stdout, done.stderr)


@pytest.mark.parametrize("output", ["text", "json", "github", "sarif"])
def test_a_pool_of_workers_prints_what_one_process_prints(tmp_path: Path, output: str) -> None:
    root = corpus(tmp_path, 120)
    one = run_annot("validate", "--format", output, cwd=root, jobs="1")
    pooled = run_annot("validate", "--format", output, cwd=root, jobs="2")
    assert one.exit_code == 1
    assert pooled == one
    if output == "text":
        rules = {line.rsplit("[", 1)[1].split("]")[0] for line in one.lines if "[" in line}
        assert {"id", "related", "schema", "quote", "yaml"} <= rules
        assert "copy.yaml" in one.stdout and "broken.yaml" in one.stdout


def test_the_pool_is_what_checks_many_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            run: Callable[..., Result]) -> None:
    root = corpus(tmp_path, 30)
    monkeypatch.setenv(parallel.JOBS, "2")
    monkeypatch.setattr(parallel, "cores", lambda: 2)  # a pool even on a one-core machine
    pids: set[int] = set()
    checked = validate.Checker.check_file

    def spy(self: validate.Checker, target: validate.Target, keep: bool = False) -> validate.Checked:
        pids.add(os.getpid())
        return checked(self, target, keep)

    # Only the calls made here are seen: workers are forked after the spy is in place, so
    # they report through the results they send back.
    monkeypatch.setattr(validate.Checker, "check_file", spy)
    report = validate.check([], root)
    assert report.files == 30 + 3 and pids == set()
    monkeypatch.setenv(parallel.JOBS, "1")
    assert validate.check([], root).problems == report.problems and pids == {os.getpid()}


def test_the_workers_are_other_processes() -> None:
    assert set(parallel.ordered_map(_pid, list(range(40)), 2)) - {os.getpid()}
    assert list(parallel.ordered_map(_square, list(range(300)), 2)) == [n * n for n in range(300)]


@pytest.mark.skipif(not hasattr(__import__("fcntl"), "F_GETPIPE_SZ"), reason="Linux sets a pipe's size")
def test_the_results_come_back_through_a_pipe_that_holds_a_packed_chunk() -> None:
    import fcntl

    allowed = os.geteuid() == 0 or parallel.RESULTS_PIPE <= int(Path("/proc/sys/fs/pipe-max-size").read_text())
    with parallel.Pool([_square], 2) as pool:
        results = pool._executor._result_queue._reader  # type: ignore[attr-defined]
        size = fcntl.fcntl(results.fileno(), fcntl.F_GETPIPE_SZ)
        assert size == (parallel.RESULTS_PIPE if allowed else 65536) and parallel.RESULTS_PIPE > 65536
        assert list(pool.map(_square, list(range(300)))) == [n * n for n in range(300)]


def _pid(_: int) -> int:
    return os.getpid()


def _square(n: int) -> int:
    return n * n


@pytest.mark.parametrize(("given", "files", "expected"), [
    ("1", 10_000, 1), ("2", 10_000, 2), ("2", 1, 1), (None, 10, 1), (None, 10_000, 8),
    ("99999", 10_000, 8), ("99999", 3, 3),  # never more processes than cores, nor than files
    ("9" * 5000, 10_000, 8), ("0" * 5000 + "2", 10_000, 2),  # more digits than int() reads
    ("", 10, 1), ("", 10_000, 8),  # set but empty: as unset
])
def test_how_many_workers(monkeypatch: pytest.MonkeyPatch, given: str | None, files: int,
                          expected: int) -> None:
    monkeypatch.setattr(parallel, "cores", lambda: 8)
    if given is None:
        monkeypatch.delenv(parallel.JOBS, raising=False)
    else:
        monkeypatch.setenv(parallel.JOBS, given)
    assert parallel.workers_for(files) == expected


@pytest.mark.parametrize("given", ["0", "-1", "two", " ", "٣"])
def test_a_wrong_number_of_jobs_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                           given: str) -> None:
    monkeypatch.setenv(parallel.JOBS, given)
    with pytest.raises(TroubleError, match="give a whole number of processes"):
        parallel.workers_for(1000)
    root = corpus(tmp_path, 3)
    done = run_annot("validate", cwd=root, jobs=given)
    assert (done.exit_code, done.stdout) == (2, "")
    assert done.stderr == f"annot: error: ANNOT_JOBS={given!r}: give a whole number of processes, 1 or more\n"


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus(tmp_path_factory.mktemp("big"), 1500)


@pytest.mark.parametrize("command", [["validate"], ["export", "--format", "parquet", "-o", "out.parquet"]])
def test_ctrl_c_stops_the_workers_with_one_line(big: Path, command: list[str]) -> None:
    process = subprocess.Popen([ANNOT, *command], cwd=big, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True,
                               env={**os.environ, parallel.JOBS: "2"})
    deadline = time.monotonic() + 60
    while not _children(process.pid) and time.monotonic() < deadline:
        time.sleep(0.005)
    workers = _children(process.pid)
    assert workers, "no worker process started"
    os.killpg(process.pid, signal.SIGINT)  # as a terminal does: the whole process group
    _, err = process.communicate(timeout=60)
    # One line, whatever the workers were doing: none of them prints a traceback (export
    # names the records it skipped before).
    assert process.returncode == 130
    assert [line for line in err.splitlines() if not line.startswith("annot: skipped ")] == [
        "", "annot: interrupted"]
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}")]


# SIGINT to annot alone (as `timeout -s INT` sends it) at moments of the pool's life: blocked on
# the pool's call queue, the workers were once waited for for ever (2 runs in 24 of a loop of
# `timeout -s INT 0.1..0.45 annot validate`); they are ended now, not waited for.
@pytest.mark.parametrize("delay", [0, 0.02, 0.05, 0.1, 0.2])
def test_an_interruption_of_annot_alone_ends_every_process(big: Path, delay: float) -> None:
    process = subprocess.Popen([ANNOT, "validate"], cwd=big, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, start_new_session=True,
                               env={**os.environ, parallel.JOBS: "2"})
    try:
        deadline = time.monotonic() + 60
        while not _children(process.pid) and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(delay)
        workers = _children(process.pid)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert (process.returncode, err) == (130, "\nannot: interrupted\n")
    time.sleep(0.2)
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}")]


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(child) for child in f.read().split()]
    except OSError:
        return []


def test_starting_annot_imports_only_what_validate_needs() -> None:
    # Every commit runs `annot validate --staged`: the other commands' modules, Rich, ruamel
    # and the explaining jsonschema engine stay unimported until a command needs them.
    code = ("import sys; from annot.cli import cli; "
            "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('annot', 'rich', 'ruamel', 'jsonschema', 'rapidfuzz', 'langcodes', 'anyascii'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == [
        "annot", "annot.cli", "annot.collector", "annot.dates", "annot.errors", "annot.export", "annot.files",
        "annot.parallel", "annot.project", "annot.quick", "annot.quotes", "annot.records",
        "annot.render", "annot.render_agree", "annot.rules", "annot.schema", "annot.suggest",
        "annot.validate", "annot.vocabulary",
    ]


def test_the_commit_hooks_validate_imports_neither_click_nor_rich(tmp_path: Path) -> None:
    root = corpus(tmp_path, 3)
    code = ("import sys; sys.argv = ['annot', 'validate', '--staged', 'events']; import annot.main\n"
            "try:\n    annot.main.run()\nfinally:\n"
            "    print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('annot', 'click', 'rich', 'ruamel', 'jsonschema', 'rapidfuzz', 'langcodes', 'anyascii'))))")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert done.stdout.split("\n")[-2].split() == [
        "annot", "annot.collector", "annot.dates", "annot.errors", "annot.files", "annot.gitio", "annot.main", "annot.parallel", "annot.project", "annot.quick", "annot.quotes", "annot.records", "annot.render",
        "annot.rules", "annot.schema", "annot.suggest", "annot.validate", "annot.vocabulary",
    ]


@pytest.mark.parametrize("command", [["diff", "old", "new"], ["diff", "--format", "json", "old", "new"],
                                     ["agree", "old", "new"], ["agree", "--format", "csv", "old", "new"]])
def test_diff_and_agree_read_the_same_in_a_pool(tmp_path: Path, command: list[str]) -> None:
    old = corpus(tmp_path / "old", 40)
    new = tmp_path / "new"
    shutil.copytree(old, new)
    for n, path in enumerate(sorted((new / "events").rglob("*.yaml"))):
        if n % 4 == 0 and path.is_file():
            path.write_text(path.read_text().replace("title: Minister", "title: Former minister"))
    (new / "events" / "batch-0" / "broken.yaml").write_text("id: [unclosed\n")
    one = run_annot(*command, cwd=tmp_path, jobs="1")
    pooled = run_annot(*command, cwd=tmp_path, jobs="2")
    assert one.exit_code in (0, 1, 2) and one.stdout
    assert pooled == one


@pytest.mark.parametrize("output", ["text", "json", "csv"])
def test_agree_of_three_versions_is_the_same_in_a_pool(tmp_path: Path, output: str) -> None:
    # The workers digest each record they parse, once per distinct file across the versions:
    # renamed and recoded records, one id twice, and a broken file that two versions share
    # (told at each path) come out as they do in one process.
    corpus(tmp_path / "a", 30)
    for name in ("b", "c"):
        shutil.copytree(tmp_path / "a" / "events", tmp_path / name)
    for n, path in enumerate(sorted((tmp_path / "b").rglob("2026-*.yaml"))):
        text = path.read_text()
        if n % 3 == 0:
            text = text.replace("type: consult", "type: meet").replace("topics: [", "topics: [military, ")
        if n % 5 == 0:
            text = text.replace("date: 2026-02-02", "date: 2026-02")
        if n % 7 == 0:
            path.unlink()
            text = text.replace(f"id: {path.stem}", f"id: {path.stem}-renamed")
            path = path.with_name(f"{path.stem}-renamed.yaml")
        path.write_text(text)
    for n, path in enumerate(sorted((tmp_path / "c").rglob("2026-*.yaml"))):
        if n % 4 == 0:
            path.unlink()
    args = ("agree", "a/events", "b", "c", "--details", "--format", output)
    one = run_annot(*args, cwd=tmp_path, jobs="1")
    pooled = run_annot(*args, cwd=tmp_path, jobs="2")
    assert pooled == one
    broken = ("batch-2/broken.yaml:2:1: error: YAML syntax error: while parsing a flow sequence: "
              "did not find expected ',' or ']' [yaml]")
    assert one.exit_code == 2 and one.stderr.splitlines() == [
        "a/events/folder.yaml:1:1: error: is a directory named like a record, not a record file",
        f"a/events/{broken}",
        "a/events/batch-1/copy.yaml:1:1: warning: id '2026-02-02-bamako-0000' is also the id of "
        "a/events/batch-0/2026-02-02-bamako-0000.yaml: only that one counted",
        "b/folder.yaml:1:1: error: is a directory named like a record, not a record file",
        f"b/{broken}",
        "c/folder.yaml:1:1: error: is a directory named like a record, not a record file",
        f"c/{broken}",
    ]
    # b renames five records: four pair by content; the fifth's old id is its copy.yaml's now.
    if output == "json":
        assert json.loads(one.stdout)["events"] == {"found": 31, "paired": 30}


def test_unread_records_are_read_in_the_pool_as_in_one_process(tmp_path: Path) -> None:
    # Checking one folder: the records it relates to, in another folder, are read for their
    # ids only, many at once in the pool; one of them holds another id than its name.
    root = corpus(tmp_path, 3)
    for n in range(40):
        target = SEED_RECORD.replace(SEED_ID, f"2026-02-02-target-{n:03d}")
        if n == 7:
            target = target.replace(f"id: 2026-02-02-target-{n:03d}", "id: 2026-02-02-something-else")
        (root / "events" / "b").mkdir(parents=True, exist_ok=True)
        (root / "events" / "b" / f"2026-02-02-target-{n:03d}.yaml").write_text(target, "utf-8")
        citing = SEED_RECORD.replace(SEED_ID, f"2026-02-02-citing-{n:03d}")
        citing = citing.replace("\ntopics:", f"\nrelated: [2026-02-02-target-{n:03d}]\ntopics:", 1)
        (root / "events" / "a").mkdir(exist_ok=True)
        (root / "events" / "a" / f"2026-02-02-citing-{n:03d}.yaml").write_text(citing, "utf-8")
    one = run_annot("validate", "events/a", cwd=root, jobs="1")
    pooled = run_annot("validate", "events/a", cwd=root, jobs="2")
    assert pooled == one
    assert [line for line in one.lines if "[related]" in line] == [
        "events/a/2026-02-02-citing-007.yaml:29:11: error: related id '2026-02-02-target-007' is not "
        "the id of any record in events [related] at /related/0"]


def test_export_writes_in_a_pool_what_one_process_writes(tmp_path: Path) -> None:
    # Each record's row is made in the worker that checked it; the files are the same bytes,
    # and the records with errors (of their own, or across files) are skipped the same way.
    pq = pytest.importorskip("pyarrow.parquet")
    root = corpus(tmp_path, 300)
    shutil.copy(Path(__file__).parent.parent / "examples" / "actors.yaml", root)
    for fmt, options in [("plover", []), ("jsonl", []), ("csv", []), ("parquet", ["-o", "events.parquet"]),
                         ("parquet", ["-o", "events.parquet", "--participant", "checker", "--type", "consult"]),
                         ("plover", ["--participant", "checker", "--type", "consult"]),
                         ("csv", ["--participant", "nobody of that name"])]:
        written = {}
        for jobs in ("1", "2"):
            for old in root.glob("events*.parquet"):
                old.unlink()
            done = run_annot("export", "--format", fmt, *options, cwd=root, jobs=jobs)
            tables = {path.name: (path.read_bytes(), pq.read_table(path).to_pylist())
                      for path in sorted(root.glob("events*.parquet"))}
            written[jobs] = (done, tables)
        assert written["2"] == written["1"], (fmt, options)
        done, tables = written["1"]
        if "nobody of that name" in options:
            assert (done.exit_code, done.stdout.splitlines()[1:]) == (2, [])  # the header only
            assert done.stderr.endswith("annot: error: --participant 'nobody of that name' names no "
                                        "participant of these records\n")
            continue
        skipped = done.stderr.splitlines()
        # Three records in ten have an error; a broken file, a folder, and an id given twice.
        assert done.exit_code == 1 and len(skipped) == 3 * 30 + 2 + 2
        assert {line.rsplit("[", 1)[1].split("]")[0] for line in skipped} == {
            "id", "related", "schema", "quote", "yaml"}
        rows = [len(table) for _, table in tables.values()] or [len(done.stdout.splitlines()) - (fmt == "csv")]
        assert rows[0] == 300 - 3 * 30 - 1


def test_an_export_in_batches_forks_once_and_writes_what_one_process_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[..., Result]) -> None:
    # Related ids across batches, both ways; one record named for another id than it holds
    # (read for its id before its batch comes); many batches, one pool of workers for all.
    from annot import stream

    root = corpus(tmp_path, 300)
    files = sorted((root / "events").glob("batch-*/2026-*.yaml"))
    for n in (2, 4, 150, 298):
        other = files[(n + 149) % len(files)].stem
        text = files[n].read_text("utf-8").replace("\ntopics:", f"\nrelated: [{other}]\ntopics:", 1)
        files[n].write_text(text, "utf-8")
    misnamed = files[151]  # related from files[2], three batches before it
    misnamed.write_text(misnamed.read_text("utf-8").replace(f"id: {misnamed.stem}", "id: 2026-02-02-other"),
                        "utf-8")
    monkeypatch.setattr(stream, "BATCH", 40)
    pools = []
    real = parallel.Pool.__init__

    def counted(self: parallel.Pool, *args: object) -> None:
        pools.append(self)
        real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel.Pool, "__init__", counted)
    written = {}
    for jobs in ("1", "2"):
        monkeypatch.setenv(parallel.JOBS, jobs)
        written[jobs] = run("export", "--format", "jsonl", cwd=root)
    assert len(pools) == 1
    assert written["2"] == written["1"]
    assert written["1"].exit_code == 1
    citing = files[2].relative_to(root)
    assert [line for line in written["1"].stderr.splitlines() if f"'{misnamed.stem}'" in line] == [
        f"annot: skipped {citing}:29:11: related id '{misnamed.stem}' is not the id of any record in "
        "events [related]",
        f"annot: skipped events/batch-1/{misnamed.name}:2:5: id '2026-02-02-other' differs from the file "
        f"name '{misnamed.name}' (expected id '{misnamed.stem}') [id]"]



def test_the_next_batch_is_handed_on_before_the_rules_across_files_wait(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[..., Result]) -> None:
    # A batch citing a later one: the files it cites are checked in the pool (however few),
    # whole, and the rest of the next batch goes to the workers right after them, before
    # this batch's rules across files take their ids; the workers never wait while those
    # rules run. The next batch's first files (five a worker) went with this batch, so that
    # the workers check them while this batch's last files are checked: one of them cited
    # is read for its id. The file checked ahead is not checked again in its own batch (the
    # third: 29 of 40, after 10 handed on before).
    from annot import stream

    root = corpus(tmp_path, 120)
    files = sorted((root / "events").glob("batch-*/2026-*.yaml"))
    cited = [files[100].stem, files[42].stem]
    text = files[3].read_text("utf-8").replace("\ntopics:", f"\nrelated: [{', '.join(cited)}]\ntopics:", 1)
    files[3].write_text(text, "utf-8")
    monkeypatch.setattr(stream, "BATCH", 40)
    monkeypatch.setattr(stream, "FIRST", 5)
    monkeypatch.setenv(parallel.JOBS, "1")
    alone = run("export", "--format", "jsonl", cwd=root)
    monkeypatch.setenv(parallel.JOBS, "2")
    asked: list[tuple[str, int]] = []
    real = parallel.Pool.map

    def logged(self: parallel.Pool, function: Callable[[Any], Any], items: Sequence[Any], *pack: Any) -> Any:
        asked.append((getattr(function, "__name__", "check"), len(items)))
        return real(self, function, items, *pack)

    monkeypatch.setattr(parallel.Pool, "map", logged)
    done = run("export", "--format", "jsonl", cwd=root)
    assert asked == [("check", 40), ("check", 10), ("check_ahead", 1), ("id_in", 1), ("check", 30),
                     ("check", 10), ("check", 29), ("check", 2)]
    assert done == alone
    assert done.exit_code == 1  # the corpus's own errors; the record citing later batches is not one
    assert files[3].name not in done.stderr
    written = {row["id"]: row for row in map(json.loads, done.stdout.splitlines())}
    assert written[files[3].stem]["related"] == cited


def parsed_records(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Each record's bytes as it is parsed, from now on."""
    from annot import records

    parsed: list[bytes] = []
    real = records.load

    def counted(raw: bytes, *args: Any, **kwargs: Any) -> Any:
        if b"\nannotation:" in raw:  # a record, not the configuration
            parsed.append(raw)
        return real(raw, *args, **kwargs)

    monkeypatch.setattr(records, "load", counted)
    return parsed


@pytest.mark.parametrize("held", [None, 1])
def test_a_record_cited_from_an_earlier_batch_is_parsed_once_while_there_is_room_to_hold_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[..., Result], held: int | None) -> None:
    # The first batch cites five records of the last, the second five more: each is checked
    # whole when first asked, and what was found waits for its batch. With no room to hold
    # anything, each is read for its id alone, and parsed again in its batch. Either way, what
    # is written is what one batch writes.
    from annot import stream

    root = corpus(tmp_path, 60)
    (root / "events" / "batch-1" / "copy.yaml").unlink()  # a misnamed copy is told apart in one batch only
    files = sorted((root / "events").glob("batch-*/2026-*.yaml"))
    for citing, cited in ((files[0], files[-5:]), (files[6], files[-10:-5])):
        related = ", ".join(path.stem for path in cited)
        citing.write_text(citing.read_text("utf-8").replace("\ntopics:", f"\nrelated: [{related}]\ntopics:", 1),
                          "utf-8")
    monkeypatch.setenv(parallel.JOBS, "1")
    whole = run("export", "--format", "jsonl", cwd=root)
    parsed = parsed_records(monkeypatch)
    monkeypatch.setattr(stream, "BATCH", 4)
    if held is not None:
        monkeypatch.setattr(stream.Ahead, "HELD", held)
    assert run("export", "--format", "jsonl", cwd=root) == whole
    assert whole.exit_code == 1 and files[0].name not in whole.stderr and files[6].name not in whole.stderr
    assert sorted(raw for raw in set(parsed) if parsed.count(raw) > 1) == sorted(
        [] if held is None else [path.read_bytes() for path in files[-10:]])


def test_what_waits_for_its_batch_stays_within_its_limit(tmp_path: Path) -> None:
    # Files are asked for while their size fits the limit (a larger one is passed over, not
    # the smaller ones after it); what comes back over the limit is let go, to be checked in
    # its batch, unless that batch is the next one, handed on already without it.
    from annot.stream import Ahead
    from annot.validate import Target

    sizes = {"a": 10, "b": 10, "c": 10, "d": 500, "e": 10, "f": 10, "g": 10, "h": 10}
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"x" * size)
    names = ["0", "1", *sizes]
    batches = [[Target(name, str(tmp_path / name)) for name in names[at:at + 2]] for at in range(0, len(names), 2)]
    ahead = Ahead(batches, lambda targets: None)
    ahead.HELD = 60
    back = {"a": 12, "b": 12, "c": 40, "e": 2, "f": 2, "g": 2}  # the pickles' sizes
    asked: list[str] = []
    read: list[str] = []

    def check(targets: list[Target]) -> Iterator[tuple[str | None, bytes]]:
        asked.extend(target.shown for target in targets)
        return iter([(target.shown, b"p" * back[target.shown]) for target in targets])

    def read_ids(paths: list[str]) -> Iterator[str | None]:
        read.extend(os.path.basename(path) for path in paths)
        return iter([os.path.basename(path) for path in paths])

    # Batch 0 cites every file of batches 1 (a, b), 2 (c, d), 3 (e, f) and 4 (g, h). By size,
    # a, b, c, e, f and g fit in 60 bytes; d (500) and then h do not.
    assert list(ahead.ids(check, read_ids, [str(tmp_path / name) for name in sizes])) == list(sizes)
    assert (asked, read) == (["a", "b", "c", "e", "f", "g"], ["d", "h"])
    # Back, a and b are over the limit but of the next batch: kept. c is over it: let go. The
    # small e, f and g fit again.
    assert [[t.shown for t in ahead.rest(batch)] for batch in batches] == [["0", "1"], [], ["c", "d"], [], ["h"]]


def test_a_batch_is_put_together_in_its_order_from_what_was_held_begun_and_checked_in_it(tmp_path: Path) -> None:
    # Batch 2's p is asked for ahead, so its first file handed on early is q; p comes back
    # over the limit and is let go, to be checked with the rest of its batch, r: p, before
    # q in the batch, is found after it. Batch 1's a is held, b was handed on early.
    import pickle

    from annot.stream import Ahead
    from annot.validate import Target

    for name in "01abpqr":
        (tmp_path / name).write_bytes(b"x")
    batches = [[Target(name, str(tmp_path / name)) for name in names] for names in ("01", "ab", "pqr")]
    ahead = Ahead(batches, lambda targets: None)
    ahead.HELD = 20
    back = {"a": pickle.dumps("A"), "p": b"p" * 30}

    def check(targets: list[Target]) -> Iterator[tuple[str | None, bytes]]:
        return iter([(target.shown, back[target.shown]) for target in targets])

    ids = ahead.ids(check, lambda paths: iter([]), [str(tmp_path / "a"), str(tmp_path / "p")])
    ahead.begin(1, ahead.rest(batches[1])[:1], iter(["B"]))
    ahead.begin(2, ahead.rest(batches[2])[:1], iter(["Q"]))
    assert list(ids) == ["a", "p"]
    assert [[t.shown for t in ahead.rest(batch)] for batch in batches] == [["0", "1"], [], ["p", "r"]]
    assert list(ahead.merged(1, iter([]))) == ["A", "B"]
    assert list(ahead.merged(2, iter(["P", "R"]))) == ["P", "Q", "R"]


def test_a_broken_project_met_ahead_is_said_as_in_one_batch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[..., Result]) -> None:
    # A record cites one of a later batch, in a project nested in the records folder whose
    # annot.yaml is broken. Checking it ahead, a worker met the broken configuration: the
    # error could not cross back, the pool broke, and annot said "a worker ended abruptly"
    # or failed (exit 3). The parent reads the project first, as one batch does.
    from annot import stream

    root = corpus(tmp_path, 12)
    nested = root / "events" / "zz-nested"
    (nested / "ev").mkdir(parents=True)
    (nested / "annot.yaml").write_text("events: [ev\n")
    (nested / "ev" / "n05.yaml").write_text(SEED_RECORD.replace(SEED_ID, "n05"), "utf-8")
    first = sorted((root / "events").glob("batch-*/2026-*.yaml"))[0]
    first.write_text(first.read_text("utf-8").replace("\ntopics:", "\nrelated: [n05]\ntopics:", 1), "utf-8")
    said = ("events/zz-nested/annot.yaml:2:1: error: YAML syntax error: while parsing a flow sequence: did not "
            "find expected ',' or ']' [config]\n")
    for jobs, batch in (("1", 2000), ("1", 3), ("2", 3)):
        monkeypatch.setenv(parallel.JOBS, jobs)
        monkeypatch.setattr(stream, "BATCH", batch)
        done = run("export", "--format", "jsonl", cwd=root)
        assert (done.exit_code, done.stderr.splitlines()[-1] + "\n") == (2, said), (jobs, batch)


def test_a_registry_problem_of_files_handed_on_early_is_told_where_it_was_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[..., Result]) -> None:
    # A nested project with a broken registry, first met in the third batch's files, of which
    # the first is handed on with the second batch. Its warning is told with the second
    # batch's records, as when the third batch alone was handed on there (the parent reads a
    # batch's projects when the batch itself goes): not with the first batch's.
    from annot import stream

    root = tmp_path
    (root / "events").mkdir()
    (root / "annot.yaml").write_text("events: events\n")
    for n in range(10):
        text = SEED_RECORD.replace(SEED_ID, f"2026-02-02-bamako-{n:04d}")
        (root / "events" / f"2026-02-02-bamako-{n:04d}.yaml").write_text(text, "utf-8")
    nested = root / "events" / "zz-nested"
    (nested / "ev").mkdir(parents=True)
    (nested / "annot.yaml").write_text("events: ev\nsources: sources\n")
    (nested / "actors.yaml").write_text("bad: [unclosed\n")
    monkeypatch.setattr(stream, "BATCH", 5)
    monkeypatch.setattr(stream, "FIRST", 1)
    monkeypatch.setenv(parallel.JOBS, "2")
    told = ["warning" if line.startswith("annot: warning") else line.split()[2].split(":")[0]
            for line in run("export", "--format", "jsonl", cwd=root).stderr.splitlines()]
    batches = [[f"events/2026-02-02-bamako-{n:04d}.yaml" for n in range(start, start + 5)] for start in (0, 5)]
    assert told[:11] == [*batches[0], "warning", *batches[1]]


def test_an_error_met_in_a_worker_crosses_back_whole() -> None:
    from annot.errors import ConfigError

    with pytest.raises(ConfigError) as raised, parallel.Pool([_config_error], 2) as pool:
        list(pool.map(_config_error, [1, 2, 3]))
    error = raised.value
    assert (str(error), error.message, error.file, error.line, error.column, error.rule) == (
        "annot.yaml:3:4: error: broken [config]", "annot.yaml:3:4: error: broken [config]", "annot.yaml", 3, 4,
        "config")


def _config_error(_: int) -> None:
    from annot.errors import ConfigError

    raise ConfigError("annot.yaml", "broken", 3, 4)


CUT_SHORT = """
import os, struct, time
from annot import parallel

try:
    with parallel.Pool([abs], 2) as pool:
        assert list(pool.map(abs, [-1, -2, -3])) == [1, 2, 3]  # the workers run
        # What a worker ended in the middle of sending a result leaves in the pipe: a length,
        # and less than that length of message. The pool's thread waits for the rest.
        results = pool._executor._result_queue._writer
        os.write(results.fileno(), struct.pack("!i", 1000) + b"cut short")
        time.sleep(0.5)
        raise KeyboardInterrupt
except KeyboardInterrupt:
    print("ended")
"""


def test_a_pool_interrupted_while_a_result_was_cut_short_still_ends() -> None:
    # The hang a Ctrl-C could cause during a large export: the pool's thread read a length,
    # then waited for ever for a message whose worker had been ended.
    done = subprocess.run([sys.executable, "-c", CUT_SHORT], capture_output=True, text=True, timeout=30)
    assert (done.returncode, done.stdout, done.stderr) == (0, "ended\n", "")


@pytest.mark.parametrize("few", [0, 10**9])
def test_a_record_linked_out_of_the_repository_is_not_listed_however_many_names_its_folder_has(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, few: int) -> None:
    # Past a few names, a folder's links are listed at once instead of asked about name by
    # name: the same files either way, the link out left out, the link inside kept.
    from annot import files

    root, outside = tmp_path / "repo", tmp_path / "outside"
    events = root / "events"
    events.mkdir(parents=True)
    outside.mkdir()
    (outside / "far.yaml").write_text("id: far\n")
    for n in range(3):
        (events / f"r{n}.yaml").write_text("id: r\n")
    (events / "out.yaml").symlink_to(outside / "far.yaml")
    (events / "in.yaml").symlink_to(events / "r0.yaml")
    monkeypatch.setattr(files, "_FEW", few)
    asked: list[str] = []
    real = os.path.islink

    def islink(path: Any) -> bool:
        asked.append(os.path.basename(path))
        return real(path)

    monkeypatch.setattr(files.os.path, "islink", islink)
    listed = files.WorkTree().records_under(events, root)
    assert sorted(os.path.basename(path) for path in listed) == ["in.yaml", "r0.yaml", "r1.yaml", "r2.yaml"]
    named = files.WorkTree().records_named(events, root, {"out", "in", "r1"})
    assert sorted(named) == ["in", "r1"]
    # Asked name by name only when the folder holds few (5, then the 3 named).
    assert len(asked) == (0 if few == 0 else 8)


def test_a_folder_listed_once_finds_what_listing_it_each_time_finds(tmp_path: Path) -> None:
    # An export in batches lists the records folder once: the same files by stem, a name
    # in two folders under both, the files a batch has read left out, a hidden one never.
    from annot.files import WorkTree
    from annot.stream import ListedOnce

    events = tmp_path / "events"
    for folder, name in [("a", "x.yaml"), ("a", "y.yml"), ("b", "x.yaml"), ("b", "x.yml"),
                         ("b/c", "z.yaml"), ("a", ".w.yaml"), ("a", "notes.txt"), ("a", "v.2.yaml"),
                         ("b", "u.yaml.yml")]:
        (events / folder).mkdir(parents=True, exist_ok=True)
        (events / folder / name).write_text("id: x\n")
    listed = ListedOnce()
    for stems, skip in [({"x", "y", "z", ".w", "notes", "none", "v", "v.2", "u", "u.yaml"}, set()),
                        ({"x", "z"}, {str(events / "b" / "x.yaml")})]:
        found = listed.records_named(events, tmp_path, stems, skip)
        assert {stem: sorted(paths) for stem, paths in found.items()} == {
            stem: sorted(paths) for stem, paths in WorkTree().records_named(events, tmp_path, stems, skip).items()}
    assert sorted(found["x"]) == [str(events / "a" / "x.yaml"), str(events / "b" / "x.yml")]
    assert found["z"] == [str(events / "b" / "c" / "z.yaml")]
    first = listed.records_named(events, tmp_path, {"v", "v.2", "u", "u.yaml"})
    assert first == {"v.2": [str(events / "a" / "v.2.yaml")], "u.yaml": [str(events / "b" / "u.yaml.yml")]}
