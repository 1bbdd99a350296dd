"""The formats of ``dedup check``: text, json, github, sarif, gitlab.

The JSON report is a contract (``REPORT_VERSION``): fields may be added, never renamed or
removed without bumping the version.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import quote

from dedup.check import CheckResult, Finding, Location
from dedup.models import Kind, document_paths
from dedup.safe_text import visible
from dedup.writers.notes import settings_dict
from dedup.writers.pretty import pretty_json

REPORT_VERSION = 1
INFO_URI = "https://pypi.org/project/dedup-paragraphs/"

RULES = {
    Kind.EXACT: ("ExactRepeat", "Paragraph repeats another word for word."),
    Kind.NEAR: ("NearRepeat", "Paragraph nearly repeats another (Jaccard at or above threshold)."),
    Kind.CONTAINED: ("ContainedParagraph", "Paragraph is almost entirely inside a longer one."),
    Kind.SIMILAR: ("SimilarParagraph", "Paragraph is similar to another (for review)."),
}


class Format(StrEnum):
    """Output formats of ``dedup check``."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"
    GITLAB = "gitlab"


def _sim(f: Finding) -> str:
    return f"{f.similarity:.2f}"


def message(f: Finding) -> str:
    """Return ``repeats PATH:LINE (similarity S)``, naming the archived source for archive repeats.

    Against an archive: ``repeats archived SOURCE:LINE (similarity S; added DATE, label L)``,
    or ``contains archived ...`` when the paragraph holds the archived one.
    """
    a = f.archived
    if a is None:
        return f"repeats {f.kept.path}:{f.kept.lines[0]} (similarity {_sim(f)})"
    verb = "contains" if a.contains else "repeats"
    extra = f"; added {a.added[:10]}" + (f", label {a.label}" if a.label else "")
    return f"{verb} archived {a.source}:{a.lines[0]} (similarity {_sim(f)}{extra})"


def _archived(f: Finding) -> dict[str, Any]:
    a = f.archived
    assert a is not None
    return {
        "archive": a.archive,
        "source": a.source,
        "paragraph": a.paragraph,
        "lines": list(a.lines),
        "added": a.added,
        "label": a.label,
    }


def text(result: CheckResult) -> str:
    """Return one ``path:line:col: dedup/<kind>: ...`` line per finding, then the summary.

    Control characters in paths, sources and labels are made visible (``visible``): each
    finding stays one line, and nothing in a file name reaches the terminal as a command.
    """
    lines = [
        visible(
            f"{f.where.path}:{f.where.lines[0]}:{f.where.columns[0]}: dedup/{f.kind.value}: "
            f"{message(f)}"
        )
        for f in result.findings
    ]
    for e in result.stale:
        lines.append(
            visible(
                f"stale baseline entry: {e.count} accepted {e.kind} repeat"
                f"{'s' if e.count != 1 else ''} no longer found (first recorded at {e.example}; "
                f"group {' '.join(e.fingerprints)})"
            )
        )
    lines.append(visible(result.summary()))
    return "\n".join(lines) + "\n"


def _loc(loc: Location) -> dict[str, Any]:
    return {"path": loc.path, "paragraph": loc.paragraph, "lines": list(loc.lines)}


@dataclass(frozen=True, slots=True)
class _Document:
    """A document's entry in the JSON report: orjson writes it as ``{"path", "paragraphs"}``.

    A corpus report lists every document; this takes a third of a dict's memory.
    """

    path: str
    paragraphs: int


def report_dict(result: CheckResult) -> dict[str, Any]:
    """Return the JSON report as data for orjson (document entries are dataclasses)."""
    report = result.report
    by_kind = Counter(f.kind.value for f in result.findings)
    return {
        "version": REPORT_VERSION,
        "settings": {**settings_dict(report), "fail_on": result.fail_on.value},
        "documents": [
            _Document(path, report.paragraphs_in(i))
            for i, path in enumerate(document_paths(report.documents))
        ],
        "groups": [
            {
                "id": g.id,
                "kind": g.kind.value,
                "kept": {
                    **_loc(g.kept),
                    "fingerprint": g.findings[0].kept_fingerprint,
                    **({"archived": _archived(g.findings[0])} if g.findings[0].archived else {}),
                },
                "duplicates": [
                    {
                        **_loc(f.where),
                        "columns": list(f.where.columns),
                        "kind": f.kind.value,
                        "similarity": f.similarity,
                        "fingerprint": f.fingerprint,
                        "failing": f.failing,
                        **({"contains_kept": True} if f.archived and f.archived.contains else {}),
                    }
                    for f in g.findings
                ],
            }
            for g in result.groups
        ],
        **(
            {
                "archive": {
                    "location": result.against.location,
                    "sources": result.against.sources,
                    "paragraphs": result.against.paragraphs,
                }
            }
            if result.against is not None
            else {}
        ),
        "baseline": {
            "suppressed": result.suppressed,
            "stale": [
                {"fingerprints": list(e.fingerprints), "missing": e.count, "example": e.example}
                for e in result.stale
            ],
        },
        "summary": {
            "documents": len(report.documents),
            "paragraphs": report.paragraph_count,
            "groups": len(result.groups),
            "duplicates": len(result.findings),
            "by_kind": dict(sorted(by_kind.items())),
            "failing": len(result.failing),
            "exit_code": int(result.exit_code),
        },
    }


def as_json(result: CheckResult) -> bytes:
    """Return the JSON report."""
    return pretty_json(report_dict(result))


def _gh_data(value: str) -> str:
    # CR and LF are the runner's own escapes; other controls are made visible for the log.
    return visible(value, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def _level(f: Finding) -> str:
    if f.failing:
        return "error"
    return "notice" if f.kind is Kind.SIMILAR else "warning"


def github(result: CheckResult) -> str:
    """Return GitHub Actions workflow commands, one annotation per finding."""
    out = []
    for f in result.findings:
        props = (
            f"file={_gh_prop(f.where.path)},line={f.where.lines[0]},endLine={f.where.lines[1]},"
            f"title={_gh_prop('dedup/' + f.kind.value)}"
        )
        out.append(f"::{_level(f)} {props}::{_gh_data(message(f))}")
    return "\n".join(out) + ("\n" if out else "")


def _artifact(path: str) -> dict[str, str]:
    if path == "-":
        return {"uri": "stdin"}
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path.replace(os.sep, "/")), "uriBaseId": "%SRCROOT%"}


def _region(loc: Location) -> dict[str, int]:
    return {
        "startLine": loc.lines[0],
        "startColumn": loc.columns[0],
        "endLine": loc.lines[1],
        "endColumn": max(loc.columns[1], 1),
    }


def _related(f: Finding) -> str:
    a = f.archived
    if a is None:
        return "kept paragraph"
    label = f", label {a.label}" if a.label else ""
    return f"archived paragraph {a.paragraph} of {a.source} (added {a.added}{label}) in {a.archive}"


def sarif_dict(result: CheckResult, version: str) -> dict[str, Any]:
    """Return a SARIF 2.1.0 log as data."""
    kinds = list(Kind)
    results = []
    for f in result.findings:
        results.append(
            {
                "ruleId": f"dedup/{f.kind.value}",
                "ruleIndex": kinds.index(f.kind),
                "level": _level(f) if _level(f) != "notice" else "note",
                "message": {"text": message(f)},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": _artifact(f.where.path),
                            "region": _region(f.where),
                        }
                    }
                ],
                "relatedLocations": [
                    {
                        "id": 1,
                        "message": {"text": _related(f)},
                        "physicalLocation": {
                            "artifactLocation": _artifact(f.kept.path),
                            "region": _region(f.kept),
                        },
                    }
                ],
                "partialFingerprints": {
                    "dedupParagraph/v1": f.fingerprint,
                    "dedupKeptParagraph/v1": f.kept_fingerprint,
                },
                "properties": {
                    "kind": f.kind.value,
                    "similarity": f.similarity,
                    **({"archived": _archived(f)} if f.archived else {}),
                },
            }
        )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dedup",
                        "version": version,
                        "informationUri": INFO_URI,
                        "rules": [
                            {
                                "id": f"dedup/{k.value}",
                                "name": RULES[k][0],
                                "shortDescription": {"text": RULES[k][1]},
                                "defaultConfiguration": {
                                    "level": "error" if k.rank <= result.fail_on.rank else "note"
                                },
                            }
                            for k in kinds
                        ],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def sarif(result: CheckResult, version: str) -> bytes:
    """Return the SARIF 2.1.0 log."""
    return pretty_json(sarif_dict(result, version))


def gitlab(result: CheckResult) -> bytes:
    """Return a GitLab Code Quality report (a JSON array of issues)."""
    issues = []
    occurrences: Counter[str] = Counter()
    for f in result.findings:
        if f.failing:
            severity = "critical" if f.kind is Kind.EXACT else "major"
        else:
            severity = "minor" if f.kind is not Kind.SIMILAR else "info"
        key = f"{f.where.path}\0{f.fingerprint}\0{f.kept_fingerprint}"
        occurrences[key] += 1
        key += f"\0{occurrences[key]}"  # identical repeats in one file stay distinct
        issues.append(
            {
                "type": "issue",
                "check_name": f"dedup/{f.kind.value}",
                "description": message(f),
                "categories": ["Duplication"],
                "severity": severity,
                "fingerprint": hashlib.sha256(key.encode("utf-8")).hexdigest(),
                "location": {
                    "path": f.where.path,
                    "lines": {"begin": f.where.lines[0], "end": f.where.lines[1]},
                },
            }
        )
    return pretty_json(issues)


def render(result: CheckResult, fmt: Format, version: str) -> bytes:
    """Return ``result`` in format ``fmt``, encoded in UTF-8."""
    writers: dict[Format, Callable[[CheckResult], bytes]] = {
        Format.TEXT: lambda r: text(r).encode("utf-8"),
        Format.JSON: as_json,
        Format.GITHUB: lambda r: github(r).encode("utf-8"),
        Format.GITLAB: gitlab,
        Format.SARIF: lambda r: sarif(r, version),
    }
    return writers[fmt](result)
