"""Drafts: the answers of an `annot add` or `annot edit` session that failed or was
interrupted, kept to resume.

A draft is a small JSON file under `.annot/drafts/` at the repository root
(a dot folder: validate never takes it for a record, and `annot init`
git-ignores it). It holds how the session started (--from, --set, --id,
--output) and each answer by the pointer it fills, so that resuming asks
exactly what is still missing. An edit's draft also names the record and the
digest of the text its answers were given to: they are replayed only on that text.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .errors import TroubleError
from .files import read_regular

FOLDER = Path(".annot") / "drafts"


def folder(root: Path) -> Path:
    """Where the drafts of the repository at `root` are kept."""
    return root / FOLDER


def save(root: Path, state: dict[str, Any], path: Path | None = None) -> Path:
    """Write `state` as a draft (a new one unless `path`); where it went. TroubleError when it
    cannot be written, or only through a symbolic link out of the repository."""
    from .files import inside
    from .newrecord import now_utc

    here = folder(root)
    for above in (here.parent, here):  # never write through a link out of the repository
        if (above.is_symlink() or above.exists()) and not inside(above, root):
            raise TroubleError(f"{FOLDER.parent}/ is a symbolic link out of the repository; not written")
    if path is None:
        stamp = now_utc().replace(":", "").replace("-", "")
        path = folder(root) / f"add-{stamp}.json"
        n = 2
        while path.exists():
            path = folder(root) / f"add-{stamp}-{n}.json"
            n += 1
    text = json.dumps({"annot-draft": 1, **state}, ensure_ascii=False, indent=1) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a byte that is not UTF-8 (a lone surrogate): kept as an escape
        text = json.dumps({"annot-draft": 1, **state}, ensure_ascii=True, indent=1) + "\n"
    try:
        write_atomic(path, text, force=True)
    except OSError as exc:
        raise TroubleError(f"{path}: cannot write: {exc.strerror}") from None
    return path


def load(root: Path, name: str | None) -> tuple[Path, dict[str, Any]]:
    """The draft called `name` (a file name or path), or the newest one; its path and state."""
    from .files import inside

    here = folder(root)
    if name:
        path = here / Path(name).name  # a name, or a path to it: drafts are read from their folder only
        if not path.exists() and not name.endswith(".json"):
            path = here / f"{Path(name).name}.json"
    else:
        found = sorted(here.glob("add-*.json")) if here.is_dir() else []
        if not found:
            raise TroubleError(f"no draft to resume in {FOLDER}/")
        path = found[-1]
    if not (inside(path, here) and inside(here, root)):
        raise TroubleError(f"{name or path.name}: a symbolic link out of {FOLDER}/; not read")
    try:
        state = json.loads(read_regular(path).decode("utf-8"))
    except FileNotFoundError:
        raise TroubleError(f"no draft {name} in {FOLDER}/") from None
    except OSError as exc:
        raise TroubleError(f"{path}: cannot read: {exc.strerror}") from None
    except (ValueError, RecursionError) as exc:  # RecursionError: nested deeper than JSON is read
        raise TroubleError(f"{path}: not a draft annot wrote ({exc})") from None
    answers = state.get("answers") if isinstance(state, dict) else None
    if not (isinstance(state, dict) and type(state.get("annot-draft")) is int and state["annot-draft"] == 1
            and isinstance(answers, list)
            and all(isinstance(state.get(k), list | None) for k in ("settings", "problems"))
            and all(isinstance(a, list) and len(a) == 2 and all(isinstance(x, str) for x in a)
                    for a in answers)
            and all(isinstance(state.get(k), str | None)
                    for k in ("template", "identifier", "output", "edit", "original"))
            and all(isinstance(x, str) for k in ("settings", "problems") for x in state.get(k) or ())):
        raise TroubleError(f"{path}: not a draft annot wrote")
    if state.get("template") and not inside(state["template"], root):
        raise TroubleError(f"{path}: its template {state['template']} is outside the repository; not read")
    return path, state


def discard(path: Path | None) -> None:
    """Remove a draft that has been written as a record."""
    if path is not None:
        path.unlink(missing_ok=True)


def edit_draft(root: Path, record: Path) -> Path:
    """Where the draft of an edit of `record` is kept: one a record, named after it."""
    import hashlib

    where = os.path.relpath(record, root)
    name = re.sub(r"[^\w.-]", "_", record.stem, flags=re.ASCII)[:80]  # shown in messages: nothing to escape
    tag = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return folder(root) / f"edit-{name}-{tag}.json"


def digest(text: str) -> str:
    """What an edit's draft keeps of the text its answers were given to."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
