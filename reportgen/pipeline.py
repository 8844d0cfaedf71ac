"""The build pipeline: load -> validate -> lay out -> render -> write, for every report found."""
from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from reportgen.errors import ContentError, ReportgenError
from reportgen.layout.arrange import arrange
from reportgen.content.load import LoadedReport, find_reports, load_report
from reportgen.fs import write_atomic
from reportgen.style.profile import Profile, load_profile
from reportgen.docx.render import render

log = logging.getLogger(__name__)


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


@dataclass
class BuildResult:
    """What build() wrote, and which reports failed with which problems."""

    built: list[Built]
    failures: list[tuple[Path, ReportgenError]]

    @property
    def ok(self) -> bool:
        return not self.failures


def profile_for(loaded: LoadedReport, styles: list[Path] | None = None) -> Profile:
    """The house style a report names; an unknown style is located at the report's `style` key."""
    try:
        return load_profile(loaded.report.style, styles)
    except ReportgenError as exc:
        if exc.problems:
            raise
        raise ContentError(problems=[loaded.problem(("style",), str(exc))]) from exc


def render_report(folder: Path, styles: list[Path] | None = None, draft: bool = False) -> tuple[LoadedReport, bytes]:
    """Load, validate, lay out and render one report folder to DOCX bytes (nothing is written)."""
    loaded = load_report(folder)
    profile = profile_for(loaded, styles)
    layout = arrange(loaded, profile)
    return loaded, render(loaded, profile, layout, draft)


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


def build(paths: list[Path] | None = None, out: Path = Path("build"), styles: list[Path] | None = None,
          draft: bool = False) -> BuildResult:
    """Build every report under `paths` (default content/) into `out`.

    Every report is validated and rendered in memory first; only reports without
    problems are written, each atomically. Failures are returned, not raised,
    so one broken report does not hide the problems of another.
    """
    paths = paths or [Path("content")]
    roots = [p.parent for p in paths]
    built: list[Built] = []
    failures: list[tuple[Path, ReportgenError]] = []
    for folder in find_reports(paths):
        start = time.perf_counter()
        try:
            loaded, data = render_report(folder, styles, draft)
        except ReportgenError as exc:
            failures.append((folder, exc))
            continue
        r = loaded.report
        built.append(Built(folder, output_path(folder, out, roots), data, r.style, time.perf_counter() - start,
                           r.title, r.publication_date or r.date, profile_for(loaded, styles).council))
    for item in built:
        write_atomic(item.target, item.docx)
        log.info("built %s", item.target)
    return BuildResult(built, failures)


def build_pdfs(result: BuildResult, workers: int | None = None) -> list[Path]:
    """Export a PDF next to each built DOCX through the LibreOffice pool; each is checked for tags."""
    from reportgen.pdf.pool import Converter, Job

    jobs = [Job(b.target, b.target.with_suffix(".pdf"), b.title, b.date, b.author) for b in result.built]
    with Converter(workers) as converter:
        converter.convert(jobs)
    return [job.pdf for job in jobs]
