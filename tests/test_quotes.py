"""The closest passage to a quote that is not in the article."""

from __future__ import annotations

import random

from annot import quotes


def _article(words: int, seed: int = 3) -> str:
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 9))) for _ in range(3000)]
    return " ".join(rng.choices(vocabulary, k=words))


def test_a_short_quote_with_a_word_left_out_finds_its_passage() -> None:
    text = "Le ministre a salué le renforcement discret de la coopération entre les deux pays."
    assert quotes.closest("le renforcement de la coopération", quotes.normalize(text)) == \
        "renforcement discret de la coopération"


def test_a_long_quote_is_found_by_its_beginning_and_runs_for_its_length() -> None:
    # A quote of thousands of characters is aligned by its first ALIGNED characters (the time
    # of an alignment grows faster than the quote); the passage covers the whole quote.
    text = quotes.normalize(_article(60_000))
    start = text.index(" ", 200_000) + 1
    original = text[start : text.index(" ", start + 3000)]
    words = original.split(" ")
    words[len(words) // 2] = "CHANGED"
    passage = quotes.closest(" ".join(words), text)
    assert passage is not None and passage.startswith(original[:100])
    assert abs(len(passage) - len(original)) < 20
    assert len(" ".join(words)) > 10 * quotes.ALIGNED


def test_nothing_close_is_none() -> None:
    assert quotes.closest("zzzz qqqq xxxx", quotes.normalize("Le 2 février 2026, à Bamako.")) is None


def test_normalize_straightens_every_typographic_mark_and_only_those() -> None:
    marks = "\u2018\u2019\u201a\u201b\u2032\u201c\u201d\u201e\u201f\u2033"
    assert quotes.normalize(f"l\u00e9 {marks}\u00a0e\u0301\n x") == "l\u00e9 '''''\"\"\"\"\" \u00e9 x"
    assert quotes.normalize("Le  2\nf\u00e9vrier \u00ab 2026 \u00bb") == "Le 2 f\u00e9vrier \u00ab 2026 \u00bb"
    assert quotes.normalize("plain 'ascii' \"text\"") == "plain 'ascii' \"text\""
