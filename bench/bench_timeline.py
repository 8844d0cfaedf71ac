"""When LibreOffice works and when it waits for reportgen, in a cold publish of bench_publish's meeting.

On two cores, with two LibreOffice workers, any CPU of reportgen's that does not overlap a conversion adds to
the wall clock, and any moment a ready worker has nothing to convert is lost. This publishes the 30-report
meeting (make_meeting(root, 30, 42), fresh cache and LibreOffice profile, no server) in this process, as
the command does, and prints from the same run:

- when each LibreOffice worker was ready, its first and last conversion, its busy time and its idle gaps
  (the largest too), and how long the first ready worker waited for the first document;
- when the gate, the front sheet and the packs ran, beside it;
- reportgen's own CPU in each of those (time.thread_time, on whichever thread ran it: finishing each export
  and numbering its published copy run on the pool's finishing thread, the web pages in the background),
  and the whole process's (getrusage), apart from its children's (LibreOffice).

    .venv/bin/python bench/bench_timeline.py [--reports 30] [--paragraphs 42] [--runs 1]

Wall-clock figures move with the machine's load: compare runs made one after another, and read the CPU
figures, which do not.
"""
from __future__ import annotations

import argparse
import functools
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_publish import TODAY, make_meeting, simulate_today  # noqa: E402

from reportgen.pdf import pool  # noqa: E402
from reportgen.publish import run, write  # noqa: E402

#: (what, thread, start, end, thread CPU seconds), times from the publish's start.
Event = tuple[str, str, float, float, float]


class Recorder:
    def __init__(self) -> None:
        self.events: list[Event] = []
        self.zero = time.perf_counter()
        self.lock = threading.Lock()
        self.undo: list[Callable[[], None]] = []

    def wrap(self, owner: Any, name: str, what: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start, cpu = time.perf_counter(), time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                with self.lock:
                    self.events.append((what, threading.current_thread().name, start - self.zero,
                                        time.perf_counter() - self.zero, time.thread_time() - cpu))
        setattr(owner, name, timed)
        self.undo.append(lambda: setattr(owner, name, original))

    def of(self, what: str) -> list[Event]:
        return sorted((e for e in self.events if e[0] == what), key=lambda e: e[2])

    def span(self, what: str) -> str:
        found = self.of(what)
        if not found:
            return f"{what}: not run"
        return (f"{what}: {found[0][2]:.2f} -> {found[-1][3]:.2f} s, {sum(e[4] for e in found):.2f} s CPU"
                + (f" ({len(found)} calls)" if len(found) > 1 else ""))


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def self_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def once(meeting: Path, root: Path, n: int) -> None:
    recorder = Recorder()
    recorder.wrap(pool._Worker, "start", "LibreOffice start")
    recorder.wrap(pool._Worker, "convert", "conversion")
    recorder.wrap(pool, "finish_job", "finishing")
    recorder.wrap(write, "gate", "gate (check + render)")
    recorder.wrap(write, "write_document", "numbering (published copy)")
    recorder.wrap(write, "write_report_pages", "report web pages")
    recorder.wrap(write, "_front_sheet", "front sheet")
    recorder.wrap(write, "assemble", "packs")
    recorder.wrap(pool._Worker, "_quit", "LibreOffice quit")
    cpu, office_before = self_cpu(), children_cpu()
    recorder.zero = time.perf_counter()
    try:
        run.publish(meeting, root / "out", today=TODAY)
    finally:
        for undo in recorder.undo:
            undo()
    total = time.perf_counter() - recorder.zero
    cpu = self_cpu() - cpu
    children = children_cpu() - office_before  # LibreOffice's workers, reaped as the pool closed, and any fork

    print(f"cold publish of {n} reports: {total:.2f} s; reportgen's own CPU {cpu:.2f} s "
          f"({cpu / n * 1000:.0f} ms per report) in this process; its children's {children:.2f} s (LibreOffice, and "
          f"the gate's workers when it forks); load {os.getloadavg()[0]:.1f}")
    starts = recorder.of("LibreOffice start")
    conversions = recorder.of("conversion")
    first = min(e[3] for e in starts) if starts else 0.0
    print(f"  LibreOffice ready: {', '.join(f'{e[3]:.2f}' for e in starts)} s (started at "
          f"{min((e[2] for e in starts), default=0):.2f}); first conversion at "
          f"{conversions[0][2] if conversions else 0:.2f} s: the first ready worker waited "
          f"{max(0.0, (conversions[0][2] if conversions else first) - first):.2f} s for a document")
    for worker in sorted({e[1] for e in conversions}):
        mine = [e for e in conversions if e[1] == worker]
        gaps = [b[2] - a[3] for a, b in zip(mine, mine[1:])]
        print(f"  {worker}: {len(mine)} conversions {mine[0][2]:.2f} -> {mine[-1][3]:.2f} s, busy "
              f"{sum(e[3] - e[2] for e in mine):.2f} s, idle between them {sum(gaps):.2f} s (largest "
              f"{max(gaps, default=0):.2f} s), idle after its last until the end {total - mine[-1][3]:.2f} s")
    for what in ("gate (check + render)", "report web pages", "finishing", "numbering (published copy)",
                 "front sheet", "packs", "LibreOffice quit"):
        print("  " + recorder.span(what))
    by_thread: dict[str, float] = {}
    for e in recorder.events:
        if e[0] in ("gate (check + render)", "finishing", "numbering (published copy)", "report web pages",
                    "front sheet", "packs"):
            by_thread[e[0]] = by_thread.get(e[0], 0.0) + e[4]
    print(f"  reportgen's CPU in this process outside those: {cpu - sum(by_thread.values()):.2f} s (loading, "
          f"layout, keys, the pool's threads, the manifest, the records, and the imports of the first run)")


def main() -> None:
    simulate_today()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=30)
    parser.add_argument("--paragraphs", type=int, default=42)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="reportgen-timeline-bench-"))
    os.environ["REPORTGEN_HISTORY"] = str(root / "publications.json")
    try:
        meeting = make_meeting(root / "content", args.reports, args.paragraphs)
        for n in range(args.runs):
            folder = root / f"run-{n}"
            os.environ["REPORTGEN_HISTORY"] = str(folder / "publications.json")
            once(meeting, folder, args.reports)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
