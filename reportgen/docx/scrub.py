"""Keep personal and editing metadata out of published DOCX files.

Templates are edited in Word, which stamps revision-save ids (rsids: a trace of
editing sessions), the application and company, a thumbnail and possibly
comments into the package. None of that belongs in a published paper.
"""
from __future__ import annotations

import re

from lxml import etree

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
COMMENT_PARTS = {"word/comments.xml", "word/commentsExtended.xml", "word/commentsIds.xml",
                 "word/commentsExtensible.xml"}
_COMMENT_MARKS = {f"{{{_W}}}commentRangeStart", f"{{{_W}}}commentRangeEnd", f"{{{_W}}}commentReference"}
_RSID_ATTR = re.compile(rb' w:rsid\w*="[0-9A-Fa-f]+"')
_RSIDS = re.compile(rb"<w:rsids>.*?</w:rsids>|<w:rsids/>|<w:attachedTemplate [^>]*/>", re.S)
_THUMBNAIL = re.compile(rb'<Relationship [^>]*Target="/?docProps/thumbnail\.[a-z]+"[^>]*/>')
APP_XML = (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           b"<Application>reportgen</Application></Properties>")


def strip_comment_xml(data: bytes, empty: bool) -> bytes:
    """A comments part emptied, or the document with its comment anchors and references removed."""
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=True))
    if empty:
        for child in list(root):
            root.remove(child)
    else:
        for mark in [el for el in root.iter() if el.tag in _COMMENT_MARKS]:
            parent = mark.getparent()
            if parent is not None:
                parent.remove(mark)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def scrub_part(name: str, data: bytes) -> bytes | None:
    """The part as it may be published, or None to leave it out of the package."""
    if name.startswith("docProps/thumbnail"):
        return None
    if name == "docProps/app.xml":
        return APP_XML
    if name == "_rels/.rels":
        return _THUMBNAIL.sub(b"", data)
    if name in COMMENT_PARTS:
        return strip_comment_xml(data, empty=True)
    if name.startswith("word/") and name.endswith(".xml"):
        data = _RSID_ATTR.sub(b"", data)
        if name == "word/settings.xml":
            data = _RSIDS.sub(b"", data)
        if name == "word/document.xml" and b"w:comment" in data:
            data = strip_comment_xml(data, empty=False)
    return data
