"""Finding an evidence quote in a source text, as a reader would.

Copying a quote out of an article changes invisible things: line breaks become
spaces, a no-break space before a colon becomes a plain one, a typographic
apostrophe becomes a straight one, an accent is composed differently. None of
these should make a quote "not found".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_STRAIGHT = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    }
)


_TYPOGRAPHIC = re.compile("[" + "".join(map(chr, _STRAIGHT)) + "]")


def normalize(text: str) -> str:
    """Text in NFC, with straight quotes and every run of white space one space."""
    text = unicodedata.normalize("NFC", text)
    if _TYPOGRAPHIC.search(text):  # translate is slow on text that is not ASCII; most has no mark
        text = text.translate(_STRAIGHT)
    return " ".join(text.split())


def occurs(quote: str, normalized_source: str) -> bool:
    """Whether `quote` is found in a source text already passed through normalize."""
    wanted = normalize(quote)
    return bool(wanted) and wanted in normalized_source


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """Where `quote` is in the ORIGINAL `text` as `occurs` finds it: (start, end) code-point
    offsets such that text[start:end] is the passage, or None if it is not there.

    The normalised quote becomes a pattern over the original: each space any run of white
    space, each straight quote mark any of its typographic forms. A text not in NFC is
    mapped character cluster by character cluster instead (rare: most text is NFC); there
    a quote that begins or ends inside a cluster (at a combining mark) takes the whole
    cluster.
    """
    wanted = normalize(quote)
    if not wanted:
        return None
    if _is_nfc(text):
        found = _pattern(wanted).search(text)
        return (found.start(), found.end()) if found else None
    return _locate_mapped(wanted, text)


@lru_cache(maxsize=16)  # the quotes of a record, and of the records citing one article, come together
def _is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


_VARIANTS: dict[str, list[str]] = {}
for _typographic, _straight in _STRAIGHT.items():
    _VARIANTS.setdefault(str(_straight), [str(_straight)]).append(chr(_typographic))
_CLASSES = {mark: f"[{re.escape(''.join(forms))}]" for mark, forms in _VARIANTS.items()}


@lru_cache(maxsize=1024)  # quotes recur (one article, several records); compiling is the cost
def _pattern(wanted: str) -> re.Pattern[str]:
    escaped = re.escape(wanted)  # leaves ' and " as they are, and a space as "\\ "
    for mark, forms in _CLASSES.items():
        escaped = escaped.replace(mark, forms)
    return re.compile(escaped.replace("\\ ", r"\s+"))


def _locate_mapped(wanted: str, text: str) -> tuple[int, int] | None:
    """`locate` for a text not in NFC: normalise it cluster by cluster (a starter and the
    combining marks after it), remembering where each normalised character came from."""
    normal: list[str] = []
    starts: list[int] = []  # original offset of each normalised character's cluster
    ends: list[int] = []
    i, size = 0, len(text)
    while i < size:
        j = i + 1
        if text[i].isspace():
            while j < size and text[j].isspace():
                j += 1
            if normal and normal[-1] != " ":
                normal.append(" ")
                starts.append(i)
                ends.append(j)
        else:
            while j < size and unicodedata.combining(text[j]):
                j += 1
            for c in unicodedata.normalize("NFC", text[i:j]).translate(_STRAIGHT):
                normal.append(c)
                starts.append(i)
                ends.append(j)
        i = j
    at = "".join(normal).find(wanted)
    return None if at < 0 else (starts[at], ends[at + len(wanted) - 1])


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
