"""A warm LibreOffice shared by commands, as build tools keep a daemon: the client side.

Every PDF command (build --pdf, publish, forward-plan, decisions) asks the project's server to convert
its DOCX instead of starting LibreOffice itself, which takes 0.8-1.3 s before it converts anything. The
server (serve.py, `python -m reportgen.pdf.serve`) hosts the same worker pool a command would start
(pool.Converter), is started by the first command that needs it and exits by itself after a few idle
minutes (warm.IDLE_SECONDS, or $REPORTGEN_SERVER_IDLE, shared with the warm reportgen).

* One per user and project: its socket is named by a digest of the project folder, in a folder only the
  user may enter (0700, $XDG_RUNTIME_DIR/reportgen, else <temp>/reportgen-server-<uid>); the socket
  itself is 0600. A UNIX socket, no network port. Both ends check the other's uid (SO_PEERCRED), so a
  folder made readable by mistake still lets no other user in.
* Nothing but paths crosses the socket: the DOCX are read and the PDFs written by the server, as the
  same user, where the command asked.
* A stale socket never hangs a command: a refused connection starts a fresh server; a server that does
  not answer within HELLO_TIMEOUT is killed (its pid from SO_PEERCRED) and replaced. A server that dies
  mid-batch is replaced once and the unfinished jobs sent again. When no server can be had at all, the
  command converts in-process, as with --no-server.

This module imports no PDF library: a command talking to a warm server loads none of the pool's.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportgen import warm
from reportgen.errors import ConversionError, JobsFailed
from reportgen.fs import fault_point, user_cache_dir
from reportgen.pdf.job import Job, PdfConverter
from reportgen.style.settings import Settings

log = logging.getLogger(__name__)

HELLO_TIMEOUT = 3.0    # a server that does not answer a hello this fast is hung: replaced
START_TIMEOUT = 15.0   # for a new server to listen (it starts LibreOffice after that, in the background)
JOB_TIMEOUT = 240.0    # between two answers during a batch (the pool's own limit is 180 s a document)
MAX_SOCKET_PATH = warm.MAX_SOCKET_PATH


class ServerUnavailable(ConversionError):
    """No server could be reached or started (an unsafe folder, a path too long, a server that will not start)."""


# --------------------------------------------------------------------------- where

def runtime_dir(create: bool = True) -> Path:
    """The user's folder for server sockets (reportgen.warm.folder: the warm reportgen's is the same), made
    0700 if missing (and `create`); refused unless it is the user's own, a real folder, and closed to everyone else."""
    try:
        return Path(warm.folder(create))
    except warm.Unsafe as exc:
        raise ServerUnavailable(str(exc)) from exc
    except OSError as exc:
        raise ServerUnavailable(f"cannot make the server folder: {exc}") from exc


def project_key(settings: Settings) -> str:
    """Which server: one per project folder (one for all work outside a project)."""
    root = str(settings.project.root.resolve()) if settings.project else ""
    return hashlib.sha256(root.encode()).hexdigest()[:16]


def socket_path(settings: Settings, create: bool = True) -> Path:
    path = runtime_dir(create) / f"{project_key(settings)}.sock"
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        raise ServerUnavailable(f"the socket path {path} is too long for a UNIX socket")
    return path


def code_stamp() -> str:
    """The server's code, by size and time of each file it runs: an upgraded reportgen replaces an older server."""
    package = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for path in sorted([*package.glob("pdf/*.py"), *package.glob("*.py")]):
        info = path.stat()
        h.update(f"{path.name}:{info.st_size}:{info.st_mtime_ns};".encode())
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------- the wire

class Wire:
    """JSON lines over a connected socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.reader = sock.makefile("r", encoding="utf-8", newline="\n")

    def send(self, message: dict[str, Any]) -> None:
        self.sock.sendall((json.dumps(message) + "\n").encode("utf-8"))

    def receive(self, timeout: float | None) -> dict[str, Any]:
        """The next message; ConnectionError when the other end closed or timed out."""
        self.sock.settimeout(timeout)
        try:
            line = self.reader.readline()
        except (TimeoutError, OSError) as exc:
            raise ConnectionError(f"no answer from the server: {exc or 'timed out'}") from exc
        if not line:
            raise ConnectionError("the server closed the connection")
        message: dict[str, Any] = json.loads(line)
        return message

    def close(self) -> None:
        for closing in (self.reader.close, self.sock.close):
            try:
                closing()
            except OSError:
                pass


def _dial(path: Path, use: bool = True) -> Wire | None:
    """A connection to a live server of this user that answers hello with our code, or None (nothing
    listens, or what listened was stale, hung or out of date, and is now gone)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(HELLO_TIMEOUT)
    try:
        sock.connect(str(path))
    except (FileNotFoundError, ConnectionRefusedError):
        sock.close()
        return None
    except OSError as exc:
        sock.close()
        raise ServerUnavailable(f"cannot connect to {path}: {exc}") from exc
    pid, uid = warm.peer_uid(sock)
    if uid != os.getuid():
        sock.close()
        raise ServerUnavailable(f"{path} is served by another user (uid {uid}): not using it")
    wire = Wire(sock)
    try:
        wire.send({"op": "hello", "use": use})  # `use`: a command that will convert (not status or stop)
        answer = wire.receive(HELLO_TIMEOUT)
    except (ConnectionError, OSError, ValueError):
        log.warning("the LibreOffice server (pid %d) did not answer: replacing it", pid)
        wire.close()
        _kill(pid)
        return None
    if answer.get("code") != code_stamp():
        log.info("the LibreOffice server (pid %d) runs other code: replacing it", pid)
        try:
            wire.send({"op": "stop"})
            wire.receive(HELLO_TIMEOUT)
        except (ConnectionError, OSError, ValueError):
            _kill(pid)
        wire.close()
        _wait_gone(pid)
        return None
    return wire


def _kill(pid: int) -> None:
    """SIGKILL a hung server of ours; its LibreOffice workers follow it (they watch their parent)."""
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return
    _wait_gone(pid)


def _wait_gone(pid: int, within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        try:  # our own child (we started it): reap it, or it stays a zombie that kill(0) still finds
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        except ChildProcessError:
            pass
        time.sleep(0.02)


def _spawn(path: Path) -> None:
    """Start a server on `path`, detached (its own session: a Ctrl-C at the terminal is not its)."""
    seed = user_cache_dir() / "libreoffice-profile"
    log_file = path.with_suffix(".log")
    try:
        descriptor = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    except FileNotFoundError:  # a server exiting just now removed the user's socket folder: make it again
        runtime_dir(create=True)
        descriptor = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with open(descriptor, "ab") as errors:
        subprocess.Popen([sys.executable, "-m", "reportgen.pdf.serve", str(path), str(warm.idle_seconds()), str(seed)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors, cwd="/",
                         start_new_session=True, close_fds=True)


def connect(settings: Settings, start: bool = True) -> Wire | None:
    """A connection to the project's server, starting one if `start` and none answers; None if none runs."""
    path = socket_path(settings, create=start)
    wire = _dial(path, use=start)
    if wire is not None or not start:
        return wire
    _spawn(path)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        time.sleep(0.02)
        wire = _dial(path)
        if wire is not None:
            return wire
    raise ServerUnavailable(f"the LibreOffice server did not start; see {path.with_suffix('.log')}")


def request(settings: Settings, op: str) -> dict[str, Any] | None:
    """Ask the running server (never starting one) for `status` or to `stop`; None when none runs."""
    wire = connect(settings, start=False)
    if wire is None:
        return None
    try:
        wire.send({"op": op})
        answer = wire.receive(HELLO_TIMEOUT)
        if op == "stop":
            _wait_gone(int(answer.get("pid", 0)) or -1)
        return answer
    finally:
        wire.close()


# --------------------------------------------------------------------------- the client

class ServerConverter:
    """Converts through the project's server; a drop-in for pool.Converter that leaves LibreOffice warm."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.wire: Wire | None = None
        self._starting: threading.Thread | None = None
        self._error: BaseException | None = None

    def start(self, wanted: int | None = None) -> None:
        """Reach (or start) the server in the background while the command renders its DOCX."""
        if self._starting is None and self.wire is None:
            def reach() -> None:
                try:
                    self.wire = connect(self.settings)
                except BaseException as exc:  # noqa: BLE001 - convert() reports it or falls back
                    self._error = exc
            self._starting = threading.Thread(target=reach, name="pdf-server-connect", daemon=True)
            self._starting.start()

    def wait_started(self) -> None:
        if self._starting is not None:
            self._starting.join()
            self._starting = None

    def convert(self, jobs: list[Job], done: Callable[[Job], None] | None = None) -> None:
        """As pool.Converter.convert: every job converted, finished, inspected and written; JobsFailed lists
        the failures after the others are written."""
        if not jobs:
            return
        self.start()
        self.wait_started()
        if self._error is not None:
            raise self._error
        left = dict(enumerate(jobs))  # by the index the server answers with
        failures: list[tuple[Job, str]] = []
        shown: set[int] = set()  # jobs `done` was called for (once each, even when a batch is sent again)

        def progress(job: Job) -> None:
            if done is not None and id(job) not in shown:
                shown.add(id(job))
                done(job)
        for attempt in (1, 2):
            try:
                self._batch(left, failures, progress)
                break
            except ConnectionError as exc:  # the server died mid-batch: the rest once more, on a fresh one
                self.close()
                if attempt == 2:
                    raise ConversionError(f"the LibreOffice server failed: {exc}") from exc
                log.warning("the LibreOffice server failed (%s): converting the rest on a new one", exc)
                left = dict(enumerate(left.values()))
                self.wire = connect(self.settings)
        if failures:
            order = {id(job): i for i, job in enumerate(jobs)}
            raise JobsFailed(sorted(failures, key=lambda f: order[id(f[0])]), len(jobs))

    def _batch(self, left: dict[int, Job], failures: list[tuple[Job, str]], progress: Callable[[Job], None]) -> None:
        """Send the jobs in `left` (numbered 0..n-1), and take each out as the server settles it."""
        if self.wire is None:
            raise ConnectionError("not connected")
        wire, sent = self.wire, dict(left)
        wire.send({"op": "convert", "jobs": [
            {"docx": str(job.docx.resolve()), "pdf": str(job.pdf.resolve()), "title": job.title,
             "date": job.date.isoformat() if job.date else None, "author": job.author} for job in sent.values()]})
        fault_point("server-convert")  # the command killed while the server converts its jobs
        while True:
            answer = wire.receive(JOB_TIMEOUT)
            if "progress" in answer:
                progress(sent[int(answer["progress"])])
            elif "job" in answer:
                job = left.pop(int(answer["job"]))
                if answer.get("error") is not None:
                    failures.append((job, str(answer["error"])))
                progress(job)
            elif answer.get("ok"):
                return
            else:
                raise ConversionError(str(answer.get("error") or f"unexpected answer from the server: {answer}"))

    def close(self) -> None:
        """Disconnect; the server and its LibreOffice stay warm for the next command."""
        self.wait_started()
        if self.wire is not None:
            self.wire.close()
            self.wire = None

    def __enter__(self) -> "ServerConverter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Fallback:
    """The server if one can be had, else a pool in this process (the same PDFs, LibreOffice started cold)."""

    def __init__(self, server: ServerConverter, local: Callable[[], PdfConverter]) -> None:
        self.server, self.local_factory = server, local
        self.local: PdfConverter | None = None

    def start(self, wanted: int | None = None) -> None:
        self.server.start(wanted)

    def wait_started(self) -> None:
        self.server.wait_started()

    def convert(self, jobs: list[Job], done: Callable[[Job], None] | None = None) -> None:
        if self.local is None:
            try:
                return self.server.convert(jobs, done)
            except ServerUnavailable as exc:
                log.warning("%s; converting in this process", exc)
                self.local = self.local_factory()
        self.local.convert(jobs, done)

    def close(self) -> None:
        self.server.close()
        if self.local is not None:
            self.local.close()

    def __enter__(self) -> "_Fallback":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_converter(settings: Settings, workers: int | None = None, seed: Path | None = None) -> PdfConverter:
    """The converter a command uses: the project's warm server (settings.server: the command line's
    default, unless --no-server or `server: false` in reportgen.yaml), else a pool of its own."""
    def local() -> PdfConverter:
        from reportgen.pdf.pool import Converter  # LibreOffice in this process: imported only when needed

        return Converter(workers, seed)

    if not settings.server:
        return local()
    return _Fallback(ServerConverter(settings), local)
