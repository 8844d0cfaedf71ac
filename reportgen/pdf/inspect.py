"""Inspect a finished PDF: tags, title, language, bookmarks, fonts and privacy; every problem listed."""
from __future__ import annotations

import copy
import dataclasses
import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from lxml import etree

from reportgen.pdf.finish import MARKUP_ANNOTS, PUBLIC_INFO
from reportgen.pdf.structure import HEADING, NS, count_elements, elements, read_xmp, xmp_text
from reportgen.pdf.structure import Tree as Tree  # (where pack and others import it from)
from reportgen.pdf.structure import role as role_of


@dataclass
class PdfReport:
    """What one PDF says about its accessibility and metadata; `problems` empty means publishable."""

    path: Path
    pages: int
    tagged: bool
    title: str | None
    lang: str | None
    display_doc_title: bool
    pdfua: bool
    bookmarks: list[tuple[int, str]]  # (level, title), level 1 at the top
    fonts_embedded: bool
    problems: list[str] = field(default_factory=list)
    #: Standard structure types found (role-mapped), with counts: {"/H1": 1, "/TH": 4, ...}.
    structure: dict[str, int] = field(default_factory=dict)
    #: Pages (1-based) with content that is neither tagged nor an artifact: invisible to a screen reader.
    untagged_pages: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _bookmarks(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    # Read only: outside a `with` block pikepdf does not write the outline back into the PDF.
    stack = [(item, 1) for item in reversed(pdf.open_outline().root)]
    while stack:
        item, level = stack.pop()
        out.append((level, item.title or ""))
        stack.extend((child, level + 1) for child in reversed(item.children))
    return out


def _fonts(pdf: pikepdf.Pdf) -> Iterator[tuple[str, bool]]:
    """(name, embedded) for every font used on a page or in a form XObject, each object once."""
    seen: set[tuple[int, int]] = set()
    stack: list[pikepdf.Object | None] = [page.obj.get("/Resources") for page in pdf.pages]
    while stack:
        res = stack.pop()
        if not isinstance(res, pikepdf.Dictionary):
            continue
        if res.objgen != (0, 0):
            if res.objgen in seen:
                continue
            seen.add(res.objgen)
        for font in (res.get("/Font") or {}).values():
            yield _font_name(font), _font_embedded(font)
        for xobj in (res.get("/XObject") or {}).values():
            if str(xobj.get("/Subtype")) == "/Form" and "/Resources" in xobj:
                stack.append(xobj.Resources)


def _font_name(font: pikepdf.Object) -> str:
    return str(font.get("/BaseFont", font.get("/Name", "?")))


def _font_embedded(font: pikepdf.Object) -> bool:
    if str(font.get("/Subtype")) == "/Type3":
        return True  # glyphs are content streams inside the font
    if str(font.get("/Subtype")) == "/Type0":
        return all(_font_embedded(d) for d in font.get("/DescendantFonts", []))
    desc = font.get("/FontDescriptor")
    return isinstance(desc, pikepdf.Dictionary) and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))


#: Content operators that put something on the page (text, paths, images, shadings, XObjects).
_PAINT = {"Tj", "TJ", "'", '"', "Do", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "INLINE IMAGE", "EI"}


_OPERATORS = " ".join(sorted(_PAINT - {"INLINE IMAGE"} | {"BMC", "BDC", "EMC", "BI", "ID", "EI"}))


def _page_untagged(page: pikepdf.Page) -> bool:
    """Whether a page paints anything outside both a tagged (MCID) sequence and an Artifact."""
    stack: list[bool] = []  # per open marked-content sequence: does it tag or mark an artifact?
    try:
        # Only the operators that matter: parsing every operand of every operator costs ten times more.
        ops = pikepdf.parse_content_stream(page, _OPERATORS)
    except pikepdf.PdfError:
        return True
    for instruction in ops:
        operands, name = instruction.operands, str(instruction.operator)
        if name in ("BMC", "BDC"):
            tag = str(operands[0]) if operands else ""
            props = operands[1] if name == "BDC" and len(operands) > 1 else None
            mcid = isinstance(props, pikepdf.Dictionary) and "/MCID" in props
            stack.append(tag == "/Artifact" or mcid)
        elif name == "EMC":
            if stack:
                stack.pop()
        elif name in _PAINT and not any(stack):
            return True
    return False


#: The fast scan's operators: marked content, text objects (BT/ET) and the paint operators that are not
#: text. Text-showing operators are left out: pikepdf hands back each one's operands (every text array),
#: which is most of the cost of the full scan.
_BLOCKS = " ".join(sorted(_PAINT - {"Tj", "TJ", "'", '"', "INLINE IMAGE"}
                          | {"BMC", "BDC", "EMC", "BI", "ID", "BT", "ET"}))


def _page_untagged_fast(page: pikepdf.Page) -> bool:
    """_page_untagged for a page whose text is drawn only inside text objects (BT ... ET), as the PDF
    standard requires and LibreOffice writes: a text object is judged by where it begins, as if it
    painted there. Exact when no marked-content sequence begins or ends inside a text object (the
    sequence would then tag only part of it), so such a page, and any page the fast reading finds
    untagged (an empty text object paints nothing), is read again by the full scan."""
    stack: list[bool] = []
    in_text = False
    try:
        ops = pikepdf.parse_content_stream(page, _BLOCKS)
    except pikepdf.PdfError:
        return True
    for instruction in ops:
        name = str(instruction.operator)
        if name == "BT":
            if not any(stack):
                return _page_untagged(page)
            in_text = True
        elif name == "ET":
            in_text = False
        elif name in ("BMC", "BDC", "EMC"):
            if in_text:
                return _page_untagged(page)
            if name == "EMC":
                if stack:
                    stack.pop()
                continue
            operands = instruction.operands
            tag = str(operands[0]) if operands else ""
            props = operands[1] if name == "BDC" and len(operands) > 1 else None
            stack.append(tag == "/Artifact" or (isinstance(props, pikepdf.Dictionary) and "/MCID" in props))
        elif name in _PAINT and not any(stack):
            return True  # (up to here both scans keep the same stack: the full one stops here too)
    return False


def untagged_pages(pdf: pikepdf.Pdf, text_in_blocks: bool = False) -> list[int]:
    """1-based numbers of the pages whose content is not all tagged or artifact (PDF/UA 7.1).

    `text_in_blocks`: the PDF draws text only inside text objects (BT ... ET), as our LibreOffice exports
    do; the pages are then read by a scan that skips the text itself (about half the time), and read in
    full only where that scan is not exact. A PDF from elsewhere may draw text outside any text object
    (against the standard, but drawn by viewers all the same): read in full."""
    if "/StructTreeRoot" not in pdf.Root:
        return [n for n, page in enumerate(pdf.pages, 1) if page.obj.get("/Contents") is not None]
    scan = _page_untagged_fast if text_in_blocks else _page_untagged
    return [n for n, page in enumerate(pdf.pages, 1) if scan(page)]


def inspect(path: Path, untagged: list[int] | None = None) -> PdfReport:
    """Read a PDF back and list every accessibility or privacy problem; raises nothing for a bad PDF.

    A file pikepdf cannot open is reported as a problem, not an exception, so a
    caller checking many files gets one answer per file. `untagged`: the pages with untagged
    content, when already found by an earlier inspection of the same content (saves reading
    every page's content stream again). A PDF whose report was remembered (see `remember`) under
    the digest of the same bytes gets that report.
    """
    known = None
    if _REMEMBERED:  # only packs are remembered: every other PDF is not read and hashed for nothing
        try:
            known = _recalled(path.read_bytes(), untagged)
        except OSError:
            pass
    if known is not None:
        return dataclasses.replace(known, path=path)
    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as exc:
        return PdfReport(path, 0, False, None, None, False, False, [], False, [f"not a readable PDF: {exc}"])
    with pdf:
        return inspect_open(path, pdf, untagged)


# --------------------------------------------------------------------------- remembered reports

#: Reports of PDFs made in this process, by (sha256 of the bytes, untagged pages given): an agenda pack's
#: report is put together from its parts' trees as it is assembled (see pdf.pack), not read back whole.
_REMEMBERED: dict[tuple[str, tuple[int, ...] | None], PdfReport] = {}
_LOCK = threading.Lock()


def _memo_key(data: bytes, untagged: list[int] | None) -> tuple[str, tuple[int, ...] | None]:
    return hashlib.sha256(data).hexdigest(), None if untagged is None else tuple(untagged)


def remember(data: bytes, untagged: list[int] | None, report: PdfReport) -> None:
    """What inspecting these bytes (with these untagged pages known) finds; the last few are kept."""
    with _LOCK:
        _REMEMBERED[_memo_key(data, untagged)] = copy.deepcopy(report)
        while len(_REMEMBERED) > 8:
            del _REMEMBERED[next(iter(_REMEMBERED))]


def forget() -> None:
    """Drop every remembered report (a test reading a PDF back for itself)."""
    with _LOCK:
        _REMEMBERED.clear()


def _recalled(data: bytes, untagged: list[int] | None) -> PdfReport | None:
    with _LOCK:
        found = _REMEMBERED.get(_memo_key(data, untagged))
    return None if found is None else copy.deepcopy(found)


# --------------------------------------------------------------------------- structure


def read_tree(tree: pikepdf.Object | None) -> Tree:
    """Count a structure tree's elements (an empty Tree when there is none)."""
    if not isinstance(tree, pikepdf.Dictionary):
        return Tree()
    return count_elements((node for node, _ in elements(tree)), tree.get("/RoleMap"))


def inspect_open(path: Path, pdf: pikepdf.Pdf, known: list[int] | None = None, tree: Tree | None = None,
                 text_in_blocks: bool = False, bookmarks: list[tuple[int, str]] | None = None) -> PdfReport:
    """`tree`: the counts of its structure tree when already known (an agenda pack's, from its parts);
    `text_in_blocks`: its text is drawn only inside text objects (see untagged_pages); `bookmarks`: its
    outline as (level, title), depth first, when already known (an agenda pack's, as it was written)."""
    problems: list[str] = []
    root = pdf.Root
    mark_info = root.get("/MarkInfo")
    marked = isinstance(mark_info, pikepdf.Dictionary) and bool(mark_info.get("/Marked", False))
    counted = read_tree(root.get("/StructTreeRoot")) if tree is None else tree
    structure, tables_without_th = counted.structure, counted.tables_without_th
    tagged = marked and bool(structure)
    if not tagged:
        problems.append("not tagged: no structure tree (StructTreeRoot) or MarkInfo /Marked is not true")
    loose = untagged_pages(pdf, text_in_blocks) if known is None else known
    if loose and tagged:
        problems.append("content outside any tag or artifact on page(s) " + ", ".join(map(str, loose)))
    if tables_without_th:
        problems.append(f"{tables_without_th} table(s) without header cells (TH)")

    info_title = str(pdf.docinfo["/Title"]) if "/Title" in pdf.docinfo else None
    xmp = read_xmp(pdf)
    xmp_title = xmp_text(xmp, "//dc:title/rdf:Alt/rdf:li")
    if not info_title:
        problems.append("no document title (Info /Title)")
    elif xmp_title != info_title:
        problems.append(f"XMP dc:title {xmp_title!r} differs from Info /Title {info_title!r}")
    lang_obj = root.get("/Lang")
    lang = str(lang_obj) if lang_obj is not None else None
    if not lang:
        problems.append("no document language (/Lang)")
    prefs = root.get("/ViewerPreferences")
    display_doc_title = isinstance(prefs, pikepdf.Dictionary) and bool(prefs.get("/DisplayDocTitle", False))
    if not display_doc_title:
        problems.append("the title bar shows the file name: ViewerPreferences /DisplayDocTitle is not true")
    part = xmp_text(xmp, "//pdfuaid:part") or xmp_text(xmp, "//rdf:Description/@pdfuaid:part")
    pdfua = (part or "").strip() == "1"
    if not pdfua:
        problems.append("no PDF/UA identifier (pdfuaid:part 1 in XMP)")

    bookmarks = _bookmarks(pdf) if bookmarks is None else bookmarks
    headings = sum(n for role, n in structure.items() if HEADING.match(role))
    if headings and not bookmarks:
        problems.append(f"no bookmarks, though the document has {headings} heading(s)")

    unembedded = sorted({name for name, embedded in _fonts(pdf) if not embedded})
    if unembedded:
        problems.append("fonts not embedded: " + ", ".join(unembedded))

    problems.extend(_privacy_problems(pdf, xmp))
    for number, page in enumerate(pdf.pages, 1):
        if page.obj.get("/Annots") and str(page.obj.get("/Tabs")) != "/S":
            problems.append(f"page {number} has annotations but no structure tab order (/Tabs /S)")
    return PdfReport(path, len(pdf.pages), tagged, info_title, lang, display_doc_title, pdfua, bookmarks,
                     not unembedded, problems, structure, loose)


def _privacy_problems(pdf: pikepdf.Pdf, xmp: etree._Element | None) -> list[str]:
    """Personal metadata that must not be published: custom properties, comments, edit history."""
    problems = []
    extra = sorted(str(k) for k in pdf.docinfo if str(k) not in PUBLIC_INFO)
    if extra:
        problems.append("non-public Info entries: " + ", ".join(extra))
    comments = 0
    for page in pdf.pages:
        for annot in page.obj.get("/Annots") or []:
            if str(annot.get("/Subtype")) in MARKUP_ANNOTS or "/T" in annot:
                comments += 1
    if comments:
        problems.append(f"{comments} comment or markup annotation(s)")
    if xmp is not None and xmp.xpath("//xmpMM:History", namespaces=NS):
        problems.append("XMP revision history (xmpMM:History)")
    if "/PieceInfo" in pdf.Root or any("/PieceInfo" in p.obj for p in pdf.pages):
        problems.append("application private data (PieceInfo)")
    return problems
