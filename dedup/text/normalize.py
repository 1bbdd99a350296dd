"""Text -> comparable tokens -> shingles. Pure functions, used for comparison only.

Normalising never changes what is written out: it decides what counts as "the same".

Folds (``normalize``), applied before words are split, and why:

- NFKC, then case folding, then NFKC again (Unicode's NFKC_Casefold closure): width and
  compatibility forms (full-width Latin, ligatures, Arabic presentation forms, superscripts)
  and case are spelling, not words; canonically equivalent input (Vietnamese typed
  precomposed, NFC, or decomposed, NFD) gives the same tokens. Case folding also folds the
  Greek final sigma to sigma (U+03C2 → U+03C3) and German ß → ss (so "Maße" and "Masse" meet).
- Curly quotes and apostrophes to straight ones, dashes and minus signs to ``-``.
- Invisible formatting removed: the joiners ZWNJ (U+200C) and ZWJ (U+200D), which change
  how a word is drawn (Persian, Indic half forms, German ligatures) but not which word it
  is, and the Arabic tatweel (U+0640), which only stretches a word.

Not folded, on purpose: combining marks. Vowel signs, viramas and nuktas (Devanagari,
Bengali, Tamil, Thai), harakat (Arabic), niqqud (Hebrew), tonos (Greek: "πότε" / "ποτέ"),
Vietnamese tones and Latin accents all stay, because they tell words apart ("को" / "का").
A text written with vowel marks and the same text without them are therefore different
words, like "resume" / "résumé".

Tokens (``tokens``) follow Unicode's word characters (UTS #18): letters (L*), marks (M*),
numbers (N*) and connector punctuation (Pc, such as ``_``); everything else separates
words, and an apostrophe inside a word stays part of it (``don't``). Scripts written
without spaces between words (``_NO_SPACE``: Han, kana, Bopomofo, Yi, Thai, Lao, Tibetan,
Myanmar, Khmer, New Tai Lue, Tai Tham, Balinese, Javanese, and historic Tangut, Khitan and
Nushu) are split into graphemes instead, a base character with the marks that follow it
(Thai "กิ" is one token), so word n-grams over them are character n-grams. The grapheme
rule is "base + following marks", not Unicode's extended grapheme clusters (``\\X``),
whose rules change between Unicode versions.

``TOKENIZER_VERSION`` names these rules; it is recorded (with the Unicode version of
Python's ``unicodedata``) in notes, reports, baselines and archives, and bumped whenever
the tokens of some text change. Version 1 used Python's ``\\w``, which has no marks;
version 2 split only Han, kana, Thai, Lao, Khmer, Myanmar and Tibetan into graphemes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import regex

#: Bumped whenever the tokens of some text change (baselines and archives then need a rebuild).
TOKENIZER_VERSION = 3

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
        # Invisible: the joiners ZWNJ and ZWJ, the Arabic tatweel (kashida).
        "\u200c": None, "\u200d": None, "\u0640": None,
    }
)  # fmt: skip

# Scripts written without spaces between words: each grapheme is a token, so word
# n-grams over them are character n-grams. Two families, because structure rules count a
# word per 1.5 characters of the first and per 2.5 graphemes of the second
# (``dedup.text.structure.count_words``).
NO_SPACE_CJK = (
    "\u3005-\u3007\u3021-\u3029\u3031-\u3035\u303b\u303c"  # iteration marks, zero, Hangzhou
    "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"  # Hiragana, Katakana (also half-width)
    "\u3100-\u312f\u31a0-\u31bf"  # Bopomofo
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\ua000-\ua4cf"  # Yi
    "\U00017000-\U00018cff"  # Tangut, Khitan
    "\U0001aff0-\U0001b2ff"  # Kana supplements and extensions, Nushu
    "\U00020000-\U000323af"  # Han extensions B to H, compatibility supplement
)
NO_SPACE_OTHER = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u0f00-\u0fff"  # Tibetan
    "\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f"  # Myanmar and its extensions
    "\u1780-\u17ff"  # Khmer
    "\u1980-\u19df"  # New Tai Lue
    "\u1a20-\u1aaf"  # Tai Tham
    "\u1b00-\u1b7f"  # Balinese
    "\ua980-\ua9df"  # Javanese
)
_NO_SPACE = NO_SPACE_CJK + NO_SPACE_OTHER
#: Unicode's word characters (UTS #18), as the body of a ``regex`` character class:
#: letters, marks, numbers, connector punctuation. (UTS #18 takes numbers as ``Nd`` and
#: letters as ``Alphabetic``; all numbers are taken here, so Ethiopic and Tamil numerals
#: such as "፲" and "௰" are words, and the few alphabetic symbols left after NFKC, such
#: as "🅐", are not.) The joiners ZWNJ and ZWJ, UTS #18's other word characters, are
#: removed by ``normalize`` and so never split a word.
WORD = r"\p{L}\p{M}\p{N}\p{Pc}"
_TOKEN = regex.compile(
    # A grapheme of an unspaced script: a word character and the marks that follow it.
    rf"[[{_NO_SPACE}]&&[{WORD}]]\p{{M}}*"
    # A word of any other script, with apostrophes inside it.
    rf"|[[{WORD}]--[{_NO_SPACE}]]+(?:'[[{WORD}]--[{_NO_SPACE}]]+)*",
    flags=regex.V1,
)
# The same tokens for text without unspaced scripts (most text), found about a third faster.
_SPACED_TOKEN = regex.compile(rf"[{WORD}]+(?:'[{WORD}]+)*")
_HAS_NO_SPACE = re.compile(f"[{_NO_SPACE}]")
_ASCII_TOKEN = re.compile(r"[a-z0-9_]+(?:'[a-z0-9_]+)*")


def tokenizer_info() -> dict[str, Any]:
    """Return the tokeniser as recorded in notes, reports, baselines and archives."""
    return {"version": TOKENIZER_VERSION, "unicode": unicodedata.unidata_version}


def normalize(text: str) -> str:
    """Return ``text`` NFKC-casefolded, quotes and dashes unified, joiners and tatweel gone."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_TRANSLATE)
    folded = unicodedata.normalize("NFKC", folded)  # case folding can undo NFKC ("ΐ")
    return " ".join(folded.split())  # whitespace collapsed


def tokens(text: str) -> list[str]:
    """Return the comparable tokens of ``text``: words, or graphemes of unspaced scripts.

    Punctuation is dropped; an apostrophe inside a word stays part of it (``don't``).
    """
    if text.isascii():  # NFKC leaves ASCII alone and casefold is lower: same tokens, faster
        return _ASCII_TOKEN.findall(text.lower().replace("`", "'"))
    norm = normalize(text)
    pattern = _TOKEN if _HAS_NO_SPACE.search(norm) else _SPACED_TOKEN
    found: list[str] = pattern.findall(norm)
    return found


def shingles(toks: Sequence[str], n: int) -> set[str]:
    """Return the set of word ``n``-grams; fewer than ``n`` tokens make one shingle of all."""
    return set(_grams(toks, n))


def frozen_shingles(toks: Sequence[str], n: int) -> frozenset[str]:
    """Return ``shingles(toks, n)`` as a frozenset, built once."""
    return frozenset(_grams(toks, n))


def _grams(toks: Sequence[str], n: int) -> Iterable[str]:
    if len(toks) <= n:
        return (" ".join(toks),) if toks else ()
    # n staggered copies zipped together: each n-gram joined in C, no slice per n-gram.
    return map(" ".join, zip(*(toks[i:] for i in range(n)), strict=False))
