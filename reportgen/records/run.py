"""Make the statutory records: gather and check everything first, render, convert, then write each file.

    forward_plan: reports -> prepare -> entries (+ the history's earlier plans) -> RG407, RG412 -> CSV + PDF
    notices:      meeting file -> the 28-day or 5-day notice of a private meeting (reg 5), before the meeting
    decisions:    meeting (or report) + decisions file -> notices -> RG408-RG410 -> PDF and HTML per item and
                  per meeting; an exempt decision's full record under private/

Every record is dated by the clock (reportgen.content.clock), never earlier, and each publication is
added to the publication history (reportgen.content.history) once its files are written.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from reportgen.check.context import DecisionContext, PlanContext
from reportgen.check.engine import Finding, check_record
from reportgen.content import clock
from reportgen.content.decisions import (DECISION_FILE, DECISIONS_SUFFIX, Decision, DecisionsFile, decisions_path,
                                         load_individual_decision, load_meeting_decisions)
from reportgen.content.history import History, Publication, dated, digest, load_history
from reportgen.content.yamlio import read_yaml
from reportgen.content.load import find_reports
from reportgen.content.meeting import load_meeting
from reportgen.docx.render import core_properties, render_docx
from reportgen.html.report import layout_page
from reportgen.errors import ContentError, Problem, ReportgenError
from reportgen.fs import write_atomic
from reportgen.layout.arrange import Layout
from reportgen.layout.prepared import Prepared
from reportgen.pipeline import prepare, prepare_loaded
from reportgen.records import forward_plan as fp
from reportgen.records import notices, private
from reportgen.style import wording
from reportgen.style.profile import DEFAULTS, Profile, Settings, fill, load_profile

log = logging.getLogger(__name__)

#: The folder of records never published: an exempt decision's full record.
PRIVATE = "private"


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
    revised: dt.date | None = None
    private: bool = False  # a full record under private/: listed in its own manifest, never the public one
    marking: str = ""  # the classification printed on it (default: open)


def _when(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


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
            printed = wording.published(p, rec.published, rec.revised)
            marking = rec.marking or p.text.classification_open
            values = {"council": p.council, "title": rec.title, "date_text": p.format_date(rec.date),
                      "time": rec.time, "venue": rec.venue, "publication_date_text": printed,
                      "classification_marking": marking, "draft_marking": ""}
            props = core_properties(rec.title, rec.title, f"{rec.kind}, {p.council}", p.council, rec.published)
            docx = staging / f"{len(jobs)}.docx"
            docx.write_bytes(render_docx(p.agenda_path, values, rec.layout, props))
            jobs.append(Job(docx, staging / f"{len(jobs)}.pdf", rec.title, rec.published, p.council))
            files[out / rec.name] = b""  # placeholder: filled from the PDF below
            # The web edition of the same record, from the same layout, beside its PDF.
            front = [(label, [value]) for label, value in (
                ("Date", p.format_date(rec.date)), ("Time", rec.time), ("Venue", rec.venue),
                ("Published", printed)) if value]
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
    for private in (False, True):
        listed = [{"kind": r.kind, "title": r.title, "file": r.name,
                   **({"html": str(Path(r.name).with_suffix(".html"))} if r.layout is not None else {}),
                   "date": r.date.isoformat(), "published": r.published.isoformat(),
                   **({"revised": r.revised.isoformat()} if r.revised else {})} for r in records if r.private == private]
        if listed or not private:
            name = f"{PRIVATE}/{manifest_name}" if private else manifest_name
            files[out / name] = (json.dumps(listed, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    for path, data in files.items():
        write_atomic(path, data)
        log.info("wrote %s", path)
    return list(files)


# --------------------------------------------------------------------------- forward plan

#: What the history calls each kind of publication made here.
FORWARD_PLAN, DECISIONS = "forward plan", "decisions"


@dataclass
class Made:
    """Records to write, and the publications to add to the history once they are written."""

    records: list[Record]
    history: History
    publications: list[tuple[Publication, list[str]]]  # each with the names of the files it went out as


def _finish(made: Made, out: Path, manifest_name: str, settings: Settings = DEFAULTS) -> list[Path]:
    written = write(made.records, out, manifest_name, settings)
    for publication, names in made.publications:
        sent = [(out / name).read_bytes() for name in names]
        made.history.record(publication.model_copy(update={"sha256": digest(*sent)}))
    return written


def _bodies(paths: list[Path]) -> dict[str, list[str]]:
    """Each decision-making body's members, from the meeting files under `paths` (reg 9(1)(c))."""
    found: dict[str, list[str]] = {}
    for path in paths:
        files = [path] if path.is_file() else sorted(path.rglob("*.yaml")) if path.is_dir() else []
        for f in files:
            if f.name.endswith(DECISIONS_SUFFIX) or f.name in ("report.yaml", DECISION_FILE):
                continue
            try:
                data, _ = read_yaml(f)
            except ReportgenError:
                continue  # a broken meeting file is `check`'s to report
            if not isinstance(data, dict) or not isinstance(data.get("committee"), str):
                continue
            members = data.get("membership")
            if isinstance(members, list) and members and all(isinstance(x, str) for x in members):
                found.setdefault(" ".join(data["committee"].split()).casefold(), list(members))
    return found


def plan_records(paths: list[Path], start: dt.date | None, end: dt.date | None, settings: Settings = DEFAULTS,
                 today: dt.date | None = None) -> Made:
    """The forward plan of each house style among the reports, dated the day it is made (the clock, or a
    later --today), its entries' first publication dates taken from the history."""
    published = clock.publication_day(today)
    start = start or published
    history = load_history(settings.history)
    prepared: list[Prepared] = []
    problems: list[Problem] = []
    for folder in find_reports(paths):
        try:
            prepared.append(prepare(folder, settings))
        except ReportgenError as exc:
            problems += exc.problems or [Problem(folder, 1, 1, "", str(exc))]
    if problems:
        raise ContentError(problems=problems)
    bodies = _bodies(paths)
    by_style: dict[str, list[Prepared]] = {}
    for p in prepared:
        date = p.report.date
        if fp.listed(p, p.profile.records.forward_plan_all_decisions) and date and date >= start \
                and (end is None or date <= end):
            by_style.setdefault(p.report.style, []).append(p)
    made = Made([], history, [])
    findings: list[Finding] = []
    for style, group in sorted(by_style.items()):
        profile = group[0].profile
        plans = sorted({pub.published for pub in history.of(FORWARD_PLAN, style) if pub.published < published})
        entries, earlier = [], {}
        for p in sorted(group, key=lambda p: (p.report.date or start, p.report.title)):
            dtype = p.report.decision_type
            ref = dtype.forward_plan_ref if dtype else None
            # The history's first plan that listed it; a history with no plan of this style yet began after
            # the earlier plans were made, so the report's notice_date stands for them.
            first = history.first_listed(style, ref) if ref and plans else \
                dtype.notice_date if dtype and dtype.notice_date and dtype.notice_date <= published else None
            if ref and first is not None and first < published and not plans:
                earlier[ref] = first  # kept in the history: later plans print the same first date
            findings += check_record(PlanContext(p, first, plans, published), "forward-plan")
            if fp.executive(p) or profile.records.forward_plan_other_decisions:
                entries.append(fp.entry(p, first or published, bodies))
                if p.report.meeting is not None and not entries[-1].members:
                    log.warning("%s: no meeting file of %s among the paths: the plan cannot list its members "
                                "(reg 9(1)(c)); run forward-plan on the content folder", p.loaded.folder,
                                p.report.meeting.committee)
        name = f"{style}/forward-plan-{published.isoformat()}"
        title = fill(profile.records.forward_plan_title, date=profile.format_date(published))
        made.records.append(Record(f"{name}.csv", "forward plan (CSV)", title, published, published, profile,
                                   data=fp.to_csv(entries, profile)))
        made.records.append(Record(f"{name}.pdf", "forward plan", title, published, published, profile,
                                   fp.layout(entries, profile)))
        made.publications.append((Publication(what=FORWARD_PLAN, key=style, published=published, sha256="0" * 64,
                                              entries=[e.ref for e in entries if e.ref], earlier=earlier),
                                  [f"{name}.csv", f"{name}.pdf"]))
    _fail_on(findings)
    return made


def forward_plan(paths: list[Path], start: dt.date | None = None, end: dt.date | None = None,
                 out: Path = Path("build/records"), settings: Settings = DEFAULTS,
                 today: dt.date | None = None) -> list[Path]:
    """Write the forward plan (CSV and tagged PDF) of every key decision under `paths` due from `start`
    (default: the day it is published), and record its publication."""
    made = plan_records(paths, start, end, settings, today)
    published = clock.publication_day(today)
    return _finish(made, out, f"forward-plan-{published.isoformat()}.json", settings)


# --------------------------------------------------------------------------- notices of a private meeting

def notice_records(path: Path, which: str, settings: Settings = DEFAULTS, today: dt.date | None = None) -> Made:
    """The 28-day or 5-day notice of a private meeting, from the meeting file as it stands, dated today."""
    published = clock.publication_day(today)
    history = load_history(settings.history)
    meeting = load_meeting(path)
    profile = load_profile(meeting.meeting.style, settings)
    further = private.KINDS[which]
    private.check_timing(meeting, further, published, history.first(PRIVATE_NOTICE["28-day"], meeting.slug))
    m, slug = meeting.meeting, meeting.slug
    what = PRIVATE_NOTICE[which]
    inputs = digest(path.read_bytes(), *(item.report.folder.joinpath("report.yaml").read_bytes()
                                         for item in meeting.items if item.report is not None))
    first, revised = dated(history, what, slug, inputs, published)
    name = f"{slug}/private-meeting-notice-{which}.pdf"
    record = Record(name, "notice of private meeting", private.private_title(meeting, profile, further), m.date,
                    first, profile, private.private_layout(meeting, profile, further, published), time=m.time,
                    venue=m.venue, revised=revised)
    return Made([record], history, [(Publication(what=what, key=slug, published=first, sha256="0" * 64,
                                                 inputs=inputs, revised=revised), [name])])


#: What the history calls each notice of a private meeting.
PRIVATE_NOTICE = {"28-day": "private meeting notice (28-day)", "5-day": "private meeting notice (5-day)"}


def private_notice(path: Path, which: str, out: Path = Path("build/records"), settings: Settings = DEFAULTS,
            today: dt.date | None = None) -> list[Path]:
    """Write the 28-day or 5-day notice of a private meeting (reg 5) and record its publication."""
    return _finish(notice_records(path, which, settings, today), out, f"{path.stem}/notice-{which}.json", settings)


# --------------------------------------------------------------------------- decision notices

def _publication(typed: dt.date | None, file: DecisionsFile, decided: dt.date, today: dt.date | None) -> dt.date:
    """The date the notices are published: the clock's (or a later --today, or a later typed `published`
    that schedules them); never before the clock, never before the decision."""
    clock_day = clock.publication_day(today)
    if typed is not None and typed < clock.today():
        raise ContentError(problems=[file.problem(("published",), (
            f"{typed.isoformat()} is before today ({clock.today().isoformat()}): the notices are dated the day "
            "they are published; remove `published` (it only schedules a later day)"))])
    published = max(clock_day, typed or clock_day)
    if published < decided:
        where = file.problem(("published",), "") if typed is not None and typed == published else \
            Problem("--today" if today is not None else clock.ENV if os.environ.get(clock.ENV) else "today",
                    1, 1, "", "")
        raise ContentError(problems=[Problem(where.file, where.line, where.col, where.key, (
            f"the decision is taken on {_when(decided)}: its notice cannot be published before it "
            f"(on {_when(published)})"))])
    return published


def _same_person(name: str, listed: str) -> bool:
    """Whether a declared name is this member: the entry without its bracketed roles, case and spacing aside."""
    def plain(text: str) -> str:
        return " ".join(re.sub(r"\([^)]*\)", " ", text).split()).casefold()
    return bool(plain(name)) and plain(name) == plain(listed)


def _interest_problems(decision: Decision, members: list[str], who: str, file: DecisionsFile,
                       base: tuple[str | int, ...]) -> list[Problem]:
    """An interest is declared by a member of the body that decided (or an executive member consulted)."""
    return [file.problem((*base, "interests", i, "name"), f"{i_.name} is not {who} ({'; '.join(members) or 'none listed'})")
            for i, i_ in enumerate(decision.interests) if not any(_same_person(i_.name, m) for m in members)]


def _exempt_problems(prepared: Prepared, decision: Decision, file: DecisionsFile,
                     base: tuple[str | int, ...], item: int | None = None) -> list[Problem]:
    if prepared.report.classification.status != "exempt":
        return []
    where = f"item {item}: " if item is not None else ""
    return [file.problem(base or ("items",) if item is not None else base, (
                f"{where}{prepared.report.title} is exempt: its public record needs {key} worded for the public "
                "(reg 13)"))
            for key in ("public_reasons", "public_alternatives") if getattr(decision, key) is None]


def _full_record(n: notices.Notice, decision: Decision, name: str, title: str, date: dt.date,
                 published: dt.date, time: str = "", venue: str = "") -> Record:
    """The full record of an exempt decision, for private/: the report's own decision, reasons and options."""
    full = notices.notice(n.prepared, decision, n.item, n.decided, n.published, full=True)
    p = n.prepared.profile
    return Record(f"{PRIVATE}/{name}", "decision record (full, exempt)", title, date, published, p,
                  notices.item_layout(full), time=time, venue=venue, private=True,
                  marking=wording.private_marking(p, n.prepared.report.classification.paragraphs))


def decision_records(path: Path, settings: Settings = DEFAULTS, today: dt.date | None = None) -> Made:
    """The decision notices of a meeting (PATH a meeting file) or of an individual decision (a report folder)."""
    history = load_history(settings.history)
    if path.is_dir():
        return _individual(path, settings, today, history)
    meeting = load_meeting(path)
    profile = load_profile(meeting.meeting.style, settings)
    m = meeting.meeting
    dpath = decisions_path(meeting.path)
    if not dpath.is_file():
        raise ContentError(problems=[Problem(meeting.path, 1, 1, "",
                                             f"no decisions file: write {dpath.name} beside the meeting file")])
    decisions, file = load_meeting_decisions(dpath)
    today_published = _publication(decisions.published, file, m.date, today)
    inputs = digest(path.read_bytes(), dpath.read_bytes())
    published, revised = dated(history, DECISIONS, meeting.slug, inputs, today_published)
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
            problems += _interest_problems(d, m.membership, f"a member of {m.committee}", file, ("items", i))
    found, findings = [], []
    prepared_items = {n: prepare_loaded(item.report, settings) for n, item in reports.items() if item.report}
    for number, prepared in prepared_items.items():
        index, decision = by_item.get(number, (-1, Decision()))
        problems += _exempt_problems(prepared, decision, file, ("items", index) if index >= 0 else (), number)
        if index >= 0:
            findings += check_record(DecisionContext(prepared, decision, file, ("items", index), published),
                                     "decision")
        found.append((notices.notice(prepared, decision, number, m.date, published), decision))
    if problems:
        raise ContentError(problems=problems)
    _fail_on(findings)
    slug, records = meeting.slug, []
    for n, decision in found:
        t = fill(n.prepared.profile.records.decision_title, title=n.title)
        name = f"{slug}/decision-item-{n.item}.pdf"
        records.append(Record(name, "decision notice", t, m.date, published, n.prepared.profile,
                              notices.item_layout(n), time=m.time, venue=m.venue, revised=revised))
        if n.exempt:
            records.append(_full_record(n, decision, name, t, m.date, published, m.time, m.venue))
    meeting_title = fill(profile.records.meeting_title, committee=m.committee, date=profile.format_date(m.date))
    records.append(Record(f"{slug}/decisions.pdf", "record of decisions", meeting_title, m.date, published, profile,
                          notices.meeting_layout([n for n, _ in found], profile), time=m.time, venue=m.venue,
                          revised=revised))
    public = [r.name for r in records if not r.private]
    return Made(records, history, [(Publication(what=DECISIONS, key=slug, published=published, sha256="0" * 64,
                                                inputs=inputs, revised=revised), public)])


def _individual(path: Path, settings: Settings, today: dt.date | None, history: History) -> Made:
    prepared = prepare(path, settings)
    if not (path / DECISION_FILE).is_file():
        raise ContentError(problems=[Problem(path / "report.yaml", 1, 1, "",
                                             f"no decision file: write {DECISION_FILE} beside the report")])
    decision, file = load_individual_decision(path / DECISION_FILE)
    decided = decision.decided or prepared.report.date or clock.today()
    today_published = _publication(decision.published, file, decided, today)
    inputs = digest((path / DECISION_FILE).read_bytes(), (path / "report.yaml").read_bytes())
    key = f"{path.name}-decision"
    published, revised = dated(history, DECISIONS, key, inputs, today_published)
    consulted = [prepared.report.decision_maker, *decision.consulted]
    problems = _interest_problems(decision, consulted, "the decision maker or an executive member consulted",
                                  file, ()) + _exempt_problems(prepared, decision, file, ())
    if problems:
        raise ContentError(problems=problems)
    n = notices.notice(prepared, decision, None, decided, published)
    _fail_on(check_record(DecisionContext(prepared, decision, file, (), published), "decision"))
    title = fill(prepared.profile.records.decision_title, title=n.title)
    records = [Record(f"{key}.pdf", "decision notice", title, decided, published, prepared.profile,
                      notices.item_layout(n), revised=revised)]
    if n.exempt:
        records.append(_full_record(n, decision, f"{key}.pdf", title, decided, published))
    return Made(records, history, [(Publication(what=DECISIONS, key=key, published=published, sha256="0" * 64,
                                                inputs=inputs, revised=revised), [f"{key}.pdf"])])


def decisions(path: Path, out: Path = Path("build/records"), settings: Settings = DEFAULTS,
              today: dt.date | None = None) -> list[Path]:
    """Write the decision notices of a meeting or an individual decision, and record their publication."""
    made = decision_records(path, settings, today)
    # a meeting's slug is its file's stem (LoadedMeeting.slug)
    name = f"{path.stem}/records.json" if not path.is_dir() else f"{path.name}-decision.json"
    return _finish(made, out, name, settings)
