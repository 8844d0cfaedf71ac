"""The publish gate: every reason a meeting's reports may not be published, and the DOCX of those that may."""
from __future__ import annotations

import datetime as dt

from reportgen.check.engine import ReportCheck, check_prepared
from reportgen.check.meeting import check_meeting
from reportgen.check.rules import warm_up
from reportgen.content.meeting import LoadedMeeting
from reportgen.docx.render import render
from reportgen.errors import ReportgenError
from reportgen.layout.prepared import Prepared
from reportgen.parallel import map_shared
from reportgen.style.profile import Profile

#: Only errors block publication, so advisory rules (readability, say) need not run here.
BLOCKING = frozenset({"error"})


def _check_and_render(prepared: Prepared, today: dt.date, draft: bool) -> tuple[ReportCheck, bytes | None]:
    """One pass per prepared report: its blocking findings, and its DOCX when it may be published."""
    result = check_prepared(prepared, today, BLOCKING)
    if result.count("error") and not draft:
        return result, None
    return result, render(prepared, draft)


def gate(meeting: LoadedMeeting, prepared: dict[int, Prepared | ReportgenError], today: dt.date,
         draft: bool = False, profile: Profile | None = None) -> tuple[list[str], dict[int, bytes]]:
    """Every reason the meeting's papers may not be published (the agenda's own timing and items, each
    report's check errors, missing or stale sign-off included), and the DOCX of every report that may be."""
    ready = [(n, p) for n, p in prepared.items() if isinstance(p, Prepared)]
    results = map_shared(_check_and_render, [p for _, p in ready], (today, draft), minimum=4,
                         prepare=lambda: warm_up(BLOCKING))
    outcome = dict(zip((n for n, _ in ready), results))
    reasons: list[str] = [f"meeting: {f}" for f in check_meeting(meeting, profile)] if profile else []
    rendered: dict[int, bytes] = {}
    for item in meeting.items:
        if item.number not in prepared:
            continue
        where = f"item {item.number} ({item.title})"
        found = prepared[item.number]
        if isinstance(found, ReportgenError):
            reasons.append(f"{where}: unusable: {found}")
            continue
        result, docx = outcome[item.number]
        reasons += [f"{where}: {f}" for f in result.findings if f.severity == "error"]
        if docx is not None:
            rendered[item.number] = docx
    return reasons, rendered
