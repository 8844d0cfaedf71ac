"""Building a meeting's publication once `publish` has found something changed: the gate, the DOCX
and PDFs, the front sheet, the packs, the manifests, the accessibility statement and the web edition,
all in a staging folder swapped in at the end (see publish.run)."""
from __future__ import annotations

import datetime as dt
import functools
import io
import json
import logging
import queue
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from reportgen.cache import Cache
from reportgen.content.meeting import Item, LoadedMeeting
from reportgen.docx.frontsheet import (Pages, agenda_tables, render_front_sheet, render_private_cover,
                                       title as agenda_title)
from reportgen.docx.packcopy import without_page_numbers
from reportgen.errors import PublishRefused, ReportgenError
from reportgen.fs import fault_point, swap_folder
from reportgen.layout.prepared import Prepared
from reportgen.pdf.finish import saved
from reportgen.pdf.pack import (PackDoc, PackItem, PackResult, Part, Stamps, assemble, number_open, number_pages,
                                page_with, table_rows)
from reportgen.pdf.job import Finished, Job, PdfConverter
from reportgen.html.dashboard import dashboard_page
from reportgen.publish import statement
from reportgen.publish.dashboard import dashboard_rows
from reportgen.publish.gate import gate
from reportgen.publish.inspection import inspect_supplied
from reportgen.publish.keys import bookmark_key, numbered_key, pdf_key, sheet_fixed_key, sheet_hint_key
from reportgen.publish.manifest import manifest as make_manifest, pdf_facts, remember_facts
from reportgen.publish.paths import PRIVATE, PUBLIC, MeetingPaths
from reportgen.publish.plan import (CLEAN, Document, Inspection, Kind, Plan, Visibility, make_plan, pack_pages,
                                    page_count, private_items, public_items)
from reportgen.publish.refusal import Reason, lines
from reportgen.publish.result import Progress, PublishResult
from reportgen.publish.sources import write_source
from reportgen.publish.web import write_meeting_page, write_report_pages
from reportgen.style.profile import Profile

log = logging.getLogger(__name__)

#: Why a draft publishes an inaccessible supplied document: nobody has accepted it yet.
DRAFT_REASON = ("Draft: not yet accepted for publication; the final publish needs an accessible file or "
                "--accept-inaccessible with a reason.")
#: The draft publish's governance dashboard, in the private folder (findings may quote exempt text).
DASHBOARD = "dashboard.html"


def _convert(jobs: list[tuple[Path, Path, str]], date: dt.date, author: str, cache: Cache,
             converter: PdfConverter, done: Callable[[Path], None] | None = None,
             meanwhile: Callable[[list[Path]], None] | None = None,
             finished: Callable[[Path, Finished], None] | None = None) -> None:
    """DOCX -> PDF through the pool, reusing cached PDFs of identical DOCX bytes and metadata.
    `done(pdf)` follows each PDF as soon as it is there (on LibreOffice's thread for a converted one);
    `meanwhile(cached)`, on this thread once the cached PDFs are written, is told which they are;
    `finished(pdf, document)`, before `done`, gets what the pool's finishing thread saved of a PDF converted
    in this process, and its structure counts (Job.finished; never called for the server's conversions).

    LibreOffice gets what it must convert first, on a thread of its own (which mostly waits for it), so
    that the cached PDFs are written and followed, and `meanwhile` runs, while it converts (issue 26)."""
    todo, cached = [], []
    for docx, pdf, title in jobs:
        key = pdf_key(docx.read_bytes(), title, date, author)
        pdf.parent.mkdir(parents=True, exist_ok=True)
        job = Job(docx, pdf, title, date, author, None if finished is None else functools.partial(finished, pdf))
        if cache.has("pdf", key):
            cached.append((pdf, key, job))
        else:
            todo.append((job, key))
    keys = {job.pdf: key for job, key in todo}

    def converted(job: Job) -> None:
        if job.pdf.is_file():  # a failed job is reported by convert(), after the others
            cache.put("pdf", keys[job.pdf], job.pdf.read_bytes())
            if done is not None:
                done(job.pdf)

    def convert(todo: list[tuple[Job, str]]) -> None:
        keys.update({job.pdf: key for job, key in todo})
        converter.convert([job for job, _ in todo], converted)
    converting = _Background(lambda: convert(todo)) if todo else None
    lost, written = [], []  # lost: found by has() but gone (or torn) by get(), so converted after all
    try:
        for pdf, key, job in cached:
            data = cache.get("pdf", key)
            if data is None:
                lost.append((job, key))
                continue
            pdf.write_bytes(data)
            written.append(pdf)
            if done is not None:
                done(pdf)
        if meanwhile is not None:
            meanwhile(written)
    except BaseException:
        if converting is not None:
            converting.thread.join()  # then this thread's error is the one raised
        raise
    if converting is not None:
        converting.join()
    if lost:
        convert(lost)


@contextmanager
def _timed(stage: str, progress: Progress | None = None) -> Iterator[None]:
    start = time.perf_counter()
    yield
    log.info("%s: %.2f s", stage, time.perf_counter() - start)
    if progress is not None:
        progress(stage)


class Closer:
    """Closes a pool this publish started as soon as nothing is left to convert, in the background
    (LibreOffice takes most of a second to quit), and waits for it at the end."""

    def __init__(self, pool: PdfConverter, own: bool) -> None:
        self.pool, self.own = pool, own
        self.thread: threading.Thread | None = None

    def early(self) -> None:
        if self.own and self.thread is None:
            self.thread = threading.Thread(target=self.pool.close, name="pdf-pool-close")
            self.thread.start()

    def finish(self) -> None:
        if not self.own:
            return
        if self.thread is not None:
            self.thread.join()
        else:
            self.pool.close()


class _Background:
    """Work on a thread beside the main one; join() waits for it and raises what it raised."""

    def __init__(self, work: Callable[[], object]) -> None:
        self.error: BaseException | None = None

        def run() -> None:
            try:
                work()
            except BaseException as exc:  # noqa: BLE001 - handed to the caller by join()
                self.error = exc
        self.thread = threading.Thread(target=run, name="publish-background")
        self.thread.start()

    def join(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error


@dataclass(frozen=True)
class Request:
    """What a publish was asked to build, once `publish` has found something changed."""

    meeting: LoadedMeeting
    prepared: dict[int, Prepared | ReportgenError]
    profile: Profile
    paths: MeetingPaths
    draft: bool
    #: The day of this publish: the gate's day and the accessibility statement's preparation date.
    today: dt.date
    accept: str | None
    cache: Cache
    #: Each report's key (publish.keys.report_keys), and the meeting's (publish.keys.meeting_key).
    keys: dict[int, str]
    meeting_key: str
    progress: Progress | None = None
    #: At most this many processes for the gate (None: one per core; see publish.run._gate_workers).
    gate_workers: int | None = None


@dataclass
class _Run:
    """One publish in progress: its request, its plan, and where it writes."""

    request: Request
    plan: Plan
    #: What inspecting the supplied PDFs and assembling the packs found, by each document's file.
    found: dict[str, Inspection]
    converter: PdfConverter
    closer: Closer
    staging: Path
    work: Path
    #: The page count of each pack copy, read once: the front sheet and cover are laid out until their
    #: length is stable, and every layout counts every document's pages.
    pages: dict[Path, int] = field(default_factory=dict)
    #: Pack copies already opened and read for the packs (pdf.pack.Part), by path: read while LibreOffice
    #: converts the others.
    parts: dict[Path, Part] = field(default_factory=dict)
    #: The page count of each PDF published so far, by its path in the staging folder: a published copy
    #: has its pack copy's pages (numbering adds none), known already; the web edition lists them.
    published: dict[Path, int] = field(default_factory=dict)
    #: Pack copies whose published copy was made (and inspected) as they were finished (_finished).
    numbered: set[Path] = field(default_factory=set)
    #: The front-sheet page of each item's row (by item number), per front sheet (see listed_at).
    rows: dict[Path, dict[int, int]] = field(default_factory=dict)

    def page_count(self, pack_copy: Path) -> int:
        if pack_copy not in self.pages:
            part = self.parts.get(pack_copy)
            self.pages[pack_copy] = len(part.src.pages) if part is not None else page_count(pack_copy)
        return self.pages[pack_copy]

    def published_pages(self, path: Path) -> int:
        """A published PDF's page count: known, or read."""
        return self.published[path] if path in self.published else page_count(path)

    def listed_at(self, front: Path, item: Item) -> int:
        """The front-sheet page that lists an item: its row's, read from the sheet's structure tree; its text
        searched for (slow) only when the sheet's tables are not the agenda grids row for row."""
        if front not in self.rows:
            self.rows[front] = rows_by_item(front, self.meeting)
        rows = self.rows[front]
        if item.number in rows:
            return rows[item.number]
        return listed_at(self.request.cache, front, f"{item.number}{item.title}")

    @property
    def meeting(self) -> LoadedMeeting:
        return self.request.meeting

    @property
    def profile(self) -> Profile:
        return self.request.profile

    def convert(self, jobs: list[tuple[Path, Path, str]], done: Callable[[Path], None] | None = None,
                meanwhile: Callable[[list[Path]], None] | None = None,
                finished: Callable[[Path, Finished], None] | None = None) -> None:
        m = self.meeting.meeting
        _convert(jobs, m.publication_date, self.profile.council, self.request.cache, self.converter, done,
                 meanwhile, finished)


def rows_by_item(front: Path, meeting: LoadedMeeting) -> dict[int, int]:
    """The front-sheet page of each item's row, by item number, when the sheet's tables are the agenda grids
    (one table per grid, one body row per item, each on a page); else {} (a house style's template that
    adds a table of its own: search the text)."""
    tables, grids = table_rows(front), agenda_tables(meeting)
    if [len(t) for t in tables] != [len(g) for g in grids] or any(n < 0 for t in tables for n in t):
        return {}
    return {item.number: page for table, grid in zip(tables, grids) for item, page in zip(grid, table)}


def listed_at(cache: Cache, front: Path, text: str) -> int:
    """The front-sheet page that lists an item (its text read by pypdf, slow): remembered in the cache by
    the front sheet's bytes."""
    key = bookmark_key(front.read_bytes(), text)
    cached = cache.get("bookmark", key)
    if cached is not None:
        return int(cached)
    index = page_with(front, text)
    cache.put("bookmark", key, str(index).encode())
    return index


def build(request: Request, closer: Closer) -> PublishResult:
    meeting, profile, paths, draft, today = (request.meeting, request.profile, request.paths, request.draft,
                                             request.today)
    with _timed("check", request.progress):
        refusals, rendered = gate(meeting, request.prepared, today, draft, profile, request.cache, request.keys,
                                  request.gate_workers)
    if refusals and not draft:
        raise PublishRefused(lines(refusals))
    if draft and len(rendered) < len(request.prepared):  # no paper to stamp DRAFT on
        raise PublishRefused(lines([r for r in refusals if r.reason is Reason.UNUSABLE]))
    paths.clean_stale()
    work = paths.work()
    staging = None
    try:
        plan = make_plan(meeting, request.prepared, profile, request.keys, request.meeting_key)
        for d in plan.papers:
            if d.converted:
                write_source(d, work, rendered, request.cache)
        with _timed("supplied documents", request.progress):
            found, refused = inspect_supplied(plan, work, meeting.meeting.publication_date, profile.council,
                                              request.accept or (DRAFT_REASON if draft else None))
        if refused:
            raise PublishRefused(lines(refused))
        staging = paths.staging()
        run = _Run(request, plan, found, closer.pool, closer, staging, work)
        # The reports' web pages need no PDF: written while this process mostly waits for LibreOffice.
        pages = _Background(lambda: write_report_pages(request.prepared, plan, staging / PUBLIC, draft,
                                                       request.cache))
        try:
            result = _write(run, lines(refusals))
        except BaseException:
            pages.thread.join()  # then the building error is the one raised, not the pages' own
            raise
        pages.join()
        with _timed("web edition", request.progress):
            write_meeting_page(meeting, profile, plan, found, staging / PUBLIC, draft, run.published_pages)
        owner_only(staging / PRIVATE)
        fault_point("publish-staged")
        with _timed("write", request.progress):
            result.written = swap_folder(staging, paths.final)
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log.info("published %s (%s)", paths.final, "written" if result.written else "unchanged")
    return result


def _dashboard(request: Request, path: Path) -> None:
    """A draft's governance dashboard: officers' view of what still blocks publication (findings may quote
    exempt text: private, never public)."""
    rows = dashboard_rows([(p, request.keys.get(n)) for n, p in request.prepared.items() if isinstance(p, Prepared)],
                          request.today, request.cache)
    title = f"{agenda_title(request.meeting, request.profile)}: governance dashboard"
    path.write_text(dashboard_page(rows, request.today, title, draft=True), encoding="utf-8")


def owner_only(folder: Path) -> None:
    """Exempt papers on a shared server: the private folder and everything in it readable by its owner only
    (0700 folders, 0600 files), whatever the umask."""
    if not folder.is_dir():
        return
    for path in folder.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)
    folder.chmod(0o700)


def _write(run: _Run, reasons: list[str]) -> PublishResult:
    meeting, profile, staging, work, plan = run.meeting, run.profile, run.staging, run.work, run.plan
    request, m = run.request, meeting.meeting
    papers = plan.papers
    converted = {d.pack_path(staging, work): d for d in papers if d.converted}
    jobs = [(d.pack_source(work), pack_copy, d.title) for pack_copy, d in converted.items()]

    parts = _PartReader(run)

    # One conversion: the pack takes it as it is, the published copy gets its page numbers (and the
    # manifest's inspection of it) as soon as it is converted, while LibreOffice does the others; then
    # it is read for the packs, on a thread of its own.
    def numbered(pack_copy: Path) -> None:
        write_document(run, converted[pack_copy], pack_copy)
        if pack_copy not in run.parts:  # (one finished in this process was read for the packs as it was)
            parts.add(pack_copy)

    # ...from the finished conversion itself, when it was finished in this process (issue 26: one open).
    def finished(pack_copy: Path, document: Finished) -> None:
        _finished(run, converted[pack_copy], pack_copy, document)
    # While LibreOffice converts (this thread would only wait): a draft's dashboard is made (on this
    # thread: checking, as its rows may, is not for other threads).
    def meanwhile(cached: list[Path]) -> None:
        if request.draft:
            _dashboard(request, staging / PRIVATE / DASHBOARD)
    try:
        with _timed(f"convert {len(jobs)} documents"):
            run.convert(jobs, numbered, meanwhile, finished)  # the pool calls `numbered` after each document
    finally:
        parts.join()
    if request.progress:
        request.progress("convert")
    for d in papers:
        if d.supplied_pdf:
            write_document(run, d)
    front = plan.one(Kind.FRONT_SHEET)
    pack = plan.one(Kind.PACK)
    private_pack = plan.one(Kind.PRIVATE_PACK)
    assert front is not None and pack is not None
    with _timed("front sheet", request.progress):
        front_pack = _front_sheet(run, front)
        cover = _private_cover(run, private_pack)
    run.closer.early()  # every conversion is done: LibreOffice quits while the packs are assembled
    with _timed("packs", request.progress):
        public = assemble(public_items(meeting, plan, run.found, staging, work, front_pack, profile, run.listed_at),
                          pack.path(staging), pack.title, m.publication_date, profile.council,
                          Stamps(profile.agenda.page_stamp, request.draft), cache=request.cache, parts=run.parts)
        run.found[pack.file] = Inspection(_untagged(public))
        run.published[pack.path(staging)] = public.pages
        private = None
        if private_pack is not None and cover is not None:
            private = assemble(private_items(meeting, plan, run.found, staging, work, profile, cover),
                               private_pack.path(staging), private_pack.title, m.publication_date,
                               profile.council, Stamps(profile.agenda.private_page_stamp, request.draft,
                                                       profile.agenda.private_page_label), cache=request.cache,
                               parts=run.parts)
            run.found[private_pack.file] = Inspection(_untagged(private))
    with _timed("manifest", request.progress):
        exceptions = _exceptions(run, public)
        (staging / PUBLIC / "accessibility-statement.md").write_text(
            statement.markdown(meeting, profile, exceptions, pack.name, request.today), encoding="utf-8")
        (staging / PUBLIC / "accessibility-statement.html").write_text(
            statement.html(meeting, profile, exceptions, pack.name, request.today), encoding="utf-8")
        public_access = {"pdfua": public.pdfua, "statement": {"html": "accessibility-statement.html",
                                                             "markdown": "accessibility-statement.md"},
                         "inaccessible": [vars(e) for e in exceptions], "scaled_to_a4": public.scaled}
        manifest = make_manifest(meeting, profile, plan, run.found, staging, request.draft, False, public_access,
                                 request.cache)
        _write_json(staging / PUBLIC / "manifest.json", manifest)
        if private is not None:
            accepted = [(d, run.found[d.file]) for d in papers if d.restricted and d.file in run.found]
            private_access = {"pdfua": private.pdfua, "scaled_to_a4": private.scaled,
                              "inaccessible": [{"file": d.name, "title": d.title, "reason": i.accepted,
                                                "problems": list(i.problems)} for d, i in accepted if i.accepted]}
            _write_json(staging / PRIVATE / "manifest.json",
                        make_manifest(meeting, profile, plan, run.found, staging, request.draft, True,
                                      private_access, request.cache))
    inaccessible = [f"{e.file}: agenda pack page(s) {', '.join(map(str, e.pack_pages))} ({e.reason})"
                    for e in exceptions]
    return PublishResult(request.paths.final, False, manifest, reasons, inaccessible)


class _PartReader:
    """Reads each converted document for the packs (pdf.pack.Part) as soon as it is published, on a thread
    beside LibreOffice's and the finishing one, so that after the last conversion the packs only merge
    (issue 26: their parts' structure counts and bookmarks were read after it, on the critical path)."""

    def __init__(self, run: _Run) -> None:
        self.queue: queue.SimpleQueue[Path | None] = queue.SimpleQueue()

        def read() -> None:
            while (pack_copy := self.queue.get()) is not None:
                run.parts[pack_copy] = Part(pack_copy, run.request.cache).read()
        self.reading = _Background(read)

    def add(self, pack_copy: Path) -> None:
        self.queue.put(pack_copy)

    def join(self) -> None:
        """Wait for every document added so far (raising what reading one raised)."""
        self.queue.put(None)
        self.reading.join()


def _untagged(pack: PackResult) -> tuple[int, ...]:
    return tuple(sorted(n for pages in pack.untagged.values() for n in pages))


def write_document(run: _Run, d: Document, pack_copy: Path | None = None) -> None:
    """The one writer of an item's document into the staging folder: a converted one is its pack copy
    with "Page X of Y" on each page (and inspected for the manifest), a supplied PDF is copied as it is
    (a draft's stamped DRAFT on every page too)."""
    target = d.path(run.staging)
    if d.converted:
        assert pack_copy is not None
        if pack_copy in run.numbered:  # made as it was finished
            run.published[target] = run.page_count(pack_copy)
            return
        _numbered(run, pack_copy, target)
        run.published[target] = run.page_count(pack_copy)
        pdf_facts(target, list(run.found.get(d.file, CLEAN).untagged_pages), run.request.cache)
        return
    assert d.source is not None
    shutil.copyfile(d.source, target)
    if run.request.draft:  # author-supplied PDFs say DRAFT on every page too
        m = run.meeting.meeting
        assemble([PackItem(d.title, [PackDoc(target, d.title)])], target, d.title, m.publication_date,
                 run.profile.council, Stamps("", draft=True))


def _finished(run: _Run, d: Document, pack_copy: Path, document: Finished) -> None:
    """A converted document as the pool finished it (on the pool's finishing thread): read for the packs,
    numbered, saved as its published copy and inspected for the manifest, all from the bytes saved as its
    pack copy, in memory, instead of reading the pack copy three times more (to number it, to inspect the
    numbered copy and to read it for the pack) and counting its structure twice more.

    The manifest's facts are the published copy's own: inspected in the very Pdf saved as it, with the
    structure counts of the Pdf saved as the pack copy it was opened from (numbering adds pagination
    artifacts to the pages, not structure). The copy is numbered in a Pdf opened from the pack copy's
    bytes, not in the finished Pdf itself: qpdf orders the objects of an object stream by their numbers
    in the Pdf saved, and the same bytes as number_pages makes of the pack copy need the pack copy's. When
    the numbered copy is in the cache already, write_document takes it from there, as for any other."""
    cache = run.request.cache
    part = run.parts[pack_copy] = Part(pack_copy, cache, document.data, document.tree).read()
    run.pages[pack_copy] = len(part.src.pages)
    stamp = run.profile.agenda.document_page_stamp
    key = numbered_key(document.data, stamp)
    if cache.has("numbered", key):
        return
    target = d.path(run.staging)
    with pikepdf.open(io.BytesIO(document.data)) as pdf:
        number_open(pdf, stamp, cache)
        data = saved(pdf)
        target.write_bytes(data)
        cache.put("numbered", key, data)
        remember_facts(target, pdf, data, list(run.found.get(d.file, CLEAN).untagged_pages), document.tree, cache)
    run.numbered.add(pack_copy)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _exceptions(run: _Run, pack: PackResult) -> list[statement.Exception_]:
    """Each accepted inaccessible public document, with its untagged pages in itself and in the pack."""
    out = []
    for d in run.plan.papers:
        found = run.found.get(d.file, CLEAN)
        if d.restricted or found.accepted is None:
            continue
        pack_pages = pack.untagged.get(d.pack_path(run.staging, run.work), [])
        out.append(statement.Exception_(d.title, d.name, list(found.untagged_pages), pack_pages, found.accepted,
                                        list(found.problems)))
    return out


def _stable(run: _Run, name: str, docx_for: Callable[[int], bytes], title: str, public_copy: Path | None,
            hint: str) -> Path:
    """Render a sheet that lists pack pages (which depend on its own length) until its length is stable;
    returns its pack copy (no page-number footer). `public_copy`: also publish it, numbered. `hint`: what
    the sheet's pages are made from (where the items lie after a one-page sheet), to key a first guess.

    Laid out from one page, a two-page sheet is rendered and converted twice. So the length it settled at
    is remembered by `hint`, and the DOCX it settled on by its bytes: a guessed length whose DOCX is one
    that laying out from one page settled on before is where laying out from one page settles again (the
    same DOCX is the same items at the same pages), so it is laid out once; any other guess is dropped."""
    cache = run.request.cache
    copy = run.work / "src" / f"{name}.docx"
    pack_pdf = run.work / "pack" / f"{name}.pdf"
    copy.parent.mkdir(exist_ok=True)
    hint_key = sheet_hint_key(name, run.request.draft, hint)
    guess = cache.get("sheet-length", hint_key)
    if guess is not None:
        data = without_page_numbers(docx_for(int(guess)))
        if cache.get("sheet-fixed", sheet_fixed_key(data)) == guess:
            copy.write_bytes(data)
            run.convert([(copy, pack_pdf, title)])
            count = page_count(pack_pdf)
            if count == int(guess):
                return _published(run, pack_pdf, count, public_copy)
    length = 1
    for _ in range(4):
        data = without_page_numbers(docx_for(length))
        copy.write_bytes(data)
        run.convert([(copy, pack_pdf, title)])
        count = page_count(pack_pdf)
        if count == length:
            cache.put("sheet-length", hint_key, str(length).encode())
            cache.put("sheet-fixed", sheet_fixed_key(data), str(length).encode())
            break
        length = count
    return _published(run, pack_pdf, count, public_copy)


def _published(run: _Run, pack_pdf: Path, count: int, public_copy: Path | None) -> Path:
    if public_copy is not None:
        _numbered(run, pack_pdf, public_copy)
        run.published[public_copy] = count
    return pack_pdf


def _numbered(run: _Run, pack_copy: Path, public_copy: Path) -> None:
    """The published copy of a converted document: its pack copy with "Page X of Y" on each page
    (remembered in the cache by the pack copy's bytes)."""
    stamp = run.profile.agenda.document_page_stamp
    cache = run.request.cache
    key = numbered_key(pack_copy.read_bytes(), stamp)
    cached = cache.get("numbered", key)
    if cached is not None:
        public_copy.write_bytes(cached)
        return
    shutil.copyfile(pack_copy, public_copy)
    number_pages(public_copy, stamp, cache)
    cache.put("numbered", key, public_copy.read_bytes())


def _front_sheet(run: _Run, front: Document) -> Path:
    """The agenda's front sheet (it lists the public pack's pages): its pack copy, and published numbered."""
    meeting, profile = run.meeting, run.profile

    def docx(length: int) -> bytes:
        pages = pack_pages(meeting, run.plan, run.staging, run.work, Visibility.PUBLIC, length, run.page_count)
        return render_front_sheet(meeting, profile, pages, run.request.draft)

    hint = pack_pages(meeting, run.plan, run.staging, run.work, Visibility.PUBLIC, 1, run.page_count)
    return _stable(run, front.stem, docx, front.title, front.path(run.staging), repr(sorted(hint.items())))


def _private_cover(run: _Run, private_pack: Document | None) -> Path | None:
    """The private pack's cover and contents (P-series pages), or None when nothing is private."""
    meeting, profile = run.meeting, run.profile
    if private_pack is None:
        return None

    def docx(length: int) -> bytes:
        pages: Pages = pack_pages(meeting, run.plan, run.staging, run.work, Visibility.PRIVATE, length,
                                  run.page_count)
        return render_private_cover(meeting, profile, pages, run.request.draft)

    hint = pack_pages(meeting, run.plan, run.staging, run.work, Visibility.PRIVATE, 1, run.page_count)
    return _stable(run, "private-cover", docx, private_pack.title, None, repr(sorted(hint.items())))
