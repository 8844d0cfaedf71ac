"""House styles: a folder under templates/ holding profile.yaml and a docxtpl template."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from reportgen.errors import Problem, StyleError
from reportgen.content.model import EXTRA_KEYS, SECTION_KEYS
from reportgen.content.validation import validate_mapping
from reportgen.content.yamlio import read_yaml

def _bundled() -> Path:
    """The house styles shipped with reportgen.

    A wheel carries them as package data in reportgen/styles/ (pyproject maps the repository's
    top-level templates/ there); a checkout or an editable install reads templates/ itself.
    """
    package = Path(__file__).resolve().parent.parent
    installed = package / "styles"
    return installed if installed.is_dir() else package.parent / "templates"


#: Where the bundled house styles live.
TEMPLATES_DIR = _bundled()

LETTERINGS = ("(a)", "(A)", "a)", "A)", "a.", "A.", "(i)")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _one_key(value: Any) -> Any:
    """`key: purpose` is shorthand for `keys: [purpose]`."""
    if isinstance(value, dict) and "key" in value:
        value = dict(value)
        value["keys"] = [value.pop("key")]
    return value


class SectionSpec(_Strict):
    """Where one or more content sections go, under which heading, numbered or not."""

    keys: list[str] = Field(description="Content sections printed under this heading (key is shorthand for one).")
    heading: str | None = Field(None, description="Heading wording; null prints no heading.")
    numbered: bool = Field(True, description="Whether its paragraphs carry paragraph numbers.")

    @model_validator(mode="after")
    def _known(self) -> "SectionSpec":
        for key in self.keys:
            if key not in SECTION_KEYS + EXTRA_KEYS:
                raise ValueError(f"unknown section '{key}'; known: {', '.join(SECTION_KEYS + EXTRA_KEYS)}")
        return self


class Numbering(_Strict):
    """How paragraphs are numbered."""

    scheme: Literal["continuous", "section"] = Field("continuous", description="continuous 1, 2, 3 across sections, or section.paragraph 1.1, 2.3.")
    paragraph: str = Field("{n}.", description="Printed number; {n} paragraph, {s} section.")
    reference: str = Field("{n}", description="How a [[label]] reference prints the number.")
    heading: str | None = Field(None, description="Section scheme: number printed before a heading, e.g. '{s}.0'.")


class RecommendationStyle(_Strict):
    """How the recommendations block is printed."""

    lead_in: str = Field("That:", description="Default lead-in words.")
    lettering: Literal["(a)", "(A)", "a)", "A)", "a.", "A.", "(i)"] = Field("(a)", description="Item lettering.")
    numbered: bool = Field(False, description="Whether the lead-in takes a paragraph number.")


class Texts(_Strict):
    """Fixed wording the house style prints."""

    general_duty: str = Field(description="The s.149 general duty wording (Markdown), quoted in the equality section.")
    key_decision: str = Field("Key decision", description="Decision-type statement for a key decision.")
    key_decision_statement: str = Field("", description="Statutory statement printed under a key decision.")
    non_key_decision: str = Field("Non-key", description="Decision-type statement for a non-key decision.")
    wards_all: str = Field("All wards", description="Printed when all wards are affected.")
    wards_none: str = Field("None", description="Printed when no ward is affected.")
    wards_label: str = Field("Wards affected", description="What the style calls the wards affected (e.g. 'Divisions affected'), as a label in the web edition.")
    classification_open: str = Field("Open", description="Classification of an open report.")
    classification_exempt: str = Field("Not for publication: exempt under paragraph {paragraphs} of Schedule 12A to the Local Government Act 1972", description="Classification of an exempt report; {paragraphs}.")
    appendix: str = Field("{id}. {title}", description="An appendix line; {id}, {title}.")
    appendix_exempt: str = Field("{id}. {title} (not for publication: paragraph {paragraphs} of Schedule 12A)", description="An exempt appendix line; {id}, {title}, {paragraphs}.")
    forward_plan: str = Field("Forward plan reference: {ref}", description="Printed under a key decision; {ref}.")
    option: str = Field("{option} {reason}", description="An alternative option paragraph; {option}, {reason}.")
    risk_column: str = Field("Risk", description="Heading of the risk column.")
    mitigation_column: str = Field("Mitigation", description="Heading of the mitigation column.")
    contact_officer: str = Field("Contact officer: {name}", description="A contact officer line; {name}, {role}.")
    contact_member: str = Field("Contact member: {name}", description="The lead member line; {name}, {role}.")
    reviewer_columns: list[str] = Field(default_factory=lambda: ["Role", "Name", "Date"], description="Headings of the reviewers table.")
    glossary_columns: list[str] = Field(default_factory=lambda: ["Term", "Meaning"], description="Headings of the glossary table.")
    impact_assessment_done: str = Field("An equality impact assessment has been completed.", description="Printed when an EIA was done.")
    impact_assessment_not_done: str = Field("An equality impact assessment has not been completed.", description="Printed when none was done.")


class AgendaTexts(_Strict):
    """Wording of the agenda front sheet."""

    title: str = Field("{committee}: agenda", description="Front-sheet title; {committee}, {date}.")
    item: str = Field("{number}. {title}", description="An item heading; {number}, {title}.")
    pages: str = Field("Pages {first} to {last}", description="Where an item is in the pack; {first}, {last}.")
    page: str = Field("Page {first}", description="Where a one-page item is in the pack; {first}.")
    report_by: str = Field("Report by {report_by}", description="Who the report is by; {report_by}.")
    wards: str = Field("Wards affected: {wards}", description="Wards; {wards}.")
    key: str = Field("Key decision (forward plan reference {ref})", description="A key decision; {ref}.")
    exempt: str = Field("Not for publication: exempt information under paragraph {paragraphs} of Part 1 of Schedule 12A to the Local Government Act 1972. The report is not included in the public pack.", description="An exempt item; {paragraphs}.")
    exempt_appendix: str = Field("Appendix {id} is not for publication: paragraph {paragraphs} of Schedule 12A.", description="An exempt appendix of an open item; {id}, {paragraphs}.")
    pack_title: str = Field("{committee}, {date}: agenda pack", description="Title of the public pack; {committee}, {date}.")
    private_title: str = Field("{committee}, {date}: private papers (not for publication)", description="Title of the private pack.")
    private_marking: str = Field("NOT FOR PUBLICATION – paragraph {paragraphs} of Schedule 12A", description="Stamped on every page of the private pack; {paragraphs}.")
    page_stamp: str = Field("Agenda pack page {page}", description="Printed on every page of a pack; {page}.")


class Profile(_Strict):
    """A council's house style: everything about a report's shape that is not content."""

    name: str = Field(description="Human name of the style.")
    council: str = Field(description="Council name, for document metadata.")
    template: str = Field("template.docx", description="The docxtpl template, relative to the style folder.")
    agenda_template: str = Field("agenda.docx", description="The agenda front-sheet template, relative to the style folder.")
    date_format: str = Field("%-d %B %Y", description="strftime format of dates; %o is the day with its ordinal (18th).")
    numbering: Numbering = Field(default_factory=Numbering)
    recommendations: RecommendationStyle = Field(default_factory=RecommendationStyle)
    sections: list[Annotated[SectionSpec, BeforeValidator(_one_key)]] = Field(description="Body sections in print order.")
    required_sections: list[str] = Field(default_factory=list, description="Content sections a report must have.")
    required_reviewers: list[str] = Field(default_factory=list, description="Reviewer roles that must sign off.")
    text: Texts
    known_acronyms: list[str] = Field(default_factory=list, description="Acronyms readers need no expansion of.")
    agenda: AgendaTexts = Field(default_factory=lambda: AgendaTexts(), description="Front-sheet wording.")
    key_decision_threshold: float = Field(500000, description="Spending or saving (pounds) from which a decision is key.")
    rules: dict[str, Any] = Field(default_factory=dict, description="Per-rule overrides for reportgen check.")

    # set by load_profile, not read from the file
    folder: Path = Field(Path("."), exclude=True)

    @property
    def template_path(self) -> Path:
        return self.folder / self.template

    @property
    def agenda_path(self) -> Path:
        return self.folder / self.agenda_template

    def format_date(self, value: Any) -> str:
        if value is None:
            return ""
        fmt = self.date_format.replace("%o", _ordinal(value.day))
        text: str = value.strftime(fmt)
        return text


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


_FIELD = re.compile(r"\{(\w*)\}")


def fill(pattern: str, **values: Any) -> str:
    """Fill a profile pattern such as '{id}. {title}'.

    Only plain {name} fields: a profile is data, so no attribute or index access, and
    content values are inserted once, never re-parsed as a pattern.
    """
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise StyleError(f"unknown field {{{name}}} in house-style text '{pattern}' "
                             f"(known: {', '.join('{' + k + '}' for k in values)})")
        return str(values[name])
    return _FIELD.sub(value, pattern)


@dataclass(frozen=True)
class StylePath:
    """Where house styles are found: a project's own folders first, then the bundled styles.

    A project's style overrides a bundled one of the same name. `rules` are the project's rule
    overrides (reportgen.yaml), applied over every style's own.
    """

    folders: tuple[Path, ...] = ()
    rules: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, styles: "Styles") -> "StylePath":
        if isinstance(styles, StylePath):
            return styles
        return cls(tuple(styles or ()))

    @property
    def dirs(self) -> list[Path]:
        return [*self.folders, TEMPLATES_DIR]


#: What every function that finds a house style accepts: a StylePath, or just the project's folders.
Styles = StylePath | list[Path] | None


def style_dirs(extra: Styles = None) -> list[Path]:
    return StylePath.of(extra).dirs


def available_styles(extra: Styles = None) -> list[str]:
    names: set[str] = set()
    for root in style_dirs(extra):
        if root.is_dir():
            names.update(p.parent.name for p in root.glob("*/profile.yaml"))
    return sorted(names)


@lru_cache(maxsize=64)
def _load(folder: Path) -> Profile:
    path = folder / "profile.yaml"
    data, pos = read_yaml(path)
    profile = validate_mapping(Profile, data, pos, path, "a profile", StyleError)
    profile.folder = folder
    if not profile.template_path.is_file():
        line, col = pos.find(("template",))
        raise StyleError(problems=[Problem(path, line, col, "template", f"template file not found: {profile.template_path}")])
    return profile


def load_profile(style: str, extra: Styles = None) -> Profile:
    """Find and validate the named house style; StyleError lists the known ones if absent."""
    path = StylePath.of(extra)
    for root in path.dirs:
        folder = root / style
        if (folder / "profile.yaml").is_file():
            profile = _load(folder.resolve())
            if path.rules:
                profile = profile.model_copy(update={"rules": {**profile.rules, **dict(path.rules)}})
            return profile
    known = ", ".join(available_styles(path)) or "none"
    raise StyleError(f"unknown house style '{style}' (known styles: {known})")
