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
from collections.abc import Callable
from functools import lru_cache, partial

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
    return _search(quote, normalized_source)[0] >= 0


def _search(quote: str, normalized_source: str) -> tuple[int, int]:
    """Where normalize(quote) starts in a normalised text (-1 if nowhere, or it is empty),
    and its length."""
    small = len(normalized_source) <= _SHORT and len(quote) <= _QUOTE
    return (_found if small else _find)(quote, normalized_source)


def _find(quote: str, normalized_source: str) -> tuple[int, int]:
    wanted = normalize(quote)
    return (normalized_source.find(wanted) if wanted else -1), len(wanted)


# A record's quotes: the quote rule looks for them, then export does, in one process, in a
# text equal to the rule's. The cache keeps what it is asked about: short quotes in short
# texts only.
_QUOTE = 1_000
_found = lru_cache(maxsize=64)(_find)


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """Where `quote` is in the ORIGINAL `text` as `occurs` finds it: (start, end) code-point
    offsets such that text[start:end] is the passage, or None if it is not there.

    A short article (news) is normalised once and kept: each quote is a search of that, in
    C, mapped back to the original. Compiling a pattern per quote instead cost 180 us, and a
    corpus quotes each passage once. A long article is searched as it is, with the quote as a
    pattern (each space any run of white space, each straight quote mark any of its forms):
    the search costs more than the compiling. A text not in NFC (rare) is mapped character
    cluster by character cluster; there a quote that begins or ends inside a cluster takes
    the whole cluster.
    """
    return locator(text)(quote)


def locator(text: str) -> Callable[[str], tuple[int, int] | None]:
    """What `locate`s quotes in `text`: for the quotes of one record, found one after the other."""
    if not _is_nfc(text):
        return partial(_locate_in, _by_cluster(text))
    if len(text) > _SHORT:  # searching it costs more than a pattern; normalising it, more still
        return partial(_locate_long, text)
    return partial(_locate_in, _by_run(text))


def _locate_in(mapped: ByRun | ByCluster, quote: str) -> tuple[int, int] | None:
    at, size = _search(quote, mapped.normal)
    return None if at < 0 else mapped.span(at, at + size)


def _locate_long(text: str, quote: str) -> tuple[int, int] | None:
    wanted = normalize(quote)
    found = _pattern(wanted).search(text) if wanted else None
    return (found.start(), found.end()) if found else None


@lru_cache(maxsize=16)  # the articles stream.source_text keeps: the quotes of a record come together
def _is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


_RUN = re.compile(r"\s\s+")  # \s is what str.split() splits on


class ByRun:
    """A text in NFC as `normalize` makes it, and the way back. Its typographic marks are one
    character, as their straight forms, and so is each single white space: only the runs of
    white space are shorter, each one space. Each run is kept as where its space is in the
    normalised text and how many characters the original has more up to its end; a position
    is mapped back by the last run before it. The table costs a step in Python per run: few
    in an article (its paragraph breaks), where a table per word cost more than the quotes
    saved."""

    def __init__(self, text: str) -> None:
        self.text, self.normal = text, normalize(text)
        more = len(text) - len(text.lstrip())
        self._spaces, self._more = array("q", [-1]), array("q", [more])
        for run in _RUN.finditer(text, more):
            start, end = run.span()
            if end == len(text):  # trailing white space: nothing after it to map
                break
            self._spaces.append(start - more)
            more += end - start - 1
            self._more.append(more)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the normalised text[start:end] (neither end a space)."""
        more = self._more
        return start + more[bisect_right(self._spaces, start) - 1], \
            end + more[bisect_right(self._spaces, end - 1) - 1]


class ByCluster:
    """A text not in NFC, normalised cluster by cluster (a starter and the combining marks
    after it), with where each normalised character came from."""

    def __init__(self, text: str) -> None:
        normal: list[str] = []
        self._origins, self._ends = array("q"), array("q")
        i, size = 0, len(text)
        while i < size:
            j = i + 1
            if text[i].isspace():
                while j < size and text[j].isspace():
                    j += 1
                if normal and normal[-1] != " ":
                    normal.append(" ")
                    self._origins.append(i)
                    self._ends.append(j)
            else:
                while j < size and unicodedata.combining(text[j]):
                    j += 1
                for c in unicodedata.normalize("NFC", text[i:j]).translate(_STRAIGHT):
                    normal.append(c)
                    self._origins.append(i)
                    self._ends.append(j)
            i = j
        self.normal = "".join(normal)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the normalised text[start:end]."""
        return self._origins[start], self._ends[end - 1]


# Records citing one article come close together, not one after the other: a copy of each of
# the last 128 short articles (news articles are), normalised. A long one is searched as it is.
_SHORT = 65_536
_by_run = lru_cache(maxsize=128)(ByRun)
# 16 bytes a character: the last article or two only.
_by_cluster = lru_cache(maxsize=2)(ByCluster)

_VARIANTS: dict[str, list[str]] = {}
for _typographic, _straight in _STRAIGHT.items():
    _VARIANTS.setdefault(str(_straight), [str(_straight)]).append(chr(_typographic))
_CLASSES = {mark: f"[{re.escape(''.join(forms))}]" for mark, forms in _VARIANTS.items()}


def _pattern(wanted: str) -> re.Pattern[str]:
    """The normalised quote as a pattern over an original text: each space any run of white
    space, each straight quote mark any of its typographic forms."""
    escaped = re.escape(wanted)  # leaves ' and " as they are, and a space as "\\ "
    for mark, forms in _CLASSES.items():
        escaped = escaped.replace(mark, forms)
    return re.compile(escaped.replace("\\ ", r"\s+"))


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
