"""The body of a report's web page: laid-out elements as semantic HTML elements, in the DOCX's order.

Prose is parsed with the same markdown-it parser the DOCX writer uses, so both editions carry the
same paragraphs, lists, tables and wording. Each numbered paragraph gets an anchor (#para-12,
#para-2.3), each recommendation one (#rec-a), and every [[label]] reference becomes a link to it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from reportgen.html.nodes import Node
from reportgen.layout.arrange import REF, EMAIL_RE, Grid, Heading, Layout, Line, Prose, cell_text
from reportgen.layout.markdown import markdown, plain

#: Layout style names as CSS classes: "Numbered Paragraph" -> "numbered-paragraph".
_SLUG = re.compile(r"[^a-z0-9]+")
#: Only these link targets in content become links; anything else prints as its text.
_SAFE_URL = re.compile(r"^(?:https?:|mailto:|tel:|#|[^:/?#]+(?:[/?#]|$))", re.IGNORECASE)


def css_class(style: str) -> str:
    return _SLUG.sub("-", style.casefold()).strip("-")


@dataclass
class Section:
    """A contents-list entry: a section heading and its anchor."""

    id: str
    text: str


@dataclass
class Body:
    """The report body as an element tree, and the contents list of its sections."""

    root: Node
    sections: list[Section] = field(default_factory=list)


class _Levels:
    """Heading levels without gaps: a heading is at most one level below the one before it."""

    def __init__(self, start: int) -> None:
        self.last = start

    def take(self, wanted: int) -> int:
        level = max(2, min(wanted, self.last + 1, 6))
        self.last = level
        return level


def body(layout: Layout, appendix_links: dict[int, str] | None = None, first_level: int = 1) -> Body:
    """Turn a laid-out report into the element tree of its web page body.

    `appendix_links` maps an appendix's index to the address of its file (no entry: no link);
    `first_level` is the heading level just above the body (1 under the page's <h1>).
    """
    writer = _Writer(layout, appendix_links or {}, _Levels(first_level))
    for el in layout.elements:
        writer.element(el)
    return Body(writer.root, writer.sections)


class _Writer:
    def __init__(self, layout: Layout, appendix_links: dict[int, str], levels: _Levels) -> None:
        self.layout = layout
        self.links = appendix_links
        self.levels = levels
        self.root = Node("div", {"id": "report-body", "class": "report-body"})
        self.sections: list[Section] = []
        #: The heading the next table sits under, and how many tables it has had: a table without a
        #: caption of its own is captioned by its heading ("Risks", "Risks (table 2)").
        self.under = ""
        self.tables = 0

    def caption(self) -> str:
        self.tables += 1
        if not self.under:
            return f"Table {self.tables}"
        return self.under if self.tables == 1 else f"{self.under} (table {self.tables})"

    def under_heading(self, text: str) -> None:
        self.under, self.tables = text.rstrip(": "), 0

    def element(self, el: Heading | Prose | Line | Grid) -> None:
        if isinstance(el, Heading):
            self.heading(el)
        elif isinstance(el, Line):
            self.line(el)
        elif isinstance(el, Grid):
            self.grid(self.root, el)
        else:
            _Prose(self, el).run()

    def heading(self, el: Heading) -> None:
        level = self.levels.take(el.level + 1)
        text = f"{el.number} {el.text}" if el.number else el.text
        node = self.root.el(f"h{level}")
        self.under_heading(el.text)
        if el.level == 1:
            node.attrs["id"] = f"section-{len(self.sections) + 1}"
            self.sections.append(Section(node.attrs["id"], text))
        node.add(text)

    def line(self, el: Line) -> None:
        p = self.root.el("p", class_=css_class(el.style))
        if el.anchor:  # a numbered line is a numbered paragraph: [[label]]-style links can reach it
            p.attrs["id"] = el.anchor
        if el.prefix:  # a style that numbers appendix, background-paper and contact lines
            p.el("span", class_="num").add(el.prefix)
            p.add(" ")
        href = None
        if el.loc and el.loc[0] == "appendices" and isinstance(el.loc[1], int):
            href = self.links.get(el.loc[1])
        if href:
            p.el("a", href=href).add(el.text)
            return
        linked_text(p, el.text)

    def grid(self, parent: Node, grid: Grid) -> None:
        """A table: caption, header row of <th scope=col>, body rows, the total row in <tfoot>."""
        wrap = parent.el("div", class_=f"table-wrap table-{grid.kind}")
        table = wrap.el("table")
        if grid.caption:
            table.el("caption").add(grid.caption)
        else:
            table.el("caption", class_="heading-caption").add(self.caption())
        head = table.el("thead").el("tr")
        for column in grid.columns:
            head.el("th", scope="col").add(column)
        tbody = table.el("tbody")
        for row in grid.rows:
            self.row(tbody.el("tr"), row, len(grid.columns), grid.markdown)
        if grid.total:
            self.row(table.el("tfoot").el("tr"), grid.total, len(grid.columns))

    def row(self, tr: Node, cells: list[str | int | float], width: int, marked: bool = False) -> None:
        for cell in list(cells) + [""] * (width - len(cells)):
            numeric = isinstance(cell, (int, float)) and not isinstance(cell, bool)
            td = tr.el("td", class_="num") if numeric else tr.el("td")
            if marked and isinstance(cell, str) and plain(cell) is None:
                # An author's data cell with Markdown (**bold**, CO~2~), as the DOCX writer reads it:
                # a line break in the cell stays a line break.
                tokens = markdown().parseInline(cell.replace("\n", "\\\n"))
                if tokens:
                    _Prose(self, Prose(cell, ())).inline(td, tokens[0].children or [])
                    continue
            text = cell_text(cell)
            for i, piece in enumerate(text.split("\n")):
                if i:
                    td.el("br")
                td.add(piece)


def linked_text(parent: Node, text: str) -> None:
    """Literal text in which email addresses become mailto: links, as in the DOCX contact block."""
    pos = 0
    for match in EMAIL_RE.finditer(text):
        if match.start() > pos:
            parent.add(text[pos:match.start()])
        parent.el("a", href=f"mailto:{match.group(0)}").add(match.group(0))
        pos = match.end()
    if pos < len(text):
        parent.add(text[pos:])


class _Prose:
    """Walks the markdown-it tokens of one Prose element into elements (cf. the DOCX _Markdown)."""

    def __init__(self, writer: _Writer, el: Prose) -> None:
        self.w = writer
        self.el = el
        self.stack: list[Node] = [writer.root]
        self.first = True
        self.anchored = False
        # Tight lists mark their paragraphs hidden: the text goes straight into the <li>.
        self.hidden: list[bool] = []

    def run(self) -> None:
        text = plain(self.el.markdown) if self.el.source is None else None
        if text is not None:  # the same fast path as the DOCX writer: most paragraphs are plain
            p = self.open_block("p", first=True)
            p.add(text)
            return
        tokens = markdown().parse(self.el.source if self.el.source is not None else self.el.markdown)
        for tok in tokens:
            self.token(tok)

    @property
    def top(self) -> Node:
        return self.stack[-1]

    def in_list(self) -> bool:
        return any(n.tag == "li" for n in self.stack)

    def open_block(self, tag: str, first: bool = False, attrs: dict[str, str] | None = None) -> Node:
        """A block element under the current one; the Prose's first block carries its number and anchor."""
        node = self.top.el(tag)
        node.attrs.update(attrs or {})
        if not self.anchored and self.el.anchor and self.top is self.w.root:
            node.attrs["id"] = self.el.anchor
        self.anchored = self.anchored or self.top is self.w.root
        if tag == "p":
            lead = first and self.first and not self.in_list()
            node.attrs["class"] = css_class(self.el.style if lead else self.el.continuation)
            if lead and self.el.prefix:
                node.el("span", class_="num").add(self.el.prefix)
                node.add(" ")
            self.first = False
        return node

    def token(self, tok: Token) -> None:
        kind = tok.type
        if kind == "paragraph_open":
            self.hidden.append(tok.hidden)
            if not tok.hidden:
                self.stack.append(self.open_block("p", first=True))
            elif self.top.tag == "li" and self.top.children:
                self.top.add(" ")  # a second tight paragraph in one item
        elif kind == "paragraph_close":
            if not self.hidden.pop():
                self.stack.pop()
        elif kind == "inline":
            self.inline(self.top, tok.children or [])
        elif kind == "bullet_list_open":
            self.stack.append(self.open_block("ul"))
        elif kind == "ordered_list_open":
            attrs: dict[str, str] = {}
            if tok.attrs.get("type") in ("a", "A", "i", "I"):
                attrs["type"] = str(tok.attrs["type"])
            if tok.attrs.get("type") in ("a", "A"):  # lettered as the PDF's List Letter style: (a), (b)
                # a class, not [type=a]: HTML matches that attribute without regard to case
                attrs["class"] = "letters" if tok.attrs["type"] == "a" else "letters-upper"
            if int(tok.attrs.get("start", 1) or 1) != 1:
                attrs["start"] = str(tok.attrs["start"])
            self.stack.append(self.open_block("ol", attrs=attrs))
        elif kind == "list_item_open":
            self.stack.append(self.top.el("li"))
        elif kind == "blockquote_open":
            self.stack.append(self.open_block("blockquote", attrs={"class": "quote"}))
        elif kind == "heading_open":
            self.stack.append(self.open_block(f"h{self.w.levels.take(5)}"))
        elif kind == "table_open":
            wrap = self.open_block("div", attrs={"class": "table-wrap"})
            table = wrap.el("table")
            table.el("caption", class_="heading-caption").add(self.w.caption())
            self.stack += [wrap, table]
        elif kind in ("thead_open", "tbody_open", "tr_open"):
            self.stack.append(self.top.el(kind[:-5]))
        elif kind == "th_open":
            self.stack.append(self.top.el("th", scope="col"))
        elif kind == "td_open":
            self.stack.append(self.top.el("td"))
        elif kind.endswith("_close") and kind not in ("paragraph_close",):
            if kind == "heading_close":
                self.w.under_heading(self.top.text())
            self.stack.pop()
            if kind == "table_close":
                self.stack.pop()  # its wrapper too

    def inline(self, parent: Node, children: list[Token]) -> None:
        stack = [parent]
        for tok in children:
            kind = tok.type
            top = stack[-1]
            if kind in ("text", "code_inline", "text_special", "image"):
                self.text(top, tok.content)
            elif kind == "softbreak":
                top.add(" ")
            elif kind == "hardbreak":
                top.el("br")
            elif kind in ("strong_open", "em_open", "sub_open", "sup_open"):
                stack.append(top.el({"strong_open": "strong", "em_open": "em", "sub_open": "sub",
                                     "sup_open": "sup"}[kind]))
            elif kind == "link_open":
                href = str(tok.attrs.get("href", ""))
                stack.append(top.el("a", href=href) if _SAFE_URL.match(href) else top.el("span"))
            elif kind in ("strong_close", "em_close", "sub_close", "sup_close", "link_close") and len(stack) > 1:
                stack.pop()

    def text(self, parent: Node, text: str) -> None:
        """Text with each [[label]] reference as a link to the paragraph it names."""
        if self.el.source is None or "[[" not in text:
            parent.add(text)
            return
        pos = 0
        for match in REF.finditer(text):
            label = match.group(1)
            if label not in self.w.layout.labels:
                continue
            parent.add(text[pos:match.start()])
            parent.el("a", href=f"#{self.w.layout.anchors[label]}", class_="xref").add(self.w.layout.labels[label])
            pos = match.end()
        parent.add(text[pos:])
