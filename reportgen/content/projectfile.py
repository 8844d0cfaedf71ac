"""Where a project's reportgen.yaml is: found without loading it (no model, no YAML), so that a command
that needs only its location pays nothing for the project's schema."""
from __future__ import annotations

from pathlib import Path

PROJECT_FILE = "reportgen.yaml"
#: The publication history, beside the project file (see reportgen.content.history).
HISTORY_FILE = "publications.json"


def find_project(start: Path) -> Path | None:
    """The nearest reportgen.yaml in `start` or a folder above it."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return candidate
    return None
