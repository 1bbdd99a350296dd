"""Reference entries: which API entry of a reference page a line belongs to.

A reference page describes many things of one kind, one entry each: the functions of a
module, the directives of a framework, the options of a command. Entries are written to a
pattern, so the same sentence under several entries of one page ("This is only available
when an app context is active.") is a convention of the page, not a paste a maintainer
would undo. ``check`` uses this to give such a group the boilerplate role
(``check.assign_roles``).

An entry is:

- in Markdown, the section under a heading that names one identifier: inline code
  (``## `useFetch` ``), a call (``## onMounted() {#onmounted}``), a dotted, snake_case,
  camelCase, ``$``/``@`` or lowercase-hyphenated name (``## v-else``), an option
  (``### --reinstall``, ``### `-r, --require module` ``), a call in code with its
  arguments (``### `fs.read(fd, buffer[, options], callback)` ``), with or without a short
  label (``### Event: `'close'` ``); its sub-sections belong to it;
- in reStructuredText, the body of an object description directive (``.. function::``,
  ``.. data::``, ``.. py:method::``, ``.. option::``, ``.. confval::`` ..., or a project's
  own, ``.. django-admin-option:: --traceback``): every line indented under it, or, for
  one written without a body as Django writes them, the lines below it down to the next
  (``rst_entries``).

Prose headings ("## Installation", "## Type-checking") and other directives are not
entries. Plain text and HTML have none.
"""

from __future__ import annotations

import html
import re
from collections.abc import Container, Sequence
from dataclasses import dataclass, replace

from dedup.text.segment import split_lines
from dedup.text.structure import front_matter_end

#: reStructuredText directives that describe one object of a reference (Sphinx domains:
#: Python, C, C++, JavaScript, standard), with or without a domain prefix.
OBJECT_DIRECTIVES = frozenset(
    {
        "attribute",
        "class",
        "classmethod",
        "confval",
        "data",
        "decorator",
        "decoratormethod",
        "describe",
        "directive",
        "enum",
        "enumerator",
        "envvar",
        "exception",
        "function",
        "macro",
        "member",
        "method",
        "module",
        "object",
        "option",
        "property",
        "role",
        "staticmethod",
        "struct",
        "type",
        "union",
        "var",
    }
)

#: reStructuredText directives that hold content, not the description of one object: those
#: of docutils and Sphinx and of common extensions (tabs, grids). Any other directive
#: whose argument is a name is a project's own object type (Django's
#: ``.. django-admin-option:: --traceback``, ``.. setting:: DEBUG``; Celery's
#: ``.. setting::``), an entry like ``.. function::``.
CONTENT_DIRECTIVES = frozenset(
    {
        "admonition", "attention", "caution", "class", "code", "compound", "container",
        "contents", "csv-table", "danger", "date", "default-role", "epigraph", "error",
        "figure", "footer", "header", "highlights", "hint", "image", "important", "include",
        "line-block", "list-table", "math", "meta", "note", "parsed-literal", "pull-quote",
        "raw", "replace", "rubric", "sectnum", "sidebar", "table", "target-notes", "tip",
        "title", "topic", "unicode", "warning",
        "toctree", "versionadded", "versionchanged", "deprecated", "versionremoved",
        "seealso", "centered", "hlist", "highlight", "code-block", "sourcecode",
        "literalinclude", "glossary", "productionlist", "sectionauthor", "codeauthor",
        "moduleauthor", "index", "only", "tabularcolumns", "currentmodule", "program",
        "default-domain", "autosummary", "automodule", "ifconfig", "todo", "todolist",
        "graphviz", "digraph", "graph", "inheritance-diagram", "doctest", "testcode",
        "testoutput", "testsetup", "testcleanup", "plot", "rst-class", "cssclass", "jinja",
        "mermaid", "tab", "tabs", "group-tab", "code-tab", "tab-set", "tab-item", "card",
        "grid", "grid-item", "grid-item-card", "dropdown", "margin", "youtube", "spelling",
        "exec", "jupyter-execute", "ipython", "mdinclude",
        "versionmodified", "deprecated-removed", "impl-detail", "availability", "audit-event",
    }
)  # fmt: skip
#: A directive's argument that is one plain word: a name (``autoescape``, ``DEBUG``) unless
#: it is a capitalised word, a title (``.. collapse:: Details``, ``.. tabbed:: Python``).
_ONE_WORD = re.compile(r"[A-Za-z_][\w-]*")
_TITLE_WORD = re.compile(r"[A-Z][a-z]+")
#: Directives that set a context for what follows (a module, a program), never an entry's
#: body: without content of their own they hold nothing.
_CONTEXT_DIRECTIVES = frozenset(
    {"module", "currentmodule", "program", "namespace", "namespace-push", "namespace-pop"}
)

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
#: A heading's attribute list (``{#install}``, ``{.tabbed}``, Python-Markdown's ``{: #id }``)
#: and the closing hashes of an ATX heading before it (``### Title ### {: #id }``).
_ATTRIBUTES = re.compile(r"\{:?[ \t]*[#.][^}]*\}")


def _no_anchor(text: str) -> str:
    """Return a heading's text without its attribute list (``{#install}``, ``{.tabbed}``,
    Python-Markdown's ``{: #id }``) and the closing hashes of an ATX heading before it
    (``### Title ### {: #id }``); string operations, no backtracking on long lines."""
    t = text.rstrip()
    at = t.rfind("{")
    if not t.endswith("}") or at < 0 or _ATTRIBUTES.fullmatch(t, at) is None:
        return text
    head = t[:at].rstrip()
    bare = head.rstrip("#")
    if len(bare) < len(head) and (not bare or bare[-1] in " \t"):
        head = bare.rstrip()
    return head


_TAG = re.compile(r"<[^>]*>")
_CODE = re.compile(r"`([^`]+)`")
_NAME = re.compile(r"(?:--?|[@$])?[A-Za-z_][\w$.:-]*(?:\([^()\s]*\))?")
_HYPHENATED = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")
_CAMEL = re.compile(r"[a-z0-9][A-Z]")
_DIRECTIVE = re.compile(r"(\s*)\.\.[ \t]+(?:[\w-]+:)*([\w-]+)::")
#: A short label before an entry's name in code, as Node.js writes its reference:
#: ``### Event: `'close'` ``, ``## Class: `fs.Dir` ``, ``### Static method: `Buffer.from()` ``.
_LABEL = re.compile(r"[A-Z][a-z]+(?: [a-z]+)?:[ \t]+(?=`)")
#: A call in inline code, arguments and all: ``fs.read(fd, buffer[, options], callback)``.
_CALL = re.compile(r"[@$]?[A-Za-z_][\w$.:-]*\(.*\)")
#: A command-line option in inline code, with its aliases and argument:
#: ``-r, --require module``, ``--env-file=config``.
_OPTION = re.compile(r"--?[A-Za-z0-9][\w-]*")
#: An option and its aliases, each in its own code span: ``-r`, `--require module``.
_OPTIONS = re.compile(r"`--?[A-Za-z0-9][^`]*`(?:[ \t]*,[ \t]*`--?[A-Za-z0-9][^`]*`)+")


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry: the line it starts on, its level (heading depth or indentation) and the
    last part of the name it documents (``raw_id_fields`` for ``ModelAdmin.raw_id_fields``)."""

    line: int  # 1-based
    level: int
    name: str
    #: The lines of the entries that hold this one (``filehandle.chmod()`` under
    #: ``Class: FileHandle``), outermost first.
    within: tuple[int, ...] = ()


def entry_name(text: str) -> str:
    """Return the last part of an entry's name: no markup, arguments, class or module."""
    t = _TAG.sub("", _no_anchor(text)).strip()
    t = t[m.end() :] if (m := _LABEL.match(t)) is not None else t
    t = t.strip("`").strip()
    if _OPTION.match(t) is not None:  # also ``-r`, `--require module``
        return str(_OPTION.findall(t)[-1]).lower()  # ``-r, --require module``: ``--require``
    head = t.split("(", 1)[0].split()
    t = head[0] if head else t.split()[0] if t.split() else t
    return re.split(r"[.:#]", t.rstrip(".:#"))[-1].lower()


def is_entry_heading(text: str) -> bool:
    """Return whether a Markdown heading's text names one identifier (an API entry)."""
    t = _TAG.sub("", _no_anchor(text)).strip()
    t = t[m.end() :] if (m := _LABEL.match(t)) is not None else t
    if _OPTIONS.fullmatch(t) is not None:
        return True
    code = _CODE.fullmatch(t)
    if code is not None:
        name = code.group(1).strip()
        return (
            " " not in name or _CALL.fullmatch(name) is not None or _OPTION.match(name) is not None
        )
    if not _NAME.fullmatch(t):
        return False
    return (
        "(" in t
        or "_" in t
        or t[0] in "-@$"
        or any(c in t[1:-1] for c in ".:$")
        or _CAMEL.search(t) is not None
        or _HYPHENATED.fullmatch(t) is not None
    )


@dataclass(frozen=True, slots=True)
class Heading:
    """A Markdown heading: the 1-based line of its text, its level and its text."""

    line: int
    level: int
    text: str


def is_heading_line(line: str) -> bool:
    """Return whether a line is an ATX heading or a title's underline (``=====``)."""
    return _ATX.match(line) is not None or _RST_RULE.fullmatch(line) is not None


def markdown_headings(lines: Sequence[str]) -> dict[int, Heading]:
    """Return a Markdown document's headings (none inside code fences or front matter), by
    the 1-based line its section counts from: an ATX heading's own line, a setext heading's
    underline."""
    out: dict[int, Heading] = {}
    fence: str | None = None
    previous_text = False
    front = front_matter_end(lines, yaml=True)
    for n, line in enumerate(lines, start=1):
        if n <= front:
            continue
        heading = False
        if fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
        elif (f := _FENCE.match(line)) is not None:
            fence = f.group(1)
        elif (h := _ATX.match(line)) is not None:
            out[n] = Heading(n, len(h.group(1)), h.group(2) or "")
            heading = True
        elif previous_text and (u := _SETEXT.match(line)) is not None:
            out[n] = Heading(n - 1, 1 if u.group(1)[0] == "=" else 2, lines[n - 2])
            heading = True
        previous_text = fence is None and not heading and bool(line.strip())
    return out


_HTML_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.IGNORECASE)
#: A heading's permalink mark (Node's "#", Sphinx's "¶"), left out of its text.
_HTML_MARK = re.compile(r"<a\b[^>]*>\s*[#\u00b6\u00a7]?\s*</a\s*>", re.IGNORECASE)
_HTML_CODE = re.compile(r"<(code|tt|kbd|samp)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE)


def html_headings(lines: Sequence[str]) -> dict[int, Heading]:
    """Return an HTML document's headings written on one line (``<h3><code>fs.read()</code>
    <a class="mark">#</a></h3>``), by line: their text with code in backticks, as a
    Markdown heading's, permalink marks and other tags left out."""
    out: dict[int, Heading] = {}
    for n, line in enumerate(lines, start=1):
        if "<h" not in line and "<H" not in line:
            continue
        for m in _HTML_HEADING.finditer(line):
            inner = _HTML_CODE.sub(lambda c: f"`{c.group(2)}`", _HTML_MARK.sub("", m.group(2)))
            text = html.unescape(_TAG.sub("", inner)).strip()
            out[n] = Heading(n, int(m.group(1)), text)
    return out


def markdown_entries(lines: Sequence[str]) -> list[Entry | None]:
    """Return, for each line (index 0 is line 1), the innermost entry it sits in."""
    return _heading_entries(markdown_headings(lines), len(lines))


def _heading_entries(headings: dict[int, Heading], count: int) -> list[Entry | None]:
    """Return, for each of ``count`` lines, the innermost entry of ``headings`` it sits in."""
    out: list[Entry | None] = []
    stack: list[tuple[int, Entry | None]] = []  # (heading level, entry or None)
    for n in range(1, count + 1):
        h = headings.get(n)
        if h is not None:
            entry = Entry(h.line, h.level, entry_name(h.text)) if is_entry_heading(h.text) else None
            if h.line != n and out:
                out[-1] = None  # a setext heading's text line is not in the entry above
            while stack and stack[-1][0] >= h.level:
                stack.pop()
            if entry is not None:
                entry = replace(entry, within=tuple(e.line for _, e in stack if e is not None))
            stack.append((h.level, entry))
        out.append(next((e for _, e in reversed(stack) if e is not None), None))
    return out


def rst_entries(lines: Sequence[str]) -> list[Entry | None]:
    """Return, for each line, the entry that holds it: the body of an object description
    directive or of a definition list's term that is one name in code (Scrapy's stats:
    ````item_scraped_count```` and its indented definition), else the section under a
    title that names one identifier.

    An object directive is one of ``OBJECT_DIRECTIVES`` or a project's own directive whose
    argument is a name (``is_object_directive``). One written without an indented body,
    as Django writes its reference (``.. method:: GeoIP2.coords(query)`` and its text
    below, unindented), holds the lines below it at its indentation, up to the next
    object directive there, a title, or a line indented less, when its section lists two
    or more such directives (one alone is the section's anchor, and the section's prose
    is not its description)."""
    out: list[Entry | None] = []
    # (directive indentation, entry, written without a body), innermost last
    open_: list[tuple[int, Entry, bool]] = []
    sections: list[tuple[int, Entry | None]] = []  # (section level, entry or None)
    titles = _rst_titles(lines)
    listed = _listed_without_body(lines, titles)
    for n, line in enumerate(lines, start=1):
        if n in titles:
            level, first, last, text = titles[n]
            while sections and sections[-1][0] >= level:
                sections.pop()
            named = is_entry_heading(text.replace("``", "`"))
            within = tuple(e.line for _, e in sections if e is not None)
            entry = (
                Entry(first, _SECTION_LEVEL + level, entry_name(text), within) if named else None
            )
            sections.append((level, entry))
            open_.clear()
            for k in range(first, last + 1):
                if k <= len(out):
                    out[k - 1] = None
            out.append(None)
            continue
        if line.strip():
            indent = len(line) - len(line.lstrip())
            d = _DIRECTIVE.match(line)
            signature: tuple[int, str] | None = None  # an entry's indentation and name
            if d is not None and is_object_directive(d.group(2), line[d.end() :]):
                signature = (len(d.group(1)), line[d.end() :])
            elif d is None and _is_code_term(lines, n, indent):
                signature = (indent, line.strip())
            while open_ and (
                indent < open_[-1][0]
                or (indent == open_[-1][0] and (not open_[-1][2] or signature is not None))
            ):
                open_.pop()
            if signature is not None:
                within = tuple(e.line for _, e in sections if e is not None)
                within += tuple(e.line for _, e, _ in open_)
                at, name = signature
                bodiless = n in listed
                open_.append((at, Entry(n, at, entry_name(name), within), bodiless))
                out.append(None)  # the signature line itself
                continue
        if open_:
            out.append(open_[-1][1])
        else:
            out.append(next((e for _, e in reversed(sections) if e is not None), None))
    return out


def is_object_directive(name: str, argument: str) -> bool:
    """Return whether a directive (its name without a domain) describes one object: one of
    ``OBJECT_DIRECTIVES``, or a project's own directive (not one of ``CONTENT_DIRECTIVES``)
    whose argument opens with a name: an option, an identifier as an entry heading names
    one (``is_entry_heading``), or one plain word that is not a capitalised title word."""
    if name in OBJECT_DIRECTIVES:
        return True
    words = argument.split()
    if not words or name in CONTENT_DIRECTIVES:
        return False
    first = words[0].rstrip(",")
    if _OPTION.fullmatch(first) is not None or is_entry_heading(first):
        return True  # --verbosity {0,1,2,3}, -v {0,1,2,3}; ABSOLUTE_URL_OVERRIDES; a.b()
    # one plain word that is no title: ``.. templatetag:: autoescape``, ``.. setting:: DEBUG``;
    # a title is prose (``.. exercise:: Write a loop``, ``.. collapse:: Details``)
    return (
        len(words) == 1
        and _ONE_WORD.fullmatch(first) is not None
        and _TITLE_WORD.fullmatch(first) is None
    )


def _listed_without_body(lines: Sequence[str], titles: Container[int]) -> set[int]:
    """Return the 1-based lines of object directives written without a body, in sections
    that hold two or more of them."""
    found: dict[int, list[int]] = {}  # section number: its directives' lines
    section = 0
    for n, line in enumerate(lines, start=1):
        if n in titles:
            section += 1
        elif (d := _DIRECTIVE.match(line)) is not None and (
            _may_describe_below(d)
            and is_object_directive(d.group(2), line[d.end() :])
            and not _has_body(lines, n, len(d.group(1)))
        ):
            found.setdefault(section, []).append(n)
    return {n for ns in found.values() if len(ns) >= 2 for n in ns}


def _may_describe_below(d: re.Match[str]) -> bool:
    """Return whether a directive written without a body may have its description in the
    lines below it: not one that sets a context (``_CONTEXT_DIRECTIVES``), nor docutils'
    ``.. role:: python(code)`` (Sphinx's ``.. rst:role::`` has a domain), nor an autodoc
    directive (``.. autofunction:: app.start``), whose description is its docstring."""
    name = d.group(2)
    if name in _CONTEXT_DIRECTIVES or name.startswith("auto"):
        return False
    return name != "role" or d.group(0).rstrip(":").endswith(":role")


_OPTION_LINE = re.compile(r"[ \t]+:[\w-]+:")


def _has_body(lines: Sequence[str], n: int, indent: int) -> bool:
    """Return whether the directive on 1-based line ``n`` has content indented under it
    (past its options and blank lines)."""
    for k in range(n, len(lines)):  # no slice: a copy of the rest per directive is quadratic
        below = lines[k]
        if not below.strip() or _OPTION_LINE.match(below):
            continue
        return len(below) - len(below.lstrip()) > indent
    return False


_CODE_TERM = re.compile(r"``[^`\s]+``")


def _is_code_term(lines: Sequence[str], n: int, indent: int) -> bool:
    """Return whether 1-based line ``n`` is a definition list's term that is one name in
    code: the whole line, with its definition indented right under it."""
    if n >= len(lines) or not _CODE_TERM.fullmatch(lines[n - 1].strip()):
        return False
    below = lines[n]
    return bool(below.strip()) and len(below) - len(below.lstrip()) > indent


#: Section entries' levels start here, apart from directive entries' indentations.
_SECTION_LEVEL = 1000
_RST_RULE = re.compile(r"""([!-/:-@\[-`{-~])\1{2,}[ \t]*""")


def _rst_titles(lines: Sequence[str]) -> dict[int, tuple[int, int, int, str]]:
    """Return reStructuredText section titles by their underline's line number:
    (level, first line, last line, title text); levels in order of first use, as docutils
    gives them."""
    styles: list[tuple[str, bool]] = []
    out: dict[int, tuple[int, int, int, str]] = {}
    for i in range(1, len(lines)):
        under, title = lines[i], lines[i - 1]
        rule = _RST_RULE.fullmatch(under)
        if rule is None or not title.strip() or title[0] in " \t":
            continue
        if _RST_RULE.fullmatch(title) is not None or len(under.rstrip()) < len(title.rstrip()):
            continue
        over = i >= 2 and lines[i - 2].rstrip() == under.rstrip()
        if not over and i >= 2 and lines[i - 2].strip():
            continue  # the last line of a paragraph, not a title
        style = (rule.group(1), over)
        if style not in styles:
            styles.append(style)
        first = i - 1 if over else i  # 1-based line of the overline or the title
        out[i + 1] = (styles.index(style) + 1, first, i + 1, title.strip())
    return out


#: A line's section: its number (0 before the first heading, then 1, 2, ... in order) and
#: its title (markup, anchors and case folded away; None before the first heading).
Section = tuple[int, str | None]


def sections_of(text: str, syntax: str) -> list[Section]:
    """Return, for each line of a document of ``syntax``, the section it sits in (the
    innermost heading above it); plain text and HTML have none."""
    lines = split_lines(text)
    out: list[Section] = []
    current: Section = (0, None)
    if syntax == "rst":
        titles = _rst_titles(lines)
        for n in range(1, len(lines) + 1):
            if n in titles:
                current = (current[0] + 1, _title_key(titles[n][3]))
            out.append(current)
        return out
    if syntax not in ("markdown", "html"):
        return [current] * len(lines)
    headings = markdown_headings(lines) if syntax == "markdown" else html_headings(lines)
    for n in range(1, len(lines) + 1):
        if (h := headings.get(n)) is not None:
            current = (current[0] + 1, _title_key(h.text))
            if h.line != n and out:
                out[-1] = current
        out.append(current)
    return out


def section_parents(text: str, syntax: str) -> dict[int, int]:
    """Return each section's parent section (numbered as ``sections_of`` numbers them; 0:
    the page itself): the nearest section above it of a higher level."""
    lines = split_lines(text)
    if syntax == "rst":
        levels = [level for level, *_ in _rst_titles(lines).values()]
    elif syntax in ("markdown", "html"):
        found = markdown_headings(lines) if syntax == "markdown" else html_headings(lines)
        levels = [h.level for _, h in sorted(found.items())]
    else:
        return {}
    out: dict[int, int] = {}
    stack: list[tuple[int, int]] = []  # (level, section number) of the open sections
    for number, level in enumerate(levels, start=1):
        while stack and stack[-1][0] >= level:
            stack.pop()
        out[number] = stack[-1][1] if stack else 0
        stack.append((level, number))
    return out


def _title_key(text: str) -> str:
    return " ".join(_TAG.sub("", _no_anchor(text)).replace("`", "").split()).casefold()


def entries_of(text: str, syntax: str) -> list[Entry | None]:
    """Return each line's entry for a document of ``syntax`` (none for plain text; in HTML,
    the sections under headings written on one line)."""
    lines = split_lines(text)
    if syntax == "markdown":
        return markdown_entries(lines)
    if syntax == "rst":
        return rst_entries(lines)
    if syntax == "html":
        return _heading_entries(html_headings(lines), len(lines))
    return [None] * len(lines)
