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
    assert "Example" in result.stdout
    assert result.stdout.startswith(f"Usage: {' '.join(('cli',) + path)}") or "Usage:" in result.stdout


def test_version(run) -> None:
    assert run("--version").stdout == f"annot, version {__version__}\n"


def test_python_m_annot_and_a_bug_shows_no_traceback(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "annot", "--version"], capture_output=True, text=True)
    assert done.stdout == f"annot, version {__version__}\n"


def test_a_fifo_named_like_a_record_neither_hangs_nor_crashes(tmp_path: Path) -> None:
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    done = subprocess.run([sys.executable, "-m", "annot", "validate", str(fifo)],
                          capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines()[0] == (
        f"{fifo}:1:1: error: cannot read: not a regular file (a FIFO, socket or device) [yaml]")
