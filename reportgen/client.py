"""The `reportgen` console script: a command runs in a warm reportgen when one serves this Python
environment, else in this process as always.

A command spends most of its time as a fresh process importing (pydantic, our models, click, python-docx,
jinja2, markdown-it...). The preloader (reportgen.preload) has paid that once: this client hands it the
command (argv, cwd, the whole environment, umask, the stdio encodings) and its own stdin, stdout and stderr
(SCM_RIGHTS), and the preloader forks a child that becomes the command, writing straight to the user's
terminal or pipe. The client forwards SIGINT, SIGTERM and SIGHUP to it, stops it and continues it with
itself on Ctrl-Z (SIGTSTP), and exits with its status.

Cold (the command runs here, as `reportgen.cli.run`), when: --no-server, $REPORTGEN_NO_SERVER (both also
turn the LibreOffice server off) or $REPORTGEN_NO_WARM (only this); Python
started with options of its own; a command that is not on the short list below; no preloader answers
(one is then started in the background for the next command); the preloader finds its code changed
(stale: it exits, and a fresh one is started); or the project's reportgen.yaml says `server: false`.

This module imports only what a bare Python has loaded or what costs well under a millisecond (see
reportgen.warm): its start-up is the client's whole overhead on a warm command.
"""
from __future__ import annotations

import os
import sys

import _socket

from reportgen import warm

#: Commands a preloader may run: those that never ask the user anything. Not `sign` (ssh-keygen may ask for
#: a passphrase on /dev/tty), nor init, import, new, server, style...; not `publish --watch` (it stays).
WARM_COMMANDS = ("check", "status", "build", "publish", "diff")
#: Turns off the warm reportgen only (the LibreOffice server stays on): REPORTGEN_NO_WARM=1.
NO_WARM_ENV = "REPORTGEN_NO_WARM"
#: A preloader that has not forked the command this long after the request is hung: killed and replaced.
ANSWER_TIMEOUT = 5.0
#: The preloader, started in the background: its sys.path is the client's (a `-c` would put '' first).
BOOT = "import sys; sys.path[:] = sys.argv[3:]; from reportgen.preload import main; main(sys.argv[1], float(sys.argv[2]))"


def run() -> None:
    """The `reportgen` command."""
    start = False
    if servable(sys.argv[1:]):
        try:
            path: str | None = warm.socket_path()
        except OSError:  # an unsafe socket folder, a path too long: as without a preloader, and none started
            path = None
        if path is not None:
            code, start = served(path)
            if code is not None:
                sys.exit(code)
    cold(start)


def servable(argv: list[str]) -> bool:
    """May a preloader run this command? Only a plain `reportgen` (no interpreter options: they would make
    another Python), not turned off, and a command on the list."""
    if switched_on("REPORTGEN_NO_SERVER") or switched_on(NO_WARM_ENV) or "--no-server" in argv:
        return False
    if len(sys.orig_argv) != len(sys.argv) + 1 or sys.orig_argv[2:] != argv or sys.orig_argv[1].startswith("-"):
        return False
    words = argv[1:] if argv[:1] in (["-v"], ["--verbose"]) else argv
    if not words or words[0] not in WARM_COMMANDS:
        return False
    return not (words[0] == "publish" and "--watch" in words)


#: What click reads as "no" in a flag's environment variable (click.types.BoolParamType), so that the client
#: and the command agree: REPORTGEN_NO_SERVER=0 turns nothing off in either. Any other value turns it off
#: here (a value click refuses is then refused by the command, run cold).
OFF_VALUES = ("", "0", "false", "f", "no", "n", "off")


def switched_on(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in OFF_VALUES


def request_fields() -> list[str]:
    """What the child needs to become this process: see reportgen.preload.Request."""
    mask = os.umask(0o022)
    os.umask(mask)
    streams = []
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        streams += [stream.encoding, str(stream.errors), str(int(stream.line_buffering)),
                    str(int(getattr(stream, "write_through", False)))]
    env = [f"{k}={v}" for k, v in os.environ.items()]
    return [warm.VERSION, "run", warm.identity(), os.getcwd(), str(mask), *streams, str(len(sys.argv)), *sys.argv, *env]


def served(path: str) -> tuple[int | None, bool]:
    """(exit code, False) of the command run by the preloader; (None, start) when it must run cold here,
    `start` saying whether to start a preloader afterwards."""
    sock = warm.connect(path, ANSWER_TIMEOUT)
    if sock is None:
        return None, True
    try:
        if None in (sys.stdin, sys.stdout, sys.stderr):
            return None, False
        data = warm.frame(request_fields())
        fds = b"".join(fd.to_bytes(4, sys.byteorder) for fd in (0, 1, 2))
        sent = sock.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, fds)])
        if sent < len(data):  # (not an empty send: the preloader may have answered and closed by now)
            sock.sendall(data[sent:])
        return answered(sock)
    except OSError:  # a closed stdio descriptor, a preloader gone or hung mid-way
        return None, False
    finally:
        sock.close()


def answered(sock: _socket.socket) -> tuple[int | None, bool]:
    """Follow the command to its end, forwarding signals to it."""
    import signal

    def forward(signum: int, frame: object) -> None:
        try:
            sock.send(warm.SIGNAL + warm.number(signum))
        except OSError:
            pass

    def suspend(signum: int, frame: object) -> None:
        """Ctrl-Z: the terminal stops this client (its foreground process), not the command, which runs in the
        preloader's session. So the command is stopped first, then this process as the shell expects; `fg` or
        `bg` continues this process, which continues the command."""
        forward(signal.SIGTSTP, frame)
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)  # stops here until SIGCONT
        signal.signal(signal.SIGTSTP, suspend)
        forward(signal.SIGCONT, frame)

    handlers = {signal.SIGINT: forward, signal.SIGTERM: forward, signal.SIGHUP: forward, signal.SIGTSTP: suspend}
    before = {signum: signal.signal(signum, handler) for signum, handler in handlers.items()}
    try:
        return _follow(sock)
    finally:  # a command declined runs cold here, with this process's own handlers
        for signum, handler in before.items():
            signal.signal(signum, handler)


def _follow(sock: _socket.socket) -> tuple[int | None, bool]:
    import signal

    forked = False
    while True:
        try:
            head = warm.receive_exactly(sock, 5)
        except TimeoutError:  # no fork within ANSWER_TIMEOUT: hung; replaced (a child it forks dies with it)
            os.kill(warm.peer_uid(sock)[0], signal.SIGKILL)
            return None, True
        if len(head) < 5:  # the preloader died: its child was told to stop as it did (SIGTERM)
            if not forked:
                return None, True
            sys.stderr.write("reportgen: the warm reportgen stopped while running the command\n")
            return 128 + signal.SIGTERM, False
        kind, value = head[:1], int.from_bytes(head[1:], "big", signed=True)
        if kind == warm.FORKED:
            forked = True
            sock.settimeout(None)  # the command may take minutes
        elif kind == warm.EXITED:
            return (value if value >= 0 else 128 - value), False
        elif kind == warm.DECLINED:
            return None, False
        else:  # STALE (it exits: start a fresh one) or OTHER (another environment: leave it)
            return None, kind == warm.STALE


def cold(start: bool) -> None:
    """Run the command in this process, as the console script always did; then, if `start`, start a
    preloader in the background for the next command."""
    from reportgen.cli import run as command

    try:
        command()
    finally:
        if start:
            start_preloader()


def start_preloader() -> None:
    """A preloader for this environment, detached (its own session: a Ctrl-C at the terminal is not its),
    its output to a log beside its socket. Never fails the command that starts it."""
    import subprocess

    try:
        path = warm.socket_path()
        with open(os.open(path[:-5] + ".log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab") as log:
            subprocess.Popen([sys.executable, "-c", BOOT, path, str(warm.idle_seconds()), *sys.path],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log, cwd="/",
                             start_new_session=True, close_fds=True)
    except OSError:
        pass
