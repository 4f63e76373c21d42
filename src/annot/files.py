"""Finding record files and reading files safely, on disk or elsewhere."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Protocol

RECORD_SUFFIXES = (".yaml", ".yml")
MAX_READ = 64 * 1024 * 1024  # no record or article is this large; memory stays bounded
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


class Tree(Protocol):
    """Where files are read from: the working tree, or the git index."""

    def read(self, path: str | Path) -> bytes:
        """The bytes of the file at `path` (absolute); OSError if unreadable."""
        ...

    def records_under(self, folder: Path, within: Path | None = None) -> list[str]:
        """Every record file below `folder` (absolute paths, in no particular order); with
        `within`, none reached through a symbolic link out of that folder."""
        ...

    def records_named(self, folder: Path, within: Path | None, stems: set[str],
                      skip: set[str] | None = None) -> dict[str, list[str]]:
        """The record files below `folder` whose name without its suffix is one of `stems`,
        by stem, but for the paths in `skip`."""
        ...

    def foresee(self, paths: Sequence[Path], folder: Path, stems: set[str]) -> bool:
        """Hear that the files `paths`, and the records below `folder` named by `stems`, are
        about to be asked for (a tree that is slow to ask may start looking); whether to be
        told of the next record's too."""
        ...

    def links_out(self, path: str | Path, root: Path) -> bool:
        """Whether reading the record `path` would follow a symbolic link out of `root`
        (it is not read)."""
        ...


def record_stem(path: str) -> str:
    """A file's name without its suffix, as Path.stem has it (a record's is its id), without
    making a Path: it is asked of every record."""
    name = path[path.rfind(os.sep) + 1 :]
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def inside(path: str | Path, root: str | Path) -> bool:
    """Whether `path`, every symbolic link followed, is `root` or below it."""
    real, top = os.path.realpath(path), os.path.realpath(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def links_out(path: str | Path, root: Path) -> bool:
    """Whether `path` on disk is a symbolic link to a file outside `root`."""
    return os.path.islink(path) and not inside(path, root)


def read_regular(path: str | Path) -> bytes:
    """A regular file's bytes; OSError for folders, FIFOs, sockets and devices.

    Opening a FIFO would wait forever for a writer, so it is never opened.
    """
    info = os.stat(path)
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory")
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "not a regular file (a FIFO, socket or device)")
    if info.st_size > MAX_READ:
        raise OSError(errno.EFBIG, f"file is {info.st_size / 1048576:.0f} MB, more than annot reads "
                                   f"({MAX_READ // 1048576} MB)")
    # A bare descriptor, not a file object (a quarter of the cost, on every record); the size
    # stat gave and one more byte to see growth: read(64 MB) would map a 64 MB buffer each time.
    descriptor = os.open(path, _READ_FLAGS)
    try:
        return os.read(descriptor, min(info.st_size, MAX_READ) + 1)
    finally:
        os.close(descriptor)


class WorkTree:
    """Files as they are on disk."""

    def records_named(self, folder: Path, within: Path | None, stems: set[str],
                      skip: set[str] | None = None) -> dict[str, list[str]]:
        """The record files below `folder` whose stem is one of `stems`, by stem, but for
        the paths in `skip` (the records a run has read)."""
        named: dict[str, list[str]] = {}
        for path in self._records(folder, within, stems, skip or set()):
            named.setdefault(record_stem(path), []).append(path)
        return named

    def read(self, path: str | Path) -> bytes:
        """The file's bytes."""
        return read_regular(path)

    def foresee(self, paths: Sequence[Path], folder: Path, stems: set[str]) -> bool:
        """Nothing to do: the disk answers at once."""
        return False

    def links_out(self, path: str | Path, root: Path) -> bool:
        """Whether the file is a symbolic link out of `root`."""
        return links_out(path, root)

    def records_under(self, folder: Path, within: Path | None = None) -> list[str]:
        """Record files below `folder`, in no order, for the rules across files; with
        `within`, no symbolic link out of that folder is followed."""
        return self._records(folder, within, None, set())

    def _records(self, folder: Path, within: Path | None, stems: set[str] | None,
                 skip: set[str]) -> list[str]:
        # Runs on every commit over the whole repository, so it lists names rather than
        # making a DirEntry of each, looks closer only at the names of the `stems` wanted,
        # and reports nothing (`walk` does, for the files actually checked).
        found: list[str] = []
        seen: set[tuple[int, int]] = set()
        pending = [str(folder)]

        def allowed(path: str, linked: bool | None = None) -> bool:
            return within is None or not (os.path.islink(path) if linked is None else linked) \
                or inside(path, within)

        while pending:
            current = pending.pop()
            try:
                info = os.stat(current)
                names = os.listdir(current)
            except OSError:
                continue
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            prefix = current + os.sep
            records = [n for n in names if n.endswith(RECORD_SUFFIXES)]
            chosen = records if stems is None else _named(records, stems)
            # Many names: the folder's links, listed once, cost less than an lstat of each.
            links = _links(current) if within is not None and len(chosen) > _FEW else None
            found += [prefix + n for n in chosen if n[0] != "." and prefix + n not in skip
                      and allowed(prefix + n, None if links is None else n in links)]
            if len(records) < len(names):
                pending += [prefix + n for n in names if n[0] != "." and
                            not n.endswith(RECORD_SUFFIXES) and os.path.isdir(prefix + n)
                            and _followed(prefix + n, current, within)]
        return found


def _named(names: list[str], stems: set[str]) -> Collection[str]:
    """The record file names of `names` whose stem is one of `stems`."""
    if len(stems) < len(names) // 16:  # a few: their names, made at once, are quickest found
        return {stem + suffix for stem in stems for suffix in RECORD_SUFFIXES}.intersection(names)
    # Many (a run over the whole repository): so many names made at once held 0.3 KB a record.
    return [name for name in names if name[:name.rfind(".")] in stems]


def _followed(folder: str, parent: str, within: Path | None) -> bool:
    """Whether to walk a subfolder: a symbolic link only when it stays inside `within` and does
    not lead back to its parent or a folder above it (a loop)."""
    return not os.path.islink(folder) or (
        (within is None or inside(folder, within)) and not inside(parent, folder))


_FEW = 64  # names a folder may hold before its links are listed at once


def _links(folder: str) -> set[str] | None:
    """The names of the symbolic links in `folder` (None when it cannot be listed: each name
    is then asked about on its own)."""
    try:
        with os.scandir(folder) as scan:
            return {entry.name for entry in scan if entry.is_symlink()}
    except OSError:
        return None


LOOP = "symbolic link loop: it leads back to a folder above it"
LINKED_OUT = "a symbolic link out of the repository: not followed"


def walk(folder: str | Path, within: str | Path | None = None
         ) -> tuple[list[str], list[tuple[str, str]]]:
    """Record files below `folder`, in a stable order, and what could not be walked.

    Symbolic links are followed only where they stay inside `within` (the
    repository), each folder once; a folder named like a record is reported
    rather than searched. Strings, not Paths: this runs over every record of
    a repository on each commit.
    """
    found: list[str] = []
    trouble: list[tuple[str, str]] = []
    seen: set[tuple[int, int]] = set()
    pending = [os.fspath(folder)]
    while pending:
        current = pending.pop()
        try:
            info = os.stat(current)
            if (info.st_dev, info.st_ino) in seen:
                # Reached again through a link: a loop if it leads back up, else already searched.
                parent = os.path.realpath(os.path.dirname(current))
                if inside(parent, current):
                    trouble.append((current, LOOP))
                continue
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            trouble.append((current, f"cannot read this folder: {exc.strerror}"))
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            is_record_name = entry.name.endswith(RECORD_SUFFIXES)
            try:
                is_dir = entry.is_dir()
                if entry.is_symlink():
                    if within is not None and not inside(entry.path, within):
                        if is_dir or is_record_name:
                            trouble.append((entry.path, LINKED_OUT))
                        continue
                    if is_dir and inside(current, entry.path):  # to this folder or one above it
                        trouble.append((entry.path, LOOP))
                        continue
            except OSError:
                is_dir = False
            if is_dir and is_record_name:
                trouble.append((entry.path, "is a directory named like a record, not a record file"))
            elif is_dir:
                subfolders.append(entry.path)
            elif is_record_name:
                found.append(entry.path)
        pending.extend(reversed(subfolders))
    found.sort(key=lambda p: p.split(os.sep))
    return found, trouble


def shown_path(path: Path, cwd: Path) -> str:
    """`path` as annot prints it: relative to the current directory when it can be."""
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith(".." + os.sep + "..") else rel
