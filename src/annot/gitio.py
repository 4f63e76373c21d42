"""Talking to git: the index as a tree of files, revisions, and the hook."""

from __future__ import annotations

import atexit
import errno
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import AnnotError, TroubleError
from .files import RECORD_SUFFIXES, inside, links_out, read_regular, record_stem, shown_path
from .project import CONFIG_NAME, is_record, project_for

if TYPE_CHECKING:
    from .validate import Problem, Target

HOOK_MARK = "# installed by `annot hook install`"
CHAINED_SUFFIX = ".before-annot"
# Set by the caller's git (Magit passes --literal-pathspecs), they would change what annot's own
# pathspecs match: `:(literal)` and the `events/*<id>.yaml` lookups mean git's default reading.
PATHSPEC_MODES = ("GIT_LITERAL_PATHSPECS", "GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS",
                  "GIT_ICASE_PATHSPECS")


# The paths git reads relative to the folder it is started in (before it moves to the top of
# the work tree: GIT_INDEX_FILE and the like it reads from there). annot runs git from the top,
# so a relative one set where annot was started is made absolute from there.
PATH_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE")


def environment() -> dict[str, str]:
    """The environment annot runs git in: the caller's, but for how pathspecs are read, and
    with git's paths absolute."""
    env = {key: value for key, value in os.environ.items() if key not in PATHSPEC_MODES}
    for key in PATH_VARIABLES:
        if env.get(key) and not os.path.isabs(env[key]):
            env[key] = os.path.abspath(env[key])
    return env


_started: dict[tuple[tuple[str, ...], Path], subprocess.Popen[bytes]] = {}


_asked: list[subprocess.Popen[bytes]] = []  # the git processes BlobReaders keep open


def start(args: Sequence[str], cwd: Path, *, asking: bool = False) -> None:
    """Start a git call that `git(args, cwd)` (or, `asking` it questions on its standard
    input, a BlobReader) will take later, so that git works while this process goes on
    (importing its parsers, say)."""
    try:
        _started[(tuple(args), cwd)] = subprocess.Popen(
            ["git", *args], cwd=cwd, stdin=subprocess.PIPE if asking else None, stdout=subprocess.PIPE,
            # Nothing reads a process's stderr while it is asked: a full pipe would stop it.
            stderr=subprocess.DEVNULL if asking else subprocess.PIPE, env=environment()
        )
    except OSError:
        pass  # said when the answer is asked for


def discard(args: Sequence[str], cwd: Path) -> None:
    """End a git call started for an answer nobody will take."""
    started = _started.pop((tuple(args), cwd), None)
    if started is not None:
        started.kill()
        started.communicate()


def end_started() -> None:
    """Leave no git call running that nobody took (trouble came first), and end the ones
    kept open for questions."""
    for key in list(_started):
        discard(*key)
    for asked in list(_asked):
        _end_asked(asked)


def _end_asked(asked: subprocess.Popen[bytes]) -> None:
    _asked.remove(asked)
    asked.communicate()  # closes its standard input: it has been asked everything


atexit.register(end_started)


def git(args: Sequence[str], cwd: Path, *, input: bytes | None = None) -> bytes:
    """Run git (or take the answer of the same call started earlier) and return its stdout;
    TroubleError with git's own words on failure."""
    started = _started.pop((tuple(args), cwd), None) if input is None else None
    try:
        if started is None:
            started = subprocess.Popen(
                ["git", *args], cwd=cwd, stdin=None if input is None else subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment()
            )
        with started:
            try:
                stdout, stderr = started.communicate(input)
            except BaseException:  # an interruption: leave no git behind, as subprocess.run does
                started.kill()
                raise
    except FileNotFoundError:
        raise TroubleError("git is not installed (or not on PATH)") from None
    if started.returncode != 0:
        message = stderr.decode("utf-8", "replace").strip().splitlines()
        command = args[2] if args[0] == "-c" else args[0]
        raise TroubleError(f"git {command}: {message[-1] if message else 'failed'}")
    return stdout


class NotInGit(TroubleError):
    """The folder is not inside a git work tree (git itself is there)."""


TOPLEVEL = ("rev-parse", "--show-toplevel")
# Paths from the top of the work tree wherever it runs: diff.relative (git 2.28) would make them
# relative to the folder; -c, unlike --no-relative, is understood by an older git too.
STAGED_CHANGES = ("-c", "diff.relative=false", "diff", "--cached", "--raw", "-z", "--no-renames",
                  "--no-abbrev")


BLOBS = ("cat-file", "--batch")


def start_staged_check(cwd: Path) -> None:
    """Start the git calls a check of what is staged begins with."""
    start(TOPLEVEL, cwd)
    start(STAGED_CHANGES, cwd)
    start(BLOBS, cwd, asking=True)


def toplevel(cwd: Path) -> Path:
    """The root of the git work tree holding `cwd`; NotInGit if there is none."""
    try:
        out = git(TOPLEVEL, cwd)
    except TroubleError as exc:
        if "not installed" in exc.message:
            raise
        raise NotInGit(f"{cwd} is not inside a git work tree") from None
    return Path(out.decode().strip())


def config(key: str, cwd: Path, value: str | None = None) -> str:
    """git config: the value of `key` ("" when unset), or set it to `value`."""
    if value is not None:
        git(["config", key, value], cwd)
        return value
    done = subprocess.run(["git", "config", "--get", key], cwd=cwd, capture_output=True, text=True,
                          env=environment())
    return done.stdout.strip()  # git config exits 1 for an unset key: that is ""


class BlobReader:
    """One `git cat-file --batch` kept open: reading a few files is a round trip to it, not
    a new git each time (the commit check reads the records, then their article)."""

    # Bytes of object ids written before their answers are read. A pipe holds at least a page
    # (Linux gives a user past its quota one-page pipes): a question that fits is taken whole
    # while git waits for its answers to be read, and neither side waits for the other.
    ASKED_AT_ONCE = 4096

    def __init__(self, cwd: Path) -> None:
        if (BLOBS, cwd) not in _started:  # else it was started with the commit check
            start(BLOBS, cwd, asking=True)
        process = _started.pop((BLOBS, cwd), None)
        if process is None:
            raise TroubleError("git is not installed (or not on PATH)")
        _asked.append(process)
        self._process = process

    def read(self, objects: Sequence[str]) -> list[bytes]:
        """The contents of git objects."""
        asking, answers = self._process.stdin, self._process.stdout
        assert asking is not None and answers is not None
        contents: list[bytes] = []
        per_round = max(1, self.ASKED_AT_ONCE // (max((len(o) for o in objects), default=1) + 1))
        try:
            for first in range(0, len(objects), per_round):
                chunk = objects[first : first + per_round]
                asking.write("".join(f"{o}\n" for o in chunk).encode())
                asking.flush()
                for name in chunk:
                    header = answers.readline().split()
                    if len(header) < 3 or header[1] == b"missing":
                        raise TroubleError(f"git object {name} is missing")
                    content = answers.read(int(header[2]) + 1)
                    if len(content) != int(header[2]) + 1:
                        raise TroubleError(f"git object {name} was cut short")
                    contents.append(content[:-1])
        except BrokenPipeError:
            raise TroubleError("git cat-file ended before it was asked everything") from None
        return contents

    def close(self) -> None:
        """Let the git process end."""
        if self._process in _asked:
            _end_asked(self._process)


class IndexTree:
    """Files as they are staged in git's index (what the next commit will hold).

    A path the index does not hold (an untracked or ignored source text) is
    read from the working tree, so a project that keeps article copies out of
    git can still check its quotes. The index is asked only about the paths a
    check needs: on every commit, in a repository of any size.
    """

    def __init__(self, cwd: Path) -> None:
        self.root = toplevel(cwd)
        self.cwd = cwd
        self._top = str(self.root).rstrip(os.sep) + os.sep
        self._entries: dict[str, tuple[bytes, str] | None] = {}  # path -> (mode, object); None: absent
        self._cache: dict[str, bytes] = {}
        self._foreseen: Foresight | None = None
        self._blobs: BlobReader | None = None
        self.unmerged: set[str] = set()  # the paths listed that are in conflict

    def listed(self, pathspecs: Sequence[str]) -> list[str]:
        """The staged paths (absolute) that `pathspecs` match, noting each one's entry."""
        found: list[str] = []
        for first in range(0, len(pathspecs), 1000):
            out = git(_listing(pathspecs[first : first + 1000]), self.root)
            for entry in out.split(b"\0"):
                if not entry:
                    continue
                meta, _, name = entry.partition(b"\t")
                mode, obj, stage = meta.split()
                path = self._top + os.fsdecode(name)
                if stage != b"0":
                    self.unmerged.add(path)
                    if stage != b"2":  # "ours" stands for the file in conflict when it is cited
                        continue
                self._entries[path] = (mode, obj.decode())
                found.append(path)
        return found

    def entry(self, path: str) -> tuple[bytes, str] | None:
        """The index's (mode, object id) for `path` (absolute, normalised), None if it has none."""
        if path not in self._entries:
            self._take_foreseen()
        if path not in self._entries:
            self._entries[path] = None
            if path.startswith(self._top):
                self.listed([_literal(path[len(self._top):])])
        return self._entries[path]

    def is_file(self, path: str) -> bool:
        """Whether the index holds `path` as a file (not a link, not a submodule)."""
        found = self.entry(path)
        return found is not None and not found[0].startswith((b"120", b"160"))

    def links_out(self, path: str | Path, root: Path) -> bool:
        """Whether the file on disk is a symbolic link out of `root`, as for the working tree
        (git's index holding a link where a record is is told apart: `staged_targets`)."""
        return links_out(path, root)

    def is_link(self, path: str) -> bool:
        """Whether the index holds `path` as a symbolic link."""
        found = self.entry(path)
        return found is not None and found[0].startswith(b"120")

    def prefetch(self, paths: Sequence[str]) -> None:
        """Read many staged files in one git call."""
        wanted = [p for p in paths if self.is_file(p) and p not in self._cache]
        objects = [self._object(p) for p in wanted]
        for path, content in zip(wanted, self._read_blobs(objects), strict=True):
            self._cache[path] = content

    def _read_blobs(self, objects: Sequence[str]) -> list[bytes]:
        if not objects:
            return []
        if self._blobs is None:
            self._blobs = BlobReader(self.cwd)
        return self._blobs.read(objects)

    def _object(self, path: str) -> str:
        found = self._entries[path]
        assert found is not None
        return found[1]

    def read(self, path: str | Path) -> bytes:
        """The staged content of `path`, else the working tree's."""
        key = os.path.normpath(str(path))
        if key in self._cache:
            return self._cache[key]
        if self.is_file(key):  # which may read it, with what was foreseen
            if key not in self._cache:
                self._cache[key] = self._read_blobs([self._object(key)])[0]
            return self._cache[key]
        if not inside(key, self.root):  # a link, staged or on disk, is followed only inside
            raise OSError(errno.EACCES, "outside the repository through a symbolic link")
        return read_regular(key)

    def records_under(self, folder: Path, within: Path | None = None) -> list[str]:
        """Staged record files below `folder` (the index holds no links to follow)."""
        found = self.listed([_literal(self._relative(folder))])
        return [p for p in found if p.endswith(RECORD_SUFFIXES) and self.is_file(p)]

    def records_named(self, folder: Path, within: Path | None, stems: set[str],
                      skip: set[str] | None = None) -> dict[str, list[str]]:
        """Staged record files below `folder` whose stem is one of `stems`: only those are
        listed when the stems are few and plain (the usual commit), else all of them."""
        self._take_foreseen()
        foreseen = self._foreseen
        specs = self._named_specs(folder, stems)
        if foreseen is not None and foreseen.answers(folder, stems):
            assert foreseen.found is not None
            below = self._top + self._below(folder)
            found = [p for p in foreseen.found if p.startswith(below) and p.endswith(RECORD_SUFFIXES)
                     and self.is_file(p)]
        elif specs is not None:
            found = [p for p in self.listed(specs) if self.is_file(p)]
        else:
            found = self.records_under(folder, within)
        named: dict[str, list[str]] = {}
        for path in found:
            stem = record_stem(path)
            if stem in stems and path not in (skip or ()):
                named.setdefault(stem, []).append(path)
        return named

    def _named_specs(self, folder: Path, stems: set[str]) -> list[str] | None:
        """Pathspecs for the records below `folder` named by `stems`, when the stems are few
        and plain (the usual commit); None to list every record instead."""
        below = self._below(folder)
        if len(stems) > 200 or not all(_PLAIN.fullmatch(stem) for stem in stems) \
                or any(c in below for c in "*?[\\"):
            return None
        # One `*` then a literal: git's fast suffix match (a `:(glob)` with `**` is 4x slower
        # on a large index). `*` also matches a longer stem, or one in a subfolder: the stems
        # are sorted out by the caller.
        return [f"{below}*{stem}{suffix}" for stem in sorted(stems) for suffix in RECORD_SUFFIXES]

    def _below(self, folder: Path) -> str:
        relative = self._relative(folder)
        return "" if relative == "." else relative + "/"

    def _relative(self, folder: Path) -> str:
        return os.path.relpath(os.path.normpath(str(folder)), self.root)

    def foresee(self, paths: Sequence[Path], folder: Path, stems: set[str]) -> bool:
        """Start listing, in the background, what a check is about to ask of the index: the
        files `paths` and the records below `folder` named by `stems`. git lists them while
        the record is checked against the schema; the first question takes the answer, and
        the files found are read in one go. Only the first record of a run is foreseen."""
        if self._foreseen is not None:
            return False
        wanted = [os.path.normpath(str(p)) for p in paths if str(p).startswith(self._top)]
        named = self._named_specs(folder, stems)
        specs = [_literal(p[len(self._top):]) for p in wanted] + (named or [])
        self._foreseen = Foresight(specs, wanted, folder, None if named is None else stems)
        if specs:
            start(_listing(specs), self.root)
        return False

    def _take_foreseen(self) -> None:
        foreseen = self._foreseen
        if foreseen is None or foreseen.taken:
            return
        foreseen.taken = True
        if not foreseen.specs:
            return
        try:
            found = self.listed(foreseen.specs)
        except (TroubleError, OSError):
            return  # each path is asked again alone when it is needed, and says its own trouble
        foreseen.found = found
        for path in foreseen.paths:
            self._entries.setdefault(path, None)
        stems = foreseen.stems or set()
        self.prefetch([p for p in found if p in foreseen.paths
                       or p.endswith(RECORD_SUFFIXES) and record_stem(p) in stems])

    def close(self) -> None:
        """End the git processes this tree keeps: its open cat-file, a listing nobody took."""
        foreseen = self._foreseen
        if foreseen is not None and not foreseen.taken and foreseen.specs:
            discard(_listing(foreseen.specs), self.root)
        if self._blobs is not None:
            self._blobs.close()
            self._blobs = None

    def changes(self) -> tuple[list[str], list[str], list[str]]:
        """Staged files added, copied, modified or changed in type since HEAD, files the
        commit deletes (a renamed file counts as both), and files in conflict (a merge not yet
        resolved), all absolute; one git call."""
        out = git(STAGED_CHANGES, self.cwd)
        changed: list[str] = []
        removed: list[str] = []
        unmerged: list[str] = []
        fields = out.split(b"\0")
        for meta, name in zip(fields[0:-1:2], fields[1::2], strict=True):
            _, mode, _, obj, status = meta.split()
            path = os.path.normpath(self._top + os.fsdecode(name))
            if status == b"D":
                removed.append(path)
            elif status in (b"A", b"C", b"M", b"T"):
                self._entries[path] = (mode, obj.decode())
                changed.append(path)
            elif status == b"U":
                unmerged.append(path)
        return changed, removed, unmerged

    def citing(self, identifiers: Sequence[str]) -> list[str]:
        """Staged files whose text names any of `identifiers` (git grep on the index)."""
        if not identifiers:
            return []
        patterns = [arg for i in identifiers for arg in ("-e", i)]
        done = subprocess.run(["git", "grep", "--cached", "-l", "-z", "-F", *patterns],
                              cwd=self.root, capture_output=True, check=False, env=environment())
        if done.returncode not in (0, 1):  # 1: nothing found
            raise TroubleError(f"git grep: {done.stderr.decode('utf-8', 'replace').strip()}")
        return [os.path.normpath(os.path.join(self.root, os.fsdecode(n)))
                for n in done.stdout.split(b"\0") if n]


_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # a stem no pathspec reads as a pattern


def _listing(pathspecs: Sequence[str]) -> list[str]:
    return ["ls-files", "--stage", "-z", "--", *pathspecs]


class Foresight:
    """What IndexTree.foresee started listing (the records named by `stems` below `folder`
    only when `stems` is not None), and what the listing found."""

    def __init__(self, specs: list[str], paths: list[str], folder: Path, stems: set[str] | None) -> None:
        self.specs, self.paths, self.folder = specs, paths, folder
        self.stems = None if stems is None else set(stems)
        self.taken = False
        self.found: list[str] | None = None  # None: never listed, or the listing failed

    def answers(self, folder: Path, stems: set[str]) -> bool:
        """Whether what was found holds every record below `folder` named by `stems`."""
        return self.found is not None and self.stems is not None and folder == self.folder \
            and stems <= self.stems


def _literal(relative: str) -> str:
    """A pathspec for exactly this path (and, for a folder, what is below it)."""
    return "." if relative == "." else ":(literal)" + relative


def staged_targets(paths: Sequence[str], cwd: Path) -> tuple[list[Target], IndexTree, list[Problem]]:
    """The staged records to check: those changed, or those under `paths`; and a problem
    for each staged symbolic link where a record would be, and each record in conflict."""
    from .validate import ERROR, Problem, Target

    tree = IndexTree(cwd)
    if paths:
        inside_root = [os.path.normpath(os.path.join(cwd, given)) for given in paths]
        listed = tree.listed([_literal(os.path.relpath(p, tree.root)) for p in inside_root
                              if p == str(tree.root) or p.startswith(str(tree.root).rstrip(os.sep) + os.sep)])
        unmerged = [p for p in dict.fromkeys(listed) if p in tree.unmerged]
        wanted = [p for p in listed if p not in tree.unmerged]
    else:
        changed, removed, unmerged = tree.changes()
        # A deleted or renamed record takes its id away: the records that cite it
        # must be checked too, or `related` breaks without a word.
        gone = [Path(p).stem for p in removed if is_record(p)]
        citing = tree.citing(gone)
        tree.listed([_literal(os.path.relpath(p, tree.root)) for p in citing if p not in changed])
        wanted = changed + citing
        settings = [p for p in changed + removed if os.path.basename(p) == CONFIG_NAME]
        if settings:  # the commit changes a project's settings: every record of it is checked
            _settings_staged_as_they_are(tree, settings, cwd)
            folders = {project_for(Path(p).parent).events_dir for p in settings}
            wanted += tree.listed([_literal(os.path.relpath(folder, tree.root)) for folder in folders])
    chosen = sorted({p for p in wanted if is_record(p) and (tree.is_file(p) or tree.is_link(p))},
                    key=lambda p: p.split(os.sep))
    targets = [Target(shown_path(Path(p), cwd), p) for p in chosen if not tree.is_link(p)]
    found = [Problem(shown_path(Path(p), cwd), 1, 1, "", "yaml", ERROR,
                     "a symbolic link in git's index, not a record file") for p in chosen if tree.is_link(p)]
    found += [Problem(shown_path(Path(p), cwd), 1, 1, "", "yaml", ERROR,
                      "in conflict in git's index (a merge not yet resolved): resolve it, then `git add` it")
              for p in sorted(unmerged, key=lambda p: p.split(os.sep)) if is_record(p)]
    tree.prefetch([t.path for t in targets])
    return targets, tree, found


def _settings_staged_as_they_are(tree: IndexTree, settings: list[str], cwd: Path) -> None:
    """TroubleError unless each annot.yaml the commit changes is in the working tree as staged:
    the check reads a project's settings from the working tree, and must read those committed."""
    for path in settings:
        try:
            staged = tree.read(Path(path)) if tree.entry(path) is not None else None
        except OSError:
            staged = None
        try:
            here = read_regular(path)
        except OSError:
            here = None
        if staged != here:
            shown = shown_path(Path(path), cwd)
            raise TroubleError(f"{shown} differs between git's index and the working tree; the check reads "
                               f"the settings the commit holds from the working tree: stage it "
                               f"(git add {shown}) or restore it (git restore {shown}) first")


def merge_text(base: Path, ours: Path, theirs: Path) -> int:
    """git merge-file: THEIRS's changes since BASE merged as text into OURS; the conflicts left."""
    try:
        done = subprocess.run(["git", "merge-file", "--", str(ours), str(base), str(theirs)],
                              capture_output=True, check=False, env=environment())
    except FileNotFoundError:
        raise TroubleError("git is not installed (or not on PATH)") from None
    if done.returncode < 0 or done.returncode > 127:
        raise TroubleError(f"git merge-file: {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.returncode


# Revisions ----------------------------------------------------------------


def has_commit(cwd: Path) -> bool:
    """Whether the repository at `cwd` has a commit (HEAD names one); TroubleError outside git."""
    toplevel(cwd)
    return subprocess.run(["git", "rev-parse", "--verify", "--quiet", "HEAD^{commit}"], cwd=cwd,
                          capture_output=True, check=False, env=environment()).returncode == 0


def resolve_revision(revision: str, cwd: Path) -> str:
    """The commit a revision names; TroubleError if git knows none."""
    if revision.startswith("-"):
        raise TroubleError(f"unknown revision '{revision}'")
    done = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"],
        cwd=cwd, capture_output=True, check=False, env=environment(),
    )
    if done.returncode != 0:
        raise TroubleError(f"unknown revision '{revision}' (not a commit git knows here)")
    return done.stdout.decode().strip()


def records_at(revision: str, cwd: Path, paths: Sequence[str]) -> list[tuple[str, bytes]]:
    """(shown path, content) of each record file in a commit, under `paths` if given."""
    root = toplevel(cwd)
    commit = resolve_revision(revision, cwd)
    entries = []
    for entry in git(["ls-tree", "-r", "-z", "--full-tree", commit], root).split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        if entry:
            mode, kind, obj = meta.split()
            if kind == b"blob":
                entries.append((mode, obj, name))
    return _records_among(entries, root, cwd, paths)


def records_staged(cwd: Path, paths: Sequence[str]) -> tuple[list[tuple[str, bytes]], list[str]]:
    """(shown path, content) of each record file as git's index holds it (the next commit),
    under `paths` if given; and the shown paths of the records in conflict (unmerged), which
    the index holds no one version of."""
    root = toplevel(cwd)
    entries, conflicted = [], []
    for entry in git(["ls-files", "-s", "-z"], root).split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        if entry:
            mode, obj, stage = meta.split()
            if stage == b"0":
                entries.append((mode, obj, name))
            elif stage == b"2":  # "ours": one entry for each path in conflict
                conflicted.append((mode, obj, name))
    return (_records_among(entries, root, cwd, paths),
            [shown for shown, _ in _records_among(conflicted, root, cwd, paths)])


def _records_among(entries: list[tuple[bytes, bytes, bytes]], root: Path, cwd: Path,
                   paths: Sequence[str]) -> list[tuple[str, bytes]]:
    """The record files among git's (mode, object, path from the top) entries, read."""
    chosen: list[tuple[str, str]] = []
    for mode, obj, name in entries:
        path = os.path.normpath(os.path.join(root, os.fsdecode(name)))
        if mode.startswith(b"100") and _wanted(path, cwd, paths):  # a file: not a link nor a submodule
            chosen.append((path, obj.decode()))
    reader = BlobReader(root)
    try:
        contents = reader.read([obj for _, obj in chosen])
    finally:
        reader.close()
    return [(shown_path(Path(p), cwd), c) for (p, _), c in zip(chosen, contents, strict=True)]


def _wanted(path: str, cwd: Path, paths: Sequence[str]) -> bool:
    if not is_record(path):
        return False
    if not paths:
        return True
    for given in paths:
        full = os.path.normpath(os.path.join(cwd, given))
        if path == full or path.startswith(full + os.sep):
            return True
    return False


# The pre-commit hook ------------------------------------------------------


def _linked_hooks(cwd: Path) -> str | None:
    """The hooks folder as git names it, when it (or a folder on the way) is a symbolic link."""
    named = cwd / git(["rev-parse", "--git-path", "hooks"], cwd).decode().strip()
    if os.path.realpath(named) != os.path.abspath(named):
        return os.path.relpath(named, cwd)
    return None


def hooks_dir(cwd: Path) -> Path:
    """The folder git runs hooks from (honours core.hooksPath and worktrees)."""
    toplevel(cwd)
    out = git(["rev-parse", "--git-path", "hooks"], cwd).decode().strip()
    return (cwd / out).resolve()


def annot_command() -> str:
    """How the hook runs this annot: its console script, else its interpreter."""
    import shlex

    script = Path(sys.executable).parent / ("annot.exe" if os.name == "nt" else "annot")
    if script.exists():
        return shlex.quote(str(script))
    return f"{shlex.quote(sys.executable)} -m annot"


def hook_script() -> str:
    """The pre-commit hook: this very annot, else the one on PATH."""
    command = annot_command()
    first = command.split(" ", 1)[0]
    return f"""#!/bin/sh
{HOOK_MARK}; `annot hook uninstall` removes it.
# Refuses a commit whose staged records break the schema. Skip once with: git commit --no-verify
case $0 in */*) here="${{0%/*}}" ;; *) here=. ;; esac
chained="$here/pre-commit{CHAINED_SUFFIX}"
if [ -x "$chained" ]; then "$chained" "$@" || exit $?; fi
if [ -x {first} ]; then exec {command} validate --staged; fi
exec annot validate --staged
"""


def _ours(path: Path) -> bool:
    if path.is_symlink():
        return False  # annot writes a file; a link (maybe out of the repository) is someone else's
    try:
        return HOOK_MARK in read_regular(path).decode("utf-8", "replace")
    except OSError:
        return False


def install_hook(cwd: Path, chain: bool = False) -> str:
    """Write the pre-commit hook; never clobber one annot did not write."""
    folder = hooks_dir(cwd)
    linked = _linked_hooks(cwd)
    if linked:
        raise TroubleError(f"{linked} is a symbolic link; annot does not write a hook through it")
    hook = folder / "pre-commit"
    chained = folder / f"pre-commit{CHAINED_SUFFIX}"
    if (hook.exists() or hook.is_symlink()) and not _ours(hook):
        if not chain:
            raise AnnotError(
                f"{hook} exists and was not written by annot; not touching it. "
                "Run `annot hook install --chain` to run it first and annot after it."
            )
        if chained.exists():
            raise AnnotError(f"{chained} exists already; move it away first")
        hook.rename(chained)
    folder.mkdir(parents=True, exist_ok=True)
    _write_atomic(hook, hook_script())
    hook.chmod(0o755)
    note = f" (runs {chained.name} first)" if chained.exists() else ""
    return f"installed {hook}{note}"


def uninstall_hook(cwd: Path) -> str:
    """Remove the hook annot wrote (and put back a hook it chained to)."""
    folder = hooks_dir(cwd)
    hook = folder / "pre-commit"
    chained = folder / f"pre-commit{CHAINED_SUFFIX}"
    if not hook.exists():
        return f"no pre-commit hook in {folder}"
    if not _ours(hook):
        raise AnnotError(f"{hook} was not written by annot; not touching it")
    hook.unlink()
    if chained.exists():
        chained.rename(hook)
        return f"removed annot's hook from {hook}; restored the hook it ran first"
    return f"removed {hook}"


def hook_status(cwd: Path) -> tuple[bool, str]:
    """Whether annot's hook is installed, and a sentence saying so."""
    folder = hooks_dir(cwd)
    hook = folder / "pre-commit"
    if not hook.exists():
        return False, f"not installed: no pre-commit hook in {folder}"
    if not _ours(hook):
        return False, f"not installed: {hook} is another tool's hook (see `annot hook install --chain`)"
    chained = folder / f"pre-commit{CHAINED_SUFFIX}"
    extra = f", running {chained.name} first" if chained.exists() else ""
    return True, f"installed: {hook}{extra}"


def _write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.annot-tmp")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)
