"""What another user gets from a server's UNIX socket (the LibreOffice server's, the warm reportgen's)."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

# Run as nobody: connect, send one request, say what came back.
_PROBE = ("import socket,sys\ns=socket.socket(socket.AF_UNIX)\ns.settimeout(5)\ntry:\n s.connect(sys.argv[1])\n"
          "except OSError as e:\n print(type(e).__name__); sys.exit()\ntry:\n"
          " s.sendall(bytes.fromhex(sys.argv[2]))\n data = s.recv(100)\nexcept OSError:\n data = b''\n"
          "print('answered', data) if data else print('hung up')\n")


def as_nobody(path: Path, request: bytes) -> str:
    """What user nobody gets sending `request` to the socket at `path`: an error's name, "hung up" or the
    answer."""
    return subprocess.run(["/usr/bin/python3", "-I", "-c", _PROBE, str(path), request.hex()], capture_output=True,
                          text=True, timeout=30, cwd="/", user=65534, group=65534).stdout.strip()


def other_user(sock: Path, request: bytes) -> tuple[str, str]:
    """What another user gets: through the socket's own folder (which keeps them out), then through the same
    socket reachable by everyone (a hard link in an open folder, 0666: as a folder opened by mistake)."""
    direct = as_nobody(sock, request)
    opened = Path(tempfile.mkdtemp(prefix="rg-open-"))  # a folder every user can enter (the test's is not)
    try:
        opened.chmod(0o755)
        os.link(sock, opened / "s")
        sock.chmod(0o666)
        return direct, as_nobody(opened / "s", request)
    finally:
        sock.chmod(0o600)
        shutil.rmtree(opened)
