"""Expand command-line paths into the documents to check.

Directories are walked recursively for the configured extensions; hidden files and
folders are skipped, and so are files git ignores when the folder is inside a git work
tree (tracked files are never ignored) unless ``no_ignore``. ``include``/``exclude`` are
globs matched gitignore-style (see :func:`glob_match`).

What cannot be walked is collected, not raised: a folder that cannot be read, a symbolic
link that points nowhere or to itself. The caller reports these with the files that
cannot be read (``dedup check``: error findings, or warnings under ``--on-error skip``).
"""

from __future__ import annotations

import errno
import functools
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dedup.errors import InputError


@dataclass(slots=True)
class Found:
    """The files a walk found, what git ignores among them, and what could not be walked."""

    files: list[str] = field(default_factory=list)
    ignored: int = 0  # files skipped because git ignores them
    problems: list[InputError] = field(default_factory=list)


def discover(
    paths: Sequence[str],
    *,
    extensions: Iterable[str],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    base: str | None = None,
    no_ignore: bool = False,
) -> Found:
    """Return the files to read, in a stable order, as paths relative to how they were given.

    ``exclude`` applies to every file, named or found (so a pre-commit hook that passes
    file names honours it); ``include`` and the extensions only filter folder walks.
    Globs are matched against the path as written, the path relative to the current
    folder and to ``base`` (the configuration file's folder), and the file name; a glob
    that matches a parent folder (``docs/legal`` or ``legal``) excludes what is inside.
    """
    exts = {e.lower() if e.startswith(".") else f".{e.lower()}" for e in extensions}
    roots = [os.getcwd()] + ([os.path.abspath(base)] if base else [])
    found = Found()
    seen: set[str] = set()
    for given in paths:
        if given == "-":
            found.files.append("-")
            continue
        p = Path(given)
        if not p.exists():
            if p.is_symlink():  # named on the command line: it must be readable
                raise InputError(given, _broken_link(given))
            raise InputError(given, "no such file or directory")
        if p.is_file():
            candidates = [given]
        else:
            candidates, problems = _walk(p, given, exts)
            if include:
                candidates = [c for c in candidates if _matches(c, given, roots, include)]
            if not no_ignore:
                kept = _not_ignored(p, candidates)
                found.ignored += len(candidates) - len(kept)
                candidates = kept
            if exclude:
                problems = [e for e in problems if not _matches(e.path, given, roots, exclude)]
            found.problems.extend(problems)
        if exclude:
            candidates = [c for c in candidates if not _matches(c, given, roots, exclude)]
        for c in candidates:
            key = os.path.normpath(os.path.abspath(c))
            if key not in seen:
                seen.add(key)
                found.files.append(c)
    return found


def _walk(root: Path, given: str, exts: set[str]) -> tuple[list[str], list[InputError]]:
    out: list[str] = []
    problems: list[InputError] = []

    def shown(path: str) -> str:
        rel = os.path.relpath(path, root)
        if rel == ".":
            return given
        return rel if given in (".", "./") else os.path.join(given, rel)

    def unreadable(exc: OSError) -> None:
        where = shown(exc.filename) if exc.filename else given
        problems.append(InputError(where, f"cannot read folder: {exc.strerror or exc}"))

    for folder, dirs, files in os.walk(root, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or Path(name).suffix.lower() not in exts:
                continue
            path = os.path.join(folder, name)
            if not os.path.exists(path):  # a link to nothing, or to itself
                problems.append(InputError(shown(path), _broken_link(path)))
                continue
            out.append(shown(path))
    return out, problems


def _broken_link(path: str) -> str:
    """Say why the symbolic link ``path`` leads to no file."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop (the link leads back to itself)"
    try:
        target = os.readlink(path)
    except OSError:
        return "broken symbolic link"
    return f"broken symbolic link (points to {target}, which does not exist)"


def _forms(path: str, given: str, roots: Sequence[str]) -> set[str]:
    """Return the ways a user may write ``path`` in a glob, with every parent folder."""
    absolute = os.path.abspath(path)
    forms = {os.path.normpath(path), os.path.basename(path), absolute}
    if os.path.isdir(given):
        forms.add(os.path.normpath(os.path.relpath(absolute, os.path.abspath(given))))
    for root in roots:
        rel = os.path.relpath(absolute, root)
        if not rel.startswith(".."):
            forms.add(os.path.normpath(rel))
    out = set(forms)
    for form in forms:  # a folder pattern excludes the files below it
        parent = os.path.dirname(form)
        while parent and parent != os.path.dirname(parent):
            out.add(parent)
            out.add(os.path.basename(parent))
            parent = os.path.dirname(parent)
    return {f.replace(os.sep, "/") for f in out}


def _matches(path: str, given: str, roots: Sequence[str], patterns: Sequence[str]) -> bool:
    forms = _forms(path, given, roots)
    pats = [
        (os.path.normpath(p) if os.path.isabs(p) else p).replace(os.sep, "/").removeprefix("./")
        for p in patterns
    ]
    pats = [p.rstrip("/") or "/" for p in pats]
    return any(glob_match(f, pat) for pat in pats for f in forms)


def glob_match(path: str, pattern: str) -> bool:
    """Return whether ``path`` (``/``-separated) matches ``pattern``, gitignore-style.

    ``*`` and ``?`` never cross a ``/`` (``docs/*.md`` is the files directly in docs/);
    ``**`` matches any depth: ``docs/**/*.md`` is every Markdown file below docs/, at
    docs/ too, and ``docs/**`` everything below it; ``[abc]``/``[!abc]`` are one
    character of a set. Matching is case-sensitive.
    """
    return _glob_regex(pattern).match(path) is not None


@functools.lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[" and (end := _class_end(pattern, i)) > 0:
            body = pattern[i + 1 : end]
            negate = body[:1] in ("!", "^")
            body = body[1:] if negate else body
            out.append(("[^/" if negate else "[") + body.replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("(?s:" + "".join(out) + r")\Z")


def _class_end(pattern: str, start: int) -> int:
    """Return where the ``[...]`` set opened at ``start`` closes (-1: a plain ``[``).

    A ``]`` first in the set (after ``!`` or ``^``) is one of its characters.
    """
    first = start + 1
    if pattern[first : first + 1] in ("!", "^") and first < len(pattern):
        first += 1
    return pattern.find("]", first + 1)


def _not_ignored(root: Path, candidates: list[str]) -> list[str]:
    """Drop files git ignores, when ``root`` is inside a git work tree and git is installed."""
    git = shutil.which("git")
    if git is None or not candidates:
        return candidates
    inside = subprocess.run(
        [git, "-C", str(root), "rev-parse", "--is-inside-work-tree"],
        capture_output=True,
        text=True,
        check=False,
    )
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return candidates
    absolute = [os.path.abspath(c) for c in candidates]
    proc = subprocess.run(
        [git, "-C", str(root), "check-ignore", "-z", "--stdin"],
        input="\0".join(absolute) + "\0",
        capture_output=True,
        text=True,
        check=False,
    )
    ignored = {p for p in proc.stdout.split("\0") if p}
    return [c for c, a in zip(candidates, absolute, strict=True) if a not in ignored]
