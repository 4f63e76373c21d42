"""The sdist and the wheel, built with `python -m build` from a fresh copy of the working tree.

The sdist must carry everything its own tests need: it is installed into a fresh virtual
environment with its test extra and its tests are run there (all but the slow and network
ones: the slow ones are these packaging and README tests, which would recurse).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path

import pytest

from .test_readme import fresh_copy, fresh_shell_environment

pytestmark = pytest.mark.slow

# Folders whose every file the sdist must carry (those that exist in the working tree).
SHIPPED_FOLDERS = ["tests", "examples", "schema", "benchmarks", "scripts"]
SCHEMA_COPIES = ["schema/event.schema.json", "examples/schema/event.schema.json"]
PACKAGE_SCHEMA = "src/annot/data/event.schema.json"
# What the unpacked sdist runs of its own tests.
SDIST_TEST_SELECTION = ["-m", "not slow and not network"]


@dataclass
class Dists:
    tree: Path
    sdist: Path
    wheel: Path


def build(tree: Path, out: Path, *options: str) -> None:
    done = subprocess.run([sys.executable, "-m", "build", *options, "--outdir", str(out), str(tree)],
                          env=fresh_shell_environment(), stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def only(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, found
    return found[0]


def extract(sdist: Path, destination: Path) -> Path:
    """Unpack the sdist; its single top folder."""
    with tarfile.open(sdist) as archive:
        if hasattr(tarfile, "data_filter"):
            archive.extractall(destination, filter="data")
        else:  # Python 3.11 before 3.11.4
            archive.extractall(destination)
    return only(destination, "annot-*")


def sdist_members(sdist: Path) -> dict[str, tarfile.TarInfo]:
    """The sdist's members by path inside its top folder."""
    with tarfile.open(sdist) as archive:
        return {member.name.split("/", 1)[1]: member for member in archive.getmembers() if "/" in member.name}


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Dists:
    """The sdist, and the wheel that `python -m build` builds from that sdist."""
    root = tmp_path_factory.mktemp("packaging")
    tree = fresh_copy(root / "annot")
    build(tree, root / "dist")
    return Dists(tree, only(root / "dist", "annot-*.tar.gz"), only(root / "dist", "annot-*.whl"))


def test_wheel_carries_license_schema_and_metadata(dists: Dists) -> None:
    with zipfile.ZipFile(dists.wheel) as wheel:
        names = set(wheel.namelist())
        info = only_name(names, ".dist-info/METADATA").rsplit("/", 1)[0]
        metadata = HeaderParser().parsestr(wheel.read(f"{info}/METADATA").decode("utf-8"))
        schema = json.loads(wheel.read("annot/data/event.schema.json"))
        license_text = wheel.read(f"{info}/licenses/LICENSE").decode("utf-8")
    assert "annot/py.typed" in names
    assert schema == json.loads((dists.tree / PACKAGE_SCHEMA).read_text("utf-8"))
    assert license_text == (dists.tree / "LICENSE").read_text("utf-8")
    assert "MIT License" in license_text
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert metadata["Requires-Python"] == ">=3.11"
    assert metadata["Keywords"]
    classifiers = metadata.get_all("Classifier")
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert metadata.get_payload().strip() == (dists.tree / "README.md").read_text("utf-8").strip()
    assert any(r.startswith("build") and 'extra == "test"' in r for r in metadata.get_all("Requires-Dist"))


def only_name(names: set[str], suffix: str) -> str:
    found = [name for name in names if name.endswith(suffix)]
    assert len(found) == 1, found
    return found[0]


def test_sdist_carries_everything_its_tests_need(dists: Dists) -> None:
    members = sdist_members(dists.sdist)
    for name in ["LICENSE", "README.md", "pyproject.toml", "MANIFEST.in", PACKAGE_SCHEMA, "src/annot/py.typed",
                 "tests/conftest.py", *SCHEMA_COPIES]:
        assert name in members, name
    wanted = {path.relative_to(dists.tree).as_posix()
              for folder in SHIPPED_FOLDERS if (dists.tree / folder).is_dir()
              for path in (dists.tree / folder).rglob("*") if path.is_file() or path.is_symlink()}
    missing = sorted(wanted - set(members))
    assert not missing, missing
    assert any(name.startswith("tests/golden/") for name in members)
    assert any(name.startswith("tests/conformance/cases/") and name.endswith("/expect.json") for name in members)


@pytest.mark.parametrize("schema_copies_as", ["symbolic links", "files"])
def test_schema_copies_ship_as_readable_files_either_way(tmp_path: Path, schema_copies_as: str) -> None:
    """schema/event.schema.json and examples/schema/event.schema.json may be symbolic links to the
    package's schema or real files: either way the unpacked sdist has them as real JSON files."""
    tree = fresh_copy(tmp_path / "annot")
    package_schema = tree / PACKAGE_SCHEMA
    for name in SCHEMA_COPIES:
        copy = tree / name
        copy.unlink(missing_ok=True)
        copy.parent.mkdir(parents=True, exist_ok=True)
        if schema_copies_as == "symbolic links":
            copy.symlink_to(os.path.relpath(package_schema, copy.parent))
        else:
            copy.write_bytes(package_schema.read_bytes())
    build(tree, tmp_path / "dist", "--sdist")
    unpacked = extract(only(tmp_path / "dist", "annot-*.tar.gz"), tmp_path / "unpacked")
    for name in SCHEMA_COPIES:
        shipped = unpacked / name
        assert shipped.is_file() and not shipped.is_symlink(), name
        assert json.loads(shipped.read_text("utf-8")) == json.loads(package_schema.read_text("utf-8"))


def test_sdist_installs_and_passes_its_own_tests(dists: Dists, tmp_path: Path) -> None:
    unpacked = extract(dists.sdist, tmp_path / "unpacked")
    venv = tmp_path / "venv"
    env = fresh_shell_environment()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], env=env, check=True, timeout=300)
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", "")])
    env["VIRTUAL_ENV"] = str(venv)
    python = str(venv / "bin" / "python")
    install = subprocess.run([python, "-m", "pip", "install", "--quiet", f"annot[test] @ {dists.sdist.as_uri()}"],
                             env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=1200)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    # The tests import the installed annot, not the sdist's src/ (which is not on sys.path).
    where = subprocess.run([python, "-c", "import annot; print(annot.__file__)"], cwd=unpacked, env=env,
                           capture_output=True, text=True, timeout=60)
    assert where.stdout.startswith(str(venv)), where.stdout + where.stderr
    tests = subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SDIST_TEST_SELECTION],
                           cwd=unpacked, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=1800)
    assert tests.returncode == 0, tests.stdout[-5000:] + tests.stderr[-2000:]
    assert " passed" in tests.stdout.splitlines()[-1], tests.stdout[-2000:]
