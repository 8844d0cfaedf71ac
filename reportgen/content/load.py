"""Load stage: find report folders and read each report.yaml into a validated Report."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from reportgen.errors import ContentError, Problem
from reportgen.content.model import Report
from reportgen.content.safepath import inside
from reportgen.content.signoff import SignOff, content_digest, digest, read_signoffs, text_digest
from reportgen.content.validation import validate_mapping
from reportgen.content.yamlio import Positions, parse_yaml, read_source

if TYPE_CHECKING:
    from reportgen.content.parsed import Store

REPORT_FILE = "report.yaml"


@dataclass
class LoadedReport:
    """A validated report with where it came from, for located messages and sign-off digests."""

    folder: Path
    file: Path
    text: str
    report: Report
    positions: Positions
    signoffs: "list[SignOff]" = field(default_factory=list)
    #: the parsed YAML, kept so the digest need not parse the file again
    data: Any = field(default=None, repr=False)
    #: What report.publication_date is: "plan", as typed in report.yaml (`build`: an author's copy, printed as a
    #: plan); set by publish before layout (publish.run._date_reports), "published", the day the report was made
    #: public with its agenda, or "draft", the day a draft was made. `revised`: the day a revision changed it.
    dated: Literal["plan", "published", "draft"] = "plan"
    revised: dt.date | None = None

    @cached_property
    def digest(self) -> str:
        """Digest of the content as it stands, compared with each sign-off's."""
        if self.data is None:
            return content_digest(self.folder, self.text, self.file)
        return digest(self.folder, self.data)

    @cached_property
    def text_digest(self) -> str:
        """Digest of the exact text and appendix files; equal to a record's, the content is unchanged."""
        return text_digest(self.folder, self.text, self.data)

    def problem(self, loc: tuple[str | int, ...], message: str) -> Problem:
        return self.positions.problem(self.file, loc, message)


def find_reports(paths: list[Path]) -> list[Path]:
    """Every folder holding a report.yaml under the given paths (a path may be the folder itself)."""
    found: list[Path] = []  # kept as the user wrote them (relative stays relative) for readable messages
    for path in paths:
        if not path.exists():
            raise ContentError(f"{path}: no such file or folder")
        if path.is_file():
            found.append(path.parent)
        elif (path / REPORT_FILE).is_file():
            found.append(path)
        else:
            found.extend(p.parent for p in sorted(path.rglob(REPORT_FILE)))
    unique: dict[Path, Path] = {}
    for p in found:
        unique.setdefault(p.resolve(), Path(os.path.normpath(p)))
    return sorted(unique.values())


def load_report(folder: Path, parsed: Store | None = None) -> LoadedReport:
    """Read and validate one report; every problem in the file is raised together. `parsed`: where its
    parsed data is remembered by its text (content.parsed), for a publish that loads many unchanged reports."""
    file = folder / REPORT_FILE if folder.is_dir() else folder
    folder = file.parent
    text = read_source(file)
    if parsed is None:
        data, pos = parse_yaml(text, file)
    else:  # publish only: the commands that load a report or two pay nothing for it
        from reportgen.content.parsed import parse_cached

        data, pos = parse_cached(text, file, parsed)
    report = validate_mapping(Report, data, pos, file, "a report", example=" (style, title, ...)")
    loaded = LoadedReport(folder, file, text, report, pos, data=data)
    problems = consistency(loaded)
    if problems:
        raise ContentError(problems=problems)
    loaded.signoffs = read_signoffs(folder, parsed)
    return loaded


def consistency(loaded: LoadedReport) -> list[Problem]:
    """What the schema alone cannot see: unsafe appendix paths, a publication date after the meeting."""
    r, problems = loaded.report, []
    for i, app in enumerate(r.appendices or []):
        if app.file is None:
            continue
        _, why = inside(loaded.folder, app.file)
        if why:
            problems.append(loaded.problem(("appendices", i, "file"), why))
    if r.publication_date and r.date and r.publication_date > r.date and not r.urgency_statement:
        problems.append(loaded.problem(("publication_date",), f"published {r.publication_date.isoformat()}, "
                                       f"after the decision on {r.date.isoformat()}"))
    return problems
