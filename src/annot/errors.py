"""The errors annot reports to its user, each with the exit status it means."""

from __future__ import annotations

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_TROUBLE = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130


class AnnotError(Exception):
    """A failure the user can act on; the message is shown as it is."""

    exit_code = EXIT_PROBLEMS

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __reduce__(self) -> tuple[object, ...]:
        # Whole, whatever its constructor takes: an error met in a worker is the parent's to say.
        return _rebuilt, (type(self), self.__dict__)


def _rebuilt(kind: type[AnnotError], state: dict[str, object]) -> AnnotError:
    error = kind.__new__(kind)
    Exception.__init__(error, state["message"])
    error.__dict__.update(state)
    return error


class TroubleError(AnnotError):
    """Trouble outside the records: a missing path, a bad config, a git failure."""

    exit_code = EXIT_TROUBLE


class LocatedError(TroubleError):
    """Trouble at a place in a file: formats itself as FILE:LINE:COL: error: WHY [RULE]."""

    def __init__(self, file: str, reason: str, line: int = 1, column: int = 1, rule: str = "") -> None:
        self.file, self.reason, self.line, self.column, self.rule = file, reason, line, column, rule
        super().__init__(f"{file}:{line}:{column}: error: {reason}" + (f" [{rule}]" if rule else ""))


class ConfigError(LocatedError):
    """`annot.yaml` or the schema it names cannot be used."""

    def __init__(self, file: str, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(file, message, line, column, "config")


def explain(exc: BaseException) -> int:
    """Say on stderr, in one line, why annot stopped; return the exit status it means.

    Anything that is not annot's to explain is a bug: one line, exit 3, unless ANNOT_DEBUG
    is set, when it is raised again to show where it happened."""
    import os
    import sys

    from .render import printable

    if isinstance(exc, BrokenPipeError):
        if sys.stderr is not None:
            sys.stderr.close()  # the reader went away (annot validate | head): nothing more to say
        return EXIT_PROBLEMS
    if isinstance(exc, AnnotError):
        line = exc.message if isinstance(exc, LocatedError) else f"annot: error: {exc.message}"
        line, code = printable(line, one_line=True), exc.exit_code
    elif isinstance(exc, KeyboardInterrupt):
        line, code = "\nannot: interrupted", EXIT_INTERRUPTED  # after any echoed ^C
    elif isinstance(exc, OSError):
        # A full disk, a read-only folder, a file-size limit: the OS's reason, exit 2.
        from pathlib import Path

        from .files import shown_path

        where = f"{shown_path(Path(exc.filename), Path.cwd())}: " if exc.filename else ""
        line, code = printable(f"annot: error: {where}{exc.strerror or exc}", one_line=True), EXIT_TROUBLE
    elif os.environ.get("ANNOT_DEBUG") or not isinstance(exc, Exception):
        raise exc
    else:
        line = (printable(f"annot: internal error: {type(exc).__name__}: {exc}", one_line=True) +
                "\nThis is a bug in annot; run again with ANNOT_DEBUG=1 to see where it happened.")
        code = EXIT_BUG
    if sys.stderr is not None:  # None: started with stderr closed
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    return code
