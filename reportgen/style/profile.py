"""House styles: a folder under templates/ holding profile.yaml and a docxtpl template."""
# (annotations as objects, not text: see the note in reportgen/content/model.py)

import re
from contextlib import contextmanager
from functools import cached_property, lru_cache
from pathlib import Path
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from reportgen.errors import ContentError, Problem, ReportgenError, StyleError
from reportgen.content.model import EXTRA_KEYS, SECTION_KEY_PATTERN, SECTION_KEYS, empty_dict, empty_list
from reportgen.content.limits import archive_problem
from reportgen.content.safepath import inside, unsafe_style_name
from reportgen.content.validation import validate_mapping
from reportgen.content.wordlist import read_word_list
from reportgen.content.yamlio import read_yaml
from reportgen.cache import tree_digest
# Re-exported: the settings say where styles are found, and most callers look for them here.
from reportgen.style.settings import DEFAULTS as DEFAULTS, TEMPLATES_DIR as TEMPLATES_DIR, Settings as Settings

_FIELD = re.compile(r"\{(\w*)\}")
#: The fields a statement section's sentence may name, each filled from the report (reportgen.style.wording).
STATEMENT_FIELDS: dict[str, str] = {
    "title": "the report's title", "decision_maker": "who takes the decision", "committee": "the committee, or the decision maker",
    "date": "the meeting or decision date", "notice_date": "decision_type.notice_date, the date first notified in the forward plan",
    "forward_plan_ref": "decision_type.forward_plan_ref", "report_by": "report_by", "lead_member": "the lead member's name",
    "publication_date": "as the Published row prints it: the day it was published, or in a build 'not yet (planned for …)'", "wards": "the wards affected, in the style's words",
}
STATEMENT_FIELDS_DOC = ", ".join("{" + k + "} (" + v + ")" for k, v in STATEMENT_FIELDS.items())
LETTERINGS = ("(a)", "(A)", "a)", "A)", "a.", "A.", "(i)", "paragraph")


class _Strict(BaseModel):
    # defer_build: a model's validator is built when it first validates, so a command pays only for the models it uses
    model_config = ConfigDict(extra="forbid", defer_build=True)


def _one_key(value: Any) -> Any:
    """`key: purpose` is shorthand for `keys: [purpose]`."""
    if isinstance(value, dict) and "key" in value:
        value = dict(value)
        value["keys"] = [value.pop("key")]
    return value


class SectionSpec(_Strict):
    """Where one or more content sections go, under which heading, numbered or not.

    A key from the built-in catalogue (purpose, legal, risks...) takes that section as it is; any other
    key declares a section of the style's own, which needs a `kind` and is stored in a report under
    `sections:`.
    """

    key: SkipJsonSchema[None] = Field(None, exclude=True)
    keys: list[str] = Field(description="Content sections printed under this heading; `key: purpose` is shorthand for `keys: [purpose]`.")
    heading: str | None = Field(None, description="Heading wording; null prints no heading.")
    numbered: bool = Field(True, description="Whether its paragraphs carry paragraph numbers.")
    level: Literal[1, 2, 3] = Field(1, description="Heading level: 1 prints in Heading 2, 2 in Heading 3 (a sibling section one level down, as East Herts prints '2.0 Report'), 3 in Heading 4.")
    kind: Literal["prose", "statement", "risks", "table", "people", "options"] | None = Field(None, description="A section of the style's own: prose (paragraphs the author writes), statement (prints `statement` unless the report gives its own text), risks (risk and mitigation tables), table (one data table), people (names, roles and contact details) or options (options and why each is or is not recommended).")
    statement: str | None = Field(None, description="Kind statement: the sentence printed when the report gives none, e.g. 'There are no procurement implications arising from this report.' It may name report fields, filled from the report, never typed: " + STATEMENT_FIELDS_DOC + "; a report that lacks one is an error located here.")
    required: bool = Field(False, description="Every report must have this section (as if listed in required_sections).")
    guidance: str | None = Field(None, description="The guidance comment `reportgen new` writes above a section of the style's own.")
    number_items: bool = Field(False, description="Appendices, background papers and contacts: print each line as a numbered paragraph (the section must be numbered).")
    aliases: list[str] = Field(default_factory=empty_list, description="Other headings this section is printed under in the council's older reports, which `reportgen import` recognises besides `heading` and the usual wordings.")

    @model_validator(mode="after")
    def _known(self) -> "SectionSpec":
        builtin = SECTION_KEYS + EXTRA_KEYS
        own = [k for k in self.keys if k not in builtin]
        for key in own:
            if self.kind is None:
                import difflib  # here: only a misspelt name needs it, and every command imports this module
                guess = difflib.get_close_matches(key, builtin, n=1)
                hint = f" (did you mean `{guess[0]}`?)" if guess else ""
                raise ValueError(f"unknown section '{key}'{hint}; a section of the style's own needs a kind "
                                 f"(prose, statement, risks, table, people or options); built-in: {', '.join(builtin)}")
            if not re.fullmatch(SECTION_KEY_PATTERN, key):
                raise ValueError(f"section key '{key}' must be lower-case words joined by '_'")
        if self.kind is not None:
            if len(self.keys) != 1 or not own:
                raise ValueError("kind declares one section of the style's own; built-in sections have their own kind")
        if self.kind == "statement" and not self.statement:
            raise ValueError("a statement section needs its default `statement` sentence")
        if self.kind == "statement" and self.required:
            raise ValueError("a statement section always prints (its default sentence), so it cannot be required")
        if self.statement and self.kind != "statement":
            raise ValueError("`statement` belongs to a section of kind statement")
        return self

    @property
    def custom(self) -> bool:
        """True for a section the style declares of its own (stored under a report's `sections:`)."""
        return self.kind is not None


class OneSection(SectionSpec):
    """A section spec naming one content section with `key:` (shorthand for `keys: [key]`)."""

    key: str = Field(description="The one content section printed under this heading.")  # type: ignore[assignment]
    keys: SkipJsonSchema[list[str]] = Field(default_factory=empty_list)


class Numbering(_Strict):
    """How paragraphs are numbered."""

    scheme: Literal["continuous", "section"] = Field("continuous", description="continuous 1, 2, 3 across sections, or section.paragraph 1.1, 2.3.")
    paragraph: str = Field("{n}.", description="Printed number; {n} paragraph, {s} section.")
    reference: str = Field("{n}", description="How a [[label]] reference prints the number; {n} paragraph, {s} section.")
    heading: str | None = Field(None, description="Section scheme: number printed before a heading, e.g. '{s}.0'.")
    levels: dict[Literal[1, 2, 3], str] = Field(default_factory=empty_dict, description="Printed number of the paragraphs of a section at that heading level (`level:`), overriding `paragraph`, e.g. {1: '{s}.{n}.', 2: '{s}.{n}'}; {n} paragraph, {s} section.")

    @field_validator("levels")
    @classmethod
    def _level_fields(cls, value: dict[int, str]) -> dict[int, str]:
        for pattern in value.values():
            for name in _FIELD.findall(pattern):
                if name not in ("n", "s"):
                    raise ValueError(f"unknown field {{{name}}} (known: {{n}}, {{s}})")
        return value

    @field_validator("paragraph", "reference", "heading")
    @classmethod
    def _fields(cls, value: str | None, info: ValidationInfo) -> str | None:
        # Checked when the style loads, so a bad pattern is located in profile.yaml, not found mid-build.
        allowed = {"s"} if info.field_name == "heading" else {"n", "s"}
        for name in _FIELD.findall(value or ""):
            if name not in allowed:
                raise ValueError(f"unknown field {{{name}}} (known: {', '.join('{' + k + '}' for k in sorted(allowed))})")
        return value


class RecommendationStyle(_Strict):
    """How the recommendations block is printed."""

    lead_in: str = Field("That:", description="Default lead-in words.")
    lettering: Literal["(a)", "(A)", "a)", "A)", "a.", "A.", "(i)", "paragraph"] = Field("(a)", description="Item lettering; paragraph numbers each item as a paragraph of its section (2.1, 2.2) instead.")
    numbered: bool = Field(False, description="Whether the lead-in takes a paragraph number.")


class Labels(_Strict):
    """Front-matter labels a report template prints before its values, as {{ labels.<key> }}."""

    decision_maker: str = Field("Decision maker:", description="Before the decision maker.")
    title: str = Field("Title of report:", description="Before the report's title.")
    report_by: str = Field("Report by:", description="Before who the report is by.")
    classification: str = Field("Classification", description="Before the open / exempt classification.")
    decision_type: str = Field("Decision type", description="Before the key / non-key decision type.")
    wards: str = Field("Wards affected", description="Before the wards affected; a county says divisions.")
    lead_member: str = Field("Lead member", description="Before the lead member, on a front page the style declares (front_page).")
    publication_date: str = Field("Published", description="Before the publication date, on a front page the style declares (front_page).")


class KeyTests(_Strict):
    """The statutory test a key decision meets (SI 2012/2089 reg 8), one sentence per test; printed only
    when the report names it under `decision_type.key_because`."""

    spending: str = Field("", description="Significant expenditure or savings, e.g. the style's threshold.")
    wards: str = Field("", description="Significant effects on communities in two or more wards.")


class Texts(_Strict):
    """Fixed wording the house style prints."""

    general_duty: str = Field(description="The s.149 general duty wording (Markdown), quoted in the equality section.")
    labels: Labels = Field(default_factory=lambda: Labels(), description="Front-matter labels the report template prints ({{ labels.wards }}...).")
    key_decision: str = Field("Key decision", description="Decision-type statement for a key decision.")
    key_decision_statement: str = Field("", description="Why a key decision is key, printed when the report gives no `decision_type.statement` of its own (the report's replaces it); empty prints no reason.")
    key_decision_tests: KeyTests = Field(default_factory=lambda: KeyTests(), description="The statutory test sentence for each reason a report gives under `decision_type.key_because`, printed after the reason.")
    key_decision_notice: str = Field("", description="The notice sentence printed last under every key decision, whatever reason the report gives.")
    non_key_decision: str = Field("Non-key", description="Decision-type statement for a non-key decision.")
    decision_type_reason: str = Field("{type}. {reason}", description="The decision type when the report gives decision_type.reason; {type}, {reason}.")
    meeting_date_label: str = Field("Meeting date:", description="Front-matter label of the date of a committee decision (template variable date_label).")
    decision_date_label: str = Field("Decision date:", description="Front-matter label of the date of an individual (cabinet member or officer) decision (template variable date_label).")
    forward_plan_notice: str = Field("First published in the forward plan on {date}", description="When a key decision was first published in the forward plan (template variable forward_plan_notice_text); {date}, {ref}.")
    wards_all: str = Field("All wards", description="Printed when all wards are affected.")
    wards_none: str = Field("None", description="Printed when no ward is affected.")
    wards_label: str = Field("Wards affected", description="What the style calls the wards affected (a county council says divisions), as a label or column heading.")
    classification_open: str = Field("Open", description="Classification of an open report.")
    classification_exempt: str = Field("Not for publication: exempt under paragraph {paragraphs} of Schedule 12A to the Local Government Act 1972", description="Classification of an exempt report; {paragraphs}.")
    appendix: str = Field("{id}. {title}", description="An appendix line; {id}, {title}.")
    appendix_exempt: str = Field("{id}. {title} (not for publication: paragraph {paragraphs} of Schedule 12A)", description="An exempt appendix line; {id}, {title}, {paragraphs}.")
    forward_plan: str = Field("Forward plan reference: {ref}", description="Printed under a key decision; {ref}.")
    option: str = Field("{option} {reason}", description="An alternative option paragraph; {option}, {reason}.")
    risk_column: str = Field("Risk", description="Heading of the risk column.")
    mitigation_column: str = Field("Mitigation", description="Heading of the mitigation column.")
    contact_officer: str = Field("Contact officer: {name}", description="A contact officer line (lines may be several); {name}, {role}, {email}, {phone}.")
    contact_member: str = Field("Contact member: {name}", description="The lead member line (lines may be several); {name}, {role}, {email}, {phone}.")
    reviewer_columns: list[str] = Field(default_factory=lambda: ["Role", "Name", "Date"], description="Headings of the reviewers table.")
    glossary_columns: list[str] = Field(default_factory=lambda: ["Term", "Meaning"], description="Headings of the glossary table.")
    impact_assessment_done: str = Field("An equality impact assessment has been completed.", description="Printed when an EIA was done.")
    impact_assessment_not_done: str = Field("An equality impact assessment has not been completed.", description="Printed when none was done.")


class AgendaTexts(_Strict):
    """Wording of the agenda front sheet."""

    title: str = Field("{committee}, {date}: agenda", description="Front-sheet and meeting page title; {committee}, {date}.")
    item: str = Field("{number}. {title}", description="An item heading; {number}, {title}.")
    pages: str = Field("{first} to {last}", description="Page column: where an item is in the pack; {first}, {last}.")
    page: str = Field("{first}", description="Page column: where a one-page item is in the pack; {first}.")
    report_by: str = Field("Report by {report_by}", description="Who the report is by; {report_by}.")
    key: str = Field("Key decision (forward plan reference {ref})", description="A key decision; {ref}.")
    exempt: str = Field("Not for publication: exempt information under paragraph {paragraphs} of Part 1 of Schedule 12A to the Local Government Act 1972. The report is not included in the public pack.", description="An exempt item; {paragraphs}.")
    exempt_appendix: str = Field("Appendix {id} is not for publication: paragraph {paragraphs} of Schedule 12A.", description="An exempt appendix of an open item; {id}, {paragraphs} (a style with annexes says Annex).")
    membership: str = Field("Membership", description="Heading of the committee's membership.")
    contact: str = Field("Contact officer: {name}, {role}\nTel: {phone}\nEmail: {email}", description="The agenda's contact officer; lines whose fields are all empty are dropped; {name}, {role}, {phone}, {email}.")
    items_heading: str = Field("Agenda", description="Heading above the items table.")
    columns: list[str] = Field(default_factory=lambda: ["Item", "Business", "Wards", "Pages"], description="Headings of the items table: number, business, wards (a county says divisions), pages in the pack.")
    part1: str = Field("Part 1: items open to the public", description="Heading above the open items, printed when the agenda has a Part 2.")
    part2: str = Field("Part 2: items not for publication", description="Heading of the exempt items, before the exclusion resolution.")
    exclusion: str = Field("To consider passing the following resolution: That the press and public be excluded from the meeting for the business below, on the grounds that it involves the likely disclosure of exempt information as defined in paragraph {paragraphs} of Part 1 of Schedule 12A to the Local Government Act 1972 (section 100A(4) of that Act), as stated against each:", description="The proposed resolution to exclude the press and public, printed in Part 2 before the exempt items and followed by each exempt item and exempt appendix; {paragraphs}, all of them.")
    exclusion_item: str = Field("Item {number}, {title}: paragraph {paragraphs}", description="An exempt item the resolution covers; {number}, {title}, {paragraphs}.")
    exclusion_appendix: str = Field("Item {number}, {title}, {appendix} (should it be discussed): paragraph {paragraphs}", description="An exempt appendix of an open item the resolution covers; {number}, {title}, {appendix} (as the style names it, e.g. Annex B), {paragraphs}.")
    exclusion_appendix_name: str = Field("Appendix {id}", description="How the resolution names an exempt appendix; {id}, {title} (a style with annexes says Annex).")
    public_interest: str = Field("In all the circumstances of the case, the public interest in maintaining the exemption outweighs the public interest in disclosing the information (paragraph 10 of Part 1 of Schedule 12A).", description="The public-interest test of Schedule 12A paragraph 10, printed after the resolution's list.")
    private_notice: str = Field("Notice of the intention to consider this business in private, with the reasons, is published as \"{notice}\" (regulation 5 of the Local Authorities (Executive Arrangements) (Meetings and Access to Information) (England) Regulations 2012).", description="Reference to the notice of the private meeting, printed in Part 2; {notice} is its title (records.private_title). Empty: not printed (a body outside the executive regulations).")
    minutes: str = Field("To approve as a correct record the {minutes}.", description="The line under the minutes item; {minutes} is its title with a small first letter ('minutes of the meeting held on 17 November 2026').")
    front_sheet_link: str = Field("Agenda front sheet", description="The meeting page's link to the front sheet PDF.")
    urgency_heading: str = Field("Reasons for urgency", description="Heading of the meeting's urgency statement (LGA 1972 s.100B(4)(b)), printed on the front sheet and the meeting page when the meeting file gives one.")
    pack_title: str = Field("{committee}, {date}: agenda pack", description="Title of the public pack; {committee}, {date}.")
    private_title: str = Field("{committee}, {date}: private papers (not for publication)", description="Title of the private pack; {committee}, {date}.")
    private_marking: str = Field("NOT FOR PUBLICATION – paragraph {paragraphs} of Schedule 12A", description="Stamped on every page of the private pack; {paragraphs}.")
    private_contents: str = Field("Contents of the private papers", description="Heading of the private pack's contents on its cover.")
    private_intro: str = Field("These papers contain exempt information under Part 1 of Schedule 12A to the Local Government Act 1972. They are for members and officers only and must not be published. Their pages are numbered P1, P2 and so on, separately from the public agenda pack.", description="The first paragraph of the private pack's cover.")
    document_page_stamp: str = Field("Page {page} of {pages}", description="Printed on each page of a published report, appendix and front sheet, in place of its own page-number footer; {page}, {pages}.")
    page_stamp: str = Field("Agenda pack page {page}", description="Printed on every page of the public pack; {page}.")
    private_page_stamp: str = Field("Private papers page P{page}", description="Printed on every page of the private pack: a series that cannot be mistaken for the public one; {page}.")
    private_page_label: str = Field("P", description="Prefix of the private pack's page labels (P1, P2...), matching private_page_stamp.")
    statement_title: str = Field("Accessibility statement: {committee}, {date}", description="Title of the meeting's accessibility statement; {committee}, {date}.")
    accessible_format: str = Field("If you need any of these documents in an accessible format, such as large print, easy read, audio or braille, contact the officer named below and we will consider your request and get back to you within 5 working days.", description="How to ask for an accessible format, in the accessibility statement.")


#: Rows a style's front page may print that every report has: each prints its text.labels label (date:
#: the date label of a committee or an individual decision) and the value the templates print.
FRONT_ROWS = ("decision_maker", "date", "title", "report_by", "lead_member", "classification", "decision_type",
              "wards", "publication_date")


class FrontField(_Strict):
    """A front-page line of the style's own (a council's priorities, its executive member), stored in a
    report under `front:` by its key and validated there like a built-in key."""

    key: str = Field(pattern=SECTION_KEY_PATTERN, description="The key a report gives its value under `front:`.")
    label: str = Field(description="Printed before the value, e.g. 'Executive member:'.")
    type: Literal["text", "date", "list"] = Field("text", description="text, date (printed in date_format) or list (of text, one line each).")
    required: bool = Field(False, description="Every report must give it.")
    description: str = Field("", description="What to write, shown by `reportgen schema --style` and written by `reportgen new`.")


class FrontPage(_Strict):
    """The front page as data: its rows in print order, built-in and the style's own. A template prints it
    by looping over {{ front_page }}; the web edition prints the same rows."""

    fields: list[FrontField] = Field(default_factory=empty_list, description="Front-page fields of the style's own.")
    rows: list[str] = Field(description="Print order: built-in rows (" + ", ".join(FRONT_ROWS) + ") and the keys of `fields`.")
    print_empty: bool = Field(False, description="Print a row whose value is empty (an empty 'Report by:'); false leaves it out.")

    @model_validator(mode="after")
    def _known_rows(self) -> "FrontPage":
        own = [f.key for f in self.fields]
        for key in own:
            if key in FRONT_ROWS:
                raise ValueError(f"front-page field '{key}' is a built-in row: name it in rows only")
        for key in self.rows:
            if key not in FRONT_ROWS and key not in own:
                import difflib
                guess = difflib.get_close_matches(key, [*FRONT_ROWS, *own], n=1)
                hint = f" (did you mean `{guess[0]}`?)" if guess else ""
                raise ValueError(f"unknown front-page row '{key}'{hint}; built-in: {', '.join(FRONT_ROWS)}; "
                                 f"the style's own: {', '.join(own) or 'none'}")
        return self


class ClearanceStyle(_Strict):
    """How the reviewers' clearance table is printed (its rows are the bound sign-off records)."""

    note: str = Field("", description="A note printed above the table, e.g. a note to authors (Markdown).")
    approvals: list[str] = Field(default_factory=empty_list, description="Approval rows, e.g. `Approved by`: roles signed with `reportgen sign --role` like any other, printed after the reviewers' rows. Name one in required_reviewers too when it must be signed.")
    unsigned: Literal["blank", "not_required", "omit"] = Field("omit", description="A declared role that is not required (reviewer_roles, approvals) with no bound sign-off: blank cells, the `not_required` wording, or no row. A required role with none always prints with blank cells: its sign-off is still to come.")
    not_required: str = Field("Not required", description="Printed in the name cell of an unsigned role when unsigned is not_required.")


class Logo(_Strict):
    """The council's logo, printed where the template places {{ logo }}."""

    file: str = Field(description="The image (PNG or JPEG), relative to the style folder.")
    alt: str = Field("", description="Alt text: the PDF tags the logo as a Figure with this text, usually the council's name. Required unless decorative.")
    width_mm: float = Field(40, gt=0, le=180, description="Printed width in millimetres; the height keeps the image's proportions.")
    decorative: bool = Field(False, description="True when the logo carries no information (the council's name is printed beside it): the PDF marks it as an artifact that screen readers skip, and it needs no alt text.")

    @model_validator(mode="after")
    def _alt_unless_decorative(self) -> "Logo":
        if not self.decorative and not self.alt.strip():
            raise ValueError("a logo needs alt text (alt), or decorative: true when it carries no information")
        return self


class RecordTexts(_Strict):
    """Wording and periods of the statutory records: forward plan, notice of private meeting, decision notices."""

    call_in_days: int = Field(5, ge=0, description="Call-in period: clear working days after a decision notice is published (bank holidays excluded).")
    forward_plan_all_decisions: bool = Field(False, description="List every executive decision in the forward plan, not only key decisions.")
    forward_plan_title: str = Field("Forward plan of key decisions published {date}", description="Title of the forward plan; {date}.")
    forward_plan_intro: str = Field("This notice lists the key decisions the executive intends to take (regulation 9 of the Local Authorities (Executive Arrangements) (Meetings and Access to Information) (England) Regulations 2012). Each entry says when it was first published and whether 28 clear days' notice was given; where it was not, the entry names the procedure used instead (regulation 10 or 11).", description="Opening paragraph of the forward plan.")
    forward_plan_other_decisions: bool = Field(True, description="List decisions that are not the executive's (a budget for Full Council), labelled as such; false leaves them out.")
    not_executive: str = Field("Not an executive decision: listed for information", description="The label of a listed decision that is not the executive's.")
    members: str = Field("Members of the decision-making body", description="Label of the members of a body that takes the decision (reg 9(1)(c)).")
    notice_given: str = Field("Notice given", description="Label of the notice an entry was given.")
    notice_28_days: str = Field("28 clear days' notice given", description="An entry first published at least 28 clear days before the decision.")
    notice_general_exception: str = Field("Fewer than 28 clear days ({days}): general exception (regulation 10); the chair of the overview and scrutiny committee has been told in writing", description="An entry under reg 10; {days}.")
    notice_special_urgency: str = Field("Fewer than 28 clear days ({days}): special urgency (regulation 11); the decision is urgent and cannot reasonably be deferred, as agreed under regulation 11", description="An entry under reg 11; {days}.")
    notice_short: str = Field("Fewer than 28 clear days ({days})", description="An entry with too little notice and no route (check reports it); {days}.")
    documents_address: str = Field("Copies of the documents can be had from the contact officer named in each entry, or at the council's main offices.", description="The address where copies of the documents can be had (reg 9(1)(f)).")
    other_documents: str = Field("Other documents relevant to a matter may be submitted to the decision maker. To ask for details of them, or for copies as they become available, write to the contact officer named in the entry.", description="That other documents may be submitted, and how to ask for them (reg 9(1)(g), (h)).")
    forward_plan_entry: str = Field("{ref}: {title}", description="Heading of one forward plan entry; {ref}, {title}.")
    reference: str = Field("Reference", description="Label of the forward plan reference.")
    matter: str = Field("Matter", description="Label of the matter to be decided.")
    decision_maker: str = Field("Decision maker", description="Label of the decision maker.")
    decision_date: str = Field("Planned decision date", description="Label of the date the decision will be taken.")
    lead_member: str = Field("Lead member", description="Label of the lead member.")
    contact: str = Field("Contact officer", description="Label of the contact officer.")
    documents: str = Field("Documents to be submitted", description="Label of the documents to be submitted.")
    documents_how: str = Field("Documents are published on the council's website with the agenda, at least five clear working days before the decision.", description="How to get the documents, printed after them.")
    exempt: str = Field("Private (exempt) information", description="Label of whether the decision is taken in private.")
    exempt_no: str = Field("No", description="The decision is open.")
    exempt_yes: str = Field("Yes: paragraph {paragraphs} of Part 1 of Schedule 12A to the Local Government Act 1972", description="The decision will be taken in private; {paragraphs}.")
    exempt_part: str = Field("Part: {appendices} exempt under paragraph {paragraphs} of Part 1 of Schedule 12A to the Local Government Act 1972", description="An open decision with exempt appendices; {appendices}, {paragraphs}.")
    representations: str = Field("Representations", description="Label of how to make representations.")
    representations_how: str = Field("Write to the contact officer at least five working days before the decision date.", description="How to make representations about a decision.")
    first_published: str = Field("First published", description="Label of the date an entry was first published.")
    private_title: str = Field("Notice of intention to hold part of the {committee} meeting on {date} in private", description="Title of the notice of a private meeting (reg 5); {committee}, {date}.")
    private_further: str = Field("Further notice, with reasons: {title}", description="Title of the 5-day notice; {title} is the private_title.")
    private_28_day: str = Field("28 clear days' notice: to be published by {date}", description="When the first notice is due; {date}.")
    private_5_day: str = Field("5 clear working days' notice, with reasons: to be published by {date}", description="When the second notice is due; {date}.")
    private_intro: str = Field("The {committee} intends to consider the items below in private, with the press and public excluded, because exempt information is likely to be disclosed. The meeting is on {date} at {time}, at {venue}.", description="Opening paragraph; {committee}, {date}, {time}, {venue}.")
    private_item: str = Field("{number}. {title}", description="An item taken in private; {number}, {title}.")
    private_reason: str = Field("Reason: exempt information under paragraph {paragraphs} of Part 1 of Schedule 12A to the Local Government Act 1972.", description="Why an item is private; {paragraphs}.")
    private_public_interest: str = Field("Public interest: {statement}", description="The public-interest statement; {statement}.")
    private_representations: str = Field("Anyone may make representations about why the meeting should be open to the public, to the contact officer below.", description="How to make representations about a private meeting (reg 5(2)(c)).")
    private_received: str = Field("Representations received and the council's response", description="Heading of the representations in the 5-day notice (reg 5(4)(b), (c)).")
    private_representation: str = Field("From {received_from}: {summary} The council's response: {response}", description="A representation received and the response; {received_from}, {summary}, {response}.")
    private_none_received: str = Field("No representations had been received when this notice was published.", description="Printed in the 5-day notice when none were received.")
    private_urgency: str = Field("This notice is published later than the regulations require because the meeting is urgent and cannot reasonably be deferred, as agreed by {agreed_by} (regulation 5(6) and (7)). The reasons: {reasons}", description="The urgency route of a late notice; {agreed_by}, {reasons}.")
    decision_title: str = Field("Decision notice: {title}", description="Title of one decision notice; {title}.")
    meeting_title: str = Field("{committee}, {date}: record of decisions", description="Title of a meeting's decision notice; {committee}, {date}.")
    decided_by: str = Field("Decision taken by {maker} on {date}", description="Who took the decision and when; {maker}, {date}.")
    decision: str = Field("Decision", description="Heading of the decision.")
    reasons: str = Field("Reasons for the decision", description="Heading of the reasons.")
    alternatives: str = Field("Alternative options considered and rejected", description="Heading of the alternative options.")
    interests: str = Field("Conflicts of interest and dispensations", description="Heading of the interests declared.")
    interest: str = Field("{name} declared {interest}", description="One interest declared; {name}, {interest}.")
    dispensation: str = Field("Dispensation granted by {granted_by}: {dispensation}", description="A dispensation granted; {dispensation}, {granted_by}.")
    no_interests: str = Field("No conflict of interest was declared and no dispensation was granted.", description="Printed when no interest was declared.")
    no_alternatives: str = Field("No alternative options were considered.", description="Printed when the report gives no alternative options.")
    call_in: str = Field("Call-in", description="Heading of the call-in statement.")
    call_in_text: str = Field("This decision may be called in until 5.00 pm on {deadline}. If it is not called in, it may be put into effect after that time; if it is called in, it cannot be put into effect until the call-in has been dealt with.", description="The call-in statement; {deadline}.")
    urgency_text: str = Field("This decision is not subject to call-in because it is urgent: {urgency}", description="The statement of an urgent decision; {urgency}.")
    exempt_decision: str = Field("The full decision is recorded in a record that is not for publication, because it contains exempt information under paragraph {paragraphs} of Part 1 of Schedule 12A to the Local Government Act 1972.", description="Printed for an exempt decision instead of its content; {paragraphs}.")


#: Roles an author never clears their own report in: the s.151 (chief finance) officer, the monitoring
#: officer and legal. A style adds its own under `statutory_roles`; it cannot take these away.
STATUTORY_ROLES = ("Finance", "Section 151 Officer", "s.151 Officer", "Chief Finance Officer", "Legal",
                   "Monitoring Officer")


class Profile(_Strict):
    """A council's house style: everything about a report's shape that is not content."""

    name: str = Field(description="Human name of the style.")
    council: str = Field(description="Council name, for document metadata.")
    template: str = Field("template.docx", description="The docxtpl template, relative to the style folder.")
    logo: Logo | None = Field(None, description="The council's logo with its alt text; the template places it with {{ logo }} (empty when the style has none).")
    agenda_template: str = Field("agenda.docx", description="The agenda front-sheet template, relative to the style folder.")
    date_format: str = Field("%-d %B %Y", description="strftime format of dates; %o is the day with its ordinal (18th).")
    short_date_format: str = Field("%-d %b %Y", description="strftime format of dates in narrow table columns (the reviewers' sign-off dates), e.g. 20 Nov 2026.")
    numbering: Numbering = Field(default_factory=lambda: Numbering(), description="How paragraphs and section headings are numbered.")
    recommendations: RecommendationStyle = Field(default_factory=lambda: RecommendationStyle(), description="Lead-in and lettering (or paragraph numbering) of the recommendations.")
    sections: list[Annotated[SectionSpec, BeforeValidator(_one_key, json_schema_input_type=SectionSpec | OneSection)]] = Field(description="Body sections in print order: built-in ones it takes (and renames), and its own (with a kind); a built-in section left out is never printed.")
    required_sections: list[str] = Field(default_factory=empty_list, description="Content sections a report must have.")
    required_reviewers: list[str] = Field(default_factory=empty_list, description="Reviewer roles that must sign off.")
    reviewer_roles: list[str] = Field(default_factory=empty_list, description="Other reviewer roles that may sign off (procurement, risk ...).")
    role_aliases: dict[str, list[str]] = Field(default_factory=empty_dict, description="Other wordings of a role, e.g. Equality: [Equality Duty, Equalities]. A role declared under its own name (in required_reviewers, reviewer_roles or clearance.approvals) is never folded into another role by an alias.")
    clearance: ClearanceStyle = Field(default_factory=lambda: ClearanceStyle(), description="The clearance table: a note above it and how unsigned roles print.")
    front_page: FrontPage | None = Field(None, description="The front page as data: rows in print order, the style's own fields, whether empty rows print. The template prints it with {% for row in front_page %}; without it the template's fixed front page and the generic web rows are printed.")
    statutory_roles: list[str] = Field(default_factory=empty_list, description="Roles the report's author may not clear, in addition to the s.151 officer (Finance), the monitoring officer and Legal.")
    backdate_days: int = Field(3, ge=0, description="How many days before the day it is recorded a sign-off may be dated without a reason (`reportgen sign --reason`).")
    text: Texts = Field(description="Fixed wording the style prints about a report: decision type, classification, appendix and contact lines, labels.")
    known_acronyms: list[str] = Field(default_factory=empty_list, description="Acronyms readers need no expansion of.")
    words: str | None = Field(None, description="The style's own word list for the spelling check (place names, councillors' and product names): a file in the style folder, one word a line.")
    guidance: list[str] = Field(default_factory=empty_list, description="Guidance phrases of the style's templates (instructions to the author) that must not reach a published report.")
    agenda: AgendaTexts = Field(default_factory=lambda: AgendaTexts(), description="Front-sheet wording.")
    records: RecordTexts = Field(default_factory=lambda: RecordTexts(), description="Statutory records: forward plan, notice of private meeting, decision notices.")
    key_decision_threshold: float = Field(500000, description="Spending or saving (pounds) from which a decision is key.")
    rules: dict[str, Any] = Field(default_factory=empty_dict, description="Per-rule overrides for reportgen check.")

    # set by load_profile, not read from the file
    folder: SkipJsonSchema[Path] = Field(Path("."), exclude=True)
    #: the project's allowed-signers file: when set, only SSH-signed sign-offs count
    allowed_signers: SkipJsonSchema[Path | None] = Field(None, exclude=True)
    #: the project's register of signers (each principal's name and roles)
    signers: SkipJsonSchema[Path | None] = Field(None, exclude=True)
    #: the project's rule overrides (reportgen.yaml), applied over `rules`, and the file they are in
    project_rules: SkipJsonSchema[dict[str, Any]] = Field(default_factory=empty_dict, exclude=True)
    project_file: SkipJsonSchema[Path | None] = Field(None, exclude=True)
    #: the words of the style's word list and of the project's (reportgen.yaml `words`), set when loaded
    word_list: SkipJsonSchema[frozenset[str]] = Field(frozenset(), exclude=True)
    #: the digest of every file of the style folder, set when it is loaded
    digest: SkipJsonSchema[str] = Field("", exclude=True)
    #: where each key of profile.yaml is, so a report's problem with the style's wording is located there
    positions: SkipJsonSchema[Any] = Field(None, exclude=True)

    def problem(self, loc: tuple[str | int, ...], message: str) -> Problem:
        """A problem located at `loc` in this style's profile.yaml."""
        path = self.folder / "profile.yaml"
        return self.positions.problem(path, loc, message) if self.positions is not None else Problem(path, 1, 1, ".".join(map(str, loc)), message)

    @property
    def effective_rules(self) -> dict[str, Any]:
        """The rule overrides in force: the style's own, then the project's over them."""
        return {**self.rules, **self.project_rules} if self.project_rules else self.rules

    @cached_property
    def custom_sections(self) -> "dict[str, SectionSpec]":
        """The sections the style declares of its own, by key, in print order (asked for per value
        checked, so worked out once: a loaded profile is never changed)."""
        return {spec.keys[0]: spec for spec in self.sections if spec.custom}

    @property
    def required_keys(self) -> list[str]:
        """Every section a report must have: required_sections, then sections marked required."""
        keys = list(self.required_sections)
        return keys + [k for spec in self.sections if spec.required for k in spec.keys if k not in keys]

    def heading_of(self, key: str) -> str:
        """The heading a section prints under; a key grouped under a shared heading is named by itself."""
        for spec in self.sections:
            if spec.keys == [key] and spec.heading:
                return spec.heading
        return key.replace("_", " ")

    @property
    def template_path(self) -> Path:
        return self.folder / self.template

    @property
    def logo_image(self) -> "tuple[Path, str, float] | None":
        """(image file, alt text, width in mm) of the style's logo, or None."""
        return (self.folder / self.logo.file, "" if self.logo.decorative else self.logo.alt, self.logo.width_mm) if self.logo else None

    @property
    def agenda_path(self) -> Path:
        return self.folder / self.agenda_template

    @property
    def known_roles(self) -> list[str]:
        """Every reviewer role of the style, required ones first."""
        return list(dict.fromkeys([*self.required_reviewers, *self.reviewer_roles, *self.role_aliases,
                                    *self.clearance.approvals]))

    def statutory(self, role: str) -> bool:
        """Whether `role` (any wording) is one the report's author may not clear: the defaults, and the style's own."""
        wanted = self.canonical_role(role) or " ".join(role.split())
        return any((self.canonical_role(s) or s).casefold() == wanted.casefold()
                   for s in [*STATUTORY_ROLES, *self.statutory_roles])

    def canonical_role(self, role: str) -> str | None:
        """The style's wording of a role given in any known wording (case-insensitive), or None."""
        key = " ".join(role.split()).casefold()
        # A role's own name wins over another role's alias: a style may print "Equality Duty" as a row
        # of its own while "Equality" lists it as an alias it inherited from a copied style.
        for known in self.known_roles:
            if key == known.casefold():
                return known
        for known in self.known_roles:
            if key in (a.casefold() for a in self.role_aliases.get(known, [])):
                return known
        return None

    def format_date(self, value: Any, short: bool = False) -> str:
        if value is None:
            return ""
        fmt = (self.short_date_format if short else self.date_format).replace("%o", _ordinal(value.day))
        text: str = value.strftime(fmt)
        return text


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


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


def available_styles(settings: Settings = DEFAULTS) -> list[str]:
    names: set[str] = set()
    for root in settings.style_dirs:
        if root.is_dir():
            names.update(p.parent.name for p in root.glob("*/profile.yaml"))
    return sorted(names)


def _fingerprint(folder: Path) -> tuple[tuple[str, int, int, int], ...]:
    """Each file of a style folder with its size, modification time and inode: a stat per file, no read."""
    found = []
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        stat = file.stat()
        found.append((str(file.relative_to(folder)), stat.st_size, stat.st_mtime_ns, stat.st_ino))
    return tuple(found)


@lru_cache(maxsize=64)
def _style_digest(folder: Path, fingerprint: tuple[tuple[str, int, int, int], ...]) -> str:
    del fingerprint  # the key only: as git's index does, a file whose stat changed is read and hashed again
    return tree_digest([folder])


def style_digest(folder: Path) -> str:
    """The digest of every file of a style folder (profile, wording, templates, logo, stylesheet)."""
    return _style_digest(folder, _fingerprint(folder))


@lru_cache(maxsize=64)
def _load(folder: Path, digest: str) -> Profile:
    """A style folder's profile, remembered by the digest of the files it came from: a long-running
    process (publish --watch) loads an edited style again, and an unchanged one is not re-validated."""
    path = folder / "profile.yaml"
    data, pos = read_yaml(path)
    profile = validate_mapping(Profile, data, pos, path, "a profile", StyleError)
    profile.folder = folder
    profile.positions = pos
    problems = [pos.problem(path, ("required_sections", i), message) for i, message in _unknown_required(profile)]
    if profile.logo is not None:
        _, why = inside(folder, profile.logo.file, must_exist=True)
        if why:
            why = f"logo file not found: {folder / profile.logo.file}" if why.startswith("file not found") else why
            problems.append(pos.problem(path, ("logo", "file"), why))
    for key in ("template", "agenda_template"):
        name = getattr(profile, key)
        # A shared or downloaded style names its own files: never one outside its folder.
        _, why = inside(folder, name, must_exist=key == "template")
        if why == f"file not found: {name}":
            why = f"template file not found: {folder / name}"
        if why is None and key == "template":
            why = archive_problem(folder / name)
        if why:
            problems.append(pos.problem(path, (key,), why))
    problems += [pos.problem(path, loc, why) for loc, why in _pattern_fields(profile, ())]
    if profile.words is not None:
        found, why = inside(folder, profile.words, must_exist=True)
        if why or found is None:
            problems.append(pos.problem(path, ("words",), why or f"file not found: {profile.words}"))
        else:
            profile.word_list, bad = read_word_list(found, "words")
            problems += bad
    if problems:
        raise StyleError(problems=problems)
    profile.digest = digest
    return profile


def _pattern_fields(model: BaseModel, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every {field} of the style's wording that reportgen does not fill there.

    Each text's description names the fields it takes ("{id}, {title}"), so a typo such as {titel}, or
    {x} in a text that takes none, is found when the style loads, at its line in profile.yaml, not
    mid-build without a location."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from _pattern_fields(value, (*loc, name))
        elif isinstance(value, list) and value and all(isinstance(v, BaseModel) for v in value):
            for i, item in enumerate(value):
                yield from _pattern_fields(item, (*loc, name, i))
        elif isinstance(value, str) and not info.exclude:
            allowed = set(_FIELD.findall(info.description or ""))
            unknown = [f for f in dict.fromkeys(_FIELD.findall(value)) if f not in allowed]
            if unknown:
                takes = ", ".join("{" + f + "}" for f in sorted(allowed)) or "no fields"
                yield ((*loc, name), f"unknown field {', '.join('{' + f + '}' for f in unknown)} "
                                     f"(this text takes {takes})")


def _unknown_required(profile: Profile) -> Iterator[tuple[int, str]]:
    """required_sections naming a section neither built in nor declared, with a did-you-mean."""
    known = set(SECTION_KEYS) | {k for spec in profile.sections for k in spec.keys}
    for i, key in enumerate(profile.required_sections):
        if key not in known:
            import difflib
            guess = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f" (did you mean `{guess[0]}`?)" if guess else ""
            yield i, f"unknown section '{key}'{hint}"


#: The styles found while a batch of reports is checked (pinned_styles): (name, id of the settings) -> the
#: settings (kept, so that the id stays theirs) and the profile.
_pinned: dict[tuple[str, int], tuple[Settings, Profile]] | None = None


@contextmanager
def pinned_styles() -> Iterator[None]:
    """Inside, each house style is found, its folder fingerprinted and the project's settings applied once:
    every report of a batch is read against the style as it stood when the first one asked for it. (Each
    command, and each run of publish --watch, is a batch of its own, so an edited style is still seen.)"""
    global _pinned
    outer = _pinned
    _pinned = {} if outer is None else outer
    try:
        yield
    finally:
        _pinned = outer


def load_profile(style: str, settings: Settings = DEFAULTS) -> Profile:
    """Find and validate the named house style; StyleError lists the known ones if absent."""
    if _pinned is None:
        return _find_profile(style, settings)
    found = _pinned.get((style, id(settings)))
    if found is None or found[0] is not settings:
        found = _pinned[(style, id(settings))] = (settings, _find_profile(style, settings))
    return found[1]


def _find_profile(style: str, settings: Settings) -> Profile:
    why = unsafe_style_name(style)
    if why:
        raise StyleError(why)
    for root in settings.style_dirs:
        folder = root / style
        if (folder / "profile.yaml").is_file():
            folder = folder.resolve()
            profile = _load(folder, style_digest(folder))
            # The project's overrides are kept apart from the style's own, so that each problem in them is
            # located in the file that holds it (reportgen.yaml or profile.yaml).
            if settings.rules or settings.allowed_signers is not None or settings.words:
                profile = profile.model_copy(update={"project_rules": settings.rules,
                                                     "project_file": settings.project_file,
                                                     "allowed_signers": settings.allowed_signers,
                                                     "word_list": profile.word_list | settings.words,
                                                     "signers": settings.signers})
            return profile
    known = ", ".join(available_styles(settings)) or "none"
    raise StyleError(f"unknown house style '{style}' (known styles: {known})")


def load_profile_named(style: str, settings: Settings, locate: Callable[[str], Problem],
                       error: type[ReportgenError] = ContentError) -> Profile:
    """load_profile, with an unknown style reported where the content names it (a report's or a
    meeting's `style:` key): `locate` turns the message into that located problem."""
    try:
        return load_profile(style, settings)
    except ReportgenError as exc:
        if exc.problems:
            raise
        raise error(problems=[locate(str(exc))]) from exc
