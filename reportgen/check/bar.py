"""The bar a report is signed against, and what lowered it since.

Each sign-off record keeps the bar in force when it was made: the roles required and the rules in force
as errors and as warnings. A house style (or reportgen.yaml) that later requires fewer roles, switches a
rule off or lowers it to a warning changes what those reviewers' clearance was given against; check and
status name each such change, so lowering the bar is visible to governance, never silent.
"""
from __future__ import annotations

from collections.abc import Iterable

from reportgen.check.registry import report_rules, settings
from reportgen.content.signoff import Bar, SignOff
from reportgen.style.profile import Profile


def current_bar(profile: Profile) -> Bar:
    """The roles and rule severities in force under this house style (and project)."""
    # Only the rules a report's check runs: the meeting's and records' own rules do not judge its words.
    severity = {r.id: settings(profile, r)[0] for r in report_rules()}
    return Bar(required=list(profile.required_reviewers),
               errors=sorted(k for k, v in severity.items() if v == "error"),
               warnings=sorted(k for k, v in severity.items() if v == "warning"))


def lowered(profile: Profile, records: Iterable[SignOff]) -> list[str]:
    """Each way the bar is lower now than when one of `records` was made, named once."""
    records = [r for r in records if r.bar is not None]
    if not records:
        return []  # no record kept its bar (made before bars were kept): nothing to compare, nothing to work out
    now = current_bar(profile)
    judged = set(now.errors) | set(now.warnings) | _off(profile)
    required = {(profile.canonical_role(r) or r).casefold() for r in now.required}
    found: dict[str, None] = {}
    for record in records:
        if record.bar is None:
            continue
        was = record.bar
        for role in was.required:
            if (profile.canonical_role(role) or role).casefold() not in required:
                found[f"{role} sign-off no longer required"] = None
        for rule_id in was.errors:
            if rule_id in judged and rule_id not in now.errors:
                found[f"{rule_id} {'lowered to a warning' if rule_id in now.warnings else 'switched off'}"] = None
        for rule_id in was.warnings:
            if rule_id in judged and rule_id not in now.errors and rule_id not in now.warnings:
                found[f"{rule_id} switched off"] = None
    return list(found)


def _off(profile: Profile) -> set[str]:
    """The report rules switched off: with those in force, every rule a report's check knows."""
    return {r.id for r in report_rules() if settings(profile, r)[0] is None}
