"""Release notes and version notes: the records of what a release changed.

Release notes and change logs are known by their path (``is_release_notes``), a change
log's releases by the titles of its sections (``releases_of``: a version or a date), the
versions of one document by the versions in their paths (``versions_of_one``), and the
version notes of a reference page by their directives (``version_note_lines``:
``.. versionchanged::`` in reStructuredText, ```` ```{versionadded} ```` in MyST).
``dedup.check.findings`` gives their repeats the boilerplate role.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from dedup.check.boxes import Boxes, box_lines
from dedup.check.entries import Section
from dedup.text.structure import VERSION_NOTES

#: A version in a path: 4.2.1, v1.2, 2024.1 (numbers joined by dots, with a pre-release
#: or dev suffix: 8.0.0rc2, 2.0b1, 1.0.dev3), or a whole folder or file name v2. A lone
#: number (step-11, chapter2) is not a version.
_VERSION = re.compile(
    r"(?<![\w.])v?\d+(?:\.\d+)+(?:[-.]?(?:a|b|rc|alpha|beta|dev|post)\d*)?(?![\w])"
    r"|(?<![^/])v\d+(?![^/.])"
)


#: Release notes and change logs, by a folder or file name: ``releases/4.2.txt``,
#: ``news/0.56.0-relnotes/index.md``, ``CHANGELOG.md``, ``docs/release-notes/v1.md``,
#: ``whatsnew/3.12.rst``, a name with its version (``history/changelog-5.5.rst``,
#: ``whatsnew-5.5.rst``, ``whatsnew5x.rst``), a migration guide to a version
#: (``migration_to_2xx.rst``, ``migration_04.rst``, ``upgrading-to-v3.md``: it quotes the
#: docs of its time), and the upper-case ``HISTORY.rst``, ``NEWS``,
#: ``CHANGES.md`` (a ``history.md`` page may document a History API; ``releases`` and
#: ``changes`` count as folders only, as a ``guides/releases.md`` page may say how to make
#: one).
_RELEASE_NOTES = re.compile(
    r"(?:^|/)(?:(?i:release[-_ ]?notes?|relnotes|[^/]*[-_]relnotes|change[-_ ]?logs?"
    r"|whats[-_]?new|what-s-new)(?:[-_]?[vV]?\d[\w.]*?)?(?:/|\.[A-Za-z]+$|$)"
    r"|(?i:migration|migrating|upgrad(?:e|ing))(?i:[-_]guide)?[-_]?(?i:to[-_]?)?[vV]?\d[\w.]*?"
    r"(?:/|\.[A-Za-z]+$|$)"
    r"|(?i:releases|changes)/|(?:HISTORY|NEWS|CHANGES)(?:\.[A-Za-z]+)?$)"
)


def is_release_notes(path: str) -> bool:
    """Return whether a document is release notes or a change log, by its path."""
    return _RELEASE_NOTES.search(path.replace("\\", "/")) is not None


def version_key(path: str) -> str | None:
    """Return ``path`` with its versions replaced by ``#``, or None if it names none.

    ``releases/4.2.1.txt`` and ``releases/5.0.txt`` give ``releases/#.txt``;
    ``docs/v1/install.md`` and ``docs/v2/install.md`` give ``docs/#/install.md``.
    """
    key, n = _VERSION.subn("#", path)
    return key if n else None


def versions_of_one(paths: set[str]) -> str | None:
    """Return the shared ``version_key`` when ``paths`` (two or more) are versions of one
    document (release notes of each branch, a versioned docs folder), else None."""
    keys = {version_key(p) for p in paths}
    if len(paths) < 2 or len(keys) != 1:
        return None
    return keys.pop()


#: A date in a title: "2021-05-04", "May 4, 2021", "4 May 2021", "May 2021" (English).
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"(?<!\d)\d{{4}}-\d{{2}}-\d{{2}}(?!\d)|\b{_MONTH}\s+(?:\d{{1,2}},?\s+)?\d{{4}}\b"
    rf"|\b\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}\b",
    re.IGNORECASE,
)


#: A version near a title's start, after at most two words: "5.7.0", "v2.0", "Scrapy 2.11.1
#: (2024-01-27)", "Version 5.2.1 — 2020-07-23", "[1.16.0] - 2025-01-01"; then nothing, or a
#: dash, colon, comma or bracket and anything ("(2024-01-27)", "- 2025-01-01").
_VERSION_AT = re.compile(
    r"[\[(]?((?:[A-Za-z][\w.]*\s+){0,2})[\[(]?v?(\d+(?:\.\d+)+)"
    r"(?:[-.]?(?:a|b|rc|alpha|beta|dev|post)\d*)?(?![\w.])[\])]?(?:\s*[-\u2013\u2014:(,].*)?",
    re.IGNORECASE,
)


def is_release_title(title: str) -> bool:
    """Return whether a section title names a release, as a page whose sections are
    releases (a change log by its content) titles them: a date at its start ("May 4, 2021
    - CVE-2021-31542"), or a version near its start (``_VERSION_AT``) that is a release's:
    three parts or more ("4.1.1"), with a date, alone ("2.0", "v2.0"), or after "Version"
    or "Release". "Python 3.12", "Upgrading to 2.0", "Step 1.1: Install", "Table 4.1" and
    an option "--tls-max-v1.2" are not."""
    t = title.strip()
    date = _DATE.search(t)
    if date is not None and date.start() == 0:
        return True
    m = _VERSION_AT.fullmatch(t)
    if m is None:
        return False
    words = m.group(1).split()
    return (
        m.group(2).count(".") >= 2
        or date is not None
        or not words
        or words[-1].lower() in ("version", "release")
    )


#: A page with sections of at least this many releases (titles naming a version or a date)
#: is a change log.
CHANGE_LOG_RELEASES = 3
#: A line that may title a release (``_VERSION_AT``'s start, or a date, after Markdown's
#: ``#``s or an HTML heading tag): the cheap look before a page's sections are read.
_RELEASE_LINE = re.compile(
    rf"^[ \t]*(?:#{{1,6}}[ \t]+|<h[1-6][^>]*>)?[\[(]?(?:(?:[A-Za-z][\w.]*[ \t]+){{0,2}}[\[(]?"
    rf"v?\d+\.\d|\d{{4}}-\d\d-\d\d|{_MONTH}[ \t]+\d)",
    re.IGNORECASE | re.MULTILINE,
)


#: Where a heading may be: an ATX ``#``, an underline (not a code fence's backticks), an
#: HTML heading tag.
_HEADING_MARK = re.compile(r"\n(?:#|===|---|~~~|\^\^\^|\*\*\*|\+\+\+|\"\"\"|''')|<[hH][1-6]")


def may_be_change_log(text: str) -> bool:
    """Return whether a page may have ``CHANGE_LOG_RELEASES`` release titles: at least that
    many headings (or underlines), and lines that open as a release's title (a quick test;
    ``is_release_title`` decides)."""
    marks = _HEADING_MARK.finditer(("\n" + text) if text.startswith("#") else text)
    if sum(1 for _ in itertools.islice(marks, CHANGE_LOG_RELEASES)) < CHANGE_LOG_RELEASES:
        return False  # fewer headings than releases
    lines = itertools.islice(_RELEASE_LINE.finditer(text), CHANGE_LOG_RELEASES)
    return sum(1 for _ in lines) >= CHANGE_LOG_RELEASES


def releases_of(sections: Sequence[Section]) -> list[str | None]:
    """Return, for each line, the title of the last section above it that names a version
    or a date (a release's section, "May 4, 2021 - CVE-2021-31542"; its "Bug fixes"
    subsection belongs to it), or None."""
    out: list[str | None] = []
    current: str | None = None
    for _, title in sections:
        if title and (version_key(title) or _DATE.search(title)):
            current = title
        out.append(current)
    return out


_VERSION_BOXES = Boxes(VERSION_NOTES, markdown_callouts=False)


def version_note_lines(text: str, syntax: str) -> list[bool]:
    """Return, for each line, whether it is in a version note: the directive line and its
    indented body in reStructuredText, the lines between a MyST ```` ```{versionchanged} ````
    (or ``:::``) fence and its closing fence in Markdown (``dedup.check.boxes``)."""
    return [box is not None for box in box_lines(text, syntax, _VERSION_BOXES)]
