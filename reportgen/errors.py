"""Every error reportgen raises on purpose; the CLI catches ReportgenError once."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one input file, located like a compiler message."""

    file: Path | str
    line: int
    col: int
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class ReportgenError(Exception):
    """Base class: an input or environment problem the user can fix (exit code 2)."""

    def __init__(self, message: str = "", problems: list[Problem] | None = None) -> None:
        self.problems = list(problems or [])
        super().__init__(message or "\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[object, ...]:
        # Keep the problems when an error crosses a process boundary (parallel check).
        return (self.__class__, (str(self), self.problems))


class ContentError(ReportgenError):
    """Raised when a report's content files are missing, unparsable or invalid."""


class StyleError(ReportgenError):
    """Raised when a house style is unknown, or its profile or template is broken."""


class RenderError(ReportgenError):
    """Raised when a template fails to render (bad Jinja tag, undefined variable)."""


class ConversionError(ReportgenError):
    """Raised when LibreOffice is missing or a PDF export fails or is not tagged."""


class PublishError(ReportgenError):
    """Raised when a meeting cannot be published (bad meeting file, gate refused)."""


class JobsFailed(ConversionError):
    """Some jobs of a batch failed; `failures` holds each job with its reason."""

    def __init__(self, failures: list[tuple[Any, str]], total: int) -> None:
        self.failures = failures
        lines = [f"{len(failures)} of {total} PDF export(s) failed:"]
        lines += [f"  {job.docx} -> {job.pdf}: {reason}" for job, reason in failures]
        super().__init__("\n".join(lines))


class PublishRefused(PublishError):
    """Raised when the publish gate finds check errors, missing or stale sign-offs, or an inaccessible
    supplied document; `remains` says what earlier output is left in place."""

    def __init__(self, reasons: list[str], remains: str = "") -> None:
        self.reasons = reasons
        self.remains = remains
        super().__init__("publish refused:\n" + "\n".join(f"  {r}" for r in reasons)
                         + (f"\n{remains}" if remains else ""))

    def __reduce__(self) -> tuple[object, ...]:
        return (self.__class__, (self.reasons, self.remains))


class SignRefused(ReportgenError):
    """Raised when `reportgen sign --strict` meets check errors: the content is not ready to clear."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("sign-off refused (--strict): the report has check errors:\n"
                         + "\n".join(f"  {r}" for r in reasons))

    def __reduce__(self) -> tuple[object, ...]:
        return (self.__class__, (self.reasons,))
