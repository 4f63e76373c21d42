"""`annot edit ID`: a record changed in place, its comments, key order and quoting kept.

The record is read with ruamel.yaml's round trip (`emit`); the questions put a
value only where the answer differs, so every line that was not changed is
written back byte for byte. What would change is shown as a unified diff of
the file: the reader confirms the very text that will be written.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any, NoReturn

from . import emit, newrecord
from .adding import Draft
from .errors import TroubleError
from .files import WorkTree, inside, read_regular, shown_path
from .project import project_for
from .suggest import did_you_mean


def find(identifier: str, cwd: Path) -> Path:
    """The record file of `identifier` (an id, or a path to a record file)."""
    given = cwd / identifier
    if identifier.endswith((".yaml", ".yml")) and given.is_file():
        return given
    project = project_for(cwd)
    found: dict[str, list[str]] = {}
    for path in WorkTree().records_under(project.events_dir, project.root):
        found.setdefault(os.path.basename(path).rsplit(".", 1)[0], []).append(path)
    if identifier not in found:
        events = shown_path(project.events_dir, cwd)
        from .render import printable

        raise TroubleError(printable(f"no record '{identifier}' under {events}/"
                                     f"{did_you_mean(identifier, list(found))}", one_line=True))
    if len(found[identifier]) > 1:
        raise TroubleError(f"several records are called '{identifier}': "
                           + ", ".join(sorted(shown_path(Path(p), cwd) for p in found[identifier])))
    return Path(found[identifier][0])


def start(path: Path, cwd: Path) -> tuple[Draft, str]:
    """The record at `path` ready to be edited, and its text as it is now."""
    project = project_for(path.parent)
    if not inside(path, project.root):
        raise TroubleError(f"{shown_path(path, cwd)} is outside the repository; "
                           "annot edits records inside it")
    try:
        original = read_regular(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TroubleError(f"{shown_path(path, cwd)}: cannot read: {getattr(exc, 'strerror', exc)}") from None
    record = emit.load_template(path, shown_path(path, cwd))
    if not isinstance(record, dict):
        raise TroubleError(f"{shown_path(path, cwd)}: a record is a YAML mapping")
    draft = Draft(project, record)
    draft.path = path
    return draft, original


def resumed(root: Path, record: Path, saved_at: Path, original: str, shown: str) -> dict[str, Any]:
    """The state of the draft of an edit of `record` kept at `saved_at`, when its answers were
    given to the text the record holds now (`original`)."""
    from . import drafts

    if not saved_at.exists():
        raise TroubleError(f"no draft of an edit of {shown} to resume in {drafts.FOLDER}/")
    _, state = drafts.load(root, saved_at.name)
    if state.get("edit") != os.path.relpath(record, root) or not state.get("original"):
        raise TroubleError(f"{drafts.FOLDER / saved_at.name}: not the draft of an edit of {shown}")
    if state.get("original") != drafts.digest(original):
        raise TroubleError(f"{shown} changed since its draft {drafts.FOLDER / saved_at.name} was saved: "
                           "the answers are not replayed on another text (run annot edit without "
                           "--resume to start again)")
    return state


def render(draft: Draft, original: str) -> bool:
    """Put the edited text in `draft.text`, with annotation.updated set; False when nothing changed."""
    from ruamel.yaml.comments import CommentedMap

    draft.text = emit.to_yaml(draft.record, None)
    if draft.text == original:
        return False
    annotation = draft.record.get("annotation")
    if not isinstance(annotation, dict):
        annotation = draft.record["annotation"] = CommentedMap()
    annotation["updated"] = newrecord.now_utc()
    draft.text = emit.to_yaml(draft.record, None)
    return True


def unified(original: str, edited: str, shown: str) -> str:
    """The change as a unified diff of the file."""
    lines = difflib.unified_diff(original.splitlines(keepends=True), edited.splitlines(keepends=True),
                                 f"a/{shown}", f"b/{shown}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def write(draft: Draft, original: str) -> None:
    """Replace the record atomically, unless someone changed it since it was read.

    Compare and replace happen under an exclusive lock on the record file, so that of
    several editors who read the same text exactly one writes; the others are refused.
    The lock is on the file the name holds when the lock is taken (a writer before
    may have replaced it: then the lock is taken again on the new one).
    """
    import fcntl

    from .atomic import write_atomic

    assert draft.path is not None
    while True:
        try:
            descriptor = os.open(draft.path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError:
            _changed(draft.path)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            try:
                if os.stat(draft.path).st_ino != os.fstat(descriptor).st_ino:
                    continue  # replaced while waiting for the lock: lock the new file
                now = read_regular(draft.path).decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                now = None
            if now != original:
                _changed(draft.path)
            write_atomic(draft.path, draft.text, force=True)
            return
        finally:
            os.close(descriptor)


def _changed(path: Path) -> NoReturn:
    raise TroubleError(f"{path} changed while it was being edited; not overwritten "
                       "(run annot edit again)")
