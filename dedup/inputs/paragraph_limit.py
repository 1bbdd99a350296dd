"""The limit on one paragraph's size (``--max-paragraph-bytes``), checked as a document is
read, before it is tokenised: a paragraph is tokenised, shingled and signed whole, at
about 90 bytes of memory per byte of it, so one huge paragraph (a file of one long line)
would otherwise take the machine's memory.

Only a document larger than the limit is looked at. In plain text (files and JSONL
records) a paragraph is measured as the text between blank lines, or a line when the
text is read one paragraph per line (no blank line between its lines): found with one
scan, no paragraph built. A Markdown paragraph never holds a blank line, so a Markdown
document is parsed here only if a run of lines between blank lines is over the limit;
HTML paragraphs are found a slice at a time (``segment_html.html_block_stream``), and
reStructuredText documents are segmented (docutils reads them whole anyway); then each
paragraph's source is measured.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from dedup.core.models import Document
from dedup.text.segment import html_prose, segment
from dedup.text.segment_html import html_block_stream

#: The largest paragraph read (its bytes in the file's encoding) unless ``--max-paragraph-bytes``.
MAX_PARAGRAPH_BYTES = 4 * 2**20

_TERMINATOR = r"(?:\r\n|\r(?!\n)|\n)"
_BLANK_LINE = re.compile(rf"{_TERMINATOR}[^\S\r\n]*{_TERMINATOR}")
_NEXT_LINE = re.compile(_TERMINATOR)
_MD_BLANK = re.compile(rf"{_TERMINATOR}(?:[ \t]*{_TERMINATOR})+")
#: The longest reStructuredText document read, in characters. docutils parses a document
#: whole, as one tree: its title levels, substitutions and targets are the whole
#: document's, so it cannot be read in pieces that parse the same, as Markdown and HTML
#: are. It takes about 70 bytes of memory per character, and each section's body is
#: parsed from a copy of the rest of the document, so time grows with sections times size
#: (a generated 10 MB file of 20,000 sections: 347 s, 725 MB). A longer one is refused.
RST_MAX_CHARS = 8 << 20
#: A char takes at most this many bytes in any encoding a document is read in (UTF-32).
_MAX_CHAR_BYTES = 4


def rst_problem() -> str:
    """Return the problem of a reStructuredText document over ``RST_MAX_CHARS``."""
    return (
        f"longer than {RST_MAX_CHARS:,} characters, the most reStructuredText read whole "
        "(docutils); read it as plain text with --syntax text, or split it"
    )


def problem(limit: int) -> str:
    """Return the problem of a paragraph over ``limit`` bytes."""
    return (
        f"a paragraph longer than the limit of {limit:,} bytes "
        "(raise it with --max-paragraph-bytes)"
    )


def oversized(doc: Document, limit: int) -> int | None:
    """Return the 1-based line (within ``doc``) where a paragraph of more than ``limit``
    bytes starts, or None when every paragraph fits."""
    text = doc.text
    if len(text) * _MAX_CHAR_BYTES <= limit or len(doc.encode(text)) <= limit:
        return None
    if doc.syntax == "markdown" and not _long_run(doc, limit):
        return None
    if doc.syntax == "html":
        for block in html_block_stream(text):
            if not (found := html_prose([block], text=text)):
                continue
            b = found[0]
            if b.end - b.start > limit // _MAX_CHAR_BYTES and (
                len(doc.encode(text[b.start : b.end])) > limit
            ):
                return _line_at(text, b.start)
        return None
    if doc.syntax in ("markdown", "rst"):
        for p in segment(doc).paragraphs:
            if p.byte_end - p.byte_start > limit:
                return p.start_line
        return None
    for start, end in _runs(text):
        if end - start > limit // _MAX_CHAR_BYTES and len(doc.encode(text[start:end])) > limit:
            return _line_at(text, start)
    return None


def _long_run(doc: Document, limit: int) -> bool:
    """Return whether a run of lines between blank lines (spaces and tabs only) may be
    longer than ``limit`` bytes. A Markdown paragraph never holds such a blank line, so
    when none is, no paragraph is: the document need not be parsed here."""
    text = doc.text
    at = 0
    for m in itertools.chain(_MD_BLANK.finditer(text), [None]):
        end = len(text) if m is None else m.end()  # the run and the blank lines after it
        if (end - at) * _MAX_CHAR_BYTES > limit and len(doc.encode(text[at:end])) > limit:
            return True
        at = end
    return False


def _line_at(text: str, at: int) -> int:
    """Return the 1-based line of character ``at`` (LF, CRLF and CR end lines)."""
    crlf = text.count("\r\n", 0, at)
    return text.count("\n", 0, at) + text.count("\r", 0, at) - crlf + 1


def _runs(text: str) -> Iterator[tuple[int, int]]:
    """Yield the ``(start, end)`` of each plain-text paragraph: the text between blank
    lines, or each line when no blank line lies between the first and last line of text
    (``segment.text_blocks``' rule); blank lines and terminators are left out at the ends."""
    first = re.search(r"\S", text)
    if first is None:
        return
    last = len(text.rstrip())
    gaps = _BLANK_LINE if _BLANK_LINE.search(text, first.start(), last) else _NEXT_LINE
    at = first.start()
    for m in gaps.finditer(text, first.start(), last):
        yield at, m.start()
        at = m.end()
    yield at, last
