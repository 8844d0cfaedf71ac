"""Flatten a laid-out report into located pieces of plain text, in reading order, for the checks."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from markdown_it.common.utils import mdTrim
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


# What can open a block other than a paragraph on a line of its own, with reportgen's Markdown subset: a
# list item, a block quote (and, conservatively, "#").
_BLOCK_START = re.compile(r"[>#]|(?:[-+*]|\d+[.)])(?:[ \t]|$)")


def _one_paragraph(markdown_text: str) -> str | None:
    """The content of a text that can only be one paragraph, as the block parser would hand it to the inline
    parser: one line that is not blank (blank lines hold only spaces and tabs) and opens no list or quote.
    None for any other text."""
    line = markdown_text.strip(" \t\n")
    if not line or "\n" in line or "\r" in markdown_text:
        return None
    content = mdTrim(line)  # as the paragraph rule trims it
    if _BLOCK_START.match(line) or _BLOCK_START.match(content):
        return None
    return content


def _simple(markdown_text: str) -> list[tuple[Kind, str]] | None:
    """The paragraphs and list items of a text of the two shapes most texts with Markdown have, each with
    the content the block parser would hand the inline parser: one line ("**Legal:** see [the Act](...)"),
    or a lead-in line, a blank line and a tight list of one-line `- ` items. None for any other text,
    which is parsed whole."""
    if "\r" in markdown_text:
        return None
    parts = markdown_text.strip(" \t\n").split("\n\n")
    if len(parts) > 2:
        return None
    lead = _one_paragraph(parts[0])
    if len(parts) == 1:
        return None if lead is None else [("para", lead)]
    if lead is None:
        return None
    out: list[tuple[Kind, str]] = [("para", lead)]
    for line in parts[1].split("\n"):
        content = mdTrim(line[2:])
        # An item that opens another block (a list in the item, a quote) or could, conservatively: parsed whole.
        if not line.startswith("- ") or line[2:3] in (" ", "\t", "") or not content or content[0] in _NOT_SIMPLE:
            return None
        out.append(("list", content))
    return out


#: What may open a block inside a list item (a list, a quote, a heading, an attribute line or a table row).
_NOT_SIMPLE = frozenset("-+*>#{|0123456789")


#: What a text of Markdown reads as: each paragraph, list item, heading or cell with its kind, plain text,
#: link targets and inline code.
Piece = tuple[Kind, str, tuple[str, ...], tuple[str, ...]]


def _piece(kind: Kind, inline: Token) -> Piece:
    links: list[str] = []
    code: list[str] = []
    text = _inline(inline.children, links, code)
    return kind, text, tuple(links), tuple(code)


def _pieces(markdown_text: str) -> list[Piece]:
    text = plain(markdown_text)
    if text is not None:
        return [("para", text, (), ())]
    simple = _simple(markdown_text)
    if simple is not None:  # each piece parsed inline alone: the same tokens, several times faster
        return [_piece(kind, markdown().parseInline(content)[0]) for kind, content in simple]
    tokens = markdown().parse(markdown_text)
    if too_deep(tokens):  # printed line by line as typed (docx writer): check it the same way
        return [("para", line.strip(), (), ()) for line in markdown_text.strip().split("\n")]
    pieces: list[Piece] = []
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif tok.type == "inline":
            opener = tokens[i - 1].type
            kind: Kind = "heading" if opener == "heading_open" else (
                "cell" if opener in ("th_open", "td_open") else ("list" if depth else "para"))
            pieces.append(_piece(kind, tok))
    return pieces


#: The house style's own wording (the general duty with its lettered list, a section's statement) is the same
#: in every report of the style: read once per process, by its text.
_house_pieces = lru_cache(maxsize=64)(_pieces)


def _prose(el: Prose, section: str, fixed: bool) -> list[Text]:
    pieces = _house_pieces(el.markdown) if fixed else _pieces(el.markdown)
    return [Text(el.loc, kind, text, section, list(links), fixed, list(code)) for kind, text, links, code in pieces]


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
