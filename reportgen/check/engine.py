"""Check stage: run the rule catalogue over reports and report findings like a compiler.

A rule is a function registered with @rule; it receives a Context and yields
(location, message) pairs. Severity, on/off and parameters come from the
rule's defaults, overridden per house style in profile.yaml under `rules:`.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Literal

from reportgen.errors import ContentError, ReportgenError, StyleError
from reportgen.layout.arrange import Layout, arrange
from reportgen.content.load import LoadedReport, find_reports, load_report
from reportgen.parallel import fork_map
from reportgen.style.profile import Profile
from reportgen.content.yamlio import Loc, format_loc

Severity = Literal["error", "warning", "info"]
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
    run: Callable[["Context", dict[str, Any]], Iterable[tuple[Loc, str]]]


RULES: dict[str, Rule] = {}


def rule(id: str, title: str, severity: Severity, explanation: str, source: str, hint: str,
         **params: Any) -> Callable[[Callable[..., Iterable[tuple[Loc, str]]]], Callable[..., Any]]:
    """Register a rule function under a stable id."""
    def register(fn: Callable[..., Iterable[tuple[Loc, str]]]) -> Callable[..., Any]:
        if id in RULES:
            raise ValueError(f"rule {id} registered twice")
        RULES[id] = Rule(id, title, severity, " ".join(explanation.split()), source, hint, params, fn)
        return fn
    return register


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
        return f"{self.file}:{self.line}:{self.col}: {self.severity} {self.rule}: {self.message} ({self.hint})"


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


class Context:
    """What a rule sees: the report, its house style, its laid-out body and today's date."""

    def __init__(self, loaded: LoadedReport, profile: Profile, layout: Layout, today: dt.date) -> None:
        self.loaded = loaded
        self.report = loaded.report
        self.profile = profile
        self.layout = layout
        self.today = today

    @cached_property
    def texts(self) -> "list[Any]":
        from reportgen.check.textscan import scan
        return scan(self)

    @cached_property
    def all_text(self) -> str:
        """Every text joined, so a rule can rule out a whole report with one search."""
        return "\n".join(t.text for t in self.texts)

    @cached_property
    def folded(self) -> str:
        """all_text case-folded once, for rules' cheap substring pre-checks."""
        return self.all_text.casefold()


def _settings(profile: Profile, r: Rule) -> tuple[str | None, dict[str, Any]]:
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


def _validate_overrides(profile: Profile) -> None:
    problems = []
    for key, value in profile.rules.items():
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
    if problems:
        raise StyleError(f"{profile.folder / 'profile.yaml'}: rules: " + "; ".join(problems))


def check_report(folder: Path, today: dt.date | None = None, styles: list[Path] | None = None,
                 severities: frozenset[str] = frozenset(SEVERITIES)) -> ReportCheck:
    """Run every enabled rule over one report folder (only those of the given severities)."""
    from reportgen.check import rules as _rules  # noqa: F401  (registers the catalogue)
    from reportgen.pipeline import profile_for

    result = ReportCheck(folder)
    try:
        loaded = load_report(folder)
        result.title, result.style = loaded.report.title, loaded.report.style
        profile = profile_for(loaded, styles)
        _validate_overrides(profile)
        layout = arrange(loaded, profile)
    except ReportgenError as exc:
        result.unusable = exc
        return result
    ctx = Context(loaded, profile, layout, today or dt.date.today())
    for r in RULES.values():
        severity, params = _settings(profile, r)
        if severity is None or severity not in severities:
            continue
        for loc, message in r.run(ctx, params):
            line, col = loaded.positions.find(loc)
            result.findings.append(Finding(r.id, severity, message, r.hint, str(loaded.file), line, col,
                                           format_loc(loc)))
    result.findings.sort(key=lambda f: (f.line, f.col, f.rule))
    return result


def check(paths: list[Path] | None = None, today: dt.date | None = None,
          styles: list[Path] | None = None, workers: int | None = None) -> list[ReportCheck]:
    """Check every report under `paths` (default content/), in parallel when there are many."""
    return check_folders(find_reports(paths or [Path("content")]), today, styles, workers)


def check_folders(folders: list[Path], today: dt.date | None = None, styles: list[Path] | None = None,
                  workers: int | None = None,
                  severities: frozenset[str] = frozenset(SEVERITIES)) -> list[ReportCheck]:
    """Check the given report folders, results in the same order."""
    from reportgen.check import rules  # import once, before any fork

    today = today or dt.date.today()
    return fork_map(check_report, [(f, today, styles, severities) for f in folders], workers, minimum=24,
                    prepare=lambda: rules.warm_up(severities))


def summary(results: list[ReportCheck], strict: bool = False) -> dict[str, int]:
    ready = sum(r.ready(strict) for r in results)
    return {"reports": len(results), "ready": ready, "not_ready": len(results) - ready,
            "errors": sum(r.count("error") for r in results), "warnings": sum(r.count("warning") for r in results),
            "info": sum(r.count("info") for r in results), "unusable": sum(r.unusable is not None for r in results)}


def summary_line(results: list[ReportCheck], strict: bool = False) -> str:
    s = summary(results, strict)
    plural = "report" if s["reports"] == 1 else "reports"
    return (f"{s['reports']} {plural}: {s['ready']} ready, {s['not_ready']} not ready "
            f"({s['errors']} errors, {s['warnings']} warnings)")


def format_text(results: list[ReportCheck], strict: bool = False) -> Iterator[str]:
    """Compiler-style lines grouped by report, then the summary line."""
    for r in results:
        state = "unusable" if r.unusable else ("ready" if r.ready(strict) else "not ready")
        yield f"{r.path} [{r.style or '?'}]: {state}"
        if r.unusable is not None:
            problems = r.unusable.problems or []
            yield from (f"{p.file}:{p.line}:{p.col}: error INPUT: {p.key + ': ' if p.key else ''}{p.message}"
                        for p in problems)
            if not problems:
                yield f"{r.path}: error INPUT: {r.unusable}"
        yield from (str(f) for f in r.findings)
    yield summary_line(results, strict)


def format_json(results: list[ReportCheck], strict: bool = False) -> str:
    reports = []
    for r in results:
        findings = [dict((k, v) for k, v in asdict(f).items() if k != "col") for f in r.findings]
        if r.unusable is not None:
            findings += [{"rule": "INPUT", "severity": "error", "message": p.message, "hint": "fix the input",
                          "file": str(p.file), "line": p.line, "key": p.key} for p in r.unusable.problems] or [
                {"rule": "INPUT", "severity": "error", "message": str(r.unusable), "hint": "fix the input",
                 "file": str(r.path), "line": 1, "key": ""}]
        reports.append({"path": str(r.path), "title": r.title, "style": r.style, "ready": r.ready(strict),
                        "findings": findings})
    return json.dumps({"reports": reports, "summary": summary(results, strict)}, indent=2, ensure_ascii=False)


def exit_code(results: list[ReportCheck], strict: bool = False) -> int:
    """0 when nothing fails, 1 when findings fail, 2 when some input is unusable."""
    if any(r.unusable is not None for r in results):
        return 2
    return 0 if all(r.ready(strict) for r in results) else 1


__all__ = ["RULES", "Context", "Finding", "ReportCheck", "Rule", "check", "check_report", "exit_code",
           "format_json", "format_text", "rule", "summary_line", "ContentError"]
