"""The repository's valid records, one at a time, for commands that write the corpus out.

Records are checked by `validate`'s Checker in batches of BATCH files (in a pool of
workers, the next batch while this one is written), so memory holds a batch or two,
not the corpus, and the rules across files still run: an id outside the batch is
confirmed by the id kept of a record already checked, by checking a record of a later
batch at once (`Ahead`), or by reading another file for its id. A record with errors is
not yielded: its first error goes to `skipped`, located, and the caller goes on with
the others.
"""

from __future__ import annotations

import os
import pickle
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache, partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import parallel
from .files import RECORD_SUFFIXES, WorkTree, inside, read_regular
from .project import project_for, project_of

if TYPE_CHECKING:
    from .actors import Registry
    from .validate import Checked, Checker, Problem, Report, Target

BATCH = 2000  # a batch's records are checked together (in worker processes) and kept
FIRST = 128  # files a worker is handed of the next batch with this one, to check across its end


class Record(NamedTuple):
    """A valid record: how its file is shown, its data, its repository root and registry."""

    file: str
    data: dict[str, Any]
    root: Path
    registry: Registry | None


def valid_records(paths: Sequence[str], cwd: Path, skipped: Callable[[Problem, int], None],
                  make: Callable[[Record], Any] | None = None,
                  pack: Callable[[list[Any]], list[Any]] | None = None) -> Iterator[Any]:
    """The valid records that `paths` name (default: the repository's), in file order; with
    `make`, what it makes of each instead, computed in the process that checked the record
    (a worker, when there are many), so that only what it makes crosses back. A worker
    sends what it made of the records it checked at a time as `pack` makes that list (of
    the same length) of them.

    `skipped(problem, errors)` hears of each file left out (its first error and how many
    it has) and, with errors 0, of each problem of an actor registry, once.
    """
    from .validate import Checked, Checker, collect

    targets, trouble = collect(paths, cwd)
    for problem in trouble:
        skipped(problem, 1)
    batches = [targets[start : start + BATCH] for start in range(0, len(targets), BATCH)]
    listing = ListedOnce() if len(batches) > 1 else None
    checker = Checker(listing, freeze_gathered=True, errors_only=True)
    told: set[tuple[str, int, int, str]] = set()
    roots: dict[str, Path] = {}  # a file's folder as shown -> its repository root

    def root_of(file: str) -> Path:
        folder = os.path.dirname(file)
        root = roots.get(folder)
        if root is None:
            root = roots[folder] = project_for(Path(os.path.abspath(os.path.join(cwd, folder)))).root
        return root

    def keep(file: str, data: dict[str, Any], registry: Registry | None) -> tuple[Any, Any]:
        made = data if make is None else make(Record(file, data, root_of(file), registry))
        return data.get("id"), made

    workers = parallel.workers_for(len(targets))
    ahead = Ahead(batches, checker.read_shared)

    def check_ahead(target: Target) -> tuple[str | None, bytes]:
        found = checker.check_file(target, keep)
        identifier = found.crossing.id if found.crossing is not None else None
        return identifier, pickle.dumps(found, pickle.HIGHEST_PROTOCOL)

    if workers == 1:
        if len(batches) > 1:
            checker.read_ids = partial(ahead.ids, partial(map, check_ahead), partial(map, checker.id_in))
        for number, batch in enumerate(batches):
            ahead.current = number
            rest = ahead.rest(batch)
            checked = ahead.merged(number, (checker.check_file(target, keep) for target in rest))
            yield from _valid(checker, batch, checker.run(batch, keep=keep, checked=checked), make, root_of,
                              skipped, told)
        return

    last = [-1]  # in a worker: the batch it checked last

    def check(numbered: tuple[int, Target]) -> Checked:
        number, target = numbered
        if number != last[0]:  # a worker, too, holds the articles of one batch only
            checker.forget_sources()
            last[0] = number
        return checker.check_file(target, keep)

    def packed(found: list[Checked]) -> list[Checked]:
        at = [i for i, checked in enumerate(found) if checked.kept is not None]
        if pack is None or not at:
            return found
        made = pack([found[i].kept[1] for i in at])
        for i, one in zip(at, made, strict=True):  # made anew: _replace costs twice as much
            checked = found[i]
            found[i] = Checked(checked.problems, checked.crossing, (checked.kept[0], one))
        return found

    def submit(number: int) -> Iterator[Checked]:
        checker.read_shared(batches[number])  # before the first map forks the workers
        rest = ahead.rest(batches[number])
        checked = pool.map(check, [(number, target) for target in rest], packed) if rest else iter(())
        if number + 1 < len(batches):
            # Their projects are read when the rest of their batch is handed on, as before: a
            # broken one is said, and a registry's problems told, with the same batch.
            first = ahead.rest(batches[number + 1])[:FIRST * workers]
            begun = pool.map(check, [(number + 1, target) for target in first], packed)
            ahead.begin(number + 1, first, begun)
        return ahead.merged(number, checked)

    # One pool for every batch. The next batch is handed on as soon as this one's own
    # findings are in (after the files its rules across files read): the workers check it
    # while those rules run and the caller takes this batch's records. Its first files were
    # handed on with this batch: the workers check them while this batch's last files are
    # checked and its rules across files find what they must read.
    with parallel.Pool([check, check_ahead, checker.id_in, packed], workers) as pool:
        checker.read_ids = partial(ahead.ids, partial(pool.map, check_ahead),
                                   partial(pool.map, checker.id_in))
        following = [submit(0)]
        if listing is not None:  # now, while the workers check the first batch, whose rules across files ask
            for project in {project_of(target.path) for target in batches[0]}:
                listing.records_named(project.events_dir, project.root, set())

        def hand_on(number: int) -> None:
            if number < len(batches):
                following.append(submit(number))

        for number, batch in enumerate(batches):
            ahead.current = number
            pending = following.pop()
            report = checker.run(batch, keep=keep, checked=pending, then=partial(hand_on, number + 1))
            yield from _valid(checker, batch, report, make, root_of, skipped, told)
            del report, pending  # memory holds this batch and the next, being checked, not the corpus
        checker.read_ids = None


class Ahead:
    """The records of later batches that the rules across files ask about now (a record
    citing one further on): each is checked whole when first asked, rather than read for
    its id now and parsed again in its batch. What its check found waits for its batch,
    pickled, within HELD bytes: a file is asked for while its size fits, and what comes back
    over the limit is let go (checked again in its batch) unless its batch is the next,
    already handed on. Beyond, a file is read for its id alone, as is one of the first files
    of a batch, handed on with the batch before it (`begin`)."""

    HELD = 16 * 2**20  # a margin of the 300 MB an export of 100,000 records keeps within

    def __init__(self, batches: list[list[Target]], prepare: Callable[[list[Target]], None]) -> None:
        self._batches = batches
        self._prepare = prepare  # reads, here, what the targets' projects share (and says what is wrong)
        self._hashes: array[int] | None = None  # of each target's path, sorted; and its place
        self._places = array("I")
        self._held: dict[str, bytes] = {}
        self._asked: dict[str, int] = {}  # checked ahead, not yet taken by its batch: its file's size
        self._size = 0  # of what is held, and of the files asked for whose check is not back
        self._begun: dict[int, Iterator[Checked]] = {}  # a batch's first files, handed on before it
        self._handed: set[str] = set()  # their paths
        self.current = 0  # the batch being checked

    def ids(self, check: Callable[[list[Target]], Iterator[tuple[str | None, bytes]]],
            read_ids: Callable[[list[str]], Iterator[str | None]], paths: list[str]) -> Iterator[str | None]:
        """The id each of `paths` holds: a record of a later batch checked by `check` (which
        gives its id and what was found, pickled), any other file read by `read_ids`. Both
        are asked now; the ids come as they are taken."""
        later: dict[str, tuple[int, Target]] = {}
        for path in paths:
            found = self._target(path)
            if found is None or found[0] <= self.current or path in self._asked or path in self._handed:
                continue
            try:
                size = os.path.getsize(path)
            except OSError:
                size = 0
            if self._size + size <= self.HELD:
                later[path] = found
                self._asked[path] = size
                self._size += size
        others = [path for path in paths if path not in later]
        targets = [target for _, target in later.values()]
        if targets:
            self._prepare(targets)
        checked = check(targets) if targets else iter(())
        read = read_ids(others) if others else iter(())
        return self._taken(paths, later, checked, read)

    def _target(self, path: str) -> tuple[int, Target] | None:
        """The batch number and target of `path`, if it is one: looked up by the hash of its
        path, 12 bytes a target (a dict of the paths would be some 100)."""
        if self._hashes is None:
            targets = chain.from_iterable(self._batches)
            found = sorted((hash(target.path), place) for place, target in enumerate(targets))
            self._hashes, self._places = array("q", [h for h, _ in found]), array("I", [p for _, p in found])
        size = len(self._batches[0])
        wanted = hash(path)
        at = bisect_left(self._hashes, wanted)
        while at < len(self._hashes) and self._hashes[at] == wanted:
            number, index = divmod(self._places[at], size)
            if self._batches[number][index].path == path:
                return number, self._batches[number][index]
            at += 1
        return None

    def _taken(self, paths: list[str], later: dict[str, tuple[int, Target]],
               checked: Iterator[tuple[str | None, bytes]],
               read: Iterator[str | None]) -> Iterator[str | None]:
        for path in paths:
            if path in later:
                identifier, held = next(checked)
                self._size -= self._asked.pop(path)
                if self._size + len(held) <= self.HELD or later[path][0] == self.current + 1:
                    self._held[path] = held
                    self._asked[path] = len(held)
                    self._size += len(held)
                yield identifier
            else:
                yield next(read)

    def rest(self, batch: list[Target]) -> list[Target]:
        """The targets of `batch` neither checked ahead nor handed on already."""
        return [target for target in batch if target.path not in self._asked
                and target.path not in self._handed]

    def begin(self, number: int, first: list[Target], checked: Iterator[Checked]) -> None:
        """Take `checked`, what is found of `first`, the first files of batch `number`, handed
        on before it: a rule asking about one of them reads its id."""
        self._begun[number] = checked
        self._handed.update(target.path for target in first)

    def merged(self, number: int, rest: Iterable[Checked]) -> Iterator[Checked]:
        """What was found of each target of batch `number`, in order: held, begun, or next
        of `rest`."""
        begun = self._begun.pop(number, iter(()))
        others = iter(rest)
        for target in self._batches[number]:
            path = target.path
            held = self._held.pop(path, None)
            if held is not None:
                self._size -= self._asked.pop(path)
                yield pickle.loads(held)
            elif path in self._handed:
                self._handed.discard(path)
                yield next(begun)
            else:
                yield next(others)


class ListedOnce(WorkTree):
    """The working tree, with each records folder listed once for every batch: the rules
    across files ask each batch which files bear its ids, and listing a large folder again
    for each batch would cost the square of its size.

    What is kept of a listing is the hash of each file's stem, sorted, with its folder and
    suffix: 12 bytes a file, not the 110 of a name in a dict, and one search a stem asked
    about. A hash shared by another stem only adds a path that is not there, which the
    caller, reading the file for its id, finds holds none."""

    def __init__(self) -> None:
        self._listed: dict[tuple[Path, Path | None], tuple[array[int], array[int], list[str]]] = {}

    def records_named(self, folder: Path, within: Path | None, stems: set[str],
                      skip: set[str] | None = None) -> dict[str, list[str]]:
        """The record files below `folder` whose stem is one of `stems`, by stem, but for
        the paths in `skip`, as they were when the folder was first listed."""
        listed = self._listed.get((folder, within))
        if listed is None:
            listed = self._listed[folder, within] = _listing(self.records_under(folder, within))
        hashes, where, folders = listed
        named: dict[str, list[str]] = {}
        end = len(hashes)
        for stem in stems:
            wanted = hash(stem)
            at = bisect_left(hashes, wanted)
            while at < end and hashes[at] == wanted:
                folder_at, suffix = divmod(where[at], _SUFFIXES)
                path = f"{folders[folder_at]}{os.sep}{stem}{RECORD_SUFFIXES[suffix]}"
                if (not skip or path not in skip) and path not in named.get(stem, ()):
                    named.setdefault(stem, []).append(path)
                at += 1
        return named


_SUFFIXES = len(RECORD_SUFFIXES)
_SUFFIX_AT = {suffix: at for at, suffix in enumerate(RECORD_SUFFIXES)}


def _listing(paths: list[str]) -> tuple[array[int], array[int], list[str]]:
    """The sorted hashes of the files' stems; for each, its folder's index times the number
    of record suffixes plus its suffix's; the folders."""
    folders: dict[str, int] = {}
    found = []
    while paths:  # each path let go as it is read: a large folder's listing is most of the memory
        path = paths.pop()
        slash, dot = path.rfind(os.sep), path.rfind(".")  # the last dot begins the suffix: .yaml, .yml
        found.append((hash(path[slash + 1 : dot]),
                      folders.setdefault(path[:slash], len(folders)) * _SUFFIXES + _SUFFIX_AT[path[dot:]]))
    found.sort()
    return array("q", [h for h, _ in found]), array("I", [f for _, f in found]), list(folders)


def _valid(checker: Checker, batch: list[Target], report: Report, make: Callable[[Record], Any] | None,
           root_of: Callable[[str], Path], skipped: Callable[[Problem, int], None],
           told: set[tuple[str, int, int, str]]) -> Iterator[Any]:
    """The valid records of one checked batch (or what `make` made of each), in file order;
    each file left out is told to `skipped`, and each registry problem once (`told`)."""
    from .validate import ERROR

    checker.forget_sources()
    shown = {t.shown for t in batch}
    kept = dict(report.records)
    report.records.clear()  # each is let go as it is yielded
    for target in batch:
        identifier = kept.get(target.shown, (None, None))[0]
        if isinstance(identifier, str):
            checker.know_id(target.path, identifier)
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
