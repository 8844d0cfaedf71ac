"""`reportgen status`: a completeness matrix for governance officers, one row per report."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.check.registry import RULES, settings
from reportgen.layout.prepared import Prepared
from reportgen.check.rules.law import publication_deadline


@dataclass
class StatusRow:
    path: Path
    style: str = ""
    title: str = ""
    date: dt.date | None = None
    deadline: dt.date | None = None
    days_left: int | None = None
    sections: dict[str, bool] = field(default_factory=dict)
    signoffs: dict[str, str] = field(default_factory=dict)  # role -> done / missing / stale
    #: role -> (who, when) of the sign-off behind a done or stale state
    signers: dict[str, tuple[str, dt.date | None]] = field(default_factory=dict)
    error: str = ""


def status_row(prepared: Prepared, today: dt.date) -> StatusRow:
    """Deadline, required sections present, and each required sign-off done, missing or stale."""
    loaded, profile = prepared.loaded, prepared.profile
    r = loaded.report
    row = StatusRow(loaded.folder, r.style, r.title, r.date)
    if r.date:
        _, params = settings(profile, RULES["RG401"])  # the house style may change clear_days
        row.deadline = publication_deadline(r.date, int(params["clear_days"]))
        row.days_left = (row.deadline - today).days
    row.sections = {k: getattr(r, k, None) is not None for k in profile.required_sections}
    latest = {s.role.casefold(): s for s in loaded.signoffs}  # the last recorded, for who and when
    listed = {x.role.casefold(): x for x in r.reviewers or []}
    for role in profile.required_reviewers:
        key, x = role.casefold(), listed.get(role.casefold())
        if key in latest:
            row.signoffs[role] = "done" if key in loaded.current_signoffs else "stale"
            s = loaded.current_signoffs.get(key, latest[key])
            row.signers[role] = (s.name, s.date)
        else:
            row.signoffs[role] = "done" if x is not None and x.name and x.date else "missing"
            if x is not None and x.name:
                row.signers[role] = (x.name, x.date)
    return row


def format_rows(rows: list[StatusRow]) -> list[str]:
    """A plain-text matrix: ✓ present / ✗ missing; sign-offs as done, MISSING or STALE."""
    lines = []
    for row in rows:
        if row.error:
            lines.append(f"{row.path}: unusable: {row.error}")
            continue
        when = row.date.isoformat() if row.date else "no date"
        # days_left and deadline are set together, so checking both changes nothing.
        left = "" if row.days_left is None or row.deadline is None else (
            f", publish by {row.deadline.isoformat()} ({row.days_left} days left)" if row.days_left >= 0 else
            f", publication deadline {row.deadline.isoformat()} passed {-row.days_left} days ago")
        lines.append(f"{row.path} [{row.style}] {when}{left}")
        lines.append("  sections: " + " ".join(f"{'✓' if ok else '✗'}{k}" for k, ok in row.sections.items()))
        lines.append("  sign-off: " + (" ".join(
            f"{role}={state if state == 'done' else state.upper()}" for role, state in row.signoffs.items()) or "none required"))
    return lines
