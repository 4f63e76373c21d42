"""Asking an annotator for a record, field by field, with Rich prompts.

Every answer is checked as it is given, and a wrong one is asked again
with the reason; fields already set (by --set or --from) are not asked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .newrecord import slug
from .schema import RecordSchema
from .suggest import did_you_mean
from .validate import real_date

Check = Callable[[str], str | None]  # an answer -> why it is wrong, or None


class Asker:
    """Prompts on one Rich console, with the vocabularies of one schema."""

    def __init__(self, console: Any, schema: RecordSchema, vocabulary: tuple[str, ...],
                 root: Path) -> None:
        self.console = console
        self.schema = schema
        self.vocabulary = vocabulary
        self.root = root
        defs = schema.raw.get("$defs", {})
        properties = schema.raw.get("properties", {})
        self.types = list(properties.get("type", {}).get("enum", []))
        self.modes = list(properties.get("mode", {}).get("enum", []))
        self.roles = list(defs.get("participant", {}).get("properties", {}).get("role", {}).get("enum", []))
        self.countries = list(defs.get("country", {}).get("enum", []))
        self.statuses = list(
            properties.get("annotation", {}).get("properties", {}).get("status", {}).get("enum", []))

    def text(self, label: str, *, default: str | None = None, required: bool = False,
             check: Check | None = None, choices: list[str] | None = None) -> str | None:
        """One answer; empty means none unless `required`. Wrong answers are asked again."""
        from rich.prompt import Prompt

        if choices and len(choices) > 8:
            self.console.print(f"[dim]{', '.join(choices)}[/dim]")
        while True:
            hint = f" [dim]({'/'.join(choices)})[/dim]" if choices and len(choices) <= 8 else ""
            answer = Prompt.ask(f"{label}{hint}", console=self.console, default=default or "",
                                show_default=bool(default)).strip()
            if not answer:
                if required:
                    self.console.print("[red]An answer is needed here.[/red]")
                    continue
                return None
            why = None
            if choices and answer not in choices:
                why = f"'{answer}' is not one of {', '.join(choices[:20])}" + did_you_mean(answer, choices)
            elif check:
                why = check(answer)
            if why is None:
                return answer
            self.console.print(f"[red]{why}[/red]")

    def yes(self, question: str, default: bool = False) -> bool:
        """A yes/no answer."""
        from rich.prompt import Confirm

        return bool(Confirm.ask(question, console=self.console, default=default))

    # Checks --------------------------------------------------------------

    def date(self, answer: str) -> str | None:
        return None if real_date(answer) else "a date like 2026-02-02, 2026-02 or 2026 (a real one)"

    def country(self, answer: str) -> str | None:
        if answer.upper() in self.countries:
            return None
        return f"'{answer}' is not an ISO 3166-1 alpha-3 code" + did_you_mean(answer.upper(), self.countries)

    def topics(self, answer: str) -> str | None:
        unknown = [t for t in _split(answer) if self.vocabulary and t not in self.vocabulary]
        if not unknown:
            return None
        return f"'{unknown[0]}' is not a known topic" + did_you_mean(unknown[0], list(self.vocabulary))

    def slug_check(self, answer: str) -> str | None:
        return None if slug(answer) == answer else f"use a slug such as '{slug(answer) or 'x'}'"

    def source_file(self, answer: str) -> str | None:
        return None if (self.root / answer).is_file() else f"no file {answer} under {self.root}"

    # The record ----------------------------------------------------------

    def fill(self, record: dict[str, Any]) -> None:
        """Ask for every field the record does not have yet, in the record's order."""
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        def ask(key: str, label: str, target: dict[str, Any] = record, **options: Any) -> None:
            if key in target:
                return
            answer = self.text(label, **options)
            if answer is not None:
                target[key] = answer

        ask("type", "Event type (PLOVER)", choices=self.types, required=True)
        if record.get("type") == "consult":
            ask("mode", "Mode", choices=self.modes)
        ask("date", "Date", required=True, check=self.date)
        ask("end_date", "End date (empty if one day)", check=self.date)
        if "location" not in record:
            location = CommentedMap()
            ask("place", "Place", location)
            country = self.text("Country (ISO alpha-3, e.g. MLI)", check=self.country)
            if country:
                location["country"] = country.upper()
            if location:
                ask("precision", "Does the article state the place or imply it?", location,
                    choices=["stated", "inferred"], default="stated")
                record["location"] = location
        if "participants" not in record:
            people = CommentedSeq()
            while True:
                self.console.print(f"[bold]Participant {len(people) + 1}[/bold]")
                person = CommentedMap()
                name = self.text("Name (empty if the article names nobody)")
                title = self.text("Title", required=name is None)
                suggested = slug(name.split()[-1]) if name else slug(title or "")
                person["ref"] = self.text("Ref", default=suggested or None, required=True,
                                          check=self.slug_check)
                person["name"] = name
                if title:
                    person["title"] = title
                organization = self.text("Organization")
                if organization:
                    person["organization"] = organization
                country = self.text("Country (ISO alpha-3; empty for an international body)",
                                    check=self.country)
                if country:
                    person["country"] = country.upper()
                person["role"] = self.text("Role", choices=self.roles, required=True)
                people.append(person)
                if not self.yes("Another participant?", default=len(people) < 2):
                    break
            record["participants"] = people
        if "topics" not in record:
            listed = ", ".join(self.vocabulary[:12]) + (", ..." if len(self.vocabulary) > 12 else "")
            answer = self.text(f"Topics, comma-separated ({listed})", required=True, check=self.topics)
            record["topics"] = _split(answer or "")
        ask("summary", "Summary (one or two sentences)")
        if "source" not in record:
            source = CommentedMap()
            ask("url", "Source URL", source)
            ask("title", "Source title", source)
            ask("language", "Language of the article (BCP 47, e.g. fr)", source)
            ask("text", "Plain-text copy (path from the repository root)", source,
                check=self.source_file, required="url" not in source)
            record["source"] = source
        if "evidence" not in record and self.yes("Add evidence quotes?", default=True):
            evidence = CommentedSeq()
            while True:
                about = self.text("About (a pointer such as /date or /participants/0)", required=True,
                                  check=lambda a: None if _resolves(record, a) else
                                  f"{a} points at nothing in the record so far")
                quote = self.text("Quote, as the article words it", required=True)
                evidence.append(CommentedMap([("about", about), ("quote", quote)]))
                if not self.yes("Another quote?", default=True):
                    break
            record["evidence"] = evidence

    def annotation(self, annotation: dict[str, Any], annotator: str | None) -> None:
        """Ask who annotates, defaulting to git's user."""
        if "annotator" not in annotation:
            annotation["annotator"] = self.text("Annotator", default=annotator, required=True)


def _split(answer: str) -> list[str]:
    return [part.strip() for part in answer.split(",") if part.strip()]


def _resolves(record: dict[str, Any], pointer: str) -> bool:
    from .records import resolve_pointer

    try:
        resolve_pointer(record, pointer)
    except KeyError:
        return False
    return True
