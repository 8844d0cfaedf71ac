"""CSV a spreadsheet opens as data, never as formulas (OWASP, "CSV Injection").

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by Excel,
LibreOffice Calc and Google Sheets (`=HYPERLINK("http://x","y")` in a report title becomes a live link).
OWASP's guidance: prefix such a cell with a single quote, which the spreadsheet shows as text and does
not display, and quote every cell. Every CSV reportgen writes goes through `to_csv`; every CSV it
reads back goes through `original`, so its own earlier files still match.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(cell: str) -> str:
    """The cell as a spreadsheet shows it as text: a leading formula character gets a `'` before it."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def original(cell: str) -> str:
    """A cell as `neutral` wrote it, back as it was."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


def to_csv(rows: Iterable[Iterable[str]]) -> bytes:
    """UTF-8 CSV with every cell quoted and neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([neutral(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def from_csv(text: Iterable[str]) -> list[list[str]]:
    """The rows of a CSV written by `to_csv` (or by hand), each cell as it was before `neutral`."""
    return [[original(cell) for cell in row] for row in csv.reader(text)]
