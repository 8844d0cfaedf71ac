"""A large council's year: 3,000 ten-page reports across 150 meetings, checked and published on one machine.

Each meeting's 20 reports are checked in full (`check`, every rule, as governance officers run it) and
the meeting is published (gate, DOCX, PDF, front sheet, packs, manifests), one meeting after another
through one LibreOffice pool. Prints the total time, the time per report, peak memory, and the time
at 750, 1,500 and 3,000 reports with the cost per report of each stretch, to show it stays flat.
Generating the content is not timed.

    .venv/bin/python bench/bench_scale.py [--scale 1.0] [--per-meeting 20] [--paragraphs 42]

--scale 0.1 runs a tenth of the year (15 meetings, 300 reports) with the same milestones scaled.
"""
from __future__ import annotations

import argparse
import os
import datetime as dt
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_publish import make_meeting, simulate_today  # noqa: E402

from reportgen.check.output import summary  # noqa: E402
from reportgen.pdf.pool import Converter  # noqa: E402
from reportgen.pipeline import check  # noqa: E402
from reportgen.publish.run import publish  # noqa: E402

TODAY = dt.date(2026, 11, 21)


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    simulate_today()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the year (1.0: 150 meetings)")
    parser.add_argument("--per-meeting", type=int, default=20)
    parser.add_argument("--paragraphs", type=int, default=42, help="extra paragraphs per report (42: about ten pages)")
    args = parser.parse_args()
    meetings = max(4, round(150 * args.scale))
    total = meetings * args.per_meeting
    root = Path(tempfile.mkdtemp(prefix="reportgen-scale-bench-"))
    # The publication history the bench's publishes write goes with its other output, not into the
    # folder it is run from.
    os.environ["REPORTGEN_HISTORY"] = str(root / "publications.json")
    paths = [make_meeting(root / "content", args.per_meeting, args.paragraphs, f"2026-m{m:03d}",
                          first=m * args.per_meeting + 1) for m in range(meetings)]
    milestones = {total // 4, total // 2, total}
    print(f"a year of {total} reports in {meetings} meetings of {args.per_meeting} (scale {args.scale}); "
          f"content generated in {root}")
    reached: list[tuple[int, float]] = [(0, 0.0)]
    checked = findings = 0
    start = time.perf_counter()
    with Converter() as pool:
        for m, meeting in enumerate(paths):
            results = check([root / "content" / meeting.stem], TODAY)
            s = summary(results)
            checked += s["reports"]
            findings += s["errors"] + s["warnings"]
            result = publish(meeting, root / "out", today=TODAY, converter=pool)
            assert result.written and not result.refused, result.refused
            done = (m + 1) * args.per_meeting
            if any(reached[-1][0] < k <= done for k in milestones):
                reached.append((done, time.perf_counter() - start))
    seconds = time.perf_counter() - start
    print(f"checked {checked} reports ({findings} findings) and published {meetings} meetings: {seconds:.1f} s in all, "
          f"{seconds / total * 1000:.0f} ms per report")
    for (n0, t0), (n1, t1) in zip(reached, reached[1:]):
        print(f"  {n1:5d} reports at {t1:7.1f} s; reports {n0 + 1}-{n1}: {(t1 - t0) / (n1 - n0) * 1000:.0f} ms each")
    print(f"peak memory: reportgen {peak_mb(resource.RUSAGE_SELF):.0f} MB; largest reaped child process "
          f"{peak_mb(resource.RUSAGE_CHILDREN):.0f} MB (check and gate forks, LibreOffice bridges; getrusage "
          f"does not see the soffice processes the bridges start)")
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
