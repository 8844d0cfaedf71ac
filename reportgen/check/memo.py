"""Memo tables in the user's cache: SQLite files that remember a slow library's answers (Hunspell's, pyphen's).

A memo is only ever a copy of answers the library would give again: one that cannot be opened or written
is done without, one that is damaged is started again, and its file name carries a digest of what the
answers depend on, so a changed library or word list gets a new file, never an old answer.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from reportgen.fs import mark_used, prune_user_cache


def files_digest(paths: Iterable[Path], *extra: str) -> str:
    """sha256 over the given strings and each existing file's path and bytes (a missing file counts too)."""
    h = hashlib.sha256("\0".join(extra).encode())
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            data = b"missing"
        h.update(str(path).encode() + b"\0" + len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def open_memo(path: Path, *schema: str, private: bool = False, autocommit: bool = False) -> sqlite3.Connection | None:
    """The memo at `path` with its tables (`schema`: CREATE TABLE IF NOT EXISTS statements), or None.

    `private`: created readable by the user alone (it holds words of reports, exempt ones too).
    `autocommit`: each statement its own transaction, in WAL mode without an fsync per write (a crash may
    lose the last answers, never damage the table)."""
    if path.exists():
        mark_used(path)
    else:
        prune_user_cache(path.parent)  # a new table: the moment to drop those no command uses any more
    for _ in range(2):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if private:  # the journal files SQLite makes take the same mode
                os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
            db = sqlite3.connect(path, timeout=0.5, isolation_level=None if autocommit else "DEFERRED")
            if autocommit:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
            for statement in schema:
                db.execute(statement)
            return db
        except sqlite3.OperationalError:  # locked for longer than the timeout, or not writable: do without
            return None
        except sqlite3.DatabaseError:  # not a database (damaged): start it again
            path.unlink(missing_ok=True)
        except OSError:
            return None
    return None
