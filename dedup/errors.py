"""Typed errors raised by the library; only the CLI turns them into messages and exit codes."""

from __future__ import annotations


class DedupError(Exception):
    """Base class of every error dedup raises on purpose."""


class UsageError(DedupError):
    """An option or combination of options that cannot work."""


class InputError(DedupError):
    """An input that cannot be read as text: missing, a directory, binary, badly encoded."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        # Pickled by its fields (the Dask engine sends it from a worker to the client).
        return (type(self), (self.path, self.problem))
