"""Structure rules: the lines and paragraphs of a document that are never compared.

A documentation tree repeats a great deal on purpose: template and include directives,
admonition and tab markers, front matter, captions and labels, lists of links, lead-ins
such as "For example:". None of it is a repeat a maintainer wants to hear about, so these
rules take it out before anything is compared. Each rule has a name; a team can switch
one off (``[tool.dedup] structure = {labels = false}``) to have that kind compared.

Two stages:

* ``mask_lines`` works on lines, before a document is split into paragraphs: a line that
  is only a directive (``{{< note >}}``, ``{% include x %}``, ``[!INCLUDE …]``, ``:::``,
  ``!!! tip``, ``=== "Tab"``, ``--8<--``) becomes blank, so it belongs to no paragraph;
  the bodies of code directives and ``{% raw %}`` blocks become blank too; MkDocs
  admonition and tab bodies are dedented so that Markdown reads them as prose, not code.
  The line count never changes, so every span still points into the original text.
* ``no_prose`` judges one paragraph by what its words are (Markdown inline tokens, or the
  plain text): image-only, link-only, a caption or label, a lead-in, a code-only line or
  a fragment of a few words. Those paragraphs are structure too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import regex

from dedup.errors import UsageError
from dedup.text.normalize import NO_SPACE_CJK, NO_SPACE_OTHER, WORD

#: Every rule, in the order the README lists them, with one line on what it covers.
RULES: dict[str, str] = {
    "directives": "template, include and container directives of site generators",
    "front-matter": "TOML (+++) and JSON front matter (YAML front matter is always structure)",
    "images": "paragraphs that are only images",
    "links": "paragraphs that are one link or a list of links, with at most a few words",
    "labels": "captions and labels: a short bold or italic line, a 'Filename:' style label",
    "lead-ins": "a short line ending in ':' that introduces the next block",
    "pointers": "one sentence that only points to one link: 'See X for more details.'",
    "code-only": "paragraphs whose words are all inline code",
    "fragments": "list entries of at most four words (two outside lists) that are not a sentence",
    "word-lists": "plain text of one word per line (a spelling list): data, not prose",
}


@dataclass(frozen=True, slots=True)
class Structure:
    """Which structure rules are on (all by default)."""

    off: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.off) - RULES.keys())
        if unknown:
            raise UsageError(
                f"unknown structure rule {unknown[0]!r} (choose from {', '.join(RULES)})"
            )

    @classmethod
    def from_table(cls, table: dict[str, object]) -> Structure:
        """Build from a config table such as ``{labels = false, links = true}``."""
        off: set[str] = set()
        for name, value in table.items():
            key = name.replace("_", "-")
            if key not in RULES:
                raise UsageError(
                    f"structure: unknown rule {name!r} (choose from {', '.join(RULES)})"
                )
            if not isinstance(value, bool):
                raise UsageError(f"structure.{name} must be true or false, got {value!r}")
            if not value:
                off.add(key)
        return cls(frozenset(off))

    def on(self, rule: str) -> bool:
        """Return whether ``rule`` is applied."""
        return rule not in self.off


#: All rules on: what every entry point uses unless told otherwise.
ALL = Structure()

# -- line stage ------------------------------------------------------------------------

# A line that is only template tags: Hugo shortcodes ({{< x >}}, {{% x %}}), Liquid and
# Jinja tags ({% x %}, {{ x }}, {# x #}), one or several; attribute lists ({: .class}).
_TAG = r"(?:\{\{[<%].*?[%>]\}\}|\{%-?.*?-?%\}|\{\{.*?\}\}|\{#.*?#\}|\{:[^{}\n]*\})"
_TAG_LINE = re.compile(rf"^\s*(?:{_TAG}\s*)+$")
_TAG_ANY = re.compile(_TAG)
_DIRECTIVE_LINE = re.compile(
    r"""^\s*(?:
        \[!INCLUDE\s*\[[^\]]*\]\([^)]*\)\]            # DocFX / Learn include
      | >\s*\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION|DIV|VIDEO)\b[^\]]*\]  # alert markers
      | :{3,}.*                                       # ::: containers, zones, MyST fences
      | (?:!!!|\?\?\?\+?)\s*[\w-]+(?:\s+"[^"]*")?     # MkDocs admonitions
      | ={3}\+?\s*"[^"]*"                             # MkDocs content tabs
      | -{1,2}8<-{1,2}.*                              # MkDocs snippets
      | /{3,}(?:\s*[\w-]+(?:\s*\|.*)?)?                # pymdown Blocks: /// note | Title
    )\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
# Lines after a directive opener that set its options (MyST ``:name: value``; pymdown
# Blocks' YAML, indented: ``    type: warning``).
_OPTION_LINE = re.compile(r"^\s*:[\w-]+:(?:\s.*)?$")
_BLOCK_OPTION_LINE = re.compile(r"^(?: {4}|\t)[\w-]+:(?:\s.*)?$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
#: Callouts, the boxes a page puts a note or a warning in: reStructuredText's admonitions
#: and Sphinx's ``seealso``, and the names MkDocs Material, VitePress, Docusaurus, GitHub
#: and Hugo give theirs (``dedup.check.boxes``).
CALLOUTS = frozenset(
    {
        "admonition", "attention", "caution", "danger", "error", "hint", "important",
        "note", "tip", "warning", "seealso", "info", "todo", "abstract", "success",
        "question", "failure", "bug",
    }
)  # fmt: skip
#: The directives of a note on what a version changed (Sphinx's; MyST spells them
#: ```` ```{versionadded} ````): the first word is the version, the rest and the body prose.
VERSION_NOTES = frozenset(
    {"versionadded", "versionchanged", "deprecated", "versionremoved", "deprecated-removed"}
)
#: MyST directives written as a backtick or tilde fence whose body is prose, not code
#: (```` ```{note} ````, ```` ````{versionadded} 1.2 ````): their fence lines are structure.
MYST_PROSE = CALLOUTS | VERSION_NOTES | frozenset(
    {"topic", "sidebar", "margin", "dropdown", "tab-item", "card", "epigraph", "pull-quote",
     "highlights"}
)  # fmt: skip
MYST_PROSE_OPEN = re.compile(
    r"^\s*(`{3,}|~{3,})\{(?:" + "|".join(sorted(MYST_PROSE, key=len, reverse=True)) + r")\}"
)
_SNIPPET_BLOCK = re.compile(r"^\s*-{1,2}8<-{1,2}\s*$")
_INDENTED_BODY = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s*[\w-]+|^\s*={3}\+?\s*\"")
# Paired tags whose body is code or raw template text: structure from open to close.
_CODE_OPEN = re.compile(
    r"""^\s*(?:
        \{\{[<%]\s*(?P<hugo>highlight|code|code-toggle|codeblock|gist)\b.*?[%>]\}\}
      | \{%-?\s*(?P<liquid>highlight|raw|comment|codeblock)\b.*?-?%\}
      | (?P<result>/{3,})\s*html\s*\|\s*div\.result\b.*     # an example's rendering
    )\s*$""",
    re.VERBOSE,
)


def _closes(line: str, opener: re.Match[str]) -> bool:
    if slashes := opener.group("result"):  # the block's own closing line, not a nested one
        return line.strip() == slashes
    if name := opener.group("hugo"):
        return re.search(rf"\{{\{{[<%]\s*/\s*{re.escape(name)}\s*[%>]\}}\}}", line) is not None
    name = opener.group("liquid")
    return re.search(rf"\{{%-?\s*end{re.escape(name)}\s*-?%\}}", line) is not None


def _body(line: str) -> str:
    """Return ``line`` without its terminator."""
    return line.rstrip("\r\n")


def _blank(line: str) -> str:
    """Return an empty line with ``line``'s terminator (so line counts stay the same)."""
    return line[len(_body(line)) :]


#: The first characters (after whitespace, ``\s``) of the lines that ``_FENCE``,
#: ``_CODE_OPEN``, ``_TAG_LINE`` and ``_DIRECTIVE_LINE`` match: a line that starts with
#: another is none of those, and is not tried against them.
_LINE_OPENERS = frozenset("`~{[>:!?=-/")


def mask_lines(lines: Sequence[str], rules: Structure, *, markdown: bool) -> list[str] | None:
    """Return ``lines`` with structure lines blanked, or None when nothing changes.

    ``lines`` keep their terminators. Code fences are left alone (their contents are
    code). ``markdown`` also dedents MkDocs admonition and tab bodies.
    """
    directives = rules.on("directives")
    out = list(lines)
    changed = False
    fence: str | None = None  # the open fence's marker
    fence_end: re.Pattern[str] | None = None  # the line that closes it
    code_until: re.Match[str] | None = None  # an open code shortcode/raw block
    snippet = False
    options = False  # just after a directive opener: MyST option lines follow
    block = False  # that opener is a pymdown block's: its YAML options follow
    indent_body = False  # inside an MkDocs admonition or tab body
    myst: list[str] = []  # the open MyST prose fences (```{note}), innermost last
    first = front_matter_end(lines) if rules.on("front-matter") else 0
    for i in range(first):
        out[i] = _blank(lines[i])
        changed = True
    for i in range(first, len(lines)):
        raw = _body(lines[i])
        stripped = raw.strip()
        if indent_body and markdown:
            if not stripped:
                pass
            elif raw.startswith("    ") or raw.startswith("\t"):
                raw = raw[1:] if raw.startswith("\t") else raw[4:]
                out[i] = raw + _blank(lines[i])
                changed = True
            else:
                indent_body = False
        if fence is not None:
            if fence_end is None:
                fence_end = re.compile(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
            if fence_end.match(raw):
                fence, fence_end = None, None
            continue
        if not directives:
            if m := _FENCE.match(raw):
                fence = m.group(1)
            continue
        if code_until is not None:
            out[i] = _blank(lines[i])
            changed = True
            if _closes(raw, code_until):
                code_until = None
            continue
        if snippet:
            out[i] = _blank(lines[i])
            changed = True
            if _SNIPPET_BLOCK.match(raw):
                snippet = False
            continue
        if options and (_OPTION_LINE.match(raw) or (block and _BLOCK_OPTION_LINE.match(raw))):
            out[i] = _blank(lines[i])
            changed = True
            continue
        options = False
        if stripped[:1] not in _LINE_OPENERS:  # none of the patterns below can match
            continue
        if m := _FENCE.match(raw):
            marker = m.group(1)
            if myst and marker[0] == myst[-1][0] and len(marker) >= len(myst[-1]):
                if stripped == marker:  # closes the MyST directive: its body was prose
                    myst.pop()
                    out[i] = _blank(lines[i])
                    changed = True
                    continue
            elif markdown and MYST_PROSE_OPEN.match(raw):
                myst.append(marker)
                out[i] = _blank(lines[i])
                changed = options = True
                block = False
                continue
            fence = marker
            continue
        if m := _CODE_OPEN.match(raw):  # the whole line opens it: the close comes later
            out[i] = _blank(lines[i])
            changed = True
            code_until = m
            continue
        if _TAG_LINE.match(raw) or _DIRECTIVE_LINE.match(raw):
            out[i] = _blank(lines[i])
            changed = True
            block = stripped.startswith("///")
            options = block or stripped.startswith(":::") or stripped.startswith("```")
            snippet = bool(_SNIPPET_BLOCK.match(raw))
            if markdown and _INDENTED_BODY.match(raw):
                indent_body = True
            continue
    return out if changed else None


def front_matter_end(lines: Sequence[str], *, yaml: bool = False) -> int:
    """Return the number of lines of TOML (+++) or JSON front matter at the start (and,
    with ``yaml``, of YAML front matter, ``---`` to ``---`` or ``...``), or 0. Segmenting
    leaves YAML to markdown-it's front matter plugin; the entries rule reads them all."""
    if not lines:
        return 0
    head = _body(lines[0]).strip()
    if head == "+++":
        closes: tuple[str, ...] = ("+++",)
    elif head == "{":
        closes = ("}",)
    elif yaml and head == "---":
        closes = ("---", "...")
    else:
        return 0
    for i in range(1, len(lines)):
        if _body(lines[i]).strip() in closes:
            return i + 1
    return 0


def strip_tags(text: str) -> str:
    """Return ``text`` without inline template tags (they are not words a reader reads)."""
    if "{" not in text:
        return text
    return _TAG_ANY.sub(" ", text)


# -- paragraph stage -------------------------------------------------------------------

# Words as ``dedup.text.normalize`` defines them (Unicode's word characters; the joiners ZWNJ
# and ZWJ inside a word), counted on the text as written; words joined by a hyphen, an
# apostrophe (straight or curly) or a full stop count as one ("e.g.", "well-known"). A run
# of a script written without spaces counts one word per 1.5 characters of Chinese and
# Japanese (their words average 1.5 to 2 characters) and per 3 graphemes of Thai, Lao,
# Khmer, Myanmar, ... (about the average), rounded up: rather more words than a reader
# counts than fewer, so prose is not taken for a short label or fragment (never compared).
_JOINERS = "\u200c\u200d"
_SPACED = rf"[[{WORD}]--[{NO_SPACE_CJK}{NO_SPACE_OTHER}]]"
_SPACED_WORD = rf"{_SPACED}[{_SPACED}{_JOINERS}]*"
_GRAPHEME = r"[[{}]&&[{}]]\p{{M}}*"
_WORDS = regex.compile(
    rf"(?P<cjk>(?:{_GRAPHEME.format(NO_SPACE_CJK, WORD)})+)"
    rf"|(?P<other>(?:{_GRAPHEME.format(NO_SPACE_OTHER, WORD)})+)"
    rf"|{_SPACED_WORD}(?:[-'\u2019.]{_SPACED_WORD})*",
    flags=regex.V1,
)
_GRAPHEMES = regex.compile(
    rf"{_GRAPHEME.format(NO_SPACE_CJK + NO_SPACE_OTHER, WORD)}", flags=regex.V1
)
_ANY_WORD = regex.compile(rf"[{WORD}]")
# For ASCII text (most text, and all that the rules were tuned on) the same words, faster.
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]+(?:[-'.][A-Za-z0-9_]+)*")
_SENTENCE_END = re.compile(
    "[.!?\u2026"  # Latin, Greek, Cyrillic, ...
    "\u3002\uff01\uff1f\uff0e\uff61"  # CJK full stops and marks
    "\u0964\u0965"  # Devanagari, Bengali, ... danda, double danda
    "\u061f\u06d4\u05c3\u037e\u0589"  # Arabic ?, Urdu ., Hebrew sof pasuq, Greek ;, Armenian
    "\u1362\u1367\u104b\u17d4\u17d5\u0f0d\u0f0e\u0df4"  # Ethiopic, Myanmar, Khmer, Tibetan, ...
    "]"
    "[\"'\u201d\u2019)\\]\u300d\u300f\uff09]*\\s*$"  # closing quotes and brackets
)
# "Filename: src/main.rs", "Default: [] (Empty list)": a key of at most three words, a
# colon, a short value (the paragraph has at most LABEL_VALUE_WORDS words in all). The
# key starts with a capital: in ASCII, or of a non-Latin script, or with a letter of a
# script without case ("Имя файла: …", "फ़ाइल का नाम: …", "文件名\uff1a…").
_LABEL = re.compile(r"^\s*[A-Z][\w-]*(?:\s+[\w-]+){0,2}\s*:\s+\S")
_LABEL_ANY = regex.compile(
    rf"^\s*(?:[A-Z]|[[\p{{Lu}}\p{{Lt}}\p{{Lo}}]--\p{{Latin}}])[{WORD}{_JOINERS}-]*"
    rf"(?:\s+[{WORD}{_JOINERS}-]+){{0,2}}\s*(?::\s+|\uff1a\s*)\S",
    flags=regex.V1,
)
#: A sentence that only states a default value (English): "It defaults to ``None``.",
#: "Defaults to ``json.JSONDecoder``.", "Default is an empty list." The value is a label's.
_DEFAULT_VALUE = re.compile(
    r"\s*(?:it\s+|this\s+)?(?:defaults?\s+(?:to|is)|(?:the\s+)?default\s+value\s+is)\s+"
    r"(?:an?\s+empty\s+[\w-]+|[^\s.]+(?:\.[^\s.]+)*)(?:\s*\.)?",
    re.IGNORECASE,
)
#: A credit line of a change log (English): "Contributed by **Patrick Cloke**.", "Fix
#: contributed by Martin Melin.", "Reported by :github_user:`x`." The names open with a
#: capital letter (or are one ``@handle``), joined by "and" or commas, nothing else
#: ("Fixed by reinstalling." and "Thanks to Unicode, sorting works." are prose).
_NAME = r"(?:@[\w.-]+|(?-i:[^\W\d_a-z])[\w'.-]*(?:\s+(?-i:[^\W\d_a-z])[\w'.-]*){0,3}|[\w.-]+)"
_CREDIT = re.compile(
    r"\s*(?:(?:bug\s*)?fix(?:es)?\s+|patch(?:es)?\s+|change\s+|feature\s+)?"
    r"(?:contributed|reported|suggested|authored|proposed)\s+by\s+"
    rf"{_NAME}(?:(?:\s*,\s*|\s+and\s+){_NAME}){{0,3}}(?:\s*\.)?",
    re.IGNORECASE,
)
_COLONS = (":", "\uff1a")
#: A paragraph is "short" for the label, lead-in and fragment rules at this many words.
LEAD_IN_WORDS = 8
LEAD_IN_BLOCK_WORDS = 16
LABEL_WORDS = 8
LABEL_VALUE_WORDS = 6
FRAGMENT_WORDS = 4
LINK_EXTRA_WORDS = 4
#: A pointer has at most this many words outside its link.
POINTER_WORDS = 12
# How a pointer opens (English): "See ...", "Refer to ...", "For more information about
# logging drivers, refer to ...", "This is now covered in ...", "You can find ... in",
# "Details of the structure are available in ...", "This page assumes you've read ...",
# and an alias's note: "Same as `attrs.define`.", "Alias for :attr:`point_count`.".
_POINTER = re.compile(
    r"\s*(?:see(?:\s+also)?|refer\s+to|check\s+out|consult|read\s+more"
    r"|for\s+(?:(?:more|further|additional|full|complete)\b[^,.;]*,\s*"
    r"|(?:a|the)\s+(?:full\s+|complete\s+)?list\s+of(?:\s+[^\s,.;]+){1,8}?(?:\s*,\s*|\s+))"
    r"(?:see|refer\s+to|read|consult|check\s+out)"
    r"|(?:more|further)\s+(?:details|information|examples)\s+(?:are\s+|is\s+|can\s+be\s+found\s+)?"
    r"(?:in|at|on|under)"
    r"|this(?:\s+(?:section|page|content|chapter|guide|topic|document|article))?"
    r"\s+(?:(?:is\s+now|has\s+been|was)\s+(?:covered|moved|documented|described)|has\s+moved)"
    r"\s+(?:in|to)"
    r"|you\s+can\s+(?:find|read|learn\s+more)|learn\s+more"
    r"|this\s+(?:page|guide|section|chapter|tutorial|article|document)\s+assumes"
    r"|(?:the\s+|an?\s+)?(?:(?:more|further|full|complete)\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:details|information|documentation|examples?|rules|list|reference|description"
    r"|changelog)\b[^,.;]{0,50}?\b(?:is|are)\s+(?:available|documented|described|explained"
    r"|listed|covered)\s+(?:in|at|on|under))\b",
    re.IGNORECASE,
)
#: A pointer that is nothing but its target (one link or one or two names in code) and
#: at most "for more details": "See :class:`RequestContext` for more information.", an
#: alias's note "Same as `attrs.define`.", "Alias for :attr:`point_count`."
_TARGET_ONLY = re.compile(
    r"\s*(?:see(?:\s+also)?|refer\s+to|consult|same\s+as|(?:an?\s+)?alias\s+(?:for|of|to)"
    r"|shorthand\s+for)\s+(?:the\s+)?[^\s,;:]+(?:\s+[^\s,;:]+){0,3}?"
    r"(?:\s+for\s+(?:more\s+|further\s+)?(?:details|information|examples|usage))?(?:\s*\.)?",
    re.IGNORECASE,
)
#: What joins a link to its short description in a list of links ("[hugo import](...) -
#: Import your site from others.", "[Guide](guide.md): how to start").
_DESCRIBED = re.compile(r"\s*[-\u2013\u2014:|]\s")
#: A URL written out, which a renderer with linkify shows as a link ("See
#: https://gohugo.io/hugo-modules/ for more information.").
_BARE_URL = re.compile(r"https?://[^\s<>()]+[^\s<>().,;:!?]")
#: How a lead-in that ends with a full stop opens (English): "For example, below is an
#: example running a script." ("for example" with "following", "below" or "as follows"
#: later), "Following is a simple overview of the public API.", "Here is the output." It
#: is one only right before code.
_LEAD_IN_OPENING = re.compile(
    r"\s*(?:(?:for\s+(?:example|instance)|e\.g\.)\b.*\b(?:following|below|as\s+follows)"
    r"|here(?:'s|\s+is|\s+are)|below\s+(?:is|are)|(?:the\s+)?following\s+(?:is|are)"
    r"|the\s+following\s+(?:example|snippet|code|command)s?"
    r"|this\s+(?:example|snippet)\s+(?:shows|demonstrates))\b",
    re.IGNORECASE,
)
_INNER_SENTENCE_END = re.compile(r"[.!?]\s+\S")


@dataclass(slots=True)
class Words:
    """The words of one paragraph, by where they sit: plain text, emphasis, code, links."""

    plain: int = 0
    emphasis: int = 0
    code: int = 0
    link: int = 0
    links: int = 0
    images: int = 0
    text: list[str] = field(default_factory=list)
    #: When the paragraph opens with a link: the text right after it (" - Build the site.").
    after_lead_link: str | None = None
    #: The paragraph sits in a "see also" box (reStructuredText's ``.. seealso::``).
    see_also: bool = False
    #: The paragraph is all the value of a field (``:param spider: the spider opened``).
    field: bool = False

    @property
    def total(self) -> int:
        return self.plain + self.emphasis + self.code + self.link


def count_words(text: str) -> int:
    """Return how many words the structure rules count in ``text``."""
    if text.isascii():
        return len(_ASCII_WORD.findall(text))
    n = 0
    for m in _WORDS.finditer(text):
        if run := m.group("cjk"):
            n += (2 * len(_GRAPHEMES.findall(run)) + 2) // 3
        elif run := m.group("other"):
            n += (len(_GRAPHEMES.findall(run)) + 2) // 3
        else:
            n += 1
    return n


# At least LEAD_IN_BLOCK_WORDS + 1 of ``_ASCII_WORD``'s words, matched from the start: the
# same words ``findall`` finds (possessive, so no word is split to make up the count).
_MANY_ASCII_WORDS = re.compile(
    rf"(?:[^A-Za-z0-9_]*+[A-Za-z0-9_]++(?:[-'.][A-Za-z0-9_]++)*+){{{LEAD_IN_BLOCK_WORDS + 1}}}"
)


def many_words(text: str) -> bool:
    """Return whether ``text`` has more words than any rule counts to
    (``count_words(text) > LEAD_IN_BLOCK_WORDS``), without counting them all. A text with
    a written-out URL is never "many words": the pointer rule counts the sentence without
    the URL's words."""
    if "://" in text:
        return False
    if text.isascii():
        return _MANY_ASCII_WORDS.match(text) is not None
    return count_words(text) > LEAD_IN_BLOCK_WORDS


def has_word(text: str) -> bool:
    """Return whether ``text`` has a word (``count_words(text) > 0``, faster)."""
    if text.isascii():
        return _ASCII_WORD.search(text) is not None
    return _ANY_WORD.search(text) is not None


def words_of_inline(children: Iterable[object]) -> Words:
    """Return where the words of a Markdown inline token's children sit."""
    w = Words()
    link = emph = 0
    opened = False  # a word or a link was seen
    lead = False  # the paragraph opened with a link, just closed
    for child in children:
        kind = getattr(child, "type", "")
        content = getattr(child, "content", "")
        if lead and kind == "text":
            w.after_lead_link = content
        lead = False
        if kind == "link_open":
            if not opened:
                w.after_lead_link = ""
            opened = True
            link += 1
            w.links += 1
        elif kind == "link_close":
            link = max(0, link - 1)
            lead = w.after_lead_link == "" and link == 0 and w.links == 1
        elif kind in ("strong_open", "em_open", "s_open"):
            emph += 1
        elif kind in ("strong_close", "em_close", "s_close"):
            emph = max(0, emph - 1)
        elif kind == "image":
            w.images += 1
        elif kind == "code_inline":
            w.text.append(content)
            if link:
                w.link += count_words(content)
            else:
                w.code += count_words(content)
        elif kind == "text":
            w.text.append(content)
            n = count_words(strip_tags(content))
            opened = opened or n > 0
            if link:
                w.link += n
            elif emph:
                w.emphasis += n
            else:
                w.plain += n
        elif kind in ("softbreak", "hardbreak"):
            w.text.append("\n")
    return w


def words_of_text(text: str) -> Words:
    """Return the words of a paragraph known only as plain text (all of them plain)."""
    return Words(plain=count_words(strip_tags(text)), text=[text])


#: A plain text read a line per paragraph is a word list (a spelling dictionary, a list
#: of stop words) when it has at least this many lines and WORD_LIST_SHARE of them are one
#: word each (no space inside, at most WORD_LIST_CHARS characters).
WORD_LIST_LINES = 20
WORD_LIST_SHARE = 0.9
WORD_LIST_CHARS = 40


def is_word_list(lines: Iterable[str]) -> bool:
    """Return whether the lines of a plain text are a word list: at least
    ``WORD_LIST_LINES`` of them, and ``WORD_LIST_SHARE`` of them one word each. A line
    of a script written without spaces (Chinese, Japanese, Thai) is never one word: a
    sentence there has no space either."""
    total = single = 0
    for line in lines:
        word = line.strip()
        total += 1
        if len(word) <= WORD_LIST_CHARS and not _NOT_ONE_WORD.search(word):
            single += 1
    return total >= WORD_LIST_LINES and single >= WORD_LIST_SHARE * total


_NOT_ONE_WORD = regex.compile(rf"\s|[{NO_SPACE_CJK}{NO_SPACE_OTHER}]", flags=regex.V1)


def no_prose_plain(text: str, rules: Structure, stripped: str | None = None) -> str | None:
    """Return ``no_prose(words_of_text(text), rules, markup=False, plain=True)``, faster.

    Plain text has prose as soon as it has one word: one regex search, not every word
    counted. ``stripped``: ``strip_tags(text)``, when the caller has it.
    """
    if has_word(strip_tags(text) if stripped is None else stripped):
        return None
    return no_prose(Words(text=[text]), rules, markup=False, plain=True)


def _is_label(text: str) -> bool:
    if text.isascii():
        return _LABEL.match(text) is not None
    return _LABEL_ANY.match(text) is not None


def _after_link(text: str, after: str) -> str:
    """Return ``text`` from where the words after its opening link start (all of it when
    code or markup follows the link at once)."""
    start = text.find(after.strip()) if after.strip() else -1
    return text[start:] if start >= 0 else text


def no_prose(
    w: Words,
    rules: Structure,
    *,
    markup: bool,
    plain: bool = False,
    in_list: bool = False,
    before_block: bool = False,
    before_code: bool = False,
) -> str | None:
    """Return the rule under which a paragraph with words ``w`` has no prose, or None.

    ``markup``: the words come from Markdown or reStructuredText inline markup (so
    emphasis, links and code are known). ``plain``: the document is plain text, where
    nothing tells a caption from a line of prose, so only template tags are structure.
    ``in_list``: the paragraph is a list item (fragments there may be twice as long).
    ``before_block``: code, a list or a table follows (a lead-in there may have up to
    ``LEAD_IN_BLOCK_WORDS`` words). ``before_code``: code follows (a sentence that opens as
    a lead-in, "Here is the output.", is one there). The whole value of a field
    (``w.field``: reStructuredText's ``:param spider: the spider which was opened``) is a
    label's value when it has at most ``LABEL_VALUE_WORDS`` words.

    Words all plain (no emphasis, code, link or image) and more than
    ``LEAD_IN_BLOCK_WORDS`` of them are always prose: ``segment`` takes a Markdown
    paragraph without markup as prose on that count alone (``many_words``), without
    calling this (``tests/test_block_parser.py`` holds the two to agreeing).
    """
    raw = "".join(w.text)
    text = strip_tags(raw).strip()
    total = w.total
    if total == 0:
        if w.images:
            return "images" if rules.on("images") else None
        return "directives" if rules.on("directives") and _TAG_ANY.search(raw) else None
    if plain:
        return None
    if markup:
        if w.images and w.plain + w.emphasis + w.code == 0 and rules.on("images"):
            return "images"
        if w.links and w.plain <= LINK_EXTRA_WORDS and rules.on("links"):
            return "links"
        if (
            in_list
            and w.links == 1
            and w.after_lead_link is not None
            and _DESCRIBED.match(w.after_lead_link) is not None
            and w.plain + w.emphasis + w.code <= POINTER_WORDS
            # one sentence of description (the link's own text may ask: "What's New?")
            and _INNER_SENTENCE_END.search(_after_link(text, w.after_lead_link)) is None
            and rules.on("links")
        ):
            return "links"
        if (
            w.see_also
            and w.links
            and _INNER_SENTENCE_END.search(text) is None
            and rules.on("pointers")
        ):
            return "pointers"  # one sentence in a "see also" box: ":ref:`x` - the details"
        bare = _BARE_URL.findall(text) if not w.links and "://" in text else []
        if (
            (w.links == 1 or len(bare) == 1)
            and w.plain + w.emphasis + w.code - sum(map(count_words, bare)) <= POINTER_WORDS
            and _POINTER.match(text) is not None
            and _INNER_SENTENCE_END.search(text) is None
            and rules.on("pointers")
        ):
            return "pointers"
        if (
            # nothing but its target: one link, or a name in code (Sphinx's ":class:`X`", a
            # link when built): "See `RequestContext` for more information.", "Same as `x`."
            (w.links == 1 or (not w.links and not bare and 0 < w.code <= 2))
            and _TARGET_ONLY.fullmatch(text) is not None
            and rules.on("pointers")
        ):
            return "pointers"
        if (
            w.emphasis
            and w.plain <= 2
            and total <= LABEL_WORDS
            and not w.links
            and rules.on("labels")
            and (w.plain == 0 or not _SENTENCE_END.search(text))
        ):
            return "labels"
        if w.code and w.plain + w.emphasis <= 1 and not w.links and rules.on("code-only"):
            return "code-only"
    if (
        total <= LABEL_VALUE_WORDS
        and (w.field or _is_label(text) or _DEFAULT_VALUE.fullmatch(text) is not None)
        and rules.on("labels")
    ):
        return "labels"
    if (
        total <= LABEL_WORDS
        and _CREDIT.fullmatch(text) is not None
        and not _INNER_SENTENCE_END.search(text)
        and rules.on("labels")
    ):
        return "labels"  # a credit may name two people: "Contributed by A B and C D."
    if text.endswith(_COLONS) and rules.on("lead-ins"):
        if total <= LEAD_IN_WORDS:
            return "lead-ins"
        if before_block and total <= LEAD_IN_BLOCK_WORDS:
            return "lead-ins"
    if (
        before_code
        and total <= LEAD_IN_BLOCK_WORDS
        and _LEAD_IN_OPENING.match(text) is not None
        and _INNER_SENTENCE_END.search(text) is None
        and rules.on("lead-ins")
    ):
        return "lead-ins"
    if (
        markup
        and total <= (FRAGMENT_WORDS if in_list else FRAGMENT_WORDS // 2)
        and not _SENTENCE_END.search(text)
        and rules.on("fragments")
    ):
        return "fragments"
    return None
