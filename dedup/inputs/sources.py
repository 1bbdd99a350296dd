"""The inputs of a run: the files paths name, read as documents as often as an engine asks.

Nothing here prints: what could not be read is raised, or kept in ``Inputs.errors`` for the
caller to report, and ``Inputs.notes`` gives what the user should be told.
"""

from __future__ import annotations

import itertools
import os
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from dedup.config import Config
from dedup.core.models import Document
from dedup.core.prepare import Progress
from dedup.errors import InputError
from dedup.inputs.discover import Found, discover
from dedup.inputs.jsonl import (
    JsonlFile,
    Limits,
    is_jsonl,
    iter_records,
    lines,
    record_document,
    skipped_message,
)
from dedup.inputs.reader import mapped_syntax, read_document


@dataclass(frozen=True, slots=True)
class JsonlOptions:
    """How JSONL inputs are read."""

    text_field: str = "text"
    id_field: str | None = None
    on_error: str = "skip"
    limits: Limits = field(default_factory=Limits)


def find_inputs(paths: list[str] | None, cfg: Config, *, no_ignore: bool = False) -> Found:
    """Return the files ``paths`` (default ``.``) name under the configuration, in order,
    with the count of files git ignores and what the walk could not read.

    Allow-list files are left out: they are configuration, not documents.
    """
    found = discover(
        paths or ["."],
        extensions=cfg.extensions,
        include=cfg.values["include"],
        exclude=cfg.values["exclude"],
        base=str(cfg.base),
        no_ignore=no_ignore,
    )
    allow_lists = {os.path.abspath(p) for p in cfg.allow_files()}
    found.files = [f for f in found.files if f == "-" or os.path.abspath(f) not in allow_lists]
    return found


def input_files(paths: list[str] | None, cfg: Config, *, no_ignore: bool = False) -> list[str]:
    """Return the files ``paths`` (default ``.``) name; the first folder or link the walk
    could not read is an error (``dedup check`` reports them all instead)."""
    found = find_inputs(paths, cfg, no_ignore=no_ignore)
    if found.problems:
        raise found.problems[0]
    return found.files


def ignored_message(count: int) -> str:
    """Say how many files were skipped because git ignores them."""
    s = "s" if count != 1 else ""
    return f"skipped {count} file{s} git ignores (--no-ignore checks them)"


class Inputs:
    """The files of a run, read as documents in order, as often as the engine asks.

    Files are read one at a time and JSONL corpora one record at a time, so no pass holds
    the whole input. Standard input is read once and kept. The first reading counts the
    unusable JSONL lines; ``report`` tells the user about them.

    With ``collect_errors``, a file that cannot be read (missing, binary, badly encoded)
    and what the folder walk could not read (``walked.problems``) are kept in ``errors``
    and the other files are read; later passes skip the same files. Without it, the first
    one is raised. JSONL files are read as before (their lines follow ``--on-error``).
    """

    def __init__(
        self,
        files: list[str],
        syntax: str,
        encoding: str | None,
        jsonl: JsonlOptions | None = None,
        *,
        walked: Found | None = None,
        collect_errors: bool = False,
        syntax_map: Mapping[str, str] | None = None,
    ) -> None:
        self.syntax_map = dict(syntax_map or {})
        self.errors: list[InputError] = list(walked.problems) if walked is not None else []
        if self.errors and not collect_errors:
            raise self.errors[0]
        self.collect_errors = collect_errors
        self.ignored = walked.ignored if walked is not None else 0
        self._bad: set[int] = set()  # files that could not be read in the first pass
        self.jsonl = jsonl or JsonlOptions()
        self.encoding = encoding
        self.files = files
        self.syntax = syntax
        self.corpora: list[JsonlFile] = []
        self._stdin: Document | None = None
        self._read = False
        self.consumed = 0  # bytes read so far in this pass, for the progress bar
        # Where each document of the first reading came from: file number, JSONL line.
        self._file_of = array("l")
        self._line_of = array("q")

    @classmethod
    def found(
        cls,
        paths: list[str] | None,
        cfg: Config,
        encoding: str | None,
        jsonl: JsonlOptions | None = None,
        *,
        no_ignore: bool = False,
        collect_errors: bool = False,
    ) -> Inputs:
        """Return the inputs that ``paths`` (default ``.``) name under the configuration."""
        found = find_inputs(paths, cfg, no_ignore=no_ignore)
        return cls(
            found.files,
            cfg.settings().syntax.value,
            encoding,
            jsonl,
            walked=found,
            collect_errors=collect_errors,
            syntax_map=cfg.syntax_map,
        )

    @property
    def size(self) -> int | None:
        """Return the bytes of input on disk, or None when some cannot be known ahead."""
        total = 0
        for f in self.files:
            if f == "-" or f.lower().endswith((".gz", ".zst")):
                return None
            try:
                total += os.path.getsize(f)
            except OSError:
                return None
        return total

    def documents(self) -> Iterator[Document]:
        """Yield every document, in order; JSONL records are named ``FILE#ID``."""
        first = not self._read
        self.consumed = 0
        for number, f in enumerate(self.files):
            if is_jsonl(f):
                counts = JsonlFile(path=f, text_field=self.jsonl.text_field)
                syntax = "text" if self.syntax == "auto" else self.syntax
                for record, doc in iter_records(
                    f,
                    counts,
                    id_field=self.jsonl.id_field,
                    on_error=self.jsonl.on_error,
                    syntax=syntax,
                    limits=self.jsonl.limits,
                ):
                    self.consumed += len(record.raw)
                    if doc is not None:
                        if first:
                            self._file_of.append(number)
                            self._line_of.append(record.line)
                        yield doc
                if first:
                    self.corpora.append(counts)
                continue
            if number in self._bad:
                continue
            try:
                if f == "-":
                    if self._stdin is None:
                        self._stdin = read_document(f, encoding=self.encoding, syntax=self.syntax)
                    doc = self._stdin
                else:
                    doc = read_document(f, encoding=self.encoding, syntax=self._syntax(f))
                    self.consumed += len(doc.encode(doc.text))
                if first:
                    self.jsonl.limits.check_paragraphs(doc)
            except InputError as exc:
                if not (first and self.collect_errors):
                    raise
                self._bad.add(number)
                self.errors.append(exc)
                continue
            if first:
                self._file_of.append(number)
                self._line_of.append(0)
            yield doc
        self._read = True

    __call__ = documents  # an ``Inputs`` is a ``stream.DocumentSource``

    def reread(self, wanted: Sequence[int]) -> Iterator[tuple[int, Document]]:
        """Yield ``(number, document)`` for each of the ``wanted`` documents (ascending),
        reading only those: lines of a JSONL file that are not wanted are not parsed."""
        if not self._read:
            raise RuntimeError("reread before the first reading")
        for number, group in itertools.groupby(wanted, key=self._file_of.__getitem__):
            f = self.files[number]
            if not is_jsonl(f):
                for i in group:
                    if f == "-":
                        assert self._stdin is not None
                        yield i, self._stdin
                    else:
                        yield i, read_document(f, encoding=self.encoding, syntax=self._syntax(f))
                continue
            at_line = {self._line_of[i]: i for i in group}
            syntax = "text" if self.syntax == "auto" else self.syntax
            for line, raw in lines(f, self.jsonl.limits):
                i = at_line.pop(line, -1)
                if i < 0:
                    continue
                doc = record_document(
                    f, line, raw, self.jsonl.text_field, self.jsonl.id_field, syntax
                )
                if doc is None:
                    raise InputError(f, f"line {line}: changed while it was being read")
                yield i, doc
                if not at_line:
                    break
            if at_line:
                raise InputError(f, "changed while it was being read (lines went missing)")

    def _syntax(self, path: str) -> str:
        return mapped_syntax(path, self.syntax, self.syntax_map)

    def progress(self, advance: Progress | None) -> Progress | None:
        """Return a progress callback that measures bytes read (what ``size`` counts)."""
        return progress_by(advance, lambda: self.consumed)

    def notes(self) -> list[str]:
        """Return what to tell the user after the first reading: the files git ignores,
        the JSONL warnings and the skipped-line counts."""
        said = [ignored_message(self.ignored)] if self.ignored else []
        for corpus in self.corpora:
            said.extend(corpus.warnings(self.jsonl.id_field))
        for corpus in self.corpora:
            if corpus.errors:
                said.append(skipped_message(corpus.errors))
        return said


def progress_by(advance: Progress | None, position: Callable[[], int]) -> Progress | None:
    """Return a progress callback that advances by ``position()`` (bytes read), not characters."""
    if advance is None:
        return None
    done = [0]

    def step(_chars: int, paragraphs: int) -> None:
        now = position()
        advance(now - done[0], paragraphs)
        done[0] = now

    return step
