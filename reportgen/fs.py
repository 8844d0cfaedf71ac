"""Write files and folders so that a reader never sees half of one: temp file or folder, then rename.

Every temporary name carries the pid of the run that made it (`.NAME.<pid>.XXXX.tmp`,
`reportgen-lo-<pid>-XXXX`), so a later run can tell the leftovers of a killed run (pid gone)
from the work of a run still going, and remove only those.
"""
from __future__ import annotations

import errno
import fcntl
import logging
import os
import re
import shutil
import signal
import time
from pathlib import Path

from reportgen import cleanup

log = logging.getLogger(__name__)

#: The fault-injection hook for tests: REPORTGEN_FAULT=<stage> makes the process SIGKILL itself there.
FAULT_ENV = "REPORTGEN_FAULT"


def user_cache_dir() -> Path:
    """reportgen's folder in the user's cache ($XDG_CACHE_HOME/reportgen, else ~/.cache/reportgen): tables
    derived from installed data (syllables, bank holidays), always safe to delete."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "reportgen"


#: An entry of the user's cache that no command has used for this many days is removed, by the next command
#: that adds one. Each table is keyed by what it was made from (a dictionary, a library's release, a
#: project's word list), so every upgrade or edited word list adds one and nothing else would remove the old.
UNUSED_DAYS = 30
_DAY = 24 * 3600


def mark_used(path: Path) -> None:
    """Note that a command used this entry of the user's cache (its modification time, at most once a day:
    a table opened read-only is otherwise never touched, and would look unused)."""
    try:
        if time.time() - path.stat().st_mtime > _DAY:
            os.utime(path)
    except OSError:
        pass  # gone, or a read-only cache: nothing to keep


def prune_user_cache(folder: Path | None = None) -> list[Path]:
    """Remove what in the user's cache is unused for UNUSED_DAYS (the entries at its top level, the
    template cache's files one by one); returns what was removed. Called when a command adds a table, the
    rare moment the cache grows, so a command that only reads pays nothing. An entry in use by another
    command is one it has marked used, so never this old; SQLite's -wal and -shm files go with their table.
    The template cache's entries are marked as they are read (reportgen.cache.Cache.get); a template's Jinja
    code unread for so long is compiled again, once."""
    folder = folder or user_cache_dir()
    cutoff = time.time() - UNUSED_DAYS * _DAY
    removed = []

    def unused(path: str) -> bool:
        try:
            return os.lstat(path).st_mtime < cutoff
        except OSError:
            return False
    try:
        top = [entry.path for entry in os.scandir(folder) if entry.name != "templates"]
    except OSError:
        top = []
    inside = [os.path.join(base, name) for base, _, names in os.walk(folder / "templates") for name in names]
    for path in top + inside:
        if not unused(path):
            continue
        try:
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.unlink(path)
        except OSError:
            continue
        removed.append(Path(path))
    if removed:
        log.info("removed %d entries of the user's cache unused for %d days", len(removed), UNUSED_DAYS)
    return removed


def fault_point(stage: str) -> None:
    """Die by SIGKILL here when REPORTGEN_FAULT names this stage (kill -9 tests); otherwise nothing."""
    if os.environ.get(FAULT_ENV) == stage:
        os.kill(os.getpid(), signal.SIGKILL)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    # A zombie is dead, only not yet reaped (a killed LibreOffice server's parent is init, which may take
    # its time): what it left may go.
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def temp_tag() -> str:
    """The middle of every temporary name this process makes."""
    return f"{os.getpid()}."


def remove_stale(folder: Path, pattern: str) -> list[Path]:
    """Remove entries of `folder` whose name matches `pattern` (a regex whose first group named
    `pid...` is the maker's pid) when that process is gone; the removed paths."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    rx = re.compile(pattern)
    for entry in entries:
        match = rx.fullmatch(entry.name)
        pid = next((v for k, v in match.groupdict().items() if k.startswith("pid") and v), None) if match else None
        if pid is None or pid_alive(int(pid)):
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError as exc:
            log.warning("could not remove %s left by a killed run: %s", entry, exc)
            continue
        log.info("removed %s, left by a killed run", entry)
        removed.append(entry)
    return removed


def _short(name: str, limit: int = 200) -> str:
    """A name cut to `limit` bytes, so a temporary name stays within the 255 bytes a name may have."""
    return name.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


_swept: set[Path] = set()


def write_atomic(path: Path, data: bytes) -> bool:
    """Write data to path unless it already holds exactly these bytes; True when written.

    An interrupted build leaves either the old file or the new one, never half of one; a temp
    file left by a killed run is removed by the next write into the same folder.
    """
    if path.parent.resolve() not in _swept:  # once per folder per run: a folder may hold many outputs
        _swept.add(path.parent.resolve())
        remove_stale(path.parent, r"\..+\.(?P<pid>\d+)\.[^.]+\.tmp")
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    stem = _short(path.name)
    fd, tmp = cleanup.mkstemp(prefix=f".{stem}.{temp_tag()}", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)  # mkstemp creates 0600; published papers must be readable by the web server
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        cleanup.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        cleanup.forget(Path(tmp))
        raise
    return True


def same_tree(a: Path, b: Path) -> bool:
    def files(root: Path) -> dict[str, tuple[bytes, int]]:
        # Permissions count: an older output readable by all is replaced by one that is not.
        return {str(p.relative_to(root)): (p.read_bytes() if p.is_file() else b"", p.stat().st_mode)
                for p in sorted(root.rglob("*"))}
    return b.is_dir() and files(a) == files(b)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    import ctypes  # here: most commands never swap a folder, and every command imports this module

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # old kernel or a filesystem without it
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_folder(staging: Path, final: Path) -> bool:
    """Replace `final` with `staging` unless identical, in one atomic step: a reader sees the old
    folder or the new one, never none, even if the process is killed."""
    old = final.with_name(f".{final.name}.old")
    if old.exists():  # left by the two-rename fallback of a killed run
        shutil.rmtree(old)
    if same_tree(staging, final):
        shutil.rmtree(staging)
        return False
    fault_point("swap")
    if not final.exists():
        os.replace(staging, final)
    elif exchange(staging, final):
        shutil.rmtree(staging)  # now holds the previous output
    else:  # portable fallback: two renames; a kill between them leaves the old folder in .NAME.old
        os.replace(final, old)
        fault_point("swap-between-renames")
        os.replace(staging, final)
        shutil.rmtree(old)
    return True


def own_lock(path: Path, wait: float = 10.0) -> int | None:
    """The lock file's descriptor, locked (and still the file at `path`), or None if another server holds it
    for `wait` seconds: a server that is exiting lets it go within a second or two, a live one never.
    (The LibreOffice server's and the warm reportgen's: each owns its socket path through it.)"""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            time.sleep(0.05)
            continue
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)  # removed by a server exiting while we opened it: lock the new file
    return None
