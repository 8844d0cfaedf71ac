"""Meetings: a YAML file naming the committee, date, venue and the agenda items in order."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from reportgen.errors import ContentError, Problem, ReportgenError
from reportgen.content.load import LoadedReport, load_report
from reportgen.content.validation import validate_mapping
from reportgen.content.yamlio import Positions, format_loc, read_yaml

STANDARD_TITLES = {
    "apologies": "Apologies for absence",
    "declarations": "Declarations of interest",
    "minutes": "Minutes of the previous meeting",
    "public_questions": "Public questions",
    "other": "",
}


class AgendaItem(BaseModel):
    """One agenda item: a report (by path) or a standard item."""

    model_config = ConfigDict(extra="forbid")

    report: str | None = Field(None, description="Path of the report folder, relative to the meeting file.")
    standard: Literal["apologies", "declarations", "minutes", "public_questions", "other"] | None = Field(
        None, description="A standard item instead of a report.")
    title: str | None = Field(None, description="Title of a standard item (defaults to the usual wording).")
    note: str | None = Field(None, description="A line printed under a standard item on the front sheet.")
    file: str | None = Field(None, description="Supporting PDF or DOCX for a standard item, relative to the meeting file.")

    @model_validator(mode="after")
    def _one_kind(self) -> "AgendaItem":
        if (self.report is None) == (self.standard is None):
            raise ValueError("give exactly one of report or standard")
        if self.standard == "other" and not self.title:
            raise ValueError("a standard item of kind 'other' needs a title")
        return self


class Meeting(BaseModel):
    """A committee meeting and its agenda."""

    model_config = ConfigDict(extra="forbid")

    committee: str = Field(description="Committee name, e.g. Cabinet.")
    style: str = Field(description="House style of the front sheet.")
    date: dt.date = Field(description="Meeting date.")
    time: str = Field(description="Start time, e.g. 2.00 pm.")
    venue: str = Field(description="Where the meeting is held.")
    publication_date: dt.date = Field(description="Date the agenda is published.")
    members: list[str] = Field(default_factory=list, description="Membership of the committee, as listed on the meeting's web page.")
    accessibility_statement: str | None = Field(None, pattern=r"^https?://\S+$", description="Address of the council's accessibility statement, linked from the meeting's web page.")
    items: list[AgendaItem] = Field(description="Agenda items in order.")


@dataclass
class Item:
    """An agenda item with its report loaded."""

    number: int
    spec: AgendaItem
    report: LoadedReport | None
    file: Path | None

    @property
    def title(self) -> str:
        if self.report is not None:
            return self.report.report.title
        return self.spec.title or STANDARD_TITLES[self.spec.standard or "other"]

    @property
    def exempt(self) -> bool:
        return self.report is not None and self.report.report.classification.status == "exempt"


@dataclass
class LoadedMeeting:
    path: Path
    meeting: Meeting
    items: list[Item]

    @property
    def slug(self) -> str:
        return self.path.stem


def load_meeting(path: Path) -> LoadedMeeting:
    """Read and validate a meeting file and every report it names; all problems are raised together."""
    data, pos = read_yaml(path)
    meeting = validate_mapping(Meeting, data, pos, path, "a meeting")
    problems: list[Problem] = []
    items = []
    for i, spec in enumerate(meeting.items):
        report, file = None, None
        if spec.report is not None and not (path.parent / spec.report / "report.yaml").is_file():
            problems.append(_problem(path, pos, ("items", i, "report"),
                                     f"no report.yaml in {path.parent / spec.report}"))
        elif spec.report is not None:
            try:
                report = load_report(path.parent / spec.report)
            except ReportgenError as exc:
                problems += exc.problems or [_problem(path, pos, ("items", i, "report"), str(exc))]
        if spec.file is not None:
            file = path.parent / spec.file
            if not file.is_file() or file.suffix.lower() not in (".pdf", ".docx"):
                problems.append(_problem(path, pos, ("items", i, "file"), f"not a PDF or DOCX file: {spec.file}"))
        items.append(Item(i + 1, spec, report, file))
    if problems:
        raise ContentError(problems=problems)
    return LoadedMeeting(path, meeting, items)


def _problem(path: Path, pos: Positions, loc: tuple[str | int, ...], message: str) -> Problem:
    line, col = pos.find(loc)
    return Problem(path, line, col, format_loc(loc), message)
