"""`annot init`: an annotation repository, ready for editors and git."""

from __future__ import annotations

from pathlib import Path

from .errors import AnnotError, TroubleError
from .files import read_regular, shown_path
from .gitio import NotInGit, annot_command, config, hook_status, install_hook, toplevel
from .newrecord import write_atomic
from .project import CONFIG_NAME
from .schema import BUILTIN_SCHEMA

SCHEMAS = (BUILTIN_SCHEMA, BUILTIN_SCHEMA.parent / "actors.schema.json")

CONFIG_TEXT = """\
# annot project settings; every key is optional.
events: events       # where the records live
sources: sources     # plain-text copies of the articles
actors: actors.yaml  # the actor registry
# schema: my.schema.json        # a JSON Schema that replaces the built-in one
# topics: [diplomatic, trade]   # replaces PLOVER's; or `topics: {open: true}`
"""
ACTORS_TEXT = """\
# yaml-language-server: $schema=schema/actors.schema.json
# Who is who: an actor id, then name, kind (person, organization, state,
# group) and optionally country, sector, wikidata, aliases and member_of.
# Records cite `actor: ID`.
# mali:
#   name: Mali
#   kind: state
#   country: MLI
"""
# yamllint (`yamllint .`) as it fits the files annot writes: no `---` (a record opens with the
# editor modeline) and no line limit (a quote or a summary is one line, as the article has it).
YAMLLINT_TEXT = """\
extends: default
rules:
  document-start: disable
  line-length: disable
"""
IGNORED = ".annot/\n"  # drafts of unfinished `annot add` sessions
PLACEHOLDER = ".gitkeep"  # git tracks no empty folder; validate reads no dotfile
ATTRIBUTES = "*.yaml diff=annot\n*.yml diff=annot\n*.yaml merge=annot\n*.yml merge=annot\n"


def init(cwd: Path) -> list[str]:
    """Set up the repository at `cwd` (made if missing); one line per thing done or left alone.

    Idempotent, and never overwrites a file it did not write.
    """
    from .project import load_config

    said: list[str] = []
    if cwd.is_symlink():
        raise TroubleError(f"{cwd} is a symbolic link; annot init does not write through links")
    if not cwd.is_dir():
        cwd.mkdir(parents=True)
        said.append(f"created {shown_path(cwd, Path.cwd())}/")
    for name in (CONFIG_NAME, "schema", *(f"schema/{s.name}" for s in SCHEMAS), ".gitattributes"):
        _no_link(cwd / name, name)
    config = cwd / CONFIG_NAME
    if config.exists():
        said.append(f"kept {CONFIG_NAME} (exists)")
    else:
        write_atomic(config, CONFIG_TEXT)
        said.append(f"created {CONFIG_NAME}")
    project = load_config(config, cwd)
    for folder in (project.events, project.sources):
        _no_link(cwd / folder, folder)
        if (cwd / folder).is_dir():
            said.append(f"kept {folder}/ (exists)")
        else:
            (cwd / folder).mkdir(parents=True)
            write_atomic(cwd / folder / PLACEHOLDER, "")
            said.append(f"created {folder}/ (with {PLACEHOLDER}, so that git keeps it)")
    _no_link(project.actors_file, project.actors)
    if project.actors_file.exists():
        said.append(f"kept {project.actors} (exists)")
    else:
        write_atomic(project.actors_file, ACTORS_TEXT)
        said.append(f"created {project.actors}")
    said.extend(_annot_files(cwd))
    for builtin in SCHEMAS:
        shown = f"schema/{builtin.name}"
        copy = cwd / shown
        wanted = builtin.read_bytes()
        if not copy.exists():
            copy.parent.mkdir(exist_ok=True)
            write_atomic(copy, wanted.decode("utf-8"))  # never half a schema: a temporary, then a link
            said.append(f"created {shown} (for editors)")
        elif _read(copy, shown) == wanted:
            said.append(f"kept {shown} (up to date)")
        else:
            said.append(f"kept {shown} (differs from annot's; delete it to refresh)")
    try:
        toplevel(cwd)
    except NotInGit:
        said.append("not a git work tree: no hook, no diff driver (git init, then annot init again)")
        return said
    said.append(_hook(cwd))
    said.append(_merge_driver(cwd))
    said.extend(_diff_driver(cwd))
    return said


def _hook(cwd: Path) -> str:
    installed, _ = hook_status(cwd)
    if installed:
        return "kept the pre-commit hook (installed)"
    try:
        return install_hook(cwd).replace("installed", "installed the pre-commit hook:", 1)
    except AnnotError:
        return "left the existing pre-commit hook alone (see `annot hook install --chain`)"


def _diff_driver(cwd: Path) -> list[str]:
    said = []
    command = f"{annot_command()} diff --git-driver"
    current = config("diff.annot.command", cwd)
    if current == command:
        said.append("kept the git diff driver (configured)")
    elif current:
        said.append(f"left diff.annot.command alone (set to {current!r})")
    else:
        config("diff.annot.command", cwd, command)
        said.append("configured the git diff driver (diff.annot.command)")
    attributes = cwd / ".gitattributes"
    existing = _read(attributes, ".gitattributes").decode("utf-8", "replace") if attributes.exists() else ""
    missing = [line for line in ATTRIBUTES.splitlines() if line not in existing.splitlines()]
    if not missing:
        said.append("kept .gitattributes (has the annot lines)")
    else:
        lead = "" if not existing or existing.endswith("\n") else "\n"
        with open(attributes, "a", encoding="utf-8") as handle:
            handle.write(lead + "\n".join(missing) + "\n")
        said.append(f"{'updated' if existing else 'created'} .gitattributes ({', '.join(missing)})")
    return said


def _annot_files(cwd: Path) -> list[str]:
    """The yamllint settings, and .gitignore's line for annot's drafts."""
    said = []
    for name in (".yamllint", ".gitignore"):
        _no_link(cwd / name, name)
    if (cwd / ".yamllint").exists():
        said.append("kept .yamllint (exists)")
    else:
        write_atomic(cwd / ".yamllint", YAMLLINT_TEXT)
        said.append("created .yamllint (yamllint's defaults, as records need them)")
    ignore = cwd / ".gitignore"
    existing = _read(ignore, ".gitignore").decode("utf-8", "replace") if ignore.exists() else ""
    if IGNORED.strip() in existing.splitlines():
        said.append("kept .gitignore (ignores .annot/)")
    else:
        lead = "" if not existing or existing.endswith("\n") else "\n"
        write_atomic(ignore, existing + lead + IGNORED, force=True)
        said.append(f"{'updated' if existing else 'created'} .gitignore (.annot/: drafts)")
    return said


def _merge_driver(cwd: Path) -> str:
    """git's merge driver for records: `annot merge %O %A %B %P` (its .gitattributes lines
    are written with the diff driver's)."""
    command = f"{annot_command()} merge %O %A %B %P"
    current = config("merge.annot.driver", cwd)
    if current == command:
        return "kept the git merge driver (configured)"
    if current:
        return f"left merge.annot.driver alone (set to {current!r})"
    config("merge.annot.name", cwd, "annot: three-way merge of records")
    config("merge.annot.driver", cwd, command)
    return "configured the git merge driver (merge.annot.driver)"


def _no_link(path: Path, shown: str) -> None:
    if path.is_symlink():
        raise TroubleError(f"{shown} is a symbolic link; annot init does not write through links")


def _read(path: Path, shown: str) -> bytes:
    try:
        return read_regular(path)
    except OSError as exc:
        raise TroubleError(f"{shown}: cannot read: {exc.strerror}") from None
