"""The calendar the law counts in: working days and clear days, bank holidays of England and Wales."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=1)
def _bank_holidays() -> holidays.HolidayBase:
    # England and Wales share their bank holidays; the object extends itself to new years on lookup.
    return holidays.country_holidays("GB", subdiv="ENG")


def warm_up() -> None:
    working_day(dt.date.today())


def working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays()


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
