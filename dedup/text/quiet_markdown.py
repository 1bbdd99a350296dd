"""markdown-it-py parsers whose block rules do not log.

Each of markdown-it-py's block rules calls ``LOGGER.debug`` every time it is tried: a
paragraph tries about ten rules, so a docs tree of 150,000 paragraphs makes millions of
calls that log nothing (about a tenth of the block parse). ``quiet`` gives one parser
instance copies of its block rules that see a logger doing nothing; the library's modules,
loggers and every other parser are left as they are.
"""

from __future__ import annotations

import logging
import types
from typing import Any

from markdown_it import MarkdownIt


class _Silent:
    """A stand-in for a rule module's ``LOGGER``: ``debug`` does nothing."""

    def debug(self, *args: Any, **kwargs: Any) -> None:
        return None


_SILENT = _Silent()


def _quiet_copy(fn: Any) -> Any:
    """Return ``fn`` bound to a copy of its module's globals whose ``LOGGER`` is silent."""
    if not isinstance(fn, types.FunctionType) or not isinstance(
        fn.__globals__.get("LOGGER"), logging.Logger
    ):
        return fn
    copy = types.FunctionType(
        fn.__code__,
        {**fn.__globals__, "LOGGER": _SILENT},
        fn.__name__,
        fn.__defaults__,
        fn.__closure__,
    )
    copy.__kwdefaults__ = fn.__kwdefaults__
    copy.__qualname__ = fn.__qualname__
    copy.__doc__ = fn.__doc__
    return copy


def quiet(md: MarkdownIt) -> MarkdownIt:
    """Give ``md``'s block rules quiet copies (same order, chains and state); return ``md``."""
    ruler = md.block.ruler
    for rule in list(ruler.__rules__):
        ruler.at(rule.name, _quiet_copy(rule.fn), {"alt": list(rule.alt)})
    return md
