"""Agenda packs: merge PDFs into one, keeping every part's tags, with bookmarks, labels and page stamps.

pikepdf's page copying alone drops the structure tree, so the trees are merged
here: each part's structure elements go under one Document element, and the
page keys they hang from (StructParents) are renumbered into one ParentTree.
Continuous pack page numbers are stamped with an embedded font (pdf.stamp) and
marked as pagination artifacts, so screen readers skip them and the tags of
each report stay intact. Parts that arrive untagged (author-supplied PDFs)
keep their pages, untagged.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf

from reportgen.cache import Cache, code_version, digest
from reportgen.errors import ConversionError
from reportgen.pdf.finish import finish_open, save
from reportgen.pdf.structure import kids as kids_of, standard_type
from reportgen.pdf.inspect import Tree, inspect_open, read_tree, remember, untagged_pages
from reportgen.pdf.stamp import stamp
from reportgen.style.profile import fill


#: A4 in points, portrait: every pack page is A4 (a pack prints as one document).
A4 = (595.276, 841.89)


@dataclass
class PackDoc:
    """One PDF in the pack."""

    path: Path
    title: str
    marking: str = ""  # stamped on each of its pages (the private pack's NOT FOR PUBLICATION line)
    #: Whether its own bookmarks go under its item (not for a cover or front sheet that lists the items).
    outline: bool = True
    #: Its pages with untagged content, when an earlier inspection found them; None: look.
    untagged: list[int] | None = None


@dataclass
class PackItem:
    """One bookmark below the pack's root: an agenda item and its documents."""

    title: str
    docs: list[PackDoc] = field(default_factory=list)
    #: For an item with no pages of its own (an exempt item in the public pack): where to point.
    page: int = 0


@dataclass
class Stamps:
    """What is printed on every page: the page stamp pattern, and DRAFT when publishing a draft."""

    page: str = "Page {page}"  # empty: no page number (a single document stamped DRAFT)
    draft: bool = False
    #: Page-label prefix, so a viewer's page box shows the printed number ("P3" in the private pack).
    label: str = ""


@dataclass
class PackResult:
    """What a pack holds: each item's (first, last) pages, and what keeps it from PDF/UA."""

    ranges: list[tuple[int, int] | None]
    #: Each part with content outside tags or artifacts, and its pages in the pack (1-based).
    untagged: dict[Path, list[int]] = field(default_factory=dict)
    #: Pack pages (1-based) scaled onto A4 from another paper size.
    scaled: list[int] = field(default_factory=list)
    #: How many pages it has.
    pages: int = 0

    @property
    def pdfua(self) -> bool:
        return not self.untagged


_SUBSET = re.compile(r"^/([A-Z]{6})\+(.+)$")


def _fonts(pdf: Pdf) -> list[pikepdf.Object]:
    """Every font dictionary the pages use, directly or in form XObjects, each object once."""
    seen: set[tuple[int, int]] = set()
    fonts: list[pikepdf.Object] = []
    stack = [page.obj.get("/Resources") for page in reversed(pdf.pages)]  # popped in page order
    while stack:
        res = stack.pop()
        if not isinstance(res, Dictionary) or (res.is_indirect and res.objgen in seen):
            continue
        if res.is_indirect:
            seen.add(res.objgen)
        for font in (res.get("/Font") or {}).values():
            if isinstance(font, Dictionary) and (not font.is_indirect or font.objgen not in seen):
                if font.is_indirect:
                    seen.add(font.objgen)
                fonts.append(font)
        for xobj in (res.get("/XObject") or {}).values():
            if xobj.get("/Subtype") == Name.Form and "/Resources" in xobj:
                stack.append(xobj.Resources)
    return fonts


def _unique_subset_tags(pdf: Pdf) -> None:
    """Give each font subset its own tag (ISO 32000-1 9.6.4: different subsets, different tags): each part of
    a pack was exported on its own, so two parts both have a "BAAAAA+LiberationSans-Bold" holding different
    glyphs. A later one gets the next free tag in sequence, so the same pack gets the same names."""
    fonts = _fonts(pdf)
    names = [str(f.get("/BaseFont", "")) for f in fonts]
    taken = {m.group(1) for n in names if (m := _SUBSET.match(n))}
    seen: set[str] = set()
    number = 0
    for font, name in zip(fonts, names):
        match = _SUBSET.match(name)
        if match is None:
            continue
        if match.group(1) not in seen:
            seen.add(match.group(1))
            continue
        while True:  # six capital letters, as the standard asks; sequence number in base 26
            number += 1
            n, tag = number, ""
            for _ in range(6):
                n, digit = divmod(n, 26)
                tag = chr(ord("A") + digit) + tag
            if tag not in taken:
                break
        taken.add(tag)
        seen.add(tag)
        renamed = Name(f"/{tag}+{match.group(2)}")
        font.BaseFont = renamed
        for part in [font, *font.get("/DescendantFonts", [])]:
            if part is not font and "/BaseFont" in part:
                part.BaseFont = renamed
            descriptor = part.get("/FontDescriptor")
            if isinstance(descriptor, Dictionary) and "/FontName" in descriptor:
                descriptor.FontName = renamed


def number_pages(path: Path, pattern: str, cache: Cache | None = None) -> None:
    """Print each page's number (pattern with {page} and {pages}) on a finished PDF, in place.

    Published documents are converted once, without their own page-number footer, so that the same
    conversion serves the pack (one number per page, the pack's); the standalone copy gets its
    "Page X of Y" here, as a pagination artifact. Same input, same bytes. `cache`: where the stamp font
    is remembered (without one, each process draws it with reportlab, which takes longer to import than
    to stamp a report).
    """
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        number_open(pdf, pattern, cache)
        save(pdf, path)


def number_open(pdf: Pdf, pattern: str, cache: Cache | None = None) -> None:
    """What number_pages does, on a PDF already open (saving it is the caller's: finish.save or saved).
    The stamps touch the pages' content and resources only, never the structure tree."""
    count = len(pdf.pages)
    stamp(pdf, [[("bottom-centre", fill(pattern, page=n, pages=count))] for n in range(1, count + 1)], cache)


#: How a page was placed on A4: (scale, x offset, y offset); (1, 0, 0) when it already was A4.
_Placement: TypeAlias = tuple[float, float, float]


def _to_a4(page: pikepdf.Page) -> _Placement:
    """Scale a page of another size onto A4 (landscape stays landscape), centred; returns the placement."""
    box = [float(x) for x in page.mediabox]
    width, height = box[2] - box[0], box[3] - box[1]
    target = A4 if height >= width else (A4[1], A4[0])
    if abs(width - target[0]) < 2 and abs(height - target[1]) < 2:
        return 1.0, 0.0, 0.0
    scale = min(target[0] / width, target[1] / height)
    dx = (target[0] - width * scale) / 2 - box[0] * scale
    dy = (target[1] - height * scale) / 2 - box[1] * scale
    page.contents_add(f"q {scale:.6f} 0 0 {scale:.6f} {dx:.3f} {dy:.3f} cm\n".encode(), prepend=True)
    page.contents_add(b"Q\n", prepend=False)
    page.obj.MediaBox = Array([0, 0, round(target[0], 3), round(target[1], 3)])
    for key in ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
        if key in page.obj:
            del page.obj[key]
    for annot in page.obj.get("/Annots", []):
        if "/Rect" in annot:
            r = [float(x) for x in annot.Rect]
            annot.Rect = Array([r[0] * scale + dx, r[1] * scale + dy, r[2] * scale + dx, r[3] * scale + dy])
    return scale, dx, dy


def _number_tree(node: pikepdf.Object) -> list[tuple[int, pikepdf.Object]]:
    """Flatten a number tree (ParentTree) into (key, value) pairs."""
    pairs = []
    nums = node.get("/Nums")
    if nums is not None:
        pairs += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    for kid in node.get("/Kids", []):
        pairs += _number_tree(kid)
    return pairs


def page_with(path: Path, text: str) -> int:
    """The index of the first page of a PDF whose text contains `text`, spaces ignored (a table cell wraps
    its words onto several lines); 0 when none does. For a bookmark to an item listed on a front sheet."""
    data = path.read_bytes()
    with Pdf.open(io.BytesIO(data)) as pdf:
        if len(pdf.pages) < 2:
            return 0  # found or not, the answer is the first page: no text to read
    wanted = re.sub(r"\s+", "", text).casefold()
    pages = _PageTexts.of(data)
    for index in range(pages.count):
        if wanted in pages.text(index):
            return index
    return 0


def table_rows(path: Path) -> list[list[int]]:
    """The page index where each body row (a TR with a TD) of each table starts, read from a tagged PDF's
    structure tree, tables in document order; [] for an untagged PDF. No text is read: a front sheet's
    tables are its agenda grids, row by row, so the page that lists an item is its row's (page_with reads
    every page's text with pypdf, which takes longer than assembling a pack's structure)."""
    with open_pdf(path) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return []
        pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        tables: list[list[int]] = []
        stack = list(reversed(kids_of(root)))
        while stack:  # depth first, in document order
            node = stack.pop()
            if node.get("/S") == Name.Table:
                tables.append([_first_page(row, pages) for row in kids_of(node) if _is_body_row(row)])
                continue
            stack += reversed(kids_of(node))
        return tables


def _is_body_row(row: pikepdf.Object) -> bool:
    return row.get("/S") == Name.TR and any(cell.get("/S") == Name.TD for cell in kids_of(row))


def _first_page(element: pikepdf.Object, pages: dict[tuple[int, int], int]) -> int:
    """The page an element's first content is on: the first /Pg met, depth first (-1: none)."""
    stack = [element]
    while stack:
        node = stack.pop()
        if isinstance(node, Dictionary):
            if "/Pg" in node:
                return pages.get(node.Pg.objgen, -1)
            kids = node.get("/K")
            if kids is not None:
                stack += reversed(list(kids)) if isinstance(kids, Array) else [kids]
    return -1


class _PageTexts:
    """A PDF's page texts (spaces removed, casefolded), each read by pypdf once, when first asked for: the
    items a front sheet lists without papers of their own are looked for in the same sheet, page by page,
    and pypdf's text extraction (pure Python) is slow."""

    _last: tuple[bytes, "_PageTexts"] | None = None

    def __init__(self, data: bytes) -> None:
        import pypdf  # only here: pikepdf reads no text

        self.reader = pypdf.PdfReader(io.BytesIO(data))
        self.count = len(self.reader.pages)
        self.texts: dict[int, str] = {}

    @classmethod
    def of(cls, data: bytes) -> "_PageTexts":
        """The texts of the PDF of these bytes, kept for the last PDF asked about."""
        last = cls._last
        if last is None or last[0] != data:
            last = cls._last = (data, cls(data))
        return last[1]

    def text(self, index: int) -> str:
        if index not in self.texts:
            self.texts[index] = re.sub(r"\s+", "", self.reader.pages[index].extract_text()).casefold()
        return self.texts[index]


def open_pdf(path: Path) -> Pdf:
    """Open a PDF; a broken one (an author-supplied appendix, say) is a ConversionError naming it."""
    try:
        return Pdf.open(path)
    except (pikepdf.PdfError, OSError) as exc:
        raise ConversionError(f"{path}: not a readable PDF ({exc})") from exc


def _copy_all(out: Pdf, src: Pdf, objects: list[pikepdf.Object]) -> list[pikepdf.Object]:
    """copy_foreign for any objects, direct ones too, in one native call: copy_foreign takes only an
    indirect object, so they are wrapped in one indirect array of the source (never saved) and QPDF
    copies the whole graph. The wrapper's copy is referenced by nothing, so it is not written."""
    if not objects:
        return []
    return list(out.copy_foreign(src.make_indirect(Array(objects))))


def _tree_key(data: bytes) -> str:
    return digest("tree", data, code_version())


def _part_tree(data: bytes, root: pikepdf.Object, cache: Cache | None) -> Tree:
    """A part's structure counts, remembered in the cache by its bytes: a republish counts the changed parts only."""
    key = _tree_key(data)
    cached = cache.get("tree", key) if cache is not None else None
    if cached is not None:
        return Tree(**json.loads(cached))
    tree = read_tree(root)
    if cache is not None:
        cache.put("tree", key, json.dumps(vars(tree)).encode())
    return tree


class Part:
    """A PDF opened and read for a pack, ahead of merging it: everything merging reads of it alone (its
    structure's page keys and top elements, its structure counts, its bookmarks), not what it becomes in the
    pack. Reading a part needs no other part, so publish reads the parts it already has while LibreOffice
    converts the others (issue 26); merging them stays in pack order, which fixes the pack's bytes."""

    def __init__(self, path: Path, cache: Cache | None = None, data: bytes | None = None,
                 tree: Tree | None = None) -> None:
        """`data`: the file's bytes when the caller has them (it is then read from them, not from the file);
        `tree`: their structure counts when already counted in the Pdf they were saved from (pool.finish_job
        counts them as it finishes a conversion), remembered in the cache as if counted here."""
        self.path, self.cache = path, cache
        if data is None:
            self.src = open_pdf(path)
            self.data = path.read_bytes()
        else:
            self.src, self.data = Pdf.open(io.BytesIO(data)), data
        self.root: pikepdf.Object | None = self.src.Root.get("/StructTreeRoot")
        self.pairs: list[tuple[int, pikepdf.Object]] = []
        self.tops: list[pikepdf.Object] = []
        if self.root is not None:
            self.pairs = _number_tree(self.root.ParentTree) if "/ParentTree" in self.root else []
            kids = self.root.get("/K")
            self.tops = [] if kids is None else (list(kids) if isinstance(kids, Array) else [kids])
        self._tree: Tree | None = None
        if tree is not None and self.root is not None:
            self._tree = tree
            if cache is not None:
                cache.put("tree", _tree_key(self.data), json.dumps(vars(tree)).encode())
        self._outline: _Outline | None = None

    def tree(self) -> Tree:
        """Its structure counts (a tagged part's), remembered in the cache by its bytes."""
        if self._tree is None:
            assert self.root is not None
            self._tree = _part_tree(self.data, self.root, self.cache)
        return self._tree

    def outline(self) -> _Outline:
        if self._outline is None:
            self._outline = _outline(self.src)
        return self._outline

    def read(self) -> "Part":
        """Everything merging it may read, read now."""
        if self.root is not None:
            self.tree()
        self.outline()
        return self


class _Merger:
    def __init__(self, cache: Cache | None = None) -> None:
        self.cache = cache
        #: Each tagged part's structure counts, role map, and top-level Documents that became Parts.
        self.trees: list[tuple[Tree, dict[str, str], int]] = []
        self.out = Pdf.new()
        self.document = self.out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
        self.nums: list[tuple[int, pikepdf.Object]] = []
        self.next_key = 0
        self.rolemap = Dictionary()
        self.untagged: dict[Path, list[int]] = {}
        self.placements: list[_Placement] = []

    def add(self, part: Part, known: list[int] | None = None) -> int:
        """Append a part's pages (on A4) and structure; returns its first page index.
        `known`: its pages with untagged content, if already inspected."""
        src, path = part.src, part.path
        first = len(self.out.pages)
        loose = untagged_pages(src) if known is None else known
        if loose:
            self.untagged[path] = [first + n - 1 for n in loose]  # 0-based pack indices
        self.out.pages.extend(src.pages)
        self.placements += [_to_a4(page) for page in self.out.pages[first:]]
        root = part.root
        if root is None:
            return first
        offset = self.next_key
        for page in self.out.pages[first:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        pairs, tops = part.pairs, part.tops
        copies = _copy_all(self.out, src, [value for _, value in pairs] + tops)
        self.nums += [(key + offset, value) for (key, _), value in zip(pairs, copies)]
        top = max((k for k, _ in pairs), default=-1) + 1
        self.next_key = offset + max(int(root.get("/ParentTreeNextKey", top)), top)
        for copied in copies[len(pairs):]:
            copied.P = self.document
            if copied.get("/S") == Name.Document:
                copied.S = Name.Part  # each part's own Document becomes a Part of the pack's
            self.document.K.append(copied)
        own = {str(key): str(value) for key, value in dict(root.get("/RoleMap", {})).items()}
        for key, value in dict(root.get("/RoleMap", {})).items():
            self.rolemap[key] = value
        renamed = {(n,) if kid.objgen == (0, 0) else kid.objgen for n, kid in enumerate(kids_of(root))
                   if kid.get("/S") == Name.Document}
        self.trees.append((part.tree(), own, len(renamed)))
        return first

    def tree(self) -> Tree | None:
        """The pack's structure counts, put together from its parts' (what inspect would count in it);
        None when the merged role map reads some part's names otherwise than its own map did."""
        if not len(self.document.K):
            return Tree()
        merged = {str(key): str(value) for key, value in self.rolemap.items()}
        if "/Document" in merged or "/Part" in merged:
            return None
        total = Tree({"/Document": 1}, {"/Document": 1})
        for tree, own, renamed in self.trees:
            if any(standard_type(name, own) != standard_type(name, merged) for name in tree.names):
                return None
            for counts, part in ((total.names, tree.names), (total.structure, tree.structure)):
                for name, n in part.items():
                    counts[name] = counts.get(name, 0) + n
                counts["/Document"] -= renamed  # each part's own Document became a Part of the pack's
                counts["/Part"] = counts.get("/Part", 0) + renamed
            total.tables_without_th += tree.tables_without_th
        total.names = {k: n for k, n in total.names.items() if n}
        total.structure = {k: n for k, n in total.structure.items() if n}
        return total

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


#: Bookmarks as (title, page index, where on the page: the destination after the page, children).
_Outline: TypeAlias = list[tuple[str, int, list[pikepdf.Object], "_Outline"]]


def _outline(src: Pdf) -> _Outline:
    """A PDF's bookmarks, each with its page index and its position there (/XYZ left top zoom)."""
    index = {page.obj.objgen: i for i, page in enumerate(src.pages)}

    def where(item: OutlineItem) -> tuple[int, list[pikepdf.Object]]:
        # Widened: a GoTo action's /D may be any PDF object.
        dest: pikepdf.Object | int | None = item.destination
        if dest is None and item.action is not None and item.action.get("/S") == Name.GoTo:
            dest = item.action.get("/D")
        if isinstance(dest, Array) and len(dest) and isinstance(dest[0], pikepdf.Dictionary):
            return index.get(dest[0].objgen, 0), list(dest)[1:]
        return 0, []

    def walk(items: list[OutlineItem]) -> _Outline:
        return [(it.title, *where(it), walk(list(it.children))) for it in items]

    # Read only: outside a `with` block pikepdf does not write the outline back into the source.
    return walk(list(src.open_outline().root))


def _destination(pdf: Pdf, page: int, placement: _Placement, tail: list[pikepdf.Object]) -> Array:
    """A destination on a pack page: the heading's own /XYZ position, moved as the page was scaled."""
    scale, dx, dy = placement
    if tail and tail[0] == Name.XYZ and len(tail) == 4:
        left, top = (None if v is None or isinstance(v, pikepdf.Object) and v.is_null else float(v)
                     for v in tail[1:3])
        return Array([pdf.pages[page].obj, Name.XYZ, None if left is None else left * scale + dx,
                      None if top is None else top * scale + dy, 0])
    return Array([pdf.pages[page].obj, Name.XYZ, None, None, 0])  # the top of the page, zoom unchanged


#: A pack bookmark: (title, destination, children).
_Mark: TypeAlias = tuple[str, Array, list["_Mark"]]

#: How deep pikepdf writes bookmarks (its Outline's max_depth): deeper ones are left out, as it left them.
_MAX_DEPTH = 15


def _outline_items(merger: "_Merger", entries: _Outline, offset: int) -> list[_Mark]:
    items: list[_Mark] = []
    for title, page, tail, children in entries:
        at = page + offset
        items.append((title, _destination(merger.out, at, merger.placements[at], tail),
                      _outline_items(merger, children, offset)))
    return items


def _write_outline(pdf: Pdf, marks: list[_Mark]) -> None:
    """The pack's bookmarks written as pikepdf's Outline writes a new outline (the same objects, made in the
    same order, so the same bytes), without its OutlineItem objects: a pack has hundreds of bookmarks."""
    outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines))
    pdf.Root.Outlines = outlines
    _write_level(pdf, outlines, marks, 0)


def _levels(marks: list[_Mark], level: int = 0) -> list[tuple[int, str]]:
    """The bookmarks as _write_outline writes them, as (level, title) depth first, level 1 at the top: what
    inspect reads back from the outline."""
    out: list[tuple[int, str]] = []
    for title, _, children in marks:
        out.append((level + 1, title))
        out += _levels(children if level < _MAX_DEPTH else [], level + 1)
    return out


def _write_level(pdf: Pdf, parent: pikepdf.Object, marks: list[_Mark], level: int) -> int:
    """Write one level under `parent`; returns its /Count (its items and all their open descendants)."""
    count = 0
    first = prev = None
    for title, destination, children in marks:
        obj = pdf.make_indirect(Dictionary())
        obj.Title = title
        obj.Dest = destination
        obj.Parent = parent
        count += 1
        if prev is None:
            first = obj
        else:
            prev.Next = obj
            obj.Prev = prev
        prev = obj
        count += _write_level(pdf, obj, children if level < _MAX_DEPTH else [], level + 1)
    if first is not None:
        parent.First = first
        parent.Last = prev
    parent.Count = count
    return count


def _labels(prefix: str) -> Dictionary:
    """Page labels 1, 2, 3 (or P1, P2, P3): what a viewer's page box shows matches the stamp."""
    style = Dictionary(S=Name.D, St=1)
    if prefix:
        style.P = pikepdf.String(prefix)
    return Dictionary(Nums=Array([0, style]))


def assemble(items: list[PackItem], out: Path, title: str, date: dt.date, author: str,
             stamps: Stamps, root: str | None = None, cache: Cache | None = None,
             parts: dict[Path, Part] | None = None) -> PackResult:
    """Write the pack under one bookmark `root` (default: its title); returns each item's (first, last)
    page numbers (1-based), and what keeps it from PDF/UA. It claims PDF/UA only when every page's
    content is tagged or an artifact. `cache`: where its page stamps are remembered across runs.
    `parts`: documents already opened and read (Part), by path; the others are read here."""
    parts = parts if parts is not None else {}
    merger = _Merger(cache)
    ranges: list[tuple[int, int] | None] = []
    bookmarks: list[_Mark] = []
    markings: list[str] = []
    for item in items:
        start = len(merger.out.pages)
        children: list[_Mark] = []
        for n, doc in enumerate(item.docs):
            part = parts.pop(doc.path, None) or Part(doc.path, cache)
            first = merger.add(part, doc.untagged)
            markings += [doc.marking] * (len(merger.out.pages) - first)
            entries = _outline_items(merger, part.outline(), first) if doc.outline else []
            if n == 0:
                children += entries  # the item's own report: its headings directly under the item
            else:
                children.append((doc.title, _destination(merger.out, first, merger.placements[first], []), entries))
        end = len(merger.out.pages)
        ranges.append((start + 1, end) if end > start else None)
        at = start if end > start else item.page
        bookmarks.append((item.title, _destination(merger.out, at, merger.placements[at], []), children))
    merger.finish_structure()
    pdf = merger.out
    outline = [(root or title, _destination(pdf, 0, merger.placements[0], []), bookmarks)]
    _write_outline(pdf, outline)
    pdf.Root.PageLabels = _labels(stamps.label)
    pdf.Root.PageMode = Name.UseOutlines
    texts = []
    for number, marking in enumerate(markings, start=1):
        lines = [("bottom-centre", fill(stamps.page, page=number))] if stamps.page else []
        if marking:
            lines.append(("top-centre", marking))
        if stamps.draft:
            lines.append(("top-left", "DRAFT"))
        texts.append(lines)
    if texts:
        stamp(pdf, texts, cache)
    _unique_subset_tags(pdf)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.raw")
    result = PackResult(ranges, {p: [n + 1 for n in pages] for p, pages in merger.untagged.items()},
                        [n + 1 for n, placement in enumerate(merger.placements) if placement != (1.0, 0.0, 0.0)],
                        len(pdf.pages))
    # Every part was finished when it was converted or supplied; the pack gets its own metadata.
    finish_open(pdf, title=title, date=date, author=author, pdfua=result.pdfua, structure=False)
    save(pdf, tmp)
    # What the manifest's inspection of the pack finds, read from the pack in memory with the tree counted
    # from its parts (each counted once, remembered by its bytes), not from the whole pack read back, and
    # its bookmarks as written (pikepdf reads an outline back one OutlineItem at a time).
    untagged = sorted(n for pages in result.untagged.values() for n in pages)
    remember(tmp.read_bytes(), untagged, inspect_open(out, pdf, untagged, merger.tree(), bookmarks=_levels(outline)))
    tmp.replace(out)
    return result
