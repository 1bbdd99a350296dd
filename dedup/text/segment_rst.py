"""reStructuredText -> prose paragraphs with exact line spans, parsed by docutils.

Prose (compared): the paragraphs of the body, of bullet, enumerated, definition, field
and option lists, of block quotes, footnotes and citations, and of the directives whose
body is prose (``PROSE_BODY``: admonitions such as ``note`` and ``warning``, ``seealso``,
``versionadded``/``versionchanged``/``deprecated`` after the version, and containers such
as ``topic``, ``sidebar``, ``only``, tabs and Sphinx object descriptions such as
``function`` or ``autoclass``, whose signature and options are structure).

Structure (never compared): section titles and definition-list terms, literal blocks (the
``::`` that opens one is dropped from the paragraph before it, as docutils does: ``Example::``
reads ``Example:``), doctest and line blocks, tables, every other directive whole
(``code-block``, ``literalinclude``, ``toctree``, ``image``, ``include``, ``raw``, ...),
every directive's arguments and options, substitution definitions, comments, targets,
and a field list before any content (file metadata such as ``:orphan:``).

A paragraph is compared by the words a reader sees: a role shows its title or target
(``:ref:`text <target>``` reads ``text``, ``:func:`~a.b.c``` reads ``c``), inline
literals their text, links their text (never a URL that is not shown), substitutions
their replacement text, footnote and citation references nothing.

Safety: docutils never reads a file or URL and never runs anything here. No directive of
docutils' own registry runs but ``replace`` and ``unicode`` (substitution texts): every
other directive name maps to one of this module's handlers (prose body, version note,
structure), so ``include``, ``raw``, ``csv-table``, ``figure`` and the like are inert
structure whatever the settings; file insertion and raw
output are also switched off in the settings. Roles are resolved by the inliner of this
module, never looked up. Nothing is printed: messages are kept out of every stream.

Spans: each paragraph's lines are found in the source by its raw text (``rawsource``),
starting from the line docutils reports, so a span is exact even where docutils' line
numbers drift; a paragraph that cannot be placed is left out rather than given a wrong
span. A paragraph that is the whole body of an admonition-like directive (``NEEDS_BODY``,
which is an error without a body) spans from the directive's ``..`` line, so removing it
removes the directive too and leaves valid reStructuredText. If docutils fails on a file
(an exception, a nesting deeper than Python's recursion limit, a line longer than
``LINE_LIMIT``), the whole file falls back to the plain-text rules of
``dedup.text.segment.text_blocks``. A file is read whole: see ``paragraph_limit.RST_MAX_CHARS``.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from docutils import frontend, nodes, utils
from docutils.parsers import rst
from docutils.parsers.rst import directives, states
from docutils.parsers.rst.directives import misc
from docutils.statemachine import StringList

from dedup.text.segment import Block, Lines, text_blocks
from dedup.text.structure import VERSION_NOTES, Words, count_words, words_of_text

#: Lines longer than this are not given to docutils (whose inline parsing slows down on
#: them): the file is read with the plain-text rules instead.
LINE_LIMIT = 100_000

#: Directives whose content (after the arguments, options and a blank line) is prose.
#: The body of the admonition-like ones starts right after ``::`` (``.. note:: Text``).
ADMONITIONS = frozenset(
    {
        "attention", "caution", "danger", "error", "hint", "important", "note", "tip",
        "warning", "seealso", "todo", "epigraph", "highlights", "pull-quote", "compound",
        "hlist", "glossary",
    }
)  # fmt: skip
#: Directives whose argument (a title, a signature, a class name) is structure and
#: whose body is prose: containers and Sphinx object descriptions. A name with a domain
#: prefix (``py:function``) is looked up by its last part.
CONTAINERS = frozenset(
    {
        "admonition", "topic", "sidebar", "container", "class", "rst-class", "only",
        "ifconfig", "tab", "tabs", "group-tab", "tab-set", "tab-item", "dropdown", "card",
        "grid", "grid-item", "grid-item-card", "details",
        # Sphinx object descriptions (any domain) and their autodoc forms
        "function", "method", "classmethod", "staticmethod", "attribute",
        "property", "data", "exception", "decorator", "decoratormethod", "module",
        "describe", "object", "envvar", "option", "cmdoption", "confval", "type",
        "member", "macro", "var", "struct", "union", "enum", "enumerator", "concept",
        "directive", "role", "autoclass", "autofunction", "automodule", "automethod",
        "autoattribute", "autodata", "autoexception", "autodecorator", "autoproperty",
    }
)  # fmt: skip
#: Prose directives that are an error without a body: one whose whole body is one
#: paragraph spans from its ``..`` line, so removing the paragraph leaves no empty
#: ``.. note::`` behind.
NEEDS_BODY = ADMONITIONS | {"admonition", "topic", "sidebar"}
_DIRECTIVE_LINE = "dedup-directive-line"
#: A ``seealso`` box: every paragraph in it with a link is a pointer.
_SEE_ALSO = "dedup-see-also"
_BLOCK_MARK = "dedup-block"
#: Roles that link to another page or object: their text is a link's text.
LINK_ROLES = frozenset(
    {
        "ref", "doc", "numref", "download", "term", "pep", "rfc", "pep-reference",
        "rfc-reference", "commit", "ticket", "issue", "pr", "gh", "source", "djangoproject",
    }
)  # fmt: skip
#: Roles whose text is prose (emphasis, labels, abbreviations); every other role names
#: code (Sphinx's cross-references to functions, classes, settings, options, files).
TEXT_ROLES = frozenset(
    {
        "abbr", "abbreviation", "emphasis", "strong", "guilabel", "menuselection", "sub",
        "subscript", "sup", "superscript", "title-reference", "title", "t", "dfn", "index",
        "math",
    }
)  # fmt: skip
#: What may follow a lead-in: code, a literal block, a list, a table, a directive.
_BLOCK_NODES: tuple[type[nodes.Node], ...] = (
    nodes.literal_block,
    nodes.doctest_block,
    nodes.bullet_list,
    nodes.enumerated_list,
    nodes.table,
)

#: Node types whose contents are never prose.
_STRUCTURE_NODES: tuple[type[nodes.Node], ...] = (
    nodes.table,
    nodes.system_message,
    nodes.substitution_definition,
    nodes.comment,
    nodes.literal_block,
    nodes.doctest_block,
    nodes.line_block,
    nodes.raw,
)
#: What may come before a metadata field list (at the top of the file).
_PREAMBLE = (
    nodes.title,
    nodes.subtitle,
    nodes.comment,
    nodes.target,
    nodes.substitution_definition,
    nodes.system_message,
)

# Characters that break a line for str.splitlines() but not for dedup's Lines.
_EXTRA_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_EXPLICIT_TITLE = re.compile(r"^(.+?)\s*(?<!\x00)<([^<]*?)>$", re.DOTALL)
_ABBREVIATION = re.compile(r"^(.+?)\s*\(.*\)$", re.DOTALL)

_active: contextvars.ContextVar[bool] = contextvars.ContextVar("dedup_rst", default=False)


class _AnyOption(dict[str, Callable[[str], Any]]):
    """An option spec that takes every option (as text): unknown options are no error."""

    def __missing__(self, key: str) -> Callable[[str], Any]:
        return directives.unchanged

    def __bool__(self) -> bool:
        return True


class _Structure(rst.Directive):
    """Any directive without prose: arguments, options and body all structure."""

    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = _AnyOption()
    has_content = True

    def run(self) -> list[nodes.Node]:
        # A marker in the tree (comments are structure) so a lead-in can see a block follows.
        marker = nodes.comment()
        marker[_BLOCK_MARK] = True
        return [marker]


class _Container(_Structure):
    """A directive whose arguments and options are structure and whose body is prose."""

    def run(self) -> list[nodes.Node]:
        node = nodes.container()
        local = self.name.lower().rsplit(":", 1)[-1]
        if local in NEEDS_BODY:
            node[_DIRECTIVE_LINE] = self.lineno
        if local == "seealso":
            node[_SEE_ALSO] = True
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class _Admonition(_Container):
    """A directive without arguments: its body starts right after ``::``."""

    optional_arguments = 0


class _VersionNote(_Structure):
    """``.. versionchanged:: 2.0 text``: the version is structure, the rest prose."""

    optional_arguments = 0

    def run(self) -> list[nodes.Node]:
        content: StringList = self.content
        if not content:
            return []
        parts = content[0].split(None, 1)
        if len(parts) > 1:  # text after the version on the directive's line
            first = StringList([parts[1]], items=content.items[:1])
            body, offset = first + content[1:], self.content_offset
        else:
            body, offset = content[1:], self.content_offset + 1
        node = nodes.container()
        self.state.nested_parse(body, offset, node)
        return [node]


#: docutils' own directives that run here: substitution texts, which read nothing.
_DOCUTILS_OWN: dict[str, type[rst.Directive]] = {"replace": misc.Replace, "unicode": misc.Unicode}


def _handler(name: str) -> type[rst.Directive]:
    local = name.lower().rsplit(":", 1)[-1]
    if local in _DOCUTILS_OWN:
        return _DOCUTILS_OWN[local]
    if local in VERSION_NOTES:
        return _VersionNote
    if local in ADMONITIONS:
        return _Admonition
    if local in CONTAINERS:
        return _Container
    return _Structure


_docutils_directive = directives.directive


def _directive(
    directive_name: str, language_module: Any, document: nodes.document
) -> tuple[Any, list[nodes.system_message]]:
    """docutils' directive look-up, replaced by ``_handler`` while this module parses."""
    if _active.get():
        return _handler(directive_name), []
    return _docutils_directive(directive_name, language_module, document)


# Installed once; it changes nothing outside ``rst_blocks`` (the context variable).
directives.directive = _directive


def _interpreted(
    rawsource: str, text: str, role: str, lineno: int
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """Interpreted text (any role, known or not) becomes the text a reader sees.

    Wrapped as a reference or a literal by the role's kind, so that the structure rules
    can tell a list of links or of code names from prose.
    """
    shown = nodes.Text(role_text(role, text))
    name = role.lower().rsplit(":", 1)[-1]
    if name in TEXT_ROLES:
        return [shown], []
    if name in LINK_ROLES:
        return [nodes.reference(rawsource, "", shown)], []
    return [nodes.literal(rawsource, "", shown)], []


def _inliner() -> states.Inliner:
    # An instance attribute, not a subclass: docutils' Inliner builds its patterns from
    # its own class's attributes only.
    inliner = states.Inliner()
    setattr(inliner, "interpreted", _interpreted)  # noqa: B010
    return inliner


def role_text(role: str, text: str) -> str:
    """Return what a reader sees of ``:role:`text``` (``text`` with docutils' escapes)."""
    name = role.lower().rsplit(":", 1)[-1]
    m = _EXPLICIT_TITLE.match(text)
    if m:
        return utils.unescape(m.group(1))
    shown = utils.unescape(text).strip()
    if name in ("pep", "pep-reference"):
        return f"PEP {shown}"
    if name in ("rfc", "rfc-reference"):
        return f"RFC {shown}"
    if name in ("abbr", "abbreviation") and (a := _ABBREVIATION.match(shown)):
        return a.group(1)
    # Sphinx's cross-references: ``!`` (no link) and leading dots only steer the look-up;
    # ``~`` shows the last part of a dotted name.
    shown = shown.removeprefix("!").lstrip(".")
    if shown.startswith("~"):
        shown = shown[1:].rsplit(".", 1)[-1]
    return shown


@cache
def _settings() -> Any:
    settings = frontend.get_default_settings(rst.Parser)
    settings.report_level = 5
    settings.halt_level = 5
    settings.warning_stream = False
    settings.file_insertion_enabled = False
    settings.raw_enabled = False
    settings.line_length_limit = LINE_LIMIT
    settings.character_level_inline_markup = False
    settings.pep_references = False
    settings.rfc_references = False
    settings.debug = False
    settings.traceback = False
    return settings


def _parse(text: str) -> nodes.document:
    """Parse ``text`` (one line per dedup line) into a doctree, with this module's handlers."""
    document = utils.new_document("<rst>", _settings())
    token = _active.set(True)
    try:
        rst.Parser(inliner=_inliner()).parse(text, document)
    finally:
        _active.reset(token)
    return document


def rst_blocks(lines: Lines) -> list[Block]:
    """Return the prose paragraphs docutils finds, in order, with exact line spans."""
    return [p.block for p in rst_paragraphs(lines)]


@dataclass(frozen=True, slots=True)
class RstParagraph:
    """A paragraph's block, where its words sit, and its place among the blocks."""

    block: Block
    words: Words
    in_list: bool = False
    before_block: bool = False
    before_code: bool = False  # a literal or doctest block follows
    plain: bool = False  # docutils could not read the file: split by the plain-text rules


def rst_paragraphs(lines: Lines) -> list[RstParagraph]:
    """Return the prose paragraphs docutils finds, with what the structure rules judge."""
    text = lines.text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _EXTRA_BREAKS.sub(" ", text)
    source = [line.expandtabs(8).strip() for line in text.split("\n")]
    if any(len(line) > LINE_LIMIT for line in source):
        return _plain(lines)
    try:
        document = _parse(text)
        return list(_blocks(document, source, len(lines)))
    except Exception:  # docutils' own bugs, RecursionError on deep nesting: never to the user
        return _plain(lines)


def _plain(lines: Lines) -> list[RstParagraph]:
    return [RstParagraph(b, words_of_text(b.compare), plain=True) for b in text_blocks(lines)]


def _blocks(
    document: nodes.document, source: Sequence[str], n_lines: int
) -> Iterator[RstParagraph]:
    after = 0  # the line after the last placed paragraph
    for p in _paragraphs(document):
        raw = [r.strip() for r in p.rawsource.split("\n")]
        first = _place(raw, source, p.line, after)
        if first is None:
            continue
        before = after
        after = min(first + len(raw), n_lines)
        first = _directive_start(p, source, first, previous=before)
        words = _words(p, document)
        if words.strip():
            following = _next_sibling(p)
            yield RstParagraph(
                Block(first, after, words),
                _where(p, document),
                in_list=_in_list(p),
                before_block=_before_block(following),
                before_code=_before_code(following),
            )


def _in_list(p: nodes.paragraph) -> bool:
    node = p.parent
    while node is not None:
        if isinstance(node, nodes.list_item):
            return True
        node = node.parent
    return False


def _next_sibling(p: nodes.paragraph) -> nodes.Node | None:
    """Return the node that follows ``p`` in its parent, or None."""
    parent = p.parent
    if parent is None:
        return None
    at = parent.index(p)
    return parent.children[at + 1] if at + 1 < len(parent.children) else None


def _before_code(after: nodes.Node | None) -> bool:
    """Return whether ``after`` (what follows a paragraph) is a literal or doctest block
    (``::`` text, ``.. code-block::``)."""
    return isinstance(after, (nodes.literal_block, nodes.doctest_block))


def _before_block(after: nodes.Node | None) -> bool:
    """Return whether ``after`` (what follows a paragraph) is code, a list, a table or a
    directive, or an indented block (a block quote) that opens with one."""
    if isinstance(after, nodes.block_quote) and after.children:
        after = after.children[0]
    return isinstance(after, _BLOCK_NODES) or bool(
        isinstance(after, nodes.comment) and after.get(_BLOCK_MARK)
    )


def _where(paragraph: nodes.paragraph, document: nodes.document) -> Words:
    """Return where a paragraph's words sit: plain, emphasis, code or link text."""
    w = Words()

    def walk(node: nodes.Node, inside: str) -> None:
        if isinstance(node, nodes.Text):
            text = node.astext()
            w.text.append(text)
            setattr(w, inside, getattr(w, inside) + count_words(text))
        elif isinstance(node, nodes.footnote_reference | nodes.citation_reference):
            return
        elif isinstance(node, nodes.substitution_reference):
            text = _substitution(node, document)
            w.text.append(text)
            setattr(w, inside, getattr(w, inside) + count_words(text))
        elif isinstance(node, nodes.image):
            w.images += 1
        elif isinstance(node, nodes.Element):
            if isinstance(node, nodes.reference):
                w.links += 1
                inside = "link"
            elif isinstance(node, nodes.literal) and inside != "link":
                inside = "code"
            elif isinstance(node, nodes.emphasis | nodes.strong) and inside == "plain":
                inside = "emphasis"
            for child in node.children:
                walk(child, inside)

    walk(paragraph, "plain")
    w.see_also = _in_see_also(paragraph)
    parent = paragraph.parent
    w.field = isinstance(parent, nodes.field_body) and len(parent.children) == 1
    # A paragraph that opens with a link: the text right after it, as the Markdown inline
    # walk gives it (a list of links with short descriptions, ":doc:`Guide <g>` - How to").
    children = [c for c in paragraph.children if not (isinstance(c, nodes.Text) and not c.strip())]
    if children and isinstance(children[0], nodes.reference):
        after = children[1] if len(children) > 1 else None
        w.after_lead_link = after.astext() if isinstance(after, nodes.Text) else ""
    return w


def _in_see_also(node: nodes.Node) -> bool:
    """Return whether ``node`` sits in a ``.. seealso::`` box."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.container) and parent.get(_SEE_ALSO):
            return True
        parent = parent.parent
    return False


def _directive_start(p: nodes.paragraph, source: Sequence[str], first: int, previous: int) -> int:
    """Return the line of ``p``'s directive if ``p`` is all its body (``NEEDS_BODY``)."""
    parent = p.parent
    if not isinstance(parent, nodes.container) or len(parent.children) != 1:
        return first
    line = parent.get(_DIRECTIVE_LINE)
    if not isinstance(line, int) or not previous <= line - 1 < first:
        return first
    return line - 1 if source[line - 1].startswith("..") else first


def _paragraphs(document: nodes.document) -> Iterator[nodes.paragraph]:
    """Yield the prose paragraphs, in document order."""
    stack: list[nodes.Node] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.paragraph):
            yield node
            continue
        if isinstance(node, _STRUCTURE_NODES) or _metadata(node):
            continue
        if isinstance(node, nodes.Element):
            stack.extend(reversed(node.children))


def _metadata(node: nodes.Node) -> bool:
    """Return whether ``node`` is a field list at the top of the file, before any content."""
    if not isinstance(node, nodes.field_list):
        return False
    while node.parent is not None:
        parent = node.parent
        if not isinstance(parent, nodes.document | nodes.section):
            return False
        for sibling in parent.children[: parent.index(node)]:
            if not isinstance(sibling, _PREAMBLE):
                return False
        node = parent
    return True


def _place(raw: list[str], source: Sequence[str], line: int | None, after: int) -> int | None:
    """Return the 0-based first line where ``raw`` (stripped lines) stands in ``source``.

    The first raw line ends its source line (after a list bullet, a field name, a
    directive's ``::``); the others are whole lines. Looked for from docutils' line
    (1-based, maybe off) outwards, never before ``after``.
    """
    n = len(raw)

    def fits(first: int) -> bool:
        if first < after or first + n > len(source):
            return False
        if not source[first].endswith(raw[0]):
            return False
        return all(source[first + k] == raw[k] for k in range(1, n))

    hint = max(after, (line - 1) if line else after)
    for distance in range(len(source)):
        lo, hi = hint - distance, hint + distance
        if lo < after and hi >= len(source):
            return None
        if fits(hi):
            return hi
        if distance and fits(lo):
            return lo
    return None


def _words(paragraph: nodes.paragraph, document: nodes.document) -> str:
    """Return the text a reader sees in ``paragraph``."""
    parts: list[str] = []

    def walk(node: nodes.Node) -> None:
        if isinstance(node, nodes.Text):
            parts.append(node.astext())
        elif isinstance(node, nodes.footnote_reference | nodes.citation_reference):
            return
        elif isinstance(node, nodes.substitution_reference):
            parts.append(_substitution(node, document))
        elif isinstance(node, nodes.Element):
            for child in node.children:
                walk(child)

    walk(paragraph)
    return "".join(parts)


def _substitution(node: nodes.substitution_reference, document: nodes.document) -> str:
    """Return a substitution's replacement text, or its name if it is not defined here."""
    defs: dict[str, nodes.substitution_definition] = document.substitution_defs
    name = node.get("refname", "")
    found = defs.get(name) or defs.get(document.substitution_names.get(name.lower(), ""))
    return found.astext() if found is not None else node.astext()
