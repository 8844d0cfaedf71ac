"""The benchmark baselines: `soffice --convert-to pdf` as a clerk would run it, one process per file, or
one process for every file at once (batch mode: LibreOffice's strongest simple use)."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from reportgen.errors import JobsFailed
from reportgen.pdf.libreoffice import EXPORT_FILTER, filter_json, soffice_path, without_comments
from reportgen.pdf.pool import JOB_TIMEOUT, Job, finish_job


def convert_one_per_process(jobs: list[Job]) -> None:
    """Baseline: one `soffice --convert-to pdf` process per file, sequential, no pool.

    Same export options, post-processing and checks as Converter, so the two are
    compared on equal work (and give byte-identical PDFs).
    """
    soffice = soffice_path()
    failures: list[tuple[Job, str]] = []
    with tempfile.TemporaryDirectory(prefix="reportgen-lo1-") as tmp:
        home = Path(tmp)
        profile = (home / "profile").as_uri()
        target = f"pdf:writer_pdf_Export:{filter_json(EXPORT_FILTER)}"
        for n, job in enumerate(jobs):
            if not job.docx.is_file():
                failures.append((job, "no such DOCX file"))
                continue
            outdir = home / str(n)
            outdir.mkdir()
            source = without_comments(job.docx, outdir)
            cmd = [soffice, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={profile}",
                   "--convert-to", target, "--outdir", str(outdir), str(source.resolve())]
            try:
                # check=False: soffice exits 0 even when it fails, so its PDF is judged instead.
                done = subprocess.run(cmd, capture_output=True, text=True, timeout=JOB_TIMEOUT,
                                      stdin=subprocess.DEVNULL, check=False)
            except subprocess.TimeoutExpired:
                failures.append((job, f"soffice took more than {JOB_TIMEOUT:.0f} s"))
                continue
            _finish(job, outdir / (source.stem + ".pdf"), done, failures)
    if failures:
        raise JobsFailed(failures, len(jobs))


def _finish(job: Job, raw: Path, done: subprocess.CompletedProcess[str], failures: list[tuple[Job, str]]) -> None:
    """Finish and inspect what soffice wrote for `job`, as the pool does; a failure is recorded, with
    soffice's own words when it wrote nothing (it exits 0 even when it fails)."""
    reason = finish_job(job, raw)
    if reason and not raw.is_file():
        reason = f"soffice exit {done.returncode}: {(done.stderr or done.stdout).strip()[-300:]}"
    if reason:
        failures.append((job, reason))


def convert_one_process(jobs: list[Job]) -> None:
    """Baseline: one `soffice --convert-to pdf` process converting every file, one after the other.

    Same export options, post-processing and checks as Converter (finish and inspect each PDF).
    """
    soffice = soffice_path()
    failures: list[tuple[Job, str]] = []
    with tempfile.TemporaryDirectory(prefix="reportgen-loall-") as tmp:
        home = Path(tmp)
        sources: list[tuple[Job, Path]] = []
        for n, job in enumerate(jobs):
            if not job.docx.is_file():
                failures.append((job, "no such DOCX file"))
                continue
            folder = home / "in" / str(n)
            folder.mkdir(parents=True)
            # A copy under a unique name: files of the same name must not collide in the one output folder.
            copy = home / "in" / f"{n:05d}{job.docx.suffix}"
            shutil.copyfile(without_comments(job.docx, folder), copy)
            sources.append((job, copy))
        target = f"pdf:writer_pdf_Export:{filter_json(EXPORT_FILTER)}"
        outdir = home / "out"
        cmd = [soffice, "--headless", "--norestore", "--nolockcheck",
               f"-env:UserInstallation={(home / 'profile').as_uri()}", "--convert-to", target, "--outdir",
               str(outdir), *(str(s.resolve()) for _, s in sources)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=JOB_TIMEOUT * max(1, len(sources)),
                              stdin=subprocess.DEVNULL, check=False)
        for job, source in sources:
            _finish(job, outdir / (source.stem + ".pdf"), done, failures)
    if failures:
        raise JobsFailed(failures, len(jobs))
