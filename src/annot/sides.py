"""What `annot diff` compares: two files, two folders, or git revisions."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .diff import Diff, diff_collections, diff_records, key_records, load_record
from .errors import TroubleError
from .files import inside, read_regular, shown_path, walk

T = TypeVar("T")

# path old-file old-hex old-mode new-file new-hex new-mode, and for a rename: new-path similarity
GIT_DRIVER_ARGS = (7, 9)


def compare(sides: Sequence[str], paths: Sequence[str], cwd: Path, *, staged: bool = False) -> Diff:
    """The diff the command line asks for.

    Two existing paths are compared as files or folders; otherwise the
    arguments are git revisions, as git diff takes them: none, HEAD against the
    working tree; one, that commit against the working tree, or with `staged`
    against git's index.
    """
    if staged:
        if len(sides) > 1:
            raise TroubleError("--staged compares git's index with one revision (default HEAD)")
        from .gitio import records_staged

        in_index, conflicted = records_staged(cwd, paths)
        unmerged = "in conflict in git's index (unmerged): resolve it, then compare"
        return _both(_at(sides, cwd, paths), in_index, [(shown, unmerged) for shown in conflicted])
    if len(sides) == 2 and not paths and all(os.path.lexists(cwd / s) for s in sides):
        return _compare_paths(cwd / sides[0], cwd / sides[1], sides, cwd)
    if len(sides) == 1 and not paths and os.path.lexists(cwd / sides[0]) and not _is_revision(sides[0], cwd):
        sides, paths = [], [sides[0]]  # a path alone, as git diff takes it: HEAD against the working tree
    if len(sides) > 2:
        raise TroubleError(
            "give two records, two folders, or one or two git revisions (see annot diff --help)"
        )
    if len(sides) == 2 and os.path.lexists(cwd / sides[0]) and not paths:
        missing = sides[1]
        raise TroubleError(f"{missing}: no such file or folder")
    new = _revision(sides[1], cwd, paths) if len(sides) == 2 else _working_tree(cwd, paths)
    return _both(_at(sides, cwd, paths), new)


def _revision(side: str, cwd: Path, paths: Sequence[str]) -> list[tuple[str, bytes]]:
    """The records of the revision `side`; a name that looks like a record file and is none
    is said to be no file either (not only no revision)."""
    from .files import RECORD_SUFFIXES
    from .gitio import records_at

    try:
        return records_at(side, cwd, paths)
    except TroubleError:
        if side.endswith(RECORD_SUFFIXES) and not os.path.lexists(cwd / side):
            raise TroubleError(f"{side}: no such file or folder, nor a revision git knows") from None
        raise


def _is_revision(name: str, cwd: Path) -> bool:
    from .gitio import resolve_revision

    try:
        resolve_revision(name, cwd)
    except TroubleError:
        return False
    return True


def _at(sides: Sequence[str], cwd: Path, paths: Sequence[str]) -> list[tuple[str, bytes]]:
    """The records of the first revision given; with none, HEAD's, which a repository
    without a commit yet has none of (git compares with the empty tree then)."""
    from .gitio import has_commit

    if not sides and not has_commit(cwd):
        return []
    return _revision(sides[0] if sides else "HEAD", cwd, paths)


def _compare_paths(old: Path, new: Path, shown: Sequence[str], cwd: Path) -> Diff:
    if old.is_dir() != new.is_dir():
        raise TroubleError(f"cannot compare a folder with a file: {shown[0]} and {shown[1]}")
    if not old.is_dir():
        return diff_records(_read(old, shown[0]), _read(new, shown[1]))
    old_files, new_files = _contents(old), _contents(new)
    # A file byte for byte the same at the same place on both sides means the same: it is
    # neither parsed nor compared (most of two large corpora usually is).
    same = {rel for rel, raw in old_files.items() if new_files.get(rel) == raw}
    old_shown, new_shown = shown_path(old, cwd), shown_path(new, cwd)
    return _both([(os.path.join(old_shown, rel), raw) for rel, raw in old_files.items() if rel not in same],
                 [(os.path.join(new_shown, rel), raw) for rel, raw in new_files.items() if rel not in same])


def _both(old: Sequence[tuple[str, bytes]], new: Sequence[tuple[str, bytes]],
          failed: Sequence[tuple[str, str]] = ()) -> Diff:
    """The diff of two sides' records, keyed by id. A file that is not a record on one side
    (or `failed`: shown path, why) is one line in the diff's `unreadable`, and its record is
    left out of both sides, wherever it moved: its other version is no removal or addition.
    A record is known by its file's name (the `id` rule makes them one)."""
    unreadable = [f"{shown}: {why}" for shown, why in failed]
    left_out = {_stem(shown) for shown, _ in failed}
    sides = []
    for contents in (old, new):
        parsed = []
        for shown, value, message in _parse_each(list(contents), _whole):
            if message:
                unreadable.append(message)
                left_out.add(_stem(shown))
            else:
                parsed.append((shown, value))
        sides.append(parsed)
    old_records, new_records = ([(shown, data) for shown, data in side
                                 if _stem(shown) not in left_out and str(data.get("id")) not in left_out]
                                for side in sides)
    diff = diff_collections(key_records(old_records), key_records(new_records))
    diff.unreadable = unreadable
    return diff


def _stem(shown: str) -> str:
    return os.path.basename(shown).rsplit(".", 1)[0]


def _contents(folder: Path) -> dict[str, bytes]:
    """Each record file below `folder`: its path relative to the folder -> its bytes."""
    found, _ = walk(folder)
    top = len(os.fspath(folder).rstrip(os.sep)) + 1
    return {p[top:]: _bytes(p) for p in found}


def _read(path: Path, shown: str) -> dict[str, Any]:
    try:
        raw = read_regular(path)
    except OSError as exc:
        raise TroubleError(f"{shown}: cannot read: {exc.strerror}") from None
    return load_record(raw, shown)


def _whole(data: dict[str, Any]) -> dict[str, Any]:
    return data


def _parse_each(contents: Sequence[tuple[str, bytes]], digest: Callable[[dict[str, Any]], T]
                ) -> list[tuple[str, T, str]]:
    """(shown path, `digest` of its data, "") of each file, in order, or (shown path, None,
    why it is not a record). Many files are parsed, and digested, in worker processes: what
    crosses back is the digest."""
    from . import parallel
    from .errors import LocatedError

    def load_one(item: tuple[str, bytes]) -> tuple[str, Any, str]:
        shown, raw = item
        try:
            data = load_record(raw, shown)
        except LocatedError as exc:
            return shown, None, exc.message
        return shown, digest(data), ""

    workers = parallel.workers_for(len(contents))
    if workers > 1:
        return list(parallel.ordered_map(load_one, contents, workers))
    return [load_one(item) for item in contents]


def _working_tree(cwd: Path, paths: Sequence[str]) -> list[tuple[str, bytes]]:
    from .gitio import toplevel
    from .project import is_record, project_for

    if paths:
        roots = [os.path.normpath(os.path.join(cwd, p)) for p in paths]
    else:
        # Every records folder of the work tree, as a revision would list them.
        roots = [str(project_for(cwd).events_dir)]
        top = toplevel(cwd)
        if not roots[0].startswith(str(top)):
            roots = [str(top)]
    found: list[str] = []
    for root in roots:
        if os.path.isdir(root):
            found += walk(root)[0]
        elif os.path.exists(root):
            found.append(root)
    return [(shown_path(Path(p), cwd), _bytes(p)) for p in found if is_record(p)]


def for_git(args: Sequence[str]) -> tuple[str, Diff | str]:
    """A header and the changes for git's external diff interface.

    Git passes the path and the old and new files (/dev/null when absent).
    A file that is not a record (any other YAML) gets a plain unified diff,
    so `*.yaml diff=annot` never hides a change.
    """
    if len(args) not in GIT_DRIVER_ARGS:
        raise TroubleError(
            f"--git-driver takes the 7 arguments git passes (9 for a rename), got {len(args)}"
        )
    path, old_file, _, _, new_file = args[:5]
    new_path = args[7] if len(args) == 9 else path
    old_raw, new_raw = _bytes(old_file), _bytes(new_file)
    header = f"annot diff a/{path} b/{new_path}"
    try:
        old = load_record(old_raw, f"a/{path}") if old_raw else {}
        new = load_record(new_raw, f"b/{new_path}") if new_raw else {}
    except TroubleError:
        text = difflib.unified_diff(
            old_raw.decode("utf-8", "replace").splitlines(keepends=True),
            new_raw.decode("utf-8", "replace").splitlines(keepends=True),
            f"a/{path}", f"b/{new_path}",
        )
        return header + " (not a record: text diff)", "".join(text).rstrip("\n")
    return header, diff_records(old, new)


def _bytes(path: str) -> bytes:
    if path == os.devnull:
        return b""
    try:
        return read_regular(path)
    except OSError as exc:
        raise TroubleError(f"{path}: cannot read: {exc.strerror}") from None


def read_versions(sides: Sequence[str], cwd: Path, digest: Callable[[dict[str, Any]], T]
                  ) -> list[tuple[dict[str, T], list[str]]]:
    """Each version of the records, each record as `digest` makes it, keyed by id: a folder's
    (any depth), else a git revision's (read from git without checking it out); and a located
    line for each file left out. `digest` runs where a record is parsed, in a worker process
    when there are many. A file byte for byte the same as one before it, in its version or
    another, is parsed and digested once (annotators' versions often share most files)."""

    def keyed(data: dict[str, Any]) -> tuple[str | None, T]:
        identifier = data.get("id")
        return identifier if isinstance(identifier, str) and identifier else None, digest(data)

    distinct: dict[bytes, int] = {}  # content -> its index in `contents`
    contents: list[tuple[str, bytes]] = []
    versions = []
    for side in sides:
        unreadable: list[str] = []
        files = []
        for shown, raw in _files_of(side, cwd, unreadable):
            index = distinct.setdefault(raw, len(contents))
            if index == len(contents):
                contents.append((shown, raw))
            files.append((shown, index))
        versions.append((files, unreadable))
    parsed = _parse_each(contents, keyed)
    read = []
    for files, unreadable in versions:
        loaded = []
        for shown, index in files:
            first, value, message = parsed[index]
            if message and first != shown:  # the same trouble, told where this file is
                _, _, message = _parse_each([(shown, contents[index][1])], keyed)[0]
            if message:
                unreadable.append(message)
            else:
                loaded.append((shown, value))
        read.append((_keyed_once(loaded, unreadable), unreadable))
    return read


def _files_of(side: str, cwd: Path, unreadable: list[str]) -> list[tuple[str, bytes]]:
    """(shown path, bytes) of each record file of one version, a folder or a git revision."""
    if os.path.lexists(cwd / side):
        if not (cwd / side).is_dir():
            raise TroubleError(f"{side}: give a folder of records or a git revision, not a file")
        return _version_files(cwd / side, cwd, unreadable)
    from .gitio import NotInGit, records_at

    try:
        return records_at(side, cwd, [])
    except NotInGit:
        raise TroubleError(f"{side}: no such folder (and no git repository here for a revision)") from None
    except TroubleError as exc:
        if "unknown revision" not in exc.message:
            raise
        raise TroubleError(f"{side}: no such folder, and not a git revision either") from None


def _version_files(folder: Path, cwd: Path, unreadable: list[str]) -> list[tuple[str, bytes]]:
    """(shown path, bytes) of each record file below `folder`, in path order. As `annot
    validate` does, no symbolic link out of the repository is followed; nor is one that leads
    back to the folder or above it (it would credit this annotator with another's records).
    What is left out, or cannot be read, is a located line in `unreadable`."""
    from .errors import LocatedError
    from .project import project_for

    base = os.fspath(folder)
    found, trouble = walk(base, within=project_for(folder).root)
    shown_base = shown_path(folder, cwd)
    top = len(base.rstrip(os.sep)) + 1

    def shown(path: str) -> str:
        return os.path.join(shown_base, path[top:]) if len(path) >= top else shown_base

    loops = _links_back(base, found)
    trouble += [(link, "symbolic link loop: it leads back to a folder above it") for link in loops]
    unreadable += [LocatedError(shown(where), why).message for where, why in sorted(trouble)]
    files = []
    for path in found:
        if any(path.startswith(link + os.sep) for link in loops):
            continue
        try:
            files.append((shown(path), read_regular(path)))
        except OSError as exc:
            unreadable.append(LocatedError(shown(path), f"cannot read: {exc.strerror}").message)
    return files


def _links_back(folder: str, found: list[str]) -> list[str]:
    """The symbolic links to folders, below `folder` on the way to a file found, that lead
    to `folder` itself or to a folder above it."""
    top = len(folder.rstrip(os.sep)) + 1
    checked: dict[str, bool] = {}
    for directory in {os.path.dirname(p) for p in found}:
        parts = directory[top:].split(os.sep) if len(directory) >= top else []
        for depth in range(1, len(parts) + 1):
            below = os.path.join(folder, *parts[:depth])
            if below not in checked:
                checked[below] = os.path.islink(below) and inside(folder, below)
            if checked[below]:
                break
    return sorted(link for link, back in checked.items() if back)


def _keyed_once(loaded: list[tuple[str, tuple[str | None, T]]], unreadable: list[str]
                ) -> dict[str, T]:
    """Records keyed by id (by file stem without one); of several files with one id, the
    first in path order counts and each other is a located line in `unreadable`."""
    keyed: dict[str, T] = {}
    first: dict[str, str] = {}
    for shown, (own, value) in loaded:
        identifier = own or os.path.basename(shown).rsplit(".", 1)[0]
        if identifier in keyed:
            unreadable.append(f"{shown}:1:1: warning: id '{identifier}' is also the id of "
                              f"{first[identifier]}: only that one counted")
            continue
        keyed[identifier], first[identifier] = value, shown
    return keyed
