"""The user's cache (tables made from installed data, the template cache) does not grow without end: what no
command has used for fs.UNUSED_DAYS is removed when a command adds something, and what a command uses is
marked used."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportgen import fs
from reportgen.check import flesch

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "content" / "examples" / "models" / "east-herts-2026-12-council-tax-support"
OLD = time.time() - (fs.UNUSED_DAYS + 5) * 24 * 3600
RECENT = time.time() - (fs.UNUSED_DAYS - 5) * 24 * 3600


def made(path: Path, when: float, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (when, when))
    return path


def test_entries_unused_for_the_limit_are_removed_and_the_others_kept(tmp_path: Path) -> None:
    stale = [made(tmp_path / "syllables-v1-cmudict-1-2.sqlite", OLD),
             made(tmp_path / "spelling-v1-en_GB-aaaa.sqlite-wal", OLD),
             made(tmp_path / "templates" / "patched" / "ab" / "abcd", OLD),
             made(tmp_path / "templates" / "jinja" / "0123" / "x.code", OLD)]
    profile = made(tmp_path / "libreoffice-profile" / "user" / "registrymodifications.xcu", OLD).parent.parent
    os.utime(profile, (OLD, OLD))
    kept = [made(tmp_path / "spelling-v1-en_GB-bbbb.sqlite", RECENT),
            made(tmp_path / "bank-holidays-eng-1234.json", time.time()),
            made(tmp_path / "templates" / "patched" / "cd" / "cdef", RECENT)]
    removed = fs.prune_user_cache(tmp_path)
    assert sorted(removed) == sorted([*stale, profile])
    assert not any(p.exists() for p in [*stale, profile])
    assert all(p.exists() for p in kept)
    assert (tmp_path / "templates").is_dir()  # folders of the template cache stay: only its files go


def test_a_table_a_command_reads_is_marked_used_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    flesch.open_table().close()  # built and written
    table = flesch.table_path()
    os.utime(table, (OLD, OLD))
    flesch.open_table().close()  # read: a hit
    assert table.stat().st_mtime > RECENT
    assert fs.prune_user_cache() == []
    assert table.is_file()


def test_check_as_a_command_drops_tables_nobody_uses(tmp_path: Path) -> None:
    """A fresh `check` process makes its tables (syllables, spelling, bank holidays) and removes the tables of
    an older cmudict or dictionary that no command has used for the limit, keeping a recently used one."""
    cache = tmp_path / "reportgen"
    stale = [made(cache / "syllables-v1-cmudict-111-222.sqlite", OLD),
             made(cache / "spelling-v1-en_GB-0000.sqlite", OLD),
             made(cache / "spelling-v1-en_GB-0000.sqlite-shm", OLD),
             made(cache / "bank-holidays-eng-0.1.json", OLD)]
    recent = made(cache / "spelling-v1-en_GB-ffff.sqlite", RECENT)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "REPORTGEN_NO_SERVER": "1"}
    done = subprocess.run([sys.executable, "-c", "from reportgen.cli import run; run()", "check", str(REPORT)],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert not any(p.exists() for p in stale)
    assert recent.exists()
    names = {p.name for p in cache.iterdir()}
    assert any(n.startswith("syllables-") for n in names) and any(n.startswith("bank-holidays-") for n in names)
