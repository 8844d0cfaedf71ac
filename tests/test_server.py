"""The warm LibreOffice server (reportgen.pdf.server, reportgen.pdf.serve), as users run it: every command
in a fresh process, with its own TMPDIR, so the server's folder, its LibreOffice and anything they leave
are this test's alone. The fixture stops the server whatever happens (no test leaves one running, in CI
or anywhere), and fails the test if a process of it outlives the stop."""
from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .sockets import other_user
from .test_hostile import _strays

REPORTGEN = Path(sys.executable).with_name("reportgen")


@dataclass
class Setup:
    root: Path  # the project (made by `reportgen init`)
    tmp: Path   # TMPDIR of every command: the server's folder and LibreOffice's profiles are in it
    env: dict[str, str]

    @property
    def folder(self) -> Path:
        return self.tmp / f"reportgen-server-{os.getuid()}"

    def run(self, *args: str, code: int | None = 0, **env: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([str(REPORTGEN), *args], cwd=self.root, env={**self.env, **env},
                                capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
        assert "Traceback" not in result.stderr, result.stderr
        if code is not None:
            assert result.returncode == code, (args, result.stdout, result.stderr)
        return result

    def pid(self) -> int:
        found = re.search(r"running: pid (\d+)", self.run("server", "status").stdout)
        assert found
        return int(found[1])

    def status(self) -> str:
        return self.run("server", "status").stdout


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    tmp = tmp_path / "t"
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PYTEST") and k not in ("REPORTGEN_NO_SERVER", "XDG_RUNTIME_DIR", "REPORTGEN_FAULT")}
    # REPORTGEN_NO_WARM: the LibreOffice server alone, its processes and files the only ones in TMPDIR
    # (tests/test_warm.py tests the warm reportgen, and the two side by side).
    env.update(TMPDIR=str(tmp), REPORTGEN_SERVER_IDLE="60", REPORTGEN_NO_WARM="1")
    subprocess.run([str(REPORTGEN), "init", "p", "--style", "oxfordshire", "--no-git"], cwd=tmp_path, env=env,
                   check=True, capture_output=True)
    made = Setup(tmp_path / "p", tmp, env)
    yield made
    made.run("server", "stop", code=None)
    deadline = time.monotonic() + 10
    while _strays(str(tmp)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _strays(str(tmp))
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "a process of the server outlived `reportgen server stop`"


def _one_pdf(setup: Setup, *args: str, **env: str) -> bytes:
    setup.run("build", "--pdf", "-q", *args, **env)
    [pdf] = (setup.root / "build").rglob("*.pdf")
    return pdf.read_bytes()


def test_pdf_commands_share_one_warm_server_that_only_its_user_can_open(setup: Setup) -> None:
    setup.run("server", "status", code=1)  # none yet: status starts none
    first = _one_pdf(setup)
    pid = setup.pid()
    sock = next(setup.folder.glob("*.sock"))
    assert stat.S_IMODE(setup.folder.stat().st_mode) == 0o700 and stat.S_IMODE(sock.stat().st_mode) == 0o600
    again = _one_pdf(setup)
    assert setup.pid() == pid and "2 document(s) converted" in setup.status()  # the same server, warm
    (setup.root / "build").rename(setup.root / "server-build")
    assert _one_pdf(setup, "--no-server") == first == again  # the same PDF without it
    assert "2 document(s) converted" in setup.status()  # --no-server sent it nothing

    # Another user: the folder keeps them out; opened by mistake, the server still does not answer them
    # (connected, and hung up on without a word).
    assert other_user(sock, b'{"op": "status"}\n') == ("PermissionError", "hung up")
    assert setup.pid() == pid

    # A command killed while the server converts for it: the server carries on, nothing of the command's is left.
    killed = setup.run("build", "--pdf", "-q", code=-9, REPORTGEN_FAULT="server-convert")
    assert killed.returncode == -9
    assert setup.pid() == pid
    assert [p.name for p in setup.tmp.iterdir() if not p.name.startswith(("reportgen-lo-", "reportgen-server-"))] == []

    setup.run("server", "stop")
    assert _gone_soon(setup)
    assert list(setup.tmp.iterdir()) == []  # no socket, lock, log, folder or LibreOffice profile
    setup.run("server", "status", code=1)


def _gone_soon(setup: Setup) -> bool:
    deadline = time.monotonic() + 10
    while _strays(str(setup.tmp)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _strays(str(setup.tmp)) == []


def test_a_killed_or_hung_server_is_replaced_and_leaves_nothing(setup: Setup) -> None:
    _one_pdf(setup)
    killed = setup.pid()
    os.kill(killed, signal.SIGKILL)
    assert _gone_soon(setup)  # its LibreOffice went with it
    assert any(p.name.startswith(f"reportgen-lo-{killed}-") for p in setup.tmp.iterdir())
    _one_pdf(setup)  # the stale socket: refused, and a new server started
    hung = setup.pid()
    assert hung != killed
    assert not any(p.name.startswith(f"reportgen-lo-{killed}-") for p in setup.tmp.iterdir())  # removed
    os.kill(hung, signal.SIGSTOP)
    try:
        start = time.monotonic()
        _one_pdf(setup)  # a server that does not answer is killed and replaced, not waited for
        assert time.monotonic() - start < 60
        assert setup.pid() not in (hung, killed)
        assert not Path(f"/proc/{hung}").exists() or "Z" in Path(f"/proc/{hung}/stat").read_text().split(")")[1][:3]
    finally:
        try:
            os.kill(hung, signal.SIGCONT)
        except ProcessLookupError:
            pass
    os.kill(setup.pid(), signal.SIGTERM)  # stopped as a service manager would: it cleans up as on `stop`
    assert _gone_soon(setup) and list(setup.tmp.iterdir()) == []
    setup.run("server", "status", code=1)


def test_no_server_from_the_project_file_and_an_idle_server_exits(setup: Setup) -> None:
    project_file = setup.root / "reportgen.yaml"
    project_file.write_text(project_file.read_text(encoding="utf-8") + "server: false\n", encoding="utf-8")
    _one_pdf(setup)
    setup.run("server", "status", code=1)
    assert _strays(str(setup.tmp)) == []
    project_file.write_text(project_file.read_text(encoding="utf-8").replace("server: false\n", ""),
                            encoding="utf-8")
    _one_pdf(setup, REPORTGEN_SERVER_IDLE="1")
    deadline = time.monotonic() + 20
    # Polled back to back (each poll is a connection, more often than the server's accept timeout):
    # polling is not use, and must not keep an idle server alive.
    while setup.run("server", "status", code=None).returncode == 0 and time.monotonic() < deadline:
        pass
    setup.run("server", "status", code=1)  # it went by itself
    assert _gone_soon(setup) and list(setup.tmp.iterdir()) == []


def test_publish_watch_converts_on_the_shared_server(setup: Setup) -> None:
    meeting = next(p for p in sorted((setup.root / "content").rglob("*.yaml"))
                   if p.name != "report.yaml" and not p.name.endswith(".decisions.yaml"))
    _one_pdf(setup)  # a server, warm before the watch starts
    pid = setup.pid()
    proc = subprocess.Popen([str(REPORTGEN), "publish", str(meeting), "--draft", "--watch", "--out", "w"],
                            cwd=setup.root, env=setup.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if "watching" in line:
                break
        converted = re.search(r"(\d+) document\(s\) converted", setup.status())
        assert setup.pid() == pid and converted and int(converted[1]) > 1  # the meeting's papers, there too
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "Traceback" not in err, err
    assert setup.pid() == pid  # the watch closed its connection; the server stays warm for the next command


def test_a_server_started_just_as_the_last_one_removed_the_socket_folder_still_starts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An exiting server removes the user's socket folder when it is empty: a command that found no server
    and starts one at that moment makes the folder again for the new server's log, instead of failing."""
    from reportgen.pdf import server

    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    started: list[list[str]] = []
    monkeypatch.setattr(server.subprocess, "Popen", lambda argv, **kwargs: started.append(argv))
    folder = server.runtime_dir()
    folder.rmdir()  # the last server exited between the command's look and its start
    server._spawn(folder / "project.sock")
    assert started and started[0][-3] == str(folder / "project.sock")
    assert (folder / "project.log").is_file() and stat.S_IMODE(folder.stat().st_mode) == 0o700
