"""Print the README's N-th set-up command (the first ``sh`` code blocks at its top)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def setup_commands() -> list[str]:
    """Return the commands of the ``sh`` blocks before the first second-level heading."""
    top = README.read_text(encoding="utf-8").split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", top, flags=re.S)]


if __name__ == "__main__":
    print(setup_commands()[int(sys.argv[1]) - 1])
