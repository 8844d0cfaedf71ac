"""What a meeting publishes: each document, public or private, its pack copy, and the items of each pack."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.cache import Cache, code_version, digest
from reportgen.content.meeting import Item, LoadedMeeting
from reportgen.docx.frontsheet import Pages
from reportgen.docx.packcopy import odt_on_a4, on_a4, real_bullets, tidy_odt, without_page_numbers
from reportgen.errors import PublishError, ReportgenError
from reportgen.layout.prepared import Prepared
from reportgen.pdf.pack import PackDoc, PackItem, open_pdf, page_with
from reportgen.publish.paths import PRIVATE, PUBLIC
from reportgen.style import wording
from reportgen.style.profile import Profile


@dataclass
class Doc:
    """One published document and what the manifest says about it."""

    kind: str  # front-sheet, report, appendix, supporting, pack, private-pack, private-cover
    item: int | None
    title: str
    file: str  # relative to the meeting's folder: public/... or private/...
    restricted: bool = False
    paragraphs: list[int] = field(default_factory=list)
    source: Path | None = None  # the supplied file (PDF to copy, or DOCX); None for a generated report
    item_ref: Item | None = None
    #: The DOCX to convert, without its own page-number fields: the conversion serves the pack as it
    #: is, and the published copy gets "Page X of Y" stamped (None for a supplied PDF, its own copy).
    pack_source: Path | None = None
    #: Why the clerk accepted it although it is not accessible (--accept-inaccessible); None if it is.
    accepted: str | None = None
    problems: list[str] = field(default_factory=list)
    #: Its pages with untagged content: none for a converted document (the converter refuses any),
    #: what inspection found for a supplied PDF.
    untagged_pages: list[int] = field(default_factory=list)
    #: For an appendix: its index in the report's appendices (the web page links it from there).
    appendix: int | None = None

    @property
    def name(self) -> str:
        """Its file name within public/ or private/."""
        return self.file.split("/", 1)[1]

    def path(self, root: Path) -> Path:
        return root / self.file

    def pack_path(self, root: Path, work: Path) -> Path:
        """Where its pack copy is: converted into `work`, or the published file itself."""
        return work / "pack" / Path(self.file).name if self.pack_source else self.path(root)


def slugify(text: str, limit: int = 48) -> str:
    """A file-name slug of at most `limit` characters, cut at a word (never "…-contr"); a first word
    longer than the limit is cut where it must be."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    if len(slug) > limit:
        cut = slug[:limit + 1]
        slug = cut[:cut.rindex("-")] if "-" in cut else slug[:limit]
    return slug.strip("-") or "item"


def _area(restricted: bool) -> str:
    return PRIVATE if restricted else PUBLIC


#: What a supplied file may be: converted (Word, OpenDocument) or copied (PDF).
SUPPLIED = (".pdf", ".docx", ".odt")


def _source(work: Path, stem: str, data: bytes, suffix: str = ".docx", cache: Cache | None = None) -> Path:
    """Write the document to convert into the work folder: real bullets, no page-number fields of its own,
    on A4 (remembered in the cache by the bytes it was made from: the rewrite costs more than the lookup)."""
    (work / "src").mkdir(exist_ok=True)
    copy = work / "src" / f"{stem}{suffix}"
    key = digest("source", data, suffix, code_version())
    made = cache.get("source", key) if cache is not None else None
    if made is None:
        # On A4 too: every PDF reportgen converts is A4, as published and in the pack.
        made = (odt_on_a4(tidy_odt(data, page_numbers=False)) if suffix == ".odt"
                else on_a4(without_page_numbers(real_bullets(data))))
        if cache is not None:
            cache.put("source", key, made)
    copy.write_bytes(made)
    return copy


def _supplied(doc: Doc, work: Path, stem: str, source: Path, cache: Cache | None) -> Doc:
    """A supplied file: a PDF to copy, or a Word or OpenDocument file to convert tagged."""
    suffix = source.suffix.lower()
    if suffix not in SUPPLIED:
        raise PublishError(f"{source}: reportgen publishes supplied PDF, DOCX or ODT files, not {suffix or 'this'}")
    if suffix != ".pdf":
        doc.pack_source = _source(work, stem, source.read_bytes(), suffix, cache)
    return doc


def documents(meeting: LoadedMeeting, prepared: dict[int, Prepared | ReportgenError], work: Path,
              rendered: dict[int, bytes], cache: Cache | None = None) -> list[Doc]:
    """Write each DOCX to convert (and its pack copy) into `work`, and list every document to publish."""
    docs: list[Doc] = []
    for item in meeting.items:
        stem = f"{item.number:02d}-{slugify(item.title)}"
        found = prepared.get(item.number)
        if isinstance(found, Prepared) and item.report is not None:
            r = found.report
            copy = _source(work, stem, rendered[item.number], cache=cache)  # real_bullets is a no-op on our own DOCX
            docs.append(Doc("report", item.number, r.title, f"{_area(item.exempt)}/{stem}.pdf", item.exempt,
                            list(r.classification.paragraphs) if item.exempt else [], None, item, copy))
            for index, app in enumerate(r.appendices or []):
                if not app.file:
                    continue
                restricted = item.exempt or app.exempt is not None
                numbers = sorted(set((app.exempt.paragraphs if app.exempt else []) +
                                     (r.classification.paragraphs if item.exempt else [])))
                name = f"{stem}-appendix-{slugify(app.id)}"
                source = item.report.folder / app.file
                docs.append(_supplied(Doc("appendix", item.number, wording.appendix(app, found.profile, marked=False),
                                          f"{_area(restricted)}/{name}.pdf", restricted, numbers, source, item,
                                          appendix=index),
                                      work, name, source, cache))
        elif item.file is not None:
            docs.append(_supplied(Doc("supporting", item.number, item.title, f"{PUBLIC}/{stem}.pdf", source=item.file,
                                      item_ref=item), work, stem, item.file, cache))
    return docs


def page_count(path: Path) -> int:
    with open_pdf(path) as pdf:
        return len(pdf.pages)


def public_items(meeting: LoadedMeeting, docs: list[Doc], root: Path, work: Path, front: Path,
                 profile: Profile) -> list[PackItem]:
    items = [PackItem(wording.agenda_title(profile, meeting.meeting.committee, meeting.meeting.date),
                      [PackDoc(front, "Agenda", outline=False, untagged=[])])]
    for item in meeting.items:
        own = [d for d in docs if d.item == item.number and not d.restricted]
        label = wording.agenda_item(profile, item.number, item.title)
        if item.exempt:
            label += " (not for publication)"
        # An item with no papers of its own: its bookmark opens the front-sheet page that lists it.
        at = 0 if own else page_with(front, f"{item.number}{item.title}")
        items.append(PackItem(label, [PackDoc(d.pack_path(root, work), d.title, untagged=d.untagged_pages)
                                      for d in own], at))
    return items


def private_items(meeting: LoadedMeeting, docs: list[Doc], root: Path, work: Path, profile: Profile,
                  cover: Path | None) -> list[PackItem]:
    items = []
    if cover is not None:
        items.append(PackItem(wording.private_title(profile, meeting.meeting.committee, meeting.meeting.date),
                              [PackDoc(cover, "Contents", wording.private_marking(profile, private_paragraphs(docs)),
                                       outline=False, untagged=[])]))
    for item in meeting.items:
        own = [d for d in docs if d.item == item.number and d.restricted]
        if own:
            items.append(PackItem(wording.agenda_item(profile, item.number, item.title), [
                PackDoc(d.pack_path(root, work), d.title, wording.private_marking(profile, d.paragraphs),
                        untagged=d.untagged_pages) for d in own]))
    return items


def private_paragraphs(docs: list[Doc]) -> list[int]:
    return sorted({n for d in docs if d.restricted for n in d.paragraphs})


def pack_pages(meeting: LoadedMeeting, docs: list[Doc], root: Path, work: Path, restricted: bool,
               front_length: int) -> Pages:
    """Where each item lies in a pack (public or private), after a front sheet or cover of `front_length` pages."""
    pages: Pages = {}
    page = front_length + 1
    for item in meeting.items:
        count = sum(page_count(d.pack_path(root, work)) for d in docs
                    if d.item == item.number and d.restricted == restricted)
        pages[item.number] = (page, page + count - 1) if count else None
        page += count
    return pages
