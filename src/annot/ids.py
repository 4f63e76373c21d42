"""A record's id: derived from its date, place and participants, unique in the repository."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .errors import AnnotError
from .names import slug

MAX_ID = 80


def derive_id(record: dict[str, Any]) -> str:
    """An id from the date, the place and who took part: 2026-02-02-bamako-diop-checker."""
    parts = [str(record.get("date") or "")]
    location = record.get("location")
    if isinstance(location, dict) and location.get("place"):
        parts.append(str(location["place"]))
    for person in record.get("participants") or []:
        if isinstance(person, dict) and person.get("role") != "attendee":
            parts.append(str(person.get("ref") or person.get("actor") or person.get("name") or ""))
    identifier = "-".join(p for p in (slug(x) for x in parts) if p)
    if len(identifier) > MAX_ID:
        identifier = identifier[:MAX_ID].rsplit("-", 1)[0]
    return identifier or "event"


def candidates(identifier: str) -> Iterator[str]:
    """`identifier`, then it with -2, -3...: the ids `unique_id` tries in turn."""
    yield identifier
    for n in range(2, 10_000):
        suffix = f"-{n}"
        yield identifier[: MAX_ID - len(suffix)] + suffix


def unique_id(identifier: str, taken: set[str]) -> str:
    """`identifier`, or it with -2, -3... when the repository has it already."""
    free = next((candidate for candidate in candidates(identifier) if candidate not in taken), None)
    if free is None:
        raise AnnotError(f"no free id near {identifier}")
    return free
