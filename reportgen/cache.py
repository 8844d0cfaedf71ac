"""A content-addressed cache of built artifacts (DOCX, PDF, check results), bounded, self-verifying.

Each entry is stored under the digest of everything that determines it (see `digest`): it is never
updated in place, so a changed input simply looks for another key. Each entry file starts with a
seal: the sha256 of its kind, its key and the bytes it holds. A read whose seal does not match (a torn
write, a disk error, a hand edit, or an entry copied, rotated or swapped in from another key) deletes
the entry and reports a miss, so it is rebuilt and never published in place of another document.

The cache may hold exempt papers: its folder is private to the user (0700) and lives outside every
published folder.
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from reportgen import cleanup

log = logging.getLogger(__name__)

#: Default bound on the cache's size: a large council's year of papers, several times over.
DEFAULT_LIMIT = 2 * 1024 ** 3
#: When pruning, remove least recently used entries until the cache is this fraction of its limit.
PRUNE_TO = 0.8
_MAGIC = b"RGC2"  # RGC1 sealed the bytes only, not the key they were filed under
#: The cache's running total of bytes, and the prunes since its entries were last counted (see prune).
_LEDGER = ".size"
RECOUNT_EVERY = 64


@lru_cache(maxsize=1)
def code_version() -> str:
    """reportgen's version and a digest of its own code: a new release, or an edited checkout, builds anew."""
    from importlib import metadata  # here: only the commands that key a cache pay for importing it

    try:
        version = metadata.version("reportgen")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare source tree
        version = "unknown"
    package = Path(__file__).resolve().parent
    h = hashlib.sha256(version.encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml", ".json", ".docx", ".xml"):
            h.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return f"{version}+{h.hexdigest()[:16]}"


def digest(*parts: bytes | str) -> str:
    """sha256 of the parts, each length-prefixed so that ("ab", "c") and ("a", "bc") differ."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def tree_digest(paths: Iterable[Path]) -> str:
    """A digest of the files under each path (a file or a folder), names and bytes; missing paths count too."""
    parts: list[bytes | str] = []
    for root in paths:
        if root.is_file():
            parts += [str(root), root.read_bytes()]
        elif root.is_dir():
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                parts += [str(path.relative_to(root)), path.read_bytes()]
        else:
            parts += [str(root), "missing"]
    return digest(*parts)


def _seal(kind: str, key: str, data: bytes) -> bytes:
    """What an entry file starts with: binds its bytes to the kind and key it is filed under."""
    h = hashlib.sha256(f"{kind}\0{key}\0".encode())
    h.update(data)
    return h.digest()


class Cache:
    """Entries by kind ("pdf", "gate", ...) and key, under `root`, at most about `limit` bytes in all."""

    def __init__(self, root: Path, limit: int = DEFAULT_LIMIT) -> None:
        self.root = root
        self.limit = limit
        self._written = 0  # bytes this object stored since the ledger was last brought up to date

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / key

    def get(self, kind: str, key: str) -> bytes | None:
        """The bytes stored under the key, or None when absent or corrupted (which is then deleted)."""
        path = self._path(kind, key)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        head, data = raw[:36], raw[36:]
        if head[:4] != _MAGIC or _seal(kind, key, data) != head[4:]:
            log.warning("cache entry %s is corrupted: removed, to be rebuilt", path)
            path.unlink(missing_ok=True)
            return None
        try:
            os.utime(path)  # least recently used entries go first when the cache is pruned
        except OSError:
            pass
        return data

    def has(self, kind: str, key: str) -> bool:
        """Whether an entry exists (not verified: get() does that)."""
        return self._path(kind, key).is_file()

    def put(self, kind: str, key: str, data: bytes) -> None:
        """Store the bytes under the key, atomically (a reader sees the whole entry or none)."""
        path = self._path(kind, key)
        if not self.root.exists():
            self.root.mkdir(parents=True, mode=0o700)  # it may hold exempt papers
        elif self.root.stat().st_mode & 0o077:
            self.root.chmod(0o700)  # made by an older reportgen, or by hand
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = cleanup.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_MAGIC + _seal(kind, key, data) + data)
            cleanup.replace(tmp, path)
            self._written += len(data) + 36
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            cleanup.forget(Path(tmp))
            raise

    def _entries(self) -> list[Path]:
        """Every entry file (kind/xx/key); folders named _* belong to their users (a LibreOffice profile)."""
        if not self.root.is_dir():
            return []
        return [p for p in self.root.glob("*/*/*") if p.is_file() and not p.parts[-3].startswith(("_", "."))]

    def size(self) -> int:
        return sum(p.stat().st_size for p in self._entries())

    def prune(self) -> int:
        """Remove least recently used entries while the cache is over its limit; the number removed.

        Counting every entry costs a stat per file, which grows with the cache (a council's year is tens
        of thousands of entries). So the total is kept in a ledger: the last count plus what was stored
        since, and entries are counted again only when that may be over the limit, or after
        RECOUNT_EVERY prunes (other processes' writes, or an entry removed by hand, drift the ledger).
        """
        ledger = self._read_ledger()
        if ledger is not None and ledger[0] + self._written <= self.limit and ledger[1] < RECOUNT_EVERY:
            self._write_ledger(ledger[0] + self._written, ledger[1] + 1)
            return 0
        entries = [(p.stat(), p) for p in self._entries()]
        total = sum(s.st_size for s, _ in entries)
        removed = 0
        if total > self.limit:
            for stat, path in sorted(entries, key=lambda e: e[0].st_mtime):
                if total <= self.limit * PRUNE_TO:
                    break
                path.unlink(missing_ok=True)
                total -= stat.st_size
                removed += 1
            log.info("cache %s pruned: %d entries removed", self.root, removed)
        self._write_ledger(total, 0)
        return removed

    def _read_ledger(self) -> tuple[int, int] | None:
        try:
            total, prunes = (self.root / _LEDGER).read_text(encoding="ascii").split()
            return int(total), int(prunes)
        except (OSError, ValueError):
            return None  # none yet, or unreadable: count

    def _write_ledger(self, total: int, prunes: int) -> None:
        self._written = 0
        if not self.root.is_dir():
            return
        fd, tmp = cleanup.mkstemp(prefix=".", suffix=".tmp", dir=self.root)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(f"{total} {prunes}\n")
        cleanup.replace(tmp, self.root / _LEDGER)

    def clear(self) -> bool:
        """Empty the cache; True when there was anything to remove."""
        if not self.root.exists():
            return False
        shutil.rmtree(self.root)
        return True
