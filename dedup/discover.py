"""Expand command-line paths into the documents to check.

Directories are walked recursively for the configured extensions; hidden files and
folders are skipped, and so are files git ignores when the folder is inside a git work
tree (tracked files are never ignored). ``--include``/``--exclude`` are fnmatch globs matched
against the path, the path relative to the folder given, and the file name.
Files named explicitly are always taken.
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
) -> list[str]:
    """Return the files to read, in a stable order, as paths relative to how they were given."""
    exts = {e.lower() if e.startswith(".") else f".{e.lower()}" for e in extensions}
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
            candidates = [c for c in candidates if _selected(c, given, include, exclude)]
            candidates = _not_ignored(p, candidates)
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


def _selected(path: str, given: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    rel = os.path.relpath(path, given) if given not in (".", "./") else path
    names = {path, rel, os.path.basename(path)}
    if include and not any(fnmatch.fnmatch(n, pat) for pat in include for n in names):
        return False
    return not any(fnmatch.fnmatch(n, pat) for pat in exclude for n in names)


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
