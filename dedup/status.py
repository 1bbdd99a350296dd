"""Exit statuses: a contract scripts rely on."""

from __future__ import annotations

from enum import IntEnum, unique


@unique
class ExitCode(IntEnum):
    """What ``dedup`` returns to the shell."""

    OK = 0
    FOUND = 1  # repeats found (check; diff with --exit-code)
    ERROR = 2  # usage, configuration or input error
    INTERNAL = 3  # a failure in dedup itself (a bug, or the machine out of memory)
