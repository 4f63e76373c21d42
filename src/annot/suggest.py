""""Did you mean ...?" for a misspelt key, value or topic."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any


def did_you_mean(word: Any, choices: Sequence[str]) -> str:
    """` (did you mean 'x'?)` for the choice most like `word`, or nothing."""
    best = closest(word, choices)
    return f" (did you mean '{best}'?)" if best is not None else ""


def closest(word: Any, choices: Sequence[str]) -> str | None:
    """The choice most like `word`, if any is close enough to be a misspelling of it.

    Similar letters count first, then a shared beginning: `MLO` suggests
    `MLI` rather than `MOZ`. A long shared stretch counts too:
    `counterterror` suggests `terrorism`; `visitor` suggests nothing.
    """
    if not isinstance(word, str) or not choices or len(word) > 100:
        return None  # nothing that long is a misspelling, and comparing it would take minutes
    import difflib

    lowered = word.lower()

    def likeness(choice: str) -> tuple[float, int, int]:
        other = choice.lower()
        matcher = difflib.SequenceMatcher(None, lowered, other)
        longest = matcher.find_longest_match(0, len(lowered), 0, len(other)).size
        return matcher.ratio(), len(os.path.commonprefix([lowered, other])), longest

    best = max(choices, key=likeness)
    ratio, prefix, longest = likeness(best)
    return best if ratio >= 0.6 or prefix >= 3 or longest >= 5 else None
