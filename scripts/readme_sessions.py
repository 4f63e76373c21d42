"""The README's `annot add` and `annot edit` sessions, run for real at a pseudo-terminal.

    python scripts/readme_sessions.py          # prints the transcripts
    python scripts/readme_sessions.py --write  # puts them in README.md

tests/test_sessions.py checks that README.md shows exactly these transcripts.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CREATED = "2026-11-26T10:00:00Z"
ADD_ANSWERS = [
    "Consult", "?", "visit", "", "2026-02-02", "2026-02-01", "", "Bamako", "MAL", "Mali", "inferred",
    "", "", "", "4",
    "Abdoulaye Diop", "Minister of Foreign Affairs", "recipient", "", "", "y",
    "nick-cheker", "nick-checker", "", "actor", "", "", "n",
    "diplomatic, terorism, meet", "diplomatic, terrorism",
    "Mali's foreign minister received a senior U.S. official.",
    "", "", "", "", "French", "fr", "sources/mali-usa-audience-2026-02-02.fr.txt",
    "y", "/date", "Le 2 février 2026", "", "y",
    "/participants/1", "M. Nick Checker, haut fonctionnaire du Bureau des Affaires américaines",
    "M. Nick Checker, haut fonctionnaire du Bureau des Affaires africaines", "", "n",
    "", "", "",
]


def desk(where: Path) -> Path:
    """A repository like examples/, without its records."""
    root = where / "desk"
    shutil.copytree(PROJECT / "examples", root, ignore=shutil.ignore_patterns("events"))
    (root / "events").mkdir()
    config = where / "gitconfig"
    config.write_text("[user]\n\tname = Jane Doe\n\temail = jane@example.org\n")
    return root


def labels(root: Path, answers: list[str]) -> list[str]:
    """The prompt each answer is typed at, as the question core asks them."""
    sys.path.insert(0, str(PROJECT / "src"))
    from annot import adding
    from annot.project import project_for
    from annot.questions import Session
    from annot.validate import schema_for

    project = project_for(root)
    schema = schema_for(project)
    asked = Session(adding.start(None, root).record, adding.context(project, schema, "Jane Doe"))
    found = []
    for answer in answers:
        assert asked.current is not None, answer
        found.append(asked.current.label)
        if answer != "?":
            asked.give(answer)
    return found


def session(args: list[str], cwd: Path, answers: list[str], where: Path) -> str:
    """What the terminal shows while `annot ARGS` is answered, each answer at its prompt."""
    import io

    import pexpect

    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm", "COLUMNS": "160",
           "GIT_CONFIG_GLOBAL": str(where / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"}
    env.pop("FORCE_COLOR", None)
    child = pexpect.spawn(sys.executable, ["-m", "annot", *args], cwd=str(cwd), env=env, encoding="utf-8",
                          timeout=30, dimensions=(50, 160))
    shown = io.StringIO()
    child.logfile_read = shown
    for label, answer in zip(labels(cwd, answers) if answers else [], answers, strict=True):
        child.expect_exact(label)
        child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    text = re.sub(r"\x1b\[[?0-9;]*[a-zA-Z]", "", shown.getvalue()).replace("\r\n", "\n").replace("\r", "")
    text = "\n".join(line.rstrip() for line in text.split("\n"))  # a prompt's blank after an empty answer
    return f"$ annot {' '.join(args)}\n" + re.sub(r"(created|updated): \S+", rf"\1: {CREATED}", text)


def transcripts() -> dict[str, str]:
    """The add session with the record it wrote, and an edit with its diff."""
    with tempfile.TemporaryDirectory() as folder:
        where = Path(folder)
        root = desk(where)
        add = session(["add"], root, ADD_ANSWERS, where)
        record = (root / "events" / "2026-02-02-bamako-diop-checker.yaml").read_text("utf-8")
        edit = session(["edit", "2026-02-02-bamako-diop-checker", "--no-input", "--yes", "--set",
                        "factuality=historical"], root, [], where)
        return {"add": add, "record": re.sub(r"created: \S+", f"created: {CREATED}", record), "edit": edit}


# Where each transcript goes in README.md: the text that opens its fenced block.
OPENINGS = {"add": "```console\n$ annot add\n", "record": "the annotator from `git config`:\n\n```yaml\n",
            "edit": "```console\n$ annot edit "}


def write_readme() -> None:
    """Replace each transcript's block in README.md."""
    readme = PROJECT / "README.md"
    text = readme.read_text("utf-8")
    for name, transcript in transcripts().items():
        fence = text.index("```", text.index(OPENINGS[name]))
        start = text.index("\n", fence) + 1
        end = text.index("```", start)
        text = text[:start] + transcript.rstrip() + "\n" + text[end:]
    readme.write_text(text, "utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write_readme()
    else:
        for name, text in transcripts().items():
            print(f"--- {name}\n{text}")
