"""A council's own word list (place names, councillors' names, product names) for the spelling check.

The file is untrusted input like any other: one word a line, UTF-8, `#` starts a comment. Each problem
(too large, not UTF-8, a control character, more than one word on a line) is located at its line and column.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from reportgen.content.limits import MAX_WORD_LIST_BYTES
from reportgen.errors import Problem


def read_word_list(path: Path, key: str) -> tuple[frozenset[str], list[Problem]]:
    """The words of the file at `path` and the problems found in it; `key` names the setting that points at it."""
    try:
        stat = path.stat()
    except OSError as exc:
        return frozenset(), [Problem(path, 1, 1, key, f"word list cannot be read: {exc.strerror or exc}")]
    return _read(path, key, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _read(path: Path, key: str, mtime: int, size: int) -> tuple[frozenset[str], list[Problem]]:
    """Read once per process while the file is unchanged (every report of a style shares its list)."""
    if size > MAX_WORD_LIST_BYTES:
        return frozenset(), [Problem(path, 1, 1, key, f"word list is {size:,} bytes, more than the limit of "
                                                      f"{MAX_WORD_LIST_BYTES:,}")]
    try:
        data = path.read_bytes()[:MAX_WORD_LIST_BYTES + 1]
    except OSError as exc:
        return frozenset(), [Problem(path, 1, 1, key, f"word list cannot be read: {exc.strerror or exc}")]
    words: set[str] = set()
    problems: list[Problem] = []
    for n, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), 1):
        try:
            line = raw.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError as exc:
            problems.append(Problem(path, n, exc.start + 1, key, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})"))
            continue
        text = line.split("#", 1)[0].strip()
        bad = next((i for i, c in enumerate(line) if unicodedata.category(c) in ("Cc", "Cf") and c != "\t"), None)
        if bad is not None:
            problems.append(Problem(path, n, bad + 1, key, f"control character U+{ord(line[bad]):04X} in the word list"))
        elif len(text.split()) > 1:
            problems.append(Problem(path, n, line.index(text) + 1, key,
                                    f"one word a line: '{text[:40]}' has {len(text.split())}"))
        elif text:
            words.add(text)
    return frozenset(words), problems
