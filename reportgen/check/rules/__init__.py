"""The rule catalogue; importing this package registers every rule with reportgen.check.registry."""
from __future__ import annotations

from reportgen.content import dates

from . import completeness, language, spelling, writing, law, meeting, numbers, records, signoffs  # noqa: F401


def warm_up(severities: frozenset[str] = frozenset({"error", "warning", "info"})) -> None:
    """Load the data rules build lazily (textstat's pronouncing dictionary, bank holidays)."""
    if severities - {"error"}:
        language.warm_up()  # readability is advice (a warning) unless a house style raises it
        spelling.warm_up()  # spelling too: the dictionary, loaded once before check forks its workers
    dates.warm_up()
