"""`reportgen status`: a completeness matrix for governance officers, one row per report."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.check.bar import lowered
from reportgen.check.engine import Finding, ReportCheck, check_prepared
from reportgen.content.signoff import bound
from reportgen.layout.arrange import printed_hash
from reportgen.layout.signoffs import refusals
from reportgen.style.profile import Profile
from reportgen.errors import ReportgenError, printable

from reportgen.check.catalogue import catalogue
from reportgen.check.registry import settings
from reportgen.layout.prepared import Prepared
from reportgen.content.dates import publication_deadline

if TYPE_CHECKING:  # the status of reports alone needs no meeting model
    from reportgen.content.meeting import LoadedMeeting


@dataclass
class StatusRow:
    path: Path
    style: str = ""
    title: str = ""
    date: dt.date | None = None
    deadline: dt.date | None = None
    days_left: int | None = None
    sections: dict[str, bool] = field(default_factory=dict)
    signoffs: dict[str, str] = field(default_factory=dict)  # role -> done / missing / stale / altered
    #: role -> (who, when) of the sign-off behind a state other than missing
    signers: dict[str, tuple[str, dt.date | None]] = field(default_factory=dict)
    #: role -> the day that sign-off was recorded (None for a record made before reportgen kept it)
    recorded: dict[str, dt.date | None] = field(default_factory=dict)
    #: how the house style lowered the bar since the report was signed (fewer roles, rules off or lowered)
    lowered: list[str] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    error: str = ""
    kind: str = "report"  # or "meeting": the agenda's own row, before its reports'

    @property
    def ready(self) -> bool:
        # A lowered bar is never ready, even where the rule that reports it (RG510) is switched off too.
        return not self.error and not self.errors and not self.lowered

    def as_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "kind": self.kind, "style": self.style, "title": self.title,
                "date": self.date.isoformat() if self.date else None,
                "deadline": self.deadline.isoformat() if self.deadline else None, "days_left": self.days_left,
                "ready": self.ready, "unusable": self.error or None, "errors": self.errors, "warnings": self.warnings,
                "sections": self.sections, "signoffs": self.signoffs,
                "signers": {role: {"name": name, "date": when.isoformat() if when else None,
                                   "recorded": _iso(self.recorded.get(role))}
                            for role, (name, when) in self.signers.items()},
                "bar_lowered": self.lowered}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def status_row(prepared: Prepared, today: dt.date, result: ReportCheck | None = None) -> StatusRow:
    """Deadline, check errors and warnings, required sections present, and each required sign-off's state."""
    loaded, profile = prepared.loaded, prepared.profile
    r = loaded.report
    if result is None:  # the caller's own check (of every severity) is reused: each rule runs once
        result = check_prepared(prepared, today, frozenset({"error", "warning"}))
    row = StatusRow(loaded.folder, r.style, r.title, r.date, errors=result.count("error"),
                    warnings=result.count("warning"))
    if r.date:
        _, params = settings(profile, catalogue()["RG401"])  # the house style may change clear_days
        row.deadline = publication_deadline(r.date, int(params["clear_days"]))
        row.days_left = (row.deadline - today).days
    custom = profile.custom_sections
    row.sections = {k: (k in r.sections) if k in custom else getattr(r, k, None) is not None
                    for k in profile.required_keys}
    cleared = prepared.layout.clearance
    printed = printed_hash(prepared.layout)
    row.lowered = lowered(profile, [s.latest for s in cleared.values() if s.latest is not None and s.latest.sealed])
    for role in profile.required_reviewers:
        state = cleared.get(role)
        if state is None:
            row.signoffs[role] = "missing"
            continue
        if state.current is not None:
            row.signoffs[role] = "done"
        else:
            now = [s for s in state.history if s.sealed and bound(loaded, s, printed)]
            row.signoffs[role] = (("refused" if any(refusals(loaded, profile, s) for s in now) else "unverified")
                                  if now else "stale" if any(s.sealed for s in state.history) else "altered")
        shown = state.current or state.latest
        if shown is not None:
            row.signers[role] = (shown.name, shown.date)
            row.recorded[role] = shown.recorded
    return row


def meeting_row(meeting: LoadedMeeting, profile: Profile, findings: list[Finding], today: dt.date) -> StatusRow:
    """The agenda's own row: its publication deadline (the style's clear days before the meeting) and the
    findings about the meeting as a whole (RG601-RG603)."""
    m = meeting.meeting
    row = StatusRow(meeting.path, m.style, f"{m.committee}, {m.date.isoformat()}", m.date, kind="meeting",
                    errors=sum(f.severity == "error" for f in findings),
                    warnings=sum(f.severity == "warning" for f in findings))
    _, params = settings(profile, catalogue()["RG401"])
    row.deadline = publication_deadline(m.date, int(params["clear_days"]))
    row.days_left = (row.deadline - today).days
    return row


def unusable_row(folder: Path, exc: ReportgenError) -> StatusRow:
    return StatusRow(folder, error=str(exc.problems[0]) if exc.problems else str(exc),
                     errors=len(exc.problems) or 1)


def exit_code(rows: list[StatusRow]) -> int:
    """0 when every report is ready, 1 when some are not, 2 when some input is unusable."""
    if any(row.error for row in rows):
        return 2
    return 0 if all(row.ready for row in rows) else 1


def format_json(rows: list[StatusRow]) -> str:
    ready = sum(row.ready for row in rows)
    return json.dumps({"reports": [row.as_json() for row in rows],
                       "summary": {"reports": len(rows), "ready": ready, "not_ready": len(rows) - ready,
                                   "unusable": sum(bool(row.error) for row in rows)}}, indent=2, ensure_ascii=False)


def format_rows(rows: list[StatusRow]) -> list[str]:
    """A plain-text matrix: ✓ present / ✗ missing; sign-offs as done, MISSING or STALE."""
    lines = []
    for row in rows:
        if row.error:
            lines.append(printable(f"{row.path}: unusable: {row.error}"))
            continue
        when = row.date.isoformat() if row.date else "no date"
        # days_left and deadline are set together, so checking both changes nothing.
        left = "" if row.days_left is None or row.deadline is None else (
            f", publish by {row.deadline.isoformat()} ({row.days_left} days left)" if row.days_left >= 0 else
            f", publication deadline {row.deadline.isoformat()} passed {-row.days_left} days ago")
        state = "ready" if row.ready else "NOT READY"
        lines.append(printable(f"{row.path} [{row.style}] {when}{left}: {state} ({row.errors} errors, "
                               f"{row.warnings} warnings)"))
        if row.kind == "meeting":
            lines.append(printable(f"  meeting: {row.title}"))
            continue
        lines.append("  sections: " + " ".join(f"{'✓' if ok else '✗'}{k}" for k, ok in row.sections.items()))
        lines.append("  sign-off: " + (" ".join(
            f"{role}={state if state == 'done' else state.upper()}" for role, state in row.signoffs.items()) or "none required"))
        for role, (name, stated) in row.signers.items():
            recorded = _iso(row.recorded.get(role))
            lines.append(f"    {role}: {name}, dated {_iso(stated) or 'no date'}, "
                         + (f"recorded {recorded}" if recorded else "recorded: not kept"))
        if row.lowered:
            lines.append("  BAR LOWERED since sign-off: " + "; ".join(row.lowered))
    return lines
