"""Sign-off rules (RG5xx): required clearance bound to the content, dates, staleness and tamper evidence.

Only a record written by `reportgen sign` whose digest matches the content as it stands counts; names
typed into report.yaml are reported, never counted.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

from reportgen.check.context import Context
from reportgen.check.registry import At, Where, rule
from reportgen.content.signoff import (PRINTED_KEY, SIGNOFF_FILE, SignOff, bound, changed_sections,
                                      read_snapshot, snapshot, snapshot_matches)
from reportgen.check.bar import lowered
from reportgen.layout.arrange import printed_hash, printed_words
from reportgen.layout.signoffs import dating, identity, separation
from reportgen.content.yamlio import Loc

Found = Iterator[tuple[Where, str]]


def _report_wide(ctx: Context) -> Loc:
    """Where a finding about the sign-off as a whole points: the reviewers key, else the title."""
    return ("reviewers",) if ctx.report.reviewers is not None else ("title",)


def _bound(ctx: Context, record: SignOff) -> bool:
    """Whether the record was made for the content and printed words as they stand (whatever its seal or
    signature)."""
    return bound(ctx.loaded, record, printed_hash(ctx.layout))


def _what_changed(ctx: Context, record: SignOff, now: Callable[[], dict[str, Any]]) -> tuple[list[str], str]:
    """The content sections changed since the record (from its snapshot, if kept and untampered), and the
    words of the message."""
    if bound(ctx.loaded, record, None):
        # The content is as the record cleared it, so only the printed words can have changed: no need to
        # read, parse and re-digest the snapshot (the common case after a house-style wording change).
        if record.printed is None:
            return [], ": it was made before sign-offs were bound to the words as printed"
        return [], ": the house style's printed wording changed since (`reportgen diff` shows it)"
    before = read_snapshot(ctx.loaded.folder, record.digest, record.printed)
    if before is not None and not snapshot_matches(before, record):
        before = None  # a tampered snapshot is never used
    changed = changed_sections(before, now())
    content = [k for k in changed if k != PRINTED_KEY]
    if content:
        return content, f": the content changed after it: {', '.join(content)} changed"
    if record.printed is None and record.digest == ctx.loaded.digest:
        return [], ": it was made before sign-offs were bound to the words as printed"
    if PRINTED_KEY in changed or (before is None and record.digest == ctx.loaded.digest):
        return [], ": the house style's printed wording changed since (`reportgen diff` shows it)"
    return [], ": the content changed after it"


def _record(ctx: Context, record: SignOff) -> At:
    return At(str(ctx.loaded.folder / SIGNOFF_FILE), record.line, 3, "role")


@rule("RG501", "Required sign-off missing", "error",
      """Reports need named, dated clearance from the roles the house style requires (finance as s.151
      officer, legal, the monitoring officer ...) before publication. Silence is not clearance, and only a
      sign-off recorded with `reportgen sign` for the content as it stands counts.""",
      "Council constitutions; house style (profile required_reviewers)",
      "record it with `reportgen sign PATH --role ROLE --name NAME`")
def required_reviewers(ctx: Context, params: dict[str, Any]) -> Found:
    cleared = ctx.layout.clearance
    for role in ctx.profile.required_reviewers:
        if role in cleared:
            continue  # cleared, stale (RG503) or altered by hand (RG505): each is reported once
        yield _report_wide(ctx), f"no sign-off from {role}"


@rule("RG502", "Sign-off date impossible", "error",
      """A clearance dated in the future, or after the report was published (in this form: a revision that
      changed it is published on its own day), did not clear what was published.""",
      "Council constitutions", "correct the date, or sign again")
def reviewer_dates(ctx: Context, params: dict[str, Any]) -> Found:
    # a report a revision of its agenda changed is published in this form on the revision's day
    published = ctx.loaded.revised or ctx.report.publication_date
    printed = [(state.role, s) for state in ctx.layout.clearance.values() for s in state.people]
    for role, s in printed:  # each person printed in the clearance table
        if s.date > ctx.today:
            yield _record(ctx, s), f"{role} sign-off is dated {s.date.isoformat()}, in the future"
        elif published and s.date > published:
            yield _record(ctx, s), (f"{role} sign-off on {s.date.isoformat()} is after publication on "
                                    f"{published.isoformat()}")


@rule("RG503", "Sign-off is stale", "error",
      """A sign-off covers the content as it stood when it was given. reportgen records a digest of the
      content with each sign-off; any later change of wording, figures or appendices makes it stale until
      the reviewer signs again. Reformatting the YAML does not. `reportgen diff` shows what changed.""",
      "Council constitutions (clearance of the published text)",
      "ask the reviewer to check the change (`reportgen diff`) and run `reportgen sign` again")
def stale(ctx: Context, params: dict[str, Any]) -> Found:
    shots: list[dict[str, Any]] = []

    def now() -> dict[str, Any]:
        """The content as it stands, section by section: made once, and only when a snapshot is compared."""
        if not shots:
            shots.append(snapshot(ctx.loaded.folder, ctx.loaded.data, printed_words(ctx.layout))
                         if ctx.loaded.data is not None else {})
        return shots[0]

    for state in ctx.layout.clearance.values():
        sealed = [s for s in state.history if s.sealed]
        if state.current is not None or not sealed or any(_bound(ctx, s) for s in sealed):
            continue  # cleared, altered by hand (RG505) or bound but not verified (RG506)
        s = sealed[-1]
        changed, what = _what_changed(ctx, s, now)
        where: Loc = next(((k,) for k in changed if (k,) in ctx.loaded.positions), _report_wide(ctx))
        yield where, f"{state.role} sign-off by {s.name} on {s.date.isoformat()} is stale{what}"


@rule("RG504", "Sign-off not bound to the content", "error",
      """A reviewer's name and date typed into report.yaml say nothing about which wording they cleared, and
      anyone can type them. Only a sign-off recorded with `reportgen sign` counts and is printed in the
      clearance table. A house style may lower this to a warning for legacy papers.""",
      "Council constitutions (clearance of the published text)",
      "remove it from report.yaml and ask the reviewer to run `reportgen sign`")
def typed_reviewers(ctx: Context, params: dict[str, Any]) -> Found:
    for i, r in enumerate(ctx.report.reviewers or []):
        if r.name or r.date:
            by = f" by {r.name}" if r.name else ""
            yield ("reviewers", i), f"{r.role} sign-off{by} is recorded but not bound to this content"


@rule("RG505", "Sign-off record altered", "error",
      """Each sign-off record carries a digest over its own role, name, date and content digest. A record
      whose digest does not match was edited by hand (or written by something other than `reportgen
      sign`) and does not count.""",
      "Council constitutions (clearance of the published text)",
      "restore signoff.yaml from version control, or ask the reviewer to sign again")
def altered(ctx: Context, params: dict[str, Any]) -> Found:
    for s in ctx.loaded.signoffs:
        if s.record_digest is None:
            yield _record(ctx, s), f"{s.role} sign-off record by {s.name} has no record digest"
        elif not s.sealed:
            yield _record(ctx, s), (f"{s.role} sign-off record by {s.name} was changed by hand: its record digest "
                                    "does not match")


@rule("RG506", "Sign-off not signed by an allowed signer", "error",
      """Where a project lists allowed signers (reportgen.yaml `allowed_signers`), a sign-off counts only when
      its record is signed with the SSH key of its signer as listed there (`reportgen sign --key`), so who
      signed can be proved. An unsigned record, or one whose signature does not verify, does not count.""",
      "Council constitutions; the project's allowed signers", "ask the reviewer to run `reportgen sign --key KEY`")
def unverified(ctx: Context, params: dict[str, Any]) -> Found:
    allowed = ctx.profile.allowed_signers
    if allowed is None:
        return
    from reportgen.content.sshsig import verify  # here: a project without allowed signers never runs ssh-keygen

    for state in ctx.layout.clearance.values():
        if state.current is not None:
            continue
        for s in state.history:  # records that would count but for their signature
            if s.sealed and _bound(ctx, s) and not verify(s.payload(), s.signature, s.signer, allowed, s.recorded):
                why = "is not signed" if not s.signature else f"has a signature that does not verify for {s.signer}"
                yield _record(ctx, s), f"{state.role} sign-off by {s.name} {why} (allowed signers: {allowed.name})"


def _judged(ctx: Context) -> Iterator[SignOff]:
    """The records a report relies on: sealed, bound to the content and printed words as they stand."""
    return (s for s in ctx.loaded.signoffs if s.sealed and _bound(ctx, s))


@rule("RG507", "Author cleared their own report", "error",
      """Separation of duties: the officer who wrote a report does not clear it as the s.151 (chief finance)
      officer, the monitoring officer or legal; a house style may add roles (`statutory_roles`). The author
      is the report's `author`, or failing that its signature block and contact officers. Such a sign-off
      does not count.""",
      "Local Government Act 1972 s.151; Local Government and Housing Act 1989 s.5; council constitutions",
      "ask another officer who holds the role to review the report and run `reportgen sign`")
def own_report(ctx: Context, params: dict[str, Any]) -> Found:
    for s in _judged(ctx):
        why = separation(ctx.loaded, ctx.profile, s)
        if why:
            yield _record(ctx, s), f"{s.role} sign-off does not count: {why}"


@rule("RG508", "Sign-off name or role is not the key's", "error",
      """Where a project lists allowed signers, its signers register binds each key to one person's name and
      the roles they may clear. A record signed with a key under another person's name, or for a role that
      person may not clear, proves nothing about who cleared the words and does not count.""",
      "Council constitutions (scheme of delegation); the project's signers register",
      "ask the named reviewer to sign with their own key, or correct the signers register")
def not_the_keys(ctx: Context, params: dict[str, Any]) -> Found:
    for s in _judged(ctx):
        why = identity(ctx.profile, s)
        if why:
            yield _record(ctx, s), f"{s.role} sign-off by {s.name} does not count: {why}"


@rule("RG509", "Sign-off dated when it cannot have been given", "error",
      """A sign-off states the day the reviewer cleared the words and also keeps the day it was recorded. A
      stated date more than the style's `backdate_days` before the day of recording needs a reason
      (`reportgen sign --reason`); a date before an earlier sign-off of other content, or after the meeting,
      cannot be true. Such a sign-off does not count.""",
      "Council constitutions; DOMAIN.md (dates are facts)",
      "sign again with the true date, or give the reason it was recorded late with --reason")
def backdated(ctx: Context, params: dict[str, Any]) -> Found:
    for i, s in enumerate(ctx.loaded.signoffs):
        if s.sealed and _bound(ctx, s):
            why = dating(ctx.loaded, ctx.profile, s, ctx.loaded.signoffs[:i])
            if why:
                yield _record(ctx, s), f"{s.role} sign-off by {s.name} does not count: {why}"


@rule("RG510", "House style lowered the bar since sign-off", "error",
      """Each sign-off keeps the bar in force when it was given: the roles required and the rules in force as
      errors and warnings. A house style or project change since then that requires fewer roles, switches a
      rule off or lowers it to a warning changes what the reviewers cleared the report against. Governance
      must see it: each change is named. `reportgen status` shows it even where this rule is switched off.""",
      "Council constitutions (clearance of the published text); DOMAIN.md",
      "restore the house style's bar, or ask the reviewers to sign again under the new one")
def bar_lowered(ctx: Context, params: dict[str, Any]) -> Found:
    latest = [state.latest for state in ctx.layout.clearance.values() if state.latest and state.latest.sealed]
    for change in lowered(ctx.profile, latest):
        yield _report_wide(ctx), f"the bar was lowered since sign-off: {change}"
