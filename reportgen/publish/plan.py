"""What a meeting publishes, made once before anything is built: a plan of immutable, typed documents.

Each document says what it is (its kind), what it is made from (its source: a report's layout, a supplied
file, or the whole meeting for the front sheet and packs), who may see it (its visibility: an exempt
report, an exempt appendix and the private pack are private, never public) and its cache key (see
publish.keys). Nothing later changes a document: what building finds out about one (a supplied PDF's
inspection, a pack's untagged pages) is kept beside it, as an Inspection.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from reportgen.content.meeting import Item, LoadedMeeting
from reportgen.docx.frontsheet import Pages, title as agenda_title
from reportgen.errors import PublishError, ReportgenError
from reportgen.layout.prepared import Prepared
from reportgen.pdf.pack import PackDoc, PackItem, open_pdf
from reportgen.publish.keys import supplied_key
from reportgen.publish.paths import PRIVATE, PUBLIC
from reportgen.style import wording
from reportgen.style.profile import Profile


class Kind(str, Enum):
    """What a published document is (the manifest's `kind`)."""

    FRONT_SHEET = "front-sheet"
    REPORT = "report"
    APPENDIX = "appendix"
    SUPPORTING = "supporting"
    PACK = "pack"
    PRIVATE_PACK = "private-pack"

    def __str__(self) -> str:
        return self.value


class Visibility(str, Enum):
    """Who may see a document: the public folder (the website) or the private one (exempt papers)."""

    PUBLIC = PUBLIC
    PRIVATE = PRIVATE

    def __str__(self) -> str:
        return self.value


#: What a supplied file may be: converted (Word, OpenDocument) or copied (PDF).
SUPPLIED = (".pdf", ".docx", ".odt")
#: The documents made of the whole meeting, by their file names.
FRONT_SHEET = "00-agenda-front-sheet.pdf"
PACK = "agenda-pack.pdf"
PRIVATE_PACK = "private-pack.pdf"


@dataclass(frozen=True)
class Document:
    """One document to publish."""

    kind: Kind
    item: int | None
    title: str
    name: str  # its file name within public/ or private/
    visibility: Visibility
    #: Its cache key: everything it is made from (publish.keys).
    key: str
    #: The Schedule 12A paragraphs that make it private (none for a public document).
    paragraphs: tuple[int, ...] = ()
    #: The supplied file (PDF to copy, or DOCX/ODT to convert); None for a document reportgen makes.
    source: Path | None = None
    #: For an appendix: its index in the report's appendices (the web page links it from there).
    appendix: int | None = None
    item_ref: Item | None = field(default=None, compare=False, repr=False)

    @property
    def restricted(self) -> bool:
        return self.visibility is Visibility.PRIVATE

    @property
    def file(self) -> str:
        """Relative to the meeting's folder: public/... or private/..."""
        return f"{self.visibility.value}/{self.name}"

    @property
    def stem(self) -> str:
        return Path(self.name).stem

    @property
    def supplied_pdf(self) -> bool:
        """A supplied PDF: published as it is, byte for byte (but for a draft's stamps)."""
        return self.source is not None and self.source.suffix.lower() == ".pdf"

    @property
    def converted(self) -> bool:
        """Converted by LibreOffice from a DOCX (a report's, or a supplied Word or OpenDocument file)."""
        return self.kind in (Kind.REPORT, Kind.APPENDIX, Kind.SUPPORTING) and not self.supplied_pdf

    def path(self, root: Path) -> Path:
        return root / self.file

    def pack_source(self, work: Path) -> Path:
        """The DOCX (or ODT) LibreOffice converts, in the work folder."""
        suffix = self.source.suffix.lower() if self.source is not None else ".docx"
        return work / "src" / f"{self.stem}{suffix}"

    def pack_path(self, root: Path, work: Path) -> Path:
        """Where its pack copy is: converted into `work`, or the published file itself."""
        return work / "pack" / self.name if self.converted else self.path(root)


@dataclass(frozen=True)
class Inspection:
    """What building found out about a document: its pages with untagged content (none for a converted
    document: the converter refuses any), a supplied PDF's accessibility problems, and why the clerk
    accepted it although it is not accessible (--accept-inaccessible; None if it is)."""

    untagged_pages: tuple[int, ...] = ()
    problems: tuple[str, ...] = ()
    accepted: str | None = None


#: Nothing found: a document that was not inspected, or that is accessible.
CLEAN = Inspection()


@dataclass(frozen=True)
class Plan:
    """Every document a publish of the meeting writes, each once, in the order the manifest lists them."""

    documents: tuple[Document, ...]

    @property
    def papers(self) -> tuple[Document, ...]:
        """The items' own documents: reports, appendices and supporting papers."""
        return tuple(d for d in self.documents if d.item is not None)

    def one(self, kind: Kind) -> Document | None:
        return next((d for d in self.documents if d.kind is kind), None)

    def of(self, item: int, visibility: Visibility) -> list[Document]:
        return [d for d in self.papers if d.item == item and d.visibility is visibility]


def slugify(text: str, limit: int = 48) -> str:
    """A file-name slug of at most `limit` characters, cut at a word (never "…-contr"); a first word
    longer than the limit is cut where it must be."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    if len(slug) > limit:
        cut = slug[:limit + 1]
        slug = cut[:cut.rindex("-")] if "-" in cut else slug[:limit]
    return slug.strip("-") or "item"


def _visibility(restricted: bool) -> Visibility:
    return Visibility.PRIVATE if restricted else Visibility.PUBLIC


def _supplied(kind: Kind, item: Item, title: str, stem: str, source: Path, restricted: bool = False,
              paragraphs: tuple[int, ...] = (), appendix: int | None = None) -> Document:
    """A supplied file: a PDF to copy, or a Word or OpenDocument file to convert tagged."""
    suffix = source.suffix.lower()
    if suffix not in SUPPLIED:
        raise PublishError(f"{source}: reportgen publishes supplied PDF, DOCX or ODT files, not {suffix or 'this'}")
    return Document(kind, item.number, title, f"{stem}.pdf", _visibility(restricted),
                    supplied_key(source.read_bytes(), suffix), paragraphs, source, appendix, item)


def _papers(item: Item, found: Prepared | ReportgenError | None, key: str | None) -> list[Document]:
    """An item's documents: its report and each appendix with a file, or its supporting paper."""
    stem = f"{item.number:02d}-{slugify(item.title)}"
    if isinstance(found, Prepared) and item.report is not None and key is not None:
        r = found.report
        own = tuple(r.classification.paragraphs) if item.exempt else ()
        docs = [Document(Kind.REPORT, item.number, r.title, f"{stem}.pdf", _visibility(item.exempt), key, own,
                         item_ref=item)]
        for index, app in enumerate(r.appendices or []):
            if not app.file:
                continue
            numbers = tuple(sorted(set((app.exempt.paragraphs if app.exempt else []) + list(own))))
            docs.append(_supplied(Kind.APPENDIX, item, wording.appendix(app, found.profile, marked=False),
                                  f"{stem}-appendix-{slugify(app.id)}", item.report.folder / app.file,
                                  item.exempt or app.exempt is not None, numbers, index))
        return docs
    if item.file is not None:
        return [_supplied(Kind.SUPPORTING, item, item.title, stem, item.file)]
    return []


def make_plan(meeting: LoadedMeeting, prepared: dict[int, Prepared | ReportgenError], profile: Profile,
              keys: dict[int, str], meeting_key: str) -> Plan:
    """The plan of a publish: the front sheet, every item's documents, the public pack and, when any
    document is private, the private pack. `keys`: each report's key (publish.keys.report_keys);
    `meeting_key`: the key of the documents made of the whole meeting."""
    m = meeting.meeting
    papers = [d for item in meeting.items for d in _papers(item, prepared.get(item.number), keys.get(item.number))]
    docs = [Document(Kind.FRONT_SHEET, None, agenda_title(meeting, profile), FRONT_SHEET, Visibility.PUBLIC,
                     meeting_key),
            *papers,
            Document(Kind.PACK, None, wording.pack_title(profile, m.committee, m.date), PACK, Visibility.PUBLIC,
                     meeting_key)]
    if any(d.restricted for d in papers):
        docs.append(Document(Kind.PRIVATE_PACK, None, wording.private_title(profile, m.committee, m.date),
                             PRIVATE_PACK, Visibility.PRIVATE, meeting_key, private_paragraphs(papers)))
    return Plan(tuple(docs))


def page_count(path: Path) -> int:
    with open_pdf(path) as pdf:
        return len(pdf.pages)


def public_items(meeting: LoadedMeeting, plan: Plan, found: dict[str, Inspection], root: Path, work: Path,
                 front: Path, profile: Profile, listed_at: Callable[[Path, Item], int]) -> list[PackItem]:
    """The public pack's items. `listed_at(front, item)`: the front-sheet page that lists an item."""
    items = [PackItem(wording.agenda_title(profile, meeting.meeting.committee, meeting.meeting.date),
                      [PackDoc(front, "Agenda", outline=False, untagged=[])])]
    for item in meeting.items:
        own = plan.of(item.number, Visibility.PUBLIC)
        label = wording.agenda_item(profile, item.number, item.title)
        if item.exempt:
            label += " (not for publication)"
        # An item with no papers of its own: its bookmark opens the front-sheet page that lists it.
        at = 0 if own else listed_at(front, item)
        items.append(PackItem(label, [PackDoc(d.pack_path(root, work), d.title,
                                              untagged=list(found.get(d.file, CLEAN).untagged_pages))
                                      for d in own], at))
    return items


def private_items(meeting: LoadedMeeting, plan: Plan, found: dict[str, Inspection], root: Path, work: Path,
                  profile: Profile, cover: Path | None) -> list[PackItem]:
    items = []
    if cover is not None:
        items.append(PackItem(wording.private_title(profile, meeting.meeting.committee, meeting.meeting.date),
                              [PackDoc(cover, "Contents",
                                       wording.private_marking(profile, list(private_paragraphs(plan.papers))),
                                       outline=False, untagged=[])]))
    for item in meeting.items:
        own = plan.of(item.number, Visibility.PRIVATE)
        if own:
            items.append(PackItem(wording.agenda_item(profile, item.number, item.title), [
                PackDoc(d.pack_path(root, work), d.title, wording.private_marking(profile, list(d.paragraphs)),
                        untagged=list(found.get(d.file, CLEAN).untagged_pages)) for d in own]))
    return items


def private_paragraphs(docs: tuple[Document, ...] | list[Document]) -> tuple[int, ...]:
    return tuple(sorted({n for d in docs if d.restricted for n in d.paragraphs}))


def pack_pages(meeting: LoadedMeeting, plan: Plan, root: Path, work: Path, visibility: Visibility,
               front_length: int, count_pages: Callable[[Path], int] = page_count) -> Pages:
    """Where each item lies in a pack (public or private), after a front sheet or cover of `front_length` pages."""
    pages: Pages = {}
    page = front_length + 1
    for item in meeting.items:
        count = sum(count_pages(d.pack_path(root, work)) for d in plan.of(item.number, visibility))
        pages[item.number] = (page, page + count - 1) if count else None
        page += count
    return pages
