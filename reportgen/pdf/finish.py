"""Finish (metadata, deterministic save) and inspect (accessibility, privacy) every exported PDF.

LibreOffice exits 0 even when it ignores an export option, so nothing it writes is
trusted: `finish` sets what LibreOffice 7.4 gets wrong or cannot set, and `inspect`
reads the result back and lists every accessibility or privacy problem it finds.

What LibreOffice 7.4 (UseTaggedPDF + PDFUACompliance) already gets right, and
`inspect` verifies: the structure tree (H1-H6, L/LI/LBody, Table/TR/TH/TD, Link),
TH cells with /Scope /Column for rows marked w:tblHeader, /Lang from the document
language, bookmarks from headings, embedded font subsets, pdfuaid:part in XMP.

What `finish` fixes or sets (each found by a PDF/UA checker on 7.4's output):

* XMP dc:title is double-escaped by 7.4 ("&amp;amp;"), so it differs from Info /Title:
  the XMP packet is rewritten whole from one set of values.
* CreationDate and the random /ID change on every export: dates are fixed to the
  date passed in (or dropped) and the file is saved with a content-derived /ID.
* Pages with annotations lack /Tabs /S (PDF/UA 7.18.3) and link annotations lack
  the Print flag: both are set.
* A table without any header row (the templates' label/value front-matter grid)
  has no TH at all: when every row is a label and a value, the labels become TH
  with /Scope /Row, which is what they are. Word cannot mark a header column.
* Empty structure elements (empty paragraphs) are removed: they carry nothing.
* Info is reduced to the standard public keys; /Author is the council or absent.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import pikepdf
from lxml import etree

log = logging.getLogger(__name__)

#: Info keys a published paper may carry; anything else (custom properties) is dropped.
PUBLIC_INFO = ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer", "/CreationDate", "/ModDate")

#: Annotation types that carry a person's words or name (comments, highlights, ink).
MARKUP_ANNOTS = {"/Text", "/FreeText", "/Popup", "/Highlight", "/Underline", "/Squiggly", "/StrikeOut",
                 "/Caret", "/Ink", "/Stamp", "/FileAttachment", "/Sound", "/Square", "/Circle",
                 "/Line", "/Polygon", "/PolyLine", "/Redact"}

_NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}

_HEADING = re.compile(r"^/H[1-6]?$")


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

    @property
    def ok(self) -> bool:
        return not self.problems


# --------------------------------------------------------------------------- structure tree


def _kids(node: pikepdf.Object) -> list[pikepdf.Object]:
    """The structure-element children of a node (marked-content ids and object refs skipped)."""
    k = node.get("/K")
    if k is None:
        return []
    items = list(k) if isinstance(k, pikepdf.Array) else [k]
    return [x for x in items if isinstance(x, pikepdf.Dictionary) and "/S" in x]


def _elements(root: pikepdf.Object) -> Iterator[tuple[pikepdf.Object, pikepdf.Object]]:
    """Every structure element below root, as (element, parent), depth first, each object once."""
    seen: set[tuple[int, int]] = set()
    stack = [(child, root) for child in reversed(_kids(root))]
    while stack:
        node, parent = stack.pop()
        key = node.objgen
        if key != (0, 0):
            if key in seen:  # a malformed tree may loop; never walk it twice
                continue
            seen.add(key)
        yield node, parent
        stack.extend((child, node) for child in reversed(_kids(node)))


def _role(node: pikepdf.Object, rolemap: pikepdf.Object | None) -> str:
    """The standard type of an element, following the RoleMap ("Text body" -> /P)."""
    name = str(node.get("/S"))
    for _ in range(8):  # role maps may chain; a cycle stops here
        if rolemap is None or name not in rolemap:
            break
        name = str(rolemap[name])
    return name


# --------------------------------------------------------------------------- XMP


def _xmp_date(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def _pdf_date(date: dt.date) -> str:
    return f"D:{date:%Y%m%d}000000Z"


def _xmp_packet(title: str, author: str, subject: str, keywords: str, creator: str, producer: str,
                lang: str, date: dt.date | None) -> bytes:
    """A complete XMP packet, built from the same values as the Info dictionary."""
    def alt(tag: str, value: str) -> str:
        return (f"<{tag}><rdf:Alt><rdf:li xml:lang=\"x-default\">{escape(value)}</rdf:li></rdf:Alt></{tag}>"
                if value else "")

    dc = alt("dc:title", title) + alt("dc:description", subject)
    if author:
        dc += f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>"
    dc += f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>"
    dc += "<dc:format>application/pdf</dc:format>"
    pdf = f"<pdf:Producer>{escape(producer)}</pdf:Producer>" if producer else ""
    if keywords:
        pdf += f"<pdf:Keywords>{escape(keywords)}</pdf:Keywords>"
    xmp = f"<xmp:CreatorTool>{escape(creator)}</xmp:CreatorTool>" if creator else ""
    if date is not None:
        stamp = _xmp_date(date)
        xmp += f"<xmp:CreateDate>{stamp}</xmp:CreateDate><xmp:ModifyDate>{stamp}</xmp:ModifyDate>"
        xmp += f"<xmp:MetadataDate>{stamp}</xmp:MetadataDate>"

    def desc(prefix: str, body: str) -> str:
        return f'<rdf:Description rdf:about="" xmlns:{prefix}="{_NS[prefix]}">{body}</rdf:Description>' if body else ""

    text = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        f'<x:xmpmeta xmlns:x="{_NS["x"]}"><rdf:RDF xmlns:rdf="{_NS["rdf"]}">'
        + desc("dc", dc) + desc("pdf", pdf) + desc("xmp", xmp)
        + desc("pdfuaid", "<pdfuaid:part>1</pdfuaid:part>")
        + '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    return text.encode("utf-8")


def _read_xmp(pdf: pikepdf.Pdf) -> etree._Element | None:
    meta = pdf.Root.get("/Metadata")
    if not isinstance(meta, pikepdf.Stream):
        return None
    try:
        return etree.fromstring(meta.read_bytes(), etree.XMLParser(resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, pikepdf.PdfError):
        return None


def _xmp_text(root: etree._Element | None, path: str) -> str | None:
    if root is None:
        return None
    found = root.xpath(path, namespaces=_NS)
    # A location path always yields a node list; anything else would be no match.
    if not isinstance(found, list) or not found:
        return None
    value = found[0]
    # The paths passed in select elements or attributes, so lxml yields elements or (smart) strings only.
    assert isinstance(value, (str, etree._Element))
    return str(value) if isinstance(value, str) else (value.text or "")


# --------------------------------------------------------------------------- finish


def _info_str(pdf: pikepdf.Pdf, key: str) -> str:
    value = pdf.docinfo.get(key)
    return str(value) if value is not None else ""


def _header_column(table: pikepdf.Object) -> bool:
    """Retag a header-less two-column label/value grid: each row's first cell becomes TH /Scope /Row."""
    rows = [r for r in _kids(table) if str(r.S) == "/TR"]
    cells = [_kids(r) for r in rows]
    if not rows or any(len(c) != 2 or str(c[0].S) != "/TD" for c in cells):
        return False
    for first, _ in cells:
        scope = pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=pikepdf.Name.Row)
        attrs = first.get("/A")
        if attrs is None:
            first.A = scope
        elif isinstance(attrs, pikepdf.Array):
            attrs.append(scope)
        else:
            first.A = pikepdf.Array([attrs, scope])
        first.S = pikepdf.Name.TH
    return True


def _empty(node: pikepdf.Object) -> bool:
    """A structure element with no content, children, /Alt or /ActualText (an empty paragraph)."""
    if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
        return False
    k = node.get("/K")
    no_kids = k is None or (isinstance(k, pikepdf.Array) and len(k) == 0)
    return no_kids and "/Alt" not in node and "/ActualText" not in node


def _fix_structure(pdf: pikepdf.Pdf) -> None:
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    rolemap = root.get("/RoleMap")
    for node in [root, *(e for e, _ in _elements(root))]:
        k = node.get("/K")
        if isinstance(k, pikepdf.Array) and any(_empty(x) for x in k):
            node.K = pikepdf.Array([x for x in k if not _empty(x)])
        elif k is not None and _empty(k):
            del node["/K"]
        if (_role(node, rolemap) == "/Table" and not any(_role(e, rolemap) == "/TH" for e, _ in _elements(node))
                and _header_column(node)):
            log.debug("tagged the label column of a header-less table as row headers")


def _fix_pages(pdf: pikepdf.Pdf) -> None:
    for page in pdf.pages:
        if "/PieceInfo" in page.obj:
            del page.obj["/PieceInfo"]
        annots = page.obj.get("/Annots")
        if not annots:
            continue
        page.obj.Tabs = pikepdf.Name.S  # tab order follows the structure tree (PDF/UA 7.18.3)
        for annot in annots:
            if str(annot.get("/Subtype")) == "/Link":
                # Print flag on, Hidden/NoView off: what is read on screen is what is printed.
                annot.F = (int(annot.get("/F", 0)) | 4) & ~(2 | 32)


def finish(path: Path, title: str, date: dt.date | None, author: str = "", lang: str = "en-GB") -> None:
    """Set title, language, PDF/UA id, dates and public-only metadata; save deterministically in place.

    The same input PDF content with the same arguments always gives the same bytes:
    dates come from `date` (none when None) and /ID is derived from the content.
    """
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        keep = {key: _info_str(pdf, key) for key in ("/Subject", "/Keywords", "/Creator", "/Producer")}
        for key in list(pdf.docinfo.keys()):
            del pdf.docinfo[key]
        pdf.docinfo[pikepdf.Name.Title] = title
        if author:
            pdf.docinfo[pikepdf.Name.Author] = author
        for key, value in keep.items():
            if value:
                pdf.docinfo[pikepdf.Name(key)] = value
        if date is not None:
            pdf.docinfo[pikepdf.Name.CreationDate] = _pdf_date(date)
            pdf.docinfo[pikepdf.Name.ModDate] = _pdf_date(date)

        xmp = _xmp_packet(title, author, keep["/Subject"], keep["/Keywords"], keep["/Creator"], keep["/Producer"],
                          lang, date)
        pdf.Root.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
        pdf.Root.Lang = pikepdf.String(lang)
        prefs = pdf.Root.get("/ViewerPreferences")
        if not isinstance(prefs, pikepdf.Dictionary):
            prefs = pdf.Root.ViewerPreferences = pikepdf.Dictionary()
        prefs.DisplayDocTitle = True
        if "/PieceInfo" in pdf.Root:
            del pdf.Root["/PieceInfo"]
        _fix_structure(pdf)
        _fix_pages(pdf)
        # qpdf keeps the first /ID element LibreOffice made at random, and LibreOffice's private
        # /DocChecksum covers its own time stamps: drop both, so that deterministic_id derives
        # /ID from the content alone and unchanged input means unchanged bytes.
        for key in list(pdf.trailer.keys()):
            if key not in ("/Root", "/Info", "/Size"):
                del pdf.trailer[key]
        pdf.save(path, deterministic_id=True, min_version="1.7",
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)


# --------------------------------------------------------------------------- inspect


def _bookmarks(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    with pdf.open_outline() as outline:
        stack = [(item, 1) for item in reversed(outline.root)]
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


def inspect(path: Path) -> PdfReport:
    """Read a PDF back and list every accessibility or privacy problem; raises nothing for a bad PDF.

    A file pikepdf cannot open is reported as a problem, not an exception, so a
    caller checking many files gets one answer per file.
    """
    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as exc:
        return PdfReport(path, 0, False, None, None, False, False, [], False, [f"not a readable PDF: {exc}"])
    with pdf:
        return _inspect(path, pdf)


def _inspect(path: Path, pdf: pikepdf.Pdf) -> PdfReport:
    problems: list[str] = []
    root = pdf.Root
    tree = root.get("/StructTreeRoot")
    mark_info = root.get("/MarkInfo")
    marked = isinstance(mark_info, pikepdf.Dictionary) and bool(mark_info.get("/Marked", False))
    structure: dict[str, int] = {}
    tables_without_th = 0
    if isinstance(tree, pikepdf.Dictionary):
        rolemap = tree.get("/RoleMap")
        for node, _ in _elements(tree):
            role = _role(node, rolemap)
            structure[role] = structure.get(role, 0) + 1
            if role == "/Table" and not any(_role(e, rolemap) == "/TH" for e, _ in _elements(node)):
                tables_without_th += 1
    tagged = marked and bool(structure)
    if not tagged:
        problems.append("not tagged: no structure tree (StructTreeRoot) or MarkInfo /Marked is not true")
    if tables_without_th:
        problems.append(f"{tables_without_th} table(s) without header cells (TH)")

    info_title = str(pdf.docinfo["/Title"]) if "/Title" in pdf.docinfo else None
    xmp = _read_xmp(pdf)
    xmp_title = _xmp_text(xmp, "//dc:title/rdf:Alt/rdf:li")
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
    part = _xmp_text(xmp, "//pdfuaid:part") or _xmp_text(xmp, "//rdf:Description/@pdfuaid:part")
    pdfua = (part or "").strip() == "1"
    if not pdfua:
        problems.append("no PDF/UA identifier (pdfuaid:part 1 in XMP)")

    bookmarks = _bookmarks(pdf)
    headings = sum(n for role, n in structure.items() if _HEADING.match(role))
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
                     not unembedded, problems, structure)


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
    if xmp is not None and xmp.xpath("//xmpMM:History", namespaces=_NS):
        problems.append("XMP revision history (xmpMM:History)")
    if "/PieceInfo" in pdf.Root or any("/PieceInfo" in p.obj for p in pdf.pages):
        problems.append("application private data (PieceInfo)")
    return problems
