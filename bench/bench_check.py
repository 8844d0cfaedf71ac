"""Time to check 500 reports (copies of the examples), end to end in one process call of check().

Target (issue 3): 2 s or less on a 2-core machine. Python start-up and imports are excluded.

    .venv/bin/python bench/bench_check.py [--reports 500] [--workers N]
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

from reportgen.check.output import summary
from reportgen.pipeline import check
from reportgen.content.load import find_reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--source", type=Path, default=Path("content/examples"))
    args = parser.parse_args()
    examples = find_reports([args.source])
    root = Path(tempfile.mkdtemp(prefix="reportgen-check-bench-"))
    for i in range(args.reports):
        shutil.copytree(examples[i % len(examples)], root / f"r{i:04d}")
    today = dt.date(2026, 11, 21)
    check([examples[0]], today)  # warm-up: imports, rule catalogue, profiles, dictionaries
    start = time.perf_counter()
    results = check([root], today)
    seconds = time.perf_counter() - start
    s = summary(results)
    print(f"checked {s['reports']} reports in {seconds:.2f} s ({seconds / s['reports'] * 1000:.1f} ms each; "
          f"{s['errors']} errors, {s['warnings']} warnings) (target <= 2 s: {'met' if seconds <= 2 else 'NOT met'})")
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
