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

from array import array
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from dedup.text.batch import tokenise_many

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]

#: Paragraphs tokenised (and coded) at once: bounds the temporary arrays.
BATCH = 4_096


class Codes:
    """The token ids and shingle codes of the paragraphs ``ids`` of ``texts``."""

    def __init__(self, texts: Sequence[str] | Mapping[int, str], ids: Sequence[int], n: int):
        self.row = {i: r for r, i in enumerate(ids)}
        vocabulary: dict[bytes, int] = {}  # token -> its digit (from 1)
        parts: list[I32] = []
        counts: list[I64] = []
        self.chars = array("q")
        for lo in range(0, len(ids), BATCH):
            found = tokenise_many([texts[i] for i in ids[lo : lo + BATCH]])
            counts.append(found.counts)
            self.chars.extend(len(joined.decode("utf-8")) for joined in found.joined)
            if not found.counts.any():
                continue
            # Tokens never hold a space: the joined texts split back into them.
            toks = b" ".join(joined for joined in found.joined if joined).split(b" ")
            for t in dict.fromkeys(toks):  # the batch's distinct tokens, in order
                vocabulary.setdefault(t, len(vocabulary) + 1)
            if len(vocabulary) >= 1 << 31:
                raise ValueError("more than 2**31 distinct tokens among the candidates")
            parts.append(np.fromiter(map(vocabulary.__getitem__, toks), np.int32, len(toks)))
        base = len(vocabulary) + 1
        del vocabulary
        words = np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64)
        self.words = array("q", words.tobytes())
        #: Every paragraph's token digits, end to end; paragraph r's are token_at[r]..[r + 1].
        self.tokens: I32 = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
        del parts
        self.token_at = _offsets(words)
        self.shingle_at = _offsets(np.where(words > n, words - n + 1, np.minimum(words, 1)))
        self.codes: I64 = np.empty(self.shingle_at[-1], dtype=np.int64)
        if base**n >= 1 << 63:
            self.codes[:] = _numbered(self.tokens.astype(np.int64), words, n)
            return
        # A batch of paragraphs at a time: the temporary arrays stay small.
        for lo in range(0, len(words), BATCH):
            hi = min(lo + BATCH, len(words))
            digits = self.tokens[self.token_at[lo] : self.token_at[hi]].astype(np.int64)
            code = self.codes[self.shingle_at[lo] : self.shingle_at[hi]]
            code[:] = _counted(digits, words[lo:hi], n, base)

    def entry(self, i: int) -> tuple[bytes, frozenset[int], int, int]:
        """Return paragraph ``i``'s ``key`` and ``shingles``, and its numbers of tokens and
        of characters of its tokens joined by spaces."""
        r = self.row[i]
        return (
            self.key(i),
            self.shingles(i),
            self.words[r],
            self.chars[r],
        )

    def key(self, i: int) -> bytes:
        """Return paragraph ``i``'s token digits as bytes: equal exactly when tokens are."""
        r = self.row[i]
        return self.tokens[self.token_at[r] : self.token_at[r + 1]].tobytes()

    def shingles(self, i: int) -> frozenset[int]:
        """Return the codes of paragraph ``i``'s shingles."""
        r = self.row[i]
        return frozenset(self.codes[self.shingle_at[r] : self.shingle_at[r + 1]].tolist())


def _offsets(counts: I64) -> array[int]:
    """Return where each of ``counts`` consecutive runs starts, and the end of the last."""
    return array("q", np.concatenate(([0], np.cumsum(counts))).astype(np.int64).tobytes())


def _windows(words: I64, n: int) -> tuple[I64, I64, int]:
    """Return where each shingle's first token is, how many tokens it has, and how many
    shingles there are.

    A paragraph of more than ``n`` tokens has a shingle per window of ``n``; one of 1 to
    ``n`` tokens has one shingle of all; one of none has none (``normalize.shingles``).
    """
    windows = np.where(words > n, words - n + 1, np.minimum(words, 1))
    starts = np.cumsum(words) - words
    total = int(windows.sum())
    first = np.repeat(starts - (np.cumsum(windows) - windows), windows) + np.arange(
        total, dtype=np.int64
    )
    return first, np.repeat(np.minimum(words, n), windows), total


def _counted(digits: I64, words: I64, n: int, base: int) -> I64:
    """Return every shingle's code, the number with its tokens' digits in ``base``
    (``base**n`` below 2**63)."""
    first, size, total = _windows(words, n)
    code = np.zeros(total, dtype=np.int64)
    if total == 0:
        return code
    last = len(digits) - 1
    for j in range(n):
        code = np.where(j < size, code * base + digits[np.minimum(first + j, last)], code)
    return code


def _numbered(digits: I64, words: I64, n: int) -> I64:
    """Return every shingle's code when its digits do not fit in 64 bits: its windows
    (padded with 0, never a digit) numbered by their distinct rows, which is as exact."""
    first, size, total = _windows(words, n)
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    last = len(digits) - 1
    rows = np.zeros((total, n), dtype=np.int64)
    for j in range(n):
        rows[:, j] = np.where(j < size, digits[np.minimum(first + j, last)], 0)
    _, inverse = np.unique(rows, axis=0, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64)
