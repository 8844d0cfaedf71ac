"""The governance dashboard: a meeting's (or any set of) reports × required sections, sign-offs,
deadlines and findings, as one self-contained page that sorts and filters without a server."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportgen.html.render import render_page, script, stylesheet

#: Severities in the order the dashboard groups findings.
SEVERITY_ORDER = ("error", "warning", "info")


@dataclass
class Signoff:
    role: str
    state: str  # done / missing / stale
    who: str = ""
    when: str = ""


@dataclass
class FindingLine:
    severity: str
    rule: str
    message: str
    hint: str
    where: str  # file:line:col


@dataclass
class Row:
    """One report's line of the dashboard; `error` is set (and little else) when it cannot be read."""

    path: str
    title: str = ""
    style: str = ""
    date: str = ""
    deadline: str = ""
    days_left: int | None = None
    sections: dict[str, bool] = field(default_factory=dict)
    signoffs: list[Signoff] = field(default_factory=list)
    findings: list[FindingLine] = field(default_factory=list)
    error: str = ""

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def grouped(self) -> list[tuple[str, list[FindingLine]]]:
        return [(s, [f for f in self.findings if f.severity == s]) for s in SEVERITY_ORDER
                if any(f.severity == s for f in self.findings)]

    @property
    def state(self) -> str:
        """'unusable', 'blocked' (errors or a missing or stale sign-off) or 'ready'."""
        if self.error:
            return "unusable"
        if self.count("error") or any(s.state != "done" for s in self.signoffs):
            return "blocked"
        return "ready"


def dashboard_page(rows: list[Row], today: dt.date, title: str = "Governance dashboard", draft: bool = False) -> str:
    """The dashboard page; works without JavaScript, which only adds sorting and filtering."""
    sections = list(dict.fromkeys(k for row in rows for k in row.sections))
    roles = list(dict.fromkeys(s.role for row in rows for s in row.signoffs))
    return render_page("dashboard.html.j2", rows=rows, sections=sections, roles=roles, title=title,
                       today=today.isoformat(), draft=draft, css=stylesheet(None), js=script("dashboard.js"))
