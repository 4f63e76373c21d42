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


class ConfigError(TroubleError):
    """`annot.yaml` or the schema it names cannot be used."""

    def __init__(self, file: str, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(f"{file}:{line}:{column}: error: {message}")
