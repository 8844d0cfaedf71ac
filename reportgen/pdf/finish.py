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
import io
import logging
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pikepdf

from reportgen.pdf.structure import (NS, Tree, Walked, count_elements, elements, info_str, kids, role, role_names,
                                    walk)

log = logging.getLogger(__name__)

#: Info keys a published paper may carry; anything else (custom properties) is dropped.
PUBLIC_INFO = ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer", "/CreationDate", "/ModDate")

#: Annotation types that carry a person's words or name (comments, highlights, ink).
MARKUP_ANNOTS = {"/Text", "/FreeText", "/Popup", "/Highlight", "/Underline", "/Squiggly", "/StrikeOut",
                 "/Caret", "/Ink", "/Stamp", "/FileAttachment", "/Sound", "/Square", "/Circle",
                 "/Line", "/Polygon", "/PolyLine", "/Redact"}




# --------------------------------------------------------------------------- XMP


def _xmp_date(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def _pdf_date(date: dt.date) -> str:
    return f"D:{date:%Y%m%d}000000Z"


def _xmp_packet(title: str, author: str, subject: str, keywords: str, creator: str, producer: str,
                lang: str, date: dt.date | None, pdfua: bool = True) -> bytes:
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
        return f'<rdf:Description rdf:about="" xmlns:{prefix}="{NS[prefix]}">{body}</rdf:Description>' if body else ""

    text = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        f'<x:xmpmeta xmlns:x="{NS["x"]}"><rdf:RDF xmlns:rdf="{NS["rdf"]}">'
        + desc("dc", dc) + desc("pdf", pdf) + desc("xmp", xmp)
        + (desc("pdfuaid", "<pdfuaid:part>1</pdfuaid:part>") if pdfua else "")
        + '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    return text.encode("utf-8")


def _header_column(table: pikepdf.Object) -> bool:
    """Retag a header-less two-column label/value grid: each row's first cell becomes TH /Scope /Row."""
    rows = [r for r in kids(table) if str(r.S) == "/TR"]
    cells = [kids(r) for r in rows]
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
    if str(node.S) in ("/TD", "/TH", "/TR"):
        return False  # an empty table cell is still a cell: without it the rows no longer line up
    k = node.get("/K")
    no_kids = k is None or (isinstance(k, pikepdf.Array) and len(k) == 0)
    return no_kids and "/Alt" not in node and "/ActualText" not in node


#: PDF 1.7 standard structure types a template's style name may collide with (14.8.4), and the standard
#: type an element tagged so should carry instead: a paragraph style "Quote" is a block quotation.
_STANDARD = {"/Quote": "/BlockQuote", "/Note": "/Note", "/Code": "/Code", "/Index": "/Index"}


def _unmap_standard(root: pikepdf.Object, rolemap: pikepdf.Object | None) -> None:
    """LibreOffice tags a paragraph in a style named like a standard type (Quote) with that name and remaps
    it to /P; PDF/UA forbids remapping a standard type, so such elements get the standard type they mean."""
    if rolemap is None:
        return
    clashes = [key for key in list(rolemap.keys()) if key in _STANDARD]
    for key in clashes:
        for node, _ in elements(root):
            if str(node.S) == key:
                node.S = pikepdf.Name(_STANDARD[key])
        del rolemap[key]


def _marked(k: pikepdf.Object, page: pikepdf.Object | None) -> list[tuple[pikepdf.Object | None, int]]:
    """(page, MCID) of the marked content an element's /K points at."""
    items = list(k) if isinstance(k, pikepdf.Array) else [k]
    out: list[tuple[pikepdf.Object | None, int]] = []
    for item in items:
        if isinstance(item, int):
            out.append((page, int(item)))
        elif isinstance(item, pikepdf.Dictionary) and item.get("/Type") == "/MCR":
            out.append((item.get("/Pg", page), int(item.MCID)))
    return out


def _decorative_figures(pdf: pikepdf.Pdf, walked: list[Walked], rolemap: dict[str, str]) -> bool:
    """A Figure without alt text is decorative (a logo the style marks so, docPr descr=""): PDF/UA wants
    it an artifact, not a figure. Its element leaves the tree and its marked content becomes /Artifact.
    `walked`: the tree (structure.walk). Whether any was found (then the tree has changed).

    LibreOffice 7.4 keeps Word's decorative flag nowhere, so the empty alt text is the signal."""
    found: dict[tuple[int, int], set[int]] = {}
    figures = [(node, parent) for node, parent, _ in walked[1:]
               if role(node, rolemap) == "/Figure" and "/Alt" not in node and "/ActualText" not in node]
    for node, parent in figures:
        assert parent is not None  # (only the root has none)
        for page, mcid in _marked(node.get("/K", pikepdf.Array()), node.get("/Pg")):
            if page is not None:
                found.setdefault(page.objgen, set()).add(mcid)
        k = parent.get("/K")
        if isinstance(k, pikepdf.Array):
            parent.K = pikepdf.Array([x for x in k if not (isinstance(x, pikepdf.Dictionary) and x.objgen == node.objgen
                                                            and x.objgen != (0, 0))])
        elif k is not None:
            del parent["/K"]
    for sheet in pdf.pages:
        mcids = found.get(sheet.obj.objgen)
        if not mcids:
            continue
        ops: list[Any] = []
        for instruction in pikepdf.parse_content_stream(sheet):
            operands: Any = instruction.operands if isinstance(instruction, pikepdf.ContentStreamInstruction) else []
            if (isinstance(instruction, pikepdf.ContentStreamInstruction) and str(instruction.operator) == "BDC"
                    and len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary)
                    and int(operands[1].get("/MCID", -1)) in mcids):
                ops.append(([pikepdf.Name.Artifact], pikepdf.Operator("BMC")))
            else:
                ops.append(instruction)
        sheet.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
    return bool(figures)


def _fix_structure(pdf: pikepdf.Pdf) -> Tree | None:
    """Fix the structure tree; returns what inspect.read_tree would count in the fixed tree, counted on the
    same walk (None when there is no tree, or when an element it removed is not an indirect object, so
    that it cannot tell that element from its copies: read the tree again then)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return None
    rolemap = root.get("/RoleMap")
    _unmap_standard(root, rolemap)
    names = role_names(rolemap)
    walked = walk(root)  # before any change but the figures', as the tree was (each /K read once)
    if _decorative_figures(pdf, walked, names):
        walked = walk(root)  # a figure left the tree: walk what is left
    removed: set[tuple[int, int]] = set()  # the empty elements taken out of the tree: not counted
    exact = True
    for node, _, held in walked:
        gone = [x for x in held if _empty(x)]
        if gone:
            removed.update(x.objgen for x in gone)
            exact = exact and all(x.objgen != (0, 0) for x in gone)
            if isinstance(node.get("/K"), pikepdf.Array):
                node.K = pikepdf.Array([x for x in held if not _empty(x)])
            else:
                del node["/K"]
        if (role(node, names) == "/Table" and not any(role(e, names) == "/TH" for e, _ in elements(node))
                and _header_column(node)):
            log.debug("tagged the label column of a header-less table as row headers")
    if not exact:
        return None
    # Counted once every change is made (a table's header fix renames cells walked after it), as
    # inspect.read_tree counts the fixed tree: every element still in it.
    return count_elements((node for node, _, _ in walked[1:] if node.objgen not in removed), rolemap)


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


def source_keywords(docx: Path) -> str | None:
    """A DOCX's keywords as written (cp:keywords): LibreOffice splits them at every space on import and
    exports "record, of, decisions", so finish puts the original back. None for other files or none set."""
    import zipfile

    from lxml import etree

    try:
        with zipfile.ZipFile(docx) as z:
            root = etree.fromstring(z.read("docProps/core.xml"))
    except (KeyError, OSError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None
    found = root.find("{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords")
    return found.text if found is not None and found.text else None


def finish(path: Path, title: str, date: dt.date | None, author: str = "", lang: str = "en-GB",
           pdfua: bool = True, keywords: str | None = None) -> None:
    """Set title, language, PDF/UA id, dates and public-only metadata; save deterministically in place.

    `pdfua` False leaves out the PDF/UA identifier: a document claims conformance only when it is true
    (a pack holding an untagged page, a supplied PDF accepted as inaccessible).

    The same input PDF content with the same arguments always gives the same bytes:
    dates come from `date` (none when None) and /ID is derived from the content.
    """
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        finish_open(pdf, title, date, author, lang, pdfua, keywords=keywords)
        save(pdf, path)


def finish_open(pdf: pikepdf.Pdf, title: str, date: dt.date | None, author: str = "", lang: str = "en-GB",
                pdfua: bool = True, structure: bool = True, keywords: str | None = None) -> Tree | None:
    """What `finish` does, on a PDF already open. `structure` False leaves the structure tree as it is:
    a pack is made of parts each finished already, and walking its whole tree again finds nothing.
    `keywords`: what Info and XMP say, in place of the PDF's own. Returns the counts of the fixed structure
    tree (inspect.read_tree's), when it was fixed and could count it."""
    keep = {key: info_str(pdf, key) for key in ("/Subject", "/Keywords", "/Creator", "/Producer")}
    if keywords is not None:
        keep["/Keywords"] = keywords
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
                      lang, date, pdfua)
    pdf.Root.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
    pdf.Root.Lang = pikepdf.String(lang)
    prefs = pdf.Root.get("/ViewerPreferences")
    if not isinstance(prefs, pikepdf.Dictionary):
        prefs = pdf.Root.ViewerPreferences = pikepdf.Dictionary()
    prefs.DisplayDocTitle = True
    if "/PieceInfo" in pdf.Root:
        del pdf.Root["/PieceInfo"]
    counted = _fix_structure(pdf) if structure else None
    _fix_pages(pdf)
    # qpdf keeps the first /ID element LibreOffice made at random, and LibreOffice's private
    # /DocChecksum covers its own time stamps: drop both, so that deterministic_id derives
    # /ID from the content alone and unchanged input means unchanged bytes.
    for key in list(pdf.trailer.keys()):
        if key not in ("/Root", "/Info", "/Size"):
            del pdf.trailer[key]
    return counted


def save(pdf: pikepdf.Pdf, path: Path | io.BytesIO) -> None:
    """Save deterministically: the same content gives the same bytes."""
    pdf.save(path, deterministic_id=True, min_version="1.7", object_stream_mode=pikepdf.ObjectStreamMode.generate)


def saved(pdf: pikepdf.Pdf) -> bytes:
    """The bytes `save` would write to a file."""
    out = io.BytesIO()
    save(pdf, out)
    return out.getvalue()


# --------------------------------------------------------------------------- inspect


