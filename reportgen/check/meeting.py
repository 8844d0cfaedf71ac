"""Meeting checks (RG6xx): the agenda as a whole, not each report on it.

The five-clear-day rule binds the agenda itself (LGA 1972 s.100B); each report on it must be for this
meeting (its date and decision maker); and a report belongs on one agenda only.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterator

from reportgen.check.engine import Finding
from reportgen.check.registry import RULES, settings
from reportgen.content.dates import clear_working_days, publication_deadline
from reportgen.content.meeting import LoadedMeeting
from reportgen.content.yamlio import format_loc, read_yaml
from reportgen.errors import ReportgenError
from reportgen.style.profile import Profile

#: id -> (title, hint); these rules judge the meeting file, so they are not in the per-report catalogue.
MEETING_RULES = {
    "RG601": ("Agenda not published five clear working days before the meeting",
              "publish earlier, move the meeting, or give urgency_statement"),
    "RG602": ("Report is for another meeting",
              "correct the report's meeting (or decision_date and decision_maker), or take it off this agenda"),
    "RG603": ("Report on two agendas", "take the report off one of the agendas"),
}


def _when(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def check_meeting(meeting: LoadedMeeting, profile: Profile) -> list[Finding]:
    """Every finding about the meeting as a whole, located in the meeting file."""
    m, file = meeting.meeting, str(meeting.path)
    found: list[Finding] = []

    def add(rule: str, loc: tuple[str | int, ...], message: str) -> None:
        line, col = meeting.where(loc)
        found.append(Finding(rule, "error", message, MEETING_RULES[rule][1], file, line, col, format_loc(loc)))

    _, params = settings(profile, RULES["RG401"])  # the style's clear days apply to the agenda too
    need = int(params["clear_days"])
    clear = clear_working_days(m.publication_date, m.date)
    if clear < need and not (m.urgency_statement or "").strip():
        add("RG601", ("publication_date",),
            f"agenda published {_when(m.publication_date)}, only {clear} clear working days before the "
            f"{_when(m.date)} meeting (needs {need}; publish by {_when(publication_deadline(m.date, need))})")
    for i, item in enumerate(meeting.items):
        if item.report is None:
            continue
        r = item.report.report
        loc: tuple[str | int, ...] = ("items", i, "report")
        if r.date is not None and r.date != m.date:
            add("RG602", loc, f"item {item.number} ({r.title}) is for {_when(r.date)}, but this meeting is on "
                              f"{_when(m.date)}")
        body = r.meeting.committee if r.meeting else r.decision_maker
        if not _same(body, m.committee) and not _same(r.decision_maker, m.committee):
            add("RG602", loc, f"item {item.number} ({r.title}) is decided by {body}, but this meeting is "
                              f"{m.committee}")
    for where, message in _on_two_agendas(meeting):
        add("RG603", where, message)
    return found


def _on_two_agendas(meeting: LoadedMeeting) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Reports this agenda shares with itself or with another meeting file beside it."""
    mine: dict[Path, int] = {}
    for i, item in enumerate(meeting.items):
        if item.report is None:
            continue
        folder = item.report.folder.resolve()
        if folder in mine:
            yield ("items", i, "report"), f"item {item.number} ({item.title}) is already item {mine[folder] + 1} of this agenda"
        else:
            mine[folder] = i
    for other in sorted(meeting.path.parent.glob("*.y*ml")):
        if other.resolve() == meeting.path.resolve():
            continue
        try:
            data, _ = read_yaml(other)
        except ReportgenError:
            continue  # not this meeting's problem; checking that file reports it
        items = data.get("items") if isinstance(data, dict) else None
        for spec in items if isinstance(items, list) else []:
            path = spec.get("report") if isinstance(spec, dict) else None
            if isinstance(path, str) and (other.parent / path).resolve() in mine:
                i = mine[(other.parent / path).resolve()]
                yield ("items", i, "report"), f"item {i + 1} ({meeting.items[i].title}) is also on the agenda {other.name}"
