"""Docx stage: turn laid-out body elements into WordprocessingML in the template's named styles.

Prose is parsed with markdown-it-py and written as real paragraphs, runs,
hyperlinks, list levels and tables, never as literal Markdown. Every string
from content goes into the XML as text through lxml, so it is escaped and
never evaluated as a template.
"""
from __future__ import annotations

import re
from typing import Any

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.styles import BabelFish
from lxml import etree
from markdown_it.token import Token

from reportgen.errors import StyleError
from reportgen.layout.arrange import EMAIL_RE, Element, Grid, Heading, Layout, Line, Prose, cell_text
from reportgen.layout.markdown import markdown, plain, too_deep
from reportgen.content.limits import MAX_LIST_LEVELS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSMAP = {"w": W, "r": R}
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
TEXT_WIDTH = 9026  # twips between A4 margins of 2.54 cm

#: Paragraph, character and table styles every house-style template must define.
REQUIRED_STYLES = (
    "Heading 2", "Heading 3", "Heading 4", "Body Text", "Numbered Paragraph", "Paragraph Continuation",
    "Recommendation Lead", "Recommendation", "List Bullet", "List Number", "List Letter", "Quote",
    "Table Heading", "Table Text", "Caption", "Signature", "Signature Role", "Contact", "Hyperlink",
    "Report Table",
)
HEADING_STYLES = {1: "Heading 2", 2: "Heading 3", 3: "Heading 4"}


_W = f"{{{W}}}"


def _w(tag: str) -> str:
    return _W + tag


def _el(parent: Any, tag: str, **attrs: str) -> Any:
    # (A report's body is a thousand elements or more: the attributes go in with the element, not one by one.)
    if attrs:
        return etree.SubElement(parent, _W + tag, {_W + key: value for key, value in attrs.items()})
    return etree.SubElement(parent, _W + tag)


#: The order CT_PPr requires of the paragraph properties reportgen writes.
_PPR_ORDER = ("pStyle", "keepNext", "keepLines", "numPr", "spacing", "ind", "jc")
#: Space before a paragraph that follows a table or a list, so text never touches it (twips).
SPACE_AFTER_BLOCK = "160"


def set_ppr(p: Any, tag: str, **attrs: str) -> Any:
    """Add (or replace) one paragraph property in its schema position."""
    ppr = p.find(_w("pPr"))
    old = ppr.find(_w(tag))
    if old is not None:
        ppr.remove(old)
    node = etree.Element(_w(tag))
    for key, value in attrs.items():
        node.set(_w(key), value)
    rank = _PPR_ORDER.index(tag)
    after = [c for c in ppr if etree.QName(c).localname in _PPR_ORDER[:rank]]
    if after:
        after[-1].addnext(node)
    else:
        ppr.insert(0, node)
    return node


def keep_with_next(p: Any, text: str = "") -> None:
    """Keep a heading, caption or lead-in ending in ':' on the page of what it introduces."""
    if not text or text.rstrip().endswith(":"):
        set_ppr(p, "keepNext")


def clean(text: str) -> str:
    """Drop control characters XML cannot hold; everything else survives as written."""
    return _XML_BAD.sub("", text)


class Writer:
    """Writes elements into XML for one document, allocating hyperlinks and list numbering."""

    def __init__(self, docx: Document) -> None:
        self.docx = docx
        self.part = docx.part
        self.styles = self._style_ids(docx)
        self.numbering = self.part.numbering_part.element
        self.list_num = {name: self._style_num(name) for name in ("List Bullet", "List Number", "List Letter")}
        #: True after a table or list, so the next body paragraph gets space before it.
        self.after_block = False

    # -- template introspection --------------------------------------------
    @staticmethod
    def _style_ids(docx: Document) -> dict[str, str]:
        ids = style_ids(docx)
        missing = [s for s in REQUIRED_STYLES if s not in ids]
        if missing:
            raise StyleError(f"template is missing the style(s): {', '.join(missing)}")
        return ids

    def _style_num(self, name: str) -> str:
        style = self.docx.styles.element.find(f"{qn('w:style')}[@{qn('w:styleId')}='{self.styles[name]}']")
        num = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}") if style is not None else None
        if num is None:
            raise StyleError(f"template style '{name}' has no list numbering")
        return str(num.get(qn("w:val")))

    def restart(self, num_id: str, level: int, start: int) -> str:
        """A new numbering instance of the same list definition, so each list restarts."""
        num = self.numbering.find(f"{qn('w:num')}[@{qn('w:numId')}='{num_id}']")
        abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        new = self.numbering.add_num(int(abstract))
        override = new.add_lvlOverride(ilvl=level)
        override.add_startOverride(start)
        return str(new.numId)

    # -- elements ----------------------------------------------------------
    def write(self, layout: Layout) -> str:
        return "".join(etree.tostring(child, encoding="unicode") for child in self.elements(layout))

    def elements(self, layout: Layout) -> list[Any]:
        """The body's paragraphs and tables, as elements (to be moved into the document)."""
        body = etree.Element(_w("body"), nsmap=NSMAP)
        for element in layout.elements:
            self.element(body, element)
        return list(body)

    def element(self, body: Any, el: Element) -> None:
        if isinstance(el, Heading):
            text = f"{el.number} {el.text}" if el.number else el.text
            keep_with_next(self.paragraph(body, HEADING_STYLES[el.level], [(text, {})]))
        elif isinstance(el, Line):
            p = self.paragraph(body, el.style, [], el.prefix)
            if el.keep_with_next:
                keep_with_next(p)
            self.linked_text(p, el.text)
        elif isinstance(el, Grid):
            self.grid(body, el)
        elif isinstance(el, Prose):
            _Markdown(self, body, el).run()

    def paragraph(self, body: Any, style: str, runs: list[tuple[str, dict[str, bool]]],
                  prefix: str | None = None) -> Any:
        p = _el(body, "p")
        ppr = _el(p, "pPr")
        _el(ppr, "pStyle", val=self.styles[style])
        if self.after_block and body.tag == _w("body"):
            set_ppr(p, "spacing", before=SPACE_AFTER_BLOCK)
        if body.tag == _w("body"):
            self.after_block = False
        if prefix:
            self.run(p, prefix, {})
            _el(_el(p, "r"), "tab")
        for text, fmt in runs:
            self.run(p, text, fmt)
        return p

    def run(self, parent: Any, text: str, fmt: dict[str, Any]) -> None:
        r = _el(parent, "r")
        if fmt:
            rpr = _el(r, "rPr")
            if fmt.get("link"):
                _el(rpr, "rStyle", val=self.styles["Hyperlink"])
            if fmt.get("bold"):
                _el(rpr, "b")
            if fmt.get("italic"):
                _el(rpr, "i")
            if fmt.get("align"):
                _el(rpr, "vertAlign", val=fmt["align"])
        for i, piece in enumerate(clean(text).split("\n")):
            if i:
                _el(r, "br")
            t = _el(r, "t")
            t.text = piece or None  # <w:t/>, as an empty text is written once parsed (same bytes either way in)
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def inline(self, p: Any, children: list[Token]) -> None:
        fmt: dict[str, Any] = {}
        target = p
        for tok in children:
            kind = tok.type
            if kind in ("text", "code_inline", "text_special"):
                self.run(target, tok.content, dict(fmt))
            elif kind == "softbreak":
                self.run(target, " ", dict(fmt))
            elif kind == "hardbreak":
                self.run(target, "\n", dict(fmt))
            elif kind == "strong_open":
                fmt["bold"] = True
            elif kind == "strong_close":
                fmt.pop("bold", None)
            elif kind == "em_open":
                fmt["italic"] = True
            elif kind == "em_close":
                fmt.pop("italic", None)
            elif kind in ("sub_open", "sup_open"):
                fmt["align"] = "subscript" if kind == "sub_open" else "superscript"
            elif kind in ("sub_close", "sup_close"):
                fmt.pop("align", None)
            elif kind == "link_open":
                target = self.hyperlink(p, str(tok.attrs.get("href", "")))
                fmt["link"] = True
            elif kind == "link_close":
                target = p
                fmt.pop("link", None)
            elif kind == "image":
                self.run(target, tok.content, dict(fmt))

    def linked_text(self, p: Any, text: str) -> None:
        """Literal text in which email addresses become mailto: links (contact blocks)."""
        pos = 0
        for match in EMAIL_RE.finditer(text):
            if match.start() > pos:
                self.run(p, text[pos:match.start()], {})
            self.run(self.hyperlink(p, f"mailto:{match.group(0)}"), match.group(0), {"link": True})
            pos = match.end()
        if pos < len(text) or not text:
            self.run(p, text[pos:], {})

    def hyperlink(self, p: Any, url: str) -> Any:
        rid = self.part.relate_to(url or "#", RT.HYPERLINK, is_external=True)
        link = _el(p, "hyperlink")
        link.set(f"{{{R}}}id", rid)
        return link

    def grid(self, body: Any, grid: Grid) -> None:
        if grid.caption:
            keep_with_next(self.paragraph(body, "Caption", [(grid.caption, {})]))
        cols = len(grid.columns)
        widths = _widths(grid, cols)
        tbl = _el(body, "tbl")
        tpr = _el(tbl, "tblPr")
        _el(tpr, "tblStyle", val=self.styles["Report Table"])
        _el(tpr, "tblW", w="5000", type="pct")
        _el(tpr, "tblLayout", type="fixed")
        if grid.caption:
            _el(tpr, "tblCaption", val=clean(grid.caption))
        tgrid = _el(tbl, "tblGrid")
        for width in widths:
            _el(tgrid, "gridCol", w=str(width))
        self.row(tbl, grid.columns, widths, header=True)
        for cells in grid.rows:
            self.row(tbl, [_inline_cell(c) for c in cells] if grid.markdown else cells, widths)
        if grid.total:
            self.row(tbl, grid.total, widths, bold=True)
        self.after_block = True

    def row(self, tbl: Any, cells: list[Any], widths: list[int], header: bool = False, bold: bool = False) -> None:
        tr = _el(tbl, "tr")
        trpr = _el(tr, "trPr")
        _el(trpr, "cantSplit")
        if header:
            _el(trpr, "tblHeader")  # repeats on each page and makes PDF export tag TH cells
        padded = list(cells) + [""] * (len(widths) - len(cells))
        for width, cell in zip(widths, padded):
            tc = _el(tr, "tc")
            _el(_el(tc, "tcPr"), "tcW", w=str(width), type="dxa")
            style = "Table Heading" if header else "Table Text"
            if isinstance(cell, Token):  # a Markdown table cell keeps its inline formatting
                p = self.paragraph(tc, style, [])
                self.inline(p, cell.children or [])
                continue
            p = self.paragraph(tc, style, [(cell_text(cell), {"bold": bold} if bold else {})])
            if isinstance(cell, (int, float)) and not isinstance(cell, bool):
                set_ppr(p, "jc", val="right")


def style_ids(docx: Document) -> dict[str, str]:
    """The template's named styles (as Word shows them) -> style ids."""
    ids = {}
    for style in docx.styles.element.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None:
            ids[BabelFish.internal2ui(name.get(qn("w:val")))] = style.get(qn("w:styleId"))
    return ids


def _inline_cell(cell: Any) -> Any:
    """A content cell with Markdown (**bold**, *italic*, CO~2~) as its inline token; plain cells stay as they are."""
    if not isinstance(cell, str) or plain(cell) is not None:
        return cell
    # A line break in a cell stays a line break (a Markdown hard break), as in a plain cell.
    tokens = markdown().parseInline(cell.replace("\n", "\\\n"))
    return tokens[0] if tokens else cell


def _widths(grid: Grid, cols: int) -> list[int]:
    numeric_last = cols > 1 and any(
        isinstance(r[-1], (int, float)) for r in grid.rows if len(r) == cols)
    if numeric_last:
        last = TEXT_WIDTH // 4
        rest = (TEXT_WIDTH - last) // (cols - 1)
        return [rest] * (cols - 1) + [last]
    if grid.kind == "agenda" and cols == 4:  # item number, business, wards, pages
        return [800, TEXT_WIDTH - 800 - 1900 - 1300, 1900, 1300]
    if grid.kind == "glossary":
        return [TEXT_WIDTH // 3, TEXT_WIDTH - TEXT_WIDTH // 3]
    return [TEXT_WIDTH // max(cols, 1)] * cols


class _Markdown:
    """Walks markdown-it tokens of one Prose element and writes paragraphs."""

    def __init__(self, writer: Writer, body: Any, el: Prose) -> None:
        self.w = writer
        self.body = body
        self.el = el
        self.first = True
        self.lists: list[tuple[str, str]] = []  # (style, numId) per open list level
        self.item_start = False
        self.table_rows: list[list[str]] | None = None
        self.in_quote = 0

    def run(self) -> None:
        text = plain(self.el.markdown)
        if text is not None:  # fast path: most paragraphs carry no Markdown at all
            keep_with_next(self.w.paragraph(self.body, self.el.style, [(text, {})], self.el.prefix), text or " ")
            return
        tokens = markdown().parse(self.el.markdown)
        if too_deep(tokens):  # the parser dropped what lies deeper: print every line as typed instead
            for n, line in enumerate(self.el.markdown.strip().split("\n")):
                style, prefix = (self.el.style, self.el.prefix) if n == 0 else (self.el.continuation, None)
                self.w.paragraph(self.body, style, [(line.strip(), {})], prefix)
            return
        i = 0
        while i < len(tokens):
            i = self.token(tokens, i)

    def token(self, tokens: list[Token], i: int) -> int:
        tok = tokens[i]
        kind = tok.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            self.open_list(tok)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
            self.w.after_block = not self.lists
        elif kind == "list_item_open":
            self.item_start = True
        elif kind == "blockquote_open":
            self.in_quote += 1
        elif kind == "blockquote_close":
            self.in_quote -= 1
        elif kind == "table_open":
            return self.table(tokens, i)
        elif kind in ("heading_open",):
            self.inline_paragraph(tokens[i + 1], "Heading 4")
            return i + 3
        elif kind == "paragraph_open":
            self.inline_paragraph(tokens[i + 1], None)
            return i + 3
        elif kind in ("fence", "code_block"):
            for line in tok.content.rstrip("\n").split("\n"):
                self.w.paragraph(self.body, self.el.continuation, [(line, {})])
        return i + 1

    def open_list(self, tok: Token) -> None:
        if tok.type == "bullet_list_open":
            self.lists.append(("List Bullet", self.w.list_num["List Bullet"]))
            return
        style = "List Letter" if tok.attrs.get("type") in ("a", "A") else "List Number"
        start = int(tok.attrs.get("start", 1) or 1)
        level = min(len(self.lists), MAX_LIST_LEVELS - 1)
        self.lists.append((style, self.w.restart(self.w.list_num[style], level, start)))

    def inline_paragraph(self, inline: Token, style: str | None) -> None:
        prefix = None
        numpr = None
        if style is None:
            if self.lists and self.item_start:
                style, num = self.lists[-1]
                # Word has nine list levels: deeper items print at the ninth, never dropped.
                numpr = (num, min(len(self.lists), MAX_LIST_LEVELS) - 1)
            elif self.lists:
                style = "Paragraph Continuation"
            elif self.in_quote:
                style = "Quote"
            elif self.first:
                style, prefix = self.el.style, self.el.prefix
            else:
                style = self.el.continuation
        self.item_start = False
        self.first = False
        p = self.w.paragraph(self.body, style, [], prefix)
        if numpr:
            npr = set_ppr(p, "numPr")
            _el(npr, "ilvl", val=str(numpr[1]))
            _el(npr, "numId", val=numpr[0])
        self.w.inline(p, inline.children or [])
        keep_with_next(p, "".join(t.content for t in inline.children or [] if t.type == "text") or " ")

    def table(self, tokens: list[Token], i: int) -> int:
        rows: list[list[Any]] = []
        while tokens[i].type != "table_close":
            tok = tokens[i]
            if tok.type == "tr_open":
                rows.append([])
            elif tok.type == "inline":
                rows[-1].append(tok)
            i += 1
        if rows:
            self.w.grid(self.body, Grid(rows[0], list(rows[1:])))
        return i + 1
