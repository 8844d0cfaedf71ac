"""DOCX and ODT rewrites before conversion: real bullet characters, and pack copies without their own page numbers."""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"

#: Word's Symbol/Wingdings bullets are private-use code points; LibreOffice exports them as such,
#: so a screen reader or a copy-paste gets U+F0B7. These are what they draw.
BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf076": "❖", "\uf0fc": "✓", "\uf0e8": "➔",
           "\uf06f": "o", "\uf0a8": "◦", "\uf02d": "–"}
_PUA = re.compile("[\ue000-\uf8ff]")
_PAGE_FIELD = re.compile(r"^\s*(PAGE|NUMPAGES|SECTIONPAGES)\b")


#: One rewrite: the parts it reads (a pattern of names in the archive), and what it changes in each.
_Change = tuple[re.Pattern[str], Callable[[etree._Element], bool]]


def _rewrite(docx: bytes, parts: re.Pattern[str], change: Callable[[etree._Element], bool]) -> bytes:
    return _rewrite_all(docx, [(parts, change)])


def _rewrite_all(docx: bytes, changes: list[_Change]) -> bytes:
    """Each change in turn, in one pass over the archive: the same bytes as one _rewrite after another,
    without unpacking and recompressing every part of the file once per change."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            for parts, change in changes:
                if parts.fullmatch(info.filename):
                    root = etree.fromstring(data)
                    if change(root):
                        data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info, data)
    return out.getvalue()


def _bullets(root: etree._Element) -> bool:
    changed = False
    for lvl in root.iter(f"{_W}lvl"):
        text = lvl.find(f"{_W}lvlText")
        value = text.get(f"{_W}val", "") if text is not None else ""
        if text is None or not _PUA.search(value):
            continue
        text.set(f"{_W}val", _PUA.sub(lambda m: BULLETS.get(m.group(0), "•"), value))
        # The symbol font would draw the real character as something else: use the paragraph's font.
        for fonts in list(lvl.iter(f"{_W}rFonts")):
            parent = fonts.getparent()
            if parent is not None:
                parent.remove(fonts)
        changed = True
    return changed


#: List bullets drawn from symbol-font private-use characters become the real characters (• ▪ ➢).
_BULLETS = (re.compile(r"word/numbering\.xml"), _bullets)




def _is_page_number(paragraph: etree._Element) -> bool:
    simple = [f.get(f"{_W}instr", "") for f in paragraph.iter(f"{_W}fldSimple")]
    complex_ = ["".join(t.text or "" for t in paragraph.iter(f"{_W}instrText"))]
    return any(_PAGE_FIELD.match(instr) for instr in simple + complex_)


def _no_page_numbers(root: etree._Element) -> bool:
    changed = False
    for paragraph in list(root.iter(f"{_W}p")):
        if _is_page_number(paragraph):
            for child in list(paragraph):
                if child.tag != f"{_W}pPr":
                    paragraph.remove(child)  # keep an empty paragraph: a footer part must hold one
            changed = True
    return changed


_NO_PAGE_NUMBERS = (re.compile(r"word/(header|footer)\d*\.xml"), _no_page_numbers)


def without_page_numbers(docx: bytes) -> bytes:
    """The copy that goes into a pack: header and footer paragraphs showing PAGE or NUMPAGES emptied,
    so each pack page shows one number, the pack's."""
    return _rewrite(docx, *_NO_PAGE_NUMBERS)


# --------------------------------------------------------------------------- OpenDocument (ODT)

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ODT_PAGE_FIELDS = (f"{{{TEXT}}}page-number", f"{{{TEXT}}}page-count")
_ODT_BANDS = tuple(f"{{{STYLE}}}{band}" for band in ("header", "footer", "header-left", "footer-left",
                                                       "header-first", "footer-first"))


def _odt_bullets(root: etree._Element) -> bool:
    changed = False
    for el in root.iter(f"{{{TEXT}}}list-level-style-bullet"):
        value = el.get(f"{{{TEXT}}}bullet-char", "")
        if _PUA.search(value):
            el.set(f"{{{TEXT}}}bullet-char", _PUA.sub(lambda m: BULLETS.get(m.group(0), "•"), value))
            changed = True
    return changed


def _odt_tidy(root: etree._Element, page_numbers: bool) -> bool:
    """Real bullets; no comments (never published); `page_numbers` False: empty header and footer
    paragraphs that show a page number or count."""
    changed = _odt_bullets(root)
    for note in list(root.iter(f"{{{OFFICE}}}annotation", f"{{{OFFICE}}}annotation-end")):
        parent = note.getparent()
        if parent is not None:
            if note.tail:  # keep the text that follows the comment anchor
                previous = note.getprevious()
                if previous is not None:
                    previous.tail = (previous.tail or "") + note.tail
                else:
                    parent.text = (parent.text or "") + note.tail
            parent.remove(note)
            changed = True
    if not page_numbers:
        for band in root.iter(*_ODT_BANDS):
            for paragraph in list(band.iter(f"{{{TEXT}}}p", f"{{{TEXT}}}h")):
                if any(True for _ in paragraph.iter(*_ODT_PAGE_FIELDS)):
                    for child in list(paragraph):
                        paragraph.remove(child)
                    paragraph.text = None
                    changed = True
    return changed


def tidy_odt(odt: bytes, page_numbers: bool = True) -> bytes:
    """A supplied ODT as it is converted: real bullets, comments removed, and for a pack copy
    (`page_numbers` False) no page numbers of its own."""
    return _rewrite(odt, re.compile(r"(content|styles)\.xml"), lambda root: _odt_tidy(root, page_numbers))


# --------------------------------------------------------------------------- A4

#: A4 in twentieths of a point (Word) and in centimetres (OpenDocument), portrait.
_A4_TWIPS = (11906, 16838)
_A4_CM = ("21.001cm", "29.7cm")
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"


def _a4_sections(root: etree._Element) -> bool:
    """Every section's paper set to A4, keeping its orientation (a landscape table stays landscape)."""
    changed = False
    for size in root.iter(f"{_W}pgSz"):
        width, height = (int(float(size.get(f"{_W}{k}", "0") or 0)) for k in ("w", "h"))
        target = _A4_TWIPS if height >= width else _A4_TWIPS[::-1]
        if (width, height) != target:
            size.set(f"{_W}w", str(target[0]))
            size.set(f"{_W}h", str(target[1]))
            changed = True
    return changed


#: A supplied Word file laid out on A4 (its margins kept), so that its PDF is A4 as published and in the
#: pack, reflowed rather than scaled: councils print on A4, and a US Letter appendix is a common supply.
_A4 = (re.compile(r"word/document\.xml"), _a4_sections)




def pack_copy(docx: bytes) -> bytes:
    """What a Word file is converted from: real bullets, no page numbers of its own, on A4; the same bytes
    as the three rewrites one after another (_BULLETS, _NO_PAGE_NUMBERS, _A4), in one pass over the archive."""
    return _rewrite_all(docx, [_BULLETS, _NO_PAGE_NUMBERS, _A4])


def _a4_layouts(root: etree._Element) -> bool:
    changed = False
    for props in root.iter(f"{{{STYLE}}}page-layout-properties"):
        width, height = props.get(f"{{{FO}}}page-width"), props.get(f"{{{FO}}}page-height")
        if width is None or height is None:
            continue
        landscape = props.get(f"{{{STYLE}}}print-orientation") == "landscape"
        target = _A4_CM[::-1] if landscape else _A4_CM
        if (width, height) != target:
            props.set(f"{{{FO}}}page-width", target[0])
            props.set(f"{{{FO}}}page-height", target[1])
            changed = True
    return changed


def odt_on_a4(odt: bytes) -> bytes:
    """A supplied OpenDocument text laid out on A4 (as a Word file is: see _A4)."""
    return _rewrite(odt, re.compile(r"styles\.xml"), _a4_layouts)
