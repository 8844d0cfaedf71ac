"""What a publish returns, shared by the part that decides (publish.run) and the part that builds (publish.write)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.publish.paths import PUBLIC

#: Told the name of each step as it finishes (a progress bar).
Progress = Callable[[str], None]


@dataclass
class PublishResult:
    folder: Path
    written: bool
    manifest: dict[str, Any]
    refused: list[str]
    #: Supplied documents published although not accessible (accepted, or a draft): one line each.
    inaccessible: list[str] = field(default_factory=list)

    @property
    def public(self) -> Path:
        return self.folder / PUBLIC
