"""Flatten a laid-out report into located pieces of plain text, in reading order, for the checks."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from markdown_it.token import Token

from reportgen.content.model import Report
from reportgen.layout.markdown import markdown, plain, too_deep
from reportgen.style.profile import Profile
from reportgen.layout.arrange import Grid, Heading, Layout, Line, Prose
from reportgen.content.yamlio import Loc

Kind = Literal["title", "heading", "para", "list", "cell", "line"]


@dataclass
class Text:
    """One paragraph, list item, heading or table cell of content, with where it came from."""

    loc: Loc
    kind: Kind
    text: str
    section: str
    links: list[str] = field(default_factory=list)
    #: True for wording the house style supplies (s.149 text, lead-in), not the author.
    fixed: bool = False
    #: Inline code in it (`like this`): typed as it must be, so never spelling-checked.
    code: list[str] = field(default_factory=list)


def _inline(children: list[Token] | None, links: list[str], code: list[str]) -> str:
    out = []
    for tok in children or []:
        if tok.type == "code_inline":
            code.append(tok.content)
        if tok.type in ("text", "code_inline", "text_special"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif tok.type == "link_open":
            links.append(str(tok.attrs.get("href", "")))
    return "".join(out)


def _prose(el: Prose, section: str, fixed: bool) -> list[Text]:
    text = plain(el.markdown)
    if text is not None:
        return [Text(el.loc, "para", text, section, [], fixed)]
    texts: list[Text] = []
    depth = 0
    tokens = markdown().parse(el.markdown)
    if too_deep(tokens):  # printed line by line as typed (docx writer): check it the same way
        return [Text(el.loc, "para", line.strip(), section, [], fixed) for line in el.markdown.strip().split("\n")]
    for i, tok in enumerate(tokens):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif tok.type == "inline":
            opener = tokens[i - 1].type
            kind: Kind = "heading" if opener == "heading_open" else (
                "cell" if opener in ("th_open", "td_open") else ("list" if depth else "para"))
            links: list[str] = []
            code: list[str] = []
            texts.append(Text(el.loc, kind, _inline(tok.children, links, code), section, links, fixed, code))
    return texts


def _impact_assessment(report: Report, profile: Profile, el: Prose) -> list[Text]:
    """The house style's impact-assessment sentence is fixed; the author's summary after it is not."""
    eq = report.equality
    t = profile.text
    house = t.impact_assessment_done if eq and eq.impact_assessment and eq.impact_assessment.done \
        else t.impact_assessment_not_done
    summary = el.markdown[len(house):].strip() if el.markdown.startswith(house) else ""
    if not summary:
        return _prose(el, "equality", True)
    return _prose(Prose(house, el.loc), "equality", True) + _prose(Prose(summary, el.loc), "equality", False)


def section_of(loc: Loc) -> str:
    """The section a location is in: a section of the style's own is named by its key, like a built-in one."""
    return str(loc[1]) if loc[0] == "sections" and len(loc) > 1 else str(loc[0])


def section_loc(section: str, profile: Profile) -> Loc:
    """Where a section sits in report.yaml: a style's own sections live under `sections:`."""
    return ("sections", section) if section in profile.custom_sections else (section,)


def scan(report: Report, profile: Profile, layout: Layout) -> list[Text]:
    """Every piece of text in reading order: title, then the body as the house style orders it."""
    fixed_locs = {("equality", "general_duty"), ("equality", "impact_assessment")}
    out = [Text(("title",), "title", report.title, "title")]
    for el in layout.elements:
        if isinstance(el, Prose):
            section = section_of(el.loc)
            statement = el.loc[0] == "sections" and el.loc[-1:] == ("statement",)  # the style's default sentence
            fixed = el.loc in fixed_locs or statement or (el.loc == ("recommendations", "lead_in")
                                                          and report.recommendations is not None
                                                          and report.recommendations.lead_in is None)
            if el.loc == ("equality", "impact_assessment"):
                out.extend(_impact_assessment(report, profile, el))
            elif el.loc[-1:] == ("note",):
                # A table note ("Figures in £000s") labels the table; it need not be a sentence.
                out.extend(Text(t.loc, "line", t.text, t.section, t.links) for t in _prose(el, section, fixed))
            else:
                out.extend(_prose(el, section, fixed))
        elif isinstance(el, Heading) and el.loc:
            out.append(Text(el.loc, "heading", el.text, section_of(el.loc)))
        elif isinstance(el, Line) and el.loc:
            out.append(Text(el.loc, "line", el.text, section_of(el.loc)))
        elif isinstance(el, Grid) and el.loc:
            rows: list[Sequence[str | int | float]] = [el.columns, *el.rows, *([el.total] if el.total else [])]
            for row in rows:
                for cell in row:
                    if isinstance(cell, str) and cell:
                        out.append(Text(el.loc, "cell", cell, section_of(el.loc)))
    return out
