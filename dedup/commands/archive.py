"""``dedup archive add|remove|stats|export``: the persistent archive of published paragraphs."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from dedup.archive import open_archive
from dedup.archive.add import add_documents, source_name
from dedup.archive.store import ArchiveError, Counts, Store
from dedup.commands import options as o
from dedup.commands.common import load_documents
from dedup.errors import UsageError
from dedup.inputs.sources import JsonlOptions
from dedup.option_table import OnErrorChoice
from dedup.text.allow import AllowList
from dedup.text.safe_text import visible
from dedup.writers.console import notice, progress_bar
from dedup.writers.output import write_atomic, write_stdout

Archive = Annotated[
    str,
    typer.Argument(
        help="The archive: an SQLite file (created by add), or redis://HOST:PORT/DB[?prefix=NAME]."
    ),
]


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' if n != 1 else ''}"


@o.command("archive add")
def add(
    archive: Archive,
    paths: Annotated[
        list[str], typer.Argument(help="Published files and folders to archive (recursive).")
    ],
    label: Annotated[
        str | None, typer.Option("--label", help="Label stored with these sources (for remove).")
    ] = None,
    *,
    encoding: str | None,
    config: str | None,
    jobs: int | None,
    text_field: str,
    id_field: str | None,
    on_error: OnErrorChoice,
    quiet: bool,
    **overrides: Any,
) -> None:
    """Archive published documents: one atomic write; same content twice is a no-op."""
    cfg = o.configure(config, overrides, paths=paths)
    settings = cfg.settings()
    if "-" in paths:
        raise UsageError("archive add reads files, not stdin: each source needs a name")
    docs = load_documents(
        paths,
        cfg,
        encoding,
        JsonlOptions(text_field, id_field, on_error.value, cfg.limits),
        quiet=quiet,
    )
    store = open_archive(archive, create=True)
    try:
        with progress_bar(sum(len(d.text) for d in docs), enabled=not quiet) as progress:
            result = add_documents(
                store,
                docs,
                settings,
                label=label,
                allow=AllowList.load(cfg.allow_files()),
                jobs=jobs,
                progress=progress,
            )
        sources, paragraphs = store.totals()
    finally:
        store.close()
    if not quiet:
        parts = [f"added {_plural(len(result.added), 'source')}"]
        if result.replaced:
            parts.append(f"replaced {len(result.replaced):,}")
        if result.relabelled:
            parts.append(f"relabelled {len(result.relabelled):,}")
        if result.unchanged:
            parts.append(f"unchanged {len(result.unchanged):,}")
        notice(
            f"{store.location}: {', '.join(parts)} ({_plural(result.paragraphs, 'paragraph')} "
            f"written); the archive holds {_plural(paragraphs, 'paragraph')} of "
            f"{_plural(sources, 'source')}"
        )


@o.command("archive remove")
def remove(
    archive: Archive,
    sources: Annotated[
        list[str] | None,
        typer.Argument(help="Sources to remove, as archived (paths, or FILE#ID for records)."),
    ] = None,
    label: Annotated[
        str | None, typer.Option("--label", help="Remove every source with this label.")
    ] = None,
    *,
    quiet: bool,
) -> None:
    """Remove sources (and all their paragraphs) from the archive, in one atomic write."""
    if not sources and label is None:
        raise UsageError("name the sources to remove, or give --label")
    store = open_archive(archive, write=True)
    try:
        stored = store.settings()
        stale = None if stored is None else stored.outdated()
        if stale is not None:
            raise ArchiveError(store.location, stale)
        names = [source_name(s) for s in sources or []]
        if label is not None:
            names += [n for n, info in store.sources().items() if info.label == label]
        known = store.sources(names)
        removed = store.remove(sorted(set(names)))
        _, paragraphs = store.totals()
    finally:
        store.close()
    if not quiet:
        gone = sum(known[n].paragraphs for n in removed if n in known)
        missing = sorted(set(n for n in names if n not in known))
        line = (
            f"{store.location}: removed {_plural(len(removed), 'source')} "
            f"({_plural(gone, 'paragraph')})"
        )
        if missing:
            line += f"; not archived: {', '.join(missing)}"
        notice(line + f"; the archive holds {_plural(paragraphs, 'paragraph')}")


def _stats_data(store: Store, counts: Counts) -> dict[str, Any]:
    settings = store.settings()
    assert settings is not None
    return {
        "archive": store.location,
        "backend": "redis" if counts.size_note.startswith("Redis") else "sqlite",
        "sources": counts.sources,
        "paragraphs": counts.paragraphs,
        "labels": {("" if k is None else k): v for k, v in sorted(counts.labels.items(), key=str)},
        "first_added": counts.first_added,
        "last_added": counts.last_added,
        "settings": settings.as_dict(),
        "size": {"bytes": counts.size_bytes, "measure": counts.size_note},
    }


def stats(
    archive: Archive,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show what the archive holds: sources, paragraphs, labels, dates, settings, size."""
    store = open_archive(archive)
    try:
        data = _stats_data(store, store.counts())
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    s = data["settings"]
    labels = ", ".join(f"{k or '(none)'} {v:,}" for k, v in data["labels"].items()) or "-"
    size = data["size"]["bytes"]
    per = f", {size / data['paragraphs']:,.0f} per paragraph" if data["paragraphs"] else ""
    rows = [
        ("archive", f"{data['archive']} ({data['backend']})"),
        ("sources", f"{data['sources']:,}"),
        ("paragraphs", f"{data['paragraphs']:,}"),
        ("labels", labels),
        ("added", f"{data['first_added'] or '-'} to {data['last_added'] or '-'}"),
        (
            "settings",
            f"--ngram {s['ngram']} --num-perm {s['num_perm']} --seed {s['seed']} "
            f"({s['scheme']}, {s['hashfunc']}), tokenizer {s['tokenizer']['version']} "
            f"(Unicode {s['tokenizer']['unicode'] or '?'}), archive format {s['format']}",
        ),
        (
            "index",
            f"LSH {s['lsh']['bands']} bands of {s['lsh']['rows']} rows (Jaccard "
            f"{s['lsh']['threshold']:g}), short-paragraph keys for --threshold "
            f"{s['near_threshold']:g}, containment prefixes for --containment {s['containment']:g}",
        ),
        ("size", f"{size:,} bytes ({data['size']['measure']}){per}"),
    ]
    for key, value in rows:
        typer.echo(visible(f"{key:<11} {value}"))  # labels are anyone's text


def export(
    archive: Archive,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write the JSONL here (default stdout).")
    ] = None,
    signatures: Annotated[
        bool, typer.Option("--signatures", help="Include each MinHash signature.")
    ] = False,
) -> None:
    """Write every archived paragraph as one JSON line (by source, then paragraph)."""
    store = open_archive(archive)
    lines: list[str] = []
    try:
        for p in store.paragraphs():
            record: dict[str, Any] = {
                "source": p.source,
                "paragraph": p.paragraph,
                "lines": list(p.lines),
                "label": p.label,
                "added": p.added,
                "words": p.words,
                "fingerprint": p.digest.hex(),
                "text": p.text.rstrip("\r\n"),
            }
            if signatures:
                record["signature"] = [int(v) for v in p.signature]
            lines.append(json.dumps(record, ensure_ascii=False))
    finally:
        store.close()
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    if output is not None and output != "-":
        write_atomic(output, data)
    else:
        write_stdout(data)


COMMANDS = (("add", add), ("remove", remove), ("stats", stats), ("export", export))
