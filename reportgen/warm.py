"""The warm reportgen (a preloading command server): what its client (reportgen.client) and the preloader
(reportgen.preload) share: where its socket is, which Python environment it serves, and the wire.

Imported by the `reportgen` console script before anything else, so it uses only modules a bare Python
has already loaded or that cost well under a millisecond: os, sys, zlib and _socket (the C module under
`socket`; `socket` itself spends milliseconds turning its constants into enums the client never prints).

One preloader per user and Python environment: the interpreter, sys.path, reportgen's location, sys.flags,
warnings and -X options, the file system encoding and the uid (`identity`). Any difference means another
socket, so a command never runs on code or settings other than its own. The socket lives in the same
private folder as the LibreOffice server's (`folder`: 0700, checked to be the user's own).
"""
from __future__ import annotations

import os
import sys
import zlib

import _socket

#: Protocol version, first field of every request: a client and a preloader of other versions never talk.
VERSION = "1"
#: A preloader idle (no command running, none served) for this long exits, as the LibreOffice server does.
IDLE_SECONDS = 300.0
IDLE_ENV = "REPORTGEN_SERVER_IDLE"
MAX_SOCKET_PATH = 107  # sun_path holds 108 bytes with its NUL

# One-byte answers of the preloader (each followed by a 4-byte signed number, or a length and text for STATUS).
FORKED = b"R"     # the command runs in child <pid>
STALE = b"S"      # a module file changed since the preloader loaded it: it exits; run cold, start a new one
OTHER = b"O"      # another environment (a digest collision): run cold
DECLINED = b"D"   # the child read `server: false` in reportgen.yaml before running anything: run cold
EXITED = b"E"     # the command ended: its exit code (negative: killed by that signal)
STATUS = b"T"     # an answer to `status` / `stop`: key=value lines follow
# Sent by the client after a request.
SIGNAL = b"K"     # forward this signal to the command


class Unsafe(OSError):
    """The socket folder is not a folder only this user can open, or a socket path is too long."""


def folder(create: bool = True) -> str:
    """The user's folder for server sockets ($XDG_RUNTIME_DIR/reportgen, else <temp>/reportgen-server-<uid>),
    made 0700 if missing (and `create`); refused unless it is the user's own real folder, closed to others."""
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg:
        path = os.path.join(xdg, "reportgen")
    else:
        import tempfile  # only without XDG_RUNTIME_DIR: tempfile costs the client a few milliseconds

        path = os.path.join(tempfile.gettempdir(), f"reportgen-server-{os.getuid()}")
    if create:
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if create:
            raise
        return path
    if (info.st_mode & 0o170000) != 0o040000 or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise Unsafe(f"{path} is not a folder only this user can open (0700): not using a server")
    return path


def identity() -> str:
    """What makes this Python environment: a preloader serves only clients with exactly the same."""
    package = os.path.dirname(os.path.abspath(__file__))
    parts = [VERSION, sys.executable, sys.version, sys.prefix, package, repr(sys.flags), repr(sys.warnoptions),
             repr(sorted(sys._xoptions.items())), sys.getfilesystemencoding(), sys.getfilesystemencodeerrors(),
             str(os.getuid()), *limits(), *sys.path]
    return "\x1f".join(parts)  # not NUL: it travels as one field of a request


def limits() -> list[str]:
    """The process's resource limits (ulimit -a). A served command runs under its preloader's, which are
    those of the command that started it: a client under other limits (a CPU-time or memory cap set for a
    scheduled job, say) gets a preloader of its own, started by it, under its limits."""
    import resource  # (a C module of a few microseconds, as zlib)

    return [f"{name}={resource.getrlimit(getattr(resource, name))}"
            for name in sorted(n for n in dir(resource) if n.startswith("RLIMIT_"))]


def socket_path(create: bool = True) -> str:
    """This environment's preloader socket: named by two CRC-32s of its identity (a collision is caught
    by the full identity the client sends; it then runs cold)."""
    data = identity().encode("utf-8", "surrogateescape")
    key = f"{zlib.crc32(data):08x}{zlib.crc32(data, 0x5EED):08x}"
    path = os.path.join(folder(create), f"warm-{key}.sock")
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        raise Unsafe(f"the socket path {path} is too long for a UNIX socket")
    return path


def idle_seconds() -> float:
    try:
        return float(os.environ.get(IDLE_ENV) or IDLE_SECONDS)
    except ValueError:
        return IDLE_SECONDS


def peer_uid(sock: _socket.socket) -> tuple[int, int]:
    """(pid, uid) of the other end, from the kernel (SO_PEERCRED: struct ucred of three ints)."""
    raw = sock.getsockopt(_socket.SOL_SOCKET, _socket.SO_PEERCRED, 12)
    return int.from_bytes(raw[0:4], sys.byteorder, signed=True), int.from_bytes(raw[4:8], sys.byteorder, signed=True)


def number(value: int) -> bytes:
    return value.to_bytes(4, "big", signed=True)


def receive_exactly(sock: _socket.socket, size: int) -> bytes:
    """`size` bytes, or fewer if the other end closed the connection first."""
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def frame(fields: list[str]) -> bytes:
    """A request: its length, then its fields separated by NUL (no argument, path or variable holds one)."""
    payload = b"\0".join(os.fsencode(field) for field in fields)
    return len(payload).to_bytes(4, "big") + payload


def unframe(payload: bytes) -> list[str]:
    return [os.fsdecode(field) for field in payload.split(b"\0")]


def connect(path: str, timeout: float) -> _socket.socket | None:
    """A connection to the preloader at `path` if one listens and it is this user's, else None."""
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
    except OSError:  # nothing there, a socket nobody listens on (a preloader killed), or no folder
        sock.close()
        return None
    if peer_uid(sock)[1] != os.getuid():  # another user's process on our path: never talk to it
        sock.close()
        return None
    return sock


def request(op: str, timeout: float = 3.0) -> dict[str, str] | None:
    """Ask this environment's preloader for `status` or to `stop` (it finishes the commands it runs first);
    None when none answers."""
    try:
        sock = connect(socket_path(create=False), timeout)
    except Unsafe:
        return None
    if sock is None:
        return None
    try:
        sock.sendall(frame([VERSION, op]))
        head = receive_exactly(sock, 5)
        if head[:1] != STATUS:
            return None
        text = receive_exactly(sock, int.from_bytes(head[1:], "big")).decode("utf-8")
        answer = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
        if op == "stop":  # wait until it has gone: it stops listening at once, exits after its commands
            sock.settimeout(60.0)
            try:
                receive_exactly(sock, 1)  # the connection closes as it exits
            except OSError:
                pass
        return answer
    except OSError:
        return None
    finally:
        sock.close()
