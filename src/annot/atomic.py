"""Writing a file whole or not at all, and never over another writer's file."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import TroubleError


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
    try:
        try:
            with open(temporary, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:  # a full disk or a size limit: name the file it was for
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        if force:
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)
            except FileExistsError:
                raise TroubleError(f"{path} was created meanwhile by another writer; "
                                   "not overwritten (use --force to replace it)") from None
    finally:
        if temporary.exists():
            temporary.unlink()
