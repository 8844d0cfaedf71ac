"""The content schema of one report: plain typed data, documented field by field.

Every field carries a one-line description; `reportgen schema` turns this module
into JSON Schema and the README's authoring reference is generated from it.
Shorthands an author may use (a string for a one-paragraph section, a list for a
list of options) are normalised by before-validators, and declared to JSON
Schema with `json_schema_input_type` so editors accept them too.
"""
# No `from __future__ import annotations` in a module of pydantic models: pydantic would compile and
# evaluate each field's annotation from its text as the class is made; written as objects, it reads them
# as they are (about 5 ms of every command's start-up; tests/test_startup.py keeps it so).

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from reportgen.content.safepath import STYLE_NAME

Markdown = Annotated[str, Field(description="Text in reportgen's Markdown subset.")]
#: A number that prints: .inf, .nan and 1e400 (infinite) are refused.
Finite = Annotated[float, Field(allow_inf_nan=False)]
Cell = str | int | Finite
LABEL_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
#: A section key: lower-case words joined by underscores, like the built-in ones.
SECTION_KEY_PATTERN = r"^[a-z][a-z0-9_]*$"


def empty_list() -> list[Any]:
    """The default of a list field. Not `list` itself: pydantic reads each default factory's signature when it
    builds a validator, and a builtin's is parsed from text (0.2 ms each, the first one compiling tokenize's
    patterns), where a function's is read in microseconds: a dozen milliseconds of every command's start-up."""
    return []


def empty_dict() -> dict[Any, Any]:
    """The default of a mapping field (not `dict`: see empty_list)."""
    return {}


class Strict(BaseModel):
    """Unknown keys are errors, so a typo never silently drops content."""

    # defer_build: a model's validator is built when it first validates, so a command pays only for the models it uses
    model_config = ConfigDict(extra="forbid", defer_build=True)


# --- shorthands -------------------------------------------------------------

def _prose(value: Any) -> Any:
    """A single string is a one-paragraph section."""
    return [value] if isinstance(value, str) else value


def _block(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


def _wrap_list(field: str) -> Any:
    def convert(value: Any) -> Any:
        return {field: value} if isinstance(value, list) else value
    return convert


def _wards(value: Any) -> Any:
    if value == "all":
        return {"all": True}
    if value == "none":
        return {"names": []}
    if isinstance(value, list):
        return {"names": value}
    return value


def _decision_type(value: Any) -> Any:
    if value in ("key", "non-key"):
        return {"key": value == "key"}
    return value


def _background(value: Any) -> Any:
    if isinstance(value, str):
        return {"statement": value}
    if isinstance(value, list):
        return {"papers": value}
    return value


def _no_number(value: Any) -> Any:
    """A date written as a number (`0`) would be read as seconds since 1970: refuse it."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"expected a date as YYYY-MM-DD, got the number {value}")
    return value


#: A calendar date; a number is not a date.
Date = Annotated[dt.date, BeforeValidator(_no_number, json_schema_input_type=dt.date)]


def _coerce_id(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


# --- building blocks --------------------------------------------------------

class Table(Strict):
    """A data table (money, figures): rows of cells, an optional total row."""

    caption: str | None = Field(None, description="Optional caption printed above the table.")
    note: Markdown | None = Field(None, description="Optional note paragraph printed before the table, e.g. 'Figures are in £000s.'")
    columns: list[str] = Field(min_length=1, description="Column headings; marked as a repeating header row.")
    rows: list[list[Cell]] = Field(description="Rows of cells (text or numbers); text cells take inline Markdown (**bold**, *italic*, CO~2~, 4^th^); a line break stays a line break.")
    total: list[Cell] | None = Field(None, description="The total row, printed last in bold; checks compare it with the sum of the rows.")

    @model_validator(mode="after")
    def _widths(self) -> "Table":
        # A YAML flow row split by an unquoted comma would otherwise shift every later cell silently.
        width = len(self.columns)
        for i, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(f"row {i + 1} has {len(row)} cells but the table has {width} columns "
                                 "(quote cells that contain commas)")
        if self.total is not None and len(self.total) != width:
            raise ValueError(f"the total row has {len(self.total)} cells but the table has {width} columns")
        return self


class Block(Strict):
    """One numbered paragraph of prose (with its lists and tables), or a sub-heading."""

    heading: str | None = Field(None, description="A sub-heading printed before this block.")
    text: Markdown | None = Field(None, description="The paragraph's Markdown; only its first paragraph carries the number.")
    label: str | None = Field(None, pattern=LABEL_PATTERN, description="A name other text refers to as [[label]]; becomes the paragraph number.")
    numbered: bool = Field(True, description="False for a lead-in or closing paragraph the house style does not number.")
    table: Table | None = Field(None, description="A data table printed after the text.")


Prose = Annotated[
    list[Annotated[Block, BeforeValidator(_block, json_schema_input_type=Block | str)]],
    BeforeValidator(_prose, json_schema_input_type=list[Block | str] | str),
    Field(description="A section of prose: a list of blocks; a plain string is one block."),
]


class Person(Strict):
    """A named officer or member."""

    name: str = Field(description="Full name.")
    role: str | None = Field(None, description="Job title or portfolio.")
    email: str | None = Field(None, description="Email address.")
    phone: str | None = Field(None, description="Telephone number or extension.")


class Exemption(Strict):
    """Why a report or appendix is exempt from publication (LGA 1972 Schedule 12A)."""

    paragraphs: list[Annotated[int, Field(ge=1, le=7)]] = Field(default_factory=empty_list, description="Schedule 12A Part 1 paragraph numbers relied on (1-7).")
    public_interest: str | None = Field(None, description="Why the public interest in keeping it exempt outweighs disclosure.")


class Classification(Exemption):
    """Open, or exempt with its Schedule 12A paragraphs and public-interest statement."""

    status: Literal["open", "exempt"] = Field("open", description="open, or exempt (not for publication).")


class Meeting(Strict):
    """The committee meeting that takes the decision."""

    committee: str = Field(description="Committee name, e.g. Cabinet.")
    date: Date = Field(description="Meeting date, YYYY-MM-DD.")
    time: str | None = Field(None, description="Start time, e.g. 10:00.")
    venue: str | None = Field(None, description="Where the meeting is held.")


class DecisionType(Strict):
    """Key or non-key decision, with the forward-plan notice or urgency route."""

    key: bool = Field(description="True for a key decision (SI 2012/2089 reg 8).")
    statement: str | None = Field(None, description="Why this decision is key, in the report's own words, printed in place of the house style's key-decision statement (its reason); the style's notice sentence still follows.")
    key_because: list[Literal["spending", "wards"]] = Field(default_factory=empty_list, description="What makes it key (SI 2012/2089 reg 8): spending (significant expenditure or savings), wards (significant effects in two or more wards); the house style's sentence for each is printed.")
    forward_plan_ref: str | None = Field(None, description="Forward plan reference of a key decision.")
    notice_date: Date | None = Field(None, description="Date the key decision was first published in the forward plan.")
    urgency: Literal["none", "general-exception", "special-urgency"] = Field("none", description="Route used when 28 days' notice was not given (reg 10 or reg 11).")
    reason: str | None = Field(None, description="Why the decision is (or is not) key, e.g. why a decision affecting several wards is not significant.")

    @model_validator(mode="after")
    def _because_only_if_key(self) -> "DecisionType":
        if self.key_because and not self.key:
            raise ValueError("key_because is for a key decision (key: true)")
        return self


class Wards(Strict):
    """Wards affected: all, none, or named wards."""

    all: bool = Field(False, description="True when every ward is affected.")
    names: list[str] = Field(default_factory=empty_list, description="Named wards affected.")


class Recommendation(Strict):
    """One lettered recommendation."""

    text: Markdown = Field(description="What the decision maker is asked to agree.")
    table: Table | None = Field(None, description="A table belonging to this recommendation.")
    after: Markdown | None = Field(None, description="Text that continues the recommendation after its table.")
    label: str | None = Field(None, pattern=LABEL_PATTERN, description="Name to refer to this recommendation as [[label]].")


class Recommendations(Strict):
    """The recommendations block."""

    lead_in: str | None = Field(None, description="Opening words; defaults to the house style's lead-in.")
    items: list[Recommendation] = Field(description="The recommendations, lettered per house style.")


class Option(Strict):
    """An alternative option and why it is (not) recommended."""

    option: Markdown = Field(description="The option considered.")
    reason: Markdown | None = Field(None, description="Why it is not recommended (or, if recommended, why).")
    recommended: bool = Field(False, description="True for the option the report recommends.")
    label: str | None = Field(None, pattern=LABEL_PATTERN, description="Name to refer to this option as [[label]].")


class AlternativeOptions(Strict):
    """Alternative options considered."""

    intro: Prose = Field(default_factory=empty_list, description="Prose before the options.")
    options: list[Option] = Field(default_factory=empty_list, description="The options, each a numbered paragraph.")
    after: Prose = Field(default_factory=empty_list, description="Prose after the options.")


class ImpactAssessment(Strict):
    """Whether an equality impact assessment was carried out."""

    done: bool = Field(description="True when an equality impact assessment was completed.")
    summary: Markdown | None = Field(None, description="Its conclusion, or why none was needed.")


class Equality(Strict):
    """Public sector equality duty (Equality Act 2010 s.149)."""

    general_duty: bool = Field(False, description="Quote the house style's s.149 general duty wording as the first paragraph.")
    impact_assessment: ImpactAssessment | None = Field(None, description="Whether an equality impact assessment was done.")
    text: Prose = Field(default_factory=empty_list, description="The equality considerations.")


class Risk(Strict):
    """A risk (or opportunity) and its mitigation."""

    risk: str = Field(description="The risk or opportunity.")
    mitigation: str = Field(description="How it is mitigated.")


class RiskTable(Strict):
    """A table of risks, optionally under its own sub-heading."""

    heading: str | None = Field(None, description="Sub-heading printed above the table.")
    rows: list[Risk] = Field(description="Risk and mitigation rows.")


class Risks(Strict):
    """Risk management."""

    text: Prose = Field(default_factory=empty_list, description="Prose before the risk tables.")
    tables: list[RiskTable] = Field(default_factory=empty_list, description="Risk tables; a plain list of risks is one table.")


class Appendix(Strict):
    """An appendix (annex, essential reference paper) published with the report."""

    id: Annotated[str, BeforeValidator(_coerce_id, json_schema_input_type=str | int)] = Field(description="Its number or letter as printed, e.g. 1 or A.")
    title: str = Field(description="Its title.")
    file: str | None = Field(None, description="Path of its DOCX or PDF, relative to the report folder.")
    exempt: Exemption | None = Field(None, description="Set when this appendix alone is exempt.")


class BackgroundPapers(Strict):
    """Background papers (LGA 1972 s.100D), or a statement that there are none."""

    papers: list[str] = Field(default_factory=empty_list, description="Each unpublished document relied on.")
    statement: str | None = Field(None, description="Printed instead of a list, e.g. 'None identified'.")


class Reviewer(Strict):
    """A reviewer who cleared the report."""

    role: str = Field(description="Reviewer role, e.g. Governance, Finance, Legal.")
    name: str | None = Field(None, description="Who reviewed it.")
    date: Date | None = Field(None, description="When they cleared it.")


RisksContent = Annotated[Risks, BeforeValidator(_wrap_list("tables"), json_schema_input_type=Risks | list[RiskTable])]
OptionsContent = Annotated[AlternativeOptions, BeforeValidator(_wrap_list("options"), json_schema_input_type=AlternativeOptions | list[Option])]

#: The content type of each kind of section a house style may declare of its own.
SECTION_KINDS: dict[str, Any] = {
    "prose": Prose, "statement": Prose, "risks": RisksContent, "table": Table, "people": list[Person],
    "options": OptionsContent,
}
#: A style's own section as loaded, before the style is known: typed by its kind when the style binds it
#: (reportgen.style.sections), so a value's problems are reported against the kind the style declares.
SectionContent = Annotated[Any, BeforeValidator(lambda value: value, json_schema_input_type=
                                                Prose | RisksContent | Table | list[Person] | OptionsContent)]


class Report(Strict):
    """One report for one decision."""

    # front matter
    style: str = Field(pattern=STYLE_NAME, description="House style: the name of a folder under templates/.")
    title: str = Field(description="Title of the report.")
    decision_maker: str = Field(description="Who takes the decision: Cabinet, Council, a cabinet member, an officer.")
    meeting: Meeting | None = Field(None, description="The meeting, for a committee decision.")
    decision_date: Date | None = Field(None, description="Decision date, for an individual (cabinet member or officer) decision.")
    report_by: str | None = Field(None, description="Director or officer the report is by.")
    author: str | None = Field(None, description="The officer who wrote the report: they may not clear it as s.151 officer, monitoring officer or legal (without it, the signature block and contact officers count as its authors).")
    lead_member: Person | None = Field(None, description="Lead (executive / cabinet) member, printed as contact member.")
    contact_officers: list[Person] = Field(default_factory=empty_list, description="Contact officers.")
    signature: Person | None = Field(None, description="Signature block of the report author, where the style prints one.")
    classification: Classification = Field(default_factory=lambda: Classification(), description="Open or exempt.")
    decision_type: Annotated[DecisionType, BeforeValidator(_decision_type, json_schema_input_type=DecisionType | Literal["key", "non-key"])] | None = Field(None, description="Key or non-key; 'key' and 'non-key' are shorthands.")
    decision_value: float | None = Field(None, ge=0, allow_inf_nan=False, description="Spending or saving the decision commits, in pounds.")
    wards: Annotated[Wards, BeforeValidator(_wards, json_schema_input_type=Wards | Literal["all", "none"] | list[str])] | None = Field(None, description="Wards affected: all, none, or a list of ward names.")
    publication_date: Date | None = Field(None, description="Date the report is planned to be published with the agenda (checked by RG401). Published with a meeting, it prints the agenda's publication date instead, the day `publish` made it public (with \"revised on\" once a revision changed the report); built alone (`build`), \"not yet (planned for …)\".")
    urgency_statement: str | None = Field(None, description="Why a late report is urgent (LGA 1972 s.100B(4)(b)).")
    dated: str | None = Field(None, description="Date line printed at the end, e.g. 'October 2019'.")
    headings: dict[str, str] = Field(default_factory=empty_dict, description="Per-report heading wording, by section key, overriding the house style.")
    front: dict[Annotated[str, Field(pattern=SECTION_KEY_PATTERN)], Any] = Field(default_factory=empty_dict, description="Front-page fields the house style declares of its own (front_page.fields), by key; `reportgen schema --style NAME` lists them.")

    # sections, in no particular order: the house style orders them
    purpose: Prose | None = Field(None, description="Purpose and summary / executive summary.")
    recommendations: Annotated[Recommendations, BeforeValidator(_wrap_list("items"), json_schema_input_type=Recommendations | list[Recommendation])] | None = Field(None, description="Recommendations; a plain list is the items.")
    reasons: Prose | None = Field(None, description="Reasons for the recommendations.")
    alternative_options: Annotated[AlternativeOptions, BeforeValidator(_wrap_list("options"), json_schema_input_type=AlternativeOptions | list[Option])] | None = Field(None, description="Alternative options; a plain list is the options.")
    key_considerations: Prose | None = Field(None, description="Key considerations / background, with sub-headings.")
    community_impact: Prose | None = Field(None, description="Community impact.")
    environmental_impact: Prose | None = Field(None, description="Environmental impact.")
    equality: Equality | None = Field(None, description="Equality duty.")
    financial: Prose | None = Field(None, description="Resource / financial implications.")
    legal: Prose | None = Field(None, description="Legal implications.")
    risks: Annotated[Risks, BeforeValidator(_wrap_list("tables"), json_schema_input_type=Risks | list[RiskTable])] | None = Field(None, description="Risk management.")
    consultees: Prose | None = Field(None, description="Consultees and what they said.")
    conclusion: Prose | None = Field(None, description="Concluding remarks.")
    appendices: list[Appendix] | None = Field(None, description="Appendices.")
    background_papers: Annotated[BackgroundPapers, BeforeValidator(_background, json_schema_input_type=BackgroundPapers | str | list[str])] | None = Field(None, description="Background papers; a string is a statement such as 'None'.")
    reviewers: list[Reviewer] | None = Field(None, description="Report reviewers (sign-off table).")
    glossary: dict[str, str] | None = Field(None, description="Glossary: term or acronym -> meaning.")
    sections: dict[Annotated[str, Field(pattern=SECTION_KEY_PATTERN)], SectionContent] = Field(default_factory=empty_dict, description="Sections the house style declares of its own (e.g. climate_change), by the key its profile gives, each in the shape of its kind; `reportgen schema --style NAME` lists them.")

    @field_validator("headings")
    @classmethod
    def _heading_keys(cls, value: dict[str, str]) -> dict[str, str]:
        # A misspelt key (purpsoe) would otherwise be ignored and the house style's heading printed.
        for key in value:
            if key not in SECTION_KEYS + EXTRA_KEYS:
                import difflib  # here: only a misspelt name needs it, and every command imports this module
                guess = difflib.get_close_matches(key, SECTION_KEYS + EXTRA_KEYS, n=1)
                hint = f" (did you mean `{guess[0]}`?)" if guess else ""
                raise ValueError(f"unknown section key '{key}'{hint}")
        return value

    @property
    def date(self) -> dt.date | None:
        """The meeting date, or the decision date for an individual decision."""
        return self.meeting.date if self.meeting else self.decision_date


#: Content sections a house style may order, in the order DOMAIN.md lists them.
SECTION_KEYS: tuple[str, ...] = (
    "purpose", "recommendations", "reasons", "alternative_options", "key_considerations",
    "community_impact", "environmental_impact", "equality", "financial", "legal", "risks",
    "consultees", "conclusion", "appendices", "background_papers", "reviewers", "glossary",
)
#: Blocks a style may place among the sections that come from front matter.
EXTRA_KEYS: tuple[str, ...] = ("signature", "contacts", "dated")
