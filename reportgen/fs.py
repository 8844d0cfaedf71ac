"""Write files and folders so that a reader never sees half of one: temp file or folder, then rename."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> bool:
    """Write data to path unless it already holds exactly these bytes; True when written.

    An interrupted build leaves either the old file or the new one, never half of one.
    """
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    # The temporary name stays within the 255 bytes a file name may have, however long the target's.
    fd, tmp = tempfile.mkstemp(prefix=f".{_short(path.name)}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)  # mkstemp creates 0600; published papers must be readable by the web server
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def _short(name: str, limit: int = 200) -> str:
    data = name.encode("utf-8")[:limit]
    return data.decode("utf-8", errors="ignore")


def same_tree(a: Path, b: Path) -> bool:
    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    return b.is_dir() and files(a) == files(b)


def swap_folder(staging: Path, final: Path) -> bool:
    """Replace `final` with `staging` unless identical; the old output survives until the last step."""
    if same_tree(staging, final):
        shutil.rmtree(staging)
        return False
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        os.replace(final, old)
    os.replace(staging, final)
    if old.exists():
        shutil.rmtree(old)
    return True


