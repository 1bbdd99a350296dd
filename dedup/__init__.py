"""dedup: find repeated and near-repeated paragraphs, remove them, and say what was removed.

The library API (the CLI is a thin layer over it)::

    import dedup

    report = dedup.find_duplicates([dedup.read_document("post.md")])
    cleaned, report = dedup.clean(["First.\\n\\nFirst.\\n"], dedup.Settings(threshold=0.8))
"""

from __future__ import annotations

from dedup.core.models import Document, Group, Kind, Match, Paragraph, Report
from dedup.core.settings import Keep, Settings, Syntax
from dedup.engines.pipeline import Cleaned, clean, find_duplicates
from dedup.engines.stream import find_duplicates_streaming
from dedup.errors import DedupError, InputError, UsageError
from dedup.inputs.reader import read_document

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
