"""Finding an evidence quote in a source text, as a reader would.

Copying a quote out of an article changes invisible things: line breaks become
spaces, a no-break space before a colon becomes a plain one, a typographic
apostrophe becomes a straight one, an accent is composed differently. None of
these should make a quote "not found".
"""

from __future__ import annotations

import unicodedata

_STRAIGHT = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    }
)


def normalize(text: str) -> str:
    """Text in NFC, with straight quotes and every run of white space one space."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_STRAIGHT).split())


def occurs(quote: str, normalized_source: str) -> bool:
    """Whether `quote` is found in a source text already passed through normalize."""
    wanted = normalize(quote)
    return bool(wanted) and wanted in normalized_source
