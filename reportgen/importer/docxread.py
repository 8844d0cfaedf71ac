"""Read a Word document as data: paragraphs (with inline Markdown), tables, comments and images.

The DOCX is treated as untrusted input: the archive limits of every input apply, the XML parser
resolves no entities, loads no DTD and fetches nothing, and nesting deeper than the parser's limit is
refused. Nothing in the document is executed or templated; linked (external) images are never fetched.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from lxml import etree

from reportgen.content.limits import archive_problem
from reportgen.errors import ContentError, Problem

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DRAW = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


#: Revision marks: a tracked insertion, deletion or move (the same test as appendices get).
TRACKED = ("ins", "del", "moveFrom", "moveTo")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass
class Para:
    """One paragraph: `number` counts the document's paragraphs from 1 (how the import report locates it)."""

    number: int
    style: str
    markdown: str
    text: str
    level: int | None = None  # Word list level, when the paragraph has list numbering
    bold: bool = False  # every character is bold (a typed heading)
    italic: bool = False


@dataclass
class Table:
    number: int  # the paragraph number of its first cell
    rows: list[list[str]]
    bold_rows: list[bool]
    header: bool  # the first row repeats as a header row (or is in a heading style)


Item = Union[Para, Table]


@dataclass
class Comment:
    number: int
    anchored: str
    text: str


@dataclass
class Image:
    name: str
    data: bytes
    alt: str
    number: int


@dataclass
class Document:
    items: list[Item] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    #: (paragraph number, message): things read but not as written (linked images, field codes)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    style_names: set[str] = field(default_factory=set)
    #: the document's author (core properties): reportgen writes the council's name there
    author: str = ""


def located(path: Path, message: str, line: int = 1) -> ContentError:
    """An error about the document, located like every input problem (file:line:col: message)."""
    return ContentError(problems=[Problem(path, line, 1, "", message)])


def _xml(archive: zipfile.ZipFile, name: str, path: Path) -> Any:
    try:
        return etree.fromstring(archive.read(name), _PARSER)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise located(path, f"{name}: not well-formed XML ({exc.msg})", line) from None
    except KeyError:
        raise located(path, f"{name}: part is missing") from None


def _rels(archive: zipfile.ZipFile, path: Path) -> dict[str, tuple[str, bool]]:
    """Relationship id -> (target, external) of the main document part."""
    name = "word/_rels/document.xml.rels"
    if name not in archive.namelist():
        return {}
    root = _xml(archive, name, path)
    return {r.get("Id"): (r.get("Target", ""), r.get("TargetMode") == "External")
            for r in root.iter(f"{{{REL}}}Relationship")}


def _style_names(archive: zipfile.ZipFile, path: Path) -> dict[str, str]:
    if "word/styles.xml" not in archive.namelist():
        return {}
    root = _xml(archive, "word/styles.xml", path)
    names = {}
    for style in root.iter(_w("style")):
        name = style.find(_w("name"))
        if name is not None:
            names[style.get(_w("styleId"), "")] = name.get(_w("val"), "")
    return names


def _on(el: Any) -> bool:
    return el is not None and el.get(_w("val"), "true") not in ("0", "false", "off")


def read_docx(path: Path) -> Document:
    """The document's content; ContentError (located) when it cannot or must not be read."""
    why = archive_problem(path)
    if why:
        raise located(path, why)
    with zipfile.ZipFile(path) as archive:
        body = _xml(archive, "word/document.xml", path)
        tracked = [el for tag in TRACKED for el in body.iter(_w(tag))]
        if tracked:
            paragraphs = list(body.iter(_w("p")))
            first = next((n for n, p in enumerate(paragraphs, 1) if next(p.iter(*(_w(t) for t in TRACKED)), None) is not None), 1)
            raise located(path, f"paragraph {first}: the document has {len(tracked)} tracked change(s); accept or "
                                "reject them in Word or LibreOffice (Review > Accept All) before importing")
        reader = _Reader(path, archive, _rels(archive, path), _style_names(archive, path))
        reader.body(body)
        reader.comments(archive)
        if "docProps/core.xml" in archive.namelist():
            core = _xml(archive, "docProps/core.xml", path)
            creator = core.find("{http://purl.org/dc/elements/1.1/}creator")
            reader.doc.author = (creator.text or "").strip() if creator is not None else ""
        return reader.doc


class _Reader:
    def __init__(self, path: Path, archive: zipfile.ZipFile, rels: dict[str, tuple[str, bool]],
                 styles: dict[str, str]) -> None:
        self.path = path
        self.archive = archive
        self.rels = rels
        self.styles = styles
        self.doc = Document()
        self.count = 0

    def body(self, root: Any) -> None:
        body = root.find(_w("body"))
        if body is None:
            raise located(self.path, "word/document.xml: no document body")
        for child in body:
            tag = etree.QName(child).localname
            if tag == "p":
                self.doc.items.append(self.paragraph(child))
            elif tag == "tbl":
                self.doc.items.append(self.table(child))
            elif tag == "sdt":  # a content control around paragraphs: read what it holds
                content = child.find(_w("sdtContent"))
                for inner in content if content is not None else []:
                    if etree.QName(inner).localname == "p":
                        self.doc.items.append(self.paragraph(inner))
                    elif etree.QName(inner).localname == "tbl":
                        self.doc.items.append(self.table(inner))

    def paragraph(self, p: Any) -> Para:
        self.count += 1
        number = self.count
        style_el = p.find(f"{_w('pPr')}/{_w('pStyle')}")
        style = self.styles.get(style_el.get(_w("val"), ""), style_el.get(_w("val"), "")) if style_el is not None else ""
        self.doc.style_names.add(style)
        ilvl = p.find(f"{_w('pPr')}/{_w('numPr')}/{_w('ilvl')}")
        num = p.find(f"{_w('pPr')}/{_w('numPr')}/{_w('numId')}")
        level = None
        if num is not None and num.get(_w("val")) != "0":
            level = int(ilvl.get(_w("val"), "0")) if ilvl is not None and ilvl.get(_w("val"), "0").isdigit() else 0
        elif style.casefold().startswith("list"):
            # "List Bullet 2": the level is in the style's name when the numbering is the style's own
            tail = style.rsplit(" ", 1)[-1]
            level = int(tail) - 1 if tail.isdigit() and 1 <= int(tail) <= 9 else 0
        pieces: list[tuple[str, tuple[bool, bool, str], str | None]] = []
        self.inline(p, pieces, None, number)
        markdown, text, bold, italic = _join(pieces)
        return Para(number, style, markdown, text, level, bold, italic)

    def inline(self, parent: Any, pieces: list[tuple[str, tuple[bool, bool, str], str | None]],
               link: str | None, number: int) -> None:
        """Runs of a paragraph in order; iterative over the known containers, so no recursion depth. A complex
        field's instruction (instrText) is never run: only its printed result, in the runs after it, is read."""
        stack = [(iter(parent), link)]
        while stack:
            children, href = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                continue
            tag = etree.QName(child).localname
            if tag == "r":
                instr = child.find(_w("instrText"))
                if instr is not None:
                    self.doc.warnings.append((number, f"field code `{(instr.text or '').strip()[:60]}` kept as its "
                                                      "printed result, never run"))
                    continue
                self.run(child, pieces, href, number)
            elif tag == "hyperlink":
                rid = child.get(f"{{{R}}}id")
                target = self.rels.get(rid or "", ("", False))[0] if rid else ""
                stack.append((iter(child), target or None))
            elif tag == "fldSimple":
                self.doc.warnings.append((number, f"field code `{child.get(_w('instr'), '').strip()[:60]}` kept as "
                                                  "its printed result, never run"))
                stack.append((iter(child), href))
            elif tag in ("smartTag", "sdt", "sdtContent", "customXml"):
                stack.append((iter(child), href))

    def run(self, r: Any, pieces: list[tuple[str, tuple[bool, bool, str], str | None]], href: str | None,
            number: int) -> None:
        rpr = r.find(_w("rPr"))
        bold = _on(rpr.find(_w("b"))) if rpr is not None else False
        italic = _on(rpr.find(_w("i"))) if rpr is not None else False
        align_el = rpr.find(_w("vertAlign")) if rpr is not None else None
        align = align_el.get(_w("val"), "") if align_el is not None else ""
        fmt = (bold, italic, align if align in ("subscript", "superscript") else "")
        for node in r:
            tag = etree.QName(node).localname
            if tag == "t":
                pieces.append((node.text or "", fmt, href))
            elif tag == "tab":
                pieces.append(("\t", fmt, href))
            elif tag in ("br", "cr"):
                pieces.append(("\n", fmt, href))
            elif tag in ("drawing", "pict", "object"):
                self.image(node, number)

    def image(self, node: Any, number: int) -> None:
        alt = ""
        for pr in node.iter(f"{{{WP}}}docPr"):
            alt = pr.get("descr") or pr.get("title") or ""
        for blip in node.iter(f"{{{DRAW}}}blip"):
            linked = blip.get(f"{{{R}}}link")
            embedded = blip.get(f"{{{R}}}embed")
            if linked:
                target = self.rels.get(linked, ("?", True))[0]
                self.doc.warnings.append((number, f"linked image {target} was not fetched (external images never are)"))
            if embedded:
                target, external = self.rels.get(embedded, ("", False))
                if external:
                    self.doc.warnings.append((number, f"external image {target} was not fetched"))
                    continue
                name = posixpath.normpath(posixpath.join("word", target))
                if name not in self.archive.namelist():
                    self.doc.warnings.append((number, f"image part {name} is missing"))
                    continue
                suffix = posixpath.splitext(name)[1].lower()
                self.doc.images.append(Image(f"image-{len(self.doc.images) + 1}{suffix}", self.archive.read(name),
                                             alt, number))
        if node.find(f".//{{urn:schemas-microsoft-com:office:office}}OLEObject") is not None:
            self.doc.warnings.append((number, "embedded object left out (never opened or run)"))

    def table(self, tbl: Any) -> Table:
        first = self.count + 1
        rows: list[list[str]] = []
        bold_rows: list[bool] = []
        header = False
        for i, tr in enumerate(tbl.findall(_w("tr"))):
            if i == 0 and tr.find(f"{_w('trPr')}/{_w('tblHeader')}") is not None:
                header = True
            cells = []
            all_bold = True
            for tc in tr.findall(_w("tc")):
                paras = [self.cell_paragraph(p) for p in tc.iter(_w("p"))]
                if i == 0 and any(p.style.casefold() == "table heading" for p in paras):
                    header = True
                cells.append("\n".join(p.markdown for p in paras).strip("\n"))
                all_bold = all_bold and all(p.bold or not p.text.strip() for p in paras)
            rows.append(cells)
            bold_rows.append(all_bold)
        if rows and not header and bold_rows[0] and len(rows) > 1:
            header = True  # a typed table whose first row is bold has it as its header row
        return Table(first, rows, bold_rows, header)

    def cell_paragraph(self, p: Any) -> Para:
        para = self.paragraph(p)
        para.markdown = para.markdown.replace("\\\n", "\n")
        return para

    def comments(self, archive: zipfile.ZipFile) -> None:
        if "word/comments.xml" not in archive.namelist():
            return
        root = _xml(archive, "word/comments.xml", self.path)
        anchored = self._anchored_text()
        for c in root.iter(_w("comment")):
            cid = c.get(_w("id"), "")
            text = " ".join("".join(t.text or "" for t in p.iter(_w("t"))) for p in c.iter(_w("p"))).strip()
            number, quote = anchored.get(cid, (0, ""))
            self.doc.comments.append(Comment(number, quote, f"{c.get(_w('author'), 'someone')}: {text}"))

    def _anchored_text(self) -> dict[str, tuple[int, str]]:
        """Comment id -> (paragraph number, the text between its range start and end)."""
        root = etree.fromstring(self.archive.read("word/document.xml"), _PARSER)
        found: dict[str, tuple[int, str]] = {}
        open_: dict[str, list[str]] = {}
        number = 0
        starts: dict[str, int] = {}
        for el in root.iter(_w("p"), _w("t"), _w("commentRangeStart"), _w("commentRangeEnd")):
            tag = etree.QName(el).localname
            if tag == "p":
                number += 1
            elif tag == "t":
                for texts in open_.values():
                    texts.append(el.text or "")
            elif tag == "commentRangeStart":
                open_[el.get(_w("id"), "")] = []
                starts[el.get(_w("id"), "")] = number
            else:
                cid = el.get(_w("id"), "")
                found[cid] = (starts.get(cid, number), "".join(open_.pop(cid, [])))
        return found


_MARKS = {"bold": "**", "italic": "*", "subscript": "~", "superscript": "^"}


def _join(pieces: list[tuple[str, tuple[bool, bool, str], str | None]]) -> tuple[str, str, bool, bool]:
    """Runs -> (Markdown, plain text, all bold, all italic). Marks wrap whole words: spaces at a run's
    edges stay outside them, so `**bold** text` never becomes `**bold **text`."""
    groups: list[list[Any]] = []
    for text, fmt, href in pieces:
        if groups and groups[-1][1] == fmt and groups[-1][2] == href:
            groups[-1][0] += text
        else:
            groups.append([text, fmt, href])
    out: list[str] = []
    link_open: str | None = None
    link_text: list[str] = []
    plain = "".join(text for text, _, _ in pieces)
    visible = [g for g in groups if g[0].strip()]
    all_bold = bool(visible) and all(g[1][0] for g in visible)
    all_italic = bool(visible) and all(g[1][1] for g in visible)

    def emit(s: str) -> None:
        (link_text if link_open is not None else out).append(s)

    for text, (bold, italic, align), href in groups:
        if href != link_open:
            if link_open is not None:
                out.append(f"[{''.join(link_text)}]({link_open})")
                link_text = []
            link_open = href
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()):]
        core = text.strip()
        if not core:
            emit(text.replace("\n", "\\\n"))
            continue
        marks = ""
        if align:
            marks = _MARKS[align]
        if italic:
            marks = "*" + marks
        if bold:
            marks = "**" + marks
        core = core.replace("\n", "\\\n")
        emit(f"{lead}{marks}{core}{_close(marks)}{trail}")
    if link_open is not None:
        out.append(f"[{''.join(link_text)}]({link_open})")
    return "".join(out), plain, all_bold, all_italic


def _close(marks: str) -> str:
    """The closing marks of `marks` in reverse order: '***~' closes as '~***' ('*' then '**')."""
    tokens = re.findall(r"\*\*|\*|~|\^", marks)
    return "".join(reversed(tokens))
