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

from reportgen.check.registry import SEVERITIES, validate_overrides
from reportgen.content.load import REPORT_FILE, LoadedReport, find_reports, load_report
from reportgen.errors import ContentError, Problem, ReportgenError, StyleError
from reportgen.fs import fault_point, write_atomic
from reportgen.layout.arrange import arrange
from reportgen.layout.prepared import Prepared
from reportgen.parallel import fork_map
from reportgen.style.profile import Profile, Styles, load_profile, load_profile_named
from reportgen.style.sections import bind_sections

if TYPE_CHECKING:
    from reportgen.check.diff import ReportDiff
    from reportgen.check.engine import ReportCheck
    from reportgen.check.signing import Signed
    from reportgen.check.status import StatusRow
    from reportgen.html.dashboard import Row

# The check engine and rules, the DOCX and HTML writers are imported where they are used: preparing a
# report needs none of them, and a republish that finds nothing changed stops after preparing.

log = logging.getLogger(__name__)


def profile_for(loaded: LoadedReport, styles: Styles = None) -> Profile:
    """The house style a report names; an unknown style is located at the report's `style` key."""
    profile = load_profile_named(loaded.report.style, styles, lambda why: loaded.problem(("style",), why))
    validate_overrides(profile)  # a bad rule override is the style's error, whatever the command
    return profile


def check_style(name: str, styles: Styles = None) -> Profile:
    """`reportgen style check`: the profile (rule overrides included) and both templates; StyleError lists
    every problem, each in the file it is in."""
    from reportgen.docx.stylecheck import check_style as check_templates

    profile, problems = check_templates(name, styles)
    try:
        validate_overrides(profile)
    except StyleError as exc:
        if not problems:
            raise
        problems.append(Problem(profile.folder / "profile.yaml", 1, 1, "", str(exc).split(": ", 1)[1]))
    if problems:
        raise StyleError(problems=problems)
    return profile


def prepare_loaded(loaded: LoadedReport, styles: Styles = None) -> Prepared:
    """Lay out an already loaded report in its house style."""
    profile = profile_for(loaded, styles)
    loaded = bind_sections(loaded, profile)  # the style's own sections, typed by the kind it declares
    return Prepared(loaded, profile, arrange(loaded, profile))


def prepare(folder: Path, styles: Styles = None) -> Prepared:
    """Load, validate and lay out one report folder; every problem in it is raised together."""
    return prepare_loaded(load_report(folder), styles)


def render_report(folder: Path, styles: Styles = None, draft: bool = False) -> tuple[LoadedReport, bytes]:
    """Prepare and render one report folder to DOCX bytes (nothing is written)."""
    from reportgen.docx.render import render

    prepared = prepare(folder, styles)
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


def build(paths: list[Path] | None = None, out: Path = Path("build"), styles: Styles = None,
          draft: bool = False, html: bool = False) -> BuildResult:
    """Build every report under `paths` (default content/) into `out`.

    Every report is validated and rendered in memory first; only reports without
    problems are written, each atomically. Failures are returned, not raised,
    so one broken report does not hide the problems of another. With `html`, each report's web
    edition is written beside its DOCX, from the same layout.
    """
    from reportgen.docx.render import render
    from reportgen.html.report import report_page

    paths = paths or [Path("content")]
    roots = [p.parent for p in paths]
    built: list[Built] = []
    failures: list[tuple[Path, ReportgenError]] = []
    for folder in find_reports(paths):
        start = time.perf_counter()
        try:
            prepared = prepare(folder, styles)
            data = render(prepared, draft)
            page = report_page(prepared) if html else None
        except ReportgenError as exc:
            failures.append((folder, exc))
            continue
        r = prepared.report
        built.append(Built(folder, output_path(folder, out, roots), data, r.style, time.perf_counter() - start,
                           r.title, r.publication_date or r.date, prepared.profile.council, page))
    built, clashes = _distinct_targets(built)
    failures += clashes
    fault_point("build-write")
    for item in built:
        write_atomic(item.target, item.docx)
        if item.html is not None:
            write_atomic(item.target.with_suffix(".html"), item.html.encode("utf-8"))
        log.info("built %s", item.target)
    return BuildResult(built, failures)


def _distinct_targets(built: list[Built]) -> tuple[list[Built], list[tuple[Path, ReportgenError]]]:
    """Two report folders with one name (a/r, b/r) would write one file: neither is written."""
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
               done: Callable[[Path], None] | None = None) -> list[Path]:
    """Export a PDF next to each built DOCX through the LibreOffice pool; each is checked for tags.
    `done` is called with each PDF as it is written (progress)."""
    from reportgen.pdf.pool import Converter, Job  # LibreOffice is needed only here

    jobs = [Job(b.target, b.target.with_suffix(".pdf"), b.title, b.date, b.author) for b in result.built]
    with Converter(workers) as converter:
        converter.convert(jobs, None if done is None else (lambda job: done(job.pdf)))
    return [job.pdf for job in jobs]


# --------------------------------------------------------------------------- check

def check_report(folder: Path, today: dt.date | None = None, styles: Styles = None,
                 severities: frozenset[str] = frozenset(SEVERITIES)) -> ReportCheck:
    """Prepare and check one report folder; a report that cannot be prepared is `unusable`."""
    from reportgen.check.engine import check_prepared, unusable

    loaded = None
    try:
        loaded = load_report(folder)
        prepared = prepare_loaded(loaded, styles)
    except ReportgenError as exc:
        return unusable(folder, exc, loaded)
    return check_prepared(prepared, today or dt.date.today(), severities)


def check_folders(folders: list[Path], today: dt.date | None = None, styles: Styles = None,
                  workers: int | None = None,
                  severities: frozenset[str] = frozenset(SEVERITIES)) -> list[ReportCheck]:
    """Check the given report folders, results in the same order."""
    from reportgen.check.rules import warm_up

    today = today or dt.date.today()
    return fork_map(check_report, [(f, today, styles, severities) for f in folders], workers, minimum=24,
                    prepare=lambda: warm_up(severities))


def check(paths: list[Path] | None = None, today: dt.date | None = None,
          styles: Styles = None, workers: int | None = None) -> list[ReportCheck]:
    """Check every report under `paths` (default content/), in parallel when there are many.

    A meeting file among the paths is checked as a meeting: the agenda itself, then each report on it."""
    paths = paths or [Path("content")]
    meetings = [p for p in paths if is_meeting_file(p)]
    results = [r for m in meetings for r in check_meeting_file(m, today, styles, workers)]
    others = [p for p in paths if p not in meetings]
    return results + (check_folders(reports_in(others), today, styles, workers) if others else [])


def is_meeting_file(path: Path) -> bool:
    return path.is_file() and path.suffix in (".yaml", ".yml") and path.name != REPORT_FILE


def check_meeting_file(path: Path, today: dt.date | None = None, styles: Styles = None,
                       workers: int | None = None) -> list[ReportCheck]:
    """The meeting's own findings (as one result named after the file), then each report on its agenda."""
    from reportgen.check.engine import ReportCheck, unusable
    from reportgen.check.meeting import check_meeting
    from reportgen.content.meeting import load_meeting

    try:
        meeting = load_meeting(path)
        profile = load_profile(meeting.meeting.style, styles)
    except ReportgenError as exc:
        return [unusable(path, exc)]
    m = meeting.meeting
    own = ReportCheck(path, f"{m.committee}, {m.date.isoformat()}", m.style, check_meeting(meeting, profile))
    folders = list(dict.fromkeys(Path(os.path.normpath(item.report.folder))
                                 for item in meeting.items if item.report is not None))
    return [own, *check_folders(folders, today, styles, workers)]


def reports_in(paths: list[Path] | None) -> list[Path]:
    """The report folders under `paths` (default content/); a path holding no report is an input error,
    so that a pipeline checking the wrong folder does not read "0 reports" as success."""
    paths = paths or [Path("content")]
    found = {p: find_reports([p]) for p in paths}  # each folder walked once
    empty = [p for p, reports in found.items() if p.is_dir() and not reports]
    if empty:
        raise ContentError(problems=[Problem(p, 1, 1, "", "no report.yaml found here") for p in empty])
    return find_reports([r for reports in found.values() for r in reports])


# --------------------------------------------------------------------------- sign-off and status

def sign(folder: Path, role: str, name: str, date: dt.date | None = None, styles: Styles = None,
         strict: bool = False, today: dt.date | None = None, key: Path | None = None,
         signer: str | None = None) -> Signed:
    """Record a sign-off for `role`, bound to the report's current content (history is kept); with `key`,
    SSH-signed."""
    from reportgen.check.signing import sign_prepared

    prepared = prepare(folder, styles)  # only valid content can be signed off
    today = today or dt.date.today()
    return sign_prepared(prepared, role, name, date or today, today, strict, key, signer)


def diff(folder: Path, role: str | None = None, styles: Styles = None, first: int | None = None,
         second: int | None = None) -> ReportDiff:
    """What changed, section by section and word by word, since the latest sign-off (of `role`), or between
    two sign-off records."""
    from reportgen.check.diff import diff_prepared

    return diff_prepared(prepare(folder, styles), role, first, second)


def status(paths: list[Path] | None = None, today: dt.date | None = None, styles: Styles = None) -> list[StatusRow]:
    """One row per report: deadline, check errors and warnings, required sections, sign-offs done, missing or stale."""
    from reportgen.check.status import status_row, unusable_row

    today = today or dt.date.today()
    rows = []
    for folder in reports_in(paths):
        try:
            prepared = prepare(folder, styles)
        except ReportgenError as exc:
            rows.append(unusable_row(folder, exc))
            continue
        rows.append(status_row(prepared, today))
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
              styles: Styles = None) -> tuple[str, list[StatusRow]]:
    """The governance dashboard page for every report under `paths` (default content/), with the
    status rows it shows (for the exit code): each report is prepared and checked once."""
    from reportgen.check.engine import check_prepared
    from reportgen.check.status import status_row, unusable_row
    from reportgen.html.dashboard import Row, dashboard_page

    today = today or dt.date.today()
    rows, statuses = [], []
    for folder in reports_in(paths):
        try:
            prepared = prepare(folder, styles)
        except ReportgenError as exc:
            rows.append(Row(str(folder), error=str(exc.problems[0]) if exc.problems else str(exc)))
            statuses.append(unusable_row(folder, exc))
            continue
        result = check_prepared(prepared, today)
        statuses.append(status_row(prepared, today, result))
        rows.append(dashboard_row(prepared, today, folder, result))
    return dashboard_page(rows, today), statuses
