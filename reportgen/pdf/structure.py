"""Reading a tagged PDF: its structure tree, role map, XMP metadata and Info keys (shared by finish and inspect)."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from lxml import etree

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}

HEADING = re.compile(r"^/H[1-6]?$")


@dataclass
class Tree:
    """What inspect counts in a structure tree: each element's /S as written, each standard type (through
    the role map), and the tables without any TH cell."""

    names: dict[str, int] = field(default_factory=dict)
    structure: dict[str, int] = field(default_factory=dict)
    tables_without_th: int = 0

    def count(self, name: str, role: str) -> None:
        """One element: its /S as written (`name`) and the standard type it stands for."""
        self.names[name] = self.names.get(name, 0) + 1
        self.structure[role] = self.structure.get(role, 0) + 1


def items(node: pikepdf.Object) -> list[pikepdf.Object]:
    """What a node's /K holds: structure elements, marked-content ids and references, as written."""
    k = node.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def is_element(item: pikepdf.Object) -> bool:
    return isinstance(item, pikepdf.Dictionary) and "/S" in item


def kids(node: pikepdf.Object) -> list[pikepdf.Object]:
    """The structure-element children of a node (marked-content ids and object refs skipped)."""
    return [x for x in items(node) if is_element(x)]


#: A node of a structure tree as `walk` reads it: the node, its parent (None for the root), what its /K holds.
Walked = tuple[pikepdf.Object, pikepdf.Object | None, list[pikepdf.Object]]


def _nodes(root: pikepdf.Object) -> Iterator[Walked]:
    """root, then every structure element below it, depth first, each object once, each with its parent and
    what its /K holds (each /K read once)."""
    held = items(root)
    yield root, None, held
    seen: set[tuple[int, int]] = set()
    stack = [(child, root) for child in reversed(held) if is_element(child)]
    while stack:
        node, parent = stack.pop()
        key = node.objgen
        if key != (0, 0):
            if key in seen:  # a malformed tree may loop; never walk it twice
                continue
            seen.add(key)
        held = items(node)
        yield node, parent, held
        stack.extend((child, node) for child in reversed(held) if is_element(child))


def elements(root: pikepdf.Object) -> Iterator[tuple[pikepdf.Object, pikepdf.Object]]:
    """Every structure element below root, as (element, parent), depth first, each object once (lazily: a
    search may stop at the first it needs)."""
    for node, parent, _ in _nodes(root):
        if parent is not None:
            yield node, parent


def walk(root: pikepdf.Object) -> list[Walked]:
    """root, then every structure element below it as `elements` walks them, each with its parent and what
    its /K holds (`items`): for a caller that looks at both the elements and their contents."""
    return list(_nodes(root))


def role(node: pikepdf.Object, rolemap: Mapping[str, Any] | pikepdf.Object | None) -> str:
    """The standard type of an element, following the RoleMap ("Text body" -> /P)."""
    return standard_type(str(node.get("/S")), rolemap)


def role_names(rolemap: pikepdf.Object | None) -> dict[str, str]:
    """A PDF's /RoleMap as a dict of names: looked up once an element, a dict answers many times faster
    than the PDF's own dictionary (each lookup of which crosses into qpdf)."""
    if not isinstance(rolemap, pikepdf.Dictionary):
        return {}
    return {str(key): str(value) for key, value in rolemap.items()}


def count_elements(nodes: Iterable[pikepdf.Object], rolemap: pikepdf.Object | None) -> Tree:
    """What inspect counts of these structure elements: each /S, each standard type, and the tables
    among them without any TH cell."""
    found = Tree()
    names = role_names(rolemap)
    for node in nodes:
        name = str(node.get("/S"))
        kind = standard_type(name, names)
        found.count(name, kind)
        if kind == "/Table" and not any(role(e, names) == "/TH" for e, _ in elements(node)):
            found.tables_without_th += 1
    return found


def standard_type(name: str, rolemap: Mapping[str, Any] | pikepdf.Object | None) -> str:
    """The standard type a structure type name stands for under a role map (a PDF's /RoleMap, or the same
    as a dict of names)."""
    for _ in range(8):  # role maps may chain; a cycle stops here
        if rolemap is None or name not in rolemap:
            break
        name = str(rolemap[name])
    return name


def read_xmp(pdf: pikepdf.Pdf) -> etree._Element | None:
    meta = pdf.Root.get("/Metadata")
    if not isinstance(meta, pikepdf.Stream):
        return None
    try:
        return etree.fromstring(meta.read_bytes(), etree.XMLParser(resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, pikepdf.PdfError):
        return None


def xmp_text(root: etree._Element | None, path: str) -> str | None:
    if root is None:
        return None
    found = root.xpath(path, namespaces=NS)
    # A location path always yields a node list; anything else would be no match.
    if not isinstance(found, list) or not found:
        return None
    value = found[0]
    # The paths passed in select elements or attributes, so lxml yields elements or (smart) strings only.
    assert isinstance(value, (str, etree._Element))
    return str(value) if isinstance(value, str) else (value.text or "")


# --------------------------------------------------------------------------- finish


def info_str(pdf: pikepdf.Pdf, key: str) -> str:
    value = pdf.docinfo.get(key)
    return str(value) if value is not None else ""
