"""The HTML report of ``dedup diff --html``: one self-contained page, readable and printable.

No external resources: CSS and the small navigation script are inline. Every piece of
document text goes through ``html.escape``, so a paragraph holding ``<script>`` is shown,
never run.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from dedup.core.models import Kind, Match, Paragraph, Report
from dedup.text.segment import Lines
from dedup.text.worddiff import word_diff
from dedup.writers.notes import settings_dict

CSS = """
:root { --exact:#c62828; --near:#8e24aa; --contained:#ef6c00; --similar:#00838f; }
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 72rem;
  padding: 1rem 2rem;
       color: #1a1a1a; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem;
  border-bottom: 1px solid #ccc; }
table.summary { border-collapse: collapse; margin: .5rem 0; }
table.summary td, table.summary th { border: 1px solid #ccc; padding: .2rem .6rem;
  text-align: right; }
table.summary td:first-child, table.summary th:first-child { text-align: left; }
.toolbar { position: sticky; top: 0; background: #fff; padding: .5rem 0;
  border-bottom: 1px solid #ddd;
           z-index: 1; }
.toolbar button { margin-right: .3rem; }
.para { white-space: pre-wrap; margin: .2rem 0; padding: .2rem .5rem;
  border-left: 3px solid transparent; }
.struct { color: #666; white-space: pre-wrap; font-family: ui-monospace, monospace;
  font-size: .85em;
          margin: .2rem 0; padding: 0 .5rem; }
.removed { background: #fdecea; }
.removed .text { text-decoration: line-through; }
.removed.near { background: #f5e9f7; } .removed.contained { background: #fff3e0; }
.removed.similar { background: #e0f7fa; }
.kept-twin { border-left-color: #2e7d32; }
.badge { display: inline-block; font-size: .75rem; font-weight: 600; color: #fff;
  border-radius: .6rem;
         padding: 0 .5rem; margin-left: .4rem; text-decoration: none; white-space: nowrap; }
.badge.exact { background: var(--exact); } .badge.near { background: var(--near); }
.badge.contained { background: var(--contained); } .badge.similar { background: var(--similar);
  }
.badge.kept { background: #2e7d32; }
.meta { font-size: .8rem; color: #555; text-decoration: none; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; margin: .3rem 0 1rem 1rem;
        font-size: .9rem; }
.pair > div { background: #fafafa; border: 1px solid #e0e0e0; padding: .4rem .6rem; }
del { background: #ffcdd2; } ins { background: #c8e6c9; text-decoration: none; }
.current { outline: 3px solid #1565c0; }
.hidden-kind { display: none; }
@media print { .toolbar { display: none; } .para { break-inside: avoid; } }
"""

SCRIPT = """
(function () {
  var removals = Array.prototype.slice.call(document.querySelectorAll('.removal'));
  var index = -1;
  function visible() { return removals.filter(function (el) {
    return !el.classList.contains('hidden-kind'); }); }
  function go(step) {
    var list = visible(); if (!list.length) { return; }
    var current = list.indexOf(removals[index]);
    var next = (current + step + list.length) % list.length;
    if (current === -1) { next = step > 0 ? 0 : list.length - 1; }
    if (index >= 0) { removals[index].classList.remove('current'); }
    index = removals.indexOf(list[next]);
    removals[index].classList.add('current');
    removals[index].scrollIntoView({block: 'center'});
    document.getElementById('position').textContent = (next + 1) + ' / ' + list.length;
  }
  document.getElementById('next').addEventListener('click', function () { go(1); });
  document.getElementById('prev').addEventListener('click', function () { go(-1); });
  Array.prototype.forEach.call(document.querySelectorAll('input[data-kind]'), function (box) {
    box.addEventListener('change', function () {
      var kind = box.getAttribute('data-kind');
      Array.prototype.forEach.call(document.querySelectorAll('.kind-' + kind), function (el) {
        el.classList.toggle('hidden-kind', !box.checked);
      });
    });
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'j' || e.key === 'n') { go(1); }
    if (e.key === 'k' || e.key === 'p') { go(-1); }
  });
}());
"""


def anchor(p: Paragraph) -> str:
    """Return the HTML id of a paragraph."""
    return f"d{p.doc}-p{p.index}"


def _diff_html(old: str, new: str) -> tuple[str, str]:
    left, right = [], []
    for piece in word_diff(old, new):
        text = escape(piece.text)
        if piece.op == "equal":
            left.append(text)
            right.append(text)
        elif piece.op == "delete":
            left.append(f"<del>{text}</del>")
        else:
            right.append(f"<ins>{text}</ins>")
    return " ".join(left), " ".join(right)


def _removal(m: Match, report: Report) -> str:
    p, kept = m.paragraph, m.other
    kind = m.kind.value
    kept_path = report.documents[kept.doc].path
    lines = f"{p.start_line}" if p.start_line == p.end_line else f"{p.start_line}-{p.end_line}"
    head = (
        f'<div class="removal kind-{kind}" id="{anchor(p)}">'
        f'<div class="para removed {kind}"><span class="text">{escape(p.text.rstrip())}</span>'
        f'<span class="badge {kind}">{kind} {m.similarity:.2f}</span> '
        f'<a class="meta twin-link" href="#{anchor(kept)}">line {lines} · repeats '
        f"{escape(kept_path)}:{kept.start_line}</a></div>"
    )
    if m.kind is Kind.EXACT:
        return head + "</div>"
    left, right = _diff_html(report.words(kept), report.words(p))
    return (
        head + f'<div class="pair"><div><div class="meta">kept: {escape(kept_path)}:'
        f'{kept.start_line}</div>{left}</div><div><div class="meta">removed: line {lines}'
        f"</div>{right}</div></div></div>"
    )


def review_anchor(m: Match) -> str:
    """Return the HTML id of a review pair."""
    return f"r-{anchor(m.paragraph)}-{anchor(m.other)}"


def _review(m: Match, report: Report) -> str:
    p, other = m.paragraph, m.other
    kind = m.kind.value
    where = f"{escape(report.documents[p.doc].path)}:{p.start_line}"
    other_where = f"{escape(report.documents[other.doc].path)}:{other.start_line}"
    left, right = _diff_html(report.words(other), report.words(p))
    return (
        f'<div class="review kind-{kind}" id="{review_anchor(m)}">'
        f'<span class="badge {kind}">{kind} {m.similarity:.2f}</span> '
        f'<a href="#{anchor(other)}">{other_where}</a> and <a href="#{anchor(p)}">{where}</a>'
        f'<div class="pair"><div><div class="meta">{other_where}</div>{left}</div>'
        f'<div><div class="meta">{where}</div>{right}</div></div></div>'
    )


def render_html(report: Report, lines: list[Lines], version: str) -> str:
    """Return the whole report page."""
    removals = report.removals
    kept_counts = Counter((m.other.doc, m.other.index) for m in removals)
    by_kind = Counter(m.kind for m in removals)
    settings = settings_dict(report)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>dedup report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>dedup report</h1>",
        '<section id="summary"><table class="summary"><tr><th>documents</th><th>paragraphs</th>'
        "<th>removed</th>"
        + "".join(f"<th>{k.value}</th>" for k in Kind)
        + "<th>for review</th></tr>",
        f"<tr><td>{len(report.documents)}</td><td>{report.paragraph_count}</td>"
        f"<td>{len(removals)}</td>"
        + "".join(f"<td>{by_kind[k]}</td>" for k in Kind)
        + f"<td>{len(report.review)}</td></tr>",
        "</table>",
        '<p class="meta">Settings: '
        + escape(
            ", ".join(
                f"{k} {v}" for k, v in settings.items() if k not in ("lsh", "remove", "tokenizer")
            )
            + f", remove {'+'.join(settings['remove'])}, LSH {settings['lsh']['bands']}x"
            f"{settings['lsh']['rows']}, tokenizer {settings['tokenizer']['version']} (Unicode "
            f"{settings['tokenizer']['unicode']}) · dedup {version}"
        )
        + "</p></section>",
        '<nav class="toolbar" aria-label="removals">'
        '<button id="prev" type="button">◀ previous</button>'
        '<button id="next" type="button">next ▶</button> <span id="position"></span> '
        + " ".join(
            f'<label><input type="checkbox" checked data-kind="{k.value}"> {k.value}</label>'
            for k in Kind
        )
        + "</nav>",
        '<section id="removals"><h2>All removals</h2><ol>',
    ]
    for m in removals:
        p = m.paragraph
        out.append(
            f'<li class="kind-{m.kind.value}"><a href="#{anchor(p)}">'
            f"{escape(report.documents[p.doc].path)}:{p.start_line}</a> "
            f'<span class="badge {m.kind.value}">{m.kind.value} {m.similarity:.2f}</span> '
            f'repeats <a href="#{anchor(m.other)}">'
            f"{escape(report.documents[m.other.doc].path)}:{m.other.start_line}</a></li>"
        )
    out.append("</ol></section>")
    if report.review:
        out.append(
            '<section id="review"><h2>For review (kept, not removed)</h2>'
            '<p class="meta">Pairs below the removal settings: contained or similar.</p>'
        )
        for m in report.review:
            out.append(_review(m, report))
        out.append("</section>")
    review_of: dict[tuple[int, int], Match] = {}
    for m in report.review:
        review_of.setdefault((m.paragraph.doc, m.paragraph.index), m)
    removed_at = {(m.paragraph.doc, m.paragraph.index): m for m in removals}
    for i, doc in enumerate(report.documents):
        out.append(f'<section class="document"><h2 id="doc{i}">{escape(doc.path)}</h2>')
        cursor = 0
        for p in report.paragraphs[i]:
            between = lines[i].text[cursor : p.start]
            if between.strip():
                out.append(f'<div class="struct">{escape(between.strip(chr(10) + chr(13)))}</div>')
            key = (p.doc, p.index)
            if key in removed_at:
                out.append(_removal(removed_at[key], report))
            else:
                extra = ""
                cls = "para"
                if kept_counts[key]:
                    n = kept_counts[key]
                    cls += " kept-twin"
                    extra = (
                        f'<span class="badge kept">kept · {n} repeat{"s" if n != 1 else ""}</span>'
                    )
                if key in review_of:
                    r = review_of[key]
                    extra += (
                        f' <a class="badge {r.kind.value} kind-{r.kind.value}" '
                        f'href="#{review_anchor(r)}">{r.kind.value} {r.similarity:.2f}</a>'
                    )
                out.append(
                    f'<div class="{cls}" id="{anchor(p)}">{escape(p.text.rstrip())}{extra}</div>'
                )
            cursor = p.end
        tail = lines[i].text[cursor:]
        if tail.strip():
            out.append(f'<div class="struct">{escape(tail.strip(chr(10) + chr(13)))}</div>')
        out.append("</section>")
    out.append(f"<script>{SCRIPT}</script></body></html>")
    return "\n".join(out) + "\n"
