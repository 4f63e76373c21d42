"""Writing a file whole or not at all, and never over another writer's file."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import TroubleError
from .signals import held


def write_atomic(path: Path, text: str, force: bool = False) -> None:
    """Write `text` to `path` through a temporary file, then a link or a rename.

    Without `force` the file is created exclusively (a hard link fails when
    the name exists), so of several writers of one new path exactly one
    wins and the others are refused. A failure at any point leaves the old
    file (or no file) and no temporary behind.
    """
    if path.exists() and not force:
        raise TroubleError(f"{path} exists; not overwritten (use --force to replace it)")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with held():  # a kill waits: no temporary file is left behind
        try:
            try:
                with open(temporary, "x", encoding="utf-8", newline="\n") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())
            except OSError as exc:  # a full disk or a size limit: name the file it was for
                raise OSError(exc.errno, exc.strerror, str(path)) from None
            publish(temporary, path, force)
        finally:
            if temporary.exists():
                temporary.unlink()


def publish(temporary: Path, path: Path, force: bool) -> None:
    """Give the finished `temporary` its name: replacing `path` with `force`, else only if no
    file has it (a hard link fails when the name exists: of two writers exactly one wins)."""
    if force:
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise TroubleError(f"{path} was created meanwhile by another writer; "
                           "not overwritten (use --force to replace it)") from None
