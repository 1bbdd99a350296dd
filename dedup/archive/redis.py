"""The shared archive: a Redis server, for many writers and CI jobs (redis-py).

Why not datasketch's Redis storage (``MinHashLSH(storage_config={"type": "redis"})``):
it writes each band table and the key table through its own buffered pipeline, each
flushed separately (and whenever 50,000 commands are buffered), so an add killed midway
leaves some bands written and others not, and there is no way to make a whole add one
transaction through it; inserting a key again raises or duplicates its band list; a
removal costs several round trips per band; a query is one round trip per band per
paragraph; and every bucket is a Redis key of its own plus a field in a per-band hash,
about 7 KB per paragraph at 32 bands, which does not fit a million paragraphs in memory.
It also has nowhere for the exact-fingerprint, short-paragraph and containment keys.

So this backend uses plain Redis structures (under ``PREFIX:``, default ``dedup:``):

- ``meta`` (hash): settings, counters of sources and paragraphs, id and batch counters;
- ``src:NAME`` (string, JSON): one per source, the per-source key writers coordinate on:
  its content digest, label, date, the batch that wrote it and its paragraph id range;
- ``sources`` (set): the source names;
- ``p:ID`` (string): one archived paragraph (JSON header and packed arrays);
- ``x:SHARD`` (sorted sets, 2**20 shards): the postings, members ``tag|key|id`` (13
  bytes) found by ``ZRANGEBYLEX`` on ``tag|key``; small shards stay in Redis's compact
  listpack encoding (about 20 bytes a posting);
- ``pending`` (hash), ``lease:BATCH`` (expiring string) and ``trash`` (list): batches
  being written, and id ranges waiting to be deleted.

Atomicity: add-then-commit. An add writes its paragraphs and postings under a fresh
batch number (invisible: a paragraph is visible only while its source's record names its
batch), then one Lua script, which Redis runs atomically, checks that the batch is still
pending, points each source at it (or leaves a source whose content is unchanged as it
is), adjusts the counters and files superseded id ranges in ``trash``. Killed before the
script, nothing visible changed; the batch's lease expires (``LEASE_SECONDS``) and the next
writer moves its ids to ``trash`` and deletes them. Removal is one script too.

Concurrency: writers of different sources never conflict (ids come from ``HINCRBY``);
writers of the same source are serialised by the commit script, which decides on the
source's record as it is at commit time (last commit wins, both complete, nothing lost).
"""

from __future__ import annotations

import contextlib
import json
import os
import struct
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
import numpy.typing as npt

from dedup.archive import keys as k
from dedup.archive.store import (
    AddResult,
    ArchivedParagraph,
    ArchiveError,
    ArchiveSettings,
    Counts,
    SourceEntry,
    SourceInfo,
)
from dedup.text.safe_text import mask_credentials, scrub

try:
    import redis
except ImportError:  # pragma: no cover - exercised only without the extra
    redis = None  # type: ignore[assignment]

SCHEMES = ("redis://", "rediss://", "unix://")
SHARD_BITS = 20
#: A batch whose writer has not renewed its lease for this long is taken as dead.
LEASE_SECONDS = float(os.environ.get("DEDUP_ARCHIVE_LEASE_SECONDS", "60"))
_CHUNK = 5000
_MIX_KEY = 0x9E3779B97F4A7C15
_MIX_TAG = 0xC2B2AE3D27D4EB4F

_COMMIT = """
local P, batch = ARGV[1], ARGV[2]
if redis.call('HEXISTS', P .. 'pending', batch) == 0 then
  return redis.error_reply('batch ' .. batch .. ' expired before it was committed')
end
local items = cjson.decode(ARGV[3])
local out = {added = {}, replaced = {}, unchanged = {}, relabelled = {}}
local dp, ds = 0, 0
for _, it in ipairs(items) do
  local key = P .. 'src:' .. it.source
  local raw = redis.call('GET', key)
  local prev = false
  if raw then prev = cjson.decode(raw) end
  local label = it.label
  if label == cjson.null and prev then label = prev.label end
  if prev and prev.digest == it.digest then
    if it.count > 0 then redis.call('RPUSH', P .. 'trash', it.first .. ':' .. it.count) end
    if prev.label ~= label then
      prev.label = label
      redis.call('SET', key, cjson.encode(prev))
      table.insert(out.relabelled, it.source)
    else
      table.insert(out.unchanged, it.source)
    end
  elseif it.only_label then
    table.insert(out.unchanged, it.source)
  else
    if prev then
      if prev.count > 0 then
        redis.call('RPUSH', P .. 'trash', prev.first .. ':' .. prev.count)
      end
      dp = dp - prev.count
      table.insert(out.replaced, it.source)
    else
      ds = ds + 1
      table.insert(out.added, it.source)
    end
    redis.call('SET', key, cjson.encode({batch = batch, digest = it.digest, label = label,
      added = it.added, first = it.first, count = it.count}))
    redis.call('SADD', P .. 'sources', it.source)
    dp = dp + it.count
  end
end
redis.call('HINCRBY', P .. 'meta', 'paragraphs', dp)
redis.call('HINCRBY', P .. 'meta', 'sources', ds)
redis.call('HDEL', P .. 'pending', batch)
redis.call('DEL', P .. 'lease:' .. batch)
return cjson.encode(out)
"""

_REMOVE = """
local P = ARGV[1]
local names = cjson.decode(ARGV[2])
local removed = {}
local dp, ds = 0, 0
for _, name in ipairs(names) do
  local key = P .. 'src:' .. name
  local raw = redis.call('GET', key)
  if raw then
    local prev = cjson.decode(raw)
    if prev.count > 0 then redis.call('RPUSH', P .. 'trash', prev.first .. ':' .. prev.count) end
    redis.call('DEL', key)
    redis.call('SREM', P .. 'sources', name)
    dp = dp - prev.count
    ds = ds - 1
    table.insert(removed, name)
  end
end
redis.call('HINCRBY', P .. 'meta', 'paragraphs', dp)
redis.call('HINCRBY', P .. 'meta', 'sources', ds)
return cjson.encode(removed)
"""

# Abandon a batch: when its writer failed (ARGV[3] = '1') or its lease expired.
_ABANDON = """
local P, batch = ARGV[1], ARGV[2]
local info = redis.call('HGET', P .. 'pending', batch)
if not info then return 0 end
if ARGV[3] ~= '1' and redis.call('EXISTS', P .. 'lease:' .. batch) == 1 then return 0 end
redis.call('HDEL', P .. 'pending', batch)
redis.call('RPUSH', P .. 'trash', info)
return 1
"""


# Postings in bulk: ARGV[2] holds 17-byte entries, a 3-byte shard and a 14-byte member.
_POSTINGS = """
local P, blob, add = ARGV[1], ARGV[2], ARGV[3] == 'add'
for i = 1, #blob, 17 do
  local a, b, c = string.byte(blob, i, i + 2)
  local key = P .. 'x:' .. string.format('%05x', (a * 256 + b) * 256 + c)
  if add then
    redis.call('ZADD', key, 0, string.sub(blob, i + 3, i + 16))
  else
    redis.call('ZREM', key, string.sub(blob, i + 3, i + 16))
  end
end
return 1
"""

# Lookups in bulk: ARGV[2] holds 13-byte entries, a 3-byte shard and a 10-byte tag|key.
# With ARGV[3] = 'count' returns the number of members per entry; else, per entry, a
# 4-byte count and the 4-byte ids, all in one string.
_LOOKUP = """
local P, blob, count = ARGV[1], ARGV[2], ARGV[3] == 'count'
local out = {}
local top = string.char(255, 255, 255, 255)
for i = 1, #blob, 13 do
  local a, b, c = string.byte(blob, i, i + 2)
  local key = P .. 'x:' .. string.format('%05x', (a * 256 + b) * 256 + c)
  local lo = '[' .. string.sub(blob, i + 3, i + 12)
  if count then
    out[#out + 1] = redis.call('ZLEXCOUNT', key, lo, lo .. top)
  else
    local found = redis.call('ZRANGEBYLEX', key, lo, lo .. top)
    local n = #found
    out[#out + 1] = string.char(math.floor(n / 16777216) % 256, math.floor(n / 65536) % 256,
      math.floor(n / 256) % 256, n % 256)
    for _, m in ipairs(found) do out[#out + 1] = string.sub(m, 11, 14) end
  end
end
if count then return out end
return table.concat(out)
"""

_ENTRY = np.dtype([("shard", ">u4"), ("tag", ">u2"), ("key", ">u8"), ("id", ">u4")])
_QUERY = np.dtype([("shard", ">u4"), ("tag", ">u2"), ("key", ">u8")])
_BULK = 20_000  # postings or lookups per script call (each call blocks the server briefly)


def _shards(tag: npt.NDArray[np.int64], key: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    mixed = (key * np.uint64(_MIX_KEY)) ^ (tag.astype(np.uint64) * np.uint64(_MIX_TAG))
    return mixed >> np.uint64(64 - SHARD_BITS)


def _entries(tag: npt.NDArray[np.int64], key: npt.NDArray[np.uint64], ids: Any) -> bytes:
    """Return postings as 17-byte script entries (shard in 3 bytes, then tag|key|id)."""
    out = np.empty(len(tag), dtype=_ENTRY)
    out["shard"], out["tag"], out["key"], out["id"] = _shards(tag, key), tag, key, ids
    return _drop_first_byte(out.tobytes(), _ENTRY.itemsize)


def _queries(tag: npt.NDArray[np.int64], key: npt.NDArray[np.uint64]) -> bytes:
    out = np.empty(len(tag), dtype=_QUERY)
    out["shard"], out["tag"], out["key"] = _shards(tag, key), tag, key
    return _drop_first_byte(out.tobytes(), _QUERY.itemsize)


def _drop_first_byte(data: bytes, size: int) -> bytes:
    """Drop the high byte of each record's 4-byte shard (shards fit in 3 bytes)."""
    rows = np.frombuffer(data, dtype=np.uint8).reshape(-1, size)
    return rows[:, 1:].tobytes()


def is_redis(location: str) -> bool:
    """Return whether ``location`` names a Redis archive (a redis://, rediss:// or unix:// URL)."""
    return location.startswith(SCHEMES)


def _split_url(url: str) -> tuple[str, str]:
    """Return the URL for redis-py and the key prefix (``?prefix=NAME``, default ``dedup``)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    name = next((v for key, v in query if key == "prefix"), "dedup")
    rest = urlencode([(key, v) for key, v in query if key != "prefix"])
    return urlunsplit(parts._replace(query=rest)), name


def _public(url: str) -> str:
    """Return ``url`` with every credential masked (userinfo, query), for messages and reports."""
    return mask_credentials(url)


def _pack(p: ArchivedParagraph, batch: int) -> bytes:
    head = json.dumps(
        {
            "s": p.source,
            "b": batch,
            "p": p.paragraph,
            "l": list(p.lines),
            "c": list(p.columns),
            "w": p.words,
            "t": p.text,
            "n": len(p.hashes),
            "k": len(p.prefix),
        },
        ensure_ascii=False,
    ).encode("utf-8")
    return b"".join(
        [
            struct.pack("<I", len(head)),
            head,
            p.digest,
            np.asarray(p.signature, dtype="<u4").tobytes(),
            np.asarray(p.hashes, dtype="<u4").tobytes(),
            np.asarray(p.prefix, dtype="<u4").tobytes(),
        ]
    )


def _unpack(pid: int, data: bytes, num_perm: int) -> tuple[ArchivedParagraph, int]:
    (n,) = struct.unpack_from("<I", data)
    head = json.loads(data[4 : 4 + n])
    at = 4 + n
    digest = data[at : at + 16]
    at += 16
    arrays = np.frombuffer(data[at:], dtype="<u4").astype(np.uint32)
    sig = arrays[:num_perm]
    hashes = arrays[num_perm : num_perm + head["n"]]
    prefix = arrays[num_perm + head["n"] : num_perm + head["n"] + head["k"]]
    para = ArchivedParagraph(
        source=head["s"],
        paragraph=head["p"],
        lines=(head["l"][0], head["l"][1]),
        columns=(head["c"][0], head["c"][1]),
        words=head["w"],
        digest=digest,
        text=head["t"],
        signature=sig,
        hashes=hashes,
        prefix=prefix,
        id=pid,
    )
    return para, int(head["b"])


def _names(value: Any) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else ()  # cjson writes {} for empty lists


class RedisStore:
    """An archive on a Redis server."""

    def __init__(self, url: str, *, create: bool) -> None:
        self.location = _public(url)  # as reports show it: without a password
        if redis is None:
            raise ArchiveError(
                self.location,
                "a redis:// archive needs the Redis client: pip install 'dedup-paragraphs[redis]'",
            )
        client_url, name = _split_url(url)
        self._url = url
        self.prefix = name + ":"
        try:
            self.r = redis.Redis.from_url(client_url, socket_timeout=60)
            self.r.ping()
        except (redis.RedisError, ValueError) as exc:
            raise ArchiveError(self.location, f"cannot connect: {scrub(str(exc), url)}") from None
        self._commit = self.r.register_script(_COMMIT)
        self._remove = self.r.register_script(_REMOVE)
        self._abandon = self.r.register_script(_ABANDON)
        self._postings = self.r.register_script(_POSTINGS)
        self._lookup = self.r.register_script(_LOOKUP)
        if not create and self.settings() is None:
            raise ArchiveError(
                self.location,
                f"no such archive (no {name}:meta on this server; dedup archive add makes one)",
            )
        self._settings: ArchiveSettings | None = None

    def _key(self, *parts: str) -> str:
        return self.prefix + "".join(parts)

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except redis.RedisError as exc:
            raise ArchiveError(self.location, scrub(str(exc), self._url)) from None

    # -- settings ---------------------------------------------------------------------------

    def settings(self) -> ArchiveSettings | None:
        """Return the stored settings, or None for an archive not created yet."""
        raw = self._call(self.r.hget, self._key("meta"), "settings")
        return ArchiveSettings.from_json(self.location, raw.decode()) if raw else None

    def _known(self) -> ArchiveSettings:
        if self._settings is None:
            self._settings = self.settings()
        assert self._settings is not None
        return self._settings

    def create(self, settings: ArchiveSettings) -> ArchiveSettings:
        """Record ``settings`` unless another writer did first; return the recorded ones."""
        self._call(self.r.hsetnx, self._key("meta"), "settings", settings.to_json())
        stored = self.settings()
        assert stored is not None
        return stored

    # -- reading ----------------------------------------------------------------------------

    def _source_records(self, names: Sequence[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(names), 10_000):
            part = list(names[start : start + 10_000])
            raws = self._call(self.r.mget, [self._key("src:", n) for n in part])
            for name, raw in zip(part, raws, strict=True):
                if raw is not None:
                    out[name] = json.loads(raw)
        return out

    def _all_names(self) -> list[str]:
        return sorted(n.decode() for n in self._call(self.r.smembers, self._key("sources")))

    def sources(self, names: Sequence[str] | None = None) -> dict[str, SourceInfo]:
        """Return the named sources that are archived (all when ``names`` is None)."""
        records = self._source_records(self._all_names() if names is None else list(names))
        return {
            n: SourceInfo(n, r["digest"], _label(r["label"]), r["added"], int(r["count"]))
            for n, r in records.items()
        }

    def shingle_counts(self, hashes: Sequence[int], cap: int) -> dict[int, int]:
        """Return, per shingle hash, how many archived paragraphs hold it (at most ``cap``)."""
        out: dict[int, int] = {}
        values = np.asarray(list(hashes), dtype=np.uint64)
        for start in range(0, len(values), _BULK):
            part = values[start : start + _BULK]
            blob = _queries(np.full(len(part), k.SHINGLE, dtype=np.int64), part)
            counts = self._call(self._lookup, args=[self.prefix, blob, "count"])
            for h, n in zip(part.tolist(), counts, strict=True):
                if n:
                    out[h] = min(int(n), cap)
        return out

    def lookup(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], list[int]]:
        """Return, per posting key ``(tag, key)``, the ids filed under it (visible or not)."""
        out: dict[tuple[int, int], list[int]] = {}
        values = list(keys)
        for start in range(0, len(values), _BULK):
            part = values[start : start + _BULK]
            tags = np.array([t for t, _ in part], dtype=np.int64)
            ks = np.array([key for _, key in part], dtype=np.uint64)
            data = self._call(self._lookup, args=[self.prefix, _queries(tags, ks), "ids"])
            at = 0
            for tk in part:
                (n,) = struct.unpack_from(">I", data, at)
                at += 4
                if n:
                    out[tk] = np.frombuffer(data, dtype=">u4", count=n, offset=at).tolist()
                    at += 4 * n
        return out

    def _records(self, ids: Sequence[int]) -> list[tuple[ArchivedParagraph, int]]:
        settings = self._known()
        out: list[tuple[ArchivedParagraph, int]] = []
        for start in range(0, len(ids), 10_000):
            part = list(ids[start : start + 10_000])
            raws = self._call(self.r.mget, [self._key("p:", str(i)) for i in part])
            for pid, raw in zip(part, raws, strict=True):
                if raw is not None:
                    out.append(_unpack(pid, raw, settings.num_perm))
        return out

    def fetch(self, ids: Sequence[int]) -> dict[int, ArchivedParagraph]:
        """Return the visible archived paragraphs with these ids."""
        records = self._records(sorted(set(ids)))
        sources = self._source_records(sorted({p.source for p, _ in records}))
        out: dict[int, ArchivedParagraph] = {}
        for p, batch in records:
            src = sources.get(p.source)
            if src is not None and int(src["batch"]) == batch:
                out[p.id] = _with_source(p, src)
        return out

    def paragraphs(self) -> Iterator[ArchivedParagraph]:
        """Yield every archived paragraph, by source name and paragraph number."""
        names = self._all_names()
        for start in range(0, len(names), 1000):
            records = self._source_records(names[start : start + 1000])
            for name in names[start : start + 1000]:
                src = records.get(name)
                if src is None:
                    continue
                first, count = int(src["first"]), int(src["count"])
                found = [
                    _with_source(p, src)
                    for p, batch in self._records(range(first, first + count))
                    if batch == int(src["batch"])
                ]
                yield from sorted(found, key=lambda p: p.paragraph)

    def totals(self) -> tuple[int, int]:
        """Return the numbers of sources and paragraphs (the counters the commits keep)."""
        meta = self._call(self.r.hmget, self._key("meta"), ["sources", "paragraphs"])
        return int(meta[0] or 0), int(meta[1] or 0)

    def counts(self) -> Counts:
        """Return the numbers of sources and paragraphs, labels, dates and memory used."""
        meta = self._call(self.r.hmget, self._key("meta"), ["sources", "paragraphs"])
        records = self._source_records(self._all_names())
        labels: dict[str | None, int] = {}
        for r in records.values():
            labels[_label(r["label"])] = labels.get(_label(r["label"]), 0) + 1
        dates = sorted(r["added"] for r in records.values())
        memory = self._call(self.r.info, "memory")
        return Counts(
            sources=int(meta[0] or 0),
            paragraphs=int(meta[1] or 0),
            labels=labels,
            first_added=dates[0] if dates else None,
            last_added=dates[-1] if dates else None,
            size_bytes=int(memory["used_memory"]),
            size_note="Redis used_memory, whole server",
        )

    # -- writing ----------------------------------------------------------------------------

    def add(self, entries: Sequence[SourceEntry], added: str) -> AddResult:
        """Write every entry under a new batch, then commit them all in one script."""
        settings = self._known()
        self.collect()
        current = self._source_records([e.source for e in entries])
        items: list[dict[str, Any]] = []
        writes: list[SourceEntry] = []
        for e in entries:
            before = current.get(e.source)
            if before is not None and before["digest"] == e.digest:
                items.append(_item(e, added, 0, 0) | {"only_label": True})
            else:
                writes.append(e)
        total = sum(len(e.paragraphs) for e in writes)
        batch = int(self._call(self.r.hincrby, self._key("meta"), "next_batch", 1))
        last = int(self._call(self.r.hincrby, self._key("meta"), "next_id", max(total, 0)))
        first = last - total + 1
        self._call(
            self.r.hset, self._key("pending"), str(batch), f"{first}:{total}" if total else "1:0"
        )
        self._lease(batch)
        try:
            pid = first
            for e in writes:
                items.append(_item(e, added, pid, len(e.paragraphs)))
                pid += len(e.paragraphs)
            self._write([p for e in writes for p in e.paragraphs], first, batch, settings)
            raw = self._call(self._commit, args=[self.prefix, str(batch), json.dumps(items)])
        except BaseException:
            with contextlib.suppress(Exception):  # the server may be what failed
                self._abandon(args=[self.prefix, str(batch), "1"])
            raise
        self.collect()
        result = json.loads(raw)
        return AddResult(
            added=_names(result["added"]),
            replaced=_names(result["replaced"]),
            unchanged=_names(result["unchanged"]),
            relabelled=_names(result["relabelled"]),
            paragraphs=sum(
                len(e.paragraphs)
                for e in writes
                if e.source in set(_names(result["added"]) + _names(result["replaced"]))
            ),
        )

    def remove(self, names: Sequence[str]) -> list[str]:
        """Remove the named sources in one script; return those that were archived."""
        if self.settings() is None:
            return []
        raw = self._call(self._remove, args=[self.prefix, json.dumps(list(names))])
        self.collect()
        return sorted(_names(json.loads(raw)))

    def collect(self) -> None:
        """Delete what dead batches and superseded sources left: postings and records."""
        for batch in self._call(self.r.hkeys, self._key("pending")):
            if not self._call(self.r.exists, self._key("lease:", batch.decode())):
                self._call(self._abandon, args=[self.prefix, batch.decode(), "0"])
        for entry in self._call(self.r.lrange, self._key("trash"), 0, -1):
            first, count = (int(x) for x in entry.decode().split(":"))
            for start in range(first, first + count, _CHUNK):
                ids = range(start, min(start + _CHUNK, first + count))
                self._delete([p for p, _ in self._records(ids)])
            self._call(self.r.lrem, self._key("trash"), 1, entry)

    def close(self) -> None:
        """Close the connection pool."""
        self.r.close()

    # -- helpers ----------------------------------------------------------------------------

    def _lease(self, batch: int) -> None:
        self._call(self.r.set, self._key("lease:", str(batch)), "1", px=int(LEASE_SECONDS * 1000))

    def _write(
        self, paragraphs: Sequence[ArchivedParagraph], first: int, batch: int, s: ArchiveSettings
    ) -> None:
        if first + len(paragraphs) >= 1 << 32:
            raise ArchiveError(self.location, "paragraph ids are exhausted (2**32)")
        for start in range(0, len(paragraphs), _CHUNK):
            part = paragraphs[start : start + _CHUNK]
            ids = np.arange(first + start, first + start + len(part), dtype=np.int64)
            records = {
                self._key("p:", str(i)): _pack(p, batch)
                for i, p in zip(ids.tolist(), part, strict=True)
            }
            self._call(self.r.mset, records)
            self._bulk(k.postings(part, s), ids, "add")
            self._call(self.r.pexpire, self._key("lease:", str(batch)), int(LEASE_SECONDS * 1000))

    def _bulk(self, found: k.Postings, ids: npt.NDArray[np.int64], verb: str) -> None:
        blob = _entries(found.tag, found.key, ids[found.owner])
        step = _BULK * _ENTRY.itemsize - _BULK  # 17 bytes an entry
        for start in range(0, len(blob), step):
            self._call(self._postings, args=[self.prefix, blob[start : start + step], verb])

    def _delete(self, paragraphs: Sequence[ArchivedParagraph]) -> None:
        if not paragraphs:
            return
        ids = np.array([p.id for p in paragraphs], dtype=np.int64)
        self._bulk(k.postings(paragraphs, self._known()), ids, "remove")
        self._call(self.r.delete, *[self._key("p:", str(p.id)) for p in paragraphs])


def _item(e: SourceEntry, added: str, first: int, count: int) -> dict[str, Any]:
    return {
        "source": e.source,
        "digest": e.digest,
        "label": e.label,
        "added": added,
        "first": first,
        "count": count,
    }


def _label(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _with_source(p: ArchivedParagraph, src: dict[str, Any]) -> ArchivedParagraph:
    return replace(p, label=_label(src["label"]), added=str(src["added"]))
