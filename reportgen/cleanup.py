"""This run's own temporary files and helper processes, removed when it is stopped by SIGTERM or Ctrl-C.

A run killed with SIGKILL cannot clean up: the next run removes what it left, by the pid in each name
(fs.remove_stale). A run told to stop removes its own at once: every temporary file or folder made
beside the output is registered here as it is made (`mkstemp`, `mkdtemp`, `track`) and forgotten when
it is renamed into place (`replace`); helpers such as the LibreOffice pool register how to stop
(`on_stop`); and the temp folder is swept of names carrying this pid (`reportgen-<kind>-<pid>-...`,
LibreOffice's `OSL_PIPE_<uid>_reportgen-<pid>-...` sockets).

The signal handlers are installed by the `reportgen` command only (`install`), never on import: a
program using reportgen as a library keeps its own handling of signals.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import NoReturn

# Held while a temporary name is made and registered, or renamed and forgotten, and by the handler
# while it removes them: no thread makes a new one after the handler has looked (it exits holding it).
_lock = threading.RLock()
_paths: dict[Path, None] = {}
_stops: list[Callable[[], object]] = []
# Where this run makes temporary names, and how they begin and end (the beginning carries its pid), recorded
# before each is made: a stop that lands after tempfile made a name but before it was registered (the
# handler runs in this very thread, at its next call; the lock does not keep it out) still finds it.
_made: dict[tuple[Path, str, str], None] = {}
# Set by the stop, holding _lock, before it stops the helpers and sweeps: from then on nothing of this run is
# made again (a LibreOffice worker killed by the stop is not restarted by its job, nor the job retried).
_stopping = False


def track(path: Path) -> Path:
    with _lock:
        _paths[path] = None
    return path


def forget(path: Path) -> None:
    with _lock:
        _paths.pop(path, None)


def mkstemp(prefix: str, suffix: str, dir: Path) -> tuple[int, str]:
    """tempfile.mkstemp, registered."""
    with _lock:
        _made[(dir, prefix, suffix)] = None
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=dir)
        _paths[Path(name)] = None
    return fd, name


def mkdtemp(prefix: str, dir: Path | None = None) -> Path:
    """tempfile.mkdtemp, registered."""
    with _lock:
        _made[(dir or Path(tempfile.gettempdir()), prefix, "")] = None
        path = Path(tempfile.mkdtemp(prefix=prefix, dir=dir))
        _paths[path] = None
    return path


def replace(tmp: str | Path, target: Path) -> None:
    """os.replace of a registered temporary name into place; it is no longer this run's to remove."""
    with _lock:
        os.replace(tmp, target)
        _paths.pop(Path(tmp), None)


def stopping() -> bool:
    """True once the run has been told to stop: its threads then make nothing, retry nothing and print
    nothing; they wait (`halt`) for the stop to end the process."""
    return _stopping


def halt() -> NoReturn:
    """Wait, silently, for the stop to end the process (os._exit): what a thread does when it finds the run
    stopping, instead of going on (a retry, a warning, a progress line, a traceback)."""
    while True:
        threading.Event().wait()


@contextmanager
def creating() -> Iterator[None]:
    """Held while this run makes a temporary folder, starts a helper process or registers its `on_stop`.

    The stop holds the same lock from before it sweeps until the process ends, so what is made here is
    either made before the sweep (and removed by it) or never: a thread that comes here once the run is
    stopping waits for the end instead. (A worker's folder made just outside it, by a job restarting its
    LibreOffice after the stop, was left behind in the temp folder.)"""
    with _lock:
        if _stopping:
            halt()
        yield


def on_stop(stop: Callable[[], object]) -> None:
    """Call `stop` (kill helper processes, remove their folders) if the run is told to stop."""
    with _lock:
        _stops.append(stop)


def _own_in_temp(pid: int) -> re.Pattern[str]:
    return re.compile(rf"reportgen-[a-z]+-{pid}-.+|OSL_PIPE_\d+_reportgen-{pid}-.+")


def remove_all() -> None:
    """Stop the helpers, then remove every temporary file and folder of this run."""
    with _lock:
        for stop in reversed(_stops):
            try:
                stop()
            except Exception:  # noqa: BLE001 - stopping: remove whatever else can be removed
                pass
        own = _own_in_temp(os.getpid())
        swept = [p for folder in dict.fromkeys((Path(tempfile.gettempdir()), Path("/tmp")))
                 for p in _entries(folder) if own.fullmatch(p.name)]
        pid = os.getpid()  # only names that carry it are this run's (a forked worker's are not)
        swept += [p for (folder, prefix, suffix) in _made if f".{pid}." in prefix or f"-{pid}-" in prefix
                  for p in _entries(folder) if p.name.startswith(prefix) and p.name.endswith(suffix)]
        for path in [*_paths, *swept]:
            try:
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
            except OSError:
                pass
        _paths.clear()


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def _stop(signum: int, frame: FrameType | None) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C does not interrupt the clean-up
    # Held until the process ends: a thread about to start a helper (a LibreOffice worker started again by
    # its job, say) waits on it for ever instead of starting one after the clean-up, which nothing would stop.
    _lock.acquire()
    global _stopping
    _stopping = True  # under the lock: a thread creating something has finished (swept below) or waits
    remove_all()
    name = signal.Signals(signum).name
    try:
        sys.stdout.flush()
        sys.stderr.write(f"reportgen: stopped by {name}; its temporary files were removed\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    # os._exit: other threads may be mid-way; nothing of theirs must run (or be waited for) after this.
    os._exit(128 + signum)  # the shell's convention: 130 for SIGINT, 143 for SIGTERM


def install() -> None:
    """Stop cleanly on SIGTERM and SIGINT (Ctrl-C): the `reportgen` command's handlers."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _stop)
    os.register_at_fork(after_in_child=_default_signals)


def _default_signals() -> None:
    """A process forked from the command (a check worker of reportgen.parallel) is not the run: SIGTERM
    and SIGINT end it as any process. With the run's handler, a worker told to stop would stop the run's
    LibreOffice helpers and remove the run's temporary files; and the pool, which ends its idle workers
    with SIGTERM, waited forever for a worker blocked on its task queue that never acted on it."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
