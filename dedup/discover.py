"""Expand command-line paths into the documents to check.

Directories are walked recursively for the configured extensions; hidden files and
folders are skipped, and so are files git ignores when the folder is inside a git work
tree (tracked files are never ignored). ``include``/``exclude`` are fnmatch globs.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from dedup.errors import InputError


def discover(
    paths: Sequence[str],
    *,
    extensions: Iterable[str],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    base: str | None = None,
) -> list[str]:
    """Return the files to read, in a stable order, as paths relative to how they were given.

    ``exclude`` applies to every file, named or found (so a pre-commit hook that passes
    file names honours it); ``include`` and the extensions only filter folder walks.
    Globs are matched against the path as written, the path relative to the current
    folder and to ``base`` (the configuration file's folder), and the file name; a glob
    that matches a parent folder (``docs/legal`` or ``legal``) excludes what is inside.
    """
    exts = {e.lower() if e.startswith(".") else f".{e.lower()}" for e in extensions}
    roots = [os.getcwd()] + ([os.path.abspath(base)] if base else [])
    found: list[str] = []
    seen: set[str] = set()
    for given in paths:
        if given == "-":
            found.append("-")
            continue
        p = Path(given)
        if not p.exists():
            raise InputError(given, "no such file or directory")
        if p.is_file():
            candidates = [given]
        else:
            candidates = _walk(p, given, exts)
            if include:
                candidates = [c for c in candidates if _matches(c, given, roots, include)]
            candidates = _not_ignored(p, candidates)
        if exclude:
            candidates = [c for c in candidates if not _matches(c, given, roots, exclude)]
        for c in candidates:
            key = os.path.normpath(os.path.abspath(c))
            if key not in seen:
                seen.add(key)
                found.append(c)
    return found


def _walk(root: Path, given: str, exts: set[str]) -> list[str]:
    out: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or Path(name).suffix.lower() not in exts:
                continue
            rel = os.path.relpath(os.path.join(folder, name), root)
            out.append(rel if given in (".", "./") else os.path.join(given, rel))
    return out


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
    return any(fnmatch.fnmatch(f, pat) for pat in pats for f in forms)


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
