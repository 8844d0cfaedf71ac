"""DOCX -> accessible PDF through a warm pool of headless LibreOffice workers.

How: each worker is one `soffice --headless` process with its own user profile
(a temp dir, so workers and concurrent reportgen runs never share a profile
lock), listening on a private named pipe (`--accept=pipe,name=...`), driven by a
small bridge script run by the Python that has LibreOffice's `uno` module
(Debian: /usr/bin/python3 with python3-uno). Our code sends the bridge one JSON
line per document over stdin; the bridge calls loadComponentFromURL/storeToURL
with the PDF export FilterData and answers one JSON line. Jobs are spread over
the workers (default one per core). Every PDF is then finished and inspected by
`pdfcheck`, and written with `write_atomic`, so unchanged input rewrites nothing.

Why this and not unoserver (PyPI) or one soffice per document:

* One `soffice --convert-to` per document pays LibreOffice's start-up for every
  file (1.7 s a file here); a warm worker exports a paper in 0.1-0.3 s.
* unoserver 3.7 needs its own venv on the system Python, sleeps a fixed 5-7 s
  before it serves (5.3 s measured, against 1.4-1.7 s for a bridge worker),
  listens on TCP ports that concurrent runs must not collide on, and, killed with
  SIGTERM, left its soffice defunct and itself hung. The bridge needs only
  python3-uno (no PyPI package, no second venv), uses a private pipe (no ports,
  nothing on the network), and lets us type the FilterData and refuse documents
  with tracked changes before anything is exported.
* Robustness: the bridge starts soffice itself in a new process group and, when
  our process goes away (stdin EOF), terminates it, so a crashed reportgen leaves
  no soffice behind; it also reaps LibreOffice's orphaned helpers (gpg), which
  a container's init may never do. A worker that dies or hangs (JOB_TIMEOUT) is
  killed with its whole group and restarted, and the job retried once; workers
  are recycled after RECYCLE_AFTER documents to bound LibreOffice's memory.
* Comments are removed from the DOCX before export: they must not be published,
  and libreoffice-writer-nogui 7.4 aborts (SIGABRT, missing annotation UI file)
  when a document with comments is opened through UNO.

Measured on the 2-core dev machine, LibreOffice 7.4.7, `.venv/bin/python
bench/bench_pdf.py` (30 files from the 7 example papers, export + finish +
inspect + write on both paths): warm pool of 2 workers 7.4 s in all (start-up
1.8 s), one soffice per file 51.4 s: 6.9x faster, 9x per file once warm, and
byte-identical PDFs from both paths.
"""
from __future__ import annotations

import json
import logging
import os
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self

import pikepdf

from reportgen import cleanup
from reportgen.errors import ConversionError, JobsFailed
from reportgen.pdf import libreoffice
from reportgen.pdf.finish import finish_open, saved, source_keywords
from reportgen.pdf.inspect import inspect_open, read_tree
from reportgen.pdf.job import Finished, Job as Job  # Job re-exported: callers name it from here
from reportgen.pdf.libreoffice import soffice_path, uno_candidates, uno_python, without_comments
from reportgen.fs import fault_point, remove_stale, write_atomic

log = logging.getLogger(__name__)

#: The worker script, run by the UNO Python (see bridge.py).
BRIDGE = Path(__file__).with_name("bridge.py")

START_TIMEOUT = 60.0   # seconds for a fresh LibreOffice to answer on its pipe
JOB_TIMEOUT = 180.0    # seconds for one document before its worker is killed
RECYCLE_AFTER = 200    # documents per worker before it is restarted


class _WorkerDied(Exception):
    """The worker's LibreOffice or bridge died or hung; it must be restarted."""


class _NoUno(ConversionError):
    """The Python the bridge was started with cannot import uno (see Converter._pool)."""


class _Worker:
    """One LibreOffice process with its own profile, driven through a bridge process."""

    def __init__(self, soffice: str, python: str, home: Path, number: int, seed: Path | None = None) -> None:
        self.soffice, self.python, self.number = soffice, python, number
        self.seed = seed  # see Converter(profile_seed=...)
        self.dir = home / f"worker-{number}"
        self.proc: subprocess.Popen[str] | None = None
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.done = 0
        self.closed = False  # set by stop(): a job thread must not start a new LibreOffice after close()
        # Set once its first start has ended, started or not (`start_error`): see Converter.convert.
        self.ready = threading.Event()
        self.start_error: BaseException | None = None

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> None:
        """Start LibreOffice and its bridge, under the Python given; one that cannot import uno is replaced
        by the first that can (libreoffice.uno_python), or the error says how to install it."""
        try:
            self._launch()
        except _NoUno:
            self.python = uno_python(self.soffice)
            self._launch()

    def first_start(self) -> None:
        """start(), its failure kept in `start_error` for convert() (which starts it again), then `ready` set."""
        try:
            self.start()
        except BaseException as exc:  # noqa: BLE001 - reported by the caller
            self.start_error = exc
        finally:
            self.ready.set()

    def _launch(self) -> None:
        profile = self.dir / "profile"
        pipe = f"reportgen-{os.getpid()}-{self.number}-{secrets.token_hex(4)}"
        temp = self.dir / "tmp"
        start = time.perf_counter()
        # Its folder, profile and LibreOffice are made only while the run is not stopping, and a stop waits
        # until they are made and it knows how to stop them; a worker killed by the stop is never made again.
        with cleanup.creating():
            self.dir.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(profile, ignore_errors=True)  # a crashed office may leave a half-written profile
            _seed_profile(self.seed, profile)
            temp.mkdir(exist_ok=True)
            # New session: the bridge and its soffice form one process group we can kill together.
            with open(self.log, "ab") as errors:
                proc = self.proc = subprocess.Popen(
                    [self.python, str(BRIDGE), self.soffice, profile.as_uri(), pipe, str(self.log),
                     str(START_TIMEOUT)],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors,
                    text=True, encoding="utf-8", bufsize=1, start_new_session=True,
                    # the bridge dies with us; LibreOffice's own temp files (lu*.tmp) go in the worker's folder,
                    # removed with it, even after a kill, instead of in the shared temp folder
                    env={**os.environ, "REPORTGEN_PARENT_PID": str(os.getpid()), "TMPDIR": str(temp)})
            kill = weakref.WeakMethod(self.kill)
            cleanup.on_stop(lambda: (stop := kill()) and stop())  # stopped by a signal: LibreOffice goes first
        fault_point("pdf-start")  # LibreOffice is starting: the moment orphans were left behind
        # `proc`, not self.proc: a stop (or a hung job) may have killed it and set self.proc to None already.
        lines: queue.Queue[str | None] = queue.Queue()
        self.lines = lines
        threading.Thread(target=self._read, args=(proc, lines), daemon=True).start()
        answer = self._answer(START_TIMEOUT + 10)
        if not answer.get("ok"):
            self.kill()
            if answer.get("no_uno"):
                raise _NoUno(f"{self.python} cannot import uno: {answer.get('error')}")
            raise ConversionError(f"LibreOffice worker {self.number} did not start: {answer.get('error')}"
                                  f"{self._log_tail()}")
        self.done = 0
        log.info("LibreOffice worker %d ready in %.2f s", self.number, time.perf_counter() - start)

    @property
    def log(self) -> Path:
        return self.dir / "soffice.log"

    @staticmethod
    def _read(proc: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                lines.put(line)
        except (OSError, ValueError):  # ValueError: closed by kill() between two reads; it is gone either way
            pass
        lines.put(None)  # EOF: the bridge has exited

    def _answer(self, timeout: float) -> dict[str, Any]:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            raise _WorkerDied(f"no answer from LibreOffice within {timeout:.0f} s") from None
        if line is None:
            self.kill()
            raise _WorkerDied(f"LibreOffice worker exited{self._log_tail()}")
        try:
            answer: dict[str, Any] = json.loads(line)
        except json.JSONDecodeError:
            self.kill()
            raise _WorkerDied(f"unexpected output from the bridge: {line.strip()!r}") from None
        return answer

    def convert(self, docx: Path, pdf: Path) -> None:
        """Export docx to pdf; ConversionError for a bad document, _WorkerDied for a bad worker."""
        if self.closed:
            raise ConversionError("the converter was closed before this document was exported")
        if not self.alive or self.done >= RECYCLE_AFTER:
            self._quit()
            self.start()
        assert self.proc is not None and self.proc.stdin is not None
        request = {"docx": str(docx.resolve()), "pdf": str(pdf.resolve()), "filter": libreoffice.EXPORT_FILTER}
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
        except (OSError, ValueError) as exc:  # ValueError: stdin closed by a concurrent close()
            self.kill()
            raise _WorkerDied(f"LibreOffice worker is gone: {exc}") from exc
        answer = self._answer(JOB_TIMEOUT)
        self.done += 1
        if not answer.get("ok"):
            if answer.get("fatal"):
                self.kill()
                raise _WorkerDied(str(answer.get("error")))
            raise ConversionError(str(answer.get("error")))

    def _log_tail(self) -> str:
        try:
            tail = self.log.read_text(errors="replace").strip().splitlines()[-5:]
        except OSError:
            return ""
        return (": " + " | ".join(tail)) if tail else ""

    def stop(self) -> None:
        """Stop for good: later jobs on this worker fail instead of starting LibreOffice again."""
        self.closed = True
        self._quit()

    def _quit(self) -> None:
        """Ask LibreOffice to quit; kill it if it does not within 15 s."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.write('{"op": "quit"}\n')
                self.proc.stdin.close()
                self.proc.wait(15)
                _keep_profile(self.dir / "profile", self.seed)  # quit cleanly: its profile is whole
            except (OSError, subprocess.TimeoutExpired, ValueError):
                pass
        self.kill()

    def kill(self) -> None:
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        _kill_group(proc)


# --- issue 13: a warm LibreOffice profile, copied into each new worker (start-up 1.2 s instead of 1.85 s) ---
def _seed_profile(seed: Path | None, profile: Path) -> None:
    """Start a worker's own profile as a copy of the seed, so LibreOffice skips its first-start setup."""
    if seed is not None and seed.is_dir():
        try:
            shutil.copytree(seed, profile)
        except OSError as exc:  # a seed being replaced, say: start with a fresh profile instead
            log.debug("could not copy the LibreOffice profile seed %s: %s", seed, exc)
            shutil.rmtree(profile, ignore_errors=True)


def _keep_profile(profile: Path, seed: Path | None) -> None:
    """Keep a cleanly closed worker's profile as the seed, when there is none yet (atomically)."""
    if seed is None or seed.exists() or not profile.is_dir():
        return
    tmp = cleanup.track(seed.with_name(f".{seed.name}.{os.getpid()}.{secrets.token_hex(4)}"))
    try:
        seed.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(profile, tmp)
        os.replace(tmp, seed)  # fails if another run kept one first: theirs is as good
    except OSError as exc:
        log.debug("could not keep the LibreOffice profile as %s: %s", seed, exc)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
# --- end issue 13 ---


def _kill_group(proc: subprocess.Popen[str]) -> None:
    """SIGKILL the worker's process group (bridge, soffice launcher and soffice.bin)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        log.warning("LibreOffice worker %d did not exit after SIGKILL", proc.pid)
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            try:
                stream.close()
            except OSError:
                pass


def _cleanup(workers: list[_Worker], home: Path) -> None:
    for worker in workers:
        worker.kill()
    shutil.rmtree(home, ignore_errors=True)


class Converter:
    """A warm pool of LibreOffice workers: started on first use, stopped by close() or `with`."""

    def __init__(self, workers: int | None = None, profile_seed: Path | None = None) -> None:
        """`profile_seed`: a folder where a warm LibreOffice profile is kept between runs (issue 13)."""
        self.size = max(1, workers or os.cpu_count() or 1)
        # Profiles of a killed run (its pid gone) are removed, even by a run that converts nothing, and
        # the pipe sockets LibreOffice leaves in the temp folder (OSL_PIPE_<uid>_<our pipe name>).
        for folder in dict.fromkeys((Path(tempfile.gettempdir()), Path("/tmp"))):
            remove_stale(folder, r"reportgen-lo-(?P<pid>\d+)-.+|OSL_PIPE_\d+_reportgen-(?P<pid2>\d+)-\d+-[0-9a-f]+")
        self.profile_seed = profile_seed
        self.workers: list[_Worker] = []
        self.home: Path | None = None
        self._finalizer: weakref.finalize[[list[_Worker], Path], Converter] | None = None
        self._starting: threading.Thread | None = None
        self._python: str | None = None  # what the bridges run under (see _pool)
        self._lock = threading.Lock()  # workers are made by a background start and by convert()
        self._made = threading.Event()  # a background start has made its workers (they may be starting)

    def start(self, wanted: int | None = None) -> None:
        """Start every worker (or `wanted` of them) in the background, so LibreOffice warms up while
        other work runs; convert() starts more when it has more jobs.

        convert() waits for it; a start that failed is retried (and reported) by convert().
        """
        if self._starting is None and not self.workers:
            def warm() -> None:
                try:
                    self._pool(wanted or self.size)
                except BaseException as exc:  # noqa: BLE001 - convert() starts again and reports it
                    log.debug("background start of LibreOffice failed: %s", exc)
                finally:
                    self._made.set()
            self._starting = threading.Thread(target=warm, name="pdf-pool-start", daemon=True)
            self._starting.start()

    def wait_started(self) -> None:
        """Wait until a background start() has finished (the workers are ready, or failed to start)."""
        if self._starting is not None:
            self._starting.join()
            self._starting = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _pool(self, wanted: int, wait: bool = True) -> list[_Worker]:
        """Start workers up to `wanted` (at most the pool size), in parallel; return every worker. `wait`:
        until each has started (the first failure raised), else each sets its `ready` when it has."""
        soffice = soffice_path()
        with self._lock:
            if self._python is None:
                # The first Python that may have uno, not asked first: asking costs a Python start-up on the way
                # to LibreOffice's (40 ms). A bridge that cannot import uno says so (see _Worker.start).
                self._python = next(iter(uno_candidates(soffice)), None) or uno_python(soffice)
            if self.home is None:
                with cleanup.creating():  # never after a stop has swept the temp folder
                    self.home = Path(tempfile.mkdtemp(prefix=f"reportgen-lo-{os.getpid()}-"))
                # If close() is never called, still kill LibreOffice when this object or the interpreter goes.
                self._finalizer = weakref.finalize(self, _cleanup, self.workers, self.home)
            new = [_Worker(soffice, self._python, self.home, len(self.workers) + i, self.profile_seed)
                   for i in range(min(wanted, self.size) - len(self.workers))]
            self.workers.extend(new)  # listed before they start: convert() takes each as soon as it is ready
        self._made.set()
        threads = [threading.Thread(target=w.first_start, name=f"pdf-start-{w.number}") for w in new]
        for thread in threads:
            thread.start()
        if not wait:
            return self.workers
        for thread in threads:
            thread.join()
        self._python = next((w.python for w in new if w.start_error is None), self._python)
        errors = [w.start_error for w in new if w.start_error is not None]
        if errors:
            raise errors[0] if isinstance(errors[0], ConversionError) else ConversionError(str(errors[0]))
        return self.workers

    def convert(self, jobs: list[Job], done: Callable[[Job], None] | None = None) -> None:
        """Convert every job in parallel; each PDF finished, inspected, written atomically.

        `done` is called after each job (from the thread that converted it; one at a time), for progress.

        Raises JobsFailed (a ConversionError) listing every failed job, after the
        others have been written.
        """
        if not jobs:
            return
        if self._starting is not None:
            # LibreOffice is starting in the background: each worker takes jobs as soon as it is ready, not
            # once every one is (their starts end up to 0.4 s apart, measured); one that failed to start is
            # started again by its first job, and reported with it.
            self._made.wait()
            workers = self._pool(len(jobs), wait=False)
        else:
            workers = self._pool(len(jobs))
        assert self.home is not None
        fault_point("pdf-convert")
        todo: queue.Queue[Job] = queue.Queue()
        for job in jobs:
            todo.put(job)
        # Finishing (pikepdf, in this process) runs on its own thread, so each LibreOffice worker starts
        # its next document at once instead of idling while the last one is finished.
        exported: queue.Queue[tuple[Job, Path, Path] | None] = queue.Queue()
        failures: list[tuple[Job, str]] = []
        lock = threading.Lock()

        def settle(job: Job, reason: str | None) -> None:
            if cleanup.stopping():  # a job failed by the stop (its LibreOffice killed): no progress line
                cleanup.halt()
            with lock:
                if reason:
                    failures.append((job, reason))
                if done is not None:
                    done(job)

        errors: list[BaseException] = []  # a bug or a failing `done`, raised here once the threads stop

        def run(worker: _Worker) -> None:
            try:
                worker.ready.wait()
                while True:
                    try:
                        job = todo.get_nowait()
                    except queue.Empty:
                        return
                    outcome = self._export(worker, job)
                    if isinstance(outcome, str):
                        settle(job, outcome)
                    else:
                        exported.put((job, *outcome))
            except BaseException as exc:  # noqa: BLE001 - re-raised by convert()
                errors.append(exc)

        def finishing() -> None:
            while (item := exported.get()) is not None:
                job, raw, source = item
                try:
                    settle(job, finish_job(job, raw))
                except BaseException as exc:  # noqa: BLE001 - re-raised by convert(); keep draining
                    errors.append(exc)
                finally:
                    _remove_work_files(job, raw, source)

        finisher = threading.Thread(target=finishing, name="pdf-finish")
        finisher.start()
        threads = [threading.Thread(target=run, args=(w,), name=f"pdf-worker-{w.number}") for w in workers]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            exported.put(None)
            finisher.join()
        if errors:
            raise errors[0]
        if failures:
            order = {id(job): i for i, job in enumerate(jobs)}
            raise JobsFailed(sorted(failures, key=lambda f: order[id(f[0])]), len(jobs))

    def _export(self, worker: _Worker, job: Job) -> tuple[Path, Path] | str:
        """Export one job on a worker, retrying once on a fresh worker: the raw PDF and the source
        it was made from (both to be removed after finishing), or the failure reason."""
        assert self.home is not None
        if not job.docx.is_file():
            return "no such DOCX file"
        raw = self.home / f"{worker.number}-{secrets.token_hex(6)}.pdf"
        source = without_comments(job.docx, self.home)
        for attempt in (1, 2):
            try:
                start = time.perf_counter()
                worker.convert(source, raw)
                log.info("exported %s in %.2f s", job.docx, time.perf_counter() - start)
                return raw, source
            except _WorkerDied as exc:
                if cleanup.stopping():  # killed by the stop: no warning, and no new LibreOffice for a retry
                    cleanup.halt()
                log.warning("LibreOffice worker %d failed on %s (attempt %d): %s",
                            worker.number, job.docx, attempt, exc)
                reason = f"LibreOffice failed: {exc}"
            except ConversionError as exc:
                reason = str(exc)
                break
        _remove_work_files(job, raw, source)
        return reason

    def close(self) -> None:
        """Stop every worker and remove their profiles."""
        self.wait_started()
        threads = [threading.Thread(target=w.stop) for w in self.workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if self._finalizer is not None:
            self._finalizer()  # kills anything left and removes the temp dir, once
        self.workers = []
        self.home = None
        self._finalizer = None


def _remove_work_files(job: Job, raw: Path, source: Path) -> None:
    """The raw export and the comment-free copy made for LibreOffice (never the author's DOCX)."""
    raw.unlink(missing_ok=True)
    if source != job.docx:
        source.unlink(missing_ok=True)


def finish_job(job: Job, raw: Path) -> str | None:
    """Finish an exported PDF, inspect it, and write it to job.pdf; the failure reason or None.

    One open of the export does all three: the finished document is inspected as it stands in memory
    (what saving it writes) and saved once, to bytes written straight to job.pdf, rather than saved over
    the export, opened again to be inspected and read a third time to be written. The job's `finished`
    hook then gets those bytes and the structure counts (issue 26: publish makes the published copy and
    the pack's part from them); what the hook raises is raised by convert(), not reported as this PDF's
    failure."""
    if not raw.is_file() or raw.stat().st_size == 0:
        return "LibreOffice reported success but wrote no PDF"
    try:
        with pikepdf.open(raw) as pdf:
            tree = finish_open(pdf, job.title, job.date, job.author, keywords=source_keywords(job.docx))
            if tree is None:  # (what inspect_open would count itself; counted here for the hook too)
                tree = read_tree(pdf.Root.get("/StructTreeRoot"))
            report = inspect_open(job.pdf, pdf, tree=tree, text_in_blocks=True)  # LibreOffice's own export
            if report.problems:
                return "; ".join(report.problems)
            data = saved(pdf)
    except Exception as exc:  # noqa: BLE001 - any pikepdf failure means this PDF is not publishable
        return f"could not post-process the PDF: {exc}"
    if write_atomic(job.pdf, data):
        log.info("wrote %s", job.pdf)
    else:
        log.info("%s unchanged", job.pdf)
    if job.finished is not None:
        job.finished(Finished(data, tree))
    return None


if __name__ == "__main__":  # pragma: no cover - manual smoke test: python -m reportgen.pdf.pool in.docx out.pdf
    logging.basicConfig(level=logging.INFO)
    with Converter() as conv:
        conv.convert([Job(Path(sys.argv[1]), Path(sys.argv[2]), title=Path(sys.argv[1]).stem)])
