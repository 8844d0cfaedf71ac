"""Author-supplied files (appendices, supporting papers): refused, with the reason, before anything
is converted or published, so a broken or hostile file never reaches LibreOffice or a pack."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from reportgen.content.limits import MAX_ATTACHMENT_BYTES, members_problem

# Revision marks in the body: a tracked insertion, deletion or move would publish both versions.
#: Tracked changes: Word insertions and deletions, OpenDocument change marks.
_TRACKED = re.compile(rb"<w:(?:ins|del|moveFrom|moveTo)[\s>/]|<text:tracked-changes[\s>]")


def attachment_problem(path: Path) -> str | None:
    """Why `path` cannot be published as an appendix or supporting paper, or None."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"cannot read the file ({exc.strerror or exc})"
    if size == 0:
        return "the file is empty (0 bytes)"
    if size > MAX_ATTACHMENT_BYTES:
        return f"the file is {size:,} bytes, more than the limit of {MAX_ATTACHMENT_BYTES:,}"
    suffix = path.suffix.lower()
    if suffix in _PACKAGES:
        return _package_problem(path, *_PACKAGES[suffix])
    if suffix == ".pdf":
        return _pdf_problem(path)
    return f"only PDF, Word (.docx) and OpenDocument (.odt) files can be published, not '{path.suffix or path.name}'"


#: Zipped documents reportgen converts: suffix -> (what it is called, its body part).
_PACKAGES = {".docx": ("Word (.docx)", "word/document.xml"), ".odt": ("OpenDocument (.odt)", "content.xml")}


def _package_problem(path: Path, kind: str, part: str) -> str | None:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        return f"not a {kind} file: {exc}"
    with archive:
        # Not a zip bomb, and with its document part, before any member is read (one opening).
        why = members_problem(archive.infolist(), part, kind)
        if why:
            return why
        try:
            body = archive.read(part)
        except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:  # zlib errors surface as these
            return f"not a readable {kind} file ({exc})"
        except Exception as exc:  # noqa: BLE001 - zlib.error and friends: a corrupt archive member
            return f"not a readable {kind} file ({exc})"
    if _TRACKED.search(body):
        return "the document has tracked changes; accept or reject them before publishing"
    return None


def _pdf_problem(path: Path) -> str | None:
    import pikepdf  # imported here (25 ms or more): only reports with PDF attachments need it

    try:
        with pikepdf.open(path) as pdf:
            if pdf.is_encrypted:
                return "the PDF is encrypted; publish an unprotected copy"
            if len(pdf.pages) == 0:
                return "the PDF has no pages"
    except pikepdf.PasswordError:
        return "the PDF is password protected; publish an unprotected copy"
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        return f"not a readable PDF ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"
    return None
