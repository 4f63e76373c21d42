"""Names in any script: an ASCII spelling for ids, and a folded form for identity.

Transliteration is anyascii's (ISC licence; every script, no data files to
load, no network): Сергей Лавров -> Sergey Lavrov, and each CJK character
its own syllable, 王毅 -> Wang Yi.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _is_ideograph(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("CJK ", "HANGUL SYLLABLE", "HIRAGANA", "KATAKANA"))


def ascii_name(text: str) -> str:
    """`text` in ASCII letters, one word a syllable for ideographic scripts."""
    if text.isascii():
        return text
    from anyascii import anyascii

    return " ".join("".join(f" {anyascii(c)} " if _is_ideograph(c) else anyascii(c) for c in text).split())


def unaccented(text: str) -> str:
    """`text` without accents and other combining marks (é -> e, й -> и)."""
    if text.isascii():
        return text  # no ASCII character decomposes
    # Composed again after the marks are off, so Hangul stays in syllables.
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def slug(text: str) -> str:
    """Lowercase ASCII letters and digits joined by single hyphens, from any script
    (Сергей Лавров -> sergei-lavrov, 王毅 -> wang-yi)."""
    return _NOT_SLUG.sub("-", ascii_name(unaccented(text)).lower()).strip("-")


def fold(text: str) -> str:
    """A name as compared: case, accents, spacing and script ignored (Лавров = Lavrov)."""
    return " ".join(ascii_name(unaccented(text.casefold())).casefold().split())
