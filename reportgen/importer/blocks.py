"""Paragraphs and tables of one section -> blocks of Markdown: numbers dropped, lists, quotes and tables kept."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reportgen.importer.docxread import Para, Table

#: A paragraph number as printed or typed: "12.", "2.3", "1.2.", "4)" followed by a tab or spaces.
NUMBER = re.compile(r"^\s*(?P<n>\d{1,3}(?:\.\d{1,3})*)[.)]?(?:\t|\s+)(?=\S)")
#: A recommendation's letter: "(a)", "(A)", "a)", "a.", "(iv)".
LETTER = re.compile(r"^\s*(?P<n>\(?(?:[a-zA-Z]|[ivx]{1,4})[).])(?:\t|\s+)(?=\S)")
#: A typed bullet at the start of a line.
BULLET = re.compile(r"^\s*[•·▪◦●\-–]\s+")
_SUB = {"heading 3", "heading 4", "heading 5", "subtitle"}


@dataclass
class Leftover:
    """Something read that has no place in the content: located by paragraph number and a quote."""

    number: int
    quote: str
    why: str

    def __str__(self) -> str:
        quote = self.quote if len(self.quote) <= 80 else self.quote[:77].rstrip() + "..."
        return f"paragraph {self.number}: \"{quote}\": {self.why}"


@dataclass
class Context:
    """What the section readers share: whether the document was made by reportgen (its named styles), and
    every numbered paragraph by its printed number, for typed cross-references."""

    own_styles: bool
    numbered: dict[str, dict[str, Any]] = field(default_factory=dict)
    leftovers: list[Leftover] = field(default_factory=list)
    notes: list[Leftover] = field(default_factory=list)
    #: the number a style prints before a sub-heading ("2.0 "), dropped from it
    heading_number: re.Pattern[str] | None = None
    #: id() of each block or item made -> the paragraph number it came from, to locate warnings about it
    where: dict[int, int] = field(default_factory=dict)


def style_of(p: Para) -> str:
    return p.style.casefold()


def is_subheading(p: Para, own_styles: bool) -> bool:
    """A sub-heading: Heading 3/4, or (typed) a short all-bold paragraph that is not a sentence."""
    if style_of(p) in _SUB or (not own_styles and style_of(p).startswith("heading")):
        return True  # a typed document's heading that is no section of the style is a sub-heading
    if own_styles or not p.text.strip() or p.level is not None:
        return False
    return p.bold and len(p.text) < 90 and not p.text.rstrip().endswith((".", ":", ";", ","))


def strip_number(p: Para) -> tuple[str | None, str]:
    """(printed number, Markdown without it)."""
    m = NUMBER.match(p.text)
    if not m:
        return None, p.markdown
    return m.group("n"), _drop_prefix(p.markdown, m.group(0))


def _drop_prefix(markdown: str, prefix: str) -> str:
    """The Markdown without the printed prefix (which may sit inside bold marks)."""
    core = prefix.strip()
    for lead in ("", "**", "*", "***"):
        if markdown.lstrip().startswith(lead + core):
            rest = markdown.lstrip()[len(lead + core):].lstrip("\t ")
            return lead + rest if lead else rest
    return markdown[len(prefix):] if markdown.startswith(prefix) else markdown


def numbered(p: Para, ctx: Context) -> tuple[str | None, str] | None:
    """(number, Markdown) when the paragraph is a numbered paragraph of its section, else None."""
    st = style_of(p)
    if ctx.own_styles:
        if st in ("numbered paragraph",):
            return strip_number(p)
        return None
    if st.startswith("list bullet"):
        return None
    number, text = strip_number(p)
    if number is not None:
        return number, text
    if p.level == 0 and st not in ("list bullet",):  # Word's own list numbering at the outer level
        return "", p.markdown
    return None


class Prose:
    """Builds the blocks of one prose section."""

    def __init__(self, ctx: Context, numbered_section: bool) -> None:
        self.ctx = ctx
        self.numbered_section = numbered_section
        self.blocks: list[dict[str, Any]] = []
        self.heading: str | None = None
        self.lists: list[int] = []  # marker widths of the open list levels
        #: caption and note read before a table, given to it
        self.pending: dict[str, str] = {}
        self.at = 0  # the paragraph being read

    # -- building ---------------------------------------------------------------------------------
    def start(self, text: str, numbered_block: bool, number: str | None = None) -> None:
        block: dict[str, Any] = {"text": text}
        if self.heading is not None:
            block = {"heading": self.heading, **block}
            self.heading = None
        if not numbered_block and self.numbered_section:
            block["numbered"] = False
        self.blocks.append(block)
        self.ctx.where[id(block)] = self.at
        self.lists = []
        if number:
            self.ctx.numbered[number] = block

    def append(self, markdown: str) -> None:
        if not self.blocks or self.heading is not None or "text" not in self.blocks[-1] or self.blocks[-1].get("table"):
            self.start(markdown, False)
            return
        self.blocks[-1]["text"] += "\n\n" + markdown
        self.lists = []

    def list_item(self, p: Para, ordered: bool, lettered: bool) -> None:
        level = p.level or 0
        text = BULLET.sub("", p.markdown) if not ordered else p.markdown
        if not self.blocks or "text" not in self.blocks[-1] or self.heading is not None or self.blocks[-1].get("table"):
            self.start("", not self.numbered_section)
            self.blocks[-1]["text"] = ""
        del self.lists[level + 1:]
        indent = sum(self.lists[:level])
        marker = "1. " if ordered else "- "
        first = len(self.lists) <= level
        while len(self.lists) <= level:
            self.lists.append(len(marker))
        block = self.blocks[-1]
        sep = "\n" if not first or level > 0 else "\n\n"
        if first and level == 0 and lettered:
            sep += "{type=a}\n"
        line = " " * indent + marker + text
        block["text"] = (block["text"] + sep + line) if block["text"] else (sep.strip("\n") + "\n" if lettered else "") + line

    def table(self, table: dict[str, Any]) -> None:
        table.update(self.pending)
        self.pending = {}
        if self.blocks and not self.blocks[-1].get("table") and self.heading is None:
            self.blocks[-1]["table"] = table
            return
        block: dict[str, Any] = {"table": table}
        if self.heading is not None:
            block = {"heading": self.heading, **block}
            self.heading = None
        self.blocks.append(block)

    # -- reading ----------------------------------------------------------------------------------
    def read(self, items: list[Para | Table]) -> list[dict[str, Any]]:
        for i, item in enumerate(items):
            if isinstance(item, Table):
                self.table(data_table(item))
                continue
            if self._is_note(items, i):
                self.pending["note"] = item.markdown
                continue
            self.paragraph(item)
        if self.heading is not None:
            self.blocks.append({"heading": self.heading})
        return self.blocks

    def _is_note(self, items: list[Para | Table], i: int) -> bool:
        """reportgen prints a table's note as an unnumbered paragraph just before it, after its block."""
        p = items[i]
        nxt = items[i + 1:i + 3]
        before_table = bool(nxt) and (isinstance(nxt[0], Table) or (
            len(nxt) == 2 and isinstance(nxt[0], Para) and style_of(nxt[0]) == "caption" and isinstance(nxt[1], Table)))
        return (self.ctx.own_styles and self.numbered_section and isinstance(p, Para) and style_of(p) == "body text"
                and before_table and bool(self.blocks) and self.heading is None and not self.blocks[-1].get("table"))

    def paragraph(self, p: Para) -> None:
        self.at = p.number
        st = style_of(p)
        if not p.text.strip():
            return
        if is_subheading(p, self.ctx.own_styles):
            if self.heading is not None:
                self.blocks.append({"heading": self.heading})
            heading = p.text.strip()
            if self.ctx.heading_number is not None:
                heading = self.ctx.heading_number.sub("", heading, count=1) if self.ctx.heading_number.match(heading) else heading
            self.heading = heading
            return
        num = numbered(p, self.ctx)
        if num is not None and self.numbered_section:
            self.start(num[1], True, num[0])
            return
        if st.startswith("list") or (p.level is not None) or (not self.ctx.own_styles and BULLET.match(p.text)):
            ordered = st.startswith(("list number", "list letter")) or (p.level is not None and not st.startswith("list bullet") and not self.ctx.own_styles and not BULLET.match(p.text))
            self.list_item(p, ordered, st.startswith("list letter"))
            return
        if st == "quote" or st == "intense quote":
            self.append("> " + p.markdown)
            return
        if st == "paragraph continuation" or (not self.ctx.own_styles and self.numbered_section and self.blocks
                                              and self.heading is None):
            self.append(p.markdown)
            return
        if st == "caption":
            self.pending["caption"] = p.text
            return
        self.start(p.markdown, not self.numbered_section)


def cell(text: str) -> str | int | float:
    """A table cell: a number when it prints as one ("31,000" -> 31000), else its Markdown."""
    plain = text.strip()
    if re.fullmatch(r"-?\d{1,3}(?:,\d{3})+|-?\d+", plain):
        return int(plain.replace(",", ""))
    if re.fullmatch(r"-?\d+\.\d+", plain):
        return float(plain)
    return plain


def data_table(table: Table) -> dict[str, Any]:
    """A table -> content Table data: header row, rows, a bold last row as the total."""
    rows = [[cell(c) for c in row] for row in table.rows]
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    columns = [str(c) for c in rows[0]] if table.header and rows else [f"Column {i + 1}" for i in range(width)]
    body = rows[1:] if table.header else rows
    out: dict[str, Any] = {"columns": [re.sub(r"^\*\*(.*)\*\*$", r"\1", c) for c in columns], "rows": body}
    if len(body) > 1 and table.bold_rows and table.bold_rows[-1] and not all(table.bold_rows[1:]):
        out["total"] = [_unbold(c) for c in body[-1]]
        out["rows"] = body[:-1]
    return out


def _unbold(value: str | int | float) -> str | int | float:
    if isinstance(value, str):
        return cell(re.sub(r"^\*\*(.*)\*\*$", r"\1", value))
    return value
