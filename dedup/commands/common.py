"""Input handling shared by the commands that take files and folders."""

from __future__ import annotations

from dedup.config import Config
from dedup.discover import discover
from dedup.models import Document
from dedup.reader import read_document


def load_documents(paths: list[str] | None, cfg: Config, encoding: str | None) -> list[Document]:
    """Expand ``paths`` (default ``.``) by the configuration and read every document."""
    files = discover(
        paths or ["."],
        extensions=cfg.values["extensions"],
        include=cfg.values["include"],
        exclude=cfg.values["exclude"],
    )
    syntax = cfg.settings().syntax.value
    return [read_document(f, encoding=encoding, syntax=syntax) for f in files]
