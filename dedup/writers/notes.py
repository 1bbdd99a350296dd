"""Provenance notes for ``dedup clean``: JSON for machines, Markdown for editors.

The JSON shape is a contract (``NOTES_VERSION``): fields may be added, never renamed or
removed without bumping the version.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from dedup.core.models import Kind, Match, Paragraph, Report
from dedup.core.settings import Settings
from dedup.text.containers import emptied, of_document
from dedup.text.normalize import tokenizer_info
from dedup.text.segment import Lines, byte_offsets
from dedup.text.worddiff import changes
from dedup.writers.pretty import pretty_json

NOTES_VERSION = 1


def settings_dict(report: Report) -> dict[str, Any]:
    """Return the settings a report was made with: LSH banding, hash scheme and tokeniser too."""
    s = report.settings
    assert isinstance(s, Settings)
    out: dict[str, Any] = {
        "threshold": s.threshold,
        "ngram": s.ngram,
        "num_perm": s.num_perm,
        "seed": s.seed,
        "keep": s.keep.value,
        "review_threshold": s.review_threshold,
        "containment": s.containment,
        "remove": [k.value for k in s.remove],
        "min_words": s.min_words,
        "review_min_words": s.review_min_words,
        "scheme": s.scheme,
        "hashfunc": s.shingle_hash,
        "tokenizer": tokenizer_info(),
        "lsh": {
            "threshold": report.lsh.threshold,
            "bands": report.lsh.bands,
            "rows": report.lsh.rows,
        },
    }
    if s.structure.off:  # only when a team switched a structure rule off
        out["structure_off"] = sorted(s.structure.off)
    return out


def _where(p: Paragraph, *, text: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "paragraph": p.index,
        "lines": [p.start_line, p.end_line],
        "bytes": [p.byte_start, p.byte_end],
    }
    if text:
        out["text"] = p.text.rstrip("\r\n")
    return out


def _scores(m: Match) -> dict[str, Any]:
    return {
        "kind": m.kind.value,
        "similarity": m.similarity,
        "jaccard": m.jaccard,
        "containment": m.containment,
    }


def _review_entry(m: Match) -> dict[str, Any]:
    """Return a review pair with ``a`` before ``b`` in the text."""
    first, second = sorted((m.paragraph, m.other), key=lambda p: (p.doc, p.index))
    entry: dict[str, Any] = {**_scores(m), "a": _where(first), "b": _where(second)}
    if m.kind is Kind.CONTAINED:
        entry["contained"] = "a" if m.paragraph == first else "b"
    return entry


def container_lines(
    report: Report, doc: int, removals: list[Match]
) -> dict[int, list[dict[str, Any]]]:
    """Return, by position in ``removals``, the box marker lines that went with a removal.

    A Markdown admonition or ``:::`` container that cleaning leaves with no content goes
    too (``dedup.text.containers``); its opener and closing fence are listed with the first
    removal inside it, each as ``lines``, ``bytes`` and ``text`` like a paragraph.
    """
    document = report.documents[doc]
    settings = report.settings
    assert isinstance(settings, Settings)
    if not removals:
        return {}
    lines = Lines.compact(document.text)  # 8 bytes a line: the document may be huge
    boxes = of_document(document, lines, settings.structure)
    if not boxes:
        return {}
    ranges = [(m.paragraph.start_line - 1, m.paragraph.end_line - 1) for m in removals]
    offsets: list[int] = []
    out: dict[int, list[dict[str, Any]]] = {}
    for box in emptied(lines, ranges, boxes):
        k = next(k for k, (a, b) in enumerate(ranges) if a <= box.last and b >= box.first)
        offsets = offsets or byte_offsets(lines, document.encoding)
        for a, b in box.markers:
            out.setdefault(k, []).append(
                {
                    "lines": [a + 1, b + 1],
                    "bytes": [offsets[a], offsets[b + 1]],
                    "text": document.text[lines.starts[a] : lines.starts[b + 1]].rstrip("\r\n"),
                }
            )
    for entries in out.values():
        entries.sort(key=lambda e: e["lines"])
    return out


def _removed_entry(m: Match, container: list[dict[str, Any]] | None) -> dict[str, Any]:
    entry = {**_where(m.paragraph), **_scores(m), "duplicate_of": _where(m.other)}
    if container:
        entry["container"] = container
    return entry


def notes_dict(report: Report, doc: int = 0) -> dict[str, Any]:
    """Return the provenance notes of one document as JSON-ready data."""
    removals = report.removals_in(doc)
    paragraphs = report.paragraphs_in(doc)
    review = [m for m in report.review if m.paragraph.doc == doc and m.other.doc == doc]
    boxes = container_lines(report, doc, removals)
    return {
        "version": NOTES_VERSION,
        "source": report.documents[doc].path,
        "settings": settings_dict(report),
        "removed": [_removed_entry(m, boxes.get(k)) for k, m in enumerate(removals)],
        "review": [_review_entry(m) for m in review],
        "summary": {
            "paragraphs": paragraphs,
            "removed": len(removals),
            "kept": paragraphs - len(removals),
            "removed_by_kind": dict(sorted(Counter(m.kind.value for m in removals).items())),
            "review": len(review),
        },
    }


def notes_json(report: Report, doc: int = 0) -> str:
    """Return the JSON notes of one document, pretty-printed, ending in a newline."""
    return pretty_json(notes_dict(report, doc)).decode()


def _lines(p: Paragraph) -> str:
    a, b = p.lines
    return f"line {a}" if a == b else f"lines {a}-{b}"


def _quote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.rstrip().splitlines())


def _source(report: Report, p: Paragraph) -> str:
    """Return a paragraph for the notes: quoted, or HTML as a code block (never rendered)."""
    if report.documents[p.doc].syntax != "html":
        return _quote(p.text)
    fence = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", p.text)), default=0))
    return f"{fence}html\n{p.text.strip()}\n{fence}"


def _differences(m: Match, report: Report) -> str:
    if m.kind is Kind.EXACT:
        if m.paragraph.text.strip() == m.other.text.strip():
            return "Identical text."
        return (
            "Same words; only case, punctuation, spacing or markup (such as a link target) differ."
        )
    parts = [
        f"“{old}” → “{new}”" if old and new else (f"removed “{old}”" if old else f"added “{new}”")
        for old, new in changes(report.words(m.other), report.words(m.paragraph))
    ]
    return "Words that differ (kept → removed): " + "; ".join(parts) + "." if parts else ""


def _container_note(markers: list[dict[str, Any]]) -> str:
    spans = ", ".join(
        f"line {a}" if a == b else f"lines {a}-{b}" for a, b in (e["lines"] for e in markers)
    )
    return f"Its container, left empty, went too ({spans}):\n\n" + "\n".join(
        _quote(e["text"]) for e in markers
    )


def notes_markdown(report: Report, doc: int = 0) -> str:
    """Return the notes of one document as Markdown for an editor."""
    data = notes_dict(report, doc)
    summary = data["summary"]
    s = data["settings"]
    out = [
        f"# dedup notes: {data['source']}",
        "",
        f"Removed {summary['removed']} of {summary['paragraphs']} paragraphs; "
        f"{summary['kept']} kept. Settings: threshold {s['threshold']}, {s['ngram']}-word "
        f"shingles, {s['num_perm']} permutations (seed {s['seed']}), keep {s['keep']}.",
        "",
    ]
    removals = report.removals_in(doc)
    if removals:
        out += ["## Removed", ""]
    for k, m in enumerate(removals):
        out += [
            f"### {_lines(m.paragraph).capitalize()}: {m.kind.value} repeat of "
            f"{_lines(m.other)} (similarity {m.similarity:.2f})",
            "",
            "Removed:",
            "",
            _source(report, m.paragraph),
            "",
            f"Kept ({_lines(m.other)}):",
            "",
            _source(report, m.other),
            "",
        ]
        diff = _differences(m, report)
        if diff:
            out += [diff, ""]
        if markers := data["removed"][k].get("container"):
            out += [_container_note(markers), ""]
    review = [m for m in report.review if m.paragraph.doc == doc and m.other.doc == doc]
    if review:
        out += ["## For review (kept, not removed)", ""]
        for m in review:
            out.append(
                f"- {_lines(m.paragraph).capitalize()} is {m.kind.value} to {_lines(m.other)} "
                f"(similarity {m.similarity:.2f})"
            )
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
