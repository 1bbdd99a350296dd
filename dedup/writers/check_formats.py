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

from dedup.check.findings import (
    UNREADABLE_RULE,
    CheckResult,
    Finding,
    FindingGroup,
    Location,
    Role,
)
from dedup.check.releases import is_release_notes, versions_of_one
from dedup.core.models import Kind, document_paths
from dedup.text.safe_text import visible
from dedup.writers.notes import settings_dict
from dedup.writers.pretty import pretty_json

REPORT_VERSION = 2
#: The repository (pyproject.toml ``[project.urls] Repository``, kept equal by a test): the
#: SARIF tool's ``informationUri``; each rule's ``helpUri`` is a section of its README.
INFO_URI = "https://github.com/dedup-paragraphs/dedup-paragraphs"
README_URI = f"{INFO_URI}/blob/main/README.md"
#: GitHub code scanning keeps the first 5,000 results of a run (and rejects a run of more
#: than 25,000): the SARIF default cut, failing results first. ``--max-findings`` changes it.
SARIF_MAX_RESULTS = 5000
#: Related locations of one result GitHub shows (it accepts up to 1,000).
SARIF_MAX_RELATED = 100

BOILERPLATE_RULE = "dedup/boilerplate"
RULES = {
    Kind.EXACT: ("ExactRepeat", "Paragraph repeats another word for word."),
    Kind.NEAR: ("NearRepeat", "Paragraph nearly repeats another (Jaccard at or above threshold)."),
    Kind.CONTAINED: ("ContainedParagraph", "Paragraph is almost entirely inside a longer one."),
    Kind.SIMILAR: ("SimilarParagraph", "Paragraph is similar to another (for review)."),
}
#: What a reviewer can do about each finding (SARIF ``help``), and the README section.
HELP = {
    Kind.EXACT: (
        "The same paragraph, word for word, is in two places. Keep one copy and link to it, "
        "or move it to a shared include; `dedup clean` removes the later copy. Accept it "
        "with a baseline or an allow-list entry if the repeat is on purpose.",
        "dedup-check-a-ci-gate",
    ),
    Kind.NEAR: (
        "Two paragraphs say almost the same (Jaccard similarity at or above --threshold): "
        "one copy has drifted from the other. Merge them, or keep one and link to it. "
        "`dedup explain` shows the words that differ.",
        "dedup-check-a-ci-gate",
    ),
    Kind.CONTAINED: (
        "This paragraph is almost entirely inside a longer one: one was extended from the "
        "other. Review whether both are needed.",
        "dedup-check-a-ci-gate",
    ),
    Kind.SIMILAR: (
        "The two paragraphs share many words (Jaccard at or above --review-threshold): "
        "worth a look, rarely a defect.",
        "dedup-check-a-ci-gate",
    ),
}
BOILERPLATE_HELP = (
    "The same paragraph repeated on purpose: many copies (at least --boilerplate-copies, a "
    "stock note a page template repeats), or copies a page's structure explains (versions "
    "or renderings of one page, parallel entries or lists of one page, a page's opening "
    "under a template's section, release notes, a landing page's summary, a reminder in "
    "callouts of one page, a page made of "
    "pages, generated files; the result's reason property names which). Reported once per "
    "group; it fails the check only with --fail-on-boilerplate. Move it into a shared "
    "include if it is not on purpose.",
    "boilerplate-and-copies",
)


UNREADABLE_HELP = (
    "A file or folder of the tree could not be read (not valid UTF-8, binary data, a "
    "broken or looping symbolic link, a folder without read permission). The rest was "
    "checked; the check exits 2. Fix the file (or --encoding, --exclude it), or pass "
    "--on-error skip to make this a warning.",
    "files-that-cannot-be-read",
)


def unreadable_message(problem: str, failing: bool) -> str:
    """Return the message of a file or folder that could not be read."""
    return f"cannot be checked: {problem}" + ("" if failing else " (skipped: --on-error skip)")


class Format(StrEnum):
    """Output formats of ``dedup check``."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"
    GITLAB = "gitlab"


def _sim(f: Finding) -> str:
    return f"{f.similarity:.2f}"


def _quoted(f: Finding) -> str:
    return f'"{f.excerpt}" ' if f.excerpt else ""


def _quoted_kept(f: Finding) -> str:
    """Quote a group's kept paragraph (where a group's entry is placed), else the copy."""
    words = f.kept_excerpt or f.excerpt
    return f'"{words}" ' if words else ""


def message(f: Finding) -> str:
    """Return ``"FIRST WORDS …" repeats PATH:LINE (similarity S)``.

    Against an archive: ``... repeats archived SOURCE:LINE (similarity S; added DATE,
    label L)``, or ``contains archived ...`` when the paragraph holds the archived one.
    """
    a = f.archived
    if a is None:
        return f"{_quoted(f)}repeats {f.kept.path}:{f.kept.lines[0]} (similarity {_sim(f)})"
    verb = "contains" if a.contains else "repeats"
    extra = f"; added {a.added[:10]}" + (f", label {a.label}" if a.label else "")
    return f"{_quoted(f)}{verb} archived {a.source}:{a.lines[0]} (similarity {_sim(f)}{extra})"


def group_message(g: FindingGroup) -> str:
    """Return the one message of a boilerplate group: its words, files, copies and kinds."""
    kinds = Counter(f.kind.value for f in g.findings)
    how = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items(), key=lambda kv: Kind(kv[0]).rank))
    copies = g.copies
    tail = "" if g.failing else "; boilerplate does not fail (--fail-on-boilerplate)"
    versions = versions_of_one(g.paths) if g.findings[0].archived is None else None
    if g.findings[0].reason in ("entries", "lists", "sections", "templates", "reminders") and (
        g.findings[0].note
    ):
        where = f"{g.kept.path}, {g.findings[0].note}"  # what the rule says of its copies
    elif g.findings[0].reason in ("entries", "lists"):
        where = f"{copies} {g.findings[0].reason} of {g.kept.path}"
    elif g.findings[0].reason == "release-notes":
        notes = sorted(p for p in g.paths if is_release_notes(p))
        where = f"{g.files} file" if g.files == 1 else f"{g.files} files"
        note = g.findings[0].note
        where += f", {note}" if note else f", with release notes ({(notes or [g.kept.path])[0]})"
    elif g.findings[0].reason == "generated" and g.findings[0].note:
        where = f"{g.files} file" if g.files == 1 else f"{g.files} files"
        fix = "it where it is" if g.files == 1 else "them where they are"
        where += f" {g.findings[0].note} (fix {fix} made)"
    elif g.findings[0].reason == "generated":
        where = (
            "1 file that says it is generated (fix it where it is made)"
            if g.files == 1
            else f"{g.files} files that say they are generated (fix them where they are made)"
        )
    elif g.findings[0].reason == "summaries":
        a, b = sorted(g.paths)
        where = f"{a} and {b}, a page and its summary under a link to it"
    elif g.findings[0].reason == "aggregates":
        a, b = sorted(g.paths)
        where = f"{a} and {b}, a page and a page made of it and others"
    elif versions:
        where = f"{g.files} versions of {versions}"
    elif g.findings[0].reason == "versions":
        a, b = sorted(g.paths)
        where = f"{a} and {b}, renderings of one page"
    else:
        where = f"{g.files} file" if g.files == 1 else f"{g.files} files"
    return (
        f"{_quoted_kept(g.findings[0])}is boilerplate: {copies} copies in {where} "
        f"(this one kept; {how}){tail}"
    )


@dataclass(frozen=True, slots=True)
class Entry:
    """One line, annotation or result: a copied paragraph, or a whole boilerplate group."""

    finding: Finding  # for a group, its first finding (kind, excerpt)
    group: FindingGroup | None = None

    @property
    def failing(self) -> bool:
        return self.group.failing if self.group is not None else self.finding.failing

    @property
    def where(self) -> Location:
        return self.group.kept if self.group is not None else self.finding.where

    @property
    def rule(self) -> str:
        return BOILERPLATE_RULE if self.group is not None else f"dedup/{self.finding.kind.value}"

    @property
    def message(self) -> str:
        return group_message(self.group) if self.group is not None else message(self.finding)


def entries(result: CheckResult, limit: int | None = None) -> tuple[list[Entry], int]:
    """Return what the line formats show, and how many entries ``limit`` cut.

    Copied paragraphs one each, in order; then one entry per boilerplate group. Past
    ``limit``, failing entries are kept first; the order stays the same.
    """
    out = [Entry(f) for f in result.findings if f.role is Role.COPY]
    out += [Entry(g.findings[0], g) for g in result.groups if g.role is Role.BOILERPLATE]
    if limit is None or len(out) <= limit:
        return out, 0
    ranked = sorted(range(len(out)), key=lambda i: (not out[i].failing, i))
    keep = sorted(ranked[:limit])
    return [out[i] for i in keep], len(out) - limit


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


def text(result: CheckResult, limit: int | None = None) -> str:
    """Return one ``path:line:col: dedup/<kind>: ...`` line per entry, then the summary.

    Control characters in paths, sources and labels are made visible (``visible``): each
    finding stays one line, and nothing in a file name reaches the terminal as a command.
    """
    shown, cut = entries(result, limit)
    lines = [
        visible(f"{u.path}: {UNREADABLE_RULE}: {unreadable_message(u.problem, u.failing)}")
        for u in result.unreadable
    ]
    lines += [
        visible(f"{e.where.path}:{e.where.lines[0]}:{e.where.columns[0]}: {e.rule}: {e.message}")
        for e in shown
    ]
    if cut:
        lines.append(f"... and {cut} more (--max-findings; --format json lists every one)")
    for e in result.stale:
        lines.append(
            visible(
                f"stale baseline entry: {e.count} of {e.accepted} accepted repeat"
                f"{'s' if e.accepted != 1 else ''} no longer found, in the group recorded at "
                f"{e.example} ({e.kind} at its strongest; group {' '.join(e.fingerprints)})"
            )
        )
    lines += [visible(line) for line in overview(result)]
    lines.append(visible(result.summary()))
    return "\n".join(lines) + "\n"


#: Groups named in the text summary, the most copies first.
TOP_GROUPS = 3
#: The summary comes with reports of at least this many findings.
OVERVIEW_FINDINGS = 5


def overview(result: CheckResult) -> list[str]:
    """Return the end-of-report lines: the groups with most copies, counts by role."""
    if len(result.findings) < OVERVIEW_FINDINGS or len(result.groups) < 2:
        return []  # a short report says it all
    top = sorted(result.groups, key=lambda g: (-len(g.findings), g.id))[:TOP_GROUPS]
    out = ["most copies:"]
    for g in top:
        out.append(
            f"  {g.copies} copies in {g.files} file{'s' if g.files != 1 else ''} "
            f"({g.role.value}): {_quoted_kept(g.findings[0])}"
            f"kept at {g.kept.path}:{g.kept.lines[0]}"
        )
    roles = Counter(f.role for f in result.findings)
    groups = Counter(g.role for g in result.groups)
    out.append(
        "by role: "
        + ", ".join(
            f"{roles[r]} {r.value} ({groups[r]} group{'s' if groups[r] != 1 else ''})"
            for r in Role
            if roles[r]
        )
    )
    return out


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
                "role": g.role.value,
                **({"reason": g.findings[0].reason} if g.findings[0].reason else {}),
                "copies": g.copies,
                "files": g.files,
                "duplicates": [
                    {
                        **_loc(f.where),
                        "columns": list(f.where.columns),
                        "kind": f.kind.value,
                        "role": f.role.value,
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
        "errors": [
            {
                "path": u.path,
                "problem": u.problem,
                "level": "error" if u.failing else "warning",
            }
            for u in result.unreadable
        ],
        "baseline": {
            "suppressed": result.suppressed,
            "stale": [
                {
                    "fingerprints": list(e.fingerprints),
                    "missing": e.count,
                    "accepted": e.accepted,
                    "example": e.example,
                }
                for e in result.stale
            ],
        },
        "summary": {
            "documents": len(report.documents),
            "paragraphs": report.paragraph_count,
            "groups": len(result.groups),
            "duplicates": len(result.findings),
            "by_kind": dict(sorted(by_kind.items())),
            "by_role": dict(sorted(Counter(f.role.value for f in result.findings).items())),
            "boilerplate_groups": sum(g.role is Role.BOILERPLATE for g in result.groups),
            "failing": len(result.failing),
            "errors": sum(u.failing for u in result.unreadable),
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


def _entry_level(e: Entry) -> str:
    if e.group is None:
        return _level(e.finding)
    return "error" if e.failing else "notice"


def github(result: CheckResult, limit: int | None = None) -> str:
    """Return GitHub Actions workflow commands, one annotation per entry."""
    out = [
        f"::{'error' if u.failing else 'warning'} file={_gh_prop(u.path)},"
        f"title={_gh_prop(UNREADABLE_RULE)}::{_gh_data(unreadable_message(u.problem, u.failing))}"
        for u in result.unreadable
    ]
    shown, _ = entries(result, limit)
    for e in shown:
        props = (
            f"file={_gh_prop(e.where.path)},line={e.where.lines[0]},endLine={e.where.lines[1]},"
            f"title={_gh_prop(e.rule)}"
        )
        out.append(f"::{_entry_level(e)} {props}::{_gh_data(e.message)}")
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


def _help(text: str, anchor: str) -> dict[str, Any]:
    return {
        "help": {"text": text, "markdown": text},
        "helpUri": f"{README_URI}#{anchor}",
    }


def _physical(loc: Location) -> dict[str, Any]:
    return {"artifactLocation": _artifact(loc.path), "region": _region(loc)}


def _sarif_level(e: Entry) -> str:
    level = _entry_level(e)
    return "note" if level == "notice" else level


def sarif_dict(result: CheckResult, version: str, limit: int | None = None) -> dict[str, Any]:
    """Return a SARIF 2.1.0 log as data: one result per copied paragraph or boilerplate group.

    ``partialFingerprints`` are unique per result: identical paragraphs in one file are told
    apart by their occurrence (``dedupOccurrence/v1``).
    """
    kinds = list(Kind)
    results = []
    occurrences: Counter[tuple[str, str, str]] = Counter()
    shown, _ = entries(result, SARIF_MAX_RESULTS if limit is None else limit)
    for e in shown:
        f = e.finding
        if e.group is None:
            key = (f.where.path, f.fingerprint, f.kept_fingerprint)
            occurrences[key] += 1
            related = [
                {
                    "id": 1,
                    "message": {"text": _related(f)},
                    "physicalLocation": _physical(f.kept),
                }
            ]
            fingerprints = {
                "dedupParagraph/v1": f.fingerprint,
                "dedupKeptParagraph/v1": f.kept_fingerprint,
                "dedupOccurrence/v1": str(occurrences[key]),
            }
            properties: dict[str, Any] = {
                "kind": f.kind.value,
                "role": f.role.value,
                "similarity": f.similarity,
                **({"archived": _archived(f)} if f.archived else {}),
            }
            rule_index = kinds.index(f.kind)
        else:
            g = e.group
            related = [
                {
                    "id": n,
                    "message": {"text": f"copy ({c.kind.value}, similarity {_sim(c)})"},
                    "physicalLocation": _physical(c.where),
                }
                for n, c in enumerate(g.findings[:SARIF_MAX_RELATED], start=1)
            ]
            key = (g.kept.path, "", f.kept_fingerprint)
            occurrences[key] += 1
            fingerprints = {
                "dedupBoilerplate/v1": f.kept_fingerprint,
                "dedupOccurrence/v1": str(occurrences[key]),
            }
            properties = {
                "kind": g.kind.value,
                "role": Role.BOILERPLATE.value,
                "reason": f.reason,
                "copies": g.copies,
                "files": g.files,
            }
            rule_index = len(kinds)
        results.append(
            {
                "ruleId": e.rule,
                "ruleIndex": rule_index,
                "level": _sarif_level(e),
                "message": {"text": e.message},
                "locations": [{"physicalLocation": _physical(e.where)}],
                "relatedLocations": related,
                "partialFingerprints": fingerprints,
                "properties": properties,
            }
        )
    if result.unreadable:
        results += [
            {
                "ruleId": UNREADABLE_RULE,
                "ruleIndex": len(kinds) + 1,
                "level": "error" if u.failing else "warning",
                "message": {"text": unreadable_message(u.problem, u.failing)},
                "locations": [{"physicalLocation": {"artifactLocation": _artifact(u.path)}}],
                "partialFingerprints": {
                    "dedupUnreadable/v1": hashlib.sha256(u.path.encode("utf-8")).hexdigest()
                },
            }
            for u in result.unreadable
        ]
    rules = [
        {
            "id": f"dedup/{k.value}",
            "name": RULES[k][0],
            "shortDescription": {"text": RULES[k][1]},
            **_help(*HELP[k]),
            "defaultConfiguration": {"level": "error" if k.rank <= result.fail_on.rank else "note"},
        }
        for k in kinds
    ]
    rules.append(
        {
            "id": BOILERPLATE_RULE,
            "name": "BoilerplateParagraph",
            "shortDescription": {"text": "Paragraph repeated on purpose."},
            **_help(*BOILERPLATE_HELP),
            "defaultConfiguration": {"level": "error" if result.roles.fail else "note"},
        }
    )
    if result.unreadable:
        rules.append(
            {
                "id": UNREADABLE_RULE,
                "name": "UnreadableFile",
                "shortDescription": {"text": "File or folder that could not be read."},
                **_help(*UNREADABLE_HELP),
                "defaultConfiguration": {"level": "error"},
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
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def sarif(result: CheckResult, version: str, limit: int | None = None) -> bytes:
    """Return the SARIF 2.1.0 log."""
    return pretty_json(sarif_dict(result, version, limit))


def gitlab(result: CheckResult, limit: int | None = None) -> bytes:
    """Return a GitLab Code Quality report (a JSON array of issues)."""
    issues = [
        {
            "type": "issue",
            "check_name": UNREADABLE_RULE,
            "description": unreadable_message(u.problem, u.failing),
            "categories": ["Bug Risk"],
            "severity": "blocker" if u.failing else "minor",
            "fingerprint": hashlib.sha256(f"{u.path}\0unreadable".encode()).hexdigest(),
            "location": {"path": u.path, "lines": {"begin": 1, "end": 1}},
        }
        for u in result.unreadable
    ]
    occurrences: Counter[str] = Counter()
    shown, _ = entries(result, limit)
    for e in shown:
        f = e.finding
        if e.failing:
            severity = "critical" if f.kind is Kind.EXACT else "major"
        elif e.group is not None:
            severity = "info"
        else:
            severity = "minor" if f.kind is not Kind.SIMILAR else "info"
        if e.group is None:
            key = f"{f.where.path}\0{f.fingerprint}\0{f.kept_fingerprint}"
        else:
            key = f"{e.where.path}\0{f.kept_fingerprint}\0boilerplate"
        occurrences[key] += 1
        key += f"\0{occurrences[key]}"  # identical repeats in one file stay distinct
        issues.append(
            {
                "type": "issue",
                "check_name": e.rule,
                "description": e.message,
                "categories": ["Duplication"],
                "severity": severity,
                "fingerprint": hashlib.sha256(key.encode("utf-8")).hexdigest(),
                "location": {
                    "path": e.where.path,
                    "lines": {"begin": e.where.lines[0], "end": e.where.lines[1]},
                },
            }
        )
    return pretty_json(issues)


def limit_for(fmt: Format, max_findings: int | None) -> int | None:
    """Return how many entries ``fmt`` shows: ``--max-findings``, else SARIF's own cap."""
    if max_findings is not None:
        return max_findings
    return SARIF_MAX_RESULTS if fmt is Format.SARIF else None


def render(
    result: CheckResult, fmt: Format, version: str, max_findings: int | None = None
) -> bytes:
    """Return ``result`` in format ``fmt``, encoded in UTF-8.

    ``max_findings`` caps the entries of every format but JSON, which lists every
    finding (SARIF is capped at ``SARIF_MAX_RESULTS`` unless told otherwise).
    """
    limit = limit_for(fmt, max_findings)
    writers: dict[Format, Callable[[CheckResult], bytes]] = {
        Format.TEXT: lambda r: text(r, limit).encode("utf-8"),
        Format.JSON: as_json,
        Format.GITHUB: lambda r: github(r, limit).encode("utf-8"),
        Format.GITLAB: lambda r: gitlab(r, limit),
        Format.SARIF: lambda r: sarif(r, version, limit),
    }
    return writers[fmt](result)


def cut_count(result: CheckResult, fmt: Format, max_findings: int | None) -> tuple[int, int]:
    """Return how many entries ``fmt`` has, and how many ``render`` leaves out (0 for JSON).

    Counted, not built: a corpus report can hold millions of findings.
    """
    total = sum(f.role is Role.COPY for f in result.findings) + sum(
        g.role is Role.BOILERPLATE for g in result.groups
    )
    limit = limit_for(fmt, max_findings)
    if fmt is Format.JSON or limit is None:
        return total, 0
    return total, max(0, total - limit)
