"""Drafts: the answers of an `annot add` session that failed or was interrupted, kept to resume.

A draft is a small JSON file under `.annot/drafts/` at the repository root
(a dot folder: validate never takes it for a record, and `annot init`
git-ignores it). It holds how the session started (--from, --set, --id,
--output) and each answer by the pointer it fills, so that resuming asks
exactly what is still missing.
"""

from __future__ import annotations

import json
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
    """Write `state` as a draft (a new one unless `path`); where it went."""
    from .newrecord import now_utc

    if path is None:
        stamp = now_utc().replace(":", "").replace("-", "")
        path = folder(root) / f"add-{stamp}.json"
        n = 2
        while path.exists():
            path = folder(root) / f"add-{stamp}-{n}.json"
            n += 1
    write_atomic(path, json.dumps({"annot-draft": 1, **state}, ensure_ascii=False, indent=1) + "\n",
                 force=True)
    return path


def load(root: Path, name: str | None) -> tuple[Path, dict[str, Any]]:
    """The draft called `name` (a file name or path), or the newest one; its path and state."""
    here = folder(root)
    if name:
        path = Path(name) if Path(name).exists() else here / name
        if not path.exists() and not name.endswith(".json"):
            path = here / f"{name}.json"
    else:
        found = sorted(here.glob("add-*.json")) if here.is_dir() else []
        if not found:
            raise TroubleError(f"no draft to resume in {FOLDER}/")
        path = found[-1]
    try:
        state = json.loads(read_regular(path).decode("utf-8"))
    except FileNotFoundError:
        raise TroubleError(f"no draft {name} in {FOLDER}/") from None
    except OSError as exc:
        raise TroubleError(f"{path}: cannot read: {exc.strerror}") from None
    except ValueError as exc:
        raise TroubleError(f"{path}: not a draft annot wrote ({exc})") from None
    if not (isinstance(state, dict) and state.get("annot-draft") == 1
            and isinstance(state.get("answers"), list)):
        raise TroubleError(f"{path}: not a draft annot wrote")
    return path, state


def discard(path: Path | None) -> None:
    """Remove a draft that has been written as a record."""
    if path is not None:
        path.unlink(missing_ok=True)
