"""Resource limits on hostile input, in one place; docs/limits.md documents each value.

Each limit is far above what a real report, profile, meeting or sign-off file needs, and low
enough that a malicious file is refused in well under a second instead of running for minutes.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

#: Largest YAML or text file read (report, profile, meeting, sign-off, project file).
MAX_FILE_BYTES = 8 * 1024 * 1024
#: Largest word list (a style's or a project's `words` file for the spelling check): about 100,000 words.
MAX_WORD_LIST_BYTES = 2 * 1024 * 1024
#: Most alias uses (`*name`) in one YAML file: real content uses a handful at most.
MAX_YAML_ALIASES = 200
#: Most values (scalars, lists, mappings) a YAML file may expand to, aliases followed.
MAX_YAML_NODES = 500_000
#: Deepest nesting of lists and mappings in a YAML file.
MAX_YAML_DEPTH = 64
#: Deepest Markdown list nesting printed as a list; Word has nine list levels, deeper items print
#: as typed at the ninth level (no text is ever dropped).
MAX_LIST_LEVELS = 9
#: Largest archive member count and total uncompressed size of a DOCX (template or appendix).
MAX_ARCHIVE_MEMBERS = 5_000
MAX_ARCHIVE_BYTES = 256 * 1024 * 1024
#: Largest compression ratio of one archive member: Word files compress about 10:1 at most.
MAX_COMPRESSION_RATIO = 200
#: Largest supplied file (appendix, supporting paper) read or converted.
MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024
#: Longest text a Word core property (title, subject, keywords) may hold; longer is shortened.
MAX_CORE_PROPERTY = 255


def archive_problem(path: Path, part: str = "word/document.xml") -> str | None:
    """Why a zipped document (DOCX, ODT) must not be opened, or None: not a zip, a zip bomb, too large,
    or without its body `part`."""
    kind = "Word (.docx)" if part.startswith("word/") else "OpenDocument (.odt)"
    try:
        size = path.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            return f"file is {size:,} bytes, more than the limit of {MAX_ATTACHMENT_BYTES:,}"
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        return f"not a {kind} file: {exc}"
    return members_problem(members, part, kind)


def members_problem(members: list[zipfile.ZipInfo], part: str, kind: str) -> str | None:
    """Why an archive with these members must not be read, or None (see archive_problem)."""
    if len(members) > MAX_ARCHIVE_MEMBERS:
        return f"archive has {len(members):,} members, more than the limit of {MAX_ARCHIVE_MEMBERS:,}"
    total = sum(m.file_size for m in members)
    if total > MAX_ARCHIVE_BYTES:
        return (f"archive expands to {total:,} bytes, more than the limit of {MAX_ARCHIVE_BYTES:,} "
                "(a zip bomb?)")
    for m in members:
        if m.file_size > 1024 * 1024 and m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1):
            return (f"archive member {m.filename} is compressed more than {MAX_COMPRESSION_RATIO}:1 "
                    "(a zip bomb?)")
    if part not in {m.filename for m in members}:
        return f"not a {kind} file: no {part}"
    return None
