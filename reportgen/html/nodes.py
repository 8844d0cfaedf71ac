"""A tiny element tree for the web edition: built from the layout, rendered by a Jinja macro with autoescape.

Tag and attribute names come from reportgen's code only; every string from content is a text child or
an attribute value, which the template escapes. Nothing here concatenates HTML.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

#: Characters HTML cannot carry (C0 controls other than tab, newline and carriage return).
_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Elements with no closing tag.
VOID = frozenset({"br", "hr", "img", "meta", "link", "input"})
#: Elements followed by a line break in the source, so the page reads well as text too.
BLOCK = frozenset({"p", "div", "ul", "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
                   "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd", "section", "nav"})


def clean(text: str) -> str:
    """Drop control characters HTML cannot hold; everything else survives as written."""
    return _BAD.sub("", text)


@dataclass
class Node:
    """One element: its tag, attributes in order, and children (text or elements)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Child] = field(default_factory=list)

    def add(self, child: Child) -> Child:
        if isinstance(child, str):
            child = clean(child)
        self.children.append(child)
        return child

    def el(self, tag: str, **attrs: str) -> Node:
        """Append and return a new child element; a trailing underscore in a name is dropped (class_)."""
        node = Node(tag, {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()})
        self.children.append(node)
        return node

    def text(self) -> str:
        """The text content, as a browser's textContent would give it."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    @property
    def void(self) -> bool:
        return self.tag in VOID

    @property
    def block(self) -> bool:
        return self.tag in BLOCK


Child = Union[Node, str]
