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

import datetime as dt
import functools
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
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self


from reportgen.pdf import finish as pdfcheck
from reportgen.docx.scrub import COMMENT_PARTS, strip_comment_xml
from reportgen.errors import ConversionError
from reportgen.fs import write_atomic

log = logging.getLogger(__name__)

INSTALL_HINT = ("install it with `apt-get install libreoffice-writer-nogui python3-uno` "
                "(or run tools/install-libreoffice.sh)")

#: writer_pdf_Export FilterData. Read per job, so a test can swap it to make an untagged PDF.
EXPORT_FILTER: dict[str, bool | int | str] = {
    "UseTaggedPDF": True,         # structure tree: headings, lists, tables, links
    "PDFUACompliance": True,      # 7.2+: pdfuaid in XMP, /Lang, DisplayDocTitle, TH for w:tblHeader rows
    "ExportBookmarks": True,      # outlines from headings
    "ExportNotes": False,         # comments never reach a published paper
    "ExportNotesPages": False,
    "EmbedStandardFonts": True,   # PDF/UA: every font embedded, even the base 14
}

START_TIMEOUT = 60.0   # seconds for a fresh LibreOffice to answer on its pipe
JOB_TIMEOUT = 180.0    # seconds for one document before its worker is killed
RECYCLE_AFTER = 200    # documents per worker before it is restarted


@dataclass
class Job:
    """One DOCX to convert, and the metadata its PDF must carry."""

    docx: Path
    pdf: Path
    title: str
    date: dt.date | None = None
    author: str = ""


class JobsFailed(ConversionError):
    """Some jobs of a batch failed; `failures` holds each job with its reason."""

    def __init__(self, failures: list[tuple[Job, str]], total: int) -> None:
        self.failures = failures
        lines = [f"{len(failures)} of {total} PDF export(s) failed:"]
        lines += [f"  {job.docx} -> {job.pdf}: {reason}" for job, reason in failures]
        super().__init__("\n".join(lines))


def soffice_path() -> str:
    """The LibreOffice executable ($REPORTGEN_SOFFICE, else soffice/libreoffice on PATH)."""
    override = os.environ.get("REPORTGEN_SOFFICE")
    if override:
        if shutil.which(override):
            return str(shutil.which(override))
        raise ConversionError(f"REPORTGEN_SOFFICE={override} is not an executable; {INSTALL_HINT}")
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError(f"LibreOffice (soffice) is not installed or not on PATH, so no PDF can be made; "
                          f"{INSTALL_HINT}. DOCX output does not need it.")


@functools.cache
def _uno_python(soffice: str) -> str:
    """A Python that can `import uno`: $REPORTGEN_UNO_PYTHON, LibreOffice's own, or the system's."""
    candidates = [os.environ.get("REPORTGEN_UNO_PYTHON", ""),
                  str(Path(os.path.realpath(soffice)).parent / "python"),  # official LibreOffice builds
                  "/usr/bin/python3", shutil.which("python3") or ""]
    for python in dict.fromkeys(c for c in candidates if c):
        if not os.access(python, os.X_OK):
            continue
        try:
            subprocess.run([python, "-c", "import uno"], check=True, capture_output=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            continue
        return python
    raise ConversionError("LibreOffice's Python bridge (the `uno` module) was not found, so the PDF worker "
                          f"pool cannot start; {INSTALL_HINT}")




def without_comments(docx: Path, workdir: Path) -> Path:
    """The DOCX itself, or a copy in workdir with every comment removed.

    Comments must never be published; and LibreOffice 7.4 without its GUI
    (libreoffice-writer-nogui) aborts when a document with comments is opened
    through UNO, because it builds the comment sidebar from UI files that
    package does not ship.
    """
    try:
        source = zipfile.ZipFile(docx)
    except (OSError, zipfile.BadZipFile):
        return docx  # not ours to judge: LibreOffice reports what it cannot open
    with source:
        if not COMMENT_PARTS & set(source.namelist()):
            return docx
        target = workdir / f"{secrets.token_hex(6)}-{docx.name}"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename == "word/document.xml" or info.filename in COMMENT_PARTS:
                    data = strip_comment_xml(data, empty=info.filename in COMMENT_PARTS)
                out.writestr(info, data)
    log.info("removed comments from %s before export", docx)
    return target


# The bridge runs under the UNO Python, not our venv: stdlib and uno only.
_BRIDGE = r'''
import json, os, subprocess, sys, threading, time
import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

def reply(**kw):
    sys.stdout.write(json.dumps(kw) + "\n")
    sys.stdout.flush()

def adopt_orphans(office):
    """Reap LibreOffice's orphans (gpg helpers it double-forks) here, where init may not."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except Exception:
        return
    def reap():
        while True:
            time.sleep(0.5)
            reap_now(office)
    threading.Thread(target=reap, daemon=True).start()

def reap_now(office):
    while True:
        try:
            info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return
        if info is None or info.si_pid == office.pid:
            return  # office is reaped by Popen.wait, never here
        try:
            os.waitpid(info.si_pid, 0)
        except ChildProcessError:
            pass

def main():
    soffice, profile, pipe, log_path, timeout = sys.argv[1:6]
    with open(log_path, "ab") as log:
        office = subprocess.Popen(
            [soffice, "--headless", "--invisible", "--nocrashreport", "--nodefault", "--nologo",
             "--nofirststartwizard", "--norestore", "--nolockcheck", "-env:UserInstallation=" + profile,
             "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    adopt_orphans(office)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + float(timeout)
    while True:
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except NoConnectException:
            if office.poll() is not None or time.monotonic() > deadline:
                reply(ok=False, fatal=True, error="LibreOffice did not start (exit %s)" % office.poll())
                office.kill()
                return
            time.sleep(0.05)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    reply(ok=True, ready=True, pid=office.pid)
    try:
        for line in sys.stdin:
            req = json.loads(line)
            if req.get("op") == "quit":
                break
            try:
                convert(desktop, req)
                reply(ok=True)
            except Exception as exc:
                msg = getattr(exc, "Message", "") or str(exc) or type(exc).__name__
                # A disposed bridge or a dead office means this worker is finished.
                fatal = office.poll() is not None or "Disposed" in type(exc).__name__ or "disposed" in msg
                reply(ok=False, fatal=fatal, error="%s: %s" % (type(exc).__name__, msg))
                if fatal:
                    break
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            office.wait(10)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()
        reap_now(office)

def convert(desktop, req):
    url = uno.systemPathToFileUrl(req["docx"])
    load = (prop("Hidden", True), prop("ReadOnly", True), prop("MacroExecutionMode", 0))
    doc = desktop.loadComponentFromURL(url, "_blank", 0, load)
    if doc is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        if hasattr(doc, "getRedlines") and doc.getRedlines().createEnumeration().hasMoreElements():
            raise RuntimeError("the document has tracked changes; accept or reject them before publishing")
        data = tuple(prop(k, v) for k, v in req["filter"].items())
        store = (prop("FilterName", "writer_pdf_Export"), prop("Overwrite", True),
                 prop("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", data)))
        doc.storeToURL(uno.systemPathToFileUrl(req["pdf"]), store)
    finally:
        doc.close(True)

main()
'''


class _WorkerDied(Exception):
    """The worker's LibreOffice or bridge died or hung; it must be restarted."""


class _Worker:
    """One LibreOffice process with its own profile, driven through a bridge process."""

    def __init__(self, soffice: str, python: str, home: Path, number: int) -> None:
        self.soffice, self.python, self.number = soffice, python, number
        self.dir = home / f"worker-{number}"
        self.proc: subprocess.Popen[str] | None = None
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.done = 0
        self.closed = False  # set by stop(): a job thread must not start a new LibreOffice after close()

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        profile = self.dir / "profile"
        shutil.rmtree(profile, ignore_errors=True)  # a crashed office may leave a half-written profile
        pipe = f"reportgen-{os.getpid()}-{self.number}-{secrets.token_hex(4)}"
        start = time.perf_counter()
        # New session: the bridge and its soffice form one process group we can kill together.
        with open(self.log, "ab") as errors:
            self.proc = subprocess.Popen(
                [self.python, "-c", _BRIDGE, self.soffice, profile.as_uri(), pipe, str(self.log), str(START_TIMEOUT)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors,
                text=True, encoding="utf-8", bufsize=1, start_new_session=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, args=(self.proc, self.lines), daemon=True).start()
        answer = self._answer(START_TIMEOUT + 10)
        if not answer.get("ok"):
            self.kill()
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
        for line in proc.stdout:
            lines.put(line)
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
        request = {"docx": str(docx.resolve()), "pdf": str(pdf.resolve()), "filter": EXPORT_FILTER}
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
            except (OSError, subprocess.TimeoutExpired, ValueError):
                pass
        self.kill()

    def kill(self) -> None:
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        _kill_group(proc)


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

    def __init__(self, workers: int | None = None) -> None:
        self.size = max(1, workers or os.cpu_count() or 1)
        self.workers: list[_Worker] = []
        self.home: Path | None = None
        self._finalizer: weakref.finalize[[list[_Worker], Path], Converter] | None = None
        self._starting: threading.Thread | None = None

    def start(self) -> None:
        """Start every worker in the background, so LibreOffice warms up while other work runs.

        convert() waits for it; a start that failed is retried (and reported) by convert().
        """
        if self._starting is None and not self.workers:
            def warm() -> None:
                try:
                    self._pool(self.size)
                except BaseException as exc:  # noqa: BLE001 - convert() starts again and reports it
                    log.debug("background start of LibreOffice failed: %s", exc)
            self._starting = threading.Thread(target=warm, name="pdf-pool-start", daemon=True)
            self._starting.start()

    def _wait_for_start(self) -> None:
        if self._starting is not None:
            self._starting.join()
            self._starting = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _pool(self, wanted: int) -> list[_Worker]:
        """Start workers up to `wanted` (at most the pool size), in parallel; return them."""
        soffice = soffice_path()
        python = _uno_python(soffice)
        if self.home is None:
            self.home = Path(tempfile.mkdtemp(prefix="reportgen-lo-"))
            # If close() is never called, still kill LibreOffice when this object or the interpreter goes.
            self._finalizer = weakref.finalize(self, _cleanup, self.workers, self.home)
        new = [_Worker(soffice, python, self.home, len(self.workers) + i)
               for i in range(min(wanted, self.size) - len(self.workers))]
        errors: list[BaseException] = []

        def start(worker: _Worker) -> None:
            try:
                worker.start()
            except BaseException as exc:  # noqa: BLE001 - reported below, after every start finished
                errors.append(exc)

        threads = [threading.Thread(target=start, args=(w,)) for w in new]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.workers.extend(new)
        if errors:
            raise errors[0] if isinstance(errors[0], ConversionError) else ConversionError(str(errors[0]))
        return self.workers

    def convert(self, jobs: list[Job]) -> None:
        """Convert every job in parallel; each PDF finished, inspected, written atomically.

        Raises JobsFailed (a ConversionError) listing every failed job, after the
        others have been written.
        """
        if not jobs:
            return
        self._wait_for_start()
        workers = self._pool(len(jobs))
        assert self.home is not None
        todo: queue.Queue[Job] = queue.Queue()
        for job in jobs:
            todo.put(job)
        failures: list[tuple[Job, str]] = []
        lock = threading.Lock()

        def run(worker: _Worker) -> None:
            while True:
                try:
                    job = todo.get_nowait()
                except queue.Empty:
                    return
                reason = self._one(worker, job)
                if reason:
                    with lock:
                        failures.append((job, reason))

        threads = [threading.Thread(target=run, args=(w,), name=f"pdf-worker-{w.number}") for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            order = {id(job): i for i, job in enumerate(jobs)}
            raise JobsFailed(sorted(failures, key=lambda f: order[id(f[0])]), len(jobs))

    def _one(self, worker: _Worker, job: Job) -> str | None:
        """Convert one job on a worker, retrying once on a fresh worker; the failure reason or None."""
        assert self.home is not None
        if not job.docx.is_file():
            return "no such DOCX file"
        raw = self.home / f"{worker.number}-{secrets.token_hex(6)}.pdf"
        source = without_comments(job.docx, self.home)
        try:
            for attempt in (1, 2):
                try:
                    start = time.perf_counter()
                    worker.convert(source, raw)
                    log.info("exported %s in %.2f s", job.docx, time.perf_counter() - start)
                    break
                except _WorkerDied as exc:
                    log.warning("LibreOffice worker %d failed on %s (attempt %d): %s",
                                worker.number, job.docx, attempt, exc)
                    if attempt == 2:
                        return f"LibreOffice failed: {exc}"
                except ConversionError as exc:
                    return str(exc)
            return finish_job(job, raw)
        finally:
            raw.unlink(missing_ok=True)
            if source != job.docx:
                source.unlink(missing_ok=True)

    def close(self) -> None:
        """Stop every worker and remove their profiles."""
        self._wait_for_start()
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


def finish_job(job: Job, raw: Path) -> str | None:
    """Finish an exported PDF, inspect it, and write it to job.pdf; the failure reason or None."""
    if not raw.is_file() or raw.stat().st_size == 0:
        return "LibreOffice reported success but wrote no PDF"
    try:
        pdfcheck.finish(raw, job.title, job.date, job.author)
    except Exception as exc:  # noqa: BLE001 - any pikepdf failure means this PDF is not publishable
        return f"could not post-process the PDF: {exc}"
    report = pdfcheck.inspect(raw)
    if report.problems:
        return "; ".join(report.problems)
    if write_atomic(job.pdf, raw.read_bytes()):
        log.info("wrote %s", job.pdf)
    else:
        log.info("%s unchanged", job.pdf)
    return None


def _filter_json(options: dict[str, bool | int | str]) -> str:
    """FilterData in the JSON form `soffice --convert-to` accepts since 7.4."""
    def typed(value: bool | int | str) -> dict[str, str]:
        if isinstance(value, bool):
            return {"type": "boolean", "value": "true" if value else "false"}
        if isinstance(value, int):
            return {"type": "long", "value": str(value)}
        return {"type": "string", "value": value}
    return json.dumps({k: typed(v) for k, v in options.items()}, separators=(",", ":"))


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
        target = f"pdf:writer_pdf_Export:{_filter_json(EXPORT_FILTER)}"
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
            raw = outdir / (source.stem + ".pdf")
            reason = finish_job(job, raw)
            if reason and not raw.is_file():
                reason = f"soffice exit {done.returncode}: {(done.stderr or done.stdout).strip()[-300:]}"
            if reason:
                failures.append((job, reason))
    if failures:
        raise JobsFailed(failures, len(jobs))


if __name__ == "__main__":  # pragma: no cover - manual smoke test: python -m reportgen.pdf.pool in.docx out.pdf
    logging.basicConfig(level=logging.INFO)
    with Converter() as conv:
        conv.convert([Job(Path(sys.argv[1]), Path(sys.argv[2]), title=Path(sys.argv[1]).stem)])
