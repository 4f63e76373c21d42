"""`annot add`: from answers and --set values to a validated record on disk."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Sequence
from itertools import takewhile
from pathlib import Path
from typing import Any

from . import emit, ids, newrecord, settings
from .atomic import write_atomic
from .errors import TroubleError
from .files import WorkTree, record_stem, shown_path
from .project import Project, project_for
from .questions import Context
from .schema import RecordSchema
from .validate import Checker, Report, Target


class OverlayTree(WorkTree):
    """The working tree, plus files not written yet."""

    def __init__(self, files: dict[Path, bytes]) -> None:
        self.files = {os.path.normpath(str(p)): raw for p, raw in files.items()}

    def read(self, path: str | Path) -> bytes:
        """The pending content if there is one, else the file on disk."""
        key = os.path.normpath(str(path))
        return self.files[key] if key in self.files else super().read(path)

    def records_under(self, folder: Path, within: Path | None = None) -> list[str]:
        """Records on disk and pending ones below `folder`."""
        found = super().records_under(folder, within)
        prefix = os.path.normpath(str(folder)) + os.sep
        return found + [p for p in self.files if p.startswith(prefix) and p not in found]

    def records_named(self, folder: Path, within: Path | None, stems: set[str],
                      skip: set[str] | None = None) -> dict[str, list[str]]:
        """Records on disk and pending ones below `folder` whose stem is one of `stems`."""
        named = super().records_named(folder, within, stems, skip)
        prefix = os.path.normpath(str(folder)) + os.sep
        for path in self.files:
            stem = record_stem(path)
            if path.startswith(prefix) and stem in stems and path not in (skip or ()) \
                    and path not in named.get(stem, []):
                named.setdefault(stem, []).append(path)
        return named


class Draft:
    """A record being made, and where it will be written."""

    def __init__(self, project: Project, record: Any) -> None:
        self.project = project
        self.record = record
        self.path: Path | None = None
        self.text = ""
        self.twin: Path | None = None  # a record of the same event, when the id took a -2


def context(project: Project, schema: RecordSchema, annotator: str | None) -> Context:
    """What the questions check answers against, in this repository."""
    from .validate import Checker

    vocabulary = () if project.open_topics else tuple(project.topics or schema.vocabulary)
    found = WorkTree().records_under(project.events_dir)
    stems = sorted({os.path.basename(p).rsplit(".", 1)[0] for p in found})
    return Context(schema=schema, topics=vocabulary, registry=Checker().registry(project),
                   root=project.root, source_text=source_reader(project), known_ids=stems,
                   annotator=annotator)


def source_reader(project: Project) -> Callable[[str], str | Exception]:
    """Reads a plain-text copy by its path in the repository, normalized for quotes; never outside it."""
    from . import quotes
    from .files import inside, read_regular

    cache: dict[str, str | Exception] = {}

    def read(text_path: str) -> str | Exception:
        if text_path not in cache:
            normal = os.path.normpath(text_path)
            path = project.root / normal
            if "\0" in text_path or os.path.isabs(text_path) or normal.split(os.sep)[0] == "..":
                cache[text_path] = OSError(errno.EACCES, "outside the repository")
            elif not inside(path, project.root):
                cache[text_path] = OSError(errno.EACCES, "outside the repository through a symbolic link")
            else:
                try:
                    cache[text_path] = quotes.normalize(read_regular(path).decode("utf-8-sig"))
                except FileNotFoundError:
                    cache[text_path] = OSError(errno.ENOENT, f"no such file under {project.root}")
                except OSError as exc:
                    cache[text_path] = exc
                except UnicodeDecodeError:
                    cache[text_path] = OSError(errno.EINVAL, "not UTF-8 text")
        return cache[text_path]

    return read


def start(template: Path | None, cwd: Path) -> Draft:
    """An empty record, or the one in `template`, for the repository at `cwd`."""
    from ruamel.yaml.comments import CommentedMap

    project = project_for(cwd)
    record = emit.load_template(template) if template else CommentedMap()
    if not isinstance(record, dict):
        raise TroubleError(f"{template}: a starting record is a YAML mapping")
    if template:
        # A new record from an old one: its own id (derived, or --id), its own annotation dates.
        record.pop("id", None)
        annotation = record.get("annotation")
        if isinstance(annotation, dict):
            for key in ("created", "updated", "reviewer"):
                annotation.pop(key, None)
            if annotation.get("status") in ("reviewed", "accepted"):
                annotation["status"] = "draft"
    return Draft(project, record)


def apply_settings(draft: Draft, assignments: Sequence[str], schema: Any) -> None:
    """Each `KEY=VALUE`, typed by the schema."""
    for assignment in assignments:
        key, sep, value = assignment.partition("=")
        if not sep:
            raise settings.SetError(f"--set {assignment!r}: expected KEY=VALUE")
        settings.set_value(draft.record, key.strip(), value, schema)


def chosen_path(project: Project, identifier: str | None, output: Path | None, cwd: Path) -> Path | None:
    """Where --output or --id will write, known before any question is asked."""
    if output:
        return cwd / output
    return project.events_dir / f"{identifier}.yaml" if identifier else None


def forget(record: Any, pointers: Sequence[str]) -> None:
    """Remove the values that a failed check named, so that they are asked again: a field, or
    the whole list (participants, evidence) that holds it, since a list is asked whole."""
    from .records import resolve_pointer

    for pointer in pointers:
        head = pointer[1:].split("/", 1)[0]
        if head in ("", "id", "annotation") or head not in record:
            continue
        if isinstance(record[head], list) or "/" not in pointer[1:]:
            del record[head]
            continue
        parent, _, key = pointer.rpartition("/")
        container = resolve_pointer(record, parent, None)
        if isinstance(container, dict):
            container.pop(key, None)


def finish(draft: Draft, *, identifier: str | None, output: Path | None, annotator: str | None,
           cwd: Path) -> None:
    """Fill the annotation, settle the id and the file, and render the YAML."""
    from ruamel.yaml.comments import CommentedMap

    record = draft.record
    annotation = record.get("annotation")
    if not isinstance(annotation, dict):
        annotation = record["annotation"] = CommentedMap()
    if "annotator" not in annotation:
        if not annotator:
            raise TroubleError("no annotator: set annotation.annotator, or git config user.name "
                               "and user.email")
        annotation["annotator"] = annotator
    annotation.setdefault("created", newrecord.now_utc())
    annotation.setdefault("status", "draft")

    events = draft.project.events_dir
    if identifier:
        record["id"] = identifier
    elif not record.get("id"):
        found = {os.path.basename(p).rsplit(".", 1)[0]: p for p in WorkTree().records_under(events)}
        base = ids.derive_id(record)
        record["id"] = ids.unique_id(base, set(found))
        if record["id"] != base:  # each id taken before it may record the same event
            earlier = takewhile(lambda taken: taken != record["id"], ids.candidates(base))
            draft.twin = _same_event(record, [Path(found[taken]) for taken in earlier], draft.project)
    draft.path = (cwd / output) if output else events / f"{record['id']}.yaml"
    from .files import inside

    if not inside(draft.path.parent, draft.project.root):
        raise TroubleError(f"{shown_path(draft.path, cwd)} is outside the repository "
                           f"({shown_path(draft.project.root, cwd)}); annot writes records inside it")
    draft.text = emit.to_yaml(record, _schema_link(draft.project, draft.path))


def _same_event(record: dict[str, Any], others: list[Path], project: Project) -> Path | None:
    """The first of `others` that records the same event: the same date, place and participants."""
    from . import records
    from .files import read_regular
    from .names import fold
    from .validate import Checker

    registry = Checker().registry(project)

    def event(data: Any) -> tuple[str, str, frozenset[str]]:
        location = data.get("location") if isinstance(data.get("location"), dict) else {}
        people = [p for p in data.get("participants") or [] if isinstance(p, dict)]
        who = frozenset(str((registry.known(p) if registry else None) or p.get("actor")
                            or fold(str(p.get("name") or "")) or p.get("ref")) for p in people)
        return str(data.get("date")), fold(str(location.get("place") or "")), who

    wanted = event(record)
    for other in others:
        try:
            data = records.load(read_regular(other)).data
        except (OSError, records.YamlError):
            continue
        if isinstance(data, dict) and event(data) == wanted:
            return other
    return None


def _schema_link(project: Project, path: Path) -> str:
    schema = project.root / (project.schema or "schema/event.schema.json")
    return os.path.relpath(schema, path.parent).replace(os.sep, "/")


def check(draft: Draft, cwd: Path) -> Report:
    """Validate the record exactly as it would be written, in its repository."""
    assert draft.path is not None
    path = Path(os.path.abspath(draft.path))
    tree = OverlayTree({path: draft.text.encode("utf-8")})
    return Checker(tree).run([Target(shown_path(path, cwd), str(path))])


def write(draft: Draft, force: bool) -> None:
    """Write the record atomically; never over an existing file unless `force`."""
    assert draft.path is not None
    write_atomic(draft.path, draft.text, force=force)
