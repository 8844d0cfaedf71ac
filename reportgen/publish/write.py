"""Building a meeting's publication once `publish` has found something changed: the gate, the DOCX
and PDFs, the front sheet, the packs, the manifests, the accessibility statement and the web edition,
all in a staging folder swapped in at the end (see publish.run)."""
from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.cache import Cache, code_version, digest
from reportgen.content.meeting import LoadedMeeting
from reportgen.docx.frontsheet import Pages, render_front_sheet, render_private_cover, title as agenda_title
from reportgen.docx.packcopy import without_page_numbers
from reportgen.errors import PublishRefused, ReportgenError
from reportgen.fs import fault_point, swap_folder
from reportgen.layout.prepared import Prepared
from reportgen.pdf.finish import finish
from reportgen.pdf.inspect import inspect
from reportgen.pdf.pack import PackDoc, PackItem, PackResult, Stamps, assemble, number_pages
from reportgen.pdf.job import Job, PdfConverter
from reportgen.html.dashboard import dashboard_page
from reportgen.pipeline import dashboard_row
from reportgen.publish import statement
from reportgen.publish.gate import gate
from reportgen.publish.manifest import manifest as make_manifest, pdf_facts
from reportgen.publish.paths import PRIVATE, PUBLIC, MeetingPaths
from reportgen.publish.result import Progress, PublishResult
from reportgen.publish.plan import (Doc, documents, pack_pages, page_count, private_items, private_paragraphs,
                                    public_items)
from reportgen.publish.web import write_meeting_page, write_report_pages
from reportgen.style import wording
from reportgen.style.profile import Profile

log = logging.getLogger(__name__)

#: Why a draft publishes an inaccessible supplied document: nobody has accepted it yet.
DRAFT_REASON = ("Draft: not yet accepted for publication; the final publish needs an accessible file or "
                "--accept-inaccessible with a reason.")
#: The draft publish's governance dashboard, in the private folder (findings may quote exempt text).
DASHBOARD = "dashboard.html"


def _convert(jobs: list[tuple[Path, Path, str]], date: dt.date, author: str, cache: Cache,
             converter: PdfConverter, done: Callable[[Path], None] | None = None) -> None:
    """DOCX -> PDF through the pool, reusing cached PDFs of identical DOCX bytes and metadata.
    `done(pdf)` follows each PDF as soon as it is there: cached ones at once, converted ones while
    LibreOffice converts the rest."""
    todo = []
    for docx, pdf, title in jobs:
        key = digest(docx.read_bytes(), title, str(date), author, code_version())
        pdf.parent.mkdir(parents=True, exist_ok=True)
        cached = cache.get("pdf", key)
        if cached is not None:
            pdf.write_bytes(cached)
            if done is not None:
                done(pdf)
        else:
            todo.append((Job(docx, pdf, title, date, author), key))
    keys = {job.pdf: key for job, key in todo}

    def converted(job: Job) -> None:
        if job.pdf.is_file():  # a failed job is reported by convert(), after the others
            cache.put("pdf", keys[job.pdf], job.pdf.read_bytes())
            if done is not None:
                done(job.pdf)
    converter.convert([job for job, _ in todo], converted)


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


@dataclass
class _Run:
    """One publish in progress: what it was given and where it writes."""

    meeting: LoadedMeeting
    profile: Profile
    converter: PdfConverter
    paths: MeetingPaths
    staging: Path
    work: Path
    draft: bool
    progress: Progress | None
    cache: Cache
    closer: Closer
    #: The day of this publish: the accessibility statement's preparation date.
    today: dt.date

    def convert(self, jobs: list[tuple[Path, Path, str]], done: Callable[[Path], None] | None = None) -> None:
        m = self.meeting.meeting
        _convert(jobs, m.publication_date, self.profile.council, self.cache, self.converter, done)


def build(meeting: LoadedMeeting, prepared: dict[int, Prepared | ReportgenError], profile: Profile,
             closer: Closer, paths: MeetingPaths, draft: bool, today: dt.date,
             accept: str | None, progress: Progress | None, cache: Cache, keys: dict[int, str]) -> PublishResult:
    with _timed("check", progress):
        reasons, rendered = gate(meeting, prepared, today, draft, profile, cache, keys)
    if reasons and not draft:
        raise PublishRefused(reasons)
    if draft and len(rendered) < len(prepared):
        raise PublishRefused([r for r in reasons if ": unusable: " in r])  # no paper to stamp DRAFT on
    paths.clean_stale()
    work = paths.work()
    staging = None
    try:
        docs = documents(meeting, prepared, work, rendered, cache)
        with _timed("supplied documents", progress):
            refusals = _inspect_supplied(docs, work, meeting, profile, accept or (DRAFT_REASON if draft else None))
        if refusals:
            raise PublishRefused(refusals)
        staging = paths.staging()
        run = _Run(meeting, profile, closer.pool, paths, staging, work, draft, progress, cache, closer, today)
        # The reports' web pages need no PDF: written while this process mostly waits for LibreOffice.
        pages = _Background(lambda: write_report_pages(prepared, docs, staging / PUBLIC, draft))
        try:
            result = _write(run, docs, reasons)
        except BaseException:
            pages.thread.join()  # then the building error is the one raised, not the pages' own
            raise
        pages.join()
        with _timed("web edition", progress):
            write_meeting_page(meeting, profile, docs, staging / PUBLIC, draft)
            if draft:  # officers' view of what still blocks publication: private, never public
                rows = [dashboard_row(p, today) for p in prepared.values() if isinstance(p, Prepared)]
                (staging / PRIVATE / DASHBOARD).write_text(
                    dashboard_page(rows, today, f"{agenda_title(meeting, profile)}: governance dashboard", draft=True),
                    encoding="utf-8")
        owner_only(staging / PRIVATE)
        fault_point("publish-staged")
        with _timed("write", progress):
            result.written = swap_folder(staging, paths.final)
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log.info("published %s (%s)", paths.final, "written" if result.written else "unchanged")
    return result


def owner_only(folder: Path) -> None:
    """Exempt papers on a shared server: the private folder and everything in it readable by its owner only
    (0700 folders, 0600 files), whatever the umask."""
    if not folder.is_dir():
        return
    for path in folder.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)
    folder.chmod(0o700)


def _inspect_supplied(docs: list[Doc], work: Path, meeting: LoadedMeeting, profile: Profile,
                      accept: str | None) -> list[str]:
    """Inspect each supplied PDF; the refusals when one is not accessible and the clerk has not accepted it
    (with a reason). The inspection reads a finished copy in the work folder (the agenda's title and
    language set, as the pack sets them), so only its content is judged; the file published is the
    supplied one, byte for byte."""
    refusals = []
    m = meeting.meeting
    for d in docs:
        if d.source is None or d.source.suffix.lower() != ".pdf":
            continue
        copy = work / "supplied" / d.name
        copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(d.source, copy)
        finish(copy, title=d.title, date=m.publication_date, author=profile.council)
        found = inspect(copy)
        d.untagged_pages = found.untagged_pages
        if found.ok:
            continue
        d.problems = found.problems
        if accept is None:
            refusals.append(f"item {d.item} ({d.title}): supplied file {d.source.name} is not accessible: "
                            + "; ".join(found.problems) + ". Supply a tagged PDF or the Word file, or publish "
                            "it anyway with --accept-inaccessible \"reason\" (it is then named in the meeting's "
                            "accessibility statement)")
            continue
        d.accepted = accept
    return refusals


def _write(run: _Run, docs: list[Doc], reasons: list[str]) -> PublishResult:
    meeting, profile, staging, work = run.meeting, run.profile, run.staging, run.work
    m = meeting.meeting
    jobs = [(d.pack_source, d.pack_path(staging, work), d.title) for d in docs if d.pack_source]
    # One conversion: the pack takes it as it is, the published copy gets its page numbers (and the
    # manifest's inspection of it) as soon as it is converted, while LibreOffice does the others.
    published = {d.pack_path(staging, work): d for d in docs if d.pack_source}

    def numbered(pack_copy: Path) -> None:
        d = published[pack_copy]
        _numbered(run, pack_copy, d.path(staging))
        pdf_facts(d.path(staging), d.untagged_pages, run.cache)
    with _timed(f"convert {len(jobs)} documents"):
        run.convert(jobs, numbered)  # the pool calls `numbered` after each document
    if run.progress:
        run.progress("convert")
    for d in docs:
        if d.source and d.source.suffix.lower() == ".pdf":
            shutil.copyfile(d.source, d.path(staging))
            if run.draft:  # author-supplied PDFs say DRAFT on every page too
                assemble([PackItem(d.title, [PackDoc(d.path(staging), d.title)])], d.path(staging), d.title,
                         m.publication_date, profile.council, Stamps("", draft=True))
    front = Doc("front-sheet", None, agenda_title(meeting, profile), f"{PUBLIC}/00-agenda-front-sheet.pdf")
    with _timed("front sheet", run.progress):
        front_pack = _front_sheet(run, docs, front.path(staging))
        cover = _private_cover(run, docs)
    pack_title = wording.pack_title(profile, m.committee, m.date)
    private_title = wording.private_title(profile, m.committee, m.date)
    pack_doc = Doc("pack", None, pack_title, f"{PUBLIC}/agenda-pack.pdf")
    all_docs = [front, *docs, pack_doc]
    run.closer.early()  # every conversion is done: LibreOffice quits while the packs are assembled
    with _timed("packs", run.progress):
        public = assemble(public_items(meeting, docs, staging, work, front_pack, profile),
                          staging / PUBLIC / "agenda-pack.pdf", pack_title, m.publication_date, profile.council,
                          Stamps(profile.agenda.page_stamp, run.draft))
        pack_doc.untagged_pages = sorted(n for pages in public.untagged.values() for n in pages)
        private = None
        if cover is not None:
            numbers = private_paragraphs(docs)
            private = assemble(private_items(meeting, docs, staging, work, profile, cover),
                               staging / PRIVATE / "private-pack.pdf", private_title, m.publication_date,
                               profile.council, Stamps(profile.agenda.private_page_stamp, run.draft,
                                                       profile.agenda.private_page_label))
            all_docs.append(Doc("private-pack", None, private_title, f"{PRIVATE}/private-pack.pdf", True, numbers,
                                untagged_pages=sorted(n for pages in private.untagged.values() for n in pages)))
    with _timed("manifest", run.progress):
        exceptions = _exceptions(docs, staging, work, public)
        pack = "agenda-pack.pdf"
        (staging / PUBLIC / "accessibility-statement.md").write_text(
            statement.markdown(meeting, profile, exceptions, pack, run.today), encoding="utf-8")
        (staging / PUBLIC / "accessibility-statement.html").write_text(
            statement.html(meeting, profile, exceptions, pack, run.today), encoding="utf-8")
        public_access = {"pdfua": public.pdfua, "statement": {"html": "accessibility-statement.html",
                                                             "markdown": "accessibility-statement.md"},
                         "inaccessible": [vars(e) for e in exceptions], "scaled_to_a4": public.scaled}
        manifest = make_manifest(meeting, profile, all_docs, staging, run.draft, False, public_access, run.cache)
        _write_json(staging / PUBLIC / "manifest.json", manifest)
        if private is not None:
            private_access = {"pdfua": private.pdfua, "scaled_to_a4": private.scaled,
                              "inaccessible": [{"file": d.name, "title": d.title, "reason": d.accepted,
                                                "problems": d.problems} for d in docs if d.restricted and d.accepted]}
            _write_json(staging / PRIVATE / "manifest.json",
                        make_manifest(meeting, profile, all_docs, staging, run.draft, True, private_access,
                                      run.cache))
    inaccessible = [f"{e.file}: agenda pack page(s) {', '.join(map(str, e.pack_pages))} ({e.reason})"
                    for e in exceptions]
    return PublishResult(run.paths.final, False, manifest, reasons, inaccessible)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _exceptions(docs: list[Doc], staging: Path, work: Path, pack: PackResult) -> list[statement.Exception_]:
    """Each accepted inaccessible public document, with its untagged pages in itself and in the pack."""
    out = []
    for d in docs:
        if d.restricted or d.accepted is None:
            continue
        pack_pages = pack.untagged.get(d.pack_path(staging, work), [])
        out.append(statement.Exception_(d.title, d.name, d.untagged_pages, pack_pages, d.accepted, d.problems))
    return out


def _stable(run: _Run, name: str, docx_for: Callable[[int], bytes], title: str, public_copy: Path | None) -> Path:
    """Render a sheet that lists pack pages (which depend on its own length) until its length is stable;
    returns its pack copy (no page-number footer). `public_copy`: also publish it, numbered."""
    copy = run.work / "src" / f"{name}.docx"
    pack_pdf = run.work / "pack" / f"{name}.pdf"
    length = 1
    for _ in range(4):
        copy.parent.mkdir(exist_ok=True)
        copy.write_bytes(without_page_numbers(docx_for(length)))
        run.convert([(copy, pack_pdf, title)])
        if page_count(pack_pdf) == length:
            break
        length = page_count(pack_pdf)
    if public_copy is not None:
        _numbered(run, pack_pdf, public_copy)
    return pack_pdf


def _numbered(run: _Run, pack_copy: Path, public_copy: Path) -> None:
    """The published copy of a converted document: its pack copy with "Page X of Y" on each page
    (remembered in the cache by the pack copy's bytes)."""
    stamp = run.profile.agenda.document_page_stamp
    key = digest("numbered", pack_copy.read_bytes(), stamp, code_version())
    cached = run.cache.get("numbered", key)
    if cached is not None:
        public_copy.write_bytes(cached)
        return
    shutil.copyfile(pack_copy, public_copy)
    number_pages(public_copy, stamp)
    run.cache.put("numbered", key, public_copy.read_bytes())


def _front_sheet(run: _Run, docs: list[Doc], front: Path) -> Path:
    meeting, profile = run.meeting, run.profile

    def docx(length: int) -> bytes:
        pages = pack_pages(meeting, docs, run.staging, run.work, False, length)
        return render_front_sheet(meeting, profile, pages, run.draft)

    return _stable(run, "00-agenda-front-sheet", docx, agenda_title(meeting, profile), front)


def _private_cover(run: _Run, docs: list[Doc]) -> Path | None:
    """The private pack's cover and contents (P-series pages), or None when nothing is private."""
    meeting, profile = run.meeting, run.profile
    if not any(d.restricted for d in docs):
        return None

    def docx(length: int) -> bytes:
        pages: Pages = pack_pages(meeting, docs, run.staging, run.work, True, length)
        return render_private_cover(meeting, profile, pages, run.draft)

    m = meeting.meeting
    return _stable(run, "private-cover", docx, wording.private_title(profile, m.committee, m.date), None)

