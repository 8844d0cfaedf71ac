"""The warm LibreOffice server: `python -m reportgen.pdf.serve SOCKET IDLE SEED`, started by server.connect.

It owns its socket through a lock held for its whole life (SOCKET with .lock), so two commands starting a
server at once leave one: the other waits a few seconds for the lock (a server exiting lets it go), then exits. It answers one connection per thread
and converts one batch at a time on one pool.Converter (the pool's workers are not shared between two
batches at once). Each connection is checked with SO_PEERCRED: only the user who owns the server is
answered. With no connection for IDLE seconds it exits; on `stop`, SIGTERM or SIGINT it closes
LibreOffice and removes its socket, lock and log. Killed with SIGKILL, its LibreOffice workers die with it
(their bridges watch their parent) and the next server removes what it left.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

from reportgen import cleanup, warm
from reportgen.errors import ConversionError, JobsFailed
from reportgen.fs import own_lock
from reportgen.pdf.job import Job
from reportgen.pdf.server import Wire, code_stamp

log = logging.getLogger("reportgen.server")


class Server:
    def __init__(self, path: Path, idle: float, seed: Path) -> None:
        from reportgen.pdf.pool import Converter

        self.path, self.idle = path, idle
        self.code = code_stamp()  # of the code loaded now: files edited later make it out of date
        self.pool = Converter(None, seed)
        self.batch = threading.Lock()  # one batch at a time on the pool
        self.active = 0
        self.using = 0  # connections of commands that will convert (said so in hello): they hold the server
        self.last = time.monotonic()
        self.started = time.time()
        self.converted = 0
        self.stopping = threading.Event()
        self.lock = threading.Lock()

    def files(self) -> list[Path]:
        return [self.path, self.path.with_suffix(".log"), self.path.with_suffix(".lock")]

    def serve(self, listener: socket.socket) -> None:
        self.pool.start()  # warm at once: the command that started us is about to send its batch
        listener.settimeout(0.5)
        while not self.stopping.is_set():
            # Idle is judged on every turn, not only when accept times out, and only connections of commands
            # that convert hold the server: `server status` polled back to back must not keep it alive.
            with self.lock:
                if self.using == 0 and time.monotonic() - self.last > self.idle:
                    log.info("idle for %.0f s: exiting", self.idle)
                    break
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            _pid, uid = warm.peer_uid(conn)
            if uid != os.getuid():  # another user, through a folder opened by mistake: not answered
                log.warning("refused a connection from uid %d", uid)
                conn.close()
                continue
            with self.lock:
                self.active += 1
            threading.Thread(target=self.answer, args=(conn,), daemon=True).start()

    def answer(self, conn: socket.socket) -> None:
        wire = Wire(conn)
        used = False  # converted something: only that is use (`server status` polled in a loop is not)
        holding = False
        try:
            while not self.stopping.is_set():
                message = wire.receive(None)
                op = message.get("op")
                if op in ("hello", "convert") and message.get("use", True) and not holding:
                    holding = True
                    with self.lock:
                        self.using += 1
                if op == "hello":
                    wire.send({"ok": True, "pid": os.getpid(), "code": self.code})
                elif op == "status":
                    wire.send(self.status())
                elif op == "stop":
                    wire.send({"ok": True, "pid": os.getpid()})
                    self.stopping.set()
                elif op == "convert":
                    used = True
                    self.convert(wire, message.get("jobs") or [])
                else:
                    wire.send({"error": f"unknown request {op!r}"})
        except (ConnectionError, OSError, ValueError):
            pass  # the command went away (or sent garbage): its connection ends here
        finally:
            wire.close()
            with self.lock:
                self.active -= 1
                self.using -= holding
                if used:
                    self.last = time.monotonic()

    def status(self) -> dict[str, Any]:
        with self.lock:
            idle = 0.0 if self.using else time.monotonic() - self.last
        return {"ok": True, "pid": os.getpid(), "socket": str(self.path), "up": time.time() - self.started,
                "workers": len(self.pool.workers), "converted": self.converted,
                "exits_in": max(0.0, self.idle - idle)}

    def convert(self, wire: Wire, requested: list[dict[str, Any]]) -> None:
        jobs = [Job(Path(r["docx"]), Path(r["pdf"]), str(r["title"]),
                    dt.date.fromisoformat(r["date"]) if r.get("date") else None, str(r.get("author") or ""))
                for r in requested]
        index = {id(job): i for i, job in enumerate(jobs)}
        failed: dict[int, str] = {}
        with self.batch:
            try:  # each job's progress as it is done; whether it failed, once the batch ends (JobsFailed)
                self.pool.convert(jobs, lambda job: wire.send({"progress": index[id(job)]}))
            except JobsFailed as exc:
                failed = {index[id(job)]: reason for job, reason in exc.failures}
            except ConversionError as exc:
                wire.send({"error": str(exc)})
                return
            finally:
                self.converted += len(jobs)
        for i in range(len(jobs)):
            wire.send({"job": i, "error": failed.get(i)})
        wire.send({"ok": True})


def main(argv: list[str]) -> int:
    path, idle, seed = Path(argv[0]), float(argv[1]), Path(argv[2])
    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s server {os.getpid()} %(levelname)s %(message)s")
    path.parent.mkdir(mode=0o700, exist_ok=True)  # removed by a server that just exited, maybe
    lock = own_lock(path.with_suffix(".lock"))
    if lock is None:
        return 0  # another server owns this socket: the command connects to it
    cleanup.install()
    server = Server(path, idle, seed)
    path.unlink(missing_ok=True)  # a killed server's socket: ours now
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)  # the socket is made 0600, never briefly open to others
    try:
        listener.bind(str(path))
    finally:
        os.umask(old)
    listener.listen(16)

    def stop_listening() -> None:
        # First of all: a command that connects now must be refused (and start a new server), not accepted
        # into a backlog nobody reads, where it would wait for an answer and kill us as hung.
        listener.close()
        path.unlink(missing_ok=True)

    def remove_files() -> None:
        stop_listening()
        for file in server.files():
            file.unlink(missing_ok=True)  # the lock last: a new server may take the path only now
        try:
            path.parent.rmdir()  # the user's socket folder, when no other project's server is in it
        except OSError:
            pass

    cleanup.on_stop(remove_files)  # run last (stops run in reverse): LibreOffice first, then these
    cleanup.on_stop(server.pool.close)
    cleanup.on_stop(stop_listening)
    try:
        server.serve(listener)
    finally:
        stop_listening()
        server.pool.close()
        remove_files()
        os.close(lock)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
