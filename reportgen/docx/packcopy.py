"""DOCX rewrites before conversion: real bullet characters, and pack copies without their own page numbers."""
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


def _rewrite(docx: bytes, parts: re.Pattern[str], change: Callable[[etree._Element], bool]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
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


def real_bullets(docx: bytes) -> bytes:
    """List bullets drawn from symbol-font private-use characters become the real characters (• ▪ ➢)."""
    return _rewrite(docx, re.compile(r"word/numbering\.xml"), _bullets)


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


def without_page_numbers(docx: bytes) -> bytes:
    """The copy that goes into a pack: header and footer paragraphs showing PAGE or NUMPAGES emptied,
    so each pack page shows one number, the pack's."""
    return _rewrite(docx, re.compile(r"word/(header|footer)\d*\.xml"), _no_page_numbers)
