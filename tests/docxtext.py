"""Read a built DOCX back as normalised text and structure, for golden tests."""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Para:
    style: str
    text: str
    level: int | None = None  # list level, when the paragraph is a list item
    in_table: bool = False


def _text(p: etree._Element) -> str:
    out = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
        out.append(node.text or "" if node.tag == f"{W}t" else ("\t" if node.tag == f"{W}tab" else "\n"))
    return "".join(out)


def read(path: Path) -> tuple[list[Para], dict[str, str]]:
    """Paragraphs in document order (table cells included) and a style-id -> name map."""
    with zipfile.ZipFile(path) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
        styles = etree.fromstring(z.read("word/styles.xml"))
    names = {s.get(f"{W}styleId"): s.find(f"{W}name").get(f"{W}val") for s in styles.iter(f"{W}style")}
    paras = []
    for p in doc.iter(f"{W}p"):
        style_el = p.find(f"{W}pPr/{W}pStyle")
        style = names.get(style_el.get(f"{W}val"), "") if style_el is not None else ""
        ilvl = p.find(f"{W}pPr/{W}numPr/{W}ilvl")
        level = int(ilvl.get(f"{W}val")) if ilvl is not None else None
        in_table = any(a.tag == f"{W}tc" for a in p.iterancestors())
        paras.append(Para(style, _text(p), level, in_table))
    return paras, names


def flat_text(path: Path) -> str:
    """All text, whitespace collapsed to single spaces."""
    paras, _ = read(path)
    return normalise(" ".join(p.text for p in paras))


MARKER = re.compile(r"^\s*(?:[-*•]\s+|\(?[a-zA-Z]\)\s+|\d+(?:\.\d+)*\.?\s+(?=\S))")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def strip_marker(line: str) -> str:
    """Drop leading list bullets, lettering and paragraph numbers: numbering is reportgen's own."""
    previous = None
    while previous != line:
        previous = line
        line = MARKER.sub("", line, count=1)
    return line


def seed_lines(path: Path) -> list[str]:
    """A seed's lines with conversion leftovers (<b>, **, ##, tabs) and numbering removed."""
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"</?(?:b|u|p|sup|i)>", "", raw)
        line = line.replace("**", "").replace("\t", " ")
        line = re.sub(r"(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])", "", line)  # *italic* markers
        line = re.sub(r"^#+\s*", "", line)
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)  # Markdown links: keep the text
        line = normalise(strip_marker(normalise(line)))
        if line and line != "---":
            lines.append(line)
    return lines


def docx_lines(path: Path) -> str:
    """The DOCX's text with paragraph numbers and letters removed, as one searchable string."""
    paras, _ = read(path)
    return " ".join(normalise(strip_marker(normalise(p.text))) for p in paras)


def missing_in_order(seed: list[str], text: str) -> list[str]:
    """Seed lines not found in the text in order (each searched after the previous hit)."""
    missing, cursor = [], 0
    for line in seed:
        hit = text.find(line, cursor)
        if hit < 0:
            missing.append(line)
        else:
            cursor = hit + len(line)
    return missing
