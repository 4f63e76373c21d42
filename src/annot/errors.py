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
