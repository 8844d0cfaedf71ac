"""Check stage: run the rule catalogue over reports and collect located findings."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.check.context import Context, DecisionContext, MeetingContext, PlanContext
from reportgen.check.catalogue import catalogue
from reportgen.check.registry import SEVERITIES, At, Scope, Span, settings
from reportgen.content.load import LoadedReport
from reportgen.content.yamlio import format_loc
from reportgen.layout.prepared import Prepared
from reportgen.errors import ReportgenError, located

@dataclass
class Finding:
    rule: str
    severity: str
    message: str
    hint: str
    file: str
    line: int
    col: int
    key: str

    def __str__(self) -> str:
        return located(self.file, self.line, self.col, f"{self.severity} {self.rule}: ", f"{self.message} ({self.hint})")


@dataclass
class ReportCheck:
    """The findings for one report folder (or the reason it could not be checked)."""

    path: Path
    title: str = ""
    style: str = ""
    findings: list[Finding] = field(default_factory=list)
    unusable: ReportgenError | None = None

    def count(self, severity: str) -> int:
        unusable = len(self.unusable.problems) or 1 if self.unusable is not None and severity == "error" else 0
        return sum(f.severity == severity for f in self.findings) + unusable

    def ready(self, strict: bool = False) -> bool:
        if self.count("error"):
            return False
        return not (strict and self.count("warning"))


def check_prepared(prepared: Prepared, today: dt.date,
                   severities: frozenset[str] = frozenset(SEVERITIES)) -> ReportCheck:
    """Run every enabled rule (of the given severities) over one prepared report."""
    loaded, profile = prepared.loaded, prepared.profile
    result = ReportCheck(loaded.folder, loaded.report.title, loaded.report.style)
    ctx = Context(loaded, profile, prepared.layout, today)
    for r in catalogue().values():
        if r.scope != "report":
            continue
        severity, params = settings(profile, r)
        if severity is None or severity not in severities:
            continue
        for loc, message in r.run(ctx, params):
            if isinstance(loc, At):
                result.findings.append(Finding(r.id, severity, message, r.hint, loc.file, loc.line, loc.col, loc.key))
                continue
            if isinstance(loc, Span):
                line, col = loaded.positions.locate(loc.loc, loaded.text, loc.text)
                loc = loc.loc
            else:  # a report-wide finding points at the title line, not at whichever key comes first
                line, col = loaded.positions.find(loc or ("title",))
            result.findings.append(Finding(r.id, severity, message, r.hint, str(loaded.file), line, col,
                                           format_loc(loc)))
    result.findings.sort(key=lambda f: (f.file != str(loaded.file), f.file, f.line, f.col, f.rule))
    return result


def check_record(ctx: DecisionContext | PlanContext | MeetingContext, scope: Scope) -> list[Finding]:
    """Run the enabled rules of a scope other than "report" ("decision", "forward-plan", "meeting") over one
    record or meeting file, with its house style's settings."""
    findings = []
    for r in catalogue().values():
        if r.scope != scope:
            continue
        severity, params = settings(ctx.profile, r)
        if severity is None:
            continue
        for where, message in r.run(ctx, params):
            # Record rules name key paths in their own file; text spans and other files are report rules'.
            loc = where.loc if isinstance(where, Span) else where
            if isinstance(loc, At):
                findings.append(Finding(r.id, severity, message, r.hint, loc.file, loc.line, loc.col, loc.key))
                continue
            p = ctx.problem(loc, message)
            findings.append(Finding(r.id, severity, message, r.hint, str(p.file), p.line, p.col, p.key))
    return findings


def unusable(folder: Path, exc: ReportgenError, loaded: LoadedReport | None = None) -> ReportCheck:
    """The result for a report that could not be prepared: its input problems count as errors."""
    title, style = (loaded.report.title, loaded.report.style) if loaded else ("", "")
    return ReportCheck(folder, title, style, unusable=exc)
