"""Word documents typed the way a council officer types them, from the seed texts, with python-docx.

Not made by reportgen: python-docx's own default template (Normal, Heading 1-3, List Bullet, List Number,
Quote), numbers typed by hand or from Word's list numbering, headings as bold paragraphs in one of them,
front pages typed as lines or a two-column table, a table of reviewers, a comment, and (on request) a
tracked change.
"""
from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

_INLINE = re.compile(r"(\*\*[^*]+\*\*|<b>.*?</b>|\*[^*\s][^*]*\*|<sup>.*?</sup>|\[[^\]]*\]\([^)]*\))")


def runs(p: Paragraph, text: str, bold: bool = False) -> None:
    """Typed text with bold, italic, superscript and links as Word formatting (never as Markdown)."""
    for piece in _INLINE.split(text):
        if not piece:
            continue
        if piece.startswith("**") or piece.startswith("<b>"):
            p.add_run(re.sub(r"^\*\*|\*\*$|</?b>", "", piece)).bold = True
        elif piece.startswith("<sup>"):
            p.add_run(piece[5:-6]).font.superscript = True
        elif piece.startswith("["):
            label, url = re.match(r"\[([^\]]*)\]\(([^)]*)\)", piece).groups()  # type: ignore[union-attr]
            link(p, label, url if url.startswith("http") else "https://example.org/")
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            p.add_run(piece[1:-1]).italic = True
        else:
            run = p.add_run(piece.replace("<u>", "").replace("</u>", ""))
            run.bold = bold or None


def link(p: Paragraph, text: str, url: str) -> None:
    rid = p.part.relate_to(url, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
                           is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), rid)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    r.append(t)
    hyperlink.append(r)
    p._p.append(hyperlink)


def _looks_like_heading(line: str) -> re.Match[str] | None:
    """A seed line the officer set as a heading: short, a title, no closing punctuation (the text conversion
    lost the heading style)."""
    text = re.sub(r"\*\*|</?[bu]>", "", line).strip()
    if len(text) > 70 or text.endswith((".", ",", ";")) or text.startswith(("-", "(", "•")) or not text[:1].isupper():
        return None
    if re.match(r"^\d+\.\d+\s", text) or re.search(r"@|\d{4}\s*$|Tel|:\s*\S", text):
        return None
    return re.match(r"^()(.*)$", "#" * 0 + text) and re.match(r"^(##)\s+(.*)$", "## " + text)


def typed(seed: Path, out: Path, headings: str, numbers: str, *, tracked: bool = False, comment: bool = False,
          reviewers: bool = False) -> Path:
    """The seed typed into Word. headings: "bold" paragraphs or "styles" (Heading 1/2); numbers: "typed"
    (as in the seed) or "word" (Word's list numbering, the typed number removed)."""
    document = docx.Document()
    lines = seed.read_text(encoding="utf-8").splitlines()
    table_rows: list[list[str]] = []

    def flush() -> None:
        if not table_rows:
            return
        width = max(len(r) for r in table_rows)
        table = document.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        for row in table_rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row + [""] * width):
                bold = value.startswith("<b>") or value.startswith("**")
                runs(cell.paragraphs[0], re.sub(r"</?b>|\*\*", "", value), bold)
        table_rows.clear()

    for raw in lines:
        line = raw.rstrip()
        if "\t" in line:
            table_rows.append([c.strip() for c in line.split("\t")])
            continue
        if not line.strip():
            continue
        flush()
        heading = re.match(r"^(#{2,3})\s+(.*)$", line) or _looks_like_heading(line)
        number = re.match(r"^(\d+(?:\.\d+)*)\.?\s+(.*)$", line.strip())
        bullet = re.match(r"^(\s*)[-•]\s+(.*)$", line)
        if heading:
            level = len(heading.group(1)) - 1
            text = re.sub(r"\*\*|</?[bu]>", "", heading.group(2))
            if headings == "bold":
                p = document.add_paragraph()
                p.add_run(text).bold = True
            else:
                document.add_heading(text, level=level)
        elif number and numbers == "word":
            runs(document.add_paragraph(style="List Number"), number.group(2))
        elif bullet:
            level = len(bullet.group(1)) // 2
            style = "List Bullet" if level == 0 else "List Bullet 2"
            runs(document.add_paragraph(style=style), bullet.group(2))
        elif line.startswith("> "):
            runs(document.add_paragraph(style="Quote"), line[2:])
        else:
            runs(document.add_paragraph(), line.strip())
    flush()
    if reviewers:
        p = document.add_paragraph()
        p.add_run("Report reviewers used for appraising this report").bold = True
        table = document.add_table(rows=1, cols=3)
        for cell, value in zip(table.rows[0].cells, ["Role", "Name", "Date"]):
            cell.paragraphs[0].add_run(value).bold = True
        for role, name, date in [("Governance", "A. Clerk", "12 Sep 2019"), ("Finance", "B. Treasurer", "10 Sep 2019"),
                                 ("Legal", "C. Solicitor", "")]:
            for cell, value in zip(table.add_row().cells, [role, name, date]):
                cell.paragraphs[0].add_run(value)
    body = [p for p in document.paragraphs if len(p.text) > 60]
    if comment:
        target = body[1]
        document.add_comment(target.runs[:1], text="Check this figure with finance.", author="A. Reviewer")
        target.runs[0].font.highlight_color = WD_COLOR_INDEX.YELLOW
    if tracked:
        ins = OxmlElement("w:ins")
        for key, value in (("w:id", "901"), ("w:author", "A. Officer"), ("w:date", "2019-12-01T10:00:00Z")):
            ins.set(qn(key), value)
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = " (revised)"
        r.append(t)
        ins.append(r)
        body[2]._p.append(ins)
    document.save(str(out))
    return out
