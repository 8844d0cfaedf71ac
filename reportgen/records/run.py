"""Make the statutory records: gather and check everything first, render, convert, then write each file.

    forward_plan: reports -> prepare -> entries (+ earlier plans) -> RG407 -> CSV + PDF per house style
    decisions:    meeting (or report) + decisions file -> notices -> RG408-RG410 -> PDF per item and per meeting,
                  and the notices of a private meeting when the meeting has exempt items
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from reportgen.check.context import DecisionContext, PlanContext
from reportgen.check.engine import Finding, check_record
from reportgen.content.decisions import (DECISION_FILE, Decision, decisions_path,
                                         load_individual_decision, load_meeting_decisions)
from reportgen.content.load import find_reports
from reportgen.content.meeting import LoadedMeeting, load_meeting
from reportgen.docx.render import core_properties, render_docx
from reportgen.html.report import layout_page
from reportgen.errors import ContentError, Problem, ReportgenError
from reportgen.fs import write_atomic
from reportgen.layout.arrange import Layout
from reportgen.layout.prepared import Prepared
from reportgen.pipeline import prepare, prepare_loaded
from reportgen.records import forward_plan as fp
from reportgen.records import notices
from reportgen.style.profile import DEFAULTS, Profile, Settings, fill, load_profile

log = logging.getLogger(__name__)


@dataclass
class Record:
    """One document to publish: its file name, its title and dates, and its content."""

    name: str
    kind: str
    title: str
    date: dt.date
    published: dt.date
    profile: Profile
    layout: Layout | None = None
    data: bytes | None = None  # written as is (CSV)
    time: str = ""
    venue: str = ""


def _fail_on(findings: list[Finding]) -> None:
    for f in findings:
        if f.severity != "error":
            log.warning("%s", f)
    errors = [Problem(f.file, f.line, f.col, f.key, f"{f.rule}: {f.message}") for f in findings if f.severity == "error"]
    if errors:
        raise ContentError(problems=errors)


def write(records: list[Record], out: Path, manifest_name: str, settings: Settings = DEFAULTS) -> list[Path]:
    """Render every record, convert the documents to tagged PDF, then write all files (none if any fails),
    with a manifest listing each file's kind, title and dates."""
    from reportgen.pdf.job import Job
    from reportgen.pdf.server import open_converter  # LibreOffice is needed only here

    # The pid in the name: a run stopped by a signal removes its own (reportgen.cleanup).
    with tempfile.TemporaryDirectory(prefix=f"reportgen-records-{os.getpid()}-") as tmp:
        staging = Path(tmp)
        jobs: list[Job] = []
        files: dict[Path, bytes] = {}
        for rec in records:
            if rec.data is not None:
                files[out / rec.name] = rec.data
                continue
            assert rec.layout is not None
            p = rec.profile
            values = {"council": p.council, "title": rec.title, "date_text": p.format_date(rec.date),
                      "time": rec.time, "venue": rec.venue, "publication_date_text": p.format_date(rec.published),
                      "classification_marking": p.text.classification_open, "draft_marking": ""}
            props = core_properties(rec.title, rec.title, f"{rec.kind}, {p.council}", p.council, rec.published)
            docx = staging / f"{len(jobs)}.docx"
            docx.write_bytes(render_docx(p.agenda_path, values, rec.layout, props))
            jobs.append(Job(docx, staging / f"{len(jobs)}.pdf", rec.title, rec.published, p.council))
            files[out / rec.name] = b""  # placeholder: filled from the PDF below
            # The web edition of the same record, from the same layout, beside its PDF.
            front = [(label, [value]) for label, value in (
                ("Date", p.format_date(rec.date)), ("Time", rec.time), ("Venue", rec.venue),
                ("Published", p.format_date(rec.published))) if value]
            html = layout_page(rec.title, p, rec.layout, front, pdf=Path(rec.name).name)
            files[out / Path(rec.name).with_suffix(".html")] = html.encode("utf-8")
        if jobs:
            converter = open_converter(settings)
            try:
                converter.convert(jobs)
            finally:
                converter.close()
        pdfs = iter(job.pdf.read_bytes() for job in jobs)
        files = {path: data if path.suffix != ".pdf" else next(pdfs) for path, data in files.items()}
    manifest = [{"kind": r.kind, "title": r.title, "file": r.name,
                 **({"html": str(Path(r.name).with_suffix(".html"))} if r.layout is not None else {}),
                 "date": r.date.isoformat(), "published": r.published.isoformat()} for r in records]
    files[out / manifest_name] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    for path, data in files.items():
        write_atomic(path, data)
        log.info("wrote %s", path)
    return list(files)


# --------------------------------------------------------------------------- forward plan

def plan_records(paths: list[Path], start: dt.date, end: dt.date | None, out: Path,
                 settings: Settings = DEFAULTS) -> list[Record]:
    """The forward plan of each house style among the reports, checked against the earlier plans in `out`."""
    prepared: list[Prepared] = []
    problems: list[Problem] = []
    for folder in find_reports(paths):
        try:
            prepared.append(prepare(folder, settings))
        except ReportgenError as exc:
            problems += exc.problems or [Problem(folder, 1, 1, "", str(exc))]
    if problems:
        raise ContentError(problems=problems)
    by_style: dict[str, list[Prepared]] = {}
    for p in prepared:
        date = p.report.date
        if fp.listed(p, p.profile.records.forward_plan_all_decisions) and date and date >= start \
                and (end is None or date <= end):
            by_style.setdefault(p.report.style, []).append(p)
    records: list[Record] = []
    findings: list[Finding] = []
    for style, group in sorted(by_style.items()):
        profile = group[0].profile
        earlier = fp.earlier_plans(out / style, start)
        entries = []
        for p in sorted(group, key=lambda p: (p.report.date or start, p.report.title)):
            ref = p.report.decision_type.forward_plan_ref if p.report.decision_type else None
            first = min((d for d, refs in earlier.items() if ref and ref in refs), default=None)
            findings += check_record(PlanContext(p, first, sorted(earlier), start), "forward-plan")
            entries.append(fp.entry(p, first or start))
        name = f"{style}/forward-plan-{start.isoformat()}"
        title = fill(profile.records.forward_plan_title, date=profile.format_date(start))
        records.append(Record(f"{name}.csv", "forward plan (CSV)", title, start, start, profile,
                              data=fp.to_csv(entries, profile)))
        records.append(Record(f"{name}.pdf", "forward plan", title, start, start, profile, fp.layout(entries, profile)))
    _fail_on(findings)
    return records


def forward_plan(paths: list[Path], start: dt.date | None = None, end: dt.date | None = None,
                 out: Path = Path("build/records"), settings: Settings = DEFAULTS) -> list[Path]:
    """Write the forward plan (CSV and tagged PDF) of every key decision under `paths` dated from `start`."""
    start = start or dt.date.today()
    return write(plan_records(paths, start, end, out, settings), out, f"forward-plan-{start.isoformat()}.json",
                 settings)


# --------------------------------------------------------------------------- decision notices

def _meeting_notices(meeting: LoadedMeeting, settings: Settings) -> tuple[list[notices.Notice], list[Finding], dt.date]:
    path = decisions_path(meeting.path)
    if not path.is_file():
        raise ContentError(problems=[Problem(meeting.path, 1, 1, "",
                                             f"no decisions file: write {path.name} beside the meeting file")])
    decisions, file = load_meeting_decisions(path)
    by_item: dict[int, tuple[int, Decision]] = {}
    problems = []
    reports = {item.number: item for item in meeting.items if item.report is not None}
    for i, d in enumerate(decisions.items):
        if d.item not in reports:
            problems.append(file.problem(("items", i, "item"), f"agenda item {d.item} is not a report item "
                                         f"(report items: {', '.join(map(str, reports)) or 'none'})"))
        elif d.item in by_item:
            problems.append(file.problem(("items", i, "item"), f"agenda item {d.item} is given twice"))
        else:
            by_item[d.item] = (i, d)
    if problems:
        raise ContentError(problems=problems)
    found, findings = [], []
    for number, item in reports.items():
        assert item.report is not None
        prepared = prepare_loaded(item.report, settings)
        index, decision = by_item.get(number, (-1, Decision()))
        n = notices.notice(prepared, decision, number, meeting.meeting.date, decisions.published)
        if index >= 0:
            findings += check_record(DecisionContext(prepared, decision, file, ("items", index),
                                                     decisions.published), "decision")
        found.append(n)
    return found, findings, decisions.published


def decision_records(path: Path, settings: Settings = DEFAULTS) -> list[Record]:
    """The decision notices of a meeting (PATH a meeting file) or of an individual decision (a report folder),
    and a meeting's notices of a private meeting."""
    if path.is_dir():
        prepared = prepare(path, settings)
        if not (path / DECISION_FILE).is_file():
            raise ContentError(problems=[Problem(path / "report.yaml", 1, 1, "",
                                                 f"no decision file: write {DECISION_FILE} beside the report")])
        decision, file = load_individual_decision(path / DECISION_FILE)
        decided = decision.decided or prepared.report.date or decision.published
        n = notices.notice(prepared, decision, None, decided, decision.published)
        _fail_on(check_record(DecisionContext(prepared, decision, file, (), decision.published), "decision"))
        title = fill(prepared.profile.records.decision_title, title=n.title)
        return [Record(f"{path.name}-decision.pdf", "decision notice", title, decided, decision.published,
                       prepared.profile, notices.item_layout(n))]
    meeting = load_meeting(path)
    profile = load_profile(meeting.meeting.style, settings)
    found, findings, published = _meeting_notices(meeting, settings)
    _fail_on(findings)
    m = meeting.meeting
    slug, records = meeting.slug, []
    for n in found:
        t = fill(n.prepared.profile.records.decision_title, title=n.title)
        records.append(Record(f"{slug}/decision-item-{n.item}.pdf", "decision notice", t, m.date, published,
                              n.prepared.profile, notices.item_layout(n), time=m.time, venue=m.venue))
    meeting_title = fill(profile.records.meeting_title, committee=m.committee, date=profile.format_date(m.date))
    records.append(Record(f"{slug}/decisions.pdf", "record of decisions", meeting_title, m.date, published, profile,
                          notices.meeting_layout(found, profile), time=m.time, venue=m.venue))
    if notices.private_items(meeting):
        for further, name in ((False, "private-meeting-notice-28-day"), (True, "private-meeting-notice-5-day")):
            first, second = notices.private_dates(meeting)
            records.append(Record(f"{slug}/{name}.pdf", "notice of private meeting",
                                  notices.private_title(meeting, profile, further), m.date,
                                  second if further else first, profile,
                                  notices.private_layout(meeting, profile, further), time=m.time, venue=m.venue))
    return records


def decisions(path: Path, out: Path = Path("build/records"), settings: Settings = DEFAULTS) -> list[Path]:
    """Write the decision notices (and notices of a private meeting) of a meeting or an individual decision."""
    records = decision_records(path, settings)
    # a meeting's slug is its file's stem (LoadedMeeting.slug)
    return write(records, out, f"{path.stem}/records.json" if not path.is_dir() else f"{path.name}-decision.json",
                 settings)
