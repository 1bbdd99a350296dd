"""Input handling shared by the commands that take files and folders: what they print."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from dedup.config import Config
from dedup.core.models import Document
from dedup.errors import UsageError
from dedup.inputs.sources import Inputs, JsonlOptions
from dedup.writers.console import notice
from dedup.writers.output import same_target


def tell(inputs: Inputs) -> None:
    """Print what the first reading of ``inputs`` found to say (``Inputs.notes``)."""
    for line in inputs.notes():
        notice(line)


def load_documents(
    paths: list[str] | None,
    cfg: Config,
    encoding: str | None,
    jsonl: JsonlOptions | None = None,
    *,
    quiet: bool = False,
    no_ignore: bool = False,
) -> list[Document]:
    """Expand ``paths`` (default ``.``) by the configuration and read every document.

    JSONL files (``.jsonl``, ``.ndjson``, optionally ``.gz``/``.zst``) give one document
    per record; their unusable lines are reported on stderr unless ``quiet``.
    """
    inputs = Inputs.found(paths, cfg, encoding, jsonl, no_ignore=no_ignore)
    docs = list(inputs.documents())
    if not quiet:
        tell(inputs)
    return docs


def refuse_a_checked_file(option: str, target: str | None, documents: Iterable[str]) -> None:
    """Refuse an output that is a file the run read, found by walking a folder included
    (``dedup check docs -o docs/install.md`` would replace a page with the report).

    Only an existing target can be one; it is compared by identity (device and inode), so
    a link or another spelling is caught too. A JSONL record (``c.jsonl#7``) is its file.
    """
    if target is None or target == "-" or not os.path.isfile(target):
        return
    st = os.stat(target)
    seen: set[str] = set()
    for name in documents:
        path = name if os.path.isfile(name) else name.rsplit("#", 1)[0]
        if path in seen:
            continue
        seen.add(path)
        try:
            other = os.stat(path)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
            raise UsageError(f"{option} {target} is a file this run checks; give it its own file")


def refuse_an_input(option: str, target: str | None, paths: Sequence[str] | None) -> None:
    """Refuse an output that is one of the files named as inputs, however spelled.

    Checked before the run, on the files named on the command line; the files a folder
    walk finds are checked after it (``refuse_a_checked_file``).
    """
    if target is None or target == "-":
        return
    for path in paths or ():
        if path != "-" and not os.path.isdir(path) and same_target(target, path):
            other = f" {path}" if path != target else ""
            raise UsageError(f"{option} {target} is the input file{other}; give it its own file")


def nothing_to_check(cfg: Config, files: int) -> None:
    """Tell the user there is nothing to check (no file matched, or the files hold none)."""
    if files:
        s = "s" if files != 1 else ""
        notice(f"nothing to check: the {files} file{s} found hold{'' if s else 's'} no document")
    else:
        notice(f"no files to check (looked for {', '.join(cfg.extensions)})")
