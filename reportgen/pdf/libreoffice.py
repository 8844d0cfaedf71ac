"""Finding LibreOffice and its Python bridge, the PDF export options, and what LibreOffice must not see."""
from __future__ import annotations

import functools
import json
import logging
import os
import secrets
import shutil
import subprocess
import zipfile
from pathlib import Path

from reportgen.docx.scrub import COMMENT_PARTS, strip_comment_xml
from reportgen.errors import ConversionError

log = logging.getLogger(__name__)

INSTALL_HINT = ("install it with `apt-get install libreoffice-writer-nogui python3-uno` "
                "(or run tools/install-libreoffice.sh)")

#: writer_pdf_Export FilterData. Read per job, so a test can swap it to make an untagged PDF.
EXPORT_FILTER: dict[str, bool | int | str] = {
    "UseTaggedPDF": True,         # structure tree: headings, lists, tables, links
    "PDFUACompliance": True,      # 7.2+: pdfuaid in XMP, /Lang, DisplayDocTitle, TH for w:tblHeader rows
    "ExportBookmarks": True,      # outlines from headings
    "ExportNotes": False,         # comments never reach a published paper
    "ExportNotesPages": False,
    "EmbedStandardFonts": True,   # PDF/UA: every font embedded, even the base 14
}


def soffice_path() -> str:
    """The LibreOffice executable ($REPORTGEN_SOFFICE, else soffice/libreoffice on PATH)."""
    override = os.environ.get("REPORTGEN_SOFFICE")
    if override:
        if shutil.which(override):
            return str(shutil.which(override))
        raise ConversionError(f"REPORTGEN_SOFFICE={override} is not an executable; {INSTALL_HINT}")
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError(f"LibreOffice (soffice) is not installed or not on PATH, so no PDF can be made; "
                          f"{INSTALL_HINT}. DOCX output does not need it.")


def uno_candidates(soffice: str) -> list[str]:
    """The Pythons that may have LibreOffice's `uno` module, first choice first: $REPORTGEN_UNO_PYTHON,
    LibreOffice's own, or the system's (those that exist)."""
    candidates = [os.environ.get("REPORTGEN_UNO_PYTHON", ""),
                  str(Path(os.path.realpath(soffice)).parent / "python"),  # official LibreOffice builds
                  "/usr/bin/python3", shutil.which("python3") or ""]
    return [c for c in dict.fromkeys(c for c in candidates if c) if os.access(c, os.X_OK)]


@functools.cache
def uno_python(soffice: str) -> str:
    """A Python that can `import uno` (the first of uno_candidates that does, each tried in a process of its
    own). The pool starts its workers under the first candidate without asking (the bridge says when it
    cannot import uno), and asks this only then: asking costs a Python start-up on the way to LibreOffice's."""
    for python in uno_candidates(soffice):
        try:
            subprocess.run([python, "-c", "import uno"], check=True, capture_output=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            continue
        return python
    raise ConversionError("LibreOffice's Python bridge (the `uno` module) was not found, so the PDF worker "
                          f"pool cannot start; {INSTALL_HINT}")




def without_comments(docx: Path, workdir: Path) -> Path:
    """The DOCX itself, or a copy in workdir with every comment removed.

    Comments must never be published; and LibreOffice 7.4 without its GUI
    (libreoffice-writer-nogui) aborts when a document with comments is opened
    through UNO, because it builds the comment sidebar from UI files that
    package does not ship.
    """
    try:
        source = zipfile.ZipFile(docx)
    except (OSError, zipfile.BadZipFile):
        return docx  # not ours to judge: LibreOffice reports what it cannot open
    with source:
        if not COMMENT_PARTS & set(source.namelist()):
            return docx
        target = workdir / f"{secrets.token_hex(6)}-{docx.name}"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename == "word/document.xml" or info.filename in COMMENT_PARTS:
                    data = strip_comment_xml(data, empty=info.filename in COMMENT_PARTS)
                out.writestr(info, data)
    log.info("removed comments from %s before export", docx)
    return target


def filter_json(options: dict[str, bool | int | str]) -> str:
    """FilterData in the JSON form `soffice --convert-to` accepts since 7.4."""
    def typed(value: bool | int | str) -> dict[str, str]:
        if isinstance(value, bool):
            return {"type": "boolean", "value": "true" if value else "false"}
        if isinstance(value, int):
            return {"type": "long", "value": str(value)}
        return {"type": "string", "value": value}
    return json.dumps({k: typed(v) for k, v in options.items()}, separators=(",", ":"))
