"""The one "did you mean" used by every message."""

from __future__ import annotations

import pytest

from annot.suggest import did_you_mean


@pytest.mark.parametrize(
    ("word", "choices", "expected"),
    [
        ("MLO", ["MOZ", "MLI", "MLT"], " (did you mean 'MLI'?)"),
        ("nmae", ["ref", "name", "title"], " (did you mean 'name'?)"),
        ("counterterror", ["terrorism", "military"], " (did you mean 'terrorism'?)"),
        ("visitor", ["host", "guest", "participant", "attendee", "mediator"], ""),
        ("evnts", ["events", "sources"], " (did you mean 'events'?)"),
        (12, ["a"], ""),
        ("x", [], ""),
    ],
)
def test_did_you_mean(word: object, choices: list[str], expected: str) -> None:
    assert did_you_mean(word, choices) == expected
