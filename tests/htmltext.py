"""Read a built HTML page back as normalised text in reading order, for golden tests."""
from __future__ import annotations

from pathlib import Path

import lxml.html

from .docxtext import normalise

#: Elements that start a new line of text: their text is kept apart from the text around them.
BLOCKS = {"p", "div", "li", "ul", "ol", "table", "tr", "td", "th", "caption", "h1", "h2", "h3", "h4", "h5", "h6",
          "dl", "dt", "dd", "section", "nav", "header", "footer", "main", "article", "br", "thead", "tbody", "tfoot"}


#: A table's caption named after the heading it sits under (the DOCX prints that heading once, above it).
HEADING_CAPTION = "heading-caption"


def _walk(node: lxml.html.HtmlElement, out: list[str]) -> None:
    if node.tag in ("script", "style", "template") or HEADING_CAPTION in (node.get("class") or "").split():
        if node.tail:
            out.append(node.tail)
        return
    block = node.tag in BLOCKS
    if block:
        out.append(" ")
    if node.text:
        out.append(node.text)
    for child in node:
        _walk(child, out)
    if block:
        out.append(" ")
    if node.tail:
        out.append(node.tail)


def page_text(html: str | Path, selector: str | None = None) -> str:
    """The page's (or one element's, by id) text in document order, whitespace collapsed."""
    source = html.read_text(encoding="utf-8") if isinstance(html, Path) else html
    root = lxml.html.document_fromstring(source)
    if selector:
        root = root.get_element_by_id(selector)
    out: list[str] = []
    for child in [root]:
        _walk(child, out)
    return normalise("".join(out))
