"""The rule catalogue as a whole: every rule registered, and the rule overrides of a style or project
checked against it. Kept apart from the registry, which the rule modules import, so that importing the
catalogue loads every rule without an import cycle."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from reportgen.check import rules as _rules  # noqa: F401  (every rule registers on import)
from reportgen.check.registry import _REGISTERED, SEVERITIES, Rule
from reportgen.content.yamlio import Positions, read_yaml
from reportgen.errors import Problem, ReportgenError, StyleError
from reportgen.style.profile import Profile


def catalogue() -> dict[str, Rule]:
    """Every rule, by id, in catalogue order."""
    return _REGISTERED


_KINDS = {int: "a number", float: "a number", str: "text", bool: "true or false", list: "a list"}


def _same_kind(value: Any, default: Any) -> bool:
    """Whether an overriding parameter has the type of the rule's default (any number for a number)."""
    if isinstance(value, bool) or isinstance(default, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def validate_overrides(profile: Profile) -> None:
    """Every rule override, the style's own and the project's, names a known rule, severity and
    parameters; each problem is located in the file that holds the override."""
    located = [*_located(profile.rules, profile.folder / "profile.yaml"),
               *(_located(profile.project_rules, profile.project_file) if profile.project_file else [])]
    if located:
        raise StyleError(problems=located)


def _located(overrides: dict[str, Any], path: Path) -> list[Problem]:
    problems = [(key, message) for key, value in overrides.items() for message in _override_problems(key, value)]
    if not problems:
        return []
    try:
        _, pos = read_yaml(path)
    except ReportgenError:
        pos = Positions()
    located = []
    for key, message in problems:
        line, col = pos.find(("rules", key))
        located.append(Problem(path, line, col, f"rules.{key}", message))
    return located


def _override_problems(key: str, value: Any) -> list[str]:
    problems = []
    rules = catalogue()
    if key not in rules:
        import difflib  # here: only a misspelt name needs it, and every command imports this module
        guess = difflib.get_close_matches(str(key).upper(), list(rules), n=1, cutoff=0.75)
        problems.append(f"unknown rule {key}" + (f" (did you mean `{guess[0]}`?)" if guess else ""))
    elif isinstance(value, str) and value not in (*SEVERITIES, "off"):
        problems.append(f"rule {key}: expected error, warning, info or off, got '{value}'")
    elif isinstance(value, dict):
        if value.get("severity", "error") not in SEVERITIES:
            problems.append(f"rule {key}: unknown severity '{value.get('severity')}'")
        unknown = set(value) - {"severity", "enabled"} - set(rules[key].params)
        if unknown:
            problems.append(f"rule {key}: unknown parameter(s) {', '.join(sorted(unknown))}")
        if not isinstance(value.get("enabled", True), bool):
            problems.append(f"rule {key}: enabled must be true or false, got {value['enabled']!r}")
        # A parameter of the wrong type would crash the rule mid-check; it is a style error.
        problems += [f"rule {key}: {name} must be {_KINDS.get(type(default), type(default).__name__)}, "
                     f"got {value[name]!r}" for name, default in rules[key].params.items()
                     if name in value and not _same_kind(value[name], default)]
    elif not isinstance(value, (str, bool)):  # YAML reads off/on as false/true
        problems.append(f"rule {key}: expected error, warning, info, off or a mapping of parameters, "
                        f"got {value!r}")
    return problems


