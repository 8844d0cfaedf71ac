"""Benchmark: DOCX -> PDF with the warm LibreOffice pool vs one soffice process per file.

    .venv/bin/python bench/bench_pdf.py                 # 30 files, one worker per core
    .venv/bin/python bench/bench_pdf.py --files 60 --workers 2

The files are copies of the example reports (content/examples, rendered once),
cycled to --files. Both paths do the same work per file: export with the same
FilterData, then finish (metadata) and inspect with pikepdf, then write. The pool
time includes starting the pool (cold start), so the ratio is what a
`reportgen build --pdf` run would see.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from reportgen.pipeline import profile_for, render_report
from reportgen.pdf.baseline import convert_one_per_process
from reportgen.pdf.pool import Converter, Job
from reportgen.errors import ReportgenError
from reportgen.content.load import find_reports

ROOT = Path(__file__).resolve().parent.parent


def example_docx(folder: Path) -> list[tuple[bytes, str, dt.date | None, str]]:
    """(docx bytes, title, date, council) for every example report that builds."""
    out = []
    for report in find_reports([folder]):
        try:
            loaded, data = render_report(report)
        except ReportgenError as exc:
            print(f"skipped {report}: {exc}", file=sys.stderr)
            continue
        r = loaded.report
        out.append((data, r.title, r.publication_date or r.date, profile_for(loaded).council))
    return out


def make_jobs(examples: list[tuple[bytes, str, dt.date | None, str]], count: int, src: Path, dst: Path) -> list[Job]:
    jobs = []
    for n in range(count):
        data, title, date, council = examples[n % len(examples)]
        docx = src / f"report-{n:03d}.docx"
        docx.write_bytes(data)
        jobs.append(Job(docx, dst / f"report-{n:03d}.pdf", title, date, council))
    return jobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=30, help="number of DOCX files to convert (default 30)")
    parser.add_argument("--workers", type=int, default=None, help="pool size (default: one per core)")
    parser.add_argument("--examples", type=Path, default=ROOT / "content" / "examples")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")

    examples = example_docx(args.examples)
    if not examples:
        sys.exit(f"no example report under {args.examples} builds")
    workers = args.workers or os.cpu_count() or 1
    tmp = Path(tempfile.mkdtemp(prefix="reportgen-bench-pdf-"))
    try:
        src = tmp / "docx"
        src.mkdir()
        pool_jobs = make_jobs(examples, args.files, src, tmp / "pool")
        base_jobs = [Job(j.docx, tmp / "baseline" / j.pdf.name, j.title, j.date, j.author) for j in pool_jobs]

        start = time.perf_counter()
        with Converter(workers) as conv:
            conv.convert(pool_jobs[:1])
            started = time.perf_counter()
            conv.convert(pool_jobs[1:])
            warm = time.perf_counter() - started
        pool = time.perf_counter() - start  # start-up, conversions and shutdown
        cold_first = started - start

        start = time.perf_counter()
        convert_one_per_process(base_jobs)
        baseline = time.perf_counter() - start

        same = sum(a.pdf.read_bytes() == b.pdf.read_bytes() for a, b in zip(pool_jobs, base_jobs))
        n = args.files
        print(f"LibreOffice PDF export of {n} DOCX files ({len(examples)} distinct examples), "
              f"{os.cpu_count()} cores")
        print(f"  warm pool, {workers} worker(s):  {pool:7.2f} s total  ({pool / n:.3f} s/file; "
              f"start-up + first file {cold_first:.2f} s, remaining {n - 1} files {warm:.2f} s)")
        print(f"  one soffice per file:       {baseline:7.2f} s total  ({baseline / n:.3f} s/file)")
        print(f"  speed-up: {baseline / pool:.1f}x  (warm pool after start-up: {baseline / n / (warm / max(n - 1, 1)):.1f}x "
              f"per file)")
        print(f"  byte-identical PDFs from both paths: {same}/{n}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
