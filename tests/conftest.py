"""Shared fixtures: a CLI runner, and real annotation repositories on disk."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from annot.cli import cli
from annot.project import project_for

TESTS = Path(__file__).parent
PROJECT = TESTS.parent
EXAMPLES = PROJECT / "examples"
SEED_ID = "2026-02-02-bamako-diop-checker"
# The record exactly as SPEC.md shows it (the shipped example adds evidence for Diop).
SEED_RECORD = (TESTS / "conformance" / "cases" / "valid-seed" / "events" / f"{SEED_ID}.yaml").read_text("utf-8")
SOURCE_NAME = "mali-usa-audience-2026-02-02.fr.txt"


@dataclass
class Result:
    """What a command printed and returned."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        """stdout split into lines."""
        return self.stdout.splitlines()


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("ANNOT_DEBUG", raising=False)
    project_for.cache_clear()
    yield
    project_for.cache_clear()


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `annot ARGS...` through click's CliRunner in a given folder."""

    def invoke(*args: str, cwd: Path | None = None, input: str | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        project_for.cache_clear()
        result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An annotation repository with annot.yaml, the seed source and the seed record."""
    root = tmp_path / "repo"
    (root / "events").mkdir(parents=True)
    (root / "sources").mkdir()
    (root / "annot.yaml").write_text("events: events\nsources: sources\n")
    shutil.copy(EXAMPLES / "sources" / SOURCE_NAME, root / "sources" / SOURCE_NAME)
    (root / "events" / f"{SEED_ID}.yaml").write_text(SEED_RECORD, "utf-8")
    return root


def seed_with(*edits: tuple[str, str]) -> str:
    """The seed record with each (old, new) text replaced once; old must occur."""
    text = SEED_RECORD
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd`, failing the test on error; its stdout."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org"}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout
