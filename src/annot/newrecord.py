"""A new record's annotation: who annotates it, and when.

The other jobs of making a record live in their own modules: `settings`
(typing --set values), `ids` (deriving ids), `emit` (the YAML) and
`atomic` (writing).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from .atomic import write_atomic

__all__ = ["git_annotator", "now_utc", "write_atomic"]  # scaffold imports write_atomic from here


def now_utc() -> str:
    """The current time as ISO 8601, to the second, in UTC."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def git_annotator(cwd: Path) -> str | None:
    """`Name <email>` from git config, or None when git has no user (or no git)."""
    from .gitio import config

    def get(key: str) -> str:
        try:
            return config(key, cwd)
        except OSError:
            return ""

    name, email = get("user.name"), get("user.email")
    if name and email:
        return f"{name} <{email}>"
    return name or (f"<{email}>" if email else None)
