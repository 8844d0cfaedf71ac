"""Check a meeting as a meeting: the agenda-wide rules (RG6xx, in rules/meeting.py) on one meeting file."""
from __future__ import annotations

from reportgen.check.context import MeetingContext
from reportgen.check.engine import Finding
from reportgen.check.registry import RULES, At, Span, settings
from reportgen.content.meeting import LoadedMeeting
from reportgen.content.yamlio import format_loc
from reportgen.style.profile import Profile


def check_meeting(meeting: LoadedMeeting, profile: Profile) -> list[Finding]:
    """Every finding about the meeting as a whole, located in the meeting file (a style may lower a rule's
    severity or switch it off, as for any rule)."""
    ctx, file = MeetingContext(meeting, profile), str(meeting.path)
    found: list[Finding] = []
    for r in RULES.values():
        if r.scope != "meeting":
            continue
        severity, params = settings(profile, r)
        if severity is None:
            continue
        for where, message in r.run(ctx, params):
            if isinstance(where, At):  # meeting rules name key paths in the meeting file
                raise TypeError(f"{r.id} yields a place in another file")
            loc = where.loc if isinstance(where, Span) else where
            line, col = meeting.where(loc)
            found.append(Finding(r.id, severity, message, r.hint, file, line, col, format_loc(loc)))
    return found
