"""What LibreOffice converts for each document, one function per kind: a report's rendered DOCX, or a
supplied Word or OpenDocument file, each with real bullets, no page-number fields of its own and on A4
(the conversion serves the pack as it is; the published copy gets "Page X of Y" stamped). A supplied PDF
is not converted, and the front sheet, private cover and packs are made of the whole meeting (publish.write).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportgen.cache import Cache
from reportgen.docx.packcopy import odt_on_a4, pack_copy, tidy_odt
from reportgen.publish.keys import source_key
from reportgen.publish.plan import Document, Kind


def _report(doc: Document, rendered: dict[int, bytes]) -> bytes:
    assert doc.item is not None
    return rendered[doc.item]  # (the bullets rewrite of pack_copy finds nothing to do in our own DOCX)


def _supplied(doc: Document, rendered: dict[int, bytes]) -> bytes:
    assert doc.source is not None
    return doc.source.read_bytes()


#: How each kind of converted document gets its bytes to convert.
BUILDERS: dict[Kind, Callable[[Document, dict[int, bytes]], bytes]] = {
    Kind.REPORT: _report, Kind.APPENDIX: _supplied, Kind.SUPPORTING: _supplied}


def _for_conversion(data: bytes, suffix: str) -> bytes:
    # On A4 too: every PDF reportgen converts is A4, as published and in the pack.
    return (odt_on_a4(tidy_odt(data, page_numbers=False)) if suffix == ".odt"
            else pack_copy(data))


def write_source(doc: Document, work: Path, rendered: dict[int, bytes], cache: Cache) -> Path:
    """Write the file to convert for a converted document into the work folder (remembered in the cache by
    the document's key: the rewrite costs more than the lookup)."""
    target = doc.pack_source(work)
    target.parent.mkdir(exist_ok=True)
    suffix = target.suffix
    key = source_key(doc.key, suffix)
    made = cache.get("source", key)
    if made is None:
        made = _for_conversion(BUILDERS[doc.kind](doc, rendered), suffix)
        cache.put("source", key, made)
    target.write_bytes(made)
    return target
