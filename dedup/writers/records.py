"""Cleaned JSONL and its provenance: records in order, other fields untouched."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from dedup.jsonl import JsonlFile
from dedup.models import Match, Report
from dedup.pipeline import Cleaned
from dedup.writers.notes import NOTES_VERSION, settings_dict


def _record_of(jf: JsonlFile) -> dict[int, tuple[str, int]]:
    return {r.doc: (r.id, r.line) for r in jf.records if r.doc is not None}


def removal_entry(m: Match, where: dict[int, tuple[str, int]]) -> dict[str, Any]:
    """Return one removal as a JSON-ready provenance entry."""
    rid, line = where[m.paragraph.doc]
    kept_id, kept_line = where[m.other.doc]
    return {
        "record": rid,
        "line": line,
        "paragraph": m.paragraph.index,
        "lines": [m.paragraph.start_line, m.paragraph.end_line],
        "kind": m.kind.value,
        "similarity": m.similarity,
        "text": m.paragraph.text.rstrip("\r\n"),
        "duplicate_of": {
            "record": kept_id,
            "line": kept_line,
            "paragraph": m.other.index,
            "lines": [m.other.start_line, m.other.end_line],
        },
    }


def cleaned_lines(
    jf: JsonlFile,
    cleaned: Sequence[Cleaned],
    report: Report,
    *,
    notes_field: str | None = None,
    drop_empty: bool = False,
) -> Iterator[bytes]:
    """Yield the output lines: untouched records as they were, cleaned ones re-encoded."""
    where = _record_of(jf)
    for record in jf.records:
        if record.doc is None or record.data is None:
            yield record.raw  # blank or unusable lines pass through; they were reported
            continue
        result = cleaned[record.doc]
        if not result.removals:
            yield record.raw
            continue
        if drop_empty and not result.text.strip():
            continue
        data = dict(record.data)
        data[jf.text_field] = result.text
        if notes_field:
            data[notes_field] = [removal_entry(m, where) for m in result.removals]
        end = b"\r\n" if record.raw.endswith(b"\r\n") else b"\n"
        yield json.dumps(data, ensure_ascii=False).encode("utf-8") + end


def notes_lines(jf: JsonlFile, report: Report) -> Iterator[bytes]:
    """Yield one JSON line per removal, in record order."""
    where = _record_of(jf)
    for m in report.removals:
        yield json.dumps(removal_entry(m, where), ensure_ascii=False).encode("utf-8") + b"\n"


def notes_document(jf: JsonlFile, report: Report, dropped: int) -> str:
    """Return the provenance notes of a JSONL corpus as one JSON document."""
    where = _record_of(jf)
    removals = report.removals
    return (
        json.dumps(
            {
                "version": NOTES_VERSION,
                "source": jf.path,
                "settings": settings_dict(report),
                "removed": [removal_entry(m, where) for m in removals],
                "errors": [{"line": e.line, "problem": e.problem} for e in jf.errors],
                "summary": {
                    "records": len(jf.documents),
                    "paragraphs": report.paragraph_count,
                    "removed": len(removals),
                    "records_dropped": dropped,
                    "lines_skipped": len(jf.errors),
                },
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )
