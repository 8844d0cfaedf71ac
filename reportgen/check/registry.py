"""The rule registry: each rule's id, severity, explanation and parameters, and house-style overrides.

A rule is a function registered with @rule; it receives a Context and yields
(location, message) pairs. Severity, on/off and parameters come from the
rule's defaults, overridden per house style in profile.yaml under `rules:`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Literal, Union

from reportgen.check import SEVERITIES as SEVERITIES
from reportgen.content.yamlio import Loc
from reportgen.style.profile import Profile

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class At:
    """A place in a file other than report.yaml (signoff.yaml, a meeting file) that a finding points at."""

    file: str
    line: int
    col: int = 1
    key: str = ""


@dataclass(frozen=True)
class Span:
    """Some text inside the value at `loc`: the finding points at its own line and column, even deep in a
    multi-line block."""

    loc: Loc
    text: str


#: Where a finding points: a key path in report.yaml, text inside a value, or a place in another file.
Where = Union[Loc, At, Span]

#: What a rule looks at: one prepared report, a decision notice, or a forward plan entry.
Scope = Literal["report", "decision", "forward-plan", "meeting"]


@dataclass(frozen=True)
class Rule:
    """One check in the catalogue."""

    id: str
    title: str
    severity: Severity
    explanation: str
    source: str
    hint: str
    params: dict[str, Any]
    #: What the rule looks at: "report" (one prepared report, a Context), "decision" (a decision
    #: notice, a DecisionContext) or "forward-plan" (a forward plan entry, a PlanContext).
    run: Callable[[Any, dict[str, Any]], Iterable[tuple[Where, str]]]
    scope: Scope = "report"


_REGISTERED: dict[str, Rule] = {}


def registered(id: str) -> Rule:
    """A rule of the catalogue by id, for a rule that reads another's settings (all are registered by the
    time any rule runs). Everyone else asks reportgen.check.catalogue, which makes sure they are."""
    return _REGISTERED[id]


def report_rules() -> list[Rule]:
    """Every registered rule that checks a report (all are registered by the time any rule runs, or
    `reportgen sign` and `status` run, which load the catalogue first)."""
    return [r for r in _REGISTERED.values() if r.scope == "report"]


def rule(id: str, title: str, severity: Severity, explanation: str, source: str, hint: str,
         scope: Scope = "report", **params: Any) -> Callable[[Callable[..., Iterable[tuple[Where, str]]]], Callable[..., Any]]:
    """Register a rule function under a stable id."""
    def register(fn: Callable[..., Iterable[tuple[Where, str]]]) -> Callable[..., Any]:
        if id in _REGISTERED:
            raise ValueError(f"rule {id} registered twice")
        _REGISTERED[id] = Rule(id, title, severity, " ".join(explanation.split()), source, hint, params, fn, scope)
        return fn
    return register


def settings(profile: Profile, r: Rule) -> tuple[str | None, dict[str, Any]]:
    """(severity or None when switched off, parameters) after the house style's overrides."""
    override = profile.effective_rules.get(r.id)
    params = dict(r.params)
    severity: str | None = r.severity
    if override in ("off", False):
        return None, params
    if isinstance(override, str):
        severity = override
    elif isinstance(override, dict):
        override = dict(override)
        if override.pop("enabled", True) is False:
            return None, params
        severity = override.pop("severity", severity)
        params.update(override)
    return severity, params
