"""Many paragraphs tokenised together -> exact integer codes of their tokens and shingles.

Verification compares token lists and shingle sets exactly (``group.Verifier``). Here a
batch of paragraphs is tokenised at once (``batch.tokenise_many``: the tokens
``normalize.tokens`` gives), every distinct token gets an id from a vocabulary, and a
shingle of k <= n tokens becomes the number whose k base-(V + 1) digits are its tokens'
ids plus one (V distinct tokens). Both maps are one-to-one (a code of k digits lies in
[(V + 1)**(k - 1), (V + 1)**k), so shingles of different lengths never share one), so
two paragraphs have equal codes exactly when they have equal tokens, and their shingle
code sets have the intersections and sizes of their shingle string sets. Codes are held
in flat arrays (about 12 bytes a token); only the paragraphs being compared get a set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from dedup.text.batch import tokenise_many

I64 = npt.NDArray[np.int64]

#: Paragraphs tokenised per ``tokenise_many`` call: bounds its temporary arrays.
BATCH = 8_192


class Codes:
    """The token ids and shingle codes of the paragraphs ``ids`` of ``texts``."""

    def __init__(self, texts: Sequence[str] | Mapping[int, str], ids: Sequence[int], n: int):
        self.row = {i: r for r, i in enumerate(ids)}
        vocabulary: dict[bytes, int] = {}
        flat: list[I64] = []
        counts: list[I64] = []
        chars: list[int] = []
        for lo in range(0, len(ids), BATCH):
            found = tokenise_many([texts[i] for i in ids[lo : lo + BATCH]])
            counts.append(found.counts)
            chars.extend(len(joined.decode("utf-8")) for joined in found.joined)
            if not found.counts.any():
                continue
            # Tokens never hold a space: the joined texts split back into them.
            toks = b" ".join(joined for joined in found.joined if joined).split(b" ")
            for t in dict.fromkeys(toks):  # the batch's distinct tokens, in order
                vocabulary.setdefault(t, len(vocabulary))
            flat.append(np.fromiter(map(vocabulary.__getitem__, toks), np.int64, len(toks)))
        words = np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64)
        digits = np.concatenate(flat) + 1 if flat else np.zeros(0, dtype=np.int64)
        self.words = words.tolist()
        self.chars = chars
        self.token_at = np.concatenate(([0], np.cumsum(words))).astype(np.int64).tolist()
        self.tokens = digits.astype(np.int32 if len(vocabulary) < 1 << 31 else np.int64)
        codes, windows = _shingle_codes(digits, words, n, len(vocabulary) + 1)
        self.codes = codes
        self.shingle_at = np.concatenate(([0], np.cumsum(windows))).astype(np.int64).tolist()

    def entry(self, i: int) -> tuple[bytes, frozenset[int], int, int]:
        """Return paragraph ``i``'s ``key`` and ``shingles``, and its numbers of tokens and
        of characters of its tokens joined by spaces."""
        r = self.row[i]
        t, s = self.token_at, self.shingle_at
        return (
            self.tokens[t[r] : t[r + 1]].tobytes(),
            frozenset(self.codes[s[r] : s[r + 1]].tolist()),
            self.words[r],
            self.chars[r],
        )

    def key(self, i: int) -> bytes:
        """Return bytes equal for two paragraphs exactly when their tokens are equal."""
        r = self.row[i]
        return self.tokens[self.token_at[r] : self.token_at[r + 1]].tobytes()

    def shingles(self, i: int) -> frozenset[int]:
        """Return the codes of paragraph ``i``'s shingles."""
        r = self.row[i]
        return frozenset(self.codes[self.shingle_at[r] : self.shingle_at[r + 1]].tolist())


def _shingle_codes(digits: I64, words: I64, n: int, base: int) -> tuple[I64, I64]:
    """Return every paragraph's shingle codes end to end, and how many each has.

    A paragraph of more than ``n`` tokens has a shingle per window of ``n``; one of 1 to
    ``n`` tokens has one shingle of all; one of none has none (``normalize.shingles``).
    """
    windows = np.where(words > n, words - n + 1, np.minimum(words, 1))
    starts = np.cumsum(words) - words
    total = int(windows.sum())
    first = np.repeat(starts - (np.cumsum(windows) - windows), windows) + np.arange(
        total, dtype=np.int64
    )
    size = np.repeat(np.minimum(words, n), windows)
    if total == 0:
        return np.zeros(0, dtype=np.int64), windows
    last = len(digits) - 1
    if base**n < 1 << 63:
        code = np.zeros(total, dtype=np.int64)
        for j in range(n):
            word = digits[np.minimum(first + j, last)]
            code = np.where(j < size, code * base + word, code)
        return code, windows
    # Too many digits for 64 bits: the windows (padded with 0, never a digit) numbered
    # by their distinct rows instead, which is as exact.
    rows = np.zeros((total, n), dtype=np.int64)
    for j in range(n):
        rows[:, j] = np.where(j < size, digits[np.minimum(first + j, last)], 0)
    _, inverse = np.unique(rows, axis=0, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64), windows
