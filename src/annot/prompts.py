"""Asking an annotator for a record, field by field, with Rich prompts.

Every answer is checked as it is given, and a wrong one is asked again
with the reason; fields already set (by --set or --from) are not asked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import vocabulary as vocab
from .dates import real_date
from .names import slug
from .schema import RecordSchema
from .suggest import did_you_mean

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
        self.countries = list(defs.get("entity", defs.get("country", {})).get("enum", []))
        plover = vocab.plover()
        self.meanings: dict[str, dict[str, str]] = {
            "type": {t.code: t.meaning for t in plover.types},
            "topic": {c.code: c.meaning for c in plover.contexts},
            "role": dict(vocab.ROLES),
        } if schema.builtin else {}
        self.statuses = list(
            properties.get("annotation", {}).get("properties", {}).get("status", {}).get("enum", []))

    def text(self, label: str, *, default: str | None = None, required: bool = False,
             check: Check | None = None, choices: list[str] | None = None,
             meanings: dict[str, str] | None = None) -> str | None:
        """One answer; empty means none unless `required`. Wrong answers are asked again.

        `?` lists the choices (with their meanings where known) and asks again.
        """
        from rich.markup import escape
        from rich.prompt import Prompt

        if choices and len(choices) > 8:
            self.console.print(f"[dim]{', '.join(choices)}[/dim] [dim](? explains them)[/dim]")
        while True:
            hint = f" [dim]({'/'.join(choices)})[/dim]" if choices and len(choices) <= 8 else ""
            answer = Prompt.ask(f"{label}{hint}", console=self.console, default=default or "",
                                show_default=bool(default)).strip()
            if answer == "?" and (choices or meanings):
                for code in choices or list(meanings or {}):
                    meaning = (meanings or {}).get(code, "")
                    self.console.print(f"  [bold]{escape(code)}[/bold]  {escape(meaning)}".rstrip())
                continue
            if not answer:
                if required:
                    self.console.print("[red]An answer is needed here.[/red]")
                    continue
                return None
            why = None
            if choices and answer not in choices and answer.lower() in choices:
                answer = answer.lower()  # Consult is consult
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
        if self.country_code(answer):
            return None
        from .suggest import closest

        names = {c.meaning: c.code for c in vocab.countries()}
        name = closest(answer, list(names)) if len(answer) > 3 else None
        hint = (f" (did you mean {names[name]}, {name}?)" if name
                else did_you_mean(answer.upper(), self.countries))
        return f"'{answer}' is neither an ISO 3166-1 alpha-3 code nor a country's name" + hint

    def country_code(self, answer: str) -> str | None:
        """The code an answer means: a code in any case, or a country's name (Mali -> MLI)."""
        if answer.upper() in self.countries:
            return answer.upper()
        from .names import fold

        wanted = fold(answer)
        return next((c.code for c in vocab.countries() if fold(c.meaning) == wanted), None)

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

        ask("type", "Event type (PLOVER)", choices=self.types, required=True,
            meanings=self.meanings.get("type"))
        event_type = vocab.plover().type(str(record.get("type"))) if self.schema.builtin else None
        if event_type and event_type.modes:
            ask("mode", "Mode (empty if none fits)", choices=[m.code for m in event_type.modes],
                meanings={m.code: m.meaning for m in event_type.modes})
        if self.schema.builtin:
            answer = self.text("Factuality", choices=list(vocab.FACTUALITY), default="asserted")
            if answer and answer != "asserted" and "factuality" not in record:
                record["factuality"] = answer
        ask("date", "Date", required=True, check=self.date)
        ask("end_date", "End date (empty if one day)", check=self.date)
        if "location" not in record:
            location = CommentedMap()
            ask("place", "Place", location)
            country = self.text("Country (ISO alpha-3, e.g. MLI)", check=self.country)
            if country:
                location["country"] = self.country_code(country)
            if location:
                ask("basis", "Does the article state the place or imply it?", location,
                    choices=list(vocab.BASES), default="stated")
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
                country = self.text("Country (ISO alpha-3, or IGO, UNO, EUR, NGO...)", check=self.country)
                if country:
                    person["country"] = self.country_code(country)
                person["role"] = self.text("Role", choices=self.roles, required=True,
                                           meanings=self.meanings.get("role"))
                people.append(person)
                if not self.yes("Another participant?", default=len(people) < 2):
                    break
            record["participants"] = people
        if "topics" not in record:
            listed = ", ".join(self.vocabulary[:12]) + (", ..." if len(self.vocabulary) > 12 else "")
            answer = self.text(f"Topics, comma-separated; ? lists them ({listed})", check=self.topics,
                               meanings=self.meanings.get("topic") or dict.fromkeys(self.vocabulary, ""))
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
