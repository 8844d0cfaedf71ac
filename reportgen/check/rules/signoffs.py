"""Sign-off rules (RG5xx): required reviewers, dates, and sign-offs made stale by later edits."""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

from reportgen.check.context import Context
from reportgen.check.registry import rule
from reportgen.content.yamlio import Loc

Found = Iterator[tuple[Loc, str]]


@rule("RG501", "Required sign-off missing", "error",
      """Reports need named, dated clearance from the roles the house style requires (finance as s.151
      officer, legal, the monitoring officer ...) before publication. Silence is not clearance.""",
      "Council constitutions; house style (profile required_reviewers)",
      "record it with `reportgen sign PATH --role ROLE --name NAME`")
def required_reviewers(ctx: Context, params: dict[str, Any]) -> Found:
    signed = ctx.loaded.current_signoffs
    listed = {r.role.casefold(): (i, r) for i, r in enumerate(ctx.report.reviewers or [])}
    stale = {s.role.casefold() for s in ctx.loaded.signoffs} - set(signed)
    for role in ctx.profile.required_reviewers:
        key = role.casefold()
        if key in signed or key in stale:
            continue  # a stale sign-off is reported by RG503
        if key not in listed:
            yield ("reviewers",) if ctx.report.reviewers is not None else (), f"no sign-off from {role}"
            continue
        i, reviewer = listed[key]
        if not reviewer.name:
            yield ("reviewers", i), f"{role} sign-off has no name"
        if reviewer.date is None:
            yield ("reviewers", i), f"{role} sign-off has no date"


@rule("RG502", "Sign-off date impossible", "error",
      """A clearance dated in the future, or after the report was published, did not clear what was
      published.""",
      "Council constitutions", "correct the date, or sign again")
def reviewer_dates(ctx: Context, params: dict[str, Any]) -> Found:
    published = ctx.report.publication_date
    dated: list[tuple[Loc, str, dt.date]] = [
        (("reviewers", i), r.role, r.date) for i, r in enumerate(ctx.report.reviewers or []) if r.date]
    dated += [(("reviewers",), s.role, s.date) for s in ctx.loaded.current_signoffs.values()]
    for loc, role, date in dated:
        if date > ctx.today:
            yield loc, f"{role} sign-off is dated {date.isoformat()}, in the future"
        elif published and date > published:
            yield loc, f"{role} sign-off on {date.isoformat()} is after publication on {published.isoformat()}"


@rule("RG503", "Sign-off is stale", "error",
      """A sign-off covers the content as it stood when it was given. reportgen records a digest of the
      content with each sign-off; any later change of wording, figures or appendices makes it stale until
      the reviewer signs again. Reformatting the YAML does not.""",
      "Council constitutions (clearance of the published text)", "ask the reviewer to check the change and run `reportgen sign` again")
def stale(ctx: Context, params: dict[str, Any]) -> Found:
    current = ctx.loaded.current_signoffs
    for s in ctx.loaded.signoffs:
        if current.get(s.role.casefold()) is not s:
            yield ("reviewers",) if ctx.report.reviewers is not None else (), (
                f"{s.role} sign-off by {s.name} on {s.date.isoformat()} is stale: the content changed after it")
