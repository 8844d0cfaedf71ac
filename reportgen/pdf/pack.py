"""Agenda packs: merge PDFs into one, keeping every part's tags, with bookmarks, labels and page stamps.

pikepdf's page copying alone drops the structure tree, so the trees are merged
here: each part's structure elements go under one Document element, and the
page keys they hang from (StructParents) are renumbered into one ParentTree.
Continuous pack page numbers are stamped with an embedded font (reportlab) and
marked as pagination artifacts, so screen readers skip them and the tags of
each report stay intact. Parts that arrive untagged (author-supplied PDFs)
keep their pages, untagged.
"""
from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeAlias

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf

from reportgen.errors import ConversionError
from reportgen.pdf.finish import finish
from reportgen.style.profile import fill

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


@dataclass
class PackDoc:
    """One PDF in the pack."""

    path: Path
    title: str
    marking: str = ""  # stamped on each of its pages (the private pack's NOT FOR PUBLICATION line)


@dataclass
class PackItem:
    """One bookmark at the top level: an agenda item and its documents."""

    title: str
    docs: list[PackDoc] = field(default_factory=list)
    #: For an item with no pages of its own (an exempt item in the public pack): where to point.
    page: int = 0


@dataclass
class Stamps:
    """What is printed on every page: the page stamp pattern, and DRAFT when publishing a draft."""

    page: str = "Page {page}"  # empty: no page number (a single document stamped DRAFT)
    draft: bool = False


@lru_cache(maxsize=1)
def _font() -> str:
    for path in FONT_CANDIDATES:
        if Path(path).is_file():
            return path
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}", "sans"], capture_output=True, text=True).stdout
        if found.endswith(".ttf") and Path(found).is_file():
            return found
    raise ConversionError("no TrueType font found to stamp page numbers; install fonts-liberation2")


def _stamp_pdf(sizes: list[tuple[float, float]], texts: list[list[tuple[str, str]]]) -> Pdf:
    """One stamp page per pack page (same size), each with its texts: (position, text)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "PackSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("PackSans", _font()))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, invariant=1, pageCompression=1)  # invariant: same input, same bytes
    for (width, height), lines in zip(sizes, texts):
        c.setPageSize((width, height))
        for position, text in lines:
            size = 14 if position == "top-left" else 9
            c.setFont("PackSans", size)
            if position == "bottom-right":
                c.drawRightString(width - 40, 18, text)
            elif position == "top-centre":
                c.setFillColorRGB(0.7, 0, 0)
                c.drawCentredString(width / 2, height - 20, text)
                c.setFillColorRGB(0, 0, 0)
            else:
                c.drawString(40, height - 24, text)
        c.showPage()
    c.save()
    return Pdf.open(io.BytesIO(buffer.getvalue()))


def _stamp(out: Pdf, texts: list[list[tuple[str, str]]]) -> None:
    sizes = [(float(p.mediabox[2]) - float(p.mediabox[0]), float(p.mediabox[3]) - float(p.mediabox[1]))
             for p in out.pages]
    stamps = _stamp_pdf(sizes, texts)
    for i, (page, stamp) in enumerate(zip(out.pages, stamps.pages)):
        xobject = out.copy_foreign(stamp.as_form_xobject())
        # One name per page: pages often share one /Resources dictionary. Fixed names, not
        # add_resource's random ones, so the same pack gives the same bytes.
        name = page.add_resource(xobject, Name.XObject, name=Name(f"/RgStamp{i + 1}"))
        # Pagination artifact: not part of the document's logical content or its tags.
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(b"Q\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC q " +
                          str(name).encode() + b" Do Q EMC\n", prepend=False)


def _number_tree(node: pikepdf.Object) -> list[tuple[int, pikepdf.Object]]:
    """Flatten a number tree (ParentTree) into (key, value) pairs."""
    pairs = []
    nums = node.get("/Nums")
    if nums is not None:
        pairs += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    for kid in node.get("/Kids", []):
        pairs += _number_tree(kid)
    return pairs


def open_pdf(path: Path) -> Pdf:
    """Open a PDF; a broken one (an author-supplied appendix, say) is a ConversionError naming it."""
    try:
        return Pdf.open(path)
    except (pikepdf.PdfError, OSError) as exc:
        raise ConversionError(f"{path}: not a readable PDF ({exc})") from exc


def _copy(out: Pdf, obj: pikepdf.Object) -> pikepdf.Object:
    """copy_foreign for any object: it takes only indirect ones, so direct containers are rebuilt."""
    if isinstance(obj, (Array, Dictionary)) and not obj.is_indirect:
        if isinstance(obj, Array):
            return Array([_copy(out, x) for x in obj])
        return Dictionary({k: _copy(out, v) for k, v in obj.items()})
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return out.copy_foreign(obj)
    return obj


class _Merger:
    def __init__(self) -> None:
        self.out = Pdf.new()
        self.document = self.out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
        self.nums: list[tuple[int, pikepdf.Object]] = []
        self.next_key = 0
        self.rolemap = Dictionary()
        self.untagged: list[Path] = []

    def add(self, path: Path) -> tuple[int, Pdf]:
        """Append a PDF's pages and structure; returns its first page index and the open source."""
        src = open_pdf(path)
        first = len(self.out.pages)
        self.out.pages.extend(src.pages)
        root = src.Root.get("/StructTreeRoot")
        if root is None:
            self.untagged.append(path)
            return first, src
        offset = self.next_key
        for page in self.out.pages[first:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        pairs = _number_tree(root.ParentTree) if "/ParentTree" in root else []
        self.nums += [(key + offset, _copy(self.out, value)) for key, value in pairs]
        top = max((k for k, _ in pairs), default=-1) + 1
        self.next_key = offset + max(int(root.get("/ParentTreeNextKey", top)), top)
        kids = root.get("/K")
        for kid in ([] if kids is None else (list(kids) if isinstance(kids, Array) else [kids])):
            copied = _copy(self.out, kid)
            copied.P = self.document
            if copied.get("/S") == Name.Document:
                copied.S = Name.Part  # each part's own Document becomes a Part of the pack's
            self.document.K.append(copied)
        for key, value in dict(root.get("/RoleMap", {})).items():
            self.rolemap[key] = value
        return first, src

    def finish_structure(self) -> None:
        if not len(self.document.K):
            return
        nums = Array()
        for key, value in sorted(self.nums, key=lambda kv: kv[0]):
            nums.append(key)
            nums.append(value)
        root = self.out.make_indirect(Dictionary(
            Type=Name.StructTreeRoot, K=self.document, ParentTree=self.out.make_indirect(Dictionary(Nums=nums)),
            ParentTreeNextKey=self.next_key))
        if len(self.rolemap):
            root.RoleMap = self.rolemap
        self.document.P = root
        self.out.Root.StructTreeRoot = root
        self.out.Root.MarkInfo = Dictionary(Marked=True)


#: Bookmarks as (title, page index, children), nested to any depth.
_Outline: TypeAlias = list[tuple[str, int, "_Outline"]]


def _outline(src: Pdf) -> _Outline:
    """A PDF's bookmarks as (title, page index, children)."""
    index = {page.obj.objgen: i for i, page in enumerate(src.pages)}

    def page_of(item: OutlineItem) -> int:
        # Widened: a GoTo action's /D may be any PDF object.
        dest: pikepdf.Object | int | None = item.destination
        if dest is None and item.action is not None and item.action.get("/S") == Name.GoTo:
            dest = item.action.get("/D")
        if isinstance(dest, Array) and len(dest):
            return index.get(dest[0].objgen, 0)
        return 0

    def walk(items: list[OutlineItem]) -> _Outline:
        return [(it.title, page_of(it), walk(list(it.children))) for it in items]

    with src.open_outline() as outline:
        return walk(list(outline.root))


def _outline_items(entries: _Outline, offset: int) -> list[OutlineItem]:
    items = []
    for title, page, children in entries:
        item = OutlineItem(title, page + offset)
        item.children.extend(_outline_items(children, offset))
        items.append(item)
    return items


def assemble(items: list[PackItem], out: Path, title: str, date: dt.date, author: str,
             stamps: Stamps) -> tuple[list[tuple[int, int] | None], list[Path]]:
    """Write the pack; returns each item's (first, last) page numbers (1-based) and the untagged parts."""
    merger = _Merger()
    ranges: list[tuple[int, int] | None] = []
    bookmarks: list[OutlineItem] = []
    markings: list[str] = []
    for item in items:
        start = len(merger.out.pages)
        children: list[OutlineItem] = []
        for n, doc in enumerate(item.docs):
            first, src = merger.add(doc.path)
            markings += [doc.marking] * (len(merger.out.pages) - first)
            entries = _outline_items(_outline(src), first)
            if n == 0:
                children += entries  # the item's own report: its headings directly under the item
            else:
                appendix = OutlineItem(doc.title, first)
                appendix.children.extend(entries)
                children.append(appendix)
        end = len(merger.out.pages)
        ranges.append((start + 1, end) if end > start else None)
        bookmark = OutlineItem(item.title, start if end > start else item.page)
        bookmark.children.extend(children)
        bookmarks.append(bookmark)
    merger.finish_structure()
    pdf = merger.out
    with pdf.open_outline() as outline:
        outline.root.extend(bookmarks)
    pdf.Root.PageLabels = Dictionary(Nums=Array([0, Dictionary(S=Name.D, St=1)]))
    pdf.Root.PageMode = Name.UseOutlines
    texts = []
    for number, marking in enumerate(markings, start=1):
        lines = [("bottom-right", fill(stamps.page, page=number))] if stamps.page else []
        if marking:
            lines.append(("top-centre", marking))
        if stamps.draft:
            lines.append(("top-left", "DRAFT"))
        texts.append(lines)
    if texts:
        _stamp(pdf, texts)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.raw")
    pdf.save(tmp)
    finish(tmp, title=title, date=date, author=author)
    tmp.replace(out)
    return ranges, merger.untagged
