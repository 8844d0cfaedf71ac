"""Every error reportgen raises on purpose; the CLI catches ReportgenError once."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# What a quoted key, value or path may not carry to a terminal raw: C0 controls, DEL and C1 controls (ESC
# and CSI move the cursor or rewrite the screen, BEL rings, CR overwrites the line), line and paragraph
# separators (one message would become several lines), bidirectional overrides (text shown reordered),
# and lone surrogates (an undecodable file name; printing one would fail).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x80 else f"U+{code:04X}"


def printable(text: object, keep_newlines: bool = False) -> str:
    """`text` safe to print as one line: every control character shown escaped (ESC as \\x1b, CSI as
    U+009B); other text (accents, £, –, emoji) untouched. With `keep_newlines`, line feeds stay (a
    message of several lines that reportgen itself composed)."""
    if keep_newlines:
        return "\n".join(printable(line) for line in str(text).split("\n"))
    return _UNPRINTABLE.sub(_escape, str(text))


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one input file, located like a compiler message."""

    file: Path | str
    line: int
    col: int
    key: str
    message: str

    def __str__(self) -> str:
        return self.located()

    def located(self, label: str = "") -> str:
        """`file:line:col: [label ]key: message`, printable as one line: every message and finding is
        turned into text here (or by printable), so a hostile key, value or folder name cannot reach a
        terminal raw."""
        return located(self.file, self.line, self.col, f"{label} " if label else "",
                       f"{self.key}: {self.message}" if self.key else self.message)


def located(file: Path | str, line: int, col: int, label: str, text: str) -> str:
    """One located line, `file:line:col: ` then `label` and `text`, with every control character escaped."""
    return printable(f"{file}:{line}:{col}: {label}{text}")


class ReportgenError(Exception):
    """Base class: an input or environment problem the user can fix (exit code 2)."""

    def __init__(self, message: str = "", problems: list[Problem] | None = None) -> None:
        self.problems = list(problems or [])
        # Messages name paths and quote values: escaped here, once, for every error reportgen raises.
        super().__init__(printable(message, keep_newlines=True) if message
                         else "\n".join(str(p) for p in self.problems))

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
