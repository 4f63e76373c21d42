"""The annotation repository a record belongs to, and its `annot.yaml`."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from .errors import ConfigError
from .files import RECORD_SUFFIXES, inside, read_regular

CONFIG_NAME = "annot.yaml"
_CONFIG_KEYS = ("events", "sources", "actors", "schema", "topics", "warnings")


class Project(NamedTuple):
    """An annotation repository: its root folder and settings."""

    root: Path
    events: str = "events"
    sources: str = "sources"
    actors: str = "actors.yaml"
    schema: str | None = None
    topics: tuple[str, ...] | None = None  # None: the schema's vocabulary
    open_topics: bool = False
    config_file: Path | None = None
    warnings: frozenset[str] = frozenset()  # the ids of the warning rules silenced

    @property
    def events_dir(self) -> Path:
        """The folder holding the records."""
        return self.root / self.events

    @property
    def actors_file(self) -> Path:
        """The actor registry."""
        return self.root / self.actors


def find_root(start: Path) -> tuple[Path, bool]:
    """The repository root for `start` (a folder) and whether annot.yaml is there.

    The nearest folder upward holding annot.yaml; else the git work tree's
    root; else the current directory (SPEC section 1).
    """
    start = start.absolute()
    git_root = None
    for folder in (start, *start.parents):
        if os.path.lexists(folder / CONFIG_NAME):  # a FIFO or a link is reported, not skipped
            return folder, True
        if git_root is None and (folder / ".git").exists():
            git_root = folder
    return (git_root or Path.cwd()), False


def project_of(file: str) -> Project:
    """The project of the file at `file` (absolute), cached by its folder's name: a run asks
    for every record's, and a string is quicker to make and hash than a Path."""
    return project_for(os.path.dirname(file))


@cache
def project_for(folder: Path | str) -> Project:
    """The project whose root is found from `folder` (cached per folder).

    The cache assumes the current directory does not change during a run.
    """
    root, has_config = find_root(Path(folder))
    if not has_config:
        return Project(root)
    return load_config(root / CONFIG_NAME, root)


def load_config(path: Path, root: Path) -> Project:
    """Read and check an `annot.yaml`; ConfigError names the file and line."""
    from . import records

    shown = _shown(path)
    if path.is_symlink() and not inside(path, root):
        raise ConfigError(shown, "a symbolic link out of the repository: not read")
    try:
        raw = read_regular(path)
    except OSError as exc:
        raise ConfigError(shown, f"cannot read: {exc.strerror}") from None
    if not raw.strip():
        return Project(root, config_file=path)
    try:
        doc = records.load(raw)
    except records.YamlError as exc:
        raise ConfigError(shown, exc.message, *exc.position) from None
    data = doc.data
    if doc.duplicates:
        raise ConfigError(shown, "a key written twice", *doc.duplicates[0].position)
    for key in data:
        if key not in _CONFIG_KEYS:
            from .suggest import did_you_mean

            hint = did_you_mean(key, _CONFIG_KEYS)
            raise ConfigError(
                shown,
                f"unknown key '{key}'{hint}; annot.yaml takes {', '.join(_CONFIG_KEYS)}",
                *doc.key_position("/" + records.escape_token(key)),
            )
    settings: dict[str, Any] = {}
    for key in ("events", "sources", "actors", "schema"):
        if key in data:
            value = data[key]
            normal = os.path.normpath(value) if isinstance(value, str) else ""
            if (not isinstance(value, str) or not value.strip() or os.path.isabs(value)
                    or normal == ".." or normal.startswith(".." + os.sep) or "\0" in value
                    or len(value) > 4096):  # longer than any path a system takes (PATH_MAX)
                raise ConfigError(
                    shown, f"'{key}' must be a path inside the repository, relative to {shown}'s folder",
                    *doc.position("/" + key),
                )
            settings[key] = value
    if "topics" in data:
        topics = data["topics"]
        if isinstance(topics, dict) and set(topics) == {"open"} and topics["open"] is True:
            settings["open_topics"] = True
        elif isinstance(topics, list) and topics and all(
            isinstance(t, str) and t for t in topics
        ):
            settings["topics"] = tuple(topics)
        else:
            raise ConfigError(
                shown,
                "'topics' must be a list of topic slugs, or 'open: true' to allow any slug",
                *doc.position("/topics"),
            )
    if "warnings" in data:
        settings["warnings"] = _silenced(data["warnings"], shown, doc)
    return Project(root, config_file=path, **settings)


def _silenced(value: Any, shown: str, doc: Any) -> frozenset[str]:
    """The warning rules `warnings` names; ConfigError for anything else."""
    from .rules import RULES, WARNING, clip
    from .suggest import did_you_mean

    warnings = sorted(r.id for r in RULES.values() if r.severity == WARNING)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(shown, f"'warnings' must be a list of warning rule ids ({', '.join(warnings)})",
                          *doc.position("/warnings"))
    for index, rule in enumerate(value):
        if rule not in warnings:
            what = "an error, which cannot be silenced" if rule in RULES else "not a rule"
            raise ConfigError(shown, f"{clip(rule)} is {what}{did_you_mean(rule, warnings)}; "
                              f"the warnings are {', '.join(warnings)}", *doc.position(f"/warnings/{index}"))
    return frozenset(value)


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def is_record(path: str) -> bool:
    """Whether `path` is a record file: a YAML file under its project's events folder."""
    if not path.endswith(RECORD_SUFFIXES):
        return False
    project = project_for(Path(path).parent)
    events = os.path.normpath(str(project.events_dir)) + os.sep
    return path.startswith(events)
