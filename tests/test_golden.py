"""Golden structure of every example's DOCX: headings, paragraph numbers, list levels, table rows.

Compared as normalised text, never bytes. After a deliberate change, regenerate with:

    REPORTGEN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py
and review the diff in tests/golden/.
"""
from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest
from docx.styles import BabelFish
from lxml import etree

from reportgen.pipeline import render_report
from reportgen.content.load import find_reports

from .conftest import ROOT

GOLDEN = Path(__file__).resolve().parent / "golden"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EXAMPLES = find_reports([ROOT / "content" / "examples"])


def _text(node: etree._Element) -> str:
    parts = [n.text or "" if n.tag == f"{W}t" else " "
             for n in node.iter(f"{W}t", f"{W}tab", f"{W}br")]
    return re.sub(r"[ ]+", " ", "".join(parts)).strip()


def structure(docx: bytes) -> list[str]:
    """One line per block: style and text of paragraphs (list level too), one line per table row."""
    with zipfile.ZipFile(__import__("io").BytesIO(docx)) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
        styles = etree.fromstring(z.read("word/styles.xml"))
    names = {s.get(f"{W}styleId"): BabelFish.internal2ui(s.find(f"{W}name").get(f"{W}val"))
             for s in styles.iter(f"{W}style")}
    lines = []
    for block in doc.find(f"{W}body"):
        if block.tag == f"{W}tbl":
            for row in block.findall(f"{W}tr"):
                header = "TH" if row.find(f"{W}trPr/{W}tblHeader") is not None else "TD"
                cells = [_text(tc) for tc in row.findall(f"{W}tc")]
                lines.append(f"{header} | " + " | ".join(cells))
        elif block.tag == f"{W}p":
            style = block.find(f"{W}pPr/{W}pStyle")
            name = names.get(style.get(f"{W}val"), "?") if style is not None else "Normal"
            level = block.find(f"{W}pPr/{W}numPr/{W}ilvl")
            if level is not None:
                name += f"[{level.get(f'{W}val')}]"
            text = _text(block)
            if text:
                lines.append(f"{name}: {text}")
    return lines


@pytest.mark.parametrize("folder", EXAMPLES, ids=[f.name for f in EXAMPLES])
def test_example_structure_matches_golden(folder: Path) -> None:
    _, docx = render_report(folder)
    actual = "\n".join(structure(docx)) + "\n"
    golden = GOLDEN / f"{folder.name}.txt"
    if os.environ.get("REPORTGEN_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"no golden for {folder.name}: regenerate (see module docstring)"
    assert actual == golden.read_text(encoding="utf-8")


def test_goldens_show_numbering_levels_and_header_rows() -> None:
    """The goldens carry what they are for: numbers, list levels, header rows (so they cannot go blank)."""
    text = (GOLDEN / "east-herts-2019-12-ict-partnership.txt").read_text(encoding="utf-8")
    assert "Heading 3: 2.0 Report" in text and "Numbered Paragraph: 2.17 A series of" in text
    hereford = (GOLDEN / "herefordshire-2019-09-digital-strategy.txt").read_text(encoding="utf-8")
    assert "List Bullet[1]: Actions" in hereford and "TH | Item | Amount £000s" in hereford
