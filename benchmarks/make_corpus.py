"""Generate a large JSONL corpus from the Reuters JSONL, with recorded near repeats.

Three kinds of paragraph, in records of id + text (paragraphs separated by blank lines,
as in Reuters):

- **real**: whole Reuters records, verbatim, each used at most once (the same share of
  the corpus at every size: all of Reuters at the default 1.3M paragraphs);
- **filler**: the words of a real paragraph shuffled, so the vocabulary and lengths are
  real but word order is not. Only paragraphs with at least ``MIN_FILLER_TOKENS``
  *distinct* tokens, three quarters of their tokens distinct and three quarters
  alphabetic, are shuffled: shorter ones come out identical by chance, and table rows
  that repeat a few tokens ("vs", figures split at their punctuation) give two shuffles
  that share many 3-grams (Jaccard 0.5 and more, seen at 100k paragraphs);
- **injected**: a copy of an earlier real paragraph with a realistic edit, placed in a
  filler record: word substitutions, insertions and deletions, case and punctuation
  changes, a changed attribution ("he said" -> "Mr X said"), a sentence dropped. The
  amount of editing is drawn so that exact Jaccard spans both sides of 0.8.

Every injected pair is written to a sidecar JSONL (default ``injected.jsonl`` beside the
corpus): the 0-based record index (line number) and 1-based paragraph number of both
sides (numbered as dedup splits the record), the record ids, the edit kind and the exact
Jaccard of the two word 3-gram sets (``dedup.text.normalize.tokens`` + ``shingles``).
Records carry ``kind`` (``real`` or ``filler``) and, for real ones, ``source`` (the Reuters
id). Seeded: the same arguments give byte-identical output. A name ending in ``.gz``
writes gzip.

    python benchmarks/make_corpus.py OUT.jsonl [--paragraphs 1300000] [--seed 1]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from corpus import NGRAM, injected_path, records, split_paragraphs  # benchmarks/corpus.py

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parent.parent / "shared" / "corpora" / "reuters21578.jsonl"
DEFAULT_PARAGRAPHS = 1_300_000
REUTERS_PARAGRAPHS = 105_166  # all of Reuters is used once at DEFAULT_PARAGRAPHS
MIN_FILLER_TOKENS = 10  # distinct tokens a paragraph needs to be shuffled into filler
MIN_FILLER_SHARE = 0.75  # and the share of its tokens that are distinct, and alphabetic
MIN_SOURCE_TOKENS = 8  # tokens a real paragraph needs to be the source of a near repeat
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z0-9])")
PRONOUNS = {"he", "she", "it", "they"}
EDITS = {  # edit kind -> weight
    "substitute": 0.3,
    "insert-delete": 0.2,
    "case-punct": 0.1,
    "attribution": 0.2,
    "drop-sentence": 0.2,
}


def paragraphs_of(text: str) -> list[str]:
    """The record's paragraphs as dedup splits plain text, each on one line."""
    return [" ".join(p.split()) for p in split_paragraphs(text)]


def jaccard(a: str, b: str) -> float:
    from dedup.text.normalize import shingles, tokens

    x, y = shingles(tokens(a), NGRAM), shingles(tokens(b), NGRAM)
    return len(x & y) / len(x | y) if x or y else 1.0


@dataclass
class Source:
    """What the generator draws from: the Reuters records and derived pools."""

    records: list[tuple[str, str, list[str]]]  # id, text, paragraphs
    filler: list[list[str]]  # word lists of paragraphs that may be shuffled
    vocab: list[str]  # every word of the corpus, with repetition (frequency-weighted)
    names: list[str]  # capitalised words seen right before "said"
    sizes: list[int]  # paragraphs per record


def read_source(path: Path) -> Source:
    from dedup.text.normalize import tokens

    recs: list[tuple[str, str, list[str]]] = []
    filler: list[list[str]] = []
    vocab: list[str] = []
    before_said: Counter[str] = Counter()
    for data in records(path):
        paras = paragraphs_of(data["text"])
        if not paras:
            continue
        recs.append((data["id"], data["text"], paras))
        for p in paras:
            words = p.split()
            vocab.extend(words)
            toks = tokens(p)
            distinct = len(set(toks))
            alpha = sum(1 for t in toks if t.isalpha())
            least = MIN_FILLER_SHARE * len(toks)
            if distinct >= MIN_FILLER_TOKENS and distinct >= least and alpha >= least:
                filler.append(words)
            for w, nxt in itertools.pairwise(words):
                if nxt == "said" and w.isalpha() and w[0].isupper() and w[1:].islower():
                    before_said[w] += 1
    names = [w for w, _ in before_said.most_common(300) if w not in {"It", "He", "She", "They"}]
    return Source(recs, filler, vocab, names, [len(r[2]) for r in recs])


# --------------------------------------------------------------------------- edits


def edits_for(words: list[str], rng: random.Random) -> int:
    """How many word edits to make: a target Jaccard drawn from [0.6, 1.0)."""
    target = rng.uniform(0.6, 1.0)
    shingles = max(1, len(words) - NGRAM + 1)
    # one edit in the middle changes up to NGRAM shingles on each side of the union
    return max(1, round(shingles * (1 - target) / (NGRAM * (1 + target))))


def substitute(words: list[str], src: Source, rng: random.Random) -> list[str] | None:
    out = list(words)
    for i in rng.sample(range(len(out)), min(len(out), edits_for(words, rng))):
        out[i] = rng.choice(src.vocab)
    return out


def insert_delete(words: list[str], src: Source, rng: random.Random) -> list[str] | None:
    out = list(words)
    for _ in range(edits_for(words, rng)):
        if rng.random() < 0.5 and len(out) > NGRAM + 1:
            del out[rng.randrange(len(out))]
        else:
            out.insert(rng.randrange(len(out) + 1), rng.choice(src.vocab))
    return out


def case_punct(words: list[str], src: Source, rng: random.Random) -> list[str] | None:
    out = []
    for w in words:
        r = rng.random()
        if r < 0.15:
            w = w.upper()
        elif r < 0.3:
            w = w.lower()
        elif r < 0.4:
            w = w.rstrip(",.;:") if w[-1:] in ",.;:" else w + ","
        out.append(w)
    return out if out != words else None


def attribution(words: list[str], src: Source, rng: random.Random) -> list[str] | None:
    """Change "he said" to "Mr X said", "Smith said" to "Mr Smith said", or add an attribution."""
    name = rng.choice(src.names)
    for i, w in enumerate(words):
        if i and w.rstrip(",.") in ("said", "says"):
            subject = words[i - 1]
            if subject.lower() in PRONOUNS:
                return [*words[: i - 1], "Mr", name, *words[i:]]
            if subject.isalpha() and subject[0].isupper() and words[i - 2 : i - 1] != ["Mr"]:
                return [*words[: i - 1], "Mr", *words[i - 1 :]]
    last = words[-1].rstrip(".")
    return [*words[:-1], last + ",", "Mr", name, "said."]


def drop_sentence(words: list[str], src: Source, rng: random.Random) -> list[str] | None:
    """Drop one sentence of at most 40% of the words from a paragraph of 25 words or more."""
    sentences = SENTENCE.split(" ".join(words))
    short = [i for i, s in enumerate(sentences) if len(s.split()) <= 0.4 * len(words)]
    if len(words) < 25 or len(sentences) < 2 or not short:
        return None
    del sentences[rng.choice(short)]
    return " ".join(sentences).split()


EDIT_FUNCS: dict[str, Callable[[list[str], Source, random.Random], list[str] | None]] = {
    "substitute": substitute,
    "insert-delete": insert_delete,
    "case-punct": case_punct,
    "attribution": attribution,
    "drop-sentence": drop_sentence,
}


def near_copy(text: str, src: Source, rng: random.Random) -> tuple[str, str]:
    """Return an edited copy of ``text`` and the edit kind (substitution if one cannot apply)."""
    kind = rng.choices(list(EDITS), weights=list(EDITS.values()))[0]
    words = text.split()
    out = EDIT_FUNCS[kind](words, src, rng)
    if out is None or out == words:
        kind, out = "substitute", substitute(words, src, rng)
    assert out is not None
    return " ".join(out), kind


# --------------------------------------------------------------------------- writing


@dataclass
class Counts:
    records: int = 0
    real: int = 0
    filler: int = 0
    injected: int = 0


def generate(
    src: Source,
    paragraphs: int,
    near_rate: float,
    seed: int,
    out: IO[str],
    sidecar: IO[str],
) -> Counts:
    from dedup.text.normalize import tokens

    rng = random.Random(seed)
    share = min(1.0, paragraphs / DEFAULT_PARAGRAPHS)
    chosen = [r for r in src.records if rng.random() < share] if share < 1 else src.records
    real_left = sum(len(r[2]) for r in chosen)
    injected_left = round(paragraphs * near_rate)
    other_left = max(0, paragraphs - real_left)  # filler + injected slots
    injected_left = min(injected_left, other_left)
    pool: list[tuple[int, int, str, str]] = []  # record, paragraph, id, text of real sources
    c = Counts()
    real_iter = iter(chosen)
    while real_left > 0 or other_left > 0:
        rid = f"g{c.records:07d}"
        if rng.random() * (real_left + other_left) < real_left:
            source_id, text, paras = next(real_iter)
            real_left -= len(paras)
            for p, para in enumerate(paras, start=1):
                if len(tokens(para)) >= MIN_SOURCE_TOKENS:
                    pool.append((c.records, p, rid, para))
            rec = {"id": rid, "kind": "real", "source": source_id, "text": text}
            c.real += len(paras)
        else:
            n = min(other_left, rng.choice(src.sizes))
            paras = []
            for p in range(1, n + 1):
                if pool and rng.random() * other_left < injected_left:
                    ra, pa, ida, text_a = rng.choice(pool)
                    text_b, kind = near_copy(text_a, src, rng)
                    pair = {
                        "a": [ra, pa],
                        "b": [c.records, p],
                        "id_a": ida,
                        "id_b": rid,
                        "edit": kind,
                        "jaccard": round(jaccard(text_a, text_b), 6),
                    }
                    sidecar.write(json.dumps(pair) + "\n")
                    paras.append(text_b)
                    injected_left -= 1
                    c.injected += 1
                else:
                    words = list(rng.choice(src.filler))
                    rng.shuffle(words)
                    paras.append(" ".join(words))
                    c.filler += 1
                other_left -= 1
            rec = {"id": rid, "kind": "filler", "text": "\n\n".join(paras)}
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        c.records += 1
    return c


def open_out(path: Path) -> IO[str]:
    if path.name.endswith(".gz"):
        return gzip.open(path, "wt", encoding="utf-8", compresslevel=5)
    return path.open("w", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="corpus to write (.jsonl, or .jsonl.gz for gzip)")
    ap.add_argument("--paragraphs", type=int, default=DEFAULT_PARAGRAPHS)
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="the Reuters JSONL")
    ap.add_argument("--near-rate", type=float, default=0.01, help="injected share of paragraphs")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--injected", type=Path, help="sidecar (default: injected.jsonl beside OUT)")
    args = ap.parse_args()
    sidecar_path = args.injected or injected_path(args.out)
    t0 = time.perf_counter()
    src = read_source(args.source)
    with open_out(args.out) as out, sidecar_path.open("w", encoding="utf-8") as sidecar:
        c = generate(src, args.paragraphs, args.near_rate, args.seed, out, sidecar)
    print(
        f"wrote {args.out}: {c.records:,} records, {c.real + c.filler + c.injected:,} paragraphs "
        f"({c.real:,} real, {c.filler:,} filler, {c.injected:,} injected near repeats "
        f"-> {sidecar_path}) in {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
