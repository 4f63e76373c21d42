"""The command line: options in, a call to the core, output and exit status out.

Command modules are imported inside each command, so `annot validate` in a
git hook does not pay for what `annot summary` needs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .errors import EXIT_INTERRUPTED, EXIT_PROBLEMS, EXIT_TROUBLE, AnnotError, TroubleError, explain
from .quick import color_for, validation

if TYPE_CHECKING:
    from .actors import Registry
    from .validate import Report

EXIT_CODES = """\
\b
Exit status:
  0  success
  1  the check found problems (diff: differences)
  2  usage error, or trouble outside the records (a missing path, a broken
     annot.yaml, a refused overwrite)
  3  a bug in annot
  130  interrupted
"""


def use_color(stream: object) -> bool:
    """--color/--no-color if given, else as `quick.color_for` decides."""
    ctx = click.get_current_context(silent=True)
    chosen = ctx.find_root().params.get("color") if ctx else None
    return color_for(stream, None if chosen is None else bool(chosen))


def console(stream: object = None) -> object:
    """A Rich console on stdout that colours (or not) by use_color."""
    from rich.console import Console

    color = use_color(stream or sys.stdout)
    return Console(highlight=False, force_terminal=color or None, no_color=not color,
                   color_system="auto" if color else None)


class AnnotGroup(click.Group):
    """Turns annot's own errors into one line on stderr and an exit status."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Each command once, with its whole first sentence; an alias beside its command."""
        aliases: dict[str, list[str]] = {}
        for name, command in self.commands.items():
            if command.name != name:
                aliases.setdefault(str(command.name), []).append(name)
        rows = []
        for name, command in self.commands.items():
            if command.name != name or command.hidden:
                continue
            first = (command.help or "").split("\n\n", 1)[0]
            also = f" (alias: {', '.join(aliases[name])})" if name in aliases else ""
            rows.append((name, " ".join(first.split()) + also))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; never let a traceback reach the user."""
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, SystemExit):
            raise
        except click.Abort:
            ctx.exit(explain(KeyboardInterrupt()))
        except Exception as exc:
            ctx.exit(explain(exc))
        except KeyboardInterrupt as exc:
            ctx.exit(explain(exc))


@click.group(cls=AnnotGroup, context_settings={"help_option_names": ["-h", "--help"]},
             invoke_without_command=True, epilog=EXIT_CODES + """
\b
Shell completion (bash; zsh and fish alike):
  eval "$(_ANNOT_COMPLETE=bash_source annot)"
""")
@click.version_option(__version__, "-V", "--version", prog_name="annot")
@click.option("--color/--no-color", default=None,
              help="Colour the output or not (default: on a terminal, unless NO_COLOR is set).")
def cli(color: bool | None) -> None:
    """Annotate news articles as structured event records: who did what to whom
    (above all who met whom), when, where, and on what topics.

    \b
    Example:
      annot validate            # check every record under events/
    """
    ctx = click.get_current_context()
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


def _validate_formats() -> list[str]:
    from .render import VALIDATE_FORMATS

    return list(VALIDATE_FORMATS)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format", "output_format", type=click.Choice(_validate_formats()),
    default="text", show_default=True,
    help="How to print the problems (github and sarif: paths relative to the git root).",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--staged", is_flag=True, help="Check the records staged in git, not the working tree.")
@click.option("--stdin-filename", metavar="FILE",
              help="With `-`: check the record from standard input as this file (an editor's buffer).")
def validate(paths: tuple[str, ...], output_format: str, strict: bool, staged: bool,
             stdin_filename: str | None) -> None:
    """Check records against the schema and the rules across files.

    PATHS are record files or folders (searched for *.yaml and *.yml);
    by default the repository's events/ folder; `-` reads one record from
    standard input. Exit status: 0 no errors, 1 errors found, 2 trouble (a
    missing path, a broken annot.yaml, shown in the chosen format).
    See `annot vocab` for the vocabularies the rules check.

    \b
    Examples:
      annot validate
      annot validate events/2026/ --format json
      annot validate --staged          # what a pre-commit hook runs
      annot validate --format sarif > annot.sarif
      cat draft.yaml | annot validate -
      annot validate - --stdin-filename events/x.yaml < buffer   # as if saved there
    """
    color = use_color(sys.stdout)
    output, status = validation(paths, Path.cwd(), output_format, strict=strict, staged=staged, color=color,
                                stdin_name=stdin_filename)
    if output:
        click.echo(output, color=color)
    if status:
        click.get_current_context().exit(status)


def run() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="annot")
    except (KeyError, ValueError) as exc:
        # Only click's shell completion raises out of `cli` (commands explain their own
        # errors): a shell, or a person, set _ANNOT_COMPLETE without the words it completes.
        import os

        if "_ANNOT_COMPLETE" not in os.environ:
            raise
        needs = f"{exc.args[0]} is not set" if isinstance(exc, KeyError) else str(exc)
        raise SystemExit(explain(TroubleError(
            f"shell completion: {needs}; the shell sets COMP_WORDS and COMP_CWORD when it asks "
            "for completions (see annot --help)"))) from None


class DiffCommand(click.Command):
    """Keeps what follows `--` apart: those are paths, the rest files or revisions."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Split the arguments at `--` before click reads them."""
        if "--" in args:
            cut = args.index("--")
            ctx.meta["annot.paths"] = args[cut + 1 :]
            args = args[:cut]
        return super().parse_args(ctx, args)


@cli.command(cls=DiffCommand)
@click.argument("sides", nargs=-1)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "patch"]),
    default="text", show_default=True, help="One change a line, a JSON list, or an RFC 6902 patch.",
)
@click.option("--staged", "--cached", "staged", is_flag=True,
              help="Compare git's index (what is staged) with HEAD, or with the revision given.")
@click.option("--git-driver", is_flag=True, help="Act as git's diff driver (git passes 7 arguments).")
def diff(sides: tuple[str, ...], output_format: str, git_driver: bool, staged: bool) -> None:
    """Show what changed in meaning between two records, two folders, or git revisions.

    Participants pair by ref (else name), evidence by about, records by id;
    topics and related compare as sets; formatting, key order, quoting and
    comments never count. As git diff: no argument compares the working tree
    with HEAD (a record not yet tracked counts as added), --staged what is
    staged. Exit status: 0 equal, 1 different, 2 trouble.

    \b
    Examples:
      annot diff                        # the working tree against HEAD
      annot diff --staged               # what the next commit changes
      annot diff jane/event.yaml joe/event.yaml
      annot diff jane/events/ joe/events/
      annot diff HEAD~1                 # a commit against the working tree
      annot diff events/2026/           # HEAD against the working tree, there only
      annot diff v1 v2 -- events/2026/  # two commits, some paths
    """
    from .render import DIFF_FORMATS, diff_text, printable
    from .sides import compare, for_git

    ctx = click.get_current_context()
    color = use_color(sys.stdout)
    if git_driver:
        header, found = for_git(list(sides))
        header = printable(header, one_line=True)
        body = ("\n".join(printable(line) for line in found.split("\n")) if isinstance(found, str)
                else diff_text(found, color))
        click.echo(f"{header}\n{body}" if body else f"{header} (no change in meaning)", color=color)
        return
    result = compare(list(sides), ctx.meta.get("annot.paths", []), Path.cwd(), staged=staged)
    output = DIFF_FORMATS[output_format](result, color)
    if output:
        click.echo(output, color=color)
    for line in result.unreadable:
        click.echo(printable(line, one_line=True), err=True)
    if result.unreadable:
        ctx.exit(EXIT_TROUBLE)
    if result:
        ctx.exit(EXIT_PROBLEMS)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "markdown", "csv"]),
    default="text", show_default=True, help="Tables for people, or JSON, Markdown or CSV.",
)
@click.option("--since", metavar="DATE", help="Only events on or after DATE (2026, 2026-02, 2026-02-02).")
@click.option("--until", metavar="DATE", help="Only events on or before DATE.")
@click.option("--type", "types", multiple=True, metavar="TYPE",
              help="Only events of this PLOVER type (repeatable).")
@click.option(
    "--topic", "topics", multiple=True, metavar="TOPIC", help="Only events with TOPIC (repeatable)."
)
@click.option("--participant", metavar="NAME", help="Only events with a participant matching NAME.")
@click.option(
    "--status", type=click.Choice(["draft", "reviewed", "accepted"]), help="Only events with this status."
)
def summary(
    paths: tuple[str, ...], output_format: str, since: str | None, until: str | None,
    types: tuple[str, ...], topics: tuple[str, ...], participant: str | None, status: str | None,
) -> None:
    """Show the corpus: what happened, who met whom, who did what to whom, places, topics, timeline.

    Each event reads as one sentence from its type, mode, direction and
    factuality. Who met whom counts consult events that happened (asserted or
    historical). Records with errors are skipped, each with a warning on stderr.

    \b
    Examples:
      annot summary
      annot summary --since 2026-01 --topic terrorism --type consult
      annot summary --format markdown > report.md
    """
    from .render import SUMMARY_EVENTS, SUMMARY_FORMATS, printable, summary_rich
    from .summary import Tally, counting, seeing
    from .validate import check

    filters = _filters(since, until, types, topics, participant, status)
    tally = Tally()
    report = check(paths, Path.cwd(), view=seeing(filters, SUMMARY_EVENTS[output_format]),
                   gather=counting(tally),  # each event counted as it comes: its line is held, not its brief
                   freeze_gathered=True,  # what is held, walked by no collection
                   errors_only=True)  # a warning does not leave a record out
    failed: dict[str, int] = {}
    for problem in report.problems:
        if problem.severity == "error":
            failed[problem.file] = failed.get(problem.file, 0) + 1
    for file, count in failed.items():
        click.echo(f"annot: warning: skipped {printable(file, one_line=True)}: {count} "
                   f"error{'s' * (count != 1)} (annot validate shows them)", err=True)
    _check_filters(filters, [counted for _, counted in report.valid_records()])
    # A record found invalid by a rule across files was counted as it came: it is left out.
    left_out = {counted.number for file, counted in report.records if file in failed}
    result = tally.summary(len(failed), left_out - {None})
    if output_format == "text":
        summary_rich(result, console())
        return
    for piece in SUMMARY_FORMATS[output_format](result):
        click.echo(piece, nl=False)
    click.echo()


RESUME_ASKS = "--resume replays a session's answers and asks the rest: it does not go with --no-input"


@cli.command()
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE",
              help="A field: dotted keys and list indexes, e.g. participants.0.name=Nick Checker.")
@click.option("--from", "template", type=click.Path(dir_okay=False, path_type=Path),
              help="Start from this record (its comments are kept; the new record gets its own id).")
@click.option("--id", "identifier", help="The record's id (default: from date, place and participants).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write (default: events/<id>.yaml in the repository).")
@click.option("--force", is_flag=True, help="Replace an existing file.")
@click.option("--no-input", is_flag=True, help="Ask nothing: take everything from --set and --from.")
@click.option("--resume", is_flag=False, flag_value="", default=None, metavar="[DRAFT]",
              help="Continue a session saved as a draft (default: the newest, in .annot/drafts/).")
def add(assignments: tuple[str, ...], template: Path | None, identifier: str | None,
        output: Path | None, force: bool, no_input: bool, resume: str | None) -> None:
    """Create a record: ask for each field, or take them from --set and --from.

    Each answer is checked at its prompt (a quote is looked up in the article
    at once) and `?` lists the choices. An interrupted session, or one whose
    record fails validation, is saved as a draft that --resume continues. The
    record is validated before it is written, written atomically, and an
    existing file is never replaced without --force. Alias: annot create.

    \b
    Examples:
      annot add
      annot add --no-input --set type=consult --set mode=visit --set date=2026-02-02 \\
        --set participants.0.ref=diop --set participants.0.name="Abdoulaye Diop" \\
        --set participants.0.role=recipient --set participants.1.ref=checker \\
        --set participants.1.name="Nick Checker" --set participants.1.role=actor \\
        --set topics=diplomatic,economic --set source.url=https://example.org/article
      annot add --resume
    """
    from contextlib import nullcontext

    from . import adding, drafts, signals
    from .files import shown_path
    from .newrecord import git_annotator
    from .project import project_for
    from .validate import schema_for

    cwd = Path.cwd()
    saved_at: Path | None = None
    replay: list[tuple[str, str]] = []
    recheck: list[str] = []
    if resume is not None and no_input:
        raise click.UsageError(RESUME_ASKS)
    if resume is not None:
        saved_at, state = drafts.load(project_for(cwd).root, resume or None)
        if state.get("edit") is not None:
            raise TroubleError(f"{saved_at.name} is the draft of an edit of {state['edit']}: "
                               "`annot edit ID --resume` continues it")
        template = template or (Path(state["template"]) if state.get("template") else None)
        assignments = tuple(state.get("settings") or ()) + assignments
        identifier = identifier or state.get("identifier")
        output = output or (Path(state["output"]) if state.get("output") else None)
        replay = [(str(k), str(v)) for k, v in state["answers"]]
        recheck = [str(p) for p in state.get("problems") or ()]
    draft = adding.start(template, cwd)
    schema = schema_for(draft.project)
    adding.apply_settings(draft, assignments, schema)
    adding.forget(draft.record, recheck)  # a value given by --set or --from that failed: asked now
    annotator = git_annotator(cwd)
    session = None
    chosen = adding.chosen_path(draft.project, identifier, output, cwd)
    if chosen is not None and chosen.exists() and not force:  # say so before the questions, not after
        raise TroubleError(f"{shown_path(chosen, cwd)} exists; not overwritten (use --force to replace it)")

    def keep(problems: list[str], why: str) -> str:
        """Save the answers as a draft; the line that says where and how to go on."""
        nonlocal saved_at
        answers: list[tuple[str, str]] = []
        unmet: list[str] = []
        if session is not None:
            answers, unmet = session.to_save()
        state = {"template": str(template.resolve()) if template else None, "settings": list(assignments),
                 "identifier": identifier, "output": str(output) if output else None,
                 "answers": answers, "problems": problems or unmet}
        try:
            with signals.held():  # a second Ctrl-C does not cut the saving short
                saved_at = drafts.save(draft.project.root, state, saved_at)
        except TroubleError as exc:
            return f"{why}; the answers could not be saved, they are lost ({exc})"
        name = saved_at.name
        return f"{why}; the answers are saved in {shown_path(saved_at, cwd)}: `annot add --resume {name}`"

    # Until the record is written, a stop (Ctrl-C, a closed terminal, a kill) keeps the answers.
    with nullcontext() if no_input else signals.as_interrupt():
        try:
            if not no_input:
                from .prompter import interview
                from .questions import Session

                session = Session(draft.record, adding.context(draft.project, schema, annotator),
                                  replay=replay, recheck=recheck)
                try:
                    interview(session, console())
                except EOFError:
                    raise TroubleError(keep([], "no more answers on standard input (use --no-input with "
                                                "--set)")) from None
            adding.finish(draft, identifier=identifier, output=output, annotator=annotator, cwd=cwd)
            assert draft.path is not None
            shown = shown_path(draft.path, cwd)
            if draft.path.exists() and not force:
                raise TroubleError(f"{shown} exists; not overwritten (use --force to replace it)")
            if draft.twin is not None:
                click.echo(f"annot: warning: {shown_path(draft.twin, cwd)} already records an event on "
                           f"this date, at this place, with these participants; this one would be {shown}",
                           err=True)
                if session is not None and not click.confirm("Write it anyway?", default=False, err=True):
                    raise AnnotError(keep([], f"not written: {shown}"))
            _refuse_errors(draft, cwd, shown, None if session is None else keep)
        except (KeyboardInterrupt, click.Abort):
            if session is None:
                raise
            click.echo("\n" + keep([], "annot: interrupted"), err=True)  # its own line, after ^C
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        with signals.held():  # the record whole, and then no draft of it
            adding.write(draft, force)
            drafts.discard(saved_at)
    click.echo(f"wrote {shown}")


cli.add_command(add, "create")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--check", is_flag=True,
              help="Write nothing: show what would change, exit 1 if anything would.")
def upgrade(paths: tuple[str, ...], check: bool) -> None:
    """Bring first-schema records to schema v2, keeping comments and key order.

    Roles host/guest/participant become recipient/actor (a consult visit gets
    mode: visit), location.precision becomes basis, future/historical/
    hypothetical topics become factuality, renamed PLOVER topics get their
    current code. Running it twice changes nothing. PATHS default to the
    repository's records.

    \b
    Examples:
      annot upgrade --check     # what would change (exit 1 if anything)
      annot upgrade events/2012/
    """
    from .atomic import write_atomic
    from .diff import diff_records, load_record
    from .render import diff_text
    from .upgrade import upgrade_file
    from .validate import collect

    targets, trouble = collect(paths, Path.cwd())
    color = use_color(sys.stdout)
    changed = failed = 0
    for problem in trouble:
        click.echo(f"{problem.file}: error: {problem.message}", err=True)
        failed += 1
    for target in targets:
        result = upgrade_file(target.shown, target.path)
        if result.upgraded is None:
            click.echo(result.error, err=True)
            failed += 1
            continue
        if not result.upgraded.changed:
            continue
        if Path(target.path).is_symlink() and not check:
            click.echo(f"{target.shown}: error: a symbolic link; upgrade the file it points to", err=True)
            failed += 1
            continue
        changed += 1
        if check:
            old = load_record(result.upgraded.old.encode(), target.shown)
            new = load_record(result.upgraded.new.encode(), target.shown)
            click.echo(f"annot upgrade {target.shown}\n{diff_text(diff_records(old, new), color)}",
                       color=color)
        else:
            write_atomic(Path(target.path), result.upgraded.new, force=True)
            click.echo(f"upgraded {target.shown}")
    verb = "would be upgraded" if check else "upgraded"
    click.echo(f"{len(targets)} file{'s' * (len(targets) != 1)} checked: {changed} {verb}"
               + (f", {failed} unreadable" if failed else ""))
    if failed or (check and changed):
        click.get_current_context().exit(EXIT_PROBLEMS)


@cli.command()
@click.argument("kinds", nargs=-1, type=click.Choice(
    ["types", "modes", "topics", "roles", "factuality", "countries", "sectors"]))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="A list for people, or JSON.")
def vocab(kinds: tuple[str, ...], output_format: str) -> None:
    """List the vocabularies with one-line meanings from the PLOVER codebook.

    KINDS: types, modes, topics, roles, factuality, countries, sectors
    (default: all but countries).

    \b
    Examples:
      annot vocab modes
      annot vocab topics --format json
    """
    import shutil

    from . import vocabulary
    from .render import VOCAB_FORMATS

    chosen = kinds or tuple(k for k in vocabulary.KINDS if k != "countries")
    width = shutil.get_terminal_size((100, 24)).columns
    click.echo(VOCAB_FORMATS[output_format]({k: vocabulary.entries(k) for k in chosen}, width))


@cli.group(invoke_without_command=True)
@click.option("--format", "output_format", type=click.Choice(["text", "json", "csv"]), default="text",
              show_default=True, help="A table for people, or JSON or CSV.")
@click.pass_context
def actors(ctx: click.Context, output_format: str) -> None:
    """List the actor registry (actors.yaml) with the records that cite each actor.

    A record cites an actor by `actor: ID`, or by a Wikidata id, name or alias
    the registry knows.

    \b
    Examples:
      annot actors
      annot actors --format csv > actors.csv
      annot actors suggest           # inline participants the registry knows, or should
    """
    if ctx.invoked_subcommand is not None:
        return
    from .actors import listing
    from .render import ACTOR_FORMATS

    registry, report, broken = _registry_and_records(())
    if registry.actors or not broken:  # an unreadable registry is not one without actors
        click.echo(ACTOR_FORMATS[output_format](listing(registry, report.valid_records())))
    if broken:
        click.get_current_context().exit(EXIT_PROBLEMS)


@actors.command("suggest")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--write", is_flag=True, help="Add the proposed entries to actors.yaml.")
def actors_suggest(paths: tuple[str, ...], write: bool) -> None:
    """Inline participants the registry already knows, and names that recur without an entry.

    The first are better cited as `actor: ID`; the second come as a YAML block
    ready to paste into actors.yaml (or added by --write; check each kind).

    \b
    Examples:
      annot actors suggest
      annot actors suggest --write
    """
    from .actors import entries_yaml, suggestions
    from .atomic import write_atomic
    from .files import read_regular
    from .project import project_for

    registry, report, broken = _registry_and_records(paths)
    if broken:  # what it knows is what the suggestions are made against
        raise AnnotError(f"the registry has errors (above): fix them first{', nothing written' * write}")
    known, recurring = suggestions(registry, report.valid_records())
    for item in known:
        click.echo(f"{item.file}: {item.pointer} '{item.name}' is actor '{item.actor}': "
                   f"write actor: {item.actor}")
    block = entries_yaml(recurring)
    if not write:
        if block:
            click.echo(f"# {len(recurring)} name{'s' * (len(recurring) != 1)} recur without an entry; "
                       "for actors.yaml:\n" + block.rstrip("\n"))
        elif not known:
            click.echo("nothing to suggest")
        return
    if not block:
        click.echo("nothing to add")
        return
    path = project_for(Path.cwd()).actors_file
    old = read_regular(path).decode("utf-8") if path.exists() else (
        "# yaml-language-server: $schema=schema/actors.schema.json\n")
    write_atomic(path, old + ("" if old.endswith("\n") else "\n") + block, force=True)
    click.echo(f"added {len(recurring)} actor{'s' * (len(recurring) != 1)} to {path.name}")


def _refuse_errors(draft: Any, cwd: Path, shown: str, keep: Callable[[list[str], str], str] | None) -> None:
    """Say the problems of the record as it would be written; AnnotError if it has errors (its
    answers kept as a draft by `keep`, in an interactive session)."""
    from .adding import check
    from .render import validate_text

    report = check(draft, cwd)
    if report.problems:
        click.echo(validate_text(report).rsplit("\n", 1)[0], err=True)
    if report.errors:
        why = f"not written: {shown} would have {report.errors} error{'s' * (report.errors != 1)}"
        if keep is not None:
            why = keep(sorted({p.pointer for p in report.problems if p.severity == "error"}),
                       why + " (listed above)")
        raise AnnotError(why)


def _registry_and_records(paths: tuple[str, ...]) -> tuple[Registry, Report, bool]:
    """The project's registry (an empty one without actors.yaml or when it cannot be read), its
    checked records, and whether the registry has errors: each is said on stderr, as validate
    says it (a registry that cannot be read is not one without actors)."""
    from .actors import Registry
    from .files import shown_path
    from .project import project_for
    from .render import problem_line
    from .validate import check

    report = check(paths, Path.cwd(), keep_records=True, errors_only=True)  # the valid records alone
    project = project_for(Path.cwd())
    registry = report.registries.get(project.root)
    if registry is None:
        registry = Registry(None, [])
    shown = shown_path(project.actors_file, Path.cwd())
    broken = [p for p in report.problems if p.file == shown]
    for problem in broken:
        click.echo(problem_line(problem), err=True)
    return registry, report, bool(broken)


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path | None) -> None:
    """Set up an annotation repository in DIRECTORY (default here): annot.yaml, events/,
    sources/, actors.yaml, schema copies for editors, .yamllint, and in git the hook and the
    diff and merge drivers.

    Running it again changes nothing; it never overwrites what it did not write.

    \b
    Examples:
      annot init desk && cd desk
      git init desk && annot init desk
    """
    from .scaffold import init as set_up

    for line in set_up((Path.cwd() / directory) if directory else Path.cwd()):
        click.echo(line)


@cli.group()
def hook() -> None:
    """Install or remove the git pre-commit hook that runs `annot validate --staged`.

    \b
    Examples:
      annot hook install           # refuse commits with invalid records
      annot hook install --chain   # keep an existing hook, run it first
      annot hook status
    """


@hook.command("install")
@click.option("--chain", is_flag=True, help="Keep an existing pre-commit hook and run it before annot.")
def hook_install(chain: bool) -> None:
    """Write the pre-commit hook into the hooks folder git uses.

    Never overwrites a hook annot did not write. Example: annot hook install
    """
    from .gitio import install_hook

    click.echo(install_hook(Path.cwd(), chain=chain))


@hook.command("uninstall")
def hook_uninstall() -> None:
    """Remove annot's pre-commit hook (only the one annot wrote).

    Example: annot hook uninstall
    """
    from .gitio import uninstall_hook

    click.echo(uninstall_hook(Path.cwd()))


@hook.command("status")
def hook_status() -> None:
    """Say whether annot's pre-commit hook is installed (exit 1 if not).

    Example: annot hook status
    """
    from .gitio import hook_status as status

    installed, sentence = status(Path.cwd())
    click.echo(sentence)
    if not installed:
        click.get_current_context().exit(EXIT_PROBLEMS)


@cli.command()
@click.argument("identifier", metavar="ID")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE",
              help="Change a field without asking: dotted keys and list indexes.")
@click.option("--no-input", is_flag=True, help="Ask nothing: take the changes from --set.")
@click.option("--yes", "-y", is_flag=True, help="Write without asking to confirm the diff.")
@click.option("--resume", is_flag=True,
              help="Continue an edit of this record that was interrupted or failed (its draft).")
def edit(identifier: str, assignments: tuple[str, ...], no_input: bool, yes: bool, resume: bool) -> None:
    """Change a record: the questions of annot add, with its current values as defaults.

    ID is a record's id (or its file). Enter keeps a value, `-` clears an
    optional one. Comments, key order and quoting are kept; annotation.updated
    is set; the change is shown as a diff and written after you confirm it. An
    interrupted session, or one whose record fails validation, is saved as a
    draft that --resume continues.

    \b
    Examples:
      annot edit 2026-02-02-bamako-diop-checker
      annot edit 2026-02-02-bamako-diop-checker --no-input --yes --set factuality=historical
      annot edit 2026-02-02-bamako-diop-checker --resume
    """
    import os
    import shlex
    from contextlib import nullcontext

    from . import adding, drafts, editing, signals
    from .files import shown_path
    from .newrecord import git_annotator
    from .questions import touches
    from .render import printable
    from .validate import schema_for

    cwd = Path.cwd()
    path = editing.find(identifier, cwd)
    draft, original = editing.start(path, cwd)
    saved_at = drafts.edit_draft(draft.project.root, path)
    shown = printable(shown_path(path, cwd), one_line=True)
    again = f"annot edit {printable(shlex.quote(identifier), one_line=True)} --resume"
    replay: list[tuple[str, str]] = []
    recheck: list[str] = []
    if resume:
        if no_input:
            raise click.UsageError(RESUME_ASKS)
        state = editing.resumed(draft.project.root, path, saved_at, original, shown)
        given_now = ["/" + a.split("=", 1)[0].strip().replace(".", "/") for a in assignments]
        assignments = tuple(state.get("settings") or ()) + assignments
        # What --set says now wins over the answer the draft holds for it (asked, with it as default).
        replay = [(str(k), str(v)) for k, v in state["answers"] if not any(touches(k, g) for g in given_now)]
        recheck = [str(p) for p in state.get("problems") or ()]
    elif saved_at.exists():
        click.echo(f"annot: warning: {shown_path(saved_at, cwd)} holds the answers of an earlier edit of "
                   f"this record (`{again}` goes on with them); this edit, started afresh, replaces them",
                   err=True)
    schema = schema_for(draft.project)
    adding.apply_settings(draft, assignments, schema)
    out = console()
    session = None

    def keep(problems: list[str], why: str) -> str:
        """Save the answers as a draft; the line that says where and how to go on."""
        answers: list[tuple[str, str]] = []
        unmet: list[str] = []
        if session is not None:
            answers, unmet = session.to_save()
        if not answers:
            return why  # nothing given that would be lost
        state = {"edit": os.path.relpath(path, draft.project.root), "original": drafts.digest(original),
                 "settings": list(assignments), "answers": answers, "problems": problems or unmet}
        try:
            with signals.held():  # a second Ctrl-C does not cut the saving short
                drafts.save(draft.project.root, state, saved_at)
        except TroubleError as exc:
            return f"{why}; the answers could not be saved, they are lost ({exc})"
        return f"{why}; the answers are saved in {shown_path(saved_at, cwd)}: `{again}`"

    # Until the record is written, a stop (Ctrl-C, a closed terminal, a kill) keeps the answers.
    with nullcontext() if no_input else signals.as_interrupt():
        try:
            if not no_input:
                from .prompter import interview
                from .questions import Session

                session = Session(draft.record, adding.context(draft.project, schema, git_annotator(cwd)),
                                  editing=True, replay=replay, recheck=recheck)
                try:
                    interview(session, out)
                except EOFError:
                    raise TroubleError(keep([], "no more answers on standard input (use --no-input with "
                                                "--set)")) from None
            if not editing.render(draft, original):
                if resume:
                    drafts.discard(saved_at)
                click.echo(f"no change to {shown}")
                return
            _refuse_errors(draft, cwd, shown, None if session is None else keep)
            click.echo(printable(editing.unified(original, draft.text, shown)), nl=False)
            if not yes:
                if no_input:
                    raise click.UsageError("--no-input changes a record only with --yes (the diff above is "
                                           "what it would write)")
                if not click.confirm(f"Write {shown}?", default=True):
                    click.echo("not written")
                    return
        except (KeyboardInterrupt, click.Abort):
            if session is None:
                raise
            click.echo("\n" + keep([], "annot: interrupted"), err=True)  # its own line, after ^C
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        with signals.held():  # the record whole, and then no draft of its answers
            editing.write(draft, original)
            drafts.discard(saved_at)  # answers given to the text that was replaced: of no more use
    click.echo(f"wrote {shown}")


def _agree_formats() -> list[str]:
    from .render_agree import AGREE_FORMATS

    return ["text", *AGREE_FORMATS]


@cli.command()
@click.argument("versions", nargs=-1, required=True, metavar="A B [C...]")
@click.option("--format", "output_format", type=click.Choice(_agree_formats()), default="text",
              show_default=True, help="Tables for people, or JSON or CSV.")
@click.option("--details", is_flag=True, help="List every disagreement: event, field, what each said.")
def agree(versions: tuple[str, ...], output_format: str, details: bool) -> None:
    """Measure agreement between annotators, each given as their version of the records.

    A, B and any more are folders, or git revisions or branches (read without checking out).

    Events pair by id, else by overlapping date, same place and a shared participant.
    Reports event detection (precision, recall, F1 of each against the others) and, per
    field, Krippendorff's alpha with its level and the units it rests on (Cohen's kappa too
    for two annotators).

    \b
    Examples:
      annot agree annotator-a/ annotator-b/
      annot agree alice bob --details           # two branches
      annot agree alice bob carol --format json
    """
    from .agree import measure
    from .render_agree import AGREE_FORMATS, agree_rich

    if len(versions) < 2:
        raise click.UsageError("give at least two annotators' versions (folders or git revisions)")
    result = measure(versions, Path.cwd())
    if output_format == "text":
        agree_rich(result, console(), details)
    else:
        click.echo(AGREE_FORMATS[output_format](result, details))
    for line in result.unreadable:
        click.echo(printable_line(line), err=True)
    if result.unreadable:
        click.get_current_context().exit(EXIT_TROUBLE)


def printable_line(text: str) -> str:
    """`text` on one line, control characters escaped."""
    from .render import printable

    return printable(text, one_line=True)


@cli.command()
@click.argument("files", nargs=-1, required=True, metavar="BASE OURS THEIRS [PATH] | FILE [POINTER...]")
@click.option("--pick", type=click.Choice(["ours", "theirs"]),
              help="Resolve the conflicts recorded in FILE (those at POINTER..., else all) with one side.")
@click.option("--resolve", is_flag=True, help="Resolve the conflicts recorded in FILE one by one, asking.")
def merge(files: tuple[str, ...], pick: str | None, resolve: bool) -> None:
    """Merge two edits of one record: THEIRS's changes since BASE into OURS (written in place).

    Participants and evidence pair by identity, topics and related merge as sets, a field
    changed on one side takes that change. A field changed two ways keeps ours and is
    recorded as a conflict that `annot validate` reports (rule merge); the exit status is
    then 1, as git's merge drivers. `annot init` sets it up as git's merge driver
    (merge.annot.driver = annot merge %O %A %B %P); PATH, the file's place in the work
    tree, names it in messages, and only a record's merges by meaning (any other file
    gets git's text merge).

    \b
    Examples:
      annot merge base.yaml ours.yaml theirs.yaml
      annot merge --pick theirs events/2026/audience.yaml /participants/1/title
      annot merge --pick ours events/2026/audience.yaml      # every conflict
      annot merge --resolve events/2026/audience.yaml        # asks for each
    """
    from .merge import merge_files, pick_in_file

    ctx = click.get_current_context()
    if pick or resolve:
        if pick and resolve:
            raise click.UsageError("--pick and --resolve: choose one")
        record = Path(files[0])
        if resolve:
            if len(files) != 1:
                raise click.UsageError("--resolve takes one FILE")
            left = _resolve_interactively(record)
        else:
            done, left = pick_in_file(record, str(pick), list(files[1:]))
            for pointer in done:
                click.echo(f"{printable_line(files[0])}: {printable_line(pointer)}: took {pick}")
        if left:
            click.echo(f"{left} conflict{'s' * (left != 1)} left", err=True)
            ctx.exit(EXIT_PROBLEMS)
        click.echo(f"{printable_line(files[0])}: no conflict left; in a git merge, `git add` it")
        return
    if len(files) not in (3, 4):
        raise click.UsageError("give BASE OURS THEIRS [PATH] (git's %O %A %B %P), or --pick/--resolve FILE")
    path = files[3] if len(files) == 4 else None
    merged = merge_files(Path(files[0]), Path(files[1]), Path(files[2]), path)
    if merged.conflicts:
        where = "" if merged.as_text else ": " + ", ".join(merged.conflicts)
        click.echo(f"{printable_line(path or files[1])}: {len(merged.conflicts)} merge "
                   f"conflict{'s' * (len(merged.conflicts) != 1)}{where}", err=True)
        ctx.exit(EXIT_PROBLEMS)


def _resolve_interactively(path: Path) -> int:
    """Ask ours, theirs or skip for each recorded conflict; the number left."""
    import json

    from rich.prompt import Prompt
    from rich.table import Table
    from rich.text import Text

    from .merge import pick_in_file, recorded_conflicts

    out: Any = console()
    conflicts = recorded_conflicts(path)
    if not conflicts:
        raise TroubleError(f"{path}: no merge conflicts recorded")
    left = len(conflicts)
    for conflict in conflicts:
        at = str(conflict.get("at"))
        table = Table(title=Text(f"conflict at {printable_line(at)}"), title_justify="left",
                      show_header=False)
        for side in ("base", "ours", "theirs"):
            shown = (json.dumps(conflict[side], ensure_ascii=False, default=str) if side in conflict
                     else "(none)")
            table.add_row(side, Text(printable_line(shown)))
        out.print(table)
        try:
            answer = Prompt.ask("take", choices=["ours", "theirs", "skip"], default="skip", console=out)
        except EOFError:
            raise TroubleError(f"no more answers on standard input ({left} conflict"
                               f"{'s' * (left != 1)} left); use --pick ours|theirs") from None
        if answer != "skip":
            _, left = pick_in_file(path, answer, [at])
    return left

def _export_formats() -> list[str]:
    from .export import FORMATS

    return list(FORMATS)


def _filter_options(command: Callable[..., None]) -> Callable[..., None]:
    """The summary's filters, for the commands that write the corpus out."""
    for option in reversed([
        click.option("--since", metavar="DATE",
                     help="Only events on or after DATE (2026, 2026-02, 2026-02-02)."),
        click.option("--until", metavar="DATE", help="Only events on or before DATE."),
        click.option("--type", "types", multiple=True, metavar="TYPE",
                     help="Only events of this PLOVER type (repeatable)."),
        click.option("--topic", "topics", multiple=True, metavar="TOPIC",
                     help="Only events with TOPIC (repeatable)."),
        click.option("--participant", metavar="NAME", help="Only events with a participant matching NAME."),
        click.option("--status", type=click.Choice(["draft", "reviewed", "accepted"]),
                     help="Only events with this status."),
    ]):
        command = option(command)
    return command


def _filters(since: str | None, until: str | None, types: tuple[str, ...], topics: tuple[str, ...],
             participant: str | None, status: str | None) -> Any:
    """The summary's and export's filters, their dates checked."""
    from .dates import real_date
    from .summary import Filters

    for option, value in (("--since", since), ("--until", until)):
        if value is not None and not real_date(value):
            raise click.BadParameter(f"{value!r} is not a date like 2026, 2026-02 or 2026-02-02",
                                     param_hint=option)
    return Filters(since, until, types, topics, participant, status)


def _check_filters(filters: Any, views: list[Any]) -> None:
    """A filter value that can match nothing is trouble (the participant among `views`)."""
    from . import vocabulary
    from .project import project_for
    from .summary import check_filters
    from .validate import schema_for

    project = project_for(Path.cwd())
    known_topics = () if project.open_topics else (project.topics or schema_for(project).vocabulary)
    check_filters(filters, [t.code for t in vocabulary.plover().types], known_topics, views)


def _stream(paths: tuple[str, ...], since: str | None, until: str | None, types: tuple[str, ...],
            topics: tuple[str, ...], participant: str | None, status: str | None,
            row: Callable[[Any], Any] | None = None,
            pack: Callable[[list[Any]], list[Any]] | None = None) -> tuple[Any, list[int]]:
    """The valid records the filters keep, one at a time, as export Items or, with `row`, as
    what it makes of each Item where the record was checked (sent back from a worker as
    `pack` makes them); each record left out is named on stderr as it is met. The list
    counts those (read it after the stream)."""
    from .export import maker, packer
    from .render import printable
    from .stream import valid_records
    from .summary import check_participant

    filters = _filters(since, until, types, topics, participant, status)
    _check_filters(filters._replace(participant=None), [])
    problems = [0]

    def skipped(problem: Any, errors: int) -> None:
        problems[0] += 1
        where = printable(f"{problem.file}:{problem.line}:{problem.column}", one_line=True)
        said = printable(f"{problem.message} [{problem.rule}]", one_line=True)
        more = f" (and {errors - 1} more: annot validate shows them)" if errors > 1 else ""
        click.echo(f"annot: {'skipped ' if errors else 'warning: '}{where}: {said}{more}", err=True)

    names: set[str] = set()

    def kept() -> Any:
        count = 0
        made: Iterator[Any]
        if row is None:  # an Item holds the record and its registry: made here, not sent back
            made = map(maker(filters, lambda item: item), valid_records(paths, Path.cwd(), skipped))
        else:
            made = valid_records(paths, Path.cwd(), skipped, maker(filters, row), pack and packer(pack))
        for event, named in made:
            if named is not None:
                names.update(named)
            if event is not None:
                count += 1
                yield event
        if participant and not count:
            check_participant(participant, names)

    return kept(), problems


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "output_format", type=click.Choice(_export_formats()), default="plover",
              show_default=True, help="PLOVER JSON Lines, annot's own JSON Lines, CSV, Parquet, "
                                      "GraphML or GEXF.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write this file (default: standard output; parquet needs one).")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@click.option("--edges", type=click.Choice(["all", "meetings", "directed"]), default="all",
              show_default=True, help="graphml/gexf: meetings (undirected), directed events, or both.")
@_filter_options
def export(paths: tuple[str, ...], output_format: str, output: Path | None, force: bool, edges: str,
           since: str | None, until: str | None, types: tuple[str, ...], topics: tuple[str, ...],
           participant: str | None, status: str | None) -> None:
    """Write the corpus out for analysis: PLOVER JSON, tables, or a network for Gephi.

    One event a line (plover, jsonl), a row (csv: ACLED-like actor1/actor2
    columns), or a row of a Parquet table (-o events.parquet also writes
    events.participants.parquet); graphml and gexf hold actors as nodes and
    events as typed, dated edges. Records with errors are skipped, each named
    on stderr, and the exit status is then 1. Streams: memory does not grow
    with the corpus.

    \b
    Examples:
      annot export > events.plover.jsonl
      annot export --format parquet -o events.parquet
      annot export --format csv --since 2026 --type consult -o meetings.csv
      annot export --format gexf --edges meetings -o who-met-whom.gexf
    """
    from .export import FORMATS
    from .export import export as write

    chosen = FORMATS[output_format]
    events, problems = _stream(paths, since, until, types, topics, participant, status, chosen.row,
                               chosen.pack)
    write(output_format, events, output, sys.stdout, force=force, edges=edges)
    if problems[0]:
        click.get_current_context().exit(EXIT_PROBLEMS)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default="report.html",
              show_default=True, help="The HTML file to write.")
@click.option("--force", is_flag=True, help="Replace an existing file.")
@_filter_options
def report(paths: tuple[str, ...], output: Path, force: bool, since: str | None, until: str | None,
           types: tuple[str, ...], topics: tuple[str, ...], participant: str | None,
           status: str | None) -> None:
    """Write the corpus as one HTML page: who met whom, timeline, places, topics, evidence.

    The network is interactive (drag a name, hover for counts); each event
    shows its evidence quotes highlighted in the source text. The file is
    self-contained: scripts and styles inlined, no request to any network.
    Records with errors are skipped, each named on stderr (exit status 1).

    \b
    Examples:
      annot report                      # writes report.html
      annot report --since 2026 -o 2026.html --force
    """
    from .export import atomic
    from .files import shown_path
    from .report import write_report

    events, problems = _stream(paths, since, until, types, topics, participant, status)
    with atomic([output], force) as temporaries:
        try:
            with open(temporaries[0], "x", encoding="utf-8") as handle:
                count = write_report(events, handle)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(output)) from None
    click.echo(f"wrote {shown_path(Path.cwd() / output, Path.cwd())}: {count} event{'s' * (count != 1)}")
    if problems[0]:
        click.get_current_context().exit(EXIT_PROBLEMS)
