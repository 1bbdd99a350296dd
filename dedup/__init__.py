"""dedup: find repeated and near-repeated paragraphs, remove them, and say what was removed.

The library API (the CLI is a thin layer over it)::

    import dedup

    report = dedup.find_duplicates([dedup.read_document("post.md")])
    cleaned, report = dedup.clean(["First.\\n\\nFirst.\\n"], dedup.Settings(threshold=0.8))
"""

from __future__ import annotations

from dedup.errors import DedupError, InputError, UsageError
from dedup.models import Document, Group, Kind, Match, Paragraph, Report
from dedup.pipeline import Cleaned, clean, find_duplicates
from dedup.reader import read_document
from dedup.settings import Keep, Settings, Syntax
from dedup.stream import find_duplicates_streaming

__version__ = "0.1.0"

__all__ = [
    "Cleaned",
    "DedupError",
    "Document",
    "Group",
    "InputError",
    "Keep",
    "Kind",
    "Match",
    "Paragraph",
    "Report",
    "Settings",
    "Syntax",
    "UsageError",
    "__version__",
    "clean",
    "find_duplicates",
    "find_duplicates_streaming",
    "read_document",
]
