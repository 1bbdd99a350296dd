"""Writing a results file while keeping its hand-written notes across re-runs."""

from __future__ import annotations

import sys
from pathlib import Path

NOTES = "## Notes"  # a results-file section from this heading on is kept on re-runs


def write_results(out: Path, text: str) -> None:
    """Write ``text`` to ``out``, carrying over the old file's ``## Notes`` section."""
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    if NOTES in old:
        text += "\n" + old[old.index(NOTES) :]
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
