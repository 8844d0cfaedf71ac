"""Publish stage: a meeting's accessible PDFs, front sheet, public and private packs, and manifest.

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
import os
import re
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from reportgen.docx.frontsheet import Pages, paragraphs, render_front_sheet, title as agenda_title
from reportgen.pipeline import render_report
from reportgen.check.engine import ReportCheck, check_report
from reportgen.pdf.pool import Converter, Job
from reportgen.errors import PublishError, ReportgenError
from reportgen.content.meeting import Item, LoadedMeeting, load_meeting
from reportgen.parallel import fork_map
from reportgen.pdf.pack import PackDoc, PackItem, Stamps, assemble, open_pdf
from reportgen.pdf.finish import inspect
from reportgen.style.profile import Profile, fill, load_profile
from reportgen.docx.render import wards_text

log = logging.getLogger(__name__)


class PublishRefused(PublishError):
    """Raised when the publish gate finds check errors or missing or stale sign-offs."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("publish refused:\n" + "\n".join(f"  {r}" for r in reasons))

    def __reduce__(self) -> tuple[object, ...]:
        return (self.__class__, (self.reasons,))


@dataclass
class Doc:
    """One published document and what the manifest says about it."""

    kind: str  # front-sheet, report, appendix, supporting, pack, private-pack
    item: int | None
    title: str
    file: str  # relative to the meeting's output folder
    restricted: bool = False
    paragraphs: list[int] = field(default_factory=list)
    source: Path | None = None  # the DOCX to convert, or the PDF to copy
    item_ref: Item | None = None


@dataclass
class PublishResult:
    folder: Path
    written: bool
    manifest: dict[str, Any]
    refused: list[str]


def slugify(text: str, limit: int = 48) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:limit].strip("-") or "item"


def _check_and_render(folder: Path, today: dt.date, styles: list[Path] | None,
                      draft: bool) -> tuple[ReportCheck, bytes | None]:
    """One pass per report: its blocking findings, and its DOCX when it may be published."""
    from reportgen.check import rules  # noqa: F401  (registers the catalogue in a fresh process too)

    # Only errors block publication, so advisory rules (readability, say) need not run here.
    result = check_report(folder, today, styles, severities=frozenset({"error"}))
    if (result.count("error") and not draft) or result.unusable is not None:
        return result, None
    return result, render_report(folder, styles, draft)[1]


def gate(meeting: LoadedMeeting, today: dt.date | None, styles: list[Path] | None,
         draft: bool = False) -> tuple[list[str], dict[int, bytes]]:
    """Every reason a report may not be published (check errors, missing or stale sign-off included),
    and the DOCX of every report that may be."""
    from reportgen.check import rules

    items = [item for item in meeting.items if item.report is not None]
    results = fork_map(_check_and_render, [(item.report.folder, today or dt.date.today(), styles, draft)
                                           for item in items if item.report],
                       minimum=4, prepare=lambda: rules.warm_up(frozenset({"error"})))
    reasons, rendered = [], {}
    for item, (result, docx) in zip(items, results):
        if result.unusable is not None:
            reasons.append(f"item {item.number} ({item.title}): unusable: {result.unusable}")
        reasons += [f"item {item.number} ({item.title}): {f}" for f in result.findings if f.severity == "error"]
        if docx is not None:
            rendered[item.number] = docx
    return reasons, rendered


def _documents(meeting: LoadedMeeting, staging: Path, styles: list[Path] | None,
               rendered: dict[int, bytes]) -> list[Doc]:
    """Write each report's DOCX into staging and list every document to publish."""
    docs: list[Doc] = []
    src = staging / ".src"
    src.mkdir()
    for item in meeting.items:
        stem = f"{item.number:02d}-{slugify(item.title)}"
        if item.report is not None:
            (src / f"{stem}.docx").write_bytes(rendered[item.number])
            r = item.report.report
            wording = load_profile(r.style, styles).text.appendix  # "Annex {id} - {title}" and the like
            area = "private/" if item.exempt else ""
            docs.append(Doc("report", item.number, r.title, f"{area}{stem}.pdf", item.exempt,
                            list(r.classification.paragraphs) if item.exempt else [], src / f"{stem}.docx", item))
            for app in r.appendices or []:
                if not app.file:
                    continue
                restricted = item.exempt or app.exempt is not None
                numbers = sorted(set((app.exempt.paragraphs if app.exempt else []) +
                                     (r.classification.paragraphs if item.exempt else [])))
                folder = "private/" if restricted else ""
                docs.append(Doc("appendix", item.number, fill(wording, id=app.id, title=app.title),
                                f"{folder}{stem}-appendix-{slugify(app.id)}.pdf", restricted, numbers,
                                item.report.folder / app.file, item))
        elif item.file is not None:
            docs.append(Doc("supporting", item.number, item.title, f"{stem}.pdf", source=item.file, item_ref=item))
    return docs


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


def _pages(path: Path) -> int:
    with open_pdf(path) as pdf:
        return len(pdf.pages)


def _public_items(meeting: LoadedMeeting, docs: list[Doc], staging: Path, front: Path,
                  profile: Profile) -> list[PackItem]:
    items = [PackItem(agenda_title(meeting, profile), [PackDoc(front, "Agenda")])]
    for item in meeting.items:
        own = [d for d in docs if d.item == item.number and not d.restricted]
        label = fill(profile.agenda.item, number=item.number, title=item.title)
        if item.exempt:
            label += " (not for publication)"
        items.append(PackItem(label, [PackDoc(staging / d.file, d.title) for d in own]))
    return items


def _private_items(meeting: LoadedMeeting, docs: list[Doc], staging: Path, profile: Profile) -> list[PackItem]:
    items = []
    for item in meeting.items:
        own = [d for d in docs if d.item == item.number and d.restricted]
        if own:
            items.append(PackItem(fill(profile.agenda.item, number=item.number, title=item.title), [
                PackDoc(staging / d.file, d.title, fill(profile.agenda.private_marking,
                                                        paragraphs=paragraphs(d.paragraphs)))
                for d in own]))
    return items


def _front_pages(meeting: LoadedMeeting, docs: list[Doc], staging: Path, front_pages: int) -> Pages:
    pages: Pages = {}
    page = front_pages + 1
    for item in meeting.items:
        count = sum(_pages(staging / d.file) for d in docs if d.item == item.number and not d.restricted)
        pages[item.number] = (page, page + count - 1) if count else None
        page += count
    return pages


def _manifest(meeting: LoadedMeeting, profile: Profile, docs: list[Doc], staging: Path,
              draft: bool, untagged: list[Path]) -> dict[str, Any]:
    m = meeting.meeting
    entries = []
    for d in docs:
        path = staging / d.file
        report = d.item_ref.report.report if d.item_ref and d.item_ref.report else None
        dtype = report.decision_type if report else None
        pdf = inspect(path)
        entries.append({
            "meeting": meeting.slug, "committee": m.committee, "meeting_date": m.date.isoformat(),
            "item": d.item, "kind": d.kind, "title": d.title, "file": d.file,
            "restricted": d.restricted, "schedule_12a_paragraphs": d.paragraphs,
            "key_decision": bool(dtype and dtype.key),
            "forward_plan_ref": dtype.forward_plan_ref if dtype and dtype.key else None,
            "wards": (wards_text(d.item_ref.report, profile) or None) if d.item_ref and d.item_ref.report else None,
            "decision_date": report.date.isoformat() if report and report.date else None,
            "publication_date": m.publication_date.isoformat(),
            "pages": pdf.pages, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "tagged": pdf.tagged and path not in untagged,
            "accessibility_problems": pdf.problems,
        })
    return {"meeting": {"id": meeting.slug, "committee": m.committee, "date": m.date.isoformat(),
                        "time": m.time, "venue": m.venue, "publication_date": m.publication_date.isoformat(),
                        "style": m.style, "draft": draft},
            "documents": entries}


def _same_tree(a: Path, b: Path) -> bool:
    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    return b.is_dir() and files(a) == files(b)


def _swap(staging: Path, final: Path) -> bool:
    """Replace `final` with `staging` unless identical; the old output survives until the last step."""
    if _same_tree(staging, final):
        shutil.rmtree(staging)
        return False
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        os.replace(final, old)
    os.replace(staging, final)
    if old.exists():
        shutil.rmtree(old)
    return True


@contextmanager
def _timed(stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    log.info("%s: %.2f s", stage, time.perf_counter() - start)


def publish(meeting_path: Path, out: Path = Path("build/publish"), draft: bool = False,
            today: dt.date | None = None, styles: list[Path] | None = None,
            workers: int | None = None) -> PublishResult:
    """Publish a meeting to out/<meeting>/; refuses (PublishRefused) unless every report is ready or `draft`."""
    meeting = load_meeting(meeting_path)
    profile = load_profile(meeting.meeting.style, styles)
    with Converter(workers) as converter:
        converter.start()  # LibreOffice starts while the gate and the DOCX rendering run
        return _publish(meeting, profile, converter, out, draft, today, styles)


def _publish(meeting: LoadedMeeting, profile: Profile, converter: Converter, out: Path, draft: bool,
             today: dt.date | None, styles: list[Path] | None) -> PublishResult:
    with _timed("gate and render DOCX"):
        reasons, rendered = gate(meeting, today, styles, draft)
    if reasons and not draft:
        raise PublishRefused(reasons)
    m = meeting.meeting
    out.mkdir(parents=True, exist_ok=True)
    final = out / meeting.slug
    staging = Path(tempfile.mkdtemp(prefix=f".{meeting.slug}.", dir=out))
    staging.chmod(0o755)  # mkdtemp makes it private; published papers are for the web server to read
    try:
        (staging / "private").mkdir()
        docs = _documents(meeting, staging, styles, rendered)
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
        front_docx = staging / ".src" / "00-agenda-front-sheet.docx"
        front_pages = 1
        front_start = time.perf_counter()
        for _ in range(4):  # the front sheet lists pack pages, which depend on its own length
            pages = _front_pages(meeting, docs, staging, front_pages)
            front_docx.write_bytes(render_front_sheet(meeting, profile, pages, draft))
            _convert([(front_docx, front, agenda_title(meeting, profile))], m.publication_date,
                     profile.council, cache, converter)
            if _pages(front) == front_pages:
                break
            front_pages = _pages(front)
        log.info("front sheet: %.2f s", time.perf_counter() - front_start)
        date_text = profile.format_date(m.date)
        a = profile.agenda
        stamps = Stamps(a.page_stamp, draft)
        pack_start = time.perf_counter()
        _, untagged = assemble(_public_items(meeting, docs, staging, front, profile), staging / "agenda-pack.pdf",
                               fill(a.pack_title, committee=m.committee, date=date_text), m.publication_date,
                               profile.council, stamps)
        all_docs = [Doc("front-sheet", None, agenda_title(meeting, profile), front.name), *docs,
                    Doc("pack", None, fill(a.pack_title, committee=m.committee, date=date_text), "agenda-pack.pdf")]
        private = _private_items(meeting, docs, staging, profile)
        if private:
            _, more = assemble(private, staging / "private" / "private-pack.pdf",
                               fill(a.private_title, committee=m.committee, date=date_text), m.publication_date,
                               profile.council, stamps)
            untagged += more
            numbers = sorted({n for d in docs if d.restricted for n in d.paragraphs})
            all_docs.append(Doc("private-pack", None, fill(a.private_title, committee=m.committee, date=date_text),
                                "private/private-pack.pdf", True, numbers))
        log.info("packs: %.2f s", time.perf_counter() - pack_start)
        shutil.rmtree(staging / ".src")
        with _timed("manifest"):
            manifest = _manifest(meeting, profile, all_docs, staging, draft, untagged)
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                               encoding="utf-8")
        with _timed("swap"):
            written = _swap(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("published %s (%s)", final, "written" if written else "unchanged")
    return PublishResult(final, written, manifest, reasons)


__all__ = ["PublishRefused", "PublishResult", "publish", "ReportgenError"]
