"""`annot validate` without click, as the pre-commit hook and editors run it.

Every commit runs `annot validate --staged` and an editor may run `annot validate FILE` on
each save; importing click is a quarter of such a run. `plain_validate` recognises these plain
forms (no option but --staged and --strict); every other command line goes to cli.py, which
shares `validation` with this module and prints the same bytes (tests/test_quick.py).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

FLAGS = ("--staged", "--strict")


class Plain(NamedTuple):
    """A plain `annot validate` command line."""

    paths: tuple[str, ...]
    staged: bool
    strict: bool


def plain_validate(argv: Sequence[str]) -> Plain | None:
    """The plain validate command `argv` (the arguments after `annot`) is, if it is one."""
    if list(argv[:1]) != ["validate"] or "_ANNOT_COMPLETE" in os.environ:
        return None
    paths: list[str] = []
    for arg in argv[1:]:
        if arg.startswith("-") and arg != "-" and arg not in FLAGS:
            return None  # --format, --help, `--`, a typo: click's to read or refuse
        if arg not in FLAGS:
            paths.append(arg)
    return Plain(tuple(paths), "--staged" in argv[1:], "--strict" in argv[1:])


def color_for(stream: object, chosen: bool | None = None) -> bool:
    """--color/--no-color if `chosen`; else FORCE_COLOR forces it, NO_COLOR forbids it, and
    otherwise colour only on a terminal."""
    if chosen is not None:
        return chosen
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def validation(paths: Sequence[str], cwd: Path, output_format: str = "text", *, strict: bool = False,
               staged: bool = False, color: bool = False, stdin_name: str | None = None) -> tuple[str, int]:
    """What `annot validate` prints, and its exit status. Trouble (a missing path, a broken
    annot.yaml) is raised in the text format and reported in the others."""
    from .errors import EXIT_OK, EXIT_PROBLEMS, EXIT_TROUBLE, LocatedError, TroubleError
    from .files import MAX_READ
    from .render import REPO_RELATIVE_FORMATS, VALIDATE_FORMATS
    from .validate import Report, check

    def read_stdin() -> bytes:
        if sys.stdin is None:
            raise TroubleError("-: standard input is closed")
        data: bytes = sys.stdin.buffer.read(MAX_READ + 1)
        return data

    trouble = False
    try:
        report = check(tuple(paths), cwd, staged=staged, strict=strict, stdin=read_stdin,
                       stdin_name=stdin_name)
    except LocatedError as exc:
        if output_format == "text":
            raise
        report, trouble = Report.of_trouble(exc), True
    if output_format in REPO_RELATIVE_FORMATS:
        report = report.relocated(git_root_or(cwd), cwd)
    output = VALIDATE_FORMATS[output_format](report, color)
    return output, EXIT_TROUBLE if trouble else EXIT_PROBLEMS if report.errors else EXIT_OK


def git_root_or(cwd: Path) -> Path:
    """The top of the git work tree `cwd` is in, else `cwd`."""
    from .errors import TroubleError
    from .gitio import toplevel

    try:
        return toplevel(cwd)
    except TroubleError:
        return cwd


def run(plain: Plain) -> int:
    """Run a plain validate command; return its exit status."""
    from .errors import explain

    try:
        if plain.staged and not plain.paths:
            from .gitio import start_staged_check

            start_staged_check(Path.cwd())  # git reads its index while Python imports the parsers
        output, status = validation(plain.paths, Path.cwd(), strict=plain.strict, staged=plain.staged,
                                    color=color_for(sys.stdout))
        if output and sys.stdout is not None:  # None: started with stdout closed (click's echo too)
            sys.stdout.write(output + "\n")
            sys.stdout.flush()
        return status
    except Exception as exc:
        return explain(exc)
    except KeyboardInterrupt as exc:
        return explain(exc)
