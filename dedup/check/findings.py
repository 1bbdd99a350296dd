"""``dedup check``: findings (one per repeated paragraph), fail level, baseline, exit code.

The result object owns the policy: which findings fail, what the baseline suppresses,
the summary line and the exit code. Writers only format it.
"""

from __future__ import annotations

import hashlib
import itertools
import posixpath
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TypeVar

from dedup.check.baseline import Baseline, BaselineEntry
from dedup.check.boxes import callout_lines
from dedup.check.entries import Section, entries_of, section_parents, sections_of
from dedup.check.lists import list_items
from dedup.check.releases import (
    CHANGE_LOG_RELEASES,
    is_release_notes,
    is_release_title,
    may_be_change_log,
    releases_of,
    version_note_lines,
    versions_of_one,
)
from dedup.check.summaries import link_above, links_near, page_key, points_to
from dedup.core.models import (
    Document,
    DocumentTable,
    Kind,
    Match,
    Paragraph,
    Report,
    document_paths,
)
from dedup.core.prepare import Prepared, Progress, Stage
from dedup.core.settings import Settings
from dedup.engines.choice import ClusterInputs, Engine, find
from dedup.engines.stream import DocumentSource
from dedup.errors import InputError
from dedup.inputs.reader import decode, read_bytes
from dedup.status import ExitCode
from dedup.text.allow import AllowList
from dedup.text.batch import tokenise_many
from dedup.text.normalize import tokens
from dedup.text.safe_text import mask_credentials
from dedup.text.segment import Lines, split_lines


class Role(StrEnum):
    """What a repeat means, besides how alike it is (its kind).

    ``copy``: a paragraph pasted into a few places, the finding a maintainer acts on.
    ``boilerplate``: the same paragraph in many files on purpose (a stock note a page
    template repeats); reported once per group, and failing only when asked.
    """

    COPY = "copy"
    BOILERPLATE = "boilerplate"


#: A group of at least this many copies (the kept one included; in one file or many) is
#: boilerplate. Measured on real docs trees (benchmarks/RESULTS-docs.md): no paragraph
#: labelled a useful repeat had more than two copies. 0 turns roles off.
BOILERPLATE_COPIES = 3
#: Words of a paragraph shown in a message (the rest is ellipsised).
EXCERPT_WORDS = 8


@dataclass(frozen=True, slots=True)
class Roles:
    """When a group is boilerplate (``copies``; 0: never) and whether boilerplate fails."""

    copies: int = BOILERPLATE_COPIES
    fail: bool = False
    versions: bool = True  # copies only across versions of one document are boilerplate
    entries: bool = True  # copies only in parallel entries of one reference page are too
    lists: bool = True  # and copies only in parallel lists of one page
    aggregates: bool = True  # and copies only between a page and a page made of it and others
    templates: bool = True  # and a repeat in one page between the same sections of many
    sections: bool = True  # and copies only in parallel sections of one page
    release_notes: bool = True  # and a group with a copy in release notes
    summaries: bool = True  # and a copy right under a link to the page of the other copy
    reminders: bool = True  # and copies only in callouts (note, warning boxes) of one page
    generated: bool = True  # and a group whose copies are all in files marked generated


def excerpt(text: str, words: int = EXCERPT_WORDS) -> str:
    """Return the first ``words`` words of ``text`` on one line, ellipsised if cut."""
    parts = text.split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]) + " …"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a paragraph is: path as given, 1-based paragraph index, line and column spans."""

    path: str
    paragraph: int
    lines: tuple[int, int]
    columns: tuple[int, int]  # start column, end column (exclusive), 1-based, in characters


@dataclass(frozen=True, slots=True)
class ArchivedRef:
    """The archived paragraph a finding repeats (``check --against``): where it was published.

    ``contains`` is set when the finding's paragraph contains the archived one (kind
    ``contained``, measured as the share of the archived paragraph inside it).
    """

    archive: str
    source: str
    paragraph: int
    lines: tuple[int, int]
    added: str
    label: str | None = None
    contains: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "archive", mask_credentials(self.archive))  # never a password


@dataclass(frozen=True, slots=True)
class ArchiveInfo:
    """The archive a check ran against, and its size."""

    location: str
    sources: int
    paragraphs: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "location", mask_credentials(self.location))  # never a password


@dataclass(frozen=True, slots=True)
class Finding:
    """One repeated paragraph: where it is, what it repeats, how alike, and whether it fails."""

    where: Location
    kept: Location
    kind: Kind
    similarity: float
    fingerprint: str
    kept_fingerprint: str
    failing: bool
    archived: ArchivedRef | None = None  # the kept paragraph is archived, not in this run
    role: Role = Role.COPY
    excerpt: str = ""  # the first words of the repeated paragraph
    # Why a boilerplate group is boilerplate: "copies", "versions", "entries", "lists",
    # "sections", "templates", "aggregates", "release-notes", "summaries", "reminders" or
    # "generated".
    reason: str = ""
    note: str = ""  # what the message says of the reason, where it says more than its name
    kept_excerpt: str = ""  # the first words of the kept paragraph (a near copy's differ)


@dataclass(frozen=True, slots=True)
class FindingGroup:
    """A kept paragraph and the findings that repeat it."""

    id: int
    kept: Location
    findings: tuple[Finding, ...]
    #: Copies of the group that a baseline accepted (not in ``findings``), and their files.
    accepted: int = 0
    accepted_paths: frozenset[str] = frozenset()

    @property
    def kind(self) -> Kind:
        """Return the strongest kind in the group (each finding has its own)."""
        return min((f.kind for f in self.findings), key=lambda k: k.rank)

    @property
    def role(self) -> Role:
        """Return the group's role (every finding of a group has the same)."""
        return self.findings[0].role

    @property
    def failing(self) -> bool:
        """Return whether any finding of the group fails."""
        return any(f.failing for f in self.findings)

    @property
    def copies(self) -> int:
        """Return how many copies the group has, the kept one and accepted ones included."""
        return len(self.findings) + 1 + self.accepted

    @property
    def files(self) -> int:
        """Return how many files (documents) hold a copy, the kept one and accepted ones
        included."""
        return len(self.paths | self.accepted_paths)

    @property
    def paths(self) -> set[str]:
        """Return the files (documents) that hold a copy, the kept one included."""
        return {self.kept.path} | {f.where.path for f in self.findings}


#: The rule of a file or folder that could not be read (an error finding).
UNREADABLE_RULE = "dedup/unreadable"


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A file or folder of the tree that could not be checked, and why.

    ``failing``: an error (exit 2 after the report); else a warning (``--on-error skip``).
    """

    path: str
    problem: str
    failing: bool = True


@dataclass(frozen=True)
class CheckResult:
    """Everything ``dedup check`` reports, and the exit code that follows from it."""

    report: Report
    fail_on: Kind
    findings: tuple[Finding, ...]  # new findings (not suppressed by the baseline)
    all_findings: tuple[Finding, ...]
    suppressed: int = 0
    stale: tuple[BaselineEntry, ...] = ()
    exit_zero: bool = False
    against: ArchiveInfo | None = None
    roles: Roles = field(default_factory=Roles)
    unreadable: tuple[Unreadable, ...] = ()  # files and folders that could not be checked
    groups: tuple[FindingGroup, ...] = field(init=False)

    def __post_init__(self) -> None:
        by_kept: dict[tuple[str, int, bool], list[Finding]] = {}
        for f in self.findings:
            by_kept.setdefault((f.kept.path, f.kept.paragraph, f.archived is not None), []).append(
                f
            )
        # Groups in the order of their kept paragraph: its document (the last one of that
        # path that has the paragraph, when record ids repeat) and its index; groups kept
        # by an archived paragraph come after the documents.
        kept_paths = {key[0] for key in by_kept}
        docs: dict[str, list[tuple[int, int]]] = {}
        for i, path in enumerate(document_paths(self.report.documents)):
            if path in kept_paths:
                docs.setdefault(path, []).append((i, self.report.paragraphs_in(i)))
        last = len(self.report.documents)

        def position(key: tuple[str, int, bool]) -> tuple[int, int, str]:
            if key[2]:
                return (last, key[1], key[0])
            found = [i for i, n in docs.get(key[0], []) if 1 <= key[1] <= n]
            return (found[-1], key[1], "") if found else (0, 0, "")

        keys = sorted(by_kept, key=position)
        accepted: dict[tuple[str, int, bool], list[Finding]] = {}
        if self.suppressed:
            shown = {id(f) for f in self.findings}
            for f in self.all_findings:
                key = (f.kept.path, f.kept.paragraph, f.archived is not None)
                if key in by_kept and id(f) not in shown:
                    accepted.setdefault(key, []).append(f)
        object.__setattr__(
            self,
            "groups",
            tuple(
                FindingGroup(
                    n,
                    by_kept[k][0].kept,
                    tuple(by_kept[k]),
                    len(accepted.get(k, ())),
                    frozenset(f.where.path for f in accepted.get(k, ())),
                )
                for n, k in enumerate(keys, start=1)
            ),
        )

    @property
    def failing(self) -> list[Finding]:
        """Return the new findings at or above the failing level."""
        return [f for f in self.findings if f.failing]

    @property
    def exit_code(self) -> ExitCode:
        """Return 2 when a file could not be read (an error, not a warning); else 1 when a
        new finding fails (unless --exit-zero), else 0."""
        if any(u.failing for u in self.unreadable):
            return ExitCode.ERROR
        return ExitCode.FOUND if self.failing and not self.exit_zero else ExitCode.OK

    def summary(self) -> str:
        """Return the one-line human summary."""
        docs = len(self.report.documents)
        paras = self.report.paragraph_count
        by_kind = Counter(f.kind for f in self.findings)
        kinds = ", ".join(f"{by_kind[k]} {k.value}" for k in Kind if by_kind[k])
        boiler = [g for g in self.groups if g.role is Role.BOILERPLATE]
        if boiler:
            copies = sum(len(g.findings) for g in boiler)
            kinds += (
                f"; {copies} in {len(boiler)} boilerplate group{'s' if len(boiler) != 1 else ''}"
            )
        n = len(self.findings)
        line = (
            f"{n} repeated paragraph{'s' if n != 1 else ''}"
            + (f" ({kinds})" if kinds else "")
            + f" in {paras} paragraph{'s' if paras != 1 else ''}"
            + f" of {docs} document{'s' if docs != 1 else ''}"
        )
        if self.against is not None:
            a = self.against.paragraphs
            line += f" against {a} archived paragraph{'s' if a != 1 else ''}"
        fails = len(self.failing)
        line += f"; {fails} at or above --fail-on {self.fail_on.value}"
        if boiler and not self.roles.fail:
            line += " (boilerplate does not fail)"
        if self.suppressed:
            line += f"; {self.suppressed} suppressed by the baseline"
        if self.stale:
            s = len(self.stale)
            line += f"; {s} stale baseline entr{'ies' if s != 1 else 'y'}"
        if self.unreadable:
            u = len(self.unreadable)
            how = "errors" if any(x.failing for x in self.unreadable) else "skipped"
            line += f"; {u} path{'s' if u != 1 else ''} could not be read ({how})"
        return line


def fingerprint(text: str) -> str:
    """Return a short, stable fingerprint of a paragraph's normalised words."""
    return hashlib.sha256(" ".join(tokens(text)).encode("utf-8")).hexdigest()[:16]


def fingerprints(texts: Sequence[str]) -> list[str]:
    """Return ``fingerprint`` of each of ``texts``, tokenised together (faster for many)."""
    found = tokenise_many(texts)
    return [hashlib.sha256(joined).hexdigest()[:16] for joined in found.joined]


def fails(kind: Kind, fail_on: Kind) -> bool:
    """Return whether ``kind`` is at or above the failing level ``fail_on``."""
    return kind.rank <= fail_on.rank


def columns_of(p: Paragraph) -> tuple[int, int]:
    """Return a paragraph's start column and the column after its end (1-based, characters).

    Counted from the start of the line, leading blanks skipped: an HTML paragraph may
    start mid-line (two ``<p>`` on one line have different columns). Every place that
    shows a paragraph's columns (findings, archived paragraphs) uses this.
    """
    text = p.text
    if not text:
        return (p.column, p.column)
    if "\r" in text:
        lines = Lines.of(text)
        first, last, one = lines.line(0), lines.line(len(lines) - 1), len(lines) == 1
    else:  # LF only: the first and last lines found directly, as ``Lines.of`` splits them
        cut = text.find("\n") + 1
        first = text[:cut] if cut else text
        inner = text.rfind("\n", 0, len(text) - 1)  # the break before the last line
        last, one = text[inner + 1 :], inner < 0
    offset = p.column - 1
    last = last.rstrip("\r\n")
    start = offset + len(first) - len(first.lstrip()) + 1
    return (start, (offset if one else 0) + len(last) + 1)


def location_of(report: Report, p: Paragraph) -> Location:
    """Return where paragraph ``p`` of ``report`` is: path, index, lines and columns."""
    return Location(
        path=report.documents[p.doc].path,
        paragraph=p.index,
        lines=p.lines,
        columns=columns_of(p),
    )


def findings_of(report: Report, fail_on: Kind) -> list[Finding]:
    """Return one finding per repeated paragraph: removals first, then review pairs."""

    # A kept paragraph is in every finding of its group: its place and fingerprint once.
    seen: dict[tuple[int, int], tuple[Location, str]] = {}
    paths: dict[int, str] = {}  # a document's path, made once (a record's takes a lookup)

    def place(p: Paragraph) -> tuple[Location, str]:
        return seen[(p.doc, p.index)]

    def placed(matches: Sequence[Match]) -> None:
        """Find where the paragraphs of ``matches`` are, fingerprinted together."""
        new: dict[tuple[int, int], Paragraph] = {}
        for m in matches:
            for p in (m.paragraph, m.other):
                key = (p.doc, p.index)
                if key not in seen:
                    new[key] = p
        marks = fingerprints([report.compare_of(p) for p in new.values()])
        for (key, p), mark in zip(new.items(), marks, strict=True):
            path = paths.get(p.doc)
            if path is None:
                path = paths[p.doc] = report.documents[p.doc].path
            seen[key] = (Location(path, p.index, p.lines, columns_of(p)), mark)

    kept_words: dict[tuple[int, int], str] = {}

    def make(m: Match) -> Finding:
        p, o = m.paragraph, m.other
        (where, mark), (kept, kept_mark) = place(p), place(o)
        words = kept_words.get((o.doc, o.index))
        if words is None:
            words = kept_words[(o.doc, o.index)] = excerpt(report.compare_of(o))
        return Finding(
            where=where,
            kept=kept,
            kind=m.kind,
            similarity=m.similarity,
            fingerprint=mark,
            kept_fingerprint=kept_mark,
            failing=fails(m.kind, fail_on),
            excerpt=excerpt(report.compare_of(p)),
            kept_excerpt=words,
        )

    removals = report.removals
    placed(removals)
    out = [make(m) for m in removals]
    taken = {(m.paragraph.doc, m.paragraph.index) for m in removals}
    best: dict[tuple[int, int], Match] = {}
    for m in report.review:
        key = (m.paragraph.doc, m.paragraph.index)
        if key in taken:
            continue
        if key not in best or (m.kind.rank, -m.similarity) < (
            best[key].kind.rank,
            -best[key].similarity,
        ):
            best[key] = m
    placed(list(best.values()))
    out += [make(m) for m in best.values()]
    order = {path: i for i, path in enumerate(document_paths(report.documents))}
    out.sort(key=lambda f: (order.get(f.where.path, len(order)), f.where.paragraph))
    return out


def merge_findings(
    report: Report, found: Sequence[Finding], extra: Sequence[Finding]
) -> list[Finding]:
    """Return one finding per paragraph: the stronger kind, ``extra`` (archived) on a tie.

    Archived paragraphs were published first, so they are the earlier, kept copy.
    """
    best: dict[tuple[str, int], Finding] = {(f.where.path, f.where.paragraph): f for f in found}
    for f in extra:
        key = (f.where.path, f.where.paragraph)
        if key not in best or f.kind.rank <= best[key].kind.rank:
            best[key] = f
    order = {path: i for i, path in enumerate(document_paths(report.documents))}
    return sorted(
        best.values(), key=lambda f: (order.get(f.where.path, len(order)), f.where.paragraph)
    )


def run_check(
    documents: Sequence[Document] | DocumentSource | ClusterInputs,
    settings: Settings,
    *,
    engine: Engine = Engine.MEMORY,
    fail_on: Kind = Kind.NEAR,
    allow: AllowList | None = None,
    baseline: Baseline | None = None,
    exit_zero: bool = False,
    jobs: int | None = 1,
    progress: Progress | None = None,
    stage: Stage | None = None,
    extra: Callable[[Report, Sequence[Prepared]], Sequence[Finding]] | None = None,
    against: ArchiveInfo | None = None,
    roles: Roles | None = None,
    notice: Callable[[str], None] | None = None,
) -> CheckResult:
    """Find repeats within and across ``documents`` with ``engine`` and decide what fails.

    ``documents`` is a list for ``Engine.MEMORY``, a source read anew each time it is
    called for ``Engine.STREAM``, the files a cluster reads for ``Engine.DASK``, which
    tells ``notice`` what reading them has to say (``engines.find``). ``extra`` adds
    findings made from the report and the documents as the engine prepared them, each
    prepared once (``check --against``: repeats of archived paragraphs; it needs every
    paragraph, so the memory engine); each paragraph keeps one finding
    (``merge_findings``).
    """
    report, prepared = find(
        engine,
        documents,
        settings,
        allow=allow,
        jobs=jobs,
        progress=progress,
        stage=stage,
        keep_prepared=extra is not None,
        notice=notice,
    )
    return check_report(
        report,
        fail_on=fail_on,
        baseline=baseline,
        exit_zero=exit_zero,
        extra=None if extra is None else extra(report, prepared),
        against=against,
        roles=roles,
    )


def check_report(
    report: Report,
    *,
    fail_on: Kind = Kind.NEAR,
    baseline: Baseline | None = None,
    exit_zero: bool = False,
    extra: Sequence[Finding] | None = None,
    against: ArchiveInfo | None = None,
    roles: Roles | None = None,
) -> CheckResult:
    """Decide what fails in a report made by any engine (``extra``: archived repeats)."""
    roles = roles or Roles()
    found = findings_of(report, fail_on)
    if extra is not None:
        found = merge_findings(report, found, extra)
    found = assign_roles(report, found, roles)
    new, suppressed, stale = baseline.apply(found) if baseline is not None else (found, 0, [])
    return CheckResult(
        report=report,
        fail_on=fail_on,
        findings=tuple(new),
        all_findings=tuple(found),
        suppressed=suppressed,
        stale=tuple(stale),
        exit_zero=exit_zero,
        against=against,
        roles=roles,
    )


def assign_roles(report: Report, found: Sequence[Finding], roles: Roles) -> list[Finding]:
    """Mark the findings of groups of ``roles.copies`` copies or more as boilerplate.

    A group is a kept paragraph and the findings that repeat it; its copies are the kept
    paragraph and every finding. A group whose copies are all records of JSONL files
    stays a copy (a corpus repeating a story across records is copying, not a site
    template). Whatever its number of copies, a group is boilerplate too (its ``reason``):

    - ``versions``: its copies are all in versions of one document (``versions_of_one``: a
      fix in the release notes of two branches), or it is two copies in renderings of one
      page (``_rendered_pairs``: a man page's source and the Markdown made from it);
    - ``entries``, ``lists``, ``sections``, ``templates``: its copies sit in parallel
      entries, lists or sections of one page, or repeat a page's opening under a template's
      section (``_parallel_groups``);
    - ``aggregates``: a paragraph of a page and its copy in a page made of it and others
      (``_aggregated_pairs``);
    - ``release-notes``: it has a copy in release notes or a change log (by its path, or
      by its sections' titles) across files or under another release's section, or all
      its copies sit in version notes (``_release_groups``, ``_version_note_groups``):
      notes of a release record what was said then, quoting the docs of the time or
      announcing one fix in several lines, and are not edited later;
    - ``summaries``: two copies, one right under a link to the other's page, or a copy of
      a page's opening in a section that links to that page (``_summary_groups``);
    - ``reminders``: its copies all sit in one page, each in its own callout (a note or a
      warning box, ``dedup.check.boxes``): a warning said again in each section where
      it applies, for the reader who lands on that section (``_reminder_groups``);
    - ``generated``: every copy is in a file that says it is generated
      (``is_generated``) or sits in a generated folder (``generated_folders``): a script
      or a template makes it, and is where a fix goes.

    Each kind has its switch in ``roles``. Boilerplate fails only if ``roles.fail``.
    """
    if roles.copies <= 0 or not found:
        return list(found)
    record_files = _record_files(report)

    def file_of(path: str) -> str:
        for f in record_files:
            if path.startswith(f + "#"):
                return f
        return path

    copies: Counter[tuple[str, int, bool]] = Counter()
    records_only: dict[tuple[str, int, bool], bool] = {}
    paths: dict[tuple[str, int, bool], set[str]] = {}
    for f in found:
        key = (f.kept.path, f.kept.paragraph, f.archived is not None)
        copies[key] += 1
        if f.archived is None:
            paths.setdefault(key, {f.kept.path}).add(f.where.path)
        is_record = file_of(f.where.path) != f.where.path and (
            f.archived is not None or file_of(f.kept.path) != f.kept.path
        )
        records_only[key] = records_only.get(key, True) and is_record
    notes: dict[tuple[str, int, bool], str] = {}  # what a message says of a group's role
    read = _Texts(report)
    parallel = (
        _parallel_groups(read, found, paths, roles, notes)
        if roles.entries or roles.lists or roles.templates or roles.sections
        else {}
    )
    shared, sizes = (
        _shared_paragraphs(report, found) if roles.aggregates or roles.versions else ({}, {})
    )
    aggregated = _aggregated_pairs(shared, sizes) if roles.aggregates else set()
    rendered = _rendered_pairs(shared, sizes) if roles.versions else set()
    summaries = _summary_groups(read, found, paths) if roles.summaries else set()
    reminders = _reminder_groups(read, found, paths) if roles.reminders else set()
    logged: dict[tuple[str, int, bool], str] = {}  # a change log known by its sections
    releases = (
        _release_groups(read, found, paths, copies, roles.copies, logged)
        if roles.release_notes
        else set()
    )
    version_notes = (
        _version_note_groups(read, found, copies, roles.copies) if roles.release_notes else set()
    )
    generated, in_folders = _generated_files(report, paths) if roles.generated else (set(), set())
    out: list[Finding] = []
    versions: dict[tuple[str, int, bool], bool] = {}  # per group: its findings share it
    for f in found:
        key = (f.kept.path, f.kept.paragraph, f.archived is not None)
        if records_only[key]:
            out.append(f)
            continue
        group_paths = paths.get(key, set())
        versioned = versions.get(key)
        if versioned is None:
            versioned = versions[key] = roles.versions and (
                versions_of_one(group_paths) is not None
                or (len(group_paths) == 2 and frozenset(group_paths) in rendered)
            )
        reason = (
            "copies"
            if copies[key] + 1 >= roles.copies
            else "versions"
            if versioned
            else parallel.get(key, "")
            or ("aggregates" if _in_aggregate(group_paths, copies[key], aggregated) else "")
            or ("release-notes" if key in releases or key in version_notes else "")
            or ("summaries" if key in summaries else "")
            or ("reminders" if key in reminders else "")
            or ("generated" if group_paths and group_paths <= generated else "")
        )
        if reason == "generated" and group_paths <= in_folders:
            notes[key] = "in a generated folder"
        elif reason == "release-notes" and key not in releases:
            notes[key] = "each in a version note"
        elif reason == "release-notes" and key in logged:
            notes[key] = f"with release notes ({logged[key]})"
        elif reason == "reminders":
            notes[key] = "each in a callout (a note or warning box)"
        if reason:
            f = replace(
                f,
                role=Role.BOILERPLATE,
                failing=f.failing and roles.fail,
                reason=reason,
                note=notes.get(key, ""),
            )
        out.append(f)
    return out


#: A page's opening repeated under a later section is the pages' template when at least
#: this many pages repeat their opening under a section of that title.
TEMPLATE_PAGES = 3

#: A page is reproduced whole in another when at least this share of its paragraphs, and
#: at least MIRROR_PARAGRAPHS of them, repeat paragraphs of the other page; a page that
#: reproduces at least AGGREGATE_PAGES pages whole is made of them.
MIRROR_SHARE = 0.8
MIRROR_PARAGRAPHS = 3
AGGREGATE_PAGES = 3
#: Two pages of one name in two folders are renderings of one document (a man page's
#: source and its generated Markdown and text, a translation, a copy of the docs of
#: another release) when at least this share of one of them, and at least
#: RENDERING_PARAGRAPHS paragraphs, repeat the other.
RENDERING_SHARE = 0.5
RENDERING_PARAGRAPHS = 2
#: File names that many different pages share: a section's landing page, a folder's
#: README. Two of them are two pages, not renderings of one.
GENERIC_NAMES = frozenset({"index", "_index", "readme", "default", "home", "overview"})

_Shared = dict[tuple[str, str], set[int]]


#: Groups of at most this many copies count every pair of their copies as shared
#: paragraphs; larger ones (a stock note on 300 pages) only each copy with the kept one.
SHARED_PAIRS_COPIES = 16


def _shared_paragraphs(report: Report, found: Sequence[Finding]) -> tuple[_Shared, dict[str, int]]:
    """Return, for each ordered pair of documents (a, b), the paragraphs of ``a`` that
    repeat one of ``b``, and the number of paragraphs of each document in a pair.

    Two copies of one group repeat each other though the group names one kept paragraph:
    a rendered page and its text version both repeat their source's paragraph."""
    shared: _Shared = {}
    groups: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for f in found:
        if f.archived is not None:
            continue
        key = (f.kept.path, f.kept.paragraph)
        groups.setdefault(key, [key]).append((f.where.path, f.where.paragraph))
    for copies in groups.values():
        pairs = (
            itertools.combinations(copies, 2)
            if len(copies) <= SHARED_PAIRS_COPIES
            else ((copies[0], c) for c in copies[1:])
        )
        for (a, pa), (b, pb) in pairs:
            if a != b:
                shared.setdefault((a, b), set()).add(pa)
                shared.setdefault((b, a), set()).add(pb)
    # Only the pages that share paragraphs with another are measured (a corpus of a
    # million records is not walked into a dict).
    wanted = {a for a, _ in shared}
    sizes = {
        path: report.paragraphs_in(i) for i, path in enumerate(report.paths()) if path in wanted
    }
    return shared, sizes


def _aggregated_pairs(shared: _Shared, sizes: dict[str, int]) -> set[frozenset[str]]:
    """Return the pairs (a page, a page made of it and others) of the run's documents.

    A page generated from others (a rules index made of every rule's page, a one-page
    "all" reference) repeats each of their paragraphs on purpose: its copies are one fact,
    "these pages are included there", not a finding per paragraph. A page is included in
    another when at least ``MIRROR_SHARE`` of its paragraphs (and at least
    ``MIRROR_PARAGRAPHS``) repeat the other's; the other is made of pages when at least
    ``AGGREGATE_PAGES`` pages are included in it. Two pages that copy each other (the
    same hooks documented for two APIs) are not an aggregate and stay copies.
    """

    def included(a: str, b: str) -> bool:
        n = len(shared.get((a, b), ()))
        return n >= MIRROR_PARAGRAPHS and n >= MIRROR_SHARE * sizes.get(a, n + 1)

    parts: dict[str, list[str]] = {}
    for a, b in shared:
        if included(a, b) and not included(b, a):  # two pages that copy each other: copies
            parts.setdefault(b, []).append(a)
    return {
        frozenset((a, b))
        for b, pages in parts.items()
        if len(pages) >= AGGREGATE_PAGES
        for a in pages
    }


def _rendered_pairs(shared: _Shared, sizes: dict[str, int]) -> set[frozenset[str]]:
    """Return the pairs of pages that are renderings of one document: the same file name
    (extension aside) in two folders, one repeating at least ``RENDERING_SHARE`` of the
    other (and at least ``RENDERING_PARAGRAPHS`` paragraphs). ``man/cargo-build.md``,
    ``src/commands/cargo-build.md`` made from it and ``man/generated_txt/cargo-build.txt``
    are one page three times; ``ref/models/fields.txt`` and ``ref/forms/fields.txt``,
    which share a few paragraphs of dozens, are two pages. A piece in a folder of includes
    (``includes/introduction.txt``) is no rendering: a page that repeats it pasted it.

    Once two pages of a name are renderings, every page of that name sharing a paragraph
    with one of them is a rendering too: a plain-text man page reflows its lines, so few
    of its paragraphs repeat the source's word for word."""
    out: set[frozenset[str]] = set()
    rendered: set[str] = set()  # pages in a rendering pair
    for (a, b), mine in shared.items():
        n = len(mine)
        if (
            a < b
            and n >= RENDERING_PARAGRAPHS
            and _stem(a) == _stem(b)
            and _stem(a).lower() not in GENERIC_NAMES
            and not (_in_includes(a) or _in_includes(b))
            and (
                n >= RENDERING_SHARE * sizes.get(a, n + 1)
                or len(shared[(b, a)]) >= RENDERING_SHARE * sizes.get(b, n + 1)
            )
        ):
            out.add(frozenset((a, b)))
            rendered.update((a, b))
    for a, b in shared:
        if (
            a != b
            and (a in rendered or b in rendered)
            and _stem(a) == _stem(b)
            and not (_in_includes(a) or _in_includes(b))
        ):
            out.add(frozenset((a, b)))
    return out


#: A folder of pieces that pages include (Sphinx ``includes/``, Jekyll ``_includes/``,
#: MkDocs ``snippets/``, Hugo ``partials/``): a page that repeats one pasted it instead.
_INCLUDES = re.compile(r"(?i:_?(?:includes?|snippets|partials|fragments))")


def _folders(path: str) -> list[str]:
    """Return the folders of a path, outermost first (the file name left out)."""
    return path.replace("\\", "/").split("/")[:-1]


def _in_includes(path: str) -> bool:
    """Return whether a page sits in a folder of included pieces (``_INCLUDES``)."""
    return any(_INCLUDES.fullmatch(part) for part in _folders(path))


def _stem(path: str) -> str:
    """Return a path's file name without its extension (``cargo-build`` for
    ``man/cargo-build.md``); a record (``file.jsonl#3``) is only itself."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    if "#" in name:
        return path
    return name.rsplit(".", 1)[0] if "." in name else name


#: A file says it is generated in a comment or heading near its top (or its last lines,
#: where cobra signs its pages): "autogenerated by scripts/update-plugin-list.py", "DO NOT
#: EDIT", "This file was generated by typedoc", "Auto generated by spf13/cobra".
_GENERATED = re.compile(
    r"\b(?:auto-?generated|automatically\s+generated|(?:was|is|are|been)\s+generated"
    r"|generated\s+(?:by|from|with|using)|do\s+not\s+edit|don't\s+edit)\b",
    re.IGNORECASE,
)
#: A line that is a comment or a heading: reStructuredText ``..`` comments, HTML or
#: Markdown ``<!-- -->``, Jinja/Liquid/Hugo comments, Markdown headings.
_NOTE_LINE = re.compile(r"\s*(?:\.\.\s(?!.*::)|<!--|\{#|\{%-?\s*comment|\{\{/\*|#{1,6}\s)")
#: How many lines at the top (and at the bottom) are read for the mark.
GENERATED_LINES = 15


#: A mark that bounds a generated part of a page, not the page: eslint-doc-generator's
#: ``<!-- end auto-generated rule header -->``, doctoc's ``<!-- START doctoc generated TOC
#: ... -->``, ``<!-- BEGIN GENERATED -->``. The rest of such a page is written by hand.
_REGION_MARK = re.compile(r"(?<![\w-])(?:begin|start|end)(?![\w-])", re.IGNORECASE)
#: The same mark's second line, doctoc's ``<!-- DON'T EDIT THIS SECTION, INSTEAD RE-RUN
#: doctoc TO UPDATE -->``: a part of the page, not the page, is not to be edited.
_REGION_NOTE = re.compile(r"\bthis\s+(?:section|part|block|region)\b", re.IGNORECASE)


def is_generated(text: str) -> bool:
    """Return whether a document says it is generated (``_GENERATED`` in a comment or a
    heading among its first ``GENERATED_LINES`` lines or its last 3, not as the bound of
    a generated part, ``_REGION_MARK``)."""
    lines = split_lines(text[:4096])[:GENERATED_LINES]
    tail = split_lines(text[-1024:])[-3:] if len(text) > 1024 else []
    return any(
        _NOTE_LINE.match(line)
        and (m := _GENERATED.search(line)) is not None
        and _REGION_MARK.search(line, 0, m.start()) is None
        and _REGION_NOTE.search(line) is None
        for line in lines + tail
    )


#: A folder of generated files, by its name: Sphinx autosummary's ``generated/`` and
#: ``_autosummary/``, ``_generated/``, ``autogenerated/``, Cargo's ``man/generated_txt/``.
_GENERATED_FOLDER = re.compile(r"(?i:_?(?:auto-?)?generated(?:[-_].*)?|_autosummary)")


def generated_folders(names: Iterable[str], wanted: set[str]) -> set[str]:
    """Return the names in ``wanted`` that sit in a generated folder
    (``_GENERATED_FOLDER``) below the folder all of ``names`` (a run's documents) share:
    ``dedup check /srv/generated/docs`` does not make every file generated. Records
    (``file.jsonl#3``) are never in one."""
    folders = [_folders(name) for name in names if "#" not in name]
    if not folders:
        return set()
    root = posixpath.commonprefix(folders)  # works on lists: the shared leading folders
    out: set[str] = set()
    for name in wanted:
        if "#" in name:
            continue
        if any(_GENERATED_FOLDER.fullmatch(part) for part in _folders(name)[len(root) :]):
            out.add(name)
    return out


def _generated_files(
    report: Report, paths: dict[tuple[str, int, bool], set[str]]
) -> tuple[set[str], set[str]]:
    """Return the documents of the run's groups that are generated, and those of them in a
    generated folder (``generated_folders``); the others say so (``is_generated``). Their
    copies are fixed where they are made (a script, a template), not in the file. Only a
    file's first 4 KiB and last 1 KiB are read (a huge file is not read again whole)."""
    wanted = {p for ps in paths.values() for p in ps}
    in_folders = generated_folders(report.paths(), wanted)
    out = set(in_folders)
    docs = report.documents
    for i, name in enumerate(report.paths()):
        if name not in wanted or name in out:
            continue
        doc = docs[i]
        if doc.record is not None:
            continue
        if doc.text:
            text = doc.text[:4096] + ("\n" + doc.text[-1024:] if len(doc.text) > 4096 else "")
        else:
            text = _ends_of(doc.path)
        if is_generated(text):
            out.add(name)
    return out, in_folders


def _ends_of(path: str) -> str:
    """Return a file's first 4 KiB and last 1 KiB as text (undecodable bytes replaced)."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
            size = f.seek(0, 2)
            tail = b""
            if size > 4096:
                f.seek(max(4096, size - 1024))
                tail = b"\n" + f.read(1024)
    except OSError:
        return ""
    return (head + tail).decode("utf-8", errors="replace")


def _release_groups(
    read: _Texts,
    found: Sequence[Finding],
    paths: dict[tuple[str, int, bool], set[str]],
    copies: Counter[tuple[str, int, bool]],
    limit: int,
    logged: dict[tuple[str, int, bool], str],
) -> set[tuple[str, int, bool]]:
    """Return the groups with a copy in release notes: spanning two files or more, one of
    them release notes (``is_release_notes``), or inside one change log with each copy
    under another section: another release's (a title naming a version or a date: "pytest
    8.0.0 (2024-01-27)", "May 4, 2021 - CVE-2021-31542"), a change noted again in a later
    release, or another part of one release's notes (Celery's 4.4 notes bump redis-py
    under "Redis Message Broker" and again under "Redis Result Backend"), two changes
    noted alike; each copy must be under a release's title (a page in a ``releases/``
    folder whose sections name none, an upgrade guide, is no release's notes). Two copies
    under one section are a slip (an entry listed twice) and stay a copy when one is exact;
    near copies there are two entries written alike ("Bump actions/checkout from 4.1.2 to
    4.1.3 (:pr:`8628`)" for each of two repositories, "C++, alternate operator spellings
    are now supported." and the same for C): two changes. A page whose
    sections name at least ``CHANGE_LOG_RELEASES`` releases is a change log whatever its
    name ("docs/news.rst", "history/hatch.md"), for a group in two files too (of fewer
    than ``limit`` copies: more are boilerplate anyway); ``logged`` gets such a group's
    change log, for its message."""
    out: set[tuple[str, int, bool]] = set()
    lines: dict[tuple[str, int, bool], list[int]] = {}
    spanning: set[tuple[str, int, bool]] = set()  # groups of two files or more, judged
    spread: dict[tuple[str, int, bool], set[str]] = {}  # of them, none named as notes
    slips: set[tuple[str, int, bool]] = set()  # in one file, with an exact copy
    for f in found:
        key = (f.kept.path, f.kept.paragraph, f.archived is not None)
        group = paths.get(key)
        if f.archived is not None or not group or key in out or key in spanning:
            continue
        if len(group) >= 2:
            spanning.add(key)
            if any(is_release_notes(p) for p in group):
                out.add(key)
            elif copies[key] + 1 < limit:
                spread[key] = group
        else:
            lines.setdefault(key, [f.kept.lines[0]]).append(f.where.lines[0])
            if f.kind is Kind.EXACT:
                slips.add(key)
    if not lines and not spread:
        return out
    texts = read.of({key[0] for key in lines} | {p for g in spread.values() for p in g})
    releases: dict[str, list[str | None]] = {}
    for path, (text, syntax) in texts.items():
        named_notes = is_release_notes(path)
        if syntax in ("markdown", "rst", "html") and (named_notes or may_be_change_log(text)):
            of = releases_of(read.sections(path))
            # a change log by its path, or by its sections (Scrapy's docs/news.rst)
            named = {t for t in of if t is not None and is_release_title(t)}
            if named_notes or len(named) >= CHANGE_LOG_RELEASES:
                releases[path] = of
    for key, starts in lines.items():
        released = releases.get(key[0])
        if released is None or any(_at(released, n) is None for n in starts):
            continue  # a copy under no release's title is in no release's notes
        held = [_at(read.sections(key[0]), n) or (0, None) for n in starts]
        if len({number for number, _ in held}) == len(held) or key not in slips:
            out.add(key)
    for key, group in spread.items():
        logs = sorted(p for p in group if p in releases)
        if logs:
            out.add(key)
            logged[key] = logs[0]
    return out


#: A file that may hold a version note, by a cheap look at its text.
_MAY_HOLD_NOTES = re.compile(
    r"\.\.\s+(?:version|deprecated)|\{(?:version|deprecated)", re.IGNORECASE
)


def _version_note_groups(
    read: _Texts,
    found: Sequence[Finding],
    copies: Counter[tuple[str, int, bool]],
    limit: int,
) -> set[tuple[str, int, bool]]:
    """Return the groups (of fewer than ``limit`` copies) whose copies all sit in version
    notes (``version_note_lines``: ``.. versionchanged:: 5.1`` and its body): "The
    ``query_params`` parameter was added." under two APIs records two changes."""
    spots: dict[tuple[str, int, bool], list[tuple[str, int]]] = {}
    for f in found:
        key = (f.kept.path, f.kept.paragraph, f.archived is not None)
        if f.archived is None and copies[key] + 1 < limit:
            spots.setdefault(key, [(f.kept.path, f.kept.lines[0])]).append(
                (f.where.path, f.where.lines[0])
            )
    if not spots:
        return set()
    texts = read.of({p for places in spots.values() for p, _ in places})
    marks = {
        path: version_note_lines(text, syntax)
        for path, (text, syntax) in texts.items()
        if _MAY_HOLD_NOTES.search(text)
    }
    return {
        key
        for key, places in spots.items()
        if all(_at(marks.get(path), line) for path, line in places)
    }


#: A page that may hold a callout, by a cheap look at its text.
_MAY_HOLD_CALLOUTS = re.compile(r"::|!!!|\?\?\?|\[!|\{\{[<%]|///")


def _one_page_starts(
    found: Sequence[Finding], paths: dict[tuple[str, int, bool], set[str]]
) -> dict[tuple[str, int, bool], list[int]]:
    """Return, for each group whose copies are all in one page (none archived), the first
    lines of its copies, the kept one first."""
    out: dict[tuple[str, int, bool], list[int]] = {}
    for f in found:
        key = (f.kept.path, f.kept.paragraph, f.archived is not None)
        if f.archived is None and len(paths.get(key, ())) == 1:
            out.setdefault(key, [f.kept.lines[0]]).append(f.where.lines[0])
    return out


def _reminder_groups(
    read: _Texts,
    found: Sequence[Finding],
    paths: dict[tuple[str, int, bool], set[str]],
) -> set[tuple[str, int, bool]]:
    """Return the groups whose copies all sit in one page, each in another callout
    (``callout_lines``): Sphinx's "The support for concepts is experimental." warning
    under each section on concepts, a Scrapy note on running without a reactor in both
    sections that do. The same words twice in one callout, or once outside one, stay a
    copy; so do callouts on two pages (a note pasted from page to page)."""
    spots = _one_page_starts(found, paths)
    if not spots:
        return set()
    texts = read.of({key[0] for key in spots})
    boxes = {
        path: callout_lines(text, syntax)
        for path, (text, syntax) in texts.items()
        if _MAY_HOLD_CALLOUTS.search(text)
    }
    out: set[tuple[str, int, bool]] = set()
    for key, starts in spots.items():
        held = [_at(boxes.get(key[0]), n) for n in starts]
        if None not in held and len(set(held)) == len(held):
            out.add(key)
    return out


def _summary_groups(
    read: _Texts,
    found: Sequence[Finding],
    paths: dict[tuple[str, int, bool], set[str]],
) -> set[tuple[str, int, bool]]:
    """Return the groups of two copies in two pages where one copy sits right under a link
    to the other's page, or where the other copy is its page's opening (before the page's
    second heading) and the copy or what follows it in its section (a toctree of the
    section too) links to that page: a landing page introducing a section by its opening words
    (``dedup.check.summaries``). Two pages that open alike stay a copy, unless the one
    that links is a landing page (``GENERIC_NAMES``: an index of its folder)."""
    pairs: dict[tuple[str, int, bool], list[Finding]] = {}
    for f in found:
        key = (f.kept.path, f.kept.paragraph, f.archived is not None)
        if f.archived is None and len(paths.get(key, ())) == 2:
            pairs.setdefault(key, []).append(f)
    pairs = {k: fs for k, fs in pairs.items() if len(fs) == 1}
    if not pairs:
        return set()
    texts = read.of({p for fs in pairs.values() for p in (fs[0].where.path, fs[0].kept.path)})
    lines = {path: read.lines(path) for path in texts}

    def section_of(path: str, line: int) -> Section:
        return _at(read.sections(path), line) or (0, None)

    def span_of(path: str, line: int) -> tuple[int, int]:
        """The 1-based first and last line of the section that holds ``line``."""
        here = section_of(path, line)
        of = read.sections(path)
        first, last = line, line
        while first > 1 and of[first - 2][0] == here[0]:
            first -= 1
        while last < len(of) and of[last][0] == here[0]:
            last += 1
        return first, last

    out: set[tuple[str, int, bool]] = set()
    for key, (f,) in pairs.items():
        for here, there in ((f.where, f.kept), (f.kept, f.where)):
            if here.path not in lines or there.path not in lines:
                continue
            dest = link_above(lines[here.path], here.lines[0])
            if dest is not None and points_to(here.path, dest, there.path):
                out.add(key)
                break
            name = posixpath.basename(page_key(there.path))
            if not name or name not in texts[here.path][0]:
                continue  # no link here can name that page
            if section_of(there.path, there.lines[0])[0] > 1:  # not the page's opening
                continue
            if section_of(here.path, here.lines[0])[0] <= 1 and _stem(here.path).casefold() not in (
                GENERIC_NAMES
            ):
                continue  # two pages opening alike (a reference and its guide): a copy
            near = links_near(lines[here.path], here.lines[0], span_of(here.path, here.lines[0]))
            if any(points_to(here.path, d, there.path) for d in near):
                out.add(key)
                break
    return out


def _in_aggregate(paths: set[str], findings: int, pairs: set[frozenset[str]]) -> bool:
    """Return whether a group is one paragraph of a page and its copy in a page made of it
    (two copies, one in each)."""
    return findings == 1 and len(paths) == 2 and frozenset(paths) in pairs


def _parallel_groups(
    read: _Texts,
    found: Sequence[Finding],
    paths: dict[tuple[str, int, bool], set[str]],
    roles: Roles,
    notes: dict[tuple[str, int, bool], str],
) -> dict[tuple[str, int, bool], str]:
    """Return the groups whose copies all sit in parallel parts of one page, and why:
    ``"entries"``, ``"lists"`` or ``"templates"``.

    A reference page (``dedup.check.entries``) repeats a sentence under several of its entries by
    convention. The copies must all be in one document, each in its own entry, and no
    entry may hold another (``## v-if`` and ``## v-else``, two ``.. data::``,
    ``fs.mkdir()`` and ``fsPromises.mkdir()``, ``ModelAdmin.raw_id_fields`` and
    ``InlineModelAdmin.raw_id_fields``: one member documented on each variant or class
    that has it). Text in an entry's introduction and again in one of its sub-entries
    stays a copy.

    A page's parallel lists (``dedup.check.lists``) repeat an item by design: the copies must
    all be list items of one document, each in a different list. The same item twice in
    one list is a slip, a copy. Text written under items (an item's second paragraph, a
    definition) is each item's own note: the same note under two items ("See issue
    #169." under two change-log entries, "Configured using ``task_acks_late``." under two
    glossary terms) is the page's pattern too, when each copy sits under another item,
    whatever its length: on real trees the longer notes under two items were variants'
    instructions (Pyramid's "You can either follow the use of the environment variable
    ..." under Unix and under Windows) and a stock note under two glossary terms, none a
    paste to undo (benchmarks/RESULTS-docs.md item 18).

    With ``roles.templates``, a repeat of two copies in one page, one in the page's opening
    (before its second heading) and one under a later section, is the pages' template when
    at least ``TEMPLATE_PAGES`` pages repeat their opening under a section of that title:
    generated command pages (cobra's) repeat their summary under "Synopsis", each with its
    own words. An accidental repeat between two sections of a page stays a copy.

    Between pages, the same entry described twice is one thing documented in two places:
    a copy.
    """
    lines = _one_page_starts(found, paths)
    if not lines:
        return {}
    texts = read.of({key[0] for key in lines})
    entries = {
        path: entries_of(text, syntax) for path, (text, syntax) in texts.items() if roles.entries
    }
    lists = {
        path: list_items(read.lines(path), fences=syntax != "rst")
        for path, (_, syntax) in texts.items()
        if roles.lists
    }
    out: dict[tuple[str, int, bool], str] = {}
    slots: dict[tuple[str, int, bool], str] = {}  # a repeat of a page's opening: the title
    parents: dict[str, dict[int, int]] = {}  # a page's sections: each one's parent section
    for key, starts in lines.items():
        found_entries = [_at(entries.get(key[0]), n) for n in starts]
        held = {e for e in found_entries if e is not None}
        if (
            None not in found_entries
            and len(held) == len(starts)
            and not any(e.line in d.within for e in held for d in held)
        ):
            out[key] = "entries"
            continue
        page_lists = lists.get(key[0])
        found_lists = [_at(page_lists.ids if page_lists else None, n) for n in starts]
        if None not in found_lists and len(set(found_lists)) == len(starts):
            out[key] = "lists"
            continue
        found_items = [_at(page_lists.bodies if page_lists else None, n) for n in starts]
        if None not in found_items and len(set(found_items)) == len(starts):
            out[key] = "lists"
            notes[key] = "each under another list item"
            continue
        if key[0] not in texts or not (roles.sections or (roles.templates and len(starts) == 2)):
            continue
        held_sections = [_at(read.sections(key[0]), n) or (0, None) for n in starts]
        if (
            roles.sections
            and not is_release_notes(key[0])  # its sections are releases: the release rule's
            and (title := _parallel_sections(held_sections, parents, key[0], texts))
        ):
            out[key] = "sections"
            notes[key] = f'{len(starts)} sections titled "{title}", under other headings'
        elif roles.templates and len(starts) == 2:
            first, second = sorted(held_sections, key=lambda s: s[0])
            if first[0] <= 1 and second[0] > 1 and second[1]:
                slots[key] = second[1]
    # A page's opening repeated under a section of one title in many pages is the pages'
    # template: a generated command page repeats its summary under "Synopsis" (cobra's).
    pages: dict[str, set[str]] = {}
    for key, title in slots.items():
        pages.setdefault(title, set()).add(key[0])
    for key, title in slots.items():
        if len(pages[title]) >= TEMPLATE_PAGES:
            out[key] = "templates"
            notes[key] = f'its opening repeated under "{title}", as in {len(pages[title])} pages'
    return out


def _parallel_sections(
    held: Sequence[Section],
    parents: dict[str, dict[int, int]],
    path: str,
    texts: dict[str, tuple[str, str]],
) -> str | None:
    """Return the title of the sections that hold a page's copies when they are parallel:
    each copy in its own section, every section of that one title, each under another
    heading ("Membership" under "Mergers" and under "Releasers"); else None. Two sections
    of one title under one heading are a section pasted twice: a copy."""
    titles = {title for _, title in held}
    if len(titles) != 1 or None in titles or len({n for n, _ in held}) != len(held):
        return None
    if path not in parents:
        parents[path] = section_parents(*texts[path])
    of = parents[path]
    above = [of.get(n) for n, _ in held]
    if None in above or len(set(above)) != len(above):
        return None
    numbers = {n for n, _ in held}
    for n, _ in held:  # no section holds another ("## Notes" > "### Notes")
        up = of.get(n, 0)
        while up:
            if up in numbers:
                return None
            up = of.get(up, 0)
    return titles.pop()


_T = TypeVar("_T")


def _at(of: Sequence[_T | None] | None, line: int) -> _T | None:
    """Return what ``of`` holds for a 1-based line, or None."""
    return of[line - 1] if of is not None and 0 < line <= len(of) else None


class _Texts:
    """The texts of a run's documents that the role rules read, each read (again, if the
    engine kept none) at most once per run; records and unreadable files have none."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.read: dict[str, tuple[str, str] | None] = {}
        self._sections: dict[str, list[Section]] = {}
        self._lines: dict[str, list[str]] = {}

    def lines(self, path: str) -> list[str]:
        """Return the lines of a document ``of`` has read (``split_lines``), split once per
        run for all the rules that read them."""
        if path not in self._lines:
            got = self.read.get(path)
            self._lines[path] = split_lines(got[0]) if got is not None else []
        return self._lines[path]

    def sections(self, path: str) -> list[Section]:
        """Return the sections of a document ``of`` has read (``sections_of``), made once
        per run for all the rules that read them."""
        if path not in self._sections:
            got = self.read.get(path)
            self._sections[path] = sections_of(*got) if got is not None else []
        return self._sections[path]

    def of(self, wanted: set[str]) -> dict[str, tuple[str, str]]:
        """Return each wanted document's text and syntax, where it has them."""
        missing = wanted - self.read.keys()
        if missing:
            docs = self.report.documents
            for i, name in enumerate(self.report.paths()):
                if name in missing:
                    missing.discard(name)
                    self.read[name] = _text_of(docs[i])
                    if not missing:
                        break
            self.read.update(dict.fromkeys(missing))  # not a document of the run
        return {name: got for name in wanted if (got := self.read.get(name)) is not None}


def _text_of(doc: Document) -> tuple[str, str] | None:
    """Return a document's text and syntax, read again if the engine kept none."""
    if doc.record is not None or doc.syntax not in ("markdown", "rst", "text", "html"):
        return None
    text = doc.text
    if not text:
        try:
            text = decode(doc.path, read_bytes(doc.path), encoding=doc.encoding).text
        except (InputError, OSError):
            return None
    return text, doc.syntax


def _record_files(report: Report) -> set[str]:
    """Return the JSONL files whose records are documents of ``report``."""
    docs = report.documents
    if isinstance(docs, DocumentTable):  # a corpus run's table: without a pass over it
        return docs.record_files()
    out: set[str] = set()
    for d in docs:
        if d.record is not None:
            out.add(d.path[: len(d.path) - len(d.record[0]) - 1])
    return out
