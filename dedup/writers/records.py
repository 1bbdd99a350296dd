"""Cleaned JSONL and its provenance: records in order, other fields untouched.

The corpus is read again as it is written, one record at a time: a record without
removals is written as the bytes it was read as, a cleaned one is re-encoded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from dedup.core.cleaner import cut
from dedup.core.models import Document, Match, Report
from dedup.inputs.jsonl import Record, RecordError
from dedup.text.segment import Lines
from dedup.writers.notes import NOTES_VERSION, settings_dict


def _where(report: Report, doc: int) -> tuple[str, int]:
    record = report.documents[doc].record
    assert record is not None, "JSONL documents carry their record id and line"
    return record


def removal_entry(m: Match, report: Report) -> dict[str, Any]:
    """Return one removal as a JSON-ready provenance entry."""
    rid, line = _where(report, m.paragraph.doc)
    kept_id, kept_line = _where(report, m.other.doc)
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


@dataclass
class Written:
    """What writing the cleaned corpus counted."""

    records: int = 0
    dropped: int = 0


def cleaned_lines(
    records: Iterable[tuple[Record, Document | None]],
    report: Report,
    text_field: str,
    written: Written,
    *,
    notes_field: str | None = None,
    drop_empty: bool = False,
) -> Iterator[bytes]:
    """Yield the output lines: untouched records as they were, cleaned ones re-encoded."""
    for record, doc in records:
        if doc is None or record.doc is None or record.data is None:
            yield record.raw  # blank or unusable lines pass through; they were reported
            continue
        written.records += 1
        removals = report.removals_in(record.doc)
        if not removals:
            yield record.raw
            continue
        text = cut(Lines.of(doc.text), (m.paragraph for m in removals))
        if drop_empty and not text.strip():
            written.dropped += 1
            continue
        data = dict(record.data)
        data[text_field] = text
        if notes_field:
            data[notes_field] = [removal_entry(m, report) for m in removals]
        end = b"\r\n" if record.raw.endswith(b"\r\n") else b"\n"
        yield json.dumps(data, ensure_ascii=False).encode("utf-8") + end


def notes_lines(report: Report) -> Iterator[bytes]:
    """Yield one JSON line per removal, in record order."""
    for m in report.removals:
        yield json.dumps(removal_entry(m, report), ensure_ascii=False).encode("utf-8") + b"\n"


def notes_document(path: str, report: Report, errors: list[RecordError], written: Written) -> str:
    """Return the provenance notes of a JSONL corpus as one JSON document."""
    removals = report.removals
    return (
        json.dumps(
            {
                "version": NOTES_VERSION,
                "source": path,
                "settings": settings_dict(report),
                "removed": [removal_entry(m, report) for m in removals],
                "errors": [{"line": e.line, "problem": e.problem} for e in errors],
                "summary": {
                    "records": written.records,
                    "paragraphs": report.paragraph_count,
                    "removed": len(removals),
                    "records_dropped": written.dropped,
                    "lines_skipped": len(errors),
                },
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )
