"""Decisions files: what was actually decided, per agenda item of a meeting or for one individual decision.

A meeting's decisions sit beside its meeting file (`2026-12-15-cabinet.decisions.yaml` beside
`2026-12-15-cabinet.yaml`); an individual (cabinet member or officer) decision sits in the report
folder as `decision.yaml`. By default the decision is the recommendations as printed; `amended`
writes in what was decided instead. The call-in deadline is never typed: it is computed.
"""
# (annotations as objects, not text: see the note in reportgen/content/model.py)

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, model_validator

from reportgen.content.model import Date, Markdown, Strict, empty_list
from reportgen.content.validation import validate_mapping
from reportgen.content.yamlio import Loc, Positions, format_loc, read_yaml
from reportgen.errors import Problem

#: An individual decision's file, beside its report.yaml.
DECISION_FILE = "decision.yaml"
#: A meeting's decisions file is the meeting file's name with this suffix instead of .yaml.
DECISIONS_SUFFIX = ".decisions.yaml"


class Interest(Strict):
    """A conflict of interest declared by a member or officer consulted, and any dispensation."""

    name: str = Field(description="Who declared the interest.")
    interest: str = Field(description="The interest declared.")
    dispensation: str | None = Field(None, description="The dispensation granted (what it allows, and when); none if absent.")
    granted_by: str | None = Field(None, description="Who granted the dispensation (the head of paid service, or the standards committee), by name and title; required with a dispensation.")

    @model_validator(mode="after")
    def _granted(self) -> "Interest":
        if (self.dispensation or "").strip() and not (self.granted_by or "").strip():
            raise ValueError("a dispensation must say who granted it (granted_by)")
        return self


class Decision(Strict):
    """What was decided on one report, as the decision notice records it."""

    amended: list[Markdown] | None = Field(None, description="The decision as made, one entry per lettered part, when it differs from the recommendations.")
    reasons: list[Markdown] | None = Field(None, description="Reasons for an amended decision (the report's reasons are used otherwise).")
    alternatives: list[Markdown] | None = Field(None, description="The alternative options considered and rejected, when not every option of the report was; each must be one of the report's.")
    public_summary: Markdown | None = Field(None, description="For an exempt report: the decision as it may be published, without the exempt information.")
    public_reasons: list[Markdown] | None = Field(None, description="For an exempt report: the reasons for the decision, worded for the public record (required).")
    public_alternatives: list[Markdown] | None = Field(None, description="For an exempt report: the alternative options considered and rejected, worded for the public record (required; [] when there were none).")
    interests: list[Interest] = Field(default_factory=empty_list, description="Conflicts of interest declared, with any dispensation.")
    call_in: bool = Field(True, description="False when the decision is exempt from call-in.")
    urgency: str | None = Field(None, description="Why the decision is exempt from call-in (urgency), when call_in is false.")
    call_in_deadline: Date | None = Field(None, description="Never typed: the deadline is computed from the publication date and the house style's call-in period (check RG410).")

    @model_validator(mode="after")
    def _urgency(self) -> "Decision":
        if not self.call_in and not (self.urgency or "").strip():
            raise ValueError("a decision exempt from call-in needs an urgency statement saying why")
        if self.call_in and self.urgency:
            raise ValueError("an urgency statement is given but call_in is true; set call_in: false")
        return self


class ItemDecision(Decision):
    """The decision on one agenda item of a meeting."""

    item: int = Field(ge=1, description="The agenda item number (a report item).")


class MeetingDecisions(Strict):
    """A meeting's decisions file."""

    published: Date | None = Field(None, description="Only to schedule the notices for a later day: the date printed is the day `reportgen decisions` runs (or its later --today), never earlier, and never before the meeting; the call-in period runs from it.")
    items: list[ItemDecision] = Field(default_factory=empty_list, description="Decisions on the meeting's report items; an item not listed was decided as recommended.")


class IndividualDecision(Decision):
    """An individual (cabinet member or officer) decision, beside its report."""

    published: Date | None = Field(None, description="Only to schedule the notice for a later day: the date printed is the day `reportgen decisions` runs (or its later --today), never earlier, and never before the decision; the call-in period runs from it.")
    decided: Date | None = Field(None, description="Date the decision was taken (default: the report's decision_date).")
    consulted: list[str] = Field(default_factory=empty_list, description="The executive members consulted on the decision: an interest must be declared by one of them (or the decision maker).")


@dataclass
class DecisionsFile:
    """A validated decisions file with where it came from, for located messages."""

    path: Path
    positions: Positions

    def problem(self, loc: Loc, message: str) -> Problem:
        line, col = self.positions.find(loc)
        return Problem(self.path, line, col, format_loc(loc), message)


def decisions_path(meeting_file: Path) -> Path:
    """Where a meeting's decisions file lives: beside it, `<name>.decisions.yaml`."""
    return meeting_file.with_name(meeting_file.name.removesuffix(".yaml").removesuffix(".yml") + DECISIONS_SUFFIX)


def load_meeting_decisions(path: Path) -> tuple[MeetingDecisions, DecisionsFile]:
    """Read and validate a meeting's decisions file; every problem in it is raised together."""
    data, pos = read_yaml(path)
    return (validate_mapping(MeetingDecisions, data, pos, path, "a decisions file", example=" (items)"),
            DecisionsFile(path, pos))


def load_individual_decision(path: Path) -> tuple[IndividualDecision, DecisionsFile]:
    """Read and validate an individual decision's file; every problem in it is raised together."""
    data, pos = read_yaml(path)
    return (validate_mapping(IndividualDecision, data, pos, path, "a decision file", example=" (decided, ...)"),
            DecisionsFile(path, pos))
