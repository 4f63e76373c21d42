"""The command line as a whole: help for every command, version, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from annot import __version__
from annot.cli import cli


def commands(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("path", commands(), ids=lambda p: " ".join(p) or "annot")
def test_every_command_has_help_with_an_example(run, path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: {' '.join(('cli',) + path)} ")
    example = result.stdout.split("Example", 1)[1]
    # The example runs this very command (a group's example runs one of its subcommands).
    assert f"annot {' '.join(path)}".rstrip() in example or path == ("create",)


def test_top_level_help_lists_each_command_once_with_its_whole_first_sentence(run) -> None:
    result = run("--help")
    listed = result.stdout.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    names = [line.split()[0] for line in listed.splitlines() if not line.startswith("   ")]
    assert names == [n for n, c in cli.commands.items() if c.name == n]
    assert "create" not in names and "(alias: create)" in listed
    for name in names:
        first = " ".join((cli.commands[name].help or "").split("\n\n")[0].split())
        assert first in " ".join(listed.split()), name
    assert "..." not in listed
    for line in ("  2  usage error, or trouble outside the records (a missing path, a broken",
                 "  130  interrupted", '  eval "$(_ANNOT_COMPLETE=bash_source annot)"'):
        assert line in result.stdout


def test_annot_alone_prints_help_and_succeeds(run) -> None:
    alone = run()
    assert (alone.exit_code, alone.stdout) == (0, run("--help").stdout)


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(run, flag: str) -> None:
    assert run(flag).stdout == f"annot, version {__version__}\n"


def test_a_bug_is_one_line_and_exit_3_without_a_traceback(run, monkeypatch, tmp_path: Path) -> None:
    import annot.validate

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(annot.validate, "collect", broken)
    result = run("validate", cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == ("annot: internal error: ZeroDivisionError: division by zero\n"
                             "This is a bug in annot; run again with ANNOT_DEBUG=1 to see where it happened.\n")


def test_python_m_annot_runs_the_real_command(tmp_path: Path) -> None:
    from .conftest import EXAMPLES

    done = subprocess.run([sys.executable, "-m", "annot", "validate"], cwd=EXAMPLES,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert (done.returncode, done.stdout, done.stderr) == (0, "12 files checked: no problems\n", "")
    bad = subprocess.run([sys.executable, "-m", "annot", "validate", "--nope"], capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "No such option '--nope'" in bad.stderr


@pytest.mark.parametrize(
    ("args", "env", "colored"),
    [
        ((), {}, False),  # not a terminal
        ((), {"FORCE_COLOR": "1"}, True),
        (("--color",), {"NO_COLOR": "1"}, True),  # the option wins
        (("--no-color",), {"FORCE_COLOR": "1"}, False),
    ],
)
def test_colour_follows_the_options_then_the_environment(run, monkeypatch, args, env, colored) -> None:
    from .conftest import TESTS

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    case = TESTS / "conformance" / "cases" / "bad-role"
    for command in (("validate",), ("summary", "--format", "text")):
        out = run(*args, *command, cwd=case).stdout
        assert ("\x1b[" in out) == colored, command


def test_a_fifo_named_like_a_record_neither_hangs_nor_crashes(tmp_path: Path) -> None:
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    done = subprocess.run([sys.executable, "-m", "annot", "validate", str(fifo)],
                          capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines()[0] == (
        f"{fifo}:1:1: error: cannot read: not a regular file (a FIFO, socket or device) [yaml]")


def test_ctrl_c_during_start_up_is_an_interruption_not_a_traceback() -> None:
    # Ctrl-C while click and the rest are still being imported: simulated at the import of cli.
    script = (
        "import builtins, annot.main\n"
        "real = builtins.__import__\n"
        "def interrupted(name, *args, **kwargs):\n"
        "    if name == 'cli' or name.endswith('.cli'):\n"
        "        raise KeyboardInterrupt\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = interrupted\n"
        "annot.main.run()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "\nannot: interrupted\n")


def test_the_add_help_example_writes_a_record(run, tmp_path: Path) -> None:
    import shlex

    example = run("add", "--help").stdout.split("Examples:", 1)[1].split("\n\n", 1)[0]
    command = example.split("annot add\n", 1)[1].split("annot add --resume")[0].replace("\\\n", " ")
    desk = tmp_path / "desk"
    desk.mkdir()
    assert run("init", cwd=desk).exit_code == 0
    result = run(*shlex.split(command)[1:], cwd=desk)
    assert (result.exit_code, result.stdout) == (0, "wrote events/2026-02-02-diop-checker.yaml\n"), result.stderr


@pytest.mark.parametrize(("shell", "words", "said"), [
    ("zsh_complete", {}, "COMP_WORDS is not set"),
    ("bash_complete", {"COMP_WORDS": "annot va", "COMP_CWORD": "one"},
     "invalid literal for int() with base 10: 'one'"),
])
def test_a_completion_request_without_the_shells_words_is_trouble_not_a_traceback(
        tmp_path: Path, shell: str, words: dict[str, str], said: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMP_")}
    done = subprocess.run([sys.executable, "-m", "annot"], capture_output=True, text=True, cwd=tmp_path,
                          env={**env, "_ANNOT_COMPLETE": shell, **words})
    assert (done.returncode, done.stdout, done.stderr) == (2, "", (
        f"annot: error: shell completion: {said}; the shell sets COMP_WORDS and COMP_CWORD when it "
        "asks for completions (see annot --help)\n"))
    done = subprocess.run([sys.executable, "-m", "annot"], capture_output=True, text=True, cwd=tmp_path,
                          env={**env, "_ANNOT_COMPLETE": "bash_complete", "COMP_WORDS": "annot va",
                               "COMP_CWORD": "1"})
    assert (done.returncode, done.stdout) == (0, "plain,validate\n")
