"""Meeting rules (RG6xx): the agenda as a whole, not each report on it.

The five-clear-day rule binds the agenda itself (LGA 1972 s.100B); each report on it must be for this
meeting (its date and decision maker); and a report belongs on one agenda only. They run on a meeting
file (`reportgen check MEETING` and the publish gate), located in it.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterator

from reportgen.check.context import MeetingContext
from reportgen.check.registry import registered, Where, rule, settings
from reportgen.content.dates import clear_working_days, publication_deadline
from reportgen.check.rules.completeness import PLACEHOLDER

Found = Iterator[tuple[Where, str]]


def _when(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


@rule("RG601", "Agenda not published five clear working days before the meeting", "error",
      """The agenda and its reports must be open to inspection at least five clear working days before the
      meeting; the day of publication and the day of the meeting do not count. An agenda published later
      needs the chair's reasons for urgency. The number of days is the style's RG401 clear_days.""",
      "LGA 1972 s.100B(3) and s.100A; DOMAIN.md", "publish earlier, move the meeting, or give urgency_statement",
      scope="meeting")
def agenda_in_time(ctx: MeetingContext, params: dict[str, Any]) -> Found:
    m = ctx.meeting.meeting
    _, deadline = settings(ctx.profile, registered("RG401"))  # the style's clear days apply to the agenda too
    need = int(deadline["clear_days"])
    clear = clear_working_days(m.publication_date, m.date)
    if clear < need and not (m.urgency_statement or "").strip():
        yield ("publication_date",), (
            f"agenda published {_when(m.publication_date)}, only {clear} clear working days before the "
            f"{_when(m.date)} meeting (needs {need}; publish by {_when(publication_deadline(m.date, need))})")


@rule("RG602", "Report is for another meeting", "error",
      """Each report on an agenda is written for that meeting: its decision date is the meeting's date and its
      decision maker (or the meeting it names) is the committee that meets.""",
      "Council procedure rules; DOMAIN.md",
      "correct the report's meeting (or decision_date and decision_maker), or take it off this agenda",
      scope="meeting")
def report_for_this_meeting(ctx: MeetingContext, params: dict[str, Any]) -> Found:
    m = ctx.meeting.meeting
    for i, item in enumerate(ctx.meeting.items):
        if item.report is None:
            continue
        r = item.report.report
        loc: tuple[str | int, ...] = ("items", i, "report")
        if r.date is not None and r.date != m.date:
            yield loc, f"item {item.number} ({r.title}) is for {_when(r.date)}, but this meeting is on {_when(m.date)}"
        body = r.meeting.committee if r.meeting else r.decision_maker
        if not _same(body, m.committee) and not _same(r.decision_maker, m.committee):
            yield loc, f"item {item.number} ({r.title}) is decided by {body}, but this meeting is {m.committee}"


@rule("RG603", "Report on two agendas", "error",
      """A report is decided once: the same report twice on one agenda, or also on another meeting's agenda
      beside it, is a copying slip that publishes the decision twice.""",
      "Council procedure rules", "take the report off one of the agendas", scope="meeting")
def on_two_agendas(ctx: MeetingContext, params: dict[str, Any]) -> Found:
    meeting = ctx.meeting
    mine: dict[Path, int] = {}
    for i, item in enumerate(meeting.items):
        if item.report is None:
            continue
        folder = item.report.folder.resolve()
        if folder in mine:
            yield ("items", i, "report"), f"item {item.number} ({item.title}) is already item {mine[folder] + 1} of this agenda"
        else:
            mine[folder] = i
    from reportgen.content.meeting import named_files  # here: a report's check needs no meeting model

    for other in sorted(meeting.path.parent.glob("*.y*ml")):
        if other.resolve() == meeting.path.resolve():
            continue
        # A file that cannot be read is not this meeting's problem: checking that file reports it.
        for _, key, path in named_files(other)[1]:
            if key == "report" and path.resolve() in mine:
                i = mine[path.resolve()]
                yield ("items", i, "report"), f"item {i + 1} ({meeting.items[i].title}) is also on the agenda {other.name}"


def _strings(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, (*loc, i))


@rule("RG604", "Placeholder or guidance left in a meeting file", "error",
      """A meeting file's venue, times, membership and contact are printed on the agenda front sheet, so
      they get the same placeholder (RG108) and template guidance (RG117) checks as a report: "[insert
      venue]" from `reportgen new-meeting` must be replaced before the agenda is published.""",
      "Council report templates; LGA 1972 s.100B (agenda open to inspection)",
      "replace the placeholder with the real text", scope="meeting")
def meeting_placeholders(ctx: MeetingContext, params: dict[str, Any]) -> Found:
    _, guidance = settings(ctx.profile, registered("RG117"))  # the style's own template phrases too
    phrases = [str(p).casefold() for p in guidance["phrases"]]
    data = ctx.meeting.meeting.model_dump(mode="json", exclude_none=True, by_alias=True)
    for loc, text in _strings(data, ()):
        match = PLACEHOLDER.search(text)
        if match:
            yield loc, f"placeholder '{match.group(0)}' left in the meeting file"
            continue
        folded = text.casefold()
        found = next((p for p in phrases if p in folded), None)
        if found:
            yield loc, f"template guidance left in the meeting file: '{found}'"
