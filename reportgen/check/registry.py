"""The rule registry: each rule's id, severity, explanation and parameters, and house-style overrides.

A rule is a function registered with @rule; it receives a Context and yields
(location, message) pairs. Severity, on/off and parameters come from the
rule's defaults, overridden per house style in profile.yaml under `rules:`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Literal, Union

from reportgen.content.yamlio import Loc, Positions, read_yaml
from reportgen.errors import Problem, ReportgenError, StyleError
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
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


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


RULES: dict[str, Rule] = {}


def rule(id: str, title: str, severity: Severity, explanation: str, source: str, hint: str,
         scope: Scope = "report", **params: Any) -> Callable[[Callable[..., Iterable[tuple[Where, str]]]], Callable[..., Any]]:
    """Register a rule function under a stable id."""
    def register(fn: Callable[..., Iterable[tuple[Where, str]]]) -> Callable[..., Any]:
        if id in RULES:
            raise ValueError(f"rule {id} registered twice")
        RULES[id] = Rule(id, title, severity, " ".join(explanation.split()), source, hint, params, fn, scope)
        return fn
    return register


def settings(profile: Profile, r: Rule) -> tuple[str | None, dict[str, Any]]:
    """(severity or None when switched off, parameters) after the house style's overrides."""
    override = profile.rules.get(r.id)
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


_KINDS = {int: "a number", float: "a number", str: "text", bool: "true or false", list: "a list"}


def _same_kind(value: Any, default: Any) -> bool:
    """Whether an overriding parameter has the type of the rule's default (any number for a number)."""
    if isinstance(value, bool) or isinstance(default, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def validate_overrides(profile: Profile) -> None:
    """Every rule override names a known rule, severity and parameters; each problem located."""
    problems = [(key, message) for key, value in profile.rules.items() for message in _override_problems(key, value)]
    if problems:
        path = profile.folder / "profile.yaml"
        try:
            _, pos = read_yaml(path)
        except ReportgenError:
            pos = Positions()
        located = []
        for key, message in problems:
            line, col = pos.find(("rules", key))
            located.append(Problem(path, line, col, f"rules.{key}", message))
        raise StyleError(problems=located)


def _override_problems(key: str, value: Any) -> list[str]:
    problems = []
    if key not in RULES:
        problems.append(f"unknown rule {key}")
    elif isinstance(value, str) and value not in (*SEVERITIES, "off"):
        problems.append(f"rule {key}: expected error, warning, info or off, got '{value}'")
    elif isinstance(value, dict):
        if value.get("severity", "error") not in SEVERITIES:
            problems.append(f"rule {key}: unknown severity '{value.get('severity')}'")
        unknown = set(value) - {"severity", "enabled"} - set(RULES[key].params)
        if unknown:
            problems.append(f"rule {key}: unknown parameter(s) {', '.join(sorted(unknown))}")
        if not isinstance(value.get("enabled", True), bool):
            problems.append(f"rule {key}: enabled must be true or false, got {value['enabled']!r}")
        # A parameter of the wrong type would crash the rule mid-check; it is a style error.
        problems += [f"rule {key}: {name} must be {_KINDS.get(type(default), type(default).__name__)}, "
                     f"got {value[name]!r}" for name, default in RULES[key].params.items()
                     if name in value and not _same_kind(value[name], default)]
    elif not isinstance(value, (str, bool)):  # YAML reads off/on as false/true
        problems.append(f"rule {key}: expected error, warning, info, off or a mapping of parameters, "
                        f"got {value!r}")
    return problems


