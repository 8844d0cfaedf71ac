"""Publish stage: a meeting's accessible PDFs, front sheet, packs, web edition and manifest.

Everything is built in a staging folder beside the output and swapped in at the
end, so an interrupted publish leaves the previous output intact; when the new
output is byte-identical to the old, nothing is touched at all. Conversions are
cached by the DOCX bytes, so a re-run with nothing changed converts nothing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from reportgen.content.meeting import LoadedMeeting, load_meeting
from reportgen.docx.frontsheet import render_front_sheet, title as agenda_title
from reportgen.errors import PublishRefused, ReportgenError
from reportgen.fs import swap_folder
from reportgen.layout.prepared import Prepared
from reportgen.pdf.pack import PackDoc, PackItem, Stamps, assemble
from reportgen.pdf.pool import Converter, Job
from reportgen.html.dashboard import dashboard_page
from reportgen.pipeline import dashboard_row, prepare_loaded
from reportgen.publish.gate import gate
from reportgen.publish.manifest import manifest as make_manifest
from reportgen.publish.web import write_web_edition
from reportgen.publish.plan import Doc, documents, front_pages, page_count, private_items, public_items
from reportgen.style import wording
from reportgen.style.profile import Profile, Styles, load_profile

log = logging.getLogger(__name__)

#: The draft publish's governance dashboard, in the private folder.
DASHBOARD = "dashboard.html"


@dataclass
class PublishResult:
    folder: Path
    written: bool
    manifest: dict[str, Any]
    refused: list[str]


def _convert(jobs: list[tuple[Path, Path, str]], date: dt.date, author: str, cache: Path,
             converter: Converter) -> None:
    """DOCX -> PDF through the pool, reusing cached PDFs of identical DOCX bytes."""
    todo = []
    for docx, pdf, title in jobs:
        key = hashlib.sha256(docx.read_bytes() + f"\0{title}\0{date}\0{author}".encode()).hexdigest()
        cached = cache / f"{key}.pdf"
        if cached.is_file():
            shutil.copyfile(cached, pdf)
        else:
            todo.append((Job(docx, cached, title, date, author), pdf))
    if todo:
        cache.mkdir(parents=True, exist_ok=True)
        converter.convert([job for job, _ in todo])
        for job, pdf in todo:
            shutil.copyfile(job.pdf, pdf)


@contextmanager
def _timed(stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    log.info("%s: %.2f s", stage, time.perf_counter() - start)


def publish(meeting_path: Path, out: Path = Path("build/publish"), draft: bool = False,
            today: dt.date | None = None, styles: Styles = None,
            workers: int | None = None) -> PublishResult:
    """Publish a meeting to out/<meeting>/; refuses (PublishRefused) unless every report is ready or `draft`."""
    meeting = load_meeting(meeting_path)  # loads and validates each report, once
    profile = load_profile(meeting.meeting.style, styles)
    prepared: dict[int, Prepared | ReportgenError] = {}
    for item in meeting.items:
        if item.report is not None:
            try:
                prepared[item.number] = prepare_loaded(item.report, styles)
            except ReportgenError as exc:  # reported by the gate with every other reason
                prepared[item.number] = exc
    with Converter(workers) as converter:
        converter.start()  # LibreOffice starts while the gate and the DOCX rendering run
        return _publish(meeting, prepared, profile, converter, out, draft, today or dt.date.today())


def _publish(meeting: LoadedMeeting, prepared: dict[int, Prepared | ReportgenError], profile: Profile,
             converter: Converter, out: Path, draft: bool, today: dt.date) -> PublishResult:
    with _timed("gate and render DOCX"):
        reasons, rendered = gate(meeting, prepared, today, draft)
    if reasons and not draft:
        raise PublishRefused(reasons)
    if draft and len(rendered) < len(prepared):
        raise PublishRefused([r for r in reasons if ": unusable: " in r])  # no paper to stamp DRAFT on
    m = meeting.meeting
    out.mkdir(parents=True, exist_ok=True)
    final = out / meeting.slug
    staging = Path(tempfile.mkdtemp(prefix=f".{meeting.slug}.", dir=out))
    staging.chmod(0o755)  # mkdtemp makes it private; published papers are for the web server to read
    try:
        (staging / "private").mkdir()
        docs = documents(meeting, prepared, staging, rendered)
        cache = out / ".cache"
        jobs = [(d.source, staging / d.file, d.title) for d in docs if d.source and d.source.suffix == ".docx"]
        with _timed(f"convert {len(jobs)} documents"):
            _convert(jobs, m.publication_date, profile.council, cache, converter)
        for d in docs:
            if d.source and d.source.suffix.lower() == ".pdf":
                shutil.copyfile(d.source, staging / d.file)
                if draft:  # author-supplied PDFs say DRAFT on every page too
                    assemble([PackItem(d.title, [PackDoc(staging / d.file, d.title)])], staging / d.file, d.title,
                             m.publication_date, profile.council, Stamps("", draft=True))
        front = staging / "00-agenda-front-sheet.pdf"
        with _timed("front sheet"):
            _front_sheet(meeting, profile, docs, staging, front, cache, converter, draft)
        pack_title = wording.pack_title(profile, m.committee, m.date)
        private_title = wording.private_title(profile, m.committee, m.date)
        stamps = Stamps(profile.agenda.page_stamp, draft)
        with _timed("packs"):
            _, untagged = assemble(public_items(meeting, docs, staging, front, profile), staging / "agenda-pack.pdf",
                                   pack_title, m.publication_date, profile.council, stamps)
            all_docs = [Doc("front-sheet", None, agenda_title(meeting, profile), front.name), *docs,
                        Doc("pack", None, pack_title, "agenda-pack.pdf")]
            private = private_items(meeting, docs, staging, profile)
            if private:
                _, more = assemble(private, staging / "private" / "private-pack.pdf", private_title,
                                   m.publication_date, profile.council, stamps)
                untagged += more
                numbers = sorted({n for d in docs if d.restricted for n in d.paragraphs})
                all_docs.append(Doc("private-pack", None, private_title, "private/private-pack.pdf", True, numbers))
        shutil.rmtree(staging / ".src")
        with _timed("web edition"):
            write_web_edition(meeting, prepared, profile, docs, staging, draft)
            if draft:  # officers' view of what still blocks publication: private, never public
                rows = [dashboard_row(p, today) for p in prepared.values() if isinstance(p, Prepared)]
                (staging / "private" / DASHBOARD).write_text(
                    dashboard_page(rows, today, f"{agenda_title(meeting, profile)}: governance dashboard", draft=True),
                    encoding="utf-8")
        with _timed("manifest"):
            manifest = make_manifest(meeting, profile, all_docs, staging, draft, untagged)
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                               encoding="utf-8")
        with _timed("swap"):
            written = swap_folder(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("published %s (%s)", final, "written" if written else "unchanged")
    return PublishResult(final, written, manifest, reasons)


def _front_sheet(meeting: LoadedMeeting, profile: Profile, docs: list[Doc], staging: Path, front: Path,
                 cache: Path, converter: Converter, draft: bool) -> None:
    """The front sheet lists pack pages, which depend on its own length: render until it is stable."""
    m = meeting.meeting
    front_docx = staging / ".src" / "00-agenda-front-sheet.docx"
    length = 1
    for _ in range(4):
        pages = front_pages(meeting, docs, staging, length)
        front_docx.write_bytes(render_front_sheet(meeting, profile, pages, draft))
        _convert([(front_docx, front, agenda_title(meeting, profile))], m.publication_date,
                 profile.council, cache, converter)
        if page_count(front) == length:
            return
        length = page_count(front)


__all__ = ["PublishRefused", "PublishResult", "publish"]
