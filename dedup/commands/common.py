"""Input handling shared by the commands that take files and folders."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from dedup.config import Config
from dedup.discover import discover
from dedup.jsonl import RecordError, is_jsonl, read_jsonl, skipped_message
from dedup.models import Document
from dedup.reader import read_document
from dedup.writers.console import notice


@dataclass(frozen=True, slots=True)
class JsonlOptions:
    """How JSONL inputs are read."""

    text_field: str = "text"
    id_field: str | None = None
    on_error: str = "skip"


@dataclass
class Inputs:
    """The documents read, and the JSONL lines that could not be used."""

    documents: list[Document] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)


def load_documents(
    paths: list[str] | None,
    cfg: Config,
    encoding: str | None,
    jsonl: JsonlOptions | None = None,
    *,
    quiet: bool = False,
) -> list[Document]:
    """Expand ``paths`` (default ``.``) by the configuration and read every document.

    JSONL files (``.jsonl``, ``.ndjson``, optionally ``.gz``/``.zst``) give one document
    per record; their unusable lines are reported on stderr unless ``quiet``.
    """
    jsonl = jsonl or JsonlOptions()
    files = discover(
        paths or ["."],
        extensions=cfg.values["extensions"],
        include=cfg.values["include"],
        exclude=cfg.values["exclude"],
        base=str(cfg.base),
    )
    syntax = cfg.settings().syntax.value
    allow_lists = {os.path.abspath(p) for p in cfg.allow_files()}
    out = Inputs()
    for f in files:
        if f != "-" and os.path.abspath(f) in allow_lists:
            continue  # the allow-list is configuration, not a document
        if is_jsonl(f):
            jf = read_jsonl(
                f,
                text_field=jsonl.text_field,
                id_field=jsonl.id_field,
                on_error=jsonl.on_error,
                syntax="text" if syntax == "auto" else syntax,
                doc_offset=len(out.documents),
            )
            out.documents.extend(jf.documents)
            out.errors.extend(jf.errors)
            if not quiet:
                for warning in jf.warnings(jsonl.id_field):
                    notice(warning)
        else:
            out.documents.append(read_document(f, encoding=encoding, syntax=syntax))
    if out.errors and not quiet:
        for path in dict.fromkeys(e.path for e in out.errors):
            notice(skipped_message([e for e in out.errors if e.path == path]))
    return out.documents
