"""Hunspell's suggestions for a misspelt word, remembered across runs.

A suggestion costs Hunspell 30-100 ms a word, and every `reportgen check` process (each worker of a large
check too) asked again for the same words. The answers are kept in an SQLite file in the user's cache
folder, named by a digest of everything that decides them: the bytes of the en_GB dictionary files Enchant
may read (Hunspell's .dic and .aff, the user's Enchant word lists) and of the Enchant and Hunspell
libraries loaded. Another dictionary, word list or library gives another file, never an old answer.
Writers insert (never update) under SQLite's own locking, so two checks at once are safe; a file that
cannot be opened or written is done without.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from reportgen.fs import user_cache_dir

#: Increased when the table's layout changes, so that an old file is not read as a new one.
TABLE_FORMAT = 1

_key: str | None = None
_db: tuple[int, sqlite3.Connection | None] | None = None  # (pid, connection): a connection must not cross a fork


def dictionary_files(language: str) -> list[Path]:
    """Every file Enchant's Hunspell provider may read for `language`, and the user's Enchant word lists."""
    home = Path.home()
    config = [Path(os.environ["ENCHANT_CONFIG_DIR"])] if os.environ.get("ENCHANT_CONFIG_DIR") else []
    config.append(Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "enchant")
    data = [Path(d) for d in (os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":") if d]
    folders = [*(c / "hunspell" for c in config), *(d / sub for d in data for sub in ("hunspell", "myspell",
                                                                                     "myspell/dicts"))]
    return [*(c / f"{language}.{ext}" for c in config for ext in ("dic", "exc")),
            *(f / f"{language}.{ext}" for f in folders for ext in ("dic", "aff"))]


def _libraries() -> list[Path]:
    """The Enchant and Hunspell libraries this process has loaded (Linux); none where that cannot be read."""
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    found = {line.split(None, 5)[-1] for line in maps.splitlines() if line.count(" ") >= 5}
    return sorted(Path(p) for p in found if p.startswith("/") and ("enchant" in p or "hunspell" in p))


def dictionary_key(language: str) -> str:
    """A digest of what decides the suggestions: each dictionary file's and library's path and bytes."""
    h = hashlib.sha256(f"{TABLE_FORMAT}\0{language}\0".encode())
    for path in [*dictionary_files(language), *_libraries()]:
        try:
            data = path.read_bytes()
        except OSError:
            continue  # absent: named by its absence (the path is not hashed)
        h.update(str(path).encode() + b"\0" + len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def warm_up(language: str) -> None:
    """Work the key out before check forks its workers, so that each inherits it (it reads the dictionary)."""
    global _key
    if _key is None:
        _key = dictionary_key(language)


def _connection(language: str) -> sqlite3.Connection | None:
    global _db
    if _db is None or _db[0] != os.getpid():
        warm_up(language)
        _db = (os.getpid(), _open(user_cache_dir() / f"suggestions-v{TABLE_FORMAT}-{language}-{_key}.sqlite"))
    return _db[1]


def _open(path: Path) -> sqlite3.Connection | None:
    for _ in range(2):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=0.5)
            db.execute("CREATE TABLE IF NOT EXISTS suggestions (word TEXT PRIMARY KEY, offer TEXT NOT NULL) "
                       "WITHOUT ROWID")
            db.execute("SELECT count(*) FROM suggestions").fetchone()
            return db
        except sqlite3.OperationalError:  # locked for longer than the timeout, or not writable: do without
            return None
        except sqlite3.DatabaseError:  # not a database (damaged): start it again
            path.unlink(missing_ok=True)
        except OSError:
            return None
    return None


def remembered(language: str, word: str, suggest: Callable[[str], list[str]]) -> list[str]:
    """suggest(word), from the cache when this dictionary answered it before."""
    db = _connection(language)
    if db is not None:
        try:
            row = db.execute("SELECT offer FROM suggestions WHERE word = ?", (word,)).fetchone()
            if row is not None:
                return [str(s) for s in json.loads(row[0])]
        except (sqlite3.Error, ValueError):  # unreadable: asked again
            pass
    offer = suggest(word)
    if db is not None:
        try:
            with db:
                db.execute("INSERT OR IGNORE INTO suggestions VALUES (?, ?)", (word, json.dumps(offer)))
        except sqlite3.Error:  # another run holds the lock, or the folder is read-only: remembered next time
            pass
    return offer
