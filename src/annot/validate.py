"""Checking records: the schema, the rules no schema can express, and the
rules across files. Returns plain Problems; prints nothing."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import parallel, quotes, records
from .collector import paused
from .dates import normalize_dates
from .errors import LocatedError, TroubleError
from .files import Tree, WorkTree, inside, links_out, record_stem, shown_path, walk
from .project import Project, project_for, project_of
from .records import Document, YamlError
from .rules import ERROR, RULES, WARNING, Context, Finding, Rule, first_schema_feature, source_path

if TYPE_CHECKING:
    from .actors import Registry
from .schema import RecordSchema

__all__ = ["ERROR", "WARNING", "Checker", "Problem", "Report", "collect"]
Keep = Callable[[str, dict[str, Any], "Registry | None"], Any]  # what a run keeps of a valid record
MAX_PER_RULE = 20  # problems of one rule reported for one record



class Problem(NamedTuple):
    """One finding, located in a file; the unit of every validate output."""

    file: str
    line: int
    column: int
    pointer: str
    rule: str
    severity: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: file, line, column, pointer, rule, severity, message."""
        return self._asdict()


class Report:
    """What a validate run found."""

    def __init__(self) -> None:
        self.files = 0
        self.problems: list[Problem] = []
        self.records: list[tuple[str, Any]] = []  # (file, what was kept) when asked to keep them
        self.registries: dict[Path, Registry | None] = {}  # project root -> its actor registry

    def valid_records(self) -> list[tuple[str, Any]]:
        """The loaded records that have no error, in file order."""
        failed = {p.file for p in self.problems if p.severity == ERROR}
        return [(file, data) for file, data in self.records if file not in failed]

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(p.severity == ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return sum(p.severity == WARNING for p in self.problems)

    def relocated(self, base: Path, cwd: Path) -> Report:
        """The same findings with file paths relative to `base` (a git root, for code scanning)."""
        moved = Report()
        moved.files = self.files
        moved.problems = [p._replace(file=os.path.relpath(cwd / p.file, base)) for p in self.problems]
        moved.records = self.records
        return moved

    @classmethod
    def of_trouble(cls, exc: LocatedError) -> Report:
        """A report holding one located trouble (a broken annot.yaml or schema)."""
        report = cls()
        report.problems = [Problem(exc.file, exc.line, exc.column, "", exc.rule or "config", ERROR,
                                   exc.reason)]
        return report


class Target(NamedTuple):
    """A record file to check: how to show it, and where it is."""

    shown: str
    path: str  # absolute; a string, not a Path, as a run holds one for every record


def collect(paths: Sequence[str], cwd: Path) -> tuple[list[Target], list[Problem]]:
    """The record files named by `paths` (files or folders; default the events folder)."""
    problems: list[Problem] = []
    if not paths:
        project = project_for(cwd)
        folder = project.events_dir
        if folder.exists() and not folder.is_dir():
            raise TroubleError(f"{shown_path(folder, cwd)} is not a folder: the records folder must be one")
        if not folder.is_dir():
            raise TroubleError(
                f"no records folder: {shown_path(folder, cwd)} does not exist "
                "(name files or folders to check, or run `annot init`)"
            )
        named: list[tuple[str, Path, bool]] = [(shown_path(folder, cwd), folder, True)]
    else:
        named = []
        for given in paths:
            path = (cwd / given) if not os.path.isabs(given) else Path(given)
            if not os.path.lexists(path):
                raise TroubleError(f"{given}: no such file or folder")
            named.append((given, path, path.is_dir()))
    unique: dict[str, Target] = {}  # a file named twice (itself and through its folder) is checked once
    for given, path, is_dir in named:
        if not is_dir:
            target = Target(given, os.path.abspath(path))
            if _linked_out(target.path):
                problems.append(Problem(given, 1, 1, "", "yaml", ERROR, LINKED_OUT))
            else:
                unique.setdefault(target.path, target)
            continue
        # Strings, not Paths: this runs over every record of a repository.
        base = os.path.abspath(path)
        root = project_for(base).root  # by the name its records' folder is asked by, once
        found, trouble = walk(base, within=root)
        found = _records_among(found, base)
        shown_base = shown_path(Path(base), cwd)
        prefix = "" if shown_base == "." else shown_base + os.sep
        cut = len(base.rstrip(os.sep)) + 1
        # `walk` follows no link out of the repository; only the folder itself may lead out.
        linked_out = _folder_linked(base) and not inside(base, root)
        for file in found:
            shown = prefix + file[cut:]
            if linked_out:
                problems.append(Problem(shown, 1, 1, "", "yaml", ERROR, LINKED_OUT))
            elif file not in unique:
                unique[file] = Target(shown, file)
        for where, message in trouble:
            problems.append(Problem(shown_path(Path(where), cwd), 1, 1, "", "yaml", ERROR, message))
    return list(unique.values()), problems


LINKED_OUT = "reached through a symbolic link out of the repository: not read"


def _linked_out(path: str) -> bool:
    """Whether `path` goes through a symbolic link that leads out of its repository."""
    if not os.path.islink(path) and not _folder_linked(os.path.dirname(path)):
        return False  # the common case: one lstat, and one realpath a folder
    return not inside(path, project_of(path).root)


@cache
def _folder_linked(folder: str) -> bool:
    return os.path.realpath(folder) != os.path.abspath(folder)


STDIN = "-"


class StdinTree(WorkTree):
    """The working tree, and one record read from standard input at the path `-`."""

    def __init__(self, path: str, raw: bytes) -> None:
        self.path, self.raw = path, raw

    def read(self, path: str | Path) -> bytes:
        """Standard input's record for `-`, else the file on disk."""
        return self.raw if os.fspath(path) == self.path else super().read(path)

    def links_out(self, path: str | Path, root: Path) -> bool:
        """Standard input's record follows no link, whatever the file it is checked as is."""
        return os.fspath(path) != self.path and super().links_out(path, root)


def check(paths: Sequence[str], cwd: Path, *, staged: bool = False, strict: bool = False,
          stdin: Callable[[], bytes] | None = None, stdin_name: str | None = None,
          keep_records: bool = False, view: Keep | None = None, gather: Callable[[Any], Any] | None = None,
          freeze_gathered: bool = False, errors_only: bool = False) -> Report:
    """Validate the records `paths` name (default: the repository's), from the working tree
    or, with `staged`, as git's index holds them; `-` is one record read by `stdin`, checked
    as the file `stdin_name` when given (an editor's unsaved buffer of that file).
    `keep_records` keeps each valid record's data in the report; `view` keeps what it makes
    of each (file, data, registry) instead, computed where the record was checked, and
    `gather` what the caller makes of that as it comes (kept in its place).
    `freeze_gathered`, `errors_only`: see Checker (a command's own process; one that reads
    only the valid records)."""
    keep = view or (_whole if keep_records else None)
    if STDIN in paths and stdin is not None and list(paths) != [STDIN]:
        raise TroubleError("-: standard input is one record, checked alone: give `-` and no other "
                           "path (./- is a file named -)")
    if stdin_name is not None and (list(paths) != [STDIN] or staged):
        raise TroubleError("--stdin-filename names the record read from standard input: give it with "
                           "`-` as the only path, and without --staged")
    if list(paths) == [STDIN] and stdin is not None:
        target = Target(STDIN, str(cwd / STDIN)) if stdin_name is None else _named_stdin(stdin_name, cwd)
        return Checker(StdinTree(target.path, stdin())).run([target], strict=strict, keep=keep,
                                                              gather=gather)
    if staged:
        from .gitio import staged_targets

        targets, tree, found = staged_targets(paths, cwd)
        try:
            return Checker(tree).run(targets, strict=strict, found=found, keep=keep, gather=gather)
        finally:
            tree.close()
    targets, found = collect(paths, cwd)
    checker = Checker(freeze_gathered=freeze_gathered, errors_only=errors_only)
    if not paths:  # the repository's registry is checked with it, records or none
        checker.registry(project_for(cwd))
    return checker.run(targets, strict=strict, found=found, keep=keep, gather=gather)


def _named_stdin(name: str, cwd: Path) -> Target:
    """The target standard input's record is checked as: the file `name`, which need not
    exist yet, but is not a folder."""
    if not name or "\0" in name or os.path.basename(name) == STDIN:
        raise TroubleError(f"--stdin-filename {name!r}: name a record file (`-` is standard input)")
    path = os.path.abspath(cwd / name)
    if os.path.isdir(path):
        raise TroubleError(f"--stdin-filename {name}: a folder; name a record file")
    return Target(name, path)


def _records_among(found: list[str], folder: str) -> list[str]:
    """The walked files that are records.

    A folder holding its repository's records folder (the repository root,
    say) means "check this repository": only the files in the records
    folder. Elsewhere every YAML file found is taken, except annot.yaml.
    """
    from .project import CONFIG_NAME

    events = str(project_for(folder).events_dir)
    inside = events == folder or events.startswith(folder + os.sep)
    if inside and os.path.isdir(events):
        return [f for f in found if f.startswith(events + os.sep)]
    return [f for f in found if os.path.basename(f) != CONFIG_NAME]


class Crossing(NamedTuple):
    """What the rules across files need of one checked record, and nothing more. It is held
    for every record until those rules run, so it is flat: a dict of positions held 0.4 KB
    more a record."""

    id: str | None
    related: tuple[str | None, ...]  # each entry of `related`; None for one that is not a string
    positions: tuple[int, ...]  # line and column of /id, then of each /related/N in turn

    @classmethod
    def of(cls, document: Document) -> Crossing:
        """The record's id and related ids, with their positions."""
        data = document.data
        identifier = data.get("id")
        related = data.get("related")
        entries = tuple(v if isinstance(v, str) else None for v in related) \
            if isinstance(related, list) else ()
        pointers = ["/id", *(f"/related/{i}" for i in range(len(entries)))]
        return cls(identifier if isinstance(identifier, str) else None, entries,
                   tuple(n for pointer in pointers for n in document.position(pointer)))

    def position(self, related: int | None = None) -> records.Position:
        """Where the id is written; with `related`, where that entry of `related` is."""
        at = 0 if related is None else 2 + 2 * related
        return self.positions[at], self.positions[at + 1]


class Checked(NamedTuple):
    """One file's own findings; `crossing` when it loaded as a record, and what was kept of it."""

    problems: list[Problem]
    crossing: Crossing | None
    kept: Any


class Checker:
    """Validates record files read from a Tree."""

    def __init__(self, tree: Tree | None = None, *, freeze_gathered: bool = False,
                 errors_only: bool = False) -> None:
        self.tree: Tree = tree or WorkTree()
        self._sources: dict[Path, str | OSError | UnicodeDecodeError] = {}
        self._listing: dict[Path, dict[str, list[str]]] = {}
        self._wanted: dict[Path, set[str]] = {}  # the stems whose unread records matter, by project
        self._ids_of_unread: dict[str, str | None] = {}
        self._registries: dict[Path, Registry | None] = {}
        self._registry_problems: list[Problem] = []
        self._registry_files: set[str] = set()
        self._contexts: dict[Path, Context] = {}
        self._sources_named: dict[tuple[Path, str], str | Exception] = {}
        # A caller's way to read many files' ids at once (in its kept workers); else a pool a map
        self.read_ids: Callable[[list[str]], Iterator[str | None]] | None = None
        # Freeze what a run gathered before the collector is enabled again, which would walk it
        # all at once and again as it ages: for a command that runs batch after batch (export's
        # parent collected for a fifth of its time at 100,000 records) or keeps a view of every
        # record (summary). It freezes any garbage cycle of the process too, so only a
        # command's own process asks for it.
        self.freeze_gathered = freeze_gathered
        # For a command that reads only the valid records: the rules that only warn are not run.
        self.errors_only = errors_only
        self._foreseeing = True

    def run(self, targets: Iterable[Target], *, strict: bool = False,
            found: Sequence[Problem] = (), keep: Keep | None = None,
            gather: Callable[[Any], Any] | None = None, checked: Iterable[Checked] | None = None,
            then: Callable[[], None] | None = None) -> Report:
        """Check every target, then the rules across files; `found` are problems met while
        finding the targets (each stands for a file that could not be checked). The loaded
        records are kept in the report only with `keep`: what it makes of each record that
        has no error of its own (or what `gather` makes of that, here, as it comes).
        `checked` are the targets' own findings when the caller has them already (check_file
        of each, with `keep`). `then` is called once they are all in and the files the rules
        across files must read are handed to the pool, before those rules wait for them: a
        caller that checks batch after batch hands on the next one there, so that the
        workers never wait on the rules across files."""
        report = Report()
        report.files = len(found)
        report.problems.extend(found)
        targets = list(targets)
        crossings: list[tuple[Target, Crossing]] = []
        unread: set[str] = set()  # the stems of the files that did not load as records
        with paused(freeze=self.freeze_gathered):  # a summary keeps a view of every record
            each = self.check_each(targets, keep) if checked is None else checked
            for target, own in zip(targets, each, strict=True):
                report.files += 1
                report.problems.extend(own.problems)
                if own.crossing is not None:
                    crossings.append((target, own.crossing))
                else:
                    unread.add(record_stem(target.path))
                if own.kept is not None:
                    report.records.append((target.shown, own.kept if gather is None else gather(own.kept)))
        self._check_across(crossings, report.problems, then, unread)
        report.problems[:0] = self._registry_problems
        report.files += len(self._registry_files)
        report.registries = dict(self._registries)
        order = {target.shown: index for index, target in enumerate(targets)}
        report.problems.sort(key=lambda p: (order.get(p.file, -1), p.line, p.column))  # stable: found first
        if strict:
            report.problems = [
                Problem(p.file, p.line, p.column, p.pointer, p.rule, ERROR, p.message)
                for p in report.problems
            ]
        return report

    def forget_sources(self) -> None:
        """Let go of the source texts read so far (a checker that runs batch after batch
        would otherwise hold every article its records cite)."""
        self._sources.clear()
        self._sources_named.clear()

    def check_each(self, targets: Sequence[Target], keep: Keep | None = None) -> Iterator[Checked]:
        """Each target's own findings, in order: in worker processes when there are many
        files on disk and more than one core, else here."""
        workers = parallel.workers_for(len(targets)) if isinstance(self.tree, WorkTree) else 1
        if workers == 1:
            for target in targets:
                yield self.check_file(target, keep)
            return
        self.read_shared(targets)
        yield from parallel.ordered_map(lambda target: self.check_file(target, keep), targets, workers)

    def read_shared(self, targets: Sequence[Target]) -> None:
        """Read what every file of the targets' projects shares, here, before workers fork
        (and a broken schema or registry is reported from here, once)."""
        for project in {project_of(target.path) for target in targets}:
            schema_for(project)
            self.registry(project)

    def know_id(self, path: str, identifier: str) -> None:
        """Take `identifier` as the id of the record at `path` (checked in an earlier run
        of this checker), rather than reading it again should a later run ask."""
        self._ids_of_unread[path] = identifier

    # One file -----------------------------------------------------------

    def check_file(self, target: Target, keep: Keep | None = None) -> Checked:
        """One file's own findings: everything but the rules across files; and what `keep`
        makes of the record when it has no error of its own."""
        out: list[Problem] = []
        document = self._check_file(target, out)
        if document is None:
            return Checked(out, None, None)
        kept = None
        if keep is not None and not any(p.severity == ERROR for p in out):
            kept = keep(target.shown, document.data, self.registry(project_of(target.path)))
        return Checked(out, Crossing.of(document), kept)

    def _check_file(self, target: Target, out: list[Problem]) -> Document | None:
        def problem(position: records.Position, pointer: str, rule: str, message: str,
                    severity: str = ERROR) -> None:
            out.append(Problem(target.shown, position[0], position[1], pointer, rule, severity, message))

        project = project_of(target.path)
        if self.tree.links_out(target.path, project.root):
            problem((1, 1), "", "yaml", "a symbolic link to a file outside the repository: not read")
            return None
        try:
            raw = self.tree.read(target.path)
        except OSError as exc:
            problem((1, 1), "", "yaml", _read_error(exc))
            return None
        try:
            document = records.load(raw)
        except YamlError as exc:
            problem(exc.position, "", "yaml", exc.message)
            return None
        if self._foreseeing:
            self._foreseeing = self._foresee(project, document.data)
        for dup in document.duplicates:
            first = document.keys.get(dup.pointer, (1, 1))
            key = dup.pointer.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
            problem(dup.position, dup.pointer, "duplicate-key",
                    f"key '{key}' appears twice in this mapping (first at line {first[0]}); "
                    "the first value is the one checked")
        schema = schema_for(project)
        data = document.data
        normalize_dates(data)
        old = first_schema_feature(data) if schema.builtin else None
        if old is not None:
            pointer, what = old
            problem(document.position(pointer), pointer, "version",
                    f"a record of the first annot schema ({what}); run `annot upgrade "
                    f"{target.shown}` to bring it to schema v2")
            return document
        if not schema.is_valid(data):
            for found in schema.problems(data):
                if found.anchor == "key":
                    position = document.key_position(found.pointer)
                elif found.anchor == "first-key":
                    position = document.first_key_position(found.pointer)
                else:
                    position = document.position(found.pointer)
                problem(position, found.pointer, "schema", found.message)
        context = self._context_of(project)._replace(data=data, path=target.path)
        for rule, check in self._rules_of(schema, self.errors_only, project.warnings):
            for count, (pointer, message) in enumerate(check(context)):
                if count == MAX_PER_RULE:  # a list of 90,000 bad topics says it all in twenty lines
                    problem(document.position(pointer), pointer, rule.id,
                            f"more [{rule.id}] problems in this record: the first {MAX_PER_RULE} are shown",
                            rule.severity)
                    break
                problem(document.position(pointer), pointer, rule.id, message, rule.severity)
        return document

    def _context_of(self, project: Project) -> Context:
        """What the rules see that is the same for every record of `project`."""
        context = self._contexts.get(project.root)
        if context is None:
            schema = schema_for(project)
            topics = () if project.open_topics else (project.topics or schema.vocabulary)
            context = Context(
                {}, str(project.root), schema.builtin, topics, bool(project.topics), schema.required,
                lambda text_path: self._source_text(project, text_path), self.registry(project),
                shown_path(project.actors_file, Path.cwd()),
            )
            self._contexts[project.root] = context
        return context

    @staticmethod
    @cache
    def _rules_of(schema: RecordSchema, errors_only: bool, silenced: frozenset[str]
                  ) -> list[tuple[Rule, Callable[[Context], Iterable[Finding]]]]:
        """The per-record rules that apply with `schema` (with `errors_only`, those whose
        findings are errors; never the warnings annot.yaml silences), each with its check."""
        return [(rule, rule.check) for rule in RULES.values()
                if rule.check is not None and (schema.builtin or not rule.plover)
                and not (errors_only and rule.severity != ERROR) and rule.id not in silenced]

    def registry(self, project: Project) -> Registry | None:
        """The project's actor registry (None without one), read and checked once a run;
        its problems join the report."""
        if project.root in self._registries:
            return self._registries[project.root]
        path = project.actors_file
        shown = shown_path(path, Path.cwd())
        registry = None
        if os.path.lexists(path):
            self._registry_files.add(shown)
            if links_out(path, project.root):
                self._registry_problems.append(Problem(shown, 1, 1, "", "yaml", ERROR,
                                                       "a symbolic link out of the repository: not read"))
            else:
                from .actors import parse  # only a project with actors.yaml needs the module

                try:
                    registry = parse(self.tree.read(path))
                except OSError as exc:
                    self._registry_problems.append(Problem(shown, 1, 1, "", "yaml", ERROR, _read_error(exc)))
        if registry is not None:
            from .actors import position

            for finding in registry.findings:
                line, column = position(registry, finding)
                self._registry_problems.append(
                    Problem(shown, line, column, finding.pointer, finding.rule, ERROR, finding.message))
        self._registries[project.root] = registry
        return registry

    def _source_text(self, project: Project, text_path: str) -> str | Exception:
        named = (project.root, text_path)  # most records of a project cite a few articles
        if named not in self._sources_named:
            self._sources_named[named] = self._read_source(project, text_path)
        return self._sources_named[named]

    def _foresee(self, project: Project, data: dict[str, Any]) -> bool:
        """Tell the tree which source text and which records the rules will ask it for; whether
        it wants to hear of the next record's."""
        text_path = source_path(data)
        source = None if text_path is None else _source_file(project, text_path)
        related = data.get("related")
        stems = {v for v in related if isinstance(v, str)} if isinstance(related, list) else set()
        if isinstance(data.get("id"), str):
            stems.add(data["id"])
        return self.tree.foresee([source] if isinstance(source, Path) else [], project.events_dir, stems)

    def _read_source(self, project: Project, text_path: str) -> str | Exception:
        path = _source_file(project, text_path)
        if isinstance(path, OSError):
            return path
        if path not in self._sources:
            if isinstance(self.tree, WorkTree) and not inside(path, project.root):
                self._sources[path] = OSError(errno.EACCES, "outside the repository through a symbolic link")
                return self._sources[path]
            try:
                self._sources[path] = quotes.normalize(self.tree.read(path).decode("utf-8-sig"))
            except (OSError, UnicodeDecodeError) as exc:
                self._sources[path] = exc
        return self._sources[path]

    # Across files -------------------------------------------------------

    def _check_across(self, crossings: list[tuple[Target, Crossing]], out: list[Problem],
                      then: Callable[[], None] | None = None, unread: set[str] | None = None) -> None:
        """The rules across files: ids unique, related ids those of records. A related id that
        names a file which is there but does not load (`unread`, or unreadable outside this
        run) is not said to name nothing: that file's own error says what is wrong, and one
        broken record would otherwise fail every record citing it."""
        unread = unread or set()
        self._listing = {}  # what is listed depends on this run's records (a checker may run again)
        by_project: dict[Path, tuple[Project, list[tuple[Target, Crossing]]]] = {}
        for target, crossing in crossings:
            project = project_of(target.path)
            by_project.setdefault(project.root, (project, []))[1].append((target, crossing))
        groups = []
        for project, group in by_project.values():
            read_paths = {target.path for target, _ in group}
            ids: dict[str, list[Target]] = {}
            for target, crossing in group:
                if crossing.id is not None:
                    ids.setdefault(crossing.id, []).append(target)
            self._wanted[project.root] = set(ids) | {
                other for _, crossing in group if crossing.id is not None
                for other in crossing.related if other is not None and other not in ids}
            groups.append((project, group, read_paths, ids, self._read_unread(project, read_paths)))
        if then is not None:
            then()
        for project, group, read_paths, ids, reading in groups:
            reading()
            named = self._listing[project.root]  # files of the stems wanted, not read in this run
            for target, crossing in group:
                identifier = crossing.id
                if identifier is None:
                    continue

                others = [other.shown for other in ids[identifier] if other is not target]
                if identifier in named:
                    others += [
                        shown_path(Path(p), Path.cwd())
                        for p in self._unread_with_id(project, identifier, read_paths)
                        if not _same_file(p, target.path)  # the record itself, through a link to its folder
                    ]
                if others:
                    out.append(_at(target, crossing, None, "id",
                                   f"id '{identifier}' is also the id of {', '.join(others)}"))
                for index, other in enumerate(crossing.related):
                    if other is not None and other not in ids and other not in unread \
                            and (other not in named or not self._unread_with_id(project, other, read_paths)
                                 and not self._unloadable(project, other, read_paths)):
                        out.append(_at(target, crossing, index, "related",
                                       f"related id '{other}' is not the id of any record "
                                       f"in {shown_path(project.events_dir, Path.cwd())}"))

    def _unread_with_id(self, project: Project, identifier: str, read: set[str]) -> list[str]:
        """Records of the project not checked in this run whose id is `identifier`.

        A valid record's id is its file's stem, so only files of that stem are
        opened to confirm it; the stems wanted are listed at once (`_wanted`).
        """
        listing = self._listing.get(project.root)
        if listing is None:
            listing = self.tree.records_named(project.events_dir, project.root, self._wanted[project.root],
                                              read)
            self._listing[project.root] = listing
        return [
            path for path in listing.get(identifier, [])
            if path not in read and self._id_of_unread(path) == identifier
        ]

    def _unloadable(self, project: Project, stem: str, read: set[str]) -> bool:
        """Whether a record file of this stem, not checked in this run, holds no id: it does not
        load (or has none), which its own check says."""
        return any(path not in read and self._id_of_unread(path) is None
                   for path in self._listing[project.root].get(stem, []))

    def _id_of_unread(self, path: str) -> str | None:
        if path not in self._ids_of_unread:
            self._ids_of_unread[path] = self.id_in(path)
        return self._ids_of_unread[path]

    def id_in(self, path: str) -> str | None:
        """The id a record file holds (None when it holds none, or cannot be read)."""
        try:
            value = records.load(self.tree.read(Path(path))).data.get("id")
        except (OSError, YamlError):
            value = None
        return value if isinstance(value, str) else None

    def _read_unread(self, project: Project, read: set[str]) -> Callable[[], None]:
        """Hand the unread records the rules across files will ask about to `read_ids` (which
        takes any number), or to a pool of their own when they are many (a run over part of a
        repository); what is returned takes their ids as they come."""
        self._unread_with_id(project, "", read)  # lists them
        paths = [path for found in self._listing[project.root].values() for path in found
                 if path not in read and path not in self._ids_of_unread]
        if self.read_ids is not None and paths:
            ids = self.read_ids(paths)
        elif isinstance(self.tree, WorkTree) and parallel.workers_for(len(paths)) > 1:
            ids = parallel.ordered_map(self.id_in, paths, parallel.workers_for(len(paths)))
        else:
            return lambda: None  # each is read here when asked

        def take() -> None:
            for path, value in zip(paths, ids, strict=True):
                self._ids_of_unread[path] = value

        return take


def _same_file(path: str, other: str) -> bool:
    try:
        return os.path.samefile(path, other)
    except OSError:  # not on disk (git's index): no link of a folder to follow there
        return False


def _at(target: Target, crossing: Crossing, related: int | None, rule: str, message: str) -> Problem:
    """A problem of the record's id, or of the entry `related` of its related ids."""
    line, column = crossing.position(related)
    pointer = "/id" if related is None else f"/related/{related}"
    return Problem(target.shown, line, column, pointer, rule, ERROR, message)


def _whole(file: str, data: dict[str, Any], registry: Registry | None) -> dict[str, Any]:
    return data


def schema_for(project: Project) -> RecordSchema:
    """The schema the project's records are checked against."""
    from . import schema

    if project.schema is None:
        return schema.builtin()
    path = project.root / project.schema
    shown = shown_path(path, Path.cwd())
    if not inside(path, project.root):
        from .errors import ConfigError

        raise ConfigError(shown, "the schema is a symbolic link out of the repository: not read")
    return schema.from_file(path, shown, project.root)


def _source_file(project: Project, text_path: str) -> Path | OSError:
    """The file a record's `source.text` names, or why it names none in the repository."""
    normal = os.path.normpath(text_path)
    if "\0" in text_path:
        return OSError(errno.EINVAL, "a path cannot hold a NUL character")
    if os.path.isabs(text_path) or normal == ".." or normal.startswith(".." + os.sep):
        return OSError(errno.EACCES, "outside the repository")
    return project.root / normal


def _read_error(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "cannot read: symbolic link loop"
    if exc.errno == errno.EISDIR or isinstance(exc, IsADirectoryError):
        return "is a directory, not a record file"
    if exc.errno == errno.ENOENT:
        return "cannot read: the file (or the file a link points to) does not exist"
    return f"cannot read: {exc.strerror or exc}"
