"""Meetings: a YAML file naming the committee, date, venue and the agenda items in order."""
# (annotations as objects, not text: see the note in reportgen/content/model.py)

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from reportgen.errors import ContentError, Problem, ReportgenError
from reportgen.content.model import Date, empty_list
from reportgen.content.safepath import STYLE_NAME, attachment_suffix_ok, inside
from reportgen.content.load import LoadedReport, load_report
from reportgen.content.validation import validate_mapping
from reportgen.content.yamlio import Positions, read_yaml

if TYPE_CHECKING:
    from reportgen.content.parsed import Store

STANDARD_TITLES = {
    "apologies": "Apologies for absence",
    "declarations": "Declarations of interest",
    "minutes": "Minutes of the previous meeting",
    "public_questions": "Public questions",
    "other": "",
}


class AgendaItem(BaseModel):
    """One agenda item: a report (by path) or a standard item."""

    # defer_build: a model's validator is built when it first validates, so a command pays only for the models it uses
    model_config = ConfigDict(extra="forbid", defer_build=True)

    report: str | None = Field(None, description="Path of the report folder, relative to the meeting file.")
    standard: Literal["apologies", "declarations", "minutes", "public_questions", "other"] | None = Field(
        None, description="A standard item instead of a report.")
    title: str | None = Field(None, description="Title of a standard item (defaults to the usual wording).")
    note: str | None = Field(None, description="A line printed under a standard item on the front sheet.")
    file: str | None = Field(None, description="Supporting PDF, DOCX or ODT for a standard item, relative to the meeting file (Word and OpenDocument files are converted tagged).")

    @model_validator(mode="after")
    def _one_kind(self) -> "AgendaItem":
        if (self.report is None) == (self.standard is None):
            raise ValueError("give exactly one of report or standard")
        if self.standard == "other" and not self.title:
            raise ValueError("a standard item of kind 'other' needs a title")
        return self


class Contact(BaseModel):
    """The officer to contact about the agenda (democratic services)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    name: str = Field(description="Their name.")
    role: str | None = Field(None, description="Their job title, e.g. Democratic Services Officer.")
    phone: str | None = Field(None, description="Telephone number.")
    email: str | None = Field(None, description="Email address.")


class Representation(BaseModel):
    """A representation received about holding part of the meeting in private (reg 5(4)), and the answer."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    received_from: str = Field(description="Who made it (a person or organisation, as it may be published).")
    summary: str = Field(description="What they said, in short.")
    response: str = Field(description="The council's response, printed in the 5-day notice.")


class Urgency(BaseModel):
    """The urgency route of reg 5(6)/5(7): agreement that the private meeting is urgent and cannot
    reasonably be deferred, when the 28 or 5 clear days' notice could not be given."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    agreed_by: str = Field(description="Who agreed: the chair of the overview and scrutiny committee, or the chairman (or vice-chairman) of the council, by name and title.")
    reasons: str = Field(description="Why the meeting is urgent and cannot reasonably be deferred (published in the notice).")


class PrivateMeeting(BaseModel):
    """The notices of a private meeting (SI 2012/2089 reg 5), made before the meeting by `reportgen notices`."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    contact: Contact | None = Field(None, description="Who to send representations to (default: the agenda's contact).")
    representations: list[Representation] = Field(default_factory=empty_list, description="Representations received about holding the meeting in private, with the council's response.")
    urgency: Urgency | None = Field(None, description="The reg 5(6)/5(7) route, when a notice is made after its deadline.")


class Meeting(BaseModel):
    """A committee meeting and its agenda (meeting.yaml): what the front sheet and the packs print."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    committee: str = Field(description="Committee name, e.g. Cabinet.")
    style: str = Field(description="House style of the front sheet.", pattern=STYLE_NAME)
    date: Date = Field(description="Meeting date.")
    time: str = Field(description="Start time, e.g. 2.00 pm.")
    venue: str = Field(description="Where the meeting is held.")
    publication_date: Date = Field(description="Date the agenda is planned to be published. The date printed is the day `publish` runs (or its later --today), and after the first publication the date the publication history records.")
    membership: list[str] = Field(default_factory=empty_list, description="Members of the committee, as printed on the front sheet, e.g. 'Councillor A Name (Chair)'.")
    contact: Contact | None = Field(None, description="The officer to contact about the agenda.")
    items: list[AgendaItem] = Field(description="Agenda items in order; exempt reports go last, after the exclusion resolution the front sheet prints (an exempt report before an open item is an error, unless exempt_last is true).")
    exempt_last: bool = Field(False, description="Move exempt reports after every open item (Part 2), keeping their order, and say so in a warning, instead of refusing a meeting file that lists one among open items.")
    urgency_statement: str | None = Field(None, description="Why a late agenda is urgent (LGA 1972 s.100B(4)(b)): the chair's reasons, printed on the front sheet and the meeting page.")
    private_meeting: PrivateMeeting | None = Field(None, description="For a meeting with exempt items: the contact, representations received and any urgency route of its private-meeting notices (reg 5).")


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
    positions: Positions = field(default_factory=Positions)
    #: What loading changed and the clerk should know (exempt items moved into Part 2).
    warnings: list[str] = field(default_factory=list)
    #: Set by publish from the publication history: the day of this revision of an agenda published
    #: before (meeting.publication_date is then the first publication's date).
    revised: dt.date | None = None

    def problem(self, loc: tuple[str | int, ...], message: str) -> Problem:
        """A problem located at `loc` in the meeting file."""
        return self.positions.problem(self.path, loc, message)

    def where(self, loc: tuple[str | int, ...]) -> tuple[int, int]:
        return self.positions.find(loc)

    @property
    def slug(self) -> str:
        return self.path.stem


def named_files(path: Path) -> tuple[str | None, list[tuple[int, str, Path]]]:
    """A meeting file's style and the paths its items name, (item index, "report" or "file", path), read
    without validating it: for watching a meeting and for finding a report on two agendas, where a
    broken file is another command's to report. Both empty when the file cannot be read at all."""
    try:
        data, _ = read_yaml(path)
    except ReportgenError:
        return None, []
    if not isinstance(data, dict):
        return None, []
    style = data.get("style") if isinstance(data.get("style"), str) else None
    items = data.get("items")
    named = []
    for i, spec in enumerate(items if isinstance(items, list) else []):
        for key in ("report", "file"):
            value = spec.get(key) if isinstance(spec, dict) else None
            if isinstance(value, str):
                named.append((i, key, path.parent / value))
    return style, named


def load_meeting(path: Path, parsed: "Store | None" = None) -> LoadedMeeting:
    """Read and validate a meeting file and every report it names; all problems are raised together.
    `parsed`: where the reports' parsed data is remembered (content.load.load_report)."""
    data, pos = read_yaml(path)
    meeting = validate_mapping(Meeting, data, pos, path, "a meeting")
    problems: list[Problem] = []
    items = []
    for i, spec in enumerate(meeting.items):
        report, file = None, None
        if spec.report is not None and not (path.parent / spec.report / "report.yaml").is_file():
            problems.append(pos.problem(path, ("items", i, "report"),
                                     f"no report.yaml in {path.parent / spec.report}"))
        elif spec.report is not None:
            try:
                # meetings/../reports/x is shown as reports/x, as the folder's own commands show it
                report = load_report(Path(os.path.normpath(path.parent / spec.report)), parsed)
            except ReportgenError as exc:
                problems += exc.problems or [pos.problem(path, ("items", i, "report"), str(exc))]
        if spec.file is not None:
            file, why = inside(path.parent, spec.file, must_exist=True)
            if why or not attachment_suffix_ok(spec.file):
                problems.append(pos.problem(path, ("items", i, "file"), why or f"not a PDF, DOCX or ODT file: {spec.file}"))
        items.append(Item(i + 1, spec, report, file))
    warnings: list[str] = []
    if not problems:
        items, found = _part2_last(items, meeting.exempt_last)
        where = [pos.problem(path, ("items", item.number - 1, "report"), message) for item, message in found]
        if meeting.exempt_last:
            warnings = [str(p) for p in where]
        else:
            problems += where
    if problems:
        raise ContentError(problems=problems)
    return LoadedMeeting(path, meeting, items, pos, warnings)


def _part2_last(items: list[Item], reorder: bool) -> tuple[list[Item], list[tuple[Item, str]]]:
    """Part 2 comes after every open item (LGA 1972 s.100A(4)): each exempt report listed before an open
    item, with what to do; and, when `reorder`, the items with the exempt ones moved last and renumbered."""
    last_open = max((i for i, item in enumerate(items) if not item.exempt), default=-1)
    early = [item for item in items[:last_open] if item.exempt]
    if not early:
        return items, []
    after = items[last_open]
    if reorder:
        found = [(item, f"exempt item {item.number} ({item.title}) was listed before open item {after.number}: "
                        "moved into Part 2, after every open item (exempt_last: true); items renumbered")
                 for item in early]
        ordered = [item for item in items if not item.exempt] + [item for item in items if item.exempt]
        return [Item(n, item.spec, item.report, item.file) for n, item in enumerate(ordered, start=1)], found
    return items, [(item, f"exempt item {item.number} ({item.title}) comes before open item {after.number} "
                          f"({after.title}): Part 2 (the exempt items, after the resolution to exclude the press and "
                          "public) must come after every open item; move it down, or set exempt_last: true to have "
                          "reportgen move it") for item in early]

