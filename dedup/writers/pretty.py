"""Indented JSON for reports and notes, written by orjson (a report can list 10**5 documents)."""

from __future__ import annotations

from typing import Any

import orjson


def pretty_json(data: Any) -> bytes:
    """Return ``data`` as UTF-8 JSON indented by two spaces, non-ASCII kept, ending in a newline.

    The same text as ``json.dumps(data, indent=2, ensure_ascii=False)``, made once as
    bytes (a big report is not copied into a ``str`` and back), except that floats
    below 1e-4 or from 1e16 up are spelled without an exponent sign (``0.00001``, ``1e16``):
    the same numbers to any JSON reader.
    """
    options = (
        orjson.OPT_INDENT_2
        | orjson.OPT_NON_STR_KEYS
        | orjson.OPT_SERIALIZE_NUMPY
        | orjson.OPT_APPEND_NEWLINE
    )
    return orjson.dumps(data, option=options)
