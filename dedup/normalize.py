"""Text -> comparable tokens -> shingles. Pure functions, used for comparison only.

Normalising never changes what is written out: it decides what counts as "the same".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_TRANSLATE = str.maketrans(
    {
        # Curly and other quotes / apostrophes -> straight.
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u02bc": "'", "\uff07": "'", "`": "'", "\u00b4": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        # Dashes and minus signs -> hyphen-minus.
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
    }
)  # fmt: skip

# Scripts written without spaces between words: each character is a token, so word
# n-grams over them are character n-grams (Han, kana, Thai, Lao, Khmer, Myanmar, Tibetan).
_NO_SPACE = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u0f00-\u0fff"  # Tibetan
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\U00020000-\U0003134f"  # Han extensions
)
_TOKEN = re.compile(
    rf"[{_NO_SPACE}]|[^\W{_NO_SPACE}]+(?:'[^\W{_NO_SPACE}]+)*",
)
_ASCII_TOKEN = re.compile(r"[a-z0-9_]+(?:'[a-z0-9_]+)*")


def normalize(text: str) -> str:
    """Return ``text`` NFKC-normalised, case-folded, quotes and dashes unified, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_TRANSLATE)
    return " ".join(folded.split())


def tokens(text: str) -> list[str]:
    """Return the comparable tokens of ``text``: words, or single characters of unspaced scripts.

    Punctuation is dropped; an apostrophe inside a word stays part of it (``don't``).
    """
    if text.isascii():  # NFKC leaves ASCII alone and casefold is lower: same tokens, faster
        return _ASCII_TOKEN.findall(text.lower().replace("`", "'"))
    return _TOKEN.findall(normalize(text))


def shingles(toks: Sequence[str], n: int) -> set[str]:
    """Return the set of word ``n``-grams; fewer than ``n`` tokens make one shingle of all."""
    if not toks:
        return set()
    if len(toks) <= n:
        return {" ".join(toks)}
    return {" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1)}
