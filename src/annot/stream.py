"""The repository's valid records, one at a time, for commands that write the corpus out.

Records are checked by `validate`'s Checker in batches of BATCH files, so memory
holds one batch, not the corpus, and the rules across files still run (a
related id outside the batch is confirmed by reading that one file, or by the
id kept of a record already checked). A record
with errors is not yielded: its first error goes to `skipped`, located, and
the caller goes on with the others.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .files import WorkTree, inside, read_regular
from .project import project_for

if TYPE_CHECKING:
    from .actors import Registry
    from .validate import Problem

BATCH = 2000  # a batch's records are checked together (in worker processes) and kept


class Record(NamedTuple):
    """A valid record: how its file is shown, its data, its repository root and registry."""

    file: str
    data: dict[str, Any]
    root: Path
    registry: Registry | None


def valid_records(paths: Sequence[str], cwd: Path, skipped: Callable[[Problem, int], None],
                  make: Callable[[Record], Any] | None = None) -> Iterator[Any]:
    """The valid records that `paths` name (default: the repository's), in file order; with
    `make`, what it makes of each instead, computed in the process that checked the record
    (a worker, when there are many), so that only what it makes crosses back.

    `skipped(problem, errors)` hears of each file left out (its first error and how many
    it has) and, with errors 0, of each problem of an actor registry, once.
    """
    from .validate import ERROR, Checker, collect

    targets, trouble = collect(paths, cwd)
    for problem in trouble:
        skipped(problem, 1)
    tree = _CheckedTree()
    checker = Checker(tree)
    told: set[tuple[str, int, int, str]] = set()
    roots: dict[str, Path] = {}  # folder -> its repository root

    def root_of(file: str) -> Path:
        folder = os.path.dirname(os.path.join(cwd, file))
        if folder not in roots:
            roots[folder] = project_for(Path(os.path.abspath(folder))).root
        return roots[folder]

    def keep(file: str, data: dict[str, Any], registry: Registry | None) -> tuple[Any, Any]:
        made = data if make is None else make(Record(file, data, root_of(file), registry))
        return data.get("id"), made

    for start in range(0, len(targets), BATCH):
        batch = targets[start : start + BATCH]
        shown = {t.shown for t in batch}
        report = checker.run(batch, keep=keep)
        checker.forget_sources()
        kept = dict(report.records)
        report.records.clear()  # each is let go as it is yielded
        for target in batch:
            identifier = kept.get(target.shown, (None, None))[0]
            if isinstance(identifier, str):
                tree.ids[str(target.path)] = identifier
        errors: dict[str, list[Problem]] = {}
        for problem in report.problems:
            if problem.severity != ERROR:
                continue
            if problem.file in shown:
                errors.setdefault(problem.file, []).append(problem)
            elif (problem.file, problem.line, problem.column, problem.message) not in told:
                told.add((problem.file, problem.line, problem.column, problem.message))
                skipped(problem, 0)  # the registry's problems come with every batch: said once
        for target in batch:
            file = target.shown
            if file in errors:
                skipped(errors[file][0], len(errors[file]))
                continue
            if file not in kept:
                continue
            made = kept.pop(file)[1]
            if make is None:
                root = root_of(file)
                made = Record(file, made, root, report.registries.get(root))
            yield made
        del report, kept  # before the next batch is checked: memory holds one batch


class _CheckedTree(WorkTree):
    """The working tree, where a record checked in an earlier batch reads as its id alone.

    The rules across files open other records only for their id (is it a duplicate, does a
    related id exist); parsing a record already checked again would double the work when
    related records fall in different batches.
    """

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}  # path of a record already checked -> its id

    def read(self, path: Path) -> bytes:
        """The file's bytes, or `id: ...` for a record already checked."""
        known = self.ids.get(str(path))
        return super().read(path) if known is None else f"id: {json.dumps(known)}\n".encode()


def source_text(root: Path, data: dict[str, Any]) -> str | None:
    """The article a record cites (`source.text`) as it is on disk, or None when it has none
    or it cannot be read inside the repository (validate has said why)."""
    source = data.get("source")
    text_path = source.get("text") if isinstance(source, dict) else None
    if not isinstance(text_path, str):
        return None
    return _read_source(str(root), text_path)


@lru_cache(maxsize=16)  # records citing one article come together; memory stays bounded
def _read_source(root: str, text_path: str) -> str | None:
    normal = os.path.normpath(text_path)
    if "\0" in text_path or os.path.isabs(text_path) or normal == ".." or normal.startswith(".." + os.sep):
        return None
    path = os.path.join(root, normal)
    if not inside(path, root):
        return None
    try:
        return read_regular(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
