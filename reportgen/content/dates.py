"""The calendar the law counts in: working days and clear days, bank holidays of England and Wales."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import lru_cache
from importlib import metadata
from typing import TYPE_CHECKING

from reportgen.content import clock
from reportgen.fs import mark_used, prune_user_cache, user_cache_dir, write_atomic

if TYPE_CHECKING:
    import holidays

#: The years whose bank holidays are kept in the table; a date outside them asks the holidays package.
TABLE_YEARS = range(1990, 2101)


@lru_cache(maxsize=1)
def _library() -> "holidays.HolidayBase":
    import holidays

    # England and Wales share their bank holidays; the object extends itself to new years on lookup.
    return holidays.country_holidays("GB", subdiv="ENG")


def _release() -> str:
    """The installed holidays package, as a digest of its metadata file (which names its version): what
    the table is made from. Not metadata.version(), which parses that 58 KB file as an e-mail message
    (2 ms of every check)."""
    text = metadata.distribution("holidays").read_text("METADATA") or metadata.version("holidays")
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@lru_cache(maxsize=1)
def _table() -> frozenset[dt.date]:
    """England and Wales's bank holidays of TABLE_YEARS, from a table in the user's cache made once per
    release of the holidays package. Importing that package (it loads every country's module) costs more
    than checking a report; the table is a small JSON file. A table that cannot be read is made again."""
    path = user_cache_dir() / f"bank-holidays-eng-{_release()}.json"
    try:
        data = json.loads(path.read_text(encoding="ascii"))
        if data["years"] == [TABLE_YEARS.start, TABLE_YEARS.stop] and isinstance(data["dates"], list):
            mark_used(path)
            return frozenset(dt.date.fromisoformat(d) for d in data["dates"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    import holidays

    found = holidays.country_holidays("GB", subdiv="ENG", years=TABLE_YEARS)
    dates = sorted(found)
    try:
        write_atomic(path, json.dumps({"years": [TABLE_YEARS.start, TABLE_YEARS.stop],
                                       "dates": [d.isoformat() for d in dates]}).encode("ascii"))
        prune_user_cache()  # a new release's table: the moment to drop what no command uses any more
    except OSError:
        pass  # a cache folder that cannot be written: the table is kept for this run only
    return frozenset(dates)


def bank_holiday(day: dt.date) -> bool:
    if day.year in TABLE_YEARS:
        return day in _table()
    return day in _library()


def warm_up() -> None:
    working_day(clock.today())


def working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not bank_holiday(day)


def clear_working_days(start: dt.date, end: dt.date) -> int:
    """Working days strictly between start and end (neither the day of publication nor of the meeting)."""
    return sum(working_day(start + dt.timedelta(days=i)) for i in range(1, (end - start).days))


def publication_deadline(meeting: dt.date, clear_days: int = 5) -> dt.date:
    """The latest publication date that still leaves `clear_days` clear working days."""
    day, count = meeting, 0
    while count < clear_days:
        day -= dt.timedelta(days=1)
        count += working_day(day)
    return day - dt.timedelta(days=1)


def after_working_days(start: dt.date, days: int) -> dt.date:
    """The last of `days` working days after `start` (the day of `start` itself does not count):
    the end of a call-in period that runs for that many clear working days from publication."""
    day, count = start, 0
    while count < days:
        day += dt.timedelta(days=1)
        count += working_day(day)
    return day


def clear_days_before(when: dt.date, days: int) -> dt.date:
    """The latest date that gives `days` clear calendar days before `when` (28 days' notice)."""
    return when - dt.timedelta(days=days + 1)
