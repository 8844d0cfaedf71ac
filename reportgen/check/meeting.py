"""Check a meeting as a meeting: the agenda-wide rules (RG6xx, in rules/meeting.py) on one meeting file."""
from __future__ import annotations

from reportgen.check.context import MeetingContext
from reportgen.check.engine import Finding, check_record
from reportgen.content.meeting import LoadedMeeting
from reportgen.style.profile import Profile


def check_meeting(meeting: LoadedMeeting, profile: Profile) -> list[Finding]:
    """Every finding about the meeting as a whole, located in the meeting file (a style may lower a rule's
    severity or switch it off, as for any rule)."""
    return check_record(MeetingContext(meeting, profile), "meeting")
