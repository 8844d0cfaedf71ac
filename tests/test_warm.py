"""The warm reportgen (reportgen.client, reportgen.preload), as users run it: `reportgen` in fresh processes,
without REPORTGEN_NO_SERVER (the rest of the suite sets it, to test cold processes), each test with its own
XDG_RUNTIME_DIR (so no test meets another's preloader) and TMPDIR. The fixture stops the preloader whatever
happens and fails the test if a process of it outlives the stop.

Each command is run warm (the preloader running: a user's second command) and cold (REPORTGEN_NO_WARM=1,
the same arguments and environment otherwise), and must give the same output, exit status and files."""
from __future__ import annotations

import os
import pty
import re
import select
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import ROOT
from .sockets import other_user
from .docxtext import read
from .test_hostile import _strays

REPORTGEN = Path(sys.executable).with_name("reportgen")
EXAMPLE = ROOT / "content" / "examples" / "models" / "east-herts-2026-12-council-tax-support"


@dataclass
class Warm:
    base: Path
    root: Path       # the project (made by `reportgen init`)
    runtime: Path    # XDG_RUNTIME_DIR: the preloader's socket, lock and log are in runtime/reportgen
    tmp: Path        # TMPDIR of every command
    env: dict[str, str]

    def run(self, *args: str, code: int | None = None, cwd: Path | None = None, cold: bool = False,
            **env: str) -> subprocess.CompletedProcess[str]:
        extra = {"REPORTGEN_NO_WARM": "1"} if cold else {}
        result = subprocess.run([str(REPORTGEN), *args], cwd=cwd or self.root, env={**self.env, **extra, **env},
                                capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
        assert "Traceback" not in result.stderr, result.stderr
        if code is not None:
            assert result.returncode == code, (args, result.stdout, result.stderr)
        return result

    def status(self) -> str:
        return self.run("server", "status").stdout

    def served(self) -> int:
        found = re.search(r"warm reportgen running: pid \d+, up \d+ s, (\d+) command", self.status())
        assert found, self.status()
        return int(found[1])

    def pid(self) -> int:
        found = re.search(r"warm reportgen running: pid (\d+)", self.status())
        assert found, self.status()
        return int(found[1])

    def log(self) -> str:
        return "".join(p.read_text() for p in (self.runtime / "reportgen").glob("warm-*.log"))

    def ready(self, within: float = 60.0) -> int:
        """Wait for a preloader (started in the background by a cold command) to listen; its pid."""
        deadline = time.monotonic() + within
        while "warm reportgen running" not in self.status():
            assert time.monotonic() < deadline, f"no preloader started: {self.log()}"
            time.sleep(0.1)
        return self.pid()

    def warm(self, *args: str, **kw: object) -> subprocess.CompletedProcess[str]:
        """The command, served by the running preloader (asserted: it served one more)."""
        before = self.served()
        result = self.run(*args, **kw)  # type: ignore[arg-type]
        assert self.served() == before + 1, "not served warm"
        return result


def _processes(warm: Warm) -> list[int]:
    """The preloader and its children (their command line names the socket, in the test's own folder)."""
    return _strays(str(warm.runtime))


@pytest.fixture
def warm(tmp_path: Path) -> Iterator[Warm]:
    runtime, tmp = tmp_path / "run", tmp_path / "t"
    runtime.mkdir(mode=0o700)
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PYTEST") and k not in ("REPORTGEN_NO_SERVER", "REPORTGEN_FAULT")}
    env.update(XDG_RUNTIME_DIR=str(runtime), TMPDIR=str(tmp), REPORTGEN_SERVER_IDLE="120")
    subprocess.run([str(REPORTGEN), "init", "p", "--style", "oxfordshire", "--no-git"], cwd=tmp_path, env=env,
                   check=True, capture_output=True)
    made = Warm(tmp_path, tmp_path / "p", runtime, tmp, env)
    yield made
    made.run("server", "stop")
    deadline = time.monotonic() + 20
    while _processes(made) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _processes(made)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "a process of the warm reportgen outlived `reportgen server stop`"


def _started(warm: Warm) -> int:
    """A preloader, started as users start it: by a first (cold) command."""
    assert "no warm reportgen runs" in warm.status()
    warm.run("check", code=None)
    return warm.ready()


def _report(warm: Warm) -> Path:
    return next(p.parent for p in (warm.root / "content" / "reports").rglob("report.yaml"))


def _same(warm_result: subprocess.CompletedProcess[str], cold: subprocess.CompletedProcess[str]) -> None:
    timing = re.compile(r"\(([^,()]+), \d+ ms\)")  # build prints how long each report took
    assert (warm_result.returncode, timing.sub(r"(\1)", warm_result.stdout), warm_result.stderr) == \
        (cold.returncode, timing.sub(r"(\1)", cold.stdout), cold.stderr)


def test_commands_give_the_same_output_exit_status_and_files_warm_as_cold(warm: Warm) -> None:
    pid = _started(warm)
    folder = warm.runtime / "reportgen"
    sock = next(folder.glob("warm-*.sock"))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and stat.S_IMODE(sock.stat().st_mode) == 0o600
    bad = warm.root / "content" / "bad"
    bad.mkdir()
    (bad / "report.yaml").write_text("style: oxfordshire\ntitle: [unclosed\n", encoding="utf-8")
    report = _report(warm).relative_to(warm.root)
    cases = [
        (["check", str(report)], 1),                          # findings
        (["check", "content/bad"], 2),                        # bad input: a located message, no traceback
        (["check", "--format", "json"], 2),
        (["status", str(report)], 1),
        (["check", "--help"], 0),
        (["check", "--today", "not-a-date"], 2),              # click's own usage error
    ]
    for args, code in cases:
        served = warm.warm(*args, code=code)
        _same(served, warm.run(*args, cold=True))
    assert "content/bad/report.yaml:3:1: error INPUT: invalid YAML" in warm.run("check", "content/bad").stdout
    assert "Usage: reportgen check" in warm.run("check", "--today", "x").stderr  # the program's name, as cold

    built = warm.warm("build", str(report), "--out", "out", code=0)
    (warm.root / "out").rename(warm.root / "warm-out")
    _same(built, warm.run("build", str(report), "--out", "out", cold=True, code=0))
    [warm_docx] = (warm.root / "warm-out").rglob("*.docx")
    [cold_docx] = (warm.root / "out").rglob("*.docx")
    assert warm_docx.relative_to(warm.root / "warm-out") == cold_docx.relative_to(warm.root / "out")
    assert read(warm_docx) == read(cold_docx)
    assert warm.pid() == pid
    assert re.search(rf"warm reportgen {pid}: forked \d+ for `build`", warm.log())

    # Another user: the folder keeps them out; opened by mistake, the preloader still does not answer them
    # (connected, and hung up on without a word).
    assert other_user(sock, b'\0\0\0\x081\0status') == ("PermissionError", "hung up")
    assert "refused a connection from another user" in warm.log() and warm.pid() == pid


def test_environment_cwd_and_umask_reach_the_command(warm: Warm) -> None:
    _started(warm)
    reports = warm.root / "content" / "reports"
    name = _report(warm).name
    outputs = set()
    for today in ("2026-11-21", "2026-12-01"):  # the clock comes from the environment of each command
        served = warm.warm("status", name, cwd=reports, REPORTGEN_TODAY=today)  # a path relative to the cwd
        _same(served, warm.run("status", name, cwd=reports, cold=True, REPORTGEN_TODAY=today))
        outputs.add(served.stdout)
    assert len(outputs) == 2 and any("31 days left" in o for o in outputs)
    # The umask of the client: a build makes its output folder with the user's mode.
    probe = ("import os, sys, subprocess; os.umask(int(sys.argv[4], 8)); "
             "sys.exit(subprocess.call([sys.argv[1], 'build', sys.argv[2], '--out', sys.argv[3]]))")
    for umask, mode in (("077", 0o700), ("022", 0o755)):
        before = warm.served()
        out = warm.base / f"u{umask}"
        subprocess.run([sys.executable, "-c", probe, str(REPORTGEN), str(_report(warm)), str(out), umask],
                       env=warm.env, check=True, capture_output=True, cwd=warm.root)
        assert warm.served() == before + 1
        assert stat.S_IMODE(out.stat().st_mode) == mode


def _in_pty(warm: Warm, *args: str, cold: bool = False) -> tuple[int, str]:
    """`reportgen ARGS` with stdout and stderr a terminal (python's pty module): exit code and what it showed."""
    master, slave = pty.openpty()
    env = {**warm.env, "COLUMNS": "100", **({"REPORTGEN_NO_WARM": "1"} if cold else {})}
    proc = subprocess.Popen([str(REPORTGEN), *args], cwd=warm.root, env=env, stdin=subprocess.DEVNULL,
                            stdout=slave, stderr=slave)
    os.close(slave)
    shown = b""
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        assert ready, "no output in two minutes"
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal closed (every process holding it has exited)
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    return proc.wait(timeout=60), shown.decode("utf-8", "replace")


def test_a_terminal_gets_colours_and_a_progress_bar_warm_as_cold(warm: Warm) -> None:
    _started(warm)
    report = str(_report(warm).relative_to(warm.root))
    warm.run("sign", report, "--role", "Finance", "--name", "A Person", code=0)
    text = (warm.root / report / "report.yaml").read_text(encoding="utf-8")
    assert "purpose:\n  - >-\n    " in text
    (warm.root / report / "report.yaml").write_text(
        text.replace("purpose:\n  - >-\n    ", "purpose:\n  - >-\n    Changed. ", 1), encoding="utf-8")
    before = warm.served()
    code, shown = _in_pty(warm, "diff", report)
    assert warm.served() == before + 1
    cold_code, cold_shown = _in_pty(warm, "diff", report, cold=True)
    assert (code, shown) == (cold_code, cold_shown)
    assert code == 1 and "\x1b[" in shown  # coloured on a terminal
    piped = warm.warm("diff", report, code=1)
    assert "\x1b[" not in piped.stdout  # and not in a pipe

    code, shown = _in_pty(warm, "build", report, "--pdf", "--out", "pty-out")
    assert code == 0 and "Converting to PDF" in shown, shown  # click's progress bar, on the terminal
    quiet = warm.warm("build", report, "--pdf", "--out", "pipe-out", code=0)
    assert "Converting to PDF" not in quiet.stderr


def _copy_package(warm: Warm) -> Path:
    """reportgen's code in a folder of the test's own (first on PYTHONPATH): a preloader of that code."""
    code = warm.base / "code"
    shutil.copytree(ROOT / "reportgen", code / "reportgen", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", code / "reportgen" / "styles")  # where a wheel has them
    warm.env["PYTHONPATH"] = str(code)
    return code / "reportgen"


def test_a_changed_module_makes_the_preloader_stale_and_the_new_code_answers(warm: Warm) -> None:
    package = _copy_package(warm)
    pid = _started(warm)
    report = str(_report(warm).relative_to(warm.root))
    assert "not ready" in warm.warm("check", report, code=1).stdout
    output = package / "check" / "output.py"
    output.write_text(output.read_text(encoding="utf-8").replace('"not ready"', '"NOT READY (edited)"'),
                      encoding="utf-8")
    answered = warm.run("check", report, code=1)  # stale: run cold, by the new code
    assert "NOT READY (edited)" in answered.stdout, answered.stdout
    fresh = warm.ready()
    assert fresh != pid
    assert "NOT READY (edited)" in warm.warm("check", report, code=1).stdout  # the fresh one has the new code


def test_the_preloader_computes_nothing_before_it_forks(tmp_path: Path) -> None:
    """What the preloader does before forking, in a fresh process: no cached result of any function of
    reportgen (they read content, the project, the folder, the environment or the date), no tempfile
    folder found, and not enchant (it reads the environment as it is imported)."""
    probe = """
import functools, sys, tempfile
from reportgen import preload
preload.preload()
cached = [f"{name}.{attr}" for name, module in list(sys.modules.items()) if name.startswith("reportgen")
          for attr, value in list(vars(module).items())
          if isinstance(value, functools._lru_cache_wrapper) and value.cache_info().currsize]
print(len([n for n in sys.modules if n.startswith("reportgen.")]), cached, tempfile.tempdir, "enchant" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    loaded, rest = done.stdout.split(" ", 1)
    assert int(loaded) > 50 and rest.strip() == "[] None False"


def _many_reports(warm: Warm, count: int) -> Path:
    content = warm.base / "many"
    for n in range(count):
        shutil.copytree(EXAMPLE, content / f"r{n:03d}")
    return content


def _building(warm: Warm, pid: int) -> tuple[subprocess.Popen[str], Path, list[int]]:
    """A build of 40 reports started through the preloader `pid`, once it has written its first DOCX and is
    still running: the client process, its output folder, and the preloader's children (the command)."""
    content, out = _many_reports(warm, 40), warm.base / "out"
    proc = subprocess.Popen([str(REPORTGEN), "build", str(content), "--out", str(out), "-q"], cwd=warm.root,
                            env=warm.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (out.exists() and any(out.rglob("*.docx"))) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proc.poll() is None, ("finished before it could be stopped", proc.communicate())
    return proc, out, [p for p in _processes(warm) if p != pid]


def _leftovers(*folders: Path) -> list[str]:
    return sorted(str(p) for folder in folders if folder.exists() for p in folder.rglob("*")
                  if p.name.startswith((".", "reportgen-")))


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_a_client_stopped_stops_its_command_and_leaves_nothing(warm: Warm, sig: int) -> None:
    pid = _started(warm)
    before = warm.served()
    proc, out, children = _building(warm, pid)
    assert children, "the command is not running in a child of the preloader"
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=60)
    if sig == signal.SIGINT:  # as Ctrl-C stops a cold command: exit 130, its temporary files removed
        assert proc.returncode == 130 and "stopped by SIGINT" in stderr and "Traceback" not in stderr, stderr
    else:  # the child sees its client go, and stops as on SIGTERM
        assert proc.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 20
    while any(Path(f"/proc/{c}").exists() for c in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [c for c in children if Path(f"/proc/{c}").exists()] == [], "the command kept running"
    assert warm.served() == before + 1 and warm.pid() == pid  # the preloader itself carries on
    assert _leftovers(out, warm.tmp) == [], "temporary files left"
    assert sorted(p.name for p in warm.tmp.iterdir()) == []


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def test_ctrl_z_stops_the_command_with_its_client_and_fg_continues_both(warm: Warm) -> None:
    """The terminal sends Ctrl-Z's SIGTSTP to the client alone (the command runs in the preloader's session):
    the command stops with it, and continues with it, then ends as it would have."""
    pid = _started(warm)
    proc, out, children = _building(warm, pid)
    command = next(c for c in children if Path(f"/proc/{c}/stat").read_text().rsplit(")", 1)[1].split()[1] == str(pid))
    proc.send_signal(signal.SIGTSTP)
    deadline = time.monotonic() + 20
    while (_state(proc.pid), _state(command)) != ("T", "T") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (_state(proc.pid), _state(command)) == ("T", "T"), "Ctrl-Z did not stop the client and its command"
    written = sorted(out.rglob("*.docx"))
    time.sleep(1.0)
    assert sorted(out.rglob("*.docx")) == written, "the command kept working while stopped"
    proc.send_signal(signal.SIGCONT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0 and "Traceback" not in stderr, stderr
    assert len(list(out.rglob("*.docx"))) == 40


def test_a_client_under_other_resource_limits_is_not_served_by_a_preloader_without_them(warm: Warm) -> None:
    """A served command runs under its preloader's limits: a client with a lower one (a scheduled job's
    CPU-time cap, say) must not hand its command to a preloader started without it."""
    import resource

    pid = _started(warm)
    served = warm.served()
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    capped = 3600 if hard == resource.RLIM_INFINITY else min(hard, 3600)
    assert capped != soft

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (capped, hard))

    def capped_run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(REPORTGEN), *args], cwd=warm.root, env=warm.env, capture_output=True, text=True,
                              timeout=180, preexec_fn=cap, stdin=subprocess.DEVNULL)

    done = capped_run("check", str(_report(warm).relative_to(warm.root)))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert warm.served() == served and warm.pid() == pid  # run cold
    deadline = time.monotonic() + 60  # ... and it started a preloader of its own, under its limits
    while "warm reportgen running" not in capped_run("server", "status").stdout:
        assert time.monotonic() < deadline, warm.log()
        time.sleep(0.1)
    try:
        own = re.search(r"warm reportgen running: pid (\d+)", capped_run("server", "status").stdout)
        assert own and int(own[1]) != pid
        [line] = [x for x in Path(f"/proc/{own[1]}/limits").read_text().splitlines() if x.startswith("Max cpu time")]
        assert line.split()[3] == str(capped)  # its soft limit: the client's
    finally:
        capped_run("server", "stop")
    warm.run("check", str(_report(warm).relative_to(warm.root)), code=1)
    assert warm.served() == served + 1  # the same client without the cap is served as before


def test_turned_off_or_not_on_the_list_means_no_preloader(warm: Warm) -> None:
    report = str(_report(warm).relative_to(warm.root))
    warm.run("check", report, "--no-server", code=1)
    warm.run("check", report, code=1, REPORTGEN_NO_SERVER="1")
    warm.run("sign", report, "--role", "Finance", "--name", "A Person", code=0)
    warm.run("rules", code=0)
    time.sleep(1.0)  # a preloader started in the background would be listening by now... or soon
    assert "no warm reportgen runs" in warm.status() and _processes(warm) == []
    pid = _started(warm)
    served = warm.served()
    for args, env in [(["check", report, "--no-server"], {}), (["check", report], {"REPORTGEN_NO_SERVER": "1"}),
                      (["check", report], {"REPORTGEN_NO_WARM": "1"}), (["publish", "x.yaml", "--watch", "--help"], {}),
                      (["sign", report, "--role", "Legal", "--name", "B Person"], {}), (["new", "content/n"], {})]:
        warm.run(*args, **env)
    # Python with options of its own (here -X importtime) is another Python: run cold.
    flagged = subprocess.run([sys.executable, "-X", "importtime", str(REPORTGEN), "check", report], cwd=warm.root,
                             env=warm.env, capture_output=True, text=True, timeout=180)
    assert flagged.returncode == warm.run("check", report, cold=True).returncode and "import time:" in flagged.stderr
    assert warm.served() == served
    project_file = warm.root / "reportgen.yaml"
    project_file.write_text(project_file.read_text(encoding="utf-8") + "server: false\n", encoding="utf-8")
    _same(warm.run("check", report), warm.run("check", report, cold=True))
    assert "declined" in warm.log() and warm.pid() == pid


def test_a_switch_set_to_no_turns_nothing_off(warm: Warm) -> None:
    """REPORTGEN_NO_SERVER=0 means what the command reads it as (click: "no"): the command is served warm,
    as without it; =1 is not served."""
    report = str(_report(warm).relative_to(warm.root))
    _started(warm)
    for value in ("0", "false", "off", ""):
        warm.warm("check", report, code=1, REPORTGEN_NO_SERVER=value, REPORTGEN_NO_WARM=value)
    served = warm.served()
    warm.run("check", report, code=1, REPORTGEN_NO_WARM="yes")
    assert warm.served() == served


def test_an_idle_preloader_exits_and_stop_stops_it(warm: Warm) -> None:
    warm.run("check", code=None, REPORTGEN_SERVER_IDLE="3")
    pid = warm.ready()
    deadline = time.monotonic() + 30
    while "warm reportgen running" in warm.status() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "no warm reportgen runs" in warm.status()
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split(")")[1][:3]
    assert not (warm.runtime / "reportgen").exists()  # socket, lock, log and folder removed
    _started(warm)
    stopped = warm.run("server", "stop", code=0).stdout
    assert re.search(r"stopped the warm reportgen \(pid \d+\)", stopped)
    assert "no warm reportgen runs" in warm.status() and _processes(warm) == []
    assert not (warm.runtime / "reportgen").exists()
    warm.run("server", "status", code=1)


def test_a_preloader_killed_or_hung_is_replaced_and_its_command_stops(warm: Warm) -> None:
    pid = _started(warm)
    proc, out, children = _building(warm, pid)
    os.kill(pid, signal.SIGKILL)  # the preloader dies mid-command: its child is told to stop (SIGTERM)
    _stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143 and "the warm reportgen stopped while running the command" in stderr, stderr
    deadline = time.monotonic() + 20
    while any(Path(f"/proc/{c}").exists() for c in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [c for c in children if Path(f"/proc/{c}").exists()] == [], "the command kept running"
    assert _leftovers(out, warm.tmp) == []

    report = str(_report(warm).relative_to(warm.root))
    cold = warm.run("check", report, cold=True)
    _same(warm.run("check", report), cold)  # its socket is left, refused: run cold, and a new one started
    hung = warm.ready()
    assert hung != pid
    os.kill(hung, signal.SIGSTOP)
    try:
        start = time.monotonic()
        _same(warm.run("check", report), cold)  # no answer: killed, run cold, and a new one started
        assert time.monotonic() - start < 60
        assert warm.ready() not in (pid, hung)
    finally:
        try:
            os.kill(hung, signal.SIGCONT)
        except ProcessLookupError:
            pass
