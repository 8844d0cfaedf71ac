"""Layout stage: order sections per house style, number paragraphs, resolve [[label]] references.

The result is a flat list of body elements that the docx stage turns into
WordprocessingML. Numbers are computed here, not by Word, so that
cross-references, checks and the PDF text all see the same final numbers.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Literal, Union

from reportgen.errors import ContentError, Problem
from reportgen.content.load import LoadedReport
from reportgen.content.model import AlternativeOptions, Block, Report, Risks, Table
from reportgen.content.signoff import RoleState, clearance, printed_digest
from reportgen.layout.signoffs import counts
from reportgen.style import wording
from reportgen.style.profile import Profile, SectionSpec, fill
from reportgen.content.yamlio import Loc

REF = re.compile(r"\[\[([^\[\]\s]+)\]\]")
#: Email addresses in literal lines (contact blocks), which every edition prints as mailto: links.
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv"]


@dataclass
class Heading:
    text: str
    level: int  # 1 section, 2 sub-heading, 3 minor
    number: str | None = None
    loc: Loc | None = None  # set when the wording comes from content


@dataclass
class Prose:
    """Markdown text; its first paragraph carries `prefix` (a paragraph number or letter)."""

    markdown: str
    loc: Loc
    prefix: str | None = None
    style: str = "Body Text"
    continuation: str = "Body Text"
    #: where a [[label]] reference to this paragraph points in a web page, e.g. "para-2.3", "rec-a"
    anchor: str | None = None
    #: the Markdown as written, [[label]] references unresolved (set only when it has any), so the
    #: web edition can turn each reference into a link to its paragraph
    source: str | None = None


@dataclass
class Line:
    """Literal text, never parsed as Markdown (names, titles, fixed lines)."""

    text: str
    style: str = "Body Text"
    loc: Loc | None = None
    #: Printed on the same page as what follows (a resolution and the items it covers).
    keep_with_next: bool = False
    #: A paragraph number, when the style numbers appendix, background-paper and contact lines.
    prefix: str | None = None
    #: The web anchor of that numbered line ("para-14.2"), as a numbered paragraph has.
    anchor: str | None = None


@dataclass
class Grid:
    """A table: header row, body rows, optional bold total row."""

    columns: list[str]
    rows: list[list[str | int | float]]
    total: list[str | int | float] | None = None
    caption: str | None = None
    kind: str = "data"
    loc: Loc | None = None
    #: Body cells are Markdown (bold, italic, sub/superscript): true for the author's data tables.
    markdown: bool = False


Element = Union[Heading, Prose, Line, Grid]


@dataclass
class Layout:
    elements: list[Element] = field(default_factory=list)
    #: label -> printed reference, e.g. {"reserve": "6"}
    labels: dict[str, str] = field(default_factory=dict)
    #: printed paragraph number -> location of its content, for checks
    paragraphs: dict[str, Loc] = field(default_factory=dict)
    #: sign-off records by the house style's wording of each role
    clearance: dict[str, RoleState] = field(default_factory=dict)
    #: the paper's words as printed (house-style wording included), which sign-offs are bound to; filled
    #: when the report has sign-off records (`printed_words` lays them out on demand otherwise)
    printed: list[str] | None = None
    #: elements [start, end) of the clearance section, which printed words leave out
    clearance_span: tuple[int, int] | None = None
    #: the digest of the printed words, worked out once (every sign-off rule and status asks for it)
    printed_sha: str | None = None
    #: [[label]] references to no label: a check finding (so every other finding is still reported),
    #: and a reason the paper is not rendered
    unresolved: list[Problem] = field(default_factory=list)
    #: label -> anchor of the paragraph or recommendation it names, e.g. {"reserve": "para-6"}
    anchors: dict[str, str] = field(default_factory=dict)


def letter(index: int, lettering: str) -> str:
    """The printed letter of recommendation `index` (0-based) in the given lettering."""
    kind = lettering.strip("().")
    if kind == "i":
        mark = ROMAN[index] if index < len(ROMAN) else str(index + 1)
    else:
        mark = LETTERS[index % 26] * (index // 26 + 1)
    return lettering.replace(kind, mark.upper() if kind == "A" else mark)


class _Numberer:
    def __init__(self, profile: Profile) -> None:
        self.cfg = profile.numbering
        self.section = 0
        self.n = 0

    def heading(self) -> str | None:
        if self.cfg.scheme != "section":
            return None
        self.section += 1
        self.n = 0
        return fill(self.cfg.heading, s=self.section) if self.cfg.heading else None

    def next(self, level: Literal[1, 2, 3] = 1) -> tuple[str, str]:
        self.n += 1
        # A style may print the paragraphs of a section one level down differently ("1.1." and "1.1").
        return _number(self.cfg.levels.get(level, self.cfg.paragraph), self.cfg.reference, self.n, self.section)


class _Builder:
    def __init__(self, loaded: LoadedReport, profile: Profile) -> None:
        self.loaded = loaded
        self.report: Report = loaded.report
        self.profile = profile
        self.out = Layout()
        #: the clearance table, filled in when the printed words it is bound to are known
        self.reviewers: Grid | None = None
        self.numbers = _Numberer(profile)
        self.problems: list[Problem] = []
        self.numbered = True
        self.number_items = False
        self.sub_level = 2
        self.level: Literal[1, 2, 3] = 1  # the heading level of the section being laid out

    # -- helpers -----------------------------------------------------------
    def label(self, label: str | None, ref: str, loc: Loc, anchor: str) -> None:
        if not label:
            return
        if label in self.out.labels:
            self.problems.append(self.loaded.problem(loc + ("label",), f"label '{label}' is used twice"))
        self.out.labels[label] = ref
        self.out.anchors[label] = anchor

    def para(self, markdown: str, loc: Loc, numbered: bool = True, style: str = "Body Text",
             label: str | None = None, numbered_style: str = "Numbered Paragraph") -> None:
        if numbered and self.numbered:
            printed, ref = self.numbers.next(self.level)
            self.out.paragraphs[ref] = loc
            anchor = paragraph_anchor(ref)
            self.label(label, ref, loc, anchor)
            self.out.elements.append(Prose(markdown, loc, printed, numbered_style, "Paragraph Continuation",
                                           anchor))
        else:
            if label:
                self.problems.append(self.loaded.problem(loc + ("label",), "an unnumbered paragraph cannot carry a label"))
            self.out.elements.append(Prose(markdown, loc, None, style, style))

    def heading(self, text: str, level: int, loc: Loc | None = None) -> None:
        number = self.numbers.heading() if self.numbered else None
        self.out.elements.append(Heading(text, level, number, loc))

    def section_heading(self, text: str, spec: SectionSpec) -> None:
        """A section's own heading, at the level the style gives it; sub-headings sit one level below."""
        self.heading(text, spec.level)
        self.sub_level = min(spec.level + 1, 3)

    def table(self, table: Table, loc: Loc) -> None:
        if table.note:
            self.out.elements.append(Prose(table.note, loc + ("note",), None, "Body Text", "Body Text"))
        self.out.elements.append(Grid(table.columns, table.rows, table.total, table.caption, loc=loc, markdown=True))

    def blocks(self, blocks: list[Block], loc: Loc) -> None:
        for i, block in enumerate(blocks):
            if block.heading:
                self.heading(block.heading, self.sub_level, loc + (i, "heading"))
            if block.text is not None:
                self.para(block.text, loc + (i, "text"), block.numbered, label=block.label)
            elif block.label:
                self.problems.append(self.loaded.problem(loc + (i, "label"), "a label needs text to label"))
            if block.table:
                self.table(block.table, loc + (i, "table"))

    # -- sections ----------------------------------------------------------
    def section(self, spec: SectionSpec) -> None:
        present = [k for k in spec.keys if self.has(k)]
        if not present:
            return
        if spec.keys == ["reviewers"]:
            # The clearance section prints the sign-offs themselves: it is not part of the words they clear
            # (it appears with the first sign-off), so its elements are left out of the printed words.
            start = len(self.out.elements)
            self._section(spec, present)
            self.out.clearance_span = (start, len(self.out.elements))
        else:
            self._section(spec, present)

    def _section(self, spec: SectionSpec, present: list[str]) -> None:
        self.numbered = spec.numbered
        self.number_items = spec.number_items
        self.sub_level = 2
        self.level = spec.level
        heading = next((self.report.headings[k] for k in spec.keys if k in self.report.headings), spec.heading)
        if heading:
            self.section_heading(heading, spec)
        for key in present:
            handler = getattr(self, f"_{key}", None)
            if spec.custom:
                self._custom(key, spec)
            elif handler:
                handler()
            else:
                self.blocks(getattr(self.report, key), (key,))

    def has(self, key: str) -> bool:
        spec = self.profile.custom_sections.get(key)
        if spec is not None:
            return key in self.report.sections or spec.kind == "statement"
        if key == "contacts":
            return bool(self.report.contact_officers or self.report.lead_member)
        if key == "reviewers":  # the clearance table prints the sign-off records
            return self.report.reviewers is not None or bool(self.loaded.signoffs)
        return getattr(self.report, key, None) is not None

    def _custom(self, key: str, spec: SectionSpec) -> None:
        """A section of the style's own, laid out by its kind (typed by reportgen.style.sections);
        a statement section the report leaves out prints the style's sentence."""
        value = self.report.sections.get(key)
        loc: Loc = ("sections", key)
        if value is None:
            self.para(self.statement(key, spec), loc + ("statement",))
        elif spec.kind == "risks":
            self.risks(value, loc)
        elif spec.kind == "options":
            self.options(value, loc)
        elif spec.kind == "table":
            self.table(value, loc)
        elif spec.kind == "people":
            for i, person in enumerate(value):
                for line in wording.contact_lines(self.profile.text.contact_officer, person.model_dump()):
                    self.out.elements.append(Line(line, "Contact", loc + (i,)))
        else:
            self.blocks(value, loc)

    def statement(self, key: str, spec: SectionSpec) -> str:
        """A statement section's sentence with its fields filled from the report; a field the report
        does not give is an error located at the sentence in profile.yaml (the style asks for it)."""
        pattern = spec.statement or ""
        fields = wording.statement_fields(pattern)
        if not fields:
            return pattern
        values = wording.statement_values(self.loaded, self.profile)
        missing = [f for f in fields if not values.get(f)]
        if missing:
            where = ("sections", self.profile.sections.index(spec), "statement")
            self.problems.append(self.profile.problem(where, (
                f"the statement of section '{key}' names {', '.join('{' + f + '}' for f in missing)}, which "
                f"{self.loaded.file} does not give")))
            return pattern
        return fill(pattern, **values)

    def _recommendations(self) -> None:
        recs = self.report.recommendations
        assert recs is not None
        style = self.profile.recommendations
        lead_in = recs.lead_in if recs.lead_in is not None else style.lead_in
        loc: Loc = ("recommendations", "lead_in")
        if not lead_in:
            pass  # the house style prints items without a lead-in
        elif style.numbered and self.numbered:
            self.para(lead_in, loc, numbered_style="Recommendation Lead")
        else:
            self.out.elements.append(Prose(lead_in, loc, None, "Recommendation Lead", "Recommendation Lead"))
        for i, item in enumerate(recs.items):
            item_loc: Loc = ("recommendations", "items", i)
            if style.lettering == "paragraph":
                # Numbered as paragraphs of their section (2.1, 2.2), in the Recommendation style.
                self.para(item.text, item_loc + ("text",), label=item.label, numbered_style="Recommendation")
            else:
                mark = letter(i, style.lettering)
                anchor = f"rec-{letter(i, '(a)').strip('()')}"
                self.label(item.label, mark, item_loc, anchor)
                self.out.elements.append(Prose(item.text, item_loc + ("text",), mark, "Recommendation",
                                               "Recommendation", anchor))
            if item.table:
                self.table(item.table, item_loc + ("table",))
            if item.after:
                self.out.elements.append(Prose(item.after, item_loc + ("after",), None, "Recommendation", "Recommendation"))

    def _alternative_options(self) -> None:
        assert self.report.alternative_options is not None
        self.options(self.report.alternative_options, ("alternative_options",))

    def options(self, opts: AlternativeOptions, loc: Loc) -> None:
        self.blocks(opts.intro, loc + ("intro",))
        for i, opt in enumerate(opts.options):
            text = fill(self.profile.text.option, option=opt.option, reason=opt.reason or "").strip()
            self.para(text, loc + ("options", i), label=opt.label)
        self.blocks(opts.after, loc + ("after",))

    def _equality(self) -> None:
        eq = self.report.equality
        assert eq is not None
        if eq.general_duty:
            self.para(self.profile.text.general_duty, ("equality", "general_duty"))
        self.blocks(eq.text, ("equality", "text"))
        if eq.impact_assessment is not None:
            t = self.profile.text
            text = t.impact_assessment_done if eq.impact_assessment.done else t.impact_assessment_not_done
            if eq.impact_assessment.summary:
                text = f"{text} {eq.impact_assessment.summary}"
            self.para(text, ("equality", "impact_assessment"))

    def _risks(self) -> None:
        assert self.report.risks is not None
        self.risks(self.report.risks, ("risks",))

    def risks(self, risks: Risks, loc: Loc) -> None:
        self.blocks(risks.text, loc + ("text",))
        t = self.profile.text
        for i, table in enumerate(risks.tables):
            if table.heading:
                self.out.elements.append(Heading(table.heading, self.sub_level, loc=loc + ("tables", i, "heading")))
            rows: list[list[str | int | float]] = [[r.risk, r.mitigation] for r in table.rows]
            self.out.elements.append(Grid([t.risk_column, t.mitigation_column], rows, kind="risk",
                                          loc=loc + ("tables", i)))

    def line(self, text: str, loc: Loc | None, style: str = "Body Text") -> None:
        """A literal line; numbered as a paragraph when the section numbers its items."""
        if self.number_items and self.numbered:
            printed, ref = self.numbers.next(self.level)
            if loc is not None:
                self.out.paragraphs[ref] = loc
            self.out.elements.append(Line(text, "Numbered Paragraph", loc, prefix=printed,
                                          anchor=paragraph_anchor(ref)))
        else:
            self.out.elements.append(Line(text, style, loc))

    def _appendices(self) -> None:
        for i, app in enumerate(self.report.appendices or []):
            self.line(wording.appendix(app, self.profile), ("appendices", i))

    def _background_papers(self) -> None:
        bg = self.report.background_papers
        assert bg is not None
        for i, paper in enumerate(bg.papers):
            self.line(paper, ("background_papers", "papers", i))
        if bg.statement:
            self.line(bg.statement, ("background_papers", "statement"))

    def _reviewers(self) -> None:
        # Rows are filled in by fill_reviewers, once the words the sign-offs are bound to are laid out.
        if self.profile.clearance.note:
            self.out.elements.append(Prose(self.profile.clearance.note, ("reviewers",), None, "Body Text", "Body Text"))
        self.reviewers = Grid(self.profile.text.reviewer_columns, [], kind="reviewers", loc=("reviewers",))
        self.out.elements.append(self.reviewers)

    def fill_reviewers(self) -> None:
        # What is printed is what was signed: rows come from the bound sign-off records only, never
        # from names typed into report.yaml, one row per person who cleared the content as it stands.
        if self.reviewers is None:
            return
        cleared = self.out.clearance
        profile, style = self.profile, self.profile.clearance
        canon = [[profile.canonical_role(r) or r for r in roles]
                 for roles in (profile.required_reviewers, profile.reviewer_roles, style.approvals)]
        required, declared, approvals = canon
        signed = [role for role, state in cleared.items() if state.people]
        order = sorted(dict.fromkeys([*required, *declared, *signed, *approvals]), key=lambda r: r in approvals)
        unsigned = style.not_required if style.unsigned == "not_required" else ""
        rows: list[list[str | int | float]] = []
        for role in order:  # approval rows last (a stable sort keeps each group's order)
            people = cleared[role].people if role in cleared else []
            rows += [[role, s.name, profile.format_date(s.date, short=True)] for s in people]
            if people:
                continue
            if role in required:  # still to come: printing "not required" would not be true
                rows.append([role, "", ""])
            elif style.unsigned != "omit" and (role in declared or role in approvals):
                rows.append([role, unsigned, ""])
        self.reviewers.rows = rows

    def _glossary(self) -> None:
        rows: list[list[str | int | float]] = [[k, v] for k, v in (self.report.glossary or {}).items()]
        self.out.elements.append(Grid(self.profile.text.glossary_columns, rows, kind="glossary", loc=("glossary",)))

    def _signature(self) -> None:
        person = self.report.signature
        assert person is not None
        self.out.elements.append(Line(person.name, "Signature"))
        if person.role:
            self.out.elements.append(Line(person.role, "Signature Role"))

    def _contacts(self) -> None:
        t = self.profile.text
        people = ([(t.contact_member, self.report.lead_member)] if self.report.lead_member else []) + \
            [(t.contact_officer, p) for p in self.report.contact_officers]
        for pattern, person in people:
            lines = wording.contact_lines(pattern, person.model_dump())
            if self.number_items and self.numbered and lines:
                # One numbered paragraph per person, its further lines unnumbered beneath it.
                self.line(lines[0], None, "Contact")
                lines = lines[1:]
            for line in lines:
                self.out.elements.append(Line(line, "Contact"))

    def _dated(self) -> None:
        self.out.elements.append(Line(self.report.dated or "", "Body Text"))

    # -- references --------------------------------------------------------
    def resolve(self) -> None:
        labels = self.out.labels
        for el in self.out.elements:
            if not isinstance(el, Prose) or "[[" not in el.markdown:
                continue
            unknown = [m.group(1) for m in REF.finditer(el.markdown) if m.group(1) not in labels]
            for name in unknown:
                guess = _close(name, labels)
                self.out.unresolved.append(self.loaded.problem(el.loc, f"reference to unknown label [[{name}]]{guess}"))
            el.source = el.markdown
            el.markdown = REF.sub(lambda m: labels.get(m.group(1), m.group(0)), el.markdown)


def cell_text(cell: str | int | float) -> str:
    """A table cell as printed: whole numbers of 10,000 or more with thousands separators."""
    if isinstance(cell, float) and cell.is_integer():
        return f"{int(cell):,}" if abs(cell) >= 10000 else str(int(cell))
    if isinstance(cell, int) and not isinstance(cell, bool):
        return f"{cell:,}" if abs(cell) >= 10000 else str(cell)
    return str(cell)


@lru_cache(maxsize=4096)
def _number(paragraph: str, reference: str, n: int, section: int) -> tuple[str, str]:
    """A paragraph's printed number and reference form: every report numbers 1, 2, 3 ..., so each pattern's
    few hundred numbers are filled once per process, not once per paragraph."""
    return fill(paragraph, n=n, s=section), fill(reference, n=n, s=section)


def paragraph_anchor(ref: str) -> str:
    """The web anchor of a numbered paragraph: "para-12", "para-2.3"."""
    return f"para-{ref}"


def _close(name: str, labels: dict[str, str]) -> str:
    import difflib  # here: only a misspelt name needs it, and every command imports this module
    guess = difflib.get_close_matches(name, list(labels), n=1)
    return f" (did you mean [[{guess[0]}]]?)" if guess else ""


def printed_lines(layout: Layout) -> list[str]:
    """The paper's words as printed, in order: content and house-style wording alike (numbers, headings,
    lead-ins, fixed lines), but not the clearance table, which prints the sign-offs themselves. Fonts,
    logo and page design are not words, so a purely visual template change leaves these alone."""
    out: list[str] = []
    start, end = layout.clearance_span or (0, 0)
    for el in layout.elements[:start] + layout.elements[end:]:
        if isinstance(el, Heading):
            out.append(" ".join(x for x in (el.number, el.text) if x))
        elif isinstance(el, Prose):
            out.append(" ".join(x for x in (el.prefix, " ".join(el.markdown.split())) if x))
        elif isinstance(el, Line):
            out.append(" ".join(x for x in (el.prefix, el.text) if x))
        elif isinstance(el, Grid) and el.kind != "reviewers":
            rows: list[Sequence[str | int | float]] = [el.columns, *el.rows, *([el.total] if el.total else [])]
            out.extend(" | ".join(str(c) for c in row) for row in rows)
            if el.caption:
                out.append(el.caption)
    return out


def printed_words(layout: Layout) -> list[str]:
    """The printed words a sign-off of this layout is bound to."""
    return layout.printed if layout.printed is not None else printed_lines(layout)


def printed_hash(layout: Layout) -> str:
    """The digest a sign-off of this layout binds: of its printed words, computed once per layout."""
    if layout.printed_sha is None:
        layout.printed_sha = printed_digest(printed_words(layout))
    return layout.printed_sha


def arrange(loaded: LoadedReport, profile: Profile) -> Layout:
    """Lay a report out in its house style; duplicate labels raise ContentError, unknown ones are recorded."""
    builder = _Builder(loaded, profile)
    for spec in profile.sections:
        builder.section(spec)
    builder.resolve()
    if builder.problems:
        raise ContentError(problems=builder.problems)
    if loaded.signoffs:
        out = builder.out
        out.printed = printed_lines(out)
        out.clearance = clearance(loaded, profile.canonical_role, counts(loaded, profile), printed_hash(out))
    builder.fill_reviewers()
    return builder.out
