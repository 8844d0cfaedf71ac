"""The one clock: the date every command prints or checks a date by.

It is the machine's date, or a simulated one from the environment variable REPORTGEN_TODAY
(YYYY-MM-DD): the machine's clock for tests and reproducible runs, as SOURCE_DATE_EPOCH is for build
timestamps. A command's `--today D` may move a publication forward (a document prepared to be published
on D) but never before the clock: a printed publication date is the day it is made public, or later.
"""
from __future__ import annotations

import datetime as dt
import os

from reportgen.errors import ContentError, Problem

#: The environment variable that sets the clock.
ENV = "REPORTGEN_TODAY"


def today() -> dt.date:
    """The clock's date: REPORTGEN_TODAY when set, else the machine's date."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ContentError(problems=[Problem(ENV, 1, 1, "", f"not a date (YYYY-MM-DD): {value!r}")]) from None


def publication_day(requested: dt.date | None, draft: bool = False, option: str = "--today") -> dt.date:
    """The date a publication is made and printed: the clock's, or a later `requested` one. An earlier
    one would print a false date, so it is refused unless the run is a draft (never published)."""
    clock = today()
    if requested is None:
        return clock
    if requested < clock and not draft:
        raise ContentError(problems=[Problem(option, 1, 1, "", (
            f"{requested.isoformat()} is before today ({clock.isoformat()}): a publication cannot be dated "
            f"earlier than the day it is made (set {ENV} to simulate a date in tests)"))])
    return requested
