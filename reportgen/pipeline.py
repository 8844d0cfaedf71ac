"""The pipeline every command shares: prepare each report once, then build, check, sign or report status.

    prepare: load -> validate -> house style -> lay out   (one Prepared per report, per command)
    build:   prepare -> render DOCX -> write (-> PDF through the LibreOffice pool)
    check:   prepare -> rules
    sign:    prepare -> check -> append a bound sign-off record
    status:  prepare -> check -> matrix row

The CLI calls these functions and nothing else; publish builds on them.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.check import SEVERITIES
from reportgen.content import clock
from reportgen.content.load import REPORT_FILE, LoadedReport, find_reports, load_report
from reportgen.errors import ContentError, Problem, ReportgenError, StyleError
from reportgen.fs import fault_point, write_atomic
from reportgen.layout.arrange import arrange
from reportgen.layout.prepared import Prepared
from reportgen.parallel import fork_map, map_shared
from reportgen.style.profile import DEFAULTS, Profile, Settings, load_profile, load_profile_named, pinned_styles
from reportgen.style.sections import bind_front, bind_sections

if TYPE_CHECKING:
    from reportgen.content.meeting import LoadedMeeting
    from reportgen.check.diff import ReportDiff
    from reportgen.check.engine import ReportCheck
    from reportgen.check.signing import Signed
    from reportgen.check.status import StatusRow
    from reportgen.html.dashboard import Row

# The check engine and rules, the DOCX and HTML writers are imported where they are used: preparing a
# report needs none of them, and a republish that finds nothing changed stops after preparing.

log = logging.getLogger(__name__)


def profile_for(loaded: LoadedReport, settings: Settings = DEFAULTS) -> Profile:
    """The house style a report names; an unknown style is located at the report's `style` key."""
    profile = load_profile_named(loaded.report.style, settings, lambda why: loaded.problem(("style",), why))
    if profile.effective_rules:  # the catalogue (every rule module) is loaded only to check overrides
        from reportgen.check.catalogue import validate_overrides

        validate_overrides(profile)  # a bad rule override is the style's or project's error, whatever the command
    return profile


def check_style(name: str, settings: Settings = DEFAULTS) -> Profile:
    """`reportgen style check`: the profile (rule overrides included) and both templates; StyleError lists
    every problem, each in the file it is in."""
    from reportgen.check.catalogue import validate_overrides
    from reportgen.docx.stylecheck import check_style as check_templates

    profile, problems = check_templates(name, settings)
    problems += _check_web(profile)
    try:
        validate_overrides(profile)
    except StyleError as exc:
        if not problems:
            raise
        problems.append(Problem(profile.folder / "profile.yaml", 1, 1, "", str(exc).split(": ", 1)[1]))
    if problems:
        raise StyleError(problems=problems)
    return profile


def _check_web(profile: Profile) -> list[Problem]:
    """The web edition of a sample report of each kind, rendered from the style's data (front page,
    statements, wording) as build renders it."""
    from reportgen.html.report import report_page
    from reportgen.layout.samples import samples

    problems: list[Problem] = []
    for kind, prepared in samples(profile):
        try:
            report_page(prepared)
        except ReportgenError as exc:
            problems.append(Problem(profile.folder / "profile.yaml", 1, 1, "",
                                    f"the web edition of a sample {kind} report fails: {exc}"))
    return problems


def prepare_loaded(loaded: LoadedReport, settings: Settings = DEFAULTS) -> Prepared:
    """Lay out an already loaded report in its house style."""
    return lay_out(loaded, profile_for(loaded, settings))


def lay_out(loaded: LoadedReport, profile: Profile) -> Prepared:
    """Lay out a loaded report in the house style already found for it (profile_for)."""
    loaded = bind_sections(loaded, profile)  # the style's own sections, typed by the kind it declares
    loaded = bind_front(loaded, profile)  # and its own front-page fields, typed by the type it declares
    return Prepared(loaded, profile, arrange(loaded, profile))


def prepare(folder: Path, settings: Settings = DEFAULTS) -> Prepared:
    """Load, validate and lay out one report folder; every problem in it is raised together."""
    return prepare_loaded(load_report(folder), settings)


def render_report(folder: Path, settings: Settings = DEFAULTS, draft: bool = False) -> tuple[LoadedReport, bytes]:
    """Prepare and render one report folder to DOCX bytes (nothing is written)."""
    from reportgen.docx.render import render

    prepared = prepare(folder, settings)
    return prepared.loaded, render(prepared, draft)


# --------------------------------------------------------------------------- build

@dataclass
class Built:
    """One report's rendered output, held in memory until every report has been validated."""

    source: Path
    target: Path
    docx: bytes
    style: str
    seconds: float
    title: str = ""
    date: "dt.date | None" = None
    author: str = ""
    html: str | None = None  # the web edition, when asked for; written beside the DOCX


@dataclass
class BuildResult:
    """What build() wrote, and which reports failed with which problems."""

    built: list[Built]
    failures: list[tuple[Path, ReportgenError]]

    @property
    def ok(self) -> bool:
        return not self.failures


def output_path(folder: Path, out: Path, roots: list[Path]) -> Path:
    """Mirror the content tree: content/examples/x/ -> build/examples/x.docx.

    Folders under ./content mirror from there; others from the path they were found under.
    """
    folder = folder.resolve()
    for root in [Path("content"), *roots]:
        root = root.resolve()
        if root in folder.parents:
            return out / folder.relative_to(root).with_suffix(".docx")
    return out / f"{folder.name}.docx"


def build(paths: list[Path] | None = None, out: Path = Path("build"), settings: Settings = DEFAULTS,
          draft: bool = False, html: bool = False) -> BuildResult:
    """Build every report under `paths` (default content/) into `out`.

    Every report is validated and rendered in memory first; only reports without
    problems are written, each atomically. Failures are returned, not raised,
    so one broken report does not hide the problems of another. With `html`, each report's web
    edition is written beside its DOCX, from the same layout.
    """
    from reportgen.docx.render import render

    if html:  # the web page's writer (and its templates) only when it is asked for
        from reportgen.html.report import report_page
    paths = paths or [Path("content")]
    roots = [p.parent for p in paths]
    built: list[Built] = []
    failures: list[tuple[Path, ReportgenError]] = []
    for folder in find_reports(paths):
        start = time.perf_counter()
        try:
            prepared = prepare(folder, settings)
            data = render(prepared, draft)
            page = report_page(prepared) if html else None
        except ReportgenError as exc:
            failures.append((folder, exc))
            continue
        r = prepared.report
        built.append(Built(folder, output_path(folder, out, roots), data, r.style, time.perf_counter() - start,
                           r.title, r.publication_date or r.date, prepared.profile.council, page))
    built, clashes = _distinct_targets(_mirror_clashes(built, out))
    failures += clashes
    fault_point("build-write")
    for item in built:
        write_atomic(item.target, item.docx)
        if item.html is not None:
            write_atomic(item.target.with_suffix(".html"), item.html.encode("utf-8"))
        log.info("built %s", item.target)
    return BuildResult(built, failures)


def _mirror_clashes(built: list[Built], out: Path) -> list[Built]:
    """Report folders with one name given apart (`build a/r b/r`) would each build to out/r.docx: those
    mirror the tree below the folder they share instead (out/a/r.docx, out/b/r.docx). Every other report
    keeps its name, so adding a report elsewhere never renames the rest."""
    by_target: dict[Path, list[Built]] = {}
    for item in built:
        by_target.setdefault(item.target.resolve(), []).append(item)
    for items in (items for items in by_target.values() if len(items) > 1):
        sources = [item.source.resolve() for item in items]
        common = Path(os.path.commonpath([source.parent for source in sources]))
        for item, source in zip(items, sources):
            item.target = out / source.relative_to(common).with_suffix(".docx")
    return built


def _distinct_targets(built: list[Built]) -> tuple[list[Built], list[tuple[Path, ReportgenError]]]:
    """Two reports that would still write one file (the same folder reached twice): neither is written."""
    by_target: dict[Path, list[Built]] = {}
    for item in built:
        by_target.setdefault(item.target.resolve(), []).append(item)
    keep: list[Built] = []
    clashes: list[tuple[Path, ReportgenError]] = []
    for items in by_target.values():
        if len(items) == 1:
            keep.extend(items)
            continue
        for item in items:
            others = ", ".join(str(o.source) for o in items if o is not item)
            clashes.append((item.source, ContentError(problems=[Problem(
                item.source / REPORT_FILE, 1, 1, "",
                f"builds to the same output {item.target} as {others}; build them into separate --out folders")])))
    return keep, clashes


def build_pdfs(result: BuildResult, workers: int | None = None,
               done: Callable[[Path], None] | None = None, settings: Settings = DEFAULTS) -> list[Path]:
    """Export a PDF next to each built DOCX through the LibreOffice pool (or the warm server, when
    `settings.server`); each is checked for tags. `done` is called with each PDF as it is written (progress)."""
    from reportgen.pdf.job import Job
    from reportgen.pdf.server import open_converter  # LibreOffice is needed only here

    jobs = [Job(b.target, b.target.with_suffix(".pdf"), b.title, b.date, b.author) for b in result.built]
    converter = open_converter(settings, workers)
    try:
        converter.convert(jobs, None if done is None else (lambda job: done(job.pdf)))
    finally:
        converter.close()
    return [job.pdf for job in jobs]


# --------------------------------------------------------------------------- check

def check_report(folder: Path, today: dt.date | None = None, settings: Settings = DEFAULTS,
                 severities: frozenset[str] = frozenset(SEVERITIES)) -> ReportCheck:
    """Prepare and check one report folder; a report that cannot be prepared is `unusable`."""
    from reportgen.check.engine import unusable

    try:
        loaded = load_report(folder)
    except ReportgenError as exc:
        return unusable(folder, exc)
    return check_loaded(loaded, today, settings, severities)


def check_loaded(loaded: LoadedReport, today: dt.date | None = None, settings: Settings = DEFAULTS,
                 severities: frozenset[str] = frozenset(SEVERITIES)) -> ReportCheck:
    """Prepare and check a report already loaded (a meeting's reports are loaded with the meeting)."""
    from reportgen.check.engine import check_prepared, unusable

    try:
        prepared = prepare_loaded(loaded, settings)
    except ReportgenError as exc:
        return unusable(loaded.folder, exc, loaded)
    return check_prepared(prepared, today or clock.today(), severities)


def check_folders(folders: list[Path], today: dt.date | None = None, settings: Settings = DEFAULTS,
                  workers: int | None = None,
                  severities: frozenset[str] = frozenset(SEVERITIES)) -> list[ReportCheck]:
    """Check the given report folders, results in the same order."""
    from reportgen.check.rules import warm_up

    today = today or clock.today()
    with pinned_styles():
        return fork_map(check_report, [(f, today, settings, severities) for f in folders], workers, minimum=24,
                        prepare=lambda: warm_up(severities))


def check(paths: list[Path] | None = None, today: dt.date | None = None,
          settings: Settings = DEFAULTS, workers: int | None = None) -> list[ReportCheck]:
    """Check every report under `paths` (default content/), in parallel when there are many.

    A meeting file among the paths is checked as a meeting: the agenda itself, then each report on it."""
    paths = paths or [Path("content")]
    meetings = [p for p in paths if is_meeting_file(p)]
    results = [r for m in meetings for r in check_meeting_file(m, today, settings, workers)]
    others = [p for p in paths if p not in meetings]
    return results + (check_folders(reports_in(others), today, settings, workers) if others else [])


def is_meeting_file(path: Path) -> bool:
    return path.is_file() and path.suffix in (".yaml", ".yml") and path.name != REPORT_FILE


@dataclass
class MeetingFile:
    """A meeting file as status and check read it: loaded once with every report it names, or why not."""

    path: Path
    meeting: LoadedMeeting | None = None
    profile: Profile | None = None
    error: ReportgenError | None = None

    @property
    def reports(self) -> list[LoadedReport]:
        """Each report on the agenda once (a report listed twice is RG603's to report), as loaded."""
        found = {os.path.normpath(i.report.folder): i.report for i in (self.meeting.items if self.meeting else [])
                 if i.report is not None}
        return list(found.values())


def read_meeting(path: Path, settings: Settings = DEFAULTS, today: dt.date | None = None) -> MeetingFile:
    """The meeting and its style; with `today`, its agenda dated as a publish that day would date it."""
    from reportgen.content.meeting import load_meeting  # a report's commands need no meeting model

    try:
        meeting = load_meeting(path)
        if today is not None:
            date_agenda(meeting, settings, today)
        return MeetingFile(path, meeting, load_profile(meeting.meeting.style, settings))
    except ReportgenError as exc:
        return MeetingFile(path, error=exc)


def date_agenda(meeting: LoadedMeeting, settings: Settings, today: dt.date) -> None:
    """The agenda's publication date as a fact: when the history says it was first published, else the
    typed date while that is still ahead, else today (a typed date already past cannot come true), so
    that RG601 reports an agenda whose deadline has passed without an urgency statement."""
    from reportgen.content.history import load_history

    first = load_history(settings.history).first("agenda", meeting.slug)
    date = first or max(meeting.meeting.publication_date, today)
    meeting.meeting = meeting.meeting.model_copy(update={"publication_date": date})


def check_meeting_file(path: Path, today: dt.date | None = None, settings: Settings = DEFAULTS,
                       workers: int | None = None) -> list[ReportCheck]:
    """The meeting's own findings (as one result named after the file), then each report on its agenda,
    each loaded once, with the meeting."""
    from reportgen.check.engine import ReportCheck, unusable
    from reportgen.check.meeting import check_meeting
    from reportgen.check.rules import warm_up

    today = today or clock.today()
    found = read_meeting(path, settings, today)
    if found.meeting is None or found.profile is None:
        assert found.error is not None
        return [unusable(path, found.error)]
    m = found.meeting.meeting
    own = ReportCheck(path, f"{m.committee}, {m.date.isoformat()}", m.style, check_meeting(found.meeting, found.profile))
    severities = frozenset(SEVERITIES)
    with pinned_styles():
        return [own, *map_shared(check_loaded, found.reports, (today, settings, severities), workers, minimum=24,
                                 prepare=lambda: warm_up(severities))]


def reports_in(paths: list[Path] | None) -> list[Path]:
    """The report folders under `paths` (default content/); a path holding no report is an input error,
    so that a pipeline checking the wrong folder does not read "0 reports" as success."""
    paths = paths or [Path("content")]
    found = {p: find_reports([p]) for p in paths}  # each folder walked once
    empty = [p for p, reports in found.items() if p.is_dir() and not reports]
    if empty:
        raise ContentError(problems=[Problem(p, 1, 1, "", "no report.yaml found here") for p in empty])
    if len(found) == 1:  # already sorted and without duplicates: a second pass would only stat them all again
        return next(iter(found.values()))
    return find_reports([r for reports in found.values() for r in reports])


# --------------------------------------------------------------------------- sign-off and status

def sign(folder: Path, role: str, name: str, date: dt.date | None = None, settings: Settings = DEFAULTS,
         strict: bool = False, today: dt.date | None = None, key: Path | None = None,
         signer: str | None = None, reason: str | None = None) -> Signed:
    """Record a sign-off for `role`, bound to the report's current content (history is kept); with `key`,
    SSH-signed; `reason` explains a date well before today."""
    from reportgen.check.signing import sign_prepared

    prepared = prepare(folder, settings)  # only valid content can be signed off
    today = today or clock.today()
    return sign_prepared(prepared, role, name, date or today, today, strict, key, signer, reason)


def diff(folder: Path, role: str | None = None, settings: Settings = DEFAULTS, first: int | None = None,
         second: int | None = None) -> ReportDiff:
    """What changed, section by section and word by word, since the latest sign-off (of `role`), or between
    two sign-off records."""
    from reportgen.check.diff import diff_prepared

    return diff_prepared(prepare(folder, settings), role, first, second)


def status(paths: list[Path] | None = None, today: dt.date | None = None,
           settings: Settings = DEFAULTS) -> list[StatusRow]:
    """One row per report: deadline, check errors and warnings, required sections, sign-offs done, missing or
    stale. A meeting file gives the meeting's own row (the agenda's deadline and findings), then its reports'."""
    from reportgen.check.status import status_row, unusable_row

    today = today or clock.today()
    rows = []
    for item in _units(paths):
        if is_meeting_file(item):
            rows += _meeting_rows(read_meeting(item, settings, today), today, settings)
            continue
        try:
            prepared = prepare(item, settings)
        except ReportgenError as exc:
            rows.append(unusable_row(item, exc))
            continue
        rows.append(status_row(prepared, today))
    return rows


def _units(paths: list[Path] | None) -> list[Path]:
    """Meeting files as given, then the report folders under the other paths."""
    paths = paths or [Path("content")]
    meetings = [p for p in paths if is_meeting_file(p)]
    others = [p for p in paths if p not in meetings]
    return meetings + (reports_in(others) if others else [])


def _meeting_rows(found: MeetingFile, today: dt.date, settings: Settings) -> list[StatusRow]:
    from reportgen.check.meeting import check_meeting
    from reportgen.check.status import meeting_row, status_row, unusable_row

    if found.meeting is None or found.profile is None:
        assert found.error is not None
        return [unusable_row(found.path, found.error)]
    rows = [meeting_row(found.meeting, found.profile, check_meeting(found.meeting, found.profile), today)]
    for loaded in found.reports:
        try:
            rows.append(status_row(prepare_loaded(loaded, settings), today))
        except ReportgenError as exc:
            rows.append(unusable_row(loaded.folder, exc))
    return rows


def dashboard_row(prepared: Prepared, today: dt.date, path: Path | None = None,
                  result: ReportCheck | None = None) -> Row:
    """One report's dashboard line: its status row and every finding (all severities) of its checks."""
    from reportgen.check.engine import check_prepared
    from reportgen.check.status import status_row
    from reportgen.html.dashboard import FindingLine, Row, Signoff

    result = result or check_prepared(prepared, today)
    status = status_row(prepared, today, result)
    signoffs = []
    for role, state in status.signoffs.items():
        who, when = status.signers.get(role, ("", None))
        signoffs.append(Signoff(role, state, who, prepared.profile.format_date(when) if when else ""))
    findings = [FindingLine(f.severity, f.rule, f.message, f.hint, f"{f.file}:{f.line}:{f.col}")
                for f in result.findings]
    return Row(str(path or status.path), status.title, status.style, status.date.isoformat() if status.date else "",
               status.deadline.isoformat() if status.deadline else "", status.days_left, status.sections,
               signoffs, findings)


def dashboard(paths: list[Path] | None = None, today: dt.date | None = None,
              settings: Settings = DEFAULTS) -> tuple[str, list[StatusRow]]:
    """The governance dashboard page for every report under `paths` (default content/), with the
    status rows it shows (for the exit code): each report is prepared and checked once. A meeting file
    gives the meeting's own line, then its reports'."""
    from reportgen.check.engine import check_prepared
    from reportgen.check.meeting import check_meeting
    from reportgen.check.status import meeting_row, status_row, unusable_row
    from reportgen.html.dashboard import FindingLine, Row, dashboard_page

    today = today or clock.today()
    rows, statuses = [], []

    def unreadable(path: Path, exc: ReportgenError) -> None:
        rows.append(Row(str(path), error=str(exc.problems[0]) if exc.problems else str(exc)))
        statuses.append(unusable_row(path, exc))

    def add(loaded: LoadedReport | Path) -> None:
        try:
            prepared = prepare(loaded, settings) if isinstance(loaded, Path) else prepare_loaded(loaded, settings)
        except ReportgenError as exc:
            unreadable(loaded if isinstance(loaded, Path) else loaded.folder, exc)
            return
        result = check_prepared(prepared, today)
        statuses.append(status_row(prepared, today, result))
        rows.append(dashboard_row(prepared, today, prepared.loaded.folder, result))

    for item in _units(paths):
        if not is_meeting_file(item):
            add(item)
            continue
        found = read_meeting(item, settings, today)
        if found.meeting is None or found.profile is None:
            assert found.error is not None
            unreadable(item, found.error)
            continue
        findings = check_meeting(found.meeting, found.profile)
        own = meeting_row(found.meeting, found.profile, findings, today)
        statuses.append(own)
        rows.append(Row(str(item), own.title, own.style, own.date.isoformat() if own.date else "",
                        own.deadline.isoformat() if own.deadline else "", own.days_left, {}, [],
                        [FindingLine(f.severity, f.rule, f.message, f.hint, f"{f.file}:{f.line}:{f.col}")
                         for f in findings]))
        for loaded in found.reports:
            add(loaded)
    return dashboard_page(rows, today), statuses
