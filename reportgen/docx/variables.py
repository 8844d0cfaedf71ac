"""What a report template may use: the one definition of its render context, names with their types, that
`context()` must fill (mypy checks it) and that docs/house-styles.md lists (tools/update_docs.py)."""
from __future__ import annotations

import types
from typing import Annotated, Any, TypedDict, Union, get_args, get_origin, get_type_hints

from docxtpl import Listing


class FrontRow(TypedDict):
    """One row of the style's declared front page."""

    label: Annotated[str, "the row's label, e.g. 'Report by:'"]
    value: Annotated[Listing, "its lines, printed as line breaks"]


class ReportContext(TypedDict):
    """The render context of a report template. Every name is always present: text is empty when the
    report has none, so `{% if venue %}` tests for it."""

    title: Annotated[str, "the report's title"]
    council: Annotated[str, "the council's name (profile `council`)"]
    decision_maker: Annotated[str, "who takes the decision, as the report gives it"]
    committee: Annotated[str, "the committee, or the decision maker of an individual decision"]
    date_text: Annotated[str, "the meeting or decision date, in the style's date format"]
    time: Annotated[str, "the meeting's start time"]
    venue: Annotated[str, "where the meeting is held"]
    report_by: Annotated[str, "who the report is by"]
    lead_member: Annotated[str, "the lead member's name (text, not a person: no `.name`)"]
    classification_text: Annotated[str, "open or exempt, in the style's words"]
    public_interest: Annotated[str, "the public-interest test of an exempt report"]
    classification_marking: Annotated[str, "the same classification, for a marking in the header"]
    draft_marking: Annotated[str, "DRAFT with the classification when built with --draft, else empty"]
    decision_type_text: Annotated[str, "key or non-key, in the style's words"]
    key_decision_statement: Annotated[str, "why the decision is key, in the style's words or the report's"]
    forward_plan_ref: Annotated[str, "the forward plan reference of a key decision"]
    forward_plan_text: Annotated[str, "the forward plan sentence of a key decision"]
    forward_plan_notice_text: Annotated[str, "the sentence saying when the decision was first notified"]
    notice_date_text: Annotated[str, "that date, in the style's date format"]
    date_label: Annotated[str, "the label before the date: a meeting's or an individual decision's"]
    labels: Annotated[dict[str, str], "the style's front-matter labels, e.g. `{{ labels.report_by }}`"]
    exempt: Annotated[bool, "true for an exempt report"]
    wards_text: Annotated[str, "the wards affected, in the style's words"]
    publication_date_text: Annotated[str, "the publication date, in the style's date format"]
    front_page: Annotated[list[FrontRow], "the rows of the style's declared front page (empty without "
                                         "`front_page`): `{% for row in front_page %}{{ row.label }} {{ row.value }}`"]


#: Names rendered by reportgen itself beside the context, with their types.
EXTRA = {"body": ("paragraphs", "the laid-out body: `{{p body }}`"),
         "logo": ("picture or text", "the style's logo, empty text when it has none: `{{ logo }}`")}


def type_text(kind: Any) -> str:
    """A type as the docs name it."""
    if kind is str:
        return "text"
    if kind is bool:
        return "true/false"
    if kind is Listing:
        return "text (lines)"
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        return " or ".join(type_text(a) for a in get_args(kind))
    if origin is list:
        return f"list of {type_text(get_args(kind)[0])}"
    if origin is dict:
        return f"mapping of {type_text(get_args(kind)[0])} to {type_text(get_args(kind)[1])}"
    if isinstance(kind, type) and issubclass(kind, dict):  # a TypedDict: its keys and their types
        return "{" + ", ".join(f"{k}: {type_text(v)}" for k, v in get_type_hints(kind).items()) + "}"
    return getattr(kind, "__name__", str(kind))


def fields(kind: type) -> list[tuple[str, str, str]]:
    """(name, type, meaning) of every key of a context TypedDict, in order."""
    return [(name, type_text(get_args(hint)[0]), get_args(hint)[1])
            for name, hint in get_type_hints(kind, include_extras=True).items()]


def context_markdown() -> str:
    """The report template's variables as a Markdown table, for docs/house-styles.md."""
    lines = ["| name | type | what it holds |", "|---|---|---|"]
    rows = fields(ReportContext) + [(k, t, m) for k, (t, m) in EXTRA.items()]
    lines += [f"| `{name}` | {kind} | {meaning} |" for name, kind, meaning in rows]
    return "\n".join(lines) + "\n"
