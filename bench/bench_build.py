"""Median time to build one report's DOCX (load, validate, lay out, render, save), per example.

Python start-up and imports are excluded: everything is timed in-process after one warm-up
build. Target (issue 2): 50 ms or less per report on a 2-core machine.

    .venv/bin/python bench/bench_build.py [--runs 20] [PATHS...]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from reportgen.pipeline import render_report
from reportgen.content.load import find_reports
from reportgen.fs import write_atomic


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[Path("content/examples")])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    folders = find_reports(args.paths)
    out = Path(tempfile.mkdtemp(prefix="reportgen-bench-"))
    all_times = []
    for folder in folders:
        render_report(folder)  # warm-up: imports, template and profile caches
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            loaded, data = render_report(folder)
            write_atomic(out / f"{folder.name}.docx", data)
            times.append(time.perf_counter() - start)
        all_times += times
        print(f"{statistics.median(times) * 1000:7.1f} ms  {folder}")
    median = statistics.median(all_times) * 1000
    print(f"median build time per report: {median:.1f} ms over {len(folders)} reports x {args.runs} runs "
          f"(target <= 50 ms: {'met' if median <= 50 else 'NOT met'})")


if __name__ == "__main__":
    main()
