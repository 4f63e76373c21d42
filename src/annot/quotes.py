"""Finding an evidence quote in a source text, as a reader would.

Copying a quote out of an article changes invisible things: line breaks become
spaces, a no-break space before a colon becomes a plain one, a typographic
apostrophe becomes a straight one, an accent is composed differently. None of
these should make a quote "not found".
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_right
from functools import lru_cache

_STRAIGHT = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    }
)


_MARKS = [(chr(mark), str(straight)) for mark, straight in _STRAIGHT.items()]


def normalize(text: str) -> str:
    """Text in NFC, with straight quotes and every run of white space one space."""
    text = unicodedata.normalize("NFC", text)
    for mark, straight in _MARKS:  # str.translate is some 60 times slower on text that is not ASCII
        if mark in text:
            text = text.replace(mark, straight)
    return " ".join(text.split())


def occurs(quote: str, normalized_source: str) -> bool:
    """Whether `quote` is found in a source text already passed through normalize."""
    wanted = normalize(quote)
    return bool(wanted) and wanted in normalized_source


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """Where `quote` is in the ORIGINAL `text` as `occurs` finds it: (start, end) code-point
    offsets such that text[start:end] is the passage, or None if it is not there.

    The normalised quote is looked for in the normalised text, which knows where each of its
    characters came from (word by word; in a text not in NFC, rare, character cluster by
    cluster, where a quote that begins or ends inside a cluster takes the whole cluster).
    No pattern is compiled per quote: a corpus quotes each passage once.
    """
    wanted = normalize(quote)
    if not wanted:
        return None
    mapped = _mapped(text)
    at = mapped.normal.find(wanted)
    return None if at < 0 else mapped.original(at, at + len(wanted))


class Mapped:
    """A text as `normalize` makes it, and where each of its characters came from. By word:
    the normalised words start at `starts` and came from `origins`, character for character.
    By cluster: normalised character k came from the cluster origins[k]:ends[k]."""

    def __init__(self, normal: str, starts: array[int] | None, origins: array[int],
                 ends: array[int] | None = None) -> None:
        self.normal, self._starts, self._origins, self._ends = normal, starts, origins, ends

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the normalised text[start:end] (neither end a space)."""
        if self._starts is None:
            assert self._ends is not None
            return self._origins[start], self._ends[end - 1]
        first = bisect_right(self._starts, start) - 1
        last = bisect_right(self._starts, end - 1) - 1
        return (self._origins[first] + start - self._starts[first],
                self._origins[last] + end - self._starts[last])


_WORD = re.compile(r"\S+")  # what str.split() splits on, as normalize does


@lru_cache(maxsize=16)  # the quotes of a record, and of the records citing one article, come together
def _mapped(text: str) -> Mapped:
    if not unicodedata.is_normalized("NFC", text):
        return _mapped_by_cluster(text)
    starts, origins = array("I"), array("I")
    at = 0
    for word in _WORD.finditer(text):
        starts.append(at)
        origins.append(word.start())
        at += word.end() - word.start() + 1
    return Mapped(normalize(text), starts, origins)


def _mapped_by_cluster(text: str) -> Mapped:
    """`_mapped` for a text not in NFC: normalise it cluster by cluster (a starter and the
    combining marks after it), remembering where each normalised character came from."""
    normal: list[str] = []
    origins, ends = array("I"), array("I")
    i, size = 0, len(text)
    while i < size:
        j = i + 1
        if text[i].isspace():
            while j < size and text[j].isspace():
                j += 1
            if normal and normal[-1] != " ":
                normal.append(" ")
                origins.append(i)
                ends.append(j)
        else:
            while j < size and unicodedata.combining(text[j]):
                j += 1
            for c in unicodedata.normalize("NFC", text[i:j]).translate(_STRAIGHT):
                normal.append(c)
                origins.append(i)
                ends.append(j)
        i = j
    return Mapped("".join(normal), None, origins, ends)


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
