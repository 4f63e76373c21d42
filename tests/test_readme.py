"""The README's set-up commands: the first works pasted into a fresh shell, CI runs the second.

The commands are read from README.md (its first code block), never retyped here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PROJECT

README = PROJECT / "README.md"
CI_RUN = PROJECT / ".ci" / "run"

# Not copied into a "fresh" checkout: version control, environments, caches and build output.
_TOP_LEVEL_SKIPS = {".git", ".venv", "build", "dist", ".pytest_cache", ".mypy_cache", ".ruff_cache",
                    ".hypothesis"}


def setup_commands() -> list[str]:
    """The lines of README.md's first fenced code block (as .ci/run reads them with awk)."""
    lines: list[str] = []
    fences = 0
    for line in README.read_text("utf-8").splitlines():
        if line.startswith("```"):
            fences += 1
            if fences == 2:
                break
            continue
        if fences == 1:
            lines.append(line)
    return lines


def fresh_copy(destination: Path) -> Path:
    """The project's working tree copied without its environments, caches and build output."""

    def skip(folder: str, names: list[str]) -> set[str]:
        skipped = {n for n in names if n == "__pycache__" or n.endswith((".pyc", ".egg-info"))
                   or n == ".coverage" or n.startswith(".coverage.")}
        if Path(folder) == PROJECT:
            skipped |= _TOP_LEVEL_SKIPS & set(names)
        if Path(folder) == PROJECT / "benchmarks":
            skipped |= {"corpus"} & set(names)  # generated, large
        return skipped

    shutil.copytree(PROJECT, destination, symlinks=True, ignore=skip)
    return destination


def fresh_shell_environment() -> dict[str, str]:
    """This process's environment as a new shell would have it: no virtual environment active,
    and none of the coverage settings that .ci/run passes to the test processes."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("COVERAGE_")
           and key not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTEST_ADDOPTS", "PYTHONSTARTUP"}}
    active = Path(sys.prefix) / "bin"
    if sys.prefix != sys.base_prefix:
        env["PATH"] = os.pathsep.join(part for part in env.get("PATH", "").split(os.pathsep)
                                      if not part or Path(part).resolve() != active.resolve())
    return env


def test_the_set_up_block_is_two_commands() -> None:
    commands = setup_commands()
    assert len(commands) == 2, commands
    first, second = commands
    assert "python3 -m venv .venv" in first and ". .venv/bin/activate" in first
    assert "annot validate" in first and "annot summary" in first
    assert "pip install -e '.[test]'" in second and "python -m pytest" in second


def test_ci_runs_the_readme_test_command() -> None:
    done = subprocess.run(["bash", str(CI_RUN), "--print-test-command"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == setup_commands()[1] + "\n"
    # ... and executes that very string, inside its virtual environment.
    assert 'bash -c "$test_command"' in CI_RUN.read_text("utf-8")


@pytest.mark.slow
def test_first_command_installs_and_checks_the_examples_in_a_fresh_copy(tmp_path: Path) -> None:
    first = setup_commands()[0]
    work = fresh_copy(tmp_path / "annot")
    # The command exactly as README.md has it, then a look at where the shell was left.
    script = f'{first}\nstatus=$?\necho "shell left in: $(pwd -P)"\nexit $status\n'
    done = subprocess.run(["bash", "-c", script], cwd=work, env=fresh_shell_environment(),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert re.search(r"^\d+ files? checked: ", done.stdout, re.MULTILINE), done.stdout
    assert done.stdout.rstrip().endswith(f"shell left in: {work.resolve()}")
    assert (work / ".venv" / "bin" / "annot").exists()
