"""One DOCX to convert, and what converts it: shared by the in-process pool (pool.py) and the client of
the warm LibreOffice server (server.py), so that a command using the server imports neither pikepdf nor
the pool."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from reportgen.pdf.structure import Tree


@dataclass(frozen=True)
class Finished:
    """What the pool's finishing thread knows of a PDF it finished: the bytes it saved as the job's PDF,
    and the counts of the structure tree (what inspect.read_tree counts) of the Pdf saved as them. Handed
    to a job's `finished` hook so a caller can make what it needs of the document (a published copy, say)
    from these bytes, without reading the file again or counting its structure again."""

    data: bytes
    tree: Tree


@dataclass
class Job:
    """One DOCX to convert, and the metadata its PDF must carry."""

    docx: Path
    pdf: Path
    title: str
    date: dt.date | None = None
    author: str = ""
    #: Called by the in-process pool with the finished PDF, once it is written and before `done`. A job
    #: converted elsewhere (the LibreOffice server) never calls it: `done` must not count on it.
    finished: Callable[[Finished], None] | None = None


class PdfConverter(Protocol):
    """What converts jobs: the pool in this process (pool.Converter) or the server (server.ServerConverter)."""

    def start(self, wanted: int | None = None) -> None: ...

    def wait_started(self) -> None: ...

    def convert(self, jobs: list[Job], done: Callable[[Job], None] | None = None) -> None: ...

    def close(self) -> None: ...
