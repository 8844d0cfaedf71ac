"""One DOCX to convert, and what converts it: shared by the in-process pool (pool.py) and the client of
the warm LibreOffice server (server.py), so that a command using the server imports neither pikepdf nor
the pool."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass
class Job:
    """One DOCX to convert, and the metadata its PDF must carry."""

    docx: Path
    pdf: Path
    title: str
    date: dt.date | None = None
    author: str = ""


class PdfConverter(Protocol):
    """What converts jobs: the pool in this process (pool.Converter) or the server (server.ServerConverter)."""

    def start(self, wanted: int | None = None) -> None: ...

    def wait_started(self) -> None: ...

    def convert(self, jobs: list[Job], done: Callable[[Job], None] | None = None) -> None: ...

    def close(self) -> None: ...
