"""The en_GB Hunspell dictionary of the spelling rule (RG204), with its answers remembered on disk.

Loading the dictionary costs a `reportgen check` of one report about 60 ms of its 0.3 s: importing enchant
(a C library through ctypes), then Hunspell reading its 1.2 MB word list. Yet a council's reports use the
same few thousand words, report after report. So each answer ("is this word known?", and Hunspell's
suggestions for a word it does not know) is kept in a table in the user's cache, and the dictionary is
loaded only for a word the table has not seen.

The table is named by the digest of everything that decides an answer: the bytes of every en_GB
dictionary, personal word list and exclusion list in the places enchant looks (the user's enchant folder,
$ENCHANT_CONFIG_DIR, the system's hunspell and myspell folders), the provider order files and pyenchant's
own code. A dictionary updated, a word added to a personal list: another table, never a stale answer. A
table that cannot be opened or written (read-only, locked, damaged) is done without: every word is then
looked up in the dictionary, as before.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from reportgen.check.memo import open_memo
from reportgen.fs import user_cache_dir

LANGUAGE = "en_GB"
TABLE_FORMAT = 1
#: Where enchant (its Hunspell, Myspell and Aspell providers) finds system dictionaries and provider orders.
SYSTEM_FOLDERS = ("/usr/share/enchant-2", "/usr/share/enchant", "/usr/share/hunspell", "/usr/share/myspell",
                  "/usr/share/myspell/dicts", "/usr/local/share/enchant-2", "/usr/local/share/hunspell",
                  "/usr/local/share/myspell", "/usr/share/aspell", "/usr/lib/aspell")


def _user_folders() -> list[Path]:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    folders = [Path(config) / "enchant"]
    if os.environ.get("ENCHANT_CONFIG_DIR"):
        folders.insert(0, Path(os.environ["ENCHANT_CONFIG_DIR"]))
    return [f / sub for f in folders for sub in ("", "hunspell", "myspell")]


def dictionary_digest() -> str:
    """The digest of every file that can change enchant's answers for LANGUAGE (see the module's docstring)."""
    h = hashlib.sha256(f"{LANGUAGE}\0{TABLE_FORMAT}\0".encode())
    spec = find_spec("enchant")
    files = [Path(spec.origin)] if spec is not None and spec.origin else []
    for folder in [*_user_folders(), *map(Path, SYSTEM_FOLDERS)]:
        try:
            names = sorted(os.listdir(folder))
        except OSError:  # no such folder
            continue
        files += [folder / n for n in names if n.startswith(LANGUAGE) or n.startswith(LANGUAGE.replace("_", "-"))
                  or n == "enchant.ordering"]
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:  # a folder of that name, or unreadable
            continue
        if data:  # enchant makes an empty personal list on its first load: empty is the same as none
            h.update(str(path).encode() + b"\0" + len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


class Speller:
    """Answers `check(word)` from the table, else from the dictionary (loaded on the first such word)."""

    def __init__(self) -> None:
        self._enchant: Any = None
        self.unavailable: str | None = None  # why the dictionary cannot be loaded, once that is known
        self._pid = -1
        self._table: sqlite3.Connection | None = None
        #: The table's path, named by the digest of the dictionary files when this process first opened it. A
        #: forked worker opens the same table, without reading and hashing the dictionaries again.
        self._path: Path | None = None

    def _db(self) -> sqlite3.Connection | None:
        if self._pid != os.getpid():  # a connection must not cross a fork: each worker opens its own
            self._path = self._path or table_path()
            self._pid, self._table = os.getpid(), _open_table(self._path)
        return self._table

    def dictionary(self) -> Any:
        """enchant's Dict, loaded once; None when it cannot be (the reason in `unavailable`)."""
        if self._enchant is None and self.unavailable is None:
            try:
                import enchant  # a C library loaded through ctypes: only a word the table lacks needs it

                self._enchant = enchant.Dict(LANGUAGE)
            except Exception as exc:  # no libenchant (ImportError) or no en_GB dictionary (DictNotFoundError)
                self.unavailable = f"{type(exc).__name__}: {exc}"
        return self._enchant

    def check(self, word: str) -> bool:
        db = self._db()
        if db is not None:
            try:
                row = db.execute("SELECT known FROM words WHERE word = ?", (word,)).fetchone()
                if row is not None:
                    return bool(row[0])
            except sqlite3.Error:
                pass
        d = self.dictionary()
        if d is None:
            return True  # not checked: the rule says so once (spelling.py)
        known = bool(d.check(word))
        if db is not None:
            try:
                db.execute("INSERT OR IGNORE INTO words VALUES (?, ?)", (word, int(known)))
            except sqlite3.Error:  # locked by another run for longer than the timeout, or read-only
                pass
        return known

    def suggest(self, word: str) -> list[str]:
        """Hunspell's suggestions for an unknown word (a tenth of a second each), remembered like the answers."""
        db = self._db()
        if db is not None:
            try:
                row = db.execute("SELECT offered FROM suggestions WHERE word = ?", (word,)).fetchone()
                if row is not None:
                    return [s for s in row[0].split("\n") if s]
            except sqlite3.Error:
                pass
        d = self.dictionary()
        if d is None:
            return []
        offered = [str(s) for s in d.suggest(word)]
        if db is not None and not any("\n" in s for s in offered):
            try:
                db.execute("INSERT OR IGNORE INTO suggestions VALUES (?, ?)", (word, "\n".join(offered)))
            except sqlite3.Error:
                pass
        return offered


def table_path() -> Path:
    return user_cache_dir() / f"spelling-v{TABLE_FORMAT}-{LANGUAGE}-{dictionary_digest()[:32]}.sqlite"


def _open_table(path: Path) -> sqlite3.Connection | None:
    # The words come from every report checked, exempt ones too: the table is the user's alone.
    return open_memo(path,
                     "CREATE TABLE IF NOT EXISTS words (word TEXT PRIMARY KEY, known INTEGER NOT NULL) WITHOUT ROWID",
                     "CREATE TABLE IF NOT EXISTS suggestions (word TEXT PRIMARY KEY, offered TEXT NOT NULL) WITHOUT ROWID",
                     private=True, autocommit=True)


_speller: Speller | None = None


def speller() -> Speller:
    """This process's speller (its table and, once needed, the dictionary)."""
    global _speller
    if _speller is None:
        _speller = Speller()
    return _speller
