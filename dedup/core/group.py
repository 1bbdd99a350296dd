"""Candidates -> verified matches -> groups with one kept paragraph each.

Nothing is called a repeat here without an exact check: identical normalised tokens for
``exact``, exact Jaccard of the shingle sets for ``near`` and ``similar``, exact
containment for ``contained``. Every removed paragraph is verified against the paragraph
actually kept, never through a chain.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from dedup.core.codes import Codes
from dedup.core.models import Kind
from dedup.core.settings import Keep, Settings
from dedup.text.normalize import frozen_shingles, tokens


@dataclass(frozen=True, slots=True)
class Relation:
    """The exact relation of paragraph ``a`` to paragraph ``b``."""

    kind: Kind | None
    similarity: float
    jaccard: float
    containment: float  # of a's shingles inside b
    reverse_containment: float  # of b's shingles inside a


#: Paragraphs whose tokens and shingles a Verifier keeps at once (least recently used go).
CACHE_SIZE = 4_096

#: From this many paragraphs, ``decide`` tokenises them together (``Verifier.batched``).
BATCHED_MIN = 64


class _Entry(NamedTuple):
    """What a comparison reads of one paragraph: ``same`` is equal for two paragraphs
    exactly when their tokens are; ``chars`` is the length of the tokens joined by spaces."""

    same: object
    shingles: frozenset[str] | frozenset[int]
    words: int
    chars: int


@dataclass
class Verifier:
    """Exact comparisons between paragraphs, from their compare texts.

    Tokens and shingle sets are cached for the most recently compared paragraphs only,
    so memory does not grow with the number of candidates.
    """

    texts: Sequence[str] | Mapping[int, str]
    settings: Settings
    cache_size: int = CACHE_SIZE
    _cache: OrderedDict[int, _Entry] = field(default_factory=OrderedDict)

    def _entry(self, i: int) -> _Entry:
        entry = self._cache.get(i)
        if entry is not None:
            self._cache.move_to_end(i)
            return entry
        entry = self._build(i)
        self._cache[i] = entry
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return entry

    def _build(self, i: int) -> _Entry:
        toks = tuple(tokens(self.texts[i]))
        shingles = frozen_shingles(toks, self.settings.ngram)
        return _Entry(toks, shingles, len(toks), len(" ".join(toks)))

    def batched(self, ids: Iterable[int]) -> Verifier:
        """Return a Verifier of the same paragraphs that compares only ``ids``, tokenised
        together now (``codes.Codes``: exact, and faster than one paragraph at a time)."""
        return _Batched(self.texts, self.settings, self.cache_size, ids=sorted(set(ids)))

    def same_tokens(self, a: int, b: int) -> bool:
        """Return whether paragraphs ``a`` and ``b`` have the same normalised tokens."""
        return self._entry(a).same == self._entry(b).same

    def length(self, i: int) -> int:
        """Return the length of paragraph ``i``'s normalised tokens joined by spaces."""
        return self._entry(i).chars

    def shingle_count(self, i: int) -> int:
        """Return how many distinct shingles paragraph ``i`` has."""
        return len(self._entry(i).shingles)

    def relate(self, a: int, b: int) -> Relation:
        """Return how ``a`` relates to ``b``: kind by the settings' thresholds, and the scores."""
        s = self.settings
        ea, eb = self._entry(a), self._entry(b)
        if ea.same == eb.same:
            return Relation(Kind.EXACT, 1.0, 1.0, 1.0, 1.0)
        sa, sb = ea.shingles, eb.shingles
        common = len(sa & sb)  # both str or both int
        jac = common / (len(sa) + len(sb) - common) if (sa or sb) else 0.0
        cont_a = common / len(sa) if sa else 0.0
        cont_b = common / len(sb) if sb else 0.0
        if jac >= s.threshold:
            return Relation(Kind.NEAR, jac, jac, cont_a, cont_b)
        if min(ea.words, eb.words) < s.review_min_words:
            # Short paragraphs share a few words by chance: no review tiers for them.
            return Relation(None, jac, jac, cont_a, cont_b)
        if len(sa) < len(sb) and cont_a >= s.containment:
            return Relation(Kind.CONTAINED, cont_a, jac, cont_a, cont_b)
        if jac >= s.review_threshold:
            return Relation(Kind.SIMILAR, jac, jac, cont_a, cont_b)
        return Relation(None, jac, jac, cont_a, cont_b)


class _Batched(Verifier):
    """A Verifier over integer codes of its paragraphs (``codes.Codes``), made at once."""

    def __init__(
        self,
        texts: Sequence[str] | Mapping[int, str],
        settings: Settings,
        cache_size: int,
        *,
        ids: Sequence[int],
    ) -> None:
        super().__init__(texts, settings, cache_size)
        self._codes = Codes(texts, ids, settings.ngram)

    def _build(self, i: int) -> _Entry:
        return _Entry(*self._codes.entry(i))  # KeyError: a paragraph it was not made for

    def same_tokens(self, a: int, b: int) -> bool:
        # Read from the codes: no shingle set is made for a copy only compared whole.
        return self._codes.key(a) == self._codes.key(b)

    def batched(self, ids: Iterable[int]) -> Verifier:
        wanted = set(ids)
        if wanted.issubset(self._codes.row):
            return self  # already made for them
        return _Batched(self.texts, self.settings, self.cache_size, ids=sorted(wanted))


class UnionFind:
    """Disjoint sets over integer ids; the root of a set is its smallest id."""

    def __init__(self) -> None:
        self._parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        """Return the root of ``x``."""
        parent = self._parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        """Join the sets of ``a`` and ``b``."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)

    def components(self) -> list[list[int]]:
        """Return the sets with more than one member, each sorted, in order of first member."""
        groups: dict[int, list[int]] = {}
        for x in sorted(self._parent):
            groups.setdefault(self.find(x), []).append(x)
        return [g for g in groups.values() if len(g) > 1]


@dataclass(frozen=True, slots=True)
class Removal:
    """Paragraph ``removed`` goes; ``kept`` stays; ``relation`` is removed-to-kept."""

    removed: int
    kept: int
    relation: Relation


def choose_kept(members: Sequence[int], keep: Keep, length: Callable[[int], int]) -> int:
    """Return the member kept by the policy; ties go to the earliest."""
    if keep is Keep.LAST:
        return max(members)
    if keep is Keep.LONGEST:
        return min(members, key=lambda m: (-length(m), m))
    return min(members)


def resolve_groups(
    components: Iterable[Sequence[int]], verifier: Verifier, remove: Sequence[Kind]
) -> list[Removal]:
    """Pick the kept paragraph of each component and verify every removal against it.

    Members not close enough to the kept paragraph are not removed on its account; they
    form the next round among themselves, so no chain "A like B like C" removes C for A.
    """
    keep = verifier.settings.keep
    removals: list[Removal] = []
    for component in components:
        remaining = sorted(component)
        while len(remaining) > 1:
            kept = choose_kept(remaining, keep, verifier.length)
            left: list[int] = []
            for m in remaining:
                if m == kept:
                    continue
                rel = verifier.relate(m, kept)
                if rel.kind is not None and rel.kind in remove and rel.kind is not Kind.CONTAINED:
                    removals.append(Removal(m, kept, rel))
                else:
                    left.append(m)
            remaining = left  # the rest were pulled in by a removed bridge: next round
    return removals


def resolve_contained(
    pairs: Iterable[tuple[int, int]],
    verifier: Verifier,
    removed: set[int],
    earlier: list[Removal] | None = None,
) -> list[Removal]:
    """Remove paragraphs contained in a kept, longer paragraph (longest decided first).

    Every removal points to a paragraph that is kept. A paragraph that ``earlier``
    removals (the groups' exact and near copies) point to is removed as contained only
    when each of those copies is itself verified a removable repeat of the same container:
    they are then pointed to it (``earlier`` is updated in place). Otherwise it stays.
    """
    remove = verifier.settings.remove
    copies: dict[int, list[int]] = {}  # kept paragraph -> indexes in ``earlier``
    for n, r in enumerate(earlier or []):
        copies.setdefault(r.kept, []).append(n)
    containers: dict[int, list[int]] = {}
    for small, large in pairs:
        containers.setdefault(small, []).append(large)
    order = sorted(containers, key=lambda i: (-verifier.shingle_count(i), i))
    out: list[Removal] = []
    for small in order:
        if small in removed:
            continue
        options: list[tuple[float, int, Relation]] = []
        for large in sorted(containers[small]):
            if large in removed:
                continue
            rel = verifier.relate(small, large)
            if rel.kind is Kind.CONTAINED:
                options.append((rel.similarity, large, rel))
        # Best first (the highest containment, then the earliest container).
        for _, large, rel in sorted(options, key=lambda o: (-o[0], o[1])):
            moved = _repoint(copies.get(small, []), large, earlier or [], verifier, remove)
            if moved is None:
                continue  # a copy of ``small`` is no repeat of ``large``: try another
            for n, r in moved:
                assert earlier is not None
                earlier[n] = r
                copies.setdefault(large, []).append(n)
            copies.pop(small, None)
            out.append(Removal(small, large, rel))
            removed.add(small)
            break
    return out


def _repoint(
    indexes: Sequence[int],
    large: int,
    earlier: Sequence[Removal],
    verifier: Verifier,
    remove: Sequence[Kind],
) -> list[tuple[int, Removal]] | None:
    """Return the removals at ``indexes`` pointed to ``large``, each verified against it;
    None when one of them is not a repeat of ``large`` of a kind that is removed."""
    out: list[tuple[int, Removal]] = []
    for n in indexes:
        rel = verifier.relate(earlier[n].removed, large)
        if rel.kind is None or rel.kind not in remove:
            return None
        out.append((n, Removal(earlier[n].removed, large, rel)))
    return out


@dataclass(frozen=True, slots=True)
class Candidates:
    """What the indexes propose, by global paragraph id; nothing here is verified yet.

    ``classes`` are paragraphs with the same normalised-token fingerprint (verified by
    their tokens in ``decide``); ``pairs`` come from MinHash LSH and the small-set keys;
    ``contained`` are ``(small, large)`` pairs from containment prefix filtering.
    ``buckets`` and ``contained_buckets`` are dense buckets: every pair of members of one
    (ids sorted) belongs to ``pairs`` or ``contained`` as if spelled out.
    """

    classes: list[list[int]]
    pairs: set[tuple[int, int]]
    contained: set[tuple[int, int]]
    buckets: list[list[int]] = field(default_factory=list)
    contained_buckets: list[list[int]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Verified:
    """A verified pair: ``measured`` relates to ``other`` as ``relation`` says."""

    measured: int
    other: int
    relation: Relation


@dataclass(frozen=True, slots=True)
class Decision:
    """Every removal (with its kept paragraph) and the pairs left for review."""

    removals: list[Removal]
    review: list[Verified]


def exact_classes(classes: Iterable[Sequence[int]], verifier: Verifier) -> list[list[int]]:
    """Return the fingerprint classes split by their actual tokens (a digest is not proof)."""
    out: list[list[int]] = []
    for members in classes:
        same = [m for m in members if verifier.same_tokens(m, members[0])]
        if len(same) > 1:
            out.append(same)
    return out


def verify_pairs(
    pairs: Iterable[tuple[int, int]], verifier: Verifier
) -> dict[tuple[int, int], Verified]:
    """Verify each pair exactly; keep those with a kind, measured in the right direction.

    The later paragraph is measured against the earlier one, except when the earlier
    one is the shorter and lies inside the later: then it is the one ``contained``,
    whichever comes first.
    """
    out: dict[tuple[int, int], Verified] = {}
    for a, b in sorted(pairs):
        v = verify_pair(a, b, verifier)
        if v is not None:
            out[(a, b)] = v
    return out


def verify_pair(a: int, b: int, verifier: Verifier) -> Verified | None:
    """Verify the pair ``a < b`` as ``verify_pairs`` does; None when it has no kind."""
    rel = verifier.relate(b, a)
    containment = verifier.settings.containment
    if rel.kind in (None, Kind.SIMILAR) and rel.reverse_containment >= containment:
        back = verifier.relate(a, b)
        if back.kind is Kind.CONTAINED:
            return Verified(a, b, back)
    if rel.kind is not None:
        return Verified(b, a, rel)
    return None


class _Pairs:
    """The candidate pairs: spelled out, and dense buckets (all pairs of their members)."""

    def __init__(self, pairs: set[tuple[int, int]], buckets: Sequence[Sequence[int]]) -> None:
        self.pairs = pairs
        self.buckets = buckets
        self._of: dict[int, list[int]] = {}
        for n, bucket in enumerate(buckets):
            for m in bucket:
                self._of.setdefault(m, []).append(n)

    def __contains__(self, pair: tuple[int, int]) -> bool:
        if pair in self.pairs:
            return True
        mine = self._of.get(pair[0])
        return mine is not None and not set(mine).isdisjoint(self._of.get(pair[1], ()))

    def among(self, alive: Callable[[int], bool]) -> set[tuple[int, int]]:
        """Return the pairs, spelled out, whose two members are ``alive``."""
        out = {(a, b) for a, b in self.pairs if alive(a) and alive(b)}
        for bucket in self.buckets:
            live = sorted(m for m in bucket if alive(m))
            out.update((x, y) for i, x in enumerate(live) for y in live[i + 1 :])
        return out


def decide(candidates: Candidates, verifier: Verifier) -> Decision:
    """Verify the candidates, form groups, keep one paragraph per group, verify removals.

    A pair proposed only by containment prefix filtering counts only if it is verified
    ``contained``: which such pairs are proposed depends on how the prefixes are ordered,
    and the answer must not.

    The result is that of verifying every candidate pair (``decide_all_pairs``), without
    doing so: a pair is verified for grouping only while its two paragraphs are not yet
    in one group (joining them is all its verification could do), and for review and
    containment only when neither paragraph is removed from a group (no other pair's
    relation is ever read). So n near-identical paragraphs, all candidates of each other,
    take about n verifications, not n * (n - 1) / 2.
    """
    ids = _ids(candidates)
    if len(ids) >= BATCHED_MIN:
        verifier = verifier.batched(ids)
    s = verifier.settings
    classes = exact_classes(candidates.classes, verifier)
    near = _Pairs(candidates.pairs, candidates.buckets)
    known: dict[tuple[int, int], Verified | None] = {}

    def verified(a: int, b: int) -> Verified | None:
        pair = (a, b) if a < b else (b, a)
        if pair not in known:
            known[pair] = verify_pair(pair[0], pair[1], verifier)
        return known[pair]

    def joins(v: Verified | None) -> bool:
        kind = None if v is None else v.relation.kind
        return kind is not None and kind in s.remove and kind is not Kind.CONTAINED

    uf = UnionFind()
    if Kind.EXACT in s.remove:
        for members in classes:
            for m in members[1:]:
                uf.union(members[0], m)
    rep_class = {members[0]: members for members in classes}
    for a, b in sorted(candidates.pairs):
        if uf.find(a) != uf.find(b) and joins(verified(a, b)):
            uf.union(a, b)
    for bucket in candidates.buckets:
        _join_bucket(bucket, uf, lambda a, b: joins(verified(a, b)))
    removals = resolve_groups(uf.components(), verifier, s.remove)
    gone = {r.removed for r in removals}

    def alive(x: int) -> bool:
        return x not in gone or any(m not in gone for m in rep_class.get(x, ()))

    # Every pair whose relation is read below: both paragraphs (or a class they stand for)
    # still there. Contained-only pairs count only if verified contained.
    relations: dict[tuple[int, int], Verified] = {}
    for pair in sorted(near.among(alive)):
        v = verified(*pair)
        if v is not None:
            relations[pair] = v
    contained = _Pairs(
        {(min(a, b), max(a, b)) for a, b in candidates.contained}, candidates.contained_buckets
    )
    for pair in sorted(contained.among(alive)):
        if pair in relations or pair in near:
            continue
        v = verified(*pair)
        if v is not None and v.relation.kind is Kind.CONTAINED:
            relations[pair] = v
    relations = dict(sorted(relations.items()))
    if Kind.CONTAINED in s.remove:
        removed = set(gone)
        pairs = [
            (v.measured, v.other) for v in relations.values() if v.relation.kind is Kind.CONTAINED
        ]
        expanded = [(x, large) for small, large in pairs for x in rep_class.get(small, [small])]
        removals += resolve_contained(sorted(expanded), verifier, removed, removals)
    removed = {r.removed for r in removals}
    review = [v for (a, b), v in relations.items() if a not in removed and b not in removed]
    return Decision(removals, review)


def _ids(candidates: Candidates) -> set[int]:
    """Return every paragraph ``candidates`` name: all that ``decide`` compares."""
    ids = {m for members in candidates.classes for m in members}
    ids.update(x for pair in candidates.pairs for x in pair)
    ids.update(x for pair in candidates.contained for x in pair)
    ids.update(m for bucket in candidates.buckets for m in bucket)
    ids.update(m for bucket in candidates.contained_buckets for m in bucket)
    return ids


def _join_bucket(bucket: Sequence[int], uf: UnionFind, joins: Callable[[int, int], bool]) -> None:
    """Join every pair of ``bucket`` that ``joins``, skipping pairs already in one group.

    Members are taken in order; each is tried against the members seen so far, one group
    at a time, until one pair joins (the rest of that group needs no check). For n
    near-identical members that is n - 1 checks.
    """
    seen: list[list[int]] = []  # members seen so far, by group
    for m in bucket:
        joined: list[list[int]] = []
        rest: list[list[int]] = []
        for group in seen:
            if uf.find(group[0]) == uf.find(m) or _joins_any(group, m, uf, joins):
                joined.append(group)
            else:
                rest.append(group)
        merged = max(joined, key=len, default=[])  # the smaller lists go into the largest
        for group in joined:
            if group is not merged:
                merged.extend(group)
        merged.append(m)
        rest.append(merged)
        seen = rest


def _joins_any(
    group: Sequence[int], m: int, uf: UnionFind, joins: Callable[[int, int], bool]
) -> bool:
    """Join ``m`` to the first member of ``group`` it joins; return whether one did."""
    for x in group:
        if joins(x, m):
            uf.union(x, m)
            return True
    return False
