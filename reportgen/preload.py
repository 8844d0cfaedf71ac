"""The warm reportgen's preloader: started in the background by the `reportgen` client (reportgen.client)
as `python -c BOOT SOCKET IDLE SYS.PATH...`; it imports what commands need once, then forks one child per
command, which becomes that command (Android's zygote, Rails' Spring, mypy's dmypy do the same).

* Imports only: nothing it computes before forking may depend on content, a project, the current folder,
  the environment or the date (every child starts as a fresh process would from there). Not imported:
  enchant, which builds its dictionary broker from the environment as it is imported.
* Single-threaded (a process with other threads must not fork): one loop over the listening socket, the
  clients' connections and a pipe that signals write to (signal.set_wakeup_fd).
* Never stale: every module file loaded is recorded (size, mtime_ns) and checked before each fork; any
  change (an edit, a pip upgrade) and it answers STALE and exits; the client runs the command cold and
  starts a fresh preloader.
* Owns its socket through a lock held for its whole life (fs.own_lock), as the LibreOffice server does;
  answers only its own user (SO_PEERCRED); exits after IDLE seconds with no command, or on `stop` or
  SIGTERM, once the commands it runs have ended, removing its socket, log and lock.
* A client that goes away (killed, even with SIGKILL) has its command stopped with SIGTERM, which the
  command handles as a cold one does (temporary files and LibreOffice removed). A preloader that dies
  takes its children with it (PR_SET_PDEATHSIG: SIGTERM).
"""
from __future__ import annotations

import array
import ctypes
import gc
import importlib
import io
import locale
import os
import selectors
import signal
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from reportgen import warm
from reportgen.cli import PYDANTIC_PLUGINS
from reportgen.fs import own_lock

#: What the commands served (check, status, build, publish, diff) import, found by running them: the
#: modules and the third-party libraries they load lazily on their usual path.
PRELOAD = (
    "reportgen.cli", "reportgen.pipeline", "reportgen.check.catalogue", "reportgen.check.engine",
    "reportgen.check.output", "reportgen.check.status", "reportgen.check.diff", "reportgen.check.bar",
    "reportgen.check.dictionary", "reportgen.check.flesch", "reportgen.check.memo", "reportgen.check.textscan",
    "reportgen.content.attachments", "reportgen.content.dates", "reportgen.layout.signoffs",
    "reportgen.docx.render", "reportgen.docx.writer", "reportgen.docx.remembered", "reportgen.docx.scrub",
    "reportgen.publish.run", "reportgen.pdf.server", "reportgen.parallel",
    "docx", "docxtpl", "jinja2", "lxml.etree", "markdown_it", "pyphen", "sqlite3", "multiprocessing.pool",
)
try:  # the C library, for prctl in each child (loaded once here: not a few milliseconds per command)
    _LIBC: ctypes.CDLL | None = ctypes.CDLL(None, use_errno=True)
except OSError:
    _LIBC = None
#: Environment variables what is preloaded depends on, each with the value a command gives it when the
#: user has not set it (pydantic reads this one as it builds its first validator: cli.main sets it): a
#: client whose effective value differs has its command run cold. (The preloader's own environment is
#: the cold command's that started it, which has already set its default.)
PRELOAD_ENV = dict([PYDANTIC_PLUGINS])
ACCEPT_TIMEOUT = 2.0  # for a client to send its whole request once connected
#: Signals a client forwards to its command: stop requests, and Ctrl-Z's stop and continue.
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGTSTP, signal.SIGCONT)


def build_models() -> int:
    """Build the validators of reportgen's models now (they are deferred until first used, so that a cold
    command pays only for the models it uses): the same for every command, whatever its content."""
    from pydantic import BaseModel
    from pydantic._internal._mock_val_ser import MockValSer

    built = 0
    for name, module in list(sys.modules.items()):
        if name.startswith("reportgen."):
            for value in list(vars(module).values()):
                if (isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == name
                        and isinstance(value.__pydantic_validator__, MockValSer)):
                    value.model_rebuild(force=True)
                    built += 1
    return built


def log(message: str) -> None:
    """A line in the preloader's log (its stderr, the log file beside its socket)."""
    sys.stderr.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} warm reportgen {os.getpid()}: {message}\n")
    sys.stderr.flush()


def loaded_files() -> dict[str, tuple[int, int]]:
    """(size, mtime_ns) of every module file loaded (sources, bytecode without source, extensions)."""
    files: dict[str, tuple[int, int]] = {}
    for module in list(sys.modules.values()):
        name = getattr(module, "__file__", None)
        if isinstance(name, str) and name not in files:
            try:
                info = os.stat(name)
            except OSError:
                continue
            files[name] = (info.st_size, info.st_mtime_ns)
    return files


def changed(files: dict[str, tuple[int, int]]) -> str | None:
    """The first recorded file that changed or went since it was loaded, else None."""
    for name, seen in files.items():
        try:
            info = os.stat(name)
        except OSError:
            return name
        if (info.st_size, info.st_mtime_ns) != seen:
            return name
    return None


@dataclass
class Request:
    """A client's command, as it sent it (reportgen.client.request_fields), with its stdio descriptors."""

    conn: socket.socket
    fds: list[int]
    fields: list[str]

    def become(self) -> None:
        """Make this child the client's process: its stdio, folder, environment, umask, locale and argv."""
        f = self.fields
        cwd, umask, streams, argc = f[3], int(f[4]), f[5:17], int(f[17])
        argv, env = f[18:18 + argc], f[18 + argc:]
        for target, fd in enumerate(self.fds):
            os.dup2(fd, target)
        for fd in self.fds:
            if fd > 2:
                os.close(fd)
        for target, name in enumerate(("stdin", "stdout", "stderr")):
            encoding, errors, line_buffering, write_through = streams[4 * target:4 * target + 4]
            stream = _stdio(target, encoding, errors, line_buffering == "1", write_through == "1")
            setattr(sys, name, stream)
            setattr(sys, f"__{name}__", stream)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(dict(entry.split("=", 1) for entry in env if "=" in entry))
        time.tzset()
        try:  # as Python sets it at start-up, from the client's environment (ignoring a locale it lacks)
            locale.setlocale(locale.LC_CTYPE, "")
        except locale.Error:
            pass
        tempfile.tempdir = None  # tempfile caches the folder it found: find it again in the client's $TMPDIR
        os.umask(umask)
        sys.argv = argv

    def declined(self, preloaded_env: dict[str, str | None]) -> bool:
        """The project's reportgen.yaml says `server: false`, or the client's environment differs in what
        the preload read: the client then runs the command itself. A project file that cannot be read is
        the command's to report, not a reason to decline."""
        from reportgen.style.settings import Settings

        if any(os.environ.get(name, PRELOAD_ENV[name]) != value for name, value in preloaded_env.items()):
            return True
        try:
            settings = Settings.load(Path.cwd(), (), server=True)
        except Exception:  # noqa: BLE001 - the command reads it again and reports the problem, located
            return False
        return not settings.server


def _stdio(fd: int, encoding: str, errors: str, line_buffering: bool, write_through: bool) -> io.TextIOWrapper:
    """sys.stdin/stdout/stderr as Python makes them at start-up (create_stdio), with the client's settings."""
    mode = "r" if fd == 0 else "w"
    buffered = io.open(fd, mode + "b", buffering=-1, closefd=False)
    stream = io.TextIOWrapper(buffered, encoding, errors, newline="\n", line_buffering=line_buffering,
                              write_through=write_through)
    stream.mode = mode  # type: ignore[misc]
    return stream


class Preloader:
    def __init__(self, path: str, idle: float, identity: str, files: dict[str, tuple[int, int]], lock: int) -> None:
        self.path, self.idle, self.identity, self.files, self.lock = path, idle, identity, files, lock
        self.pid = os.getpid()
        self.listener: socket.socket | None = None
        self.selector = selectors.DefaultSelector()
        self.wakeup_r, self.wakeup_w = os.pipe()
        self.children: dict[int, socket.socket | None] = {}  # pid: its client's connection (None: gone)
        self.waiting: list[socket.socket] = []  # `stop` requests, answered when we exit
        self.stopping = False
        self.started = time.time()
        self.last = time.monotonic()
        self.served = 0

    # ------------------------------------------------------------------ the loop

    def serve(self) -> Request | None:
        """Serve until idle or stopped (None); in a forked child, return its request."""
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)  # the socket is made 0600, never briefly open to others
        try:
            os.unlink(self.path)  # a killed preloader's socket: ours now (we hold the lock)
        except FileNotFoundError:
            pass
        try:
            listener.bind(self.path)
        finally:
            os.umask(old)
        listener.listen(16)
        self.listener = listener
        os.set_blocking(self.wakeup_r, False)
        os.set_blocking(self.wakeup_w, False)
        signal.set_wakeup_fd(self.wakeup_w, warn_on_full_buffer=False)
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, self.on_signal)
        self.selector.register(listener, selectors.EVENT_READ)
        self.selector.register(self.wakeup_r, selectors.EVENT_READ)
        log(f"listening on {self.path} ({len(self.files)} module files loaded)")
        while True:
            self.reap()
            if self.stopping and not self.children:
                return None
            if not self.stopping and not self.children and time.monotonic() - self.last > self.idle:
                log(f"idle for {self.idle:.0f} s: exiting")
                return None
            for key, _events in self.selector.select(timeout=0.5):
                if key.fileobj is listener:
                    request = self.accept(listener)
                    if request is not None:
                        return request  # in the child
                elif key.fileobj == self.wakeup_r:
                    try:
                        os.read(self.wakeup_r, 512)
                    except BlockingIOError:
                        pass
                else:
                    self.from_client(key.fileobj)  # type: ignore[arg-type]

    def on_signal(self, signum: int, frame: object) -> None:
        if signum != signal.SIGCHLD:  # SIGCHLD only wakes the loop up, which reaps
            self.stop(f"stopped by {signal.Signals(signum).name}")

    def stop(self, why: str) -> None:
        """Take no more commands (the socket goes at once: the next client starts a new preloader);
        exit when the running ones have ended."""
        if not self.stopping:
            log(why)
        self.stopping = True
        if self.listener is not None:
            self.selector.unregister(self.listener)
            self.listener.close()
            self.listener = None
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass

    def reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = self.children.pop(pid, None)
            self.last = time.monotonic()
            if conn is not None:
                self.answer(conn, warm.EXITED + warm.number(os.waitstatus_to_exitcode(status)))
                self.drop(conn)

    def answer(self, conn: socket.socket, data: bytes) -> None:
        try:
            conn.sendall(data)
        except OSError:
            pass  # the client went away: nothing to tell

    def drop(self, conn: socket.socket) -> None:
        try:
            self.selector.unregister(conn)
        except (KeyError, ValueError):
            pass
        conn.close()

    def from_client(self, conn: socket.socket) -> None:
        """A running command's client spoke: a signal to forward, or it went away (then its command stops)."""
        pid = next((p for p, c in self.children.items() if c is conn), None)
        try:
            data = conn.recv(5)
            if 0 < len(data) < 5:
                data += warm.receive_exactly(conn, 5 - len(data))
        except OSError:
            data = b""
        if pid is None:
            self.drop(conn)
            return
        if len(data) == 5 and data[:1] == warm.SIGNAL:
            signum = int.from_bytes(data[1:], "big", signed=True)
            if signum in FORWARDED:
                # The command is in this preloader's process group, which no shell controls (an orphaned
                # group): the kernel drops a SIGTSTP sent to it. SIGSTOP stops it as Ctrl-Z would.
                _kill(pid, signal.SIGSTOP if signum == signal.SIGTSTP else signum)
            return
        log(f"the client of command {pid} went away: stopping it")
        _kill(pid, signal.SIGTERM)
        self.children[pid] = None
        self.drop(conn)

    # ------------------------------------------------------------------ one request

    def accept(self, listener: socket.socket) -> Request | None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return None
        if warm.peer_uid(conn)[1] != os.getuid():  # another user, through a folder opened by mistake
            log("refused a connection from another user")
            conn.close()
            return None
        conn.settimeout(ACCEPT_TIMEOUT)
        fds: list[int] = []
        try:
            fields, fds = _receive(conn)
        except (OSError, ValueError):
            fields = []
        if fields[:1] != [warm.VERSION]:
            _close(fds)
            conn.close()
            return None
        op = fields[1] if len(fields) > 1 else ""
        if op in ("status", "stop"):
            _close(fds)
            self.answer(conn, _status_answer(self.status()))
            if op == "stop":
                self.waiting.append(conn)
                self.stop("stopped on request")
            else:
                conn.close()
            return None
        if op != "run" or len(fds) != 3 or len(fields) < 18:
            _close(fds)
            conn.close()
            return None
        if fields[2] != self.identity:
            _close(fds)
            self.answer(conn, warm.OTHER + warm.number(0))
            conn.close()
            return None
        stale = changed(self.files)
        if stale is not None:
            _close(fds)
            self.answer(conn, warm.STALE + warm.number(0))
            conn.close()
            self.stop(f"{stale} changed since it was loaded: exiting")
            return None
        return self.fork(conn, fds, fields)

    def fork(self, conn: socket.socket, fds: list[int], fields: list[str]) -> Request | None:
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            self.in_child(parent, conn)
            return Request(conn, fds, fields)
        _close(fds)  # the user's terminal or pipe is the child's alone: a reader sees EOF when it ends
        self.served += 1
        self.children[pid] = conn
        conn.settimeout(None)
        self.selector.register(conn, selectors.EVENT_READ)
        self.answer(conn, warm.FORKED + warm.number(pid))
        command = [word for word in fields[19:18 + int(fields[17])] if not word.startswith("-")][:1]
        log(f"forked {pid} for `{' '.join(command)}`")  # the command's name, not its arguments
        return None

    def in_child(self, parent: int, conn: socket.socket) -> None:
        """The child drops everything of the preloader's: its signal handlers, sockets, pipe and lock."""
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as a fresh Python has them
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
            signal.signal(signum, signal.SIG_DFL)
        _die_with(parent)
        for other in self.children.values():
            if other is not None:
                other.close()
        for waiting in self.waiting:
            waiting.close()
        if self.listener is not None:
            self.listener.close()
        self.selector.close()
        for fd in (self.wakeup_r, self.wakeup_w, self.lock):
            os.close(fd)
        conn.settimeout(None)

    def status(self) -> dict[str, str]:
        idle = 0.0 if self.children else time.monotonic() - self.last
        return {"pid": str(os.getpid()), "up": f"{time.time() - self.started:.1f}", "served": str(self.served),
                "running": str(len(self.children)), "exits_in": f"{max(0.0, self.idle - idle):.1f}",
                "socket": self.path, "modules": str(len(self.files))}

    def close(self) -> None:
        """On the way out: the socket, log and lock go, and the user's socket folder if it is empty."""
        self.stop("exiting")
        folder = os.path.dirname(self.path)
        log_file = self.path[:-5] + ".log"
        try:
            if os.stat(log_file).st_ino == os.fstat(2).st_ino:
                os.unlink(log_file)
        except OSError:
            pass
        os.unlink(self.path[:-5] + ".lock")  # the lock last: a new preloader may take the path only now
        os.close(self.lock)
        for conn in self.waiting:
            conn.close()  # `reportgen server stop` waits for this
        try:
            os.rmdir(folder)
        except OSError:
            pass


def _receive(conn: socket.socket) -> tuple[list[str], list[int]]:
    """A request's fields and the descriptors that came with it (close-on-exec here: only dup2 in the
    child makes them the command's stdio)."""
    fds: list[int] = []
    head, ancillary, _flags, _addr = conn.recvmsg(4, socket.CMSG_SPACE(3 * 4), socket.MSG_CMSG_CLOEXEC)
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            got = array.array("i")
            got.frombytes(data[:len(data) - len(data) % got.itemsize])
            fds += got.tolist()
    head += warm.receive_exactly(conn, 4 - len(head))
    size = int.from_bytes(head, "big")
    payload = warm.receive_exactly(conn, size)
    if len(head) != 4 or len(payload) != size or size > 64 << 20:
        raise ValueError("a short request")
    return warm.unframe(payload), fds


def _status_answer(values: dict[str, str]) -> bytes:
    text = "".join(f"{k}={v}\n" for k, v in values.items()).encode("utf-8")
    return warm.STATUS + len(text).to_bytes(4, "big") + text


def _close(fds: list[int]) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass


def _kill(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _die_with(parent: int) -> None:
    """SIGTERM to this child when the preloader dies (a command must never run unattended), as a client
    going away does; exit at once if it is gone already."""
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(128 + signal.SIGTERM)


def preload() -> dict[str, str | None]:
    """Import what the commands need and build reportgen's model validators; the values of PRELOAD_ENV
    that this read."""
    for name, default in PRELOAD_ENV.items():
        os.environ.setdefault(name, default)  # as the command itself would, before any validator is built
    for name in PRELOAD:
        importlib.import_module(name)
    read = {name: os.environ.get(name) for name in PRELOAD_ENV}
    build_models()
    return read


def _own_log(path: str) -> None:
    """A log file of our own as stderr, now that we own the socket: a preloader exiting as we started
    (holding the lock until then) removes only its own (`close` compares the inode)."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(fd, 2)
    os.close(fd)


def main(path: str, idle: float) -> None:
    """Preload, serve; in a forked child, become the client's process and run the command as the
    console script would (cli.run), ending as a fresh Python does (atexit, flushing, exit status)."""
    os.makedirs(os.path.dirname(path), 0o700, exist_ok=True)  # removed by a preloader that just exited, maybe
    lock = own_lock(Path(path[:-5] + ".lock"))
    if lock is None:
        return  # another preloader owns this socket
    _own_log(path[:-5] + ".log")
    preloaded_env = preload()
    gc.collect()
    gc.freeze()  # what was preloaded stays put: the children's collections skip it, and their pages stay shared
    preloader = Preloader(path, idle, warm.identity(), loaded_files(), lock)
    try:
        request = preloader.serve()
    finally:
        if os.getpid() == preloader.pid:  # not in a child
            preloader.close()
    if request is None:
        return
    log_fd = os.dup(2)  # the preloader's log, for the child's word on declining (fd 2 becomes the client's)
    request.become()
    if request.declined(preloaded_env):
        os.write(log_fd, f"{time.strftime('%Y-%m-%d %H:%M:%S')} warm reportgen {os.getpid()}: declined "
                         "(`server: false` in reportgen.yaml, or another environment): the client runs it\n".encode())
        preloader.answer(request.conn, warm.DECLINED + warm.number(0))
        os._exit(0)
    os.close(log_fd)
    request.conn.close()
    from reportgen.cli import run

    run()
