"""`reportgen publish --watch`: publish, then publish again whenever an input changes.

One LibreOffice pool stays running for the whole session, so a republish after an edit converts only
what changed on workers that are already warm: the seconds LibreOffice takes to start are paid once,
not on every save. Inputs are polled (their modification times and sizes), which needs no platform
file-notification service and works on network drives. Bad input or a refused gate is reported and
the session goes on; an author fixes the file and the next save publishes.
"""
from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportgen.content.meeting import named_files
from reportgen.errors import ReportgenError
from reportgen.pdf.server import open_converter
from reportgen.publish.paths import MeetingPaths
from reportgen.publish.run import PROFILE_SEED, PublishResult, publish
from reportgen.style.profile import DEFAULTS, Settings

Snapshot = dict[Path, tuple[int, int]]


@dataclass
class Outcome:
    """One publish of a watch session: its result, or the error that stopped it, and how long it took."""

    seconds: float
    result: PublishResult | None = None
    error: ReportgenError | None = None


def inputs(meeting: Path, settings: Settings = DEFAULTS) -> Snapshot:
    """Every file a publish of `meeting` reads, with its modification time and size: the meeting file,
    each report folder and supplied file it names, its house style's folder and the project file."""
    style, named = named_files(meeting)
    paths = {meeting, *(Path(os.path.normpath(path)) for _, _, path in named)}
    if settings.project_file is not None:
        paths.add(settings.project_file)
    if style:
        paths.update(root / style for root in settings.style_dirs)
    found: Snapshot = {}
    for path in paths:
        for file in [path] if path.is_file() else (sorted(p for p in path.rglob("*") if p.is_file())
                                                   if path.is_dir() else []):
            try:
                stat = file.stat()
            except OSError:
                continue  # removed while we looked: the next poll sees it gone
            found[file] = (stat.st_mtime_ns, stat.st_size)
    return found


def watch(meeting: Path, out: Path, report: Callable[[Outcome], None], draft: bool = False,
          today: dt.date | None = None, settings: Settings = DEFAULTS, workers: int | None = None,
          accept_inaccessible: str | None = None, interval: float = 0.5,
          stop: threading.Event | None = None) -> None:
    """Publish `meeting`, then again after each change to its inputs, until `stop` is set (or Ctrl-C).

    `report` is called after every publish. A change is published once the inputs have been still for
    one `interval`, so that an editor's save (often several writes) publishes once.
    """
    stop = stop or threading.Event()
    seed = MeetingPaths(out, meeting.stem).cache / PROFILE_SEED
    pool = open_converter(settings, workers, seed)  # the project's server, unless it is turned off
    try:
        pool.start()  # warm from the start, even when the first publish finds nothing to convert
        published: Snapshot | None = None
        while not stop.is_set():
            now = inputs(meeting, settings)
            if now != published:
                stop.wait(interval if published is not None else 0)
                if inputs(meeting, settings) != now:
                    continue  # still being written: look again
                start = time.perf_counter()
                try:
                    # The settings were read when the command started; an edited reportgen.yaml is read again.
                    settings = settings.reload()
                    result = publish(meeting, out, draft, today, settings, workers, accept_inaccessible,
                                     converter=pool)
                    report(Outcome(time.perf_counter() - start, result=result))
                except ReportgenError as exc:
                    report(Outcome(time.perf_counter() - start, error=exc))
                published = now
            stop.wait(interval)
    finally:
        pool.close()
