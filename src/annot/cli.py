"""The command line: options in, a call to the core, output and exit status out.

Command modules are imported inside each command, so `annot validate` in a
git hook does not pay for what `annot summary` needs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import EXIT_BUG, EXIT_INTERRUPTED, EXIT_PROBLEMS, EXIT_TROUBLE, AnnotError


def use_color(stream: object) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="annot")
def cli() -> None:
    """Annotate news articles as structured event records: who met whom,
    when, where, and on what topics.

    \b
    Example:
      annot validate            # check every record under events/
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "github"]),
    default="text", show_default=True, help="How to print the problems.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--staged", is_flag=True, help="Check the records staged in git, not the working tree.")
def validate(paths: tuple[str, ...], output_format: str, strict: bool, staged: bool) -> None:
    """Check records against the schema and the rules across files.

    PATHS are record files or folders (searched for *.yaml and *.yml);
    by default the repository's events/ folder. Exit status: 0 no errors,
    1 errors found, 2 trouble (a missing path, a broken annot.yaml).

    \b
    Examples:
      annot validate
      annot validate events/2026/ --format json
      annot validate --staged          # what a pre-commit hook runs
    """
    from .render import VALIDATE_FORMATS
    from .validate import Checker, collect

    cwd = Path.cwd()
    if staged:
        from .gitio import staged_targets

        targets, problems, tree = staged_targets(paths, cwd)
        checker = Checker(tree)
    else:
        targets, problems = collect(paths, cwd)
        checker = Checker()
    report = checker.run(targets, strict=strict)
    report.problems[:0] = problems
    report.files += len(problems)
    output = VALIDATE_FORMATS[output_format](report, use_color(sys.stdout))
    if output:
        click.echo(output)
    if report.errors:
        raise SystemExit(EXIT_PROBLEMS)


def main(argv: list[str] | None = None) -> int:
    """Run annot; return its exit status. Errors never show a traceback."""
    try:
        cli.main(args=argv, prog_name="annot", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("annot: interrupted", err=True)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        click.echo("annot: interrupted", err=True)
        return EXIT_INTERRUPTED
    except AnnotError as exc:
        click.echo(_error_line(exc.message), err=True)
        return exc.exit_code
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_TROUBLE
    except BrokenPipeError:
        # The reader went away (annot validate | head): nothing more to say.
        sys.stderr.close()
        return EXIT_PROBLEMS
    except Exception as exc:  # a bug: say so plainly, no traceback unless asked
        if os.environ.get("ANNOT_DEBUG"):
            raise
        click.echo(
            f"annot: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in annot; run again with ANNOT_DEBUG=1 to see where it happened.",
            err=True,
        )
        return EXIT_BUG
    return 0


def _error_line(message: str) -> str:
    # A message already located as FILE:LINE:COL: error: ... is shown as it is.
    return message if ": error: " in message.split("\n", 1)[0] else f"annot: error: {message}"


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
