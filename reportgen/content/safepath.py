"""Paths named in content, profiles and meetings stay inside their own folder.

Styles are shared between councils and content is written by many hands, so a file name is
untrusted: `../../etc/passwd`, an absolute path, a symbolic link pointing out of the folder or
into /proc must never be read, converted or published.
"""
from __future__ import annotations

import re
import stat
from pathlib import Path, PurePosixPath, PureWindowsPath

#: A house-style name: one folder name, never a path.
STYLE_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
#: Files a report may attach: compared case-insensitively (APPENDIX-A.DOCX is a DOCX).
ATTACHMENT_SUFFIXES = (".pdf", ".docx", ".odt")


def unsafe_style_name(name: str) -> str | None:
    """Why `name` cannot be a house-style name (a path, `..`), or None."""
    if re.fullmatch(STYLE_NAME, name):
        return None
    return f"'{name}' is not a house-style name (letters, digits, '-', '_' or '.', no path)"


def unsafe_relative(name: str) -> str | None:
    """Why a relative file name is unsafe before touching the disk (absolute, `..`, empty), or None."""
    if not name.strip():
        return "the file name is empty"
    if "\0" in name:
        return "the file name contains a NUL character"
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).is_absolute() or name.startswith("~"):
        return f"'{name}' is an absolute path; give a path relative to the folder"
    if ".." in PurePosixPath(name.replace("\\", "/")).parts:
        return f"'{name}' leaves the folder ('..'); keep files inside it"
    return None


def inside(folder: Path, name: str, must_exist: bool = False) -> tuple[Path | None, str | None]:
    """The file `name` inside `folder`, or why it cannot be used.

    A file that does not exist is (None, None) unless must_exist: a missing file is reported by the
    check that owns it. Symbolic links are followed and must land inside the folder, on a regular file.
    """
    why = unsafe_relative(name)
    if why:
        return None, why
    path = folder / name
    try:
        real = path.resolve(strict=False)
        base = folder.resolve(strict=False)
    except (OSError, RuntimeError) as exc:  # a symlink loop
        return None, f"'{name}' cannot be resolved ({exc})"
    if base != real and base not in real.parents:
        return None, f"'{name}' resolves outside the folder (to {real}); keep files inside it"
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        return None, (f"file not found: {name}" if must_exist else None)
    except OSError as exc:
        return None, f"'{name}' cannot be read ({exc.strerror or exc})"
    if not stat.S_ISREG(mode):
        what = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        return None, f"'{name}' is {what}"
    return path, None


def attachment_suffix_ok(name: str) -> bool:
    return Path(name).suffix.lower() in ATTACHMENT_SUFFIXES
