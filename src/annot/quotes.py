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


SEARCHED = 5_000_000  # characters of an article searched for the closest passage (bounded time)
ALIGNED = 200  # characters of a quote aligned with it: the time grows faster than the quote


def closest(quote: str, normalized_source: str) -> str | None:
    """The passage of the source most like `quote` (whole words), or None if nothing is close.

    rapidfuzz (MIT) aligns the quote with its best-matching stretch in linear time; only a
    quote that was not found pays for the import.
    """
    from rapidfuzz import fuzz

    wanted = normalize(quote)
    text = normalized_source[:SEARCHED]
    if not wanted or not text:
        return None
    head = wanted if len(wanted) <= ALIGNED else wanted[: wanted.rfind(" ", 0, ALIGNED) + 1 or ALIGNED]
    match = fuzz.partial_ratio_alignment(head, text)
    if match is None or match.score < 60:
        return None
    start = text.rfind(" ", 0, match.dest_start) + 1
    # A long quote is found by its beginning; the passage runs on for the quote's length.
    end = text.find(" ", max(match.dest_end, start + len(wanted)) if head != wanted else match.dest_end)
    passage = text[start : end if end != -1 else len(text)]
    words, quoted = passage.split(" "), set(wanted.split())
    while len(words) > 1 and words[0] not in quoted:  # the alignment took a word before the quote
        words.pop(0)
    passage = " ".join(words)
    return passage if passage[-1:] == wanted[-1:] else passage.rstrip(",;:")
