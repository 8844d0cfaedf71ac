"""Which sign-off records count, and why one does not: who signed (the key's person and roles), whether
the report's author cleared it in a statutory role, and whether its dates can be true.

The same reasons refuse a record at `reportgen sign` and are reported by `reportgen check`, so a record
written by hand or by an older reportgen is judged as one written now.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Callable

from reportgen.content.load import LoadedReport
from reportgen.content.signoff import SignOff, same_name
from reportgen.style.profile import Profile


def authors(loaded: LoadedReport) -> list[str]:
    """Who wrote the report: its `author`, or failing that its signature block and contact officers."""
    r = loaded.report
    if r.author:
        return [r.author]
    return [p.name for p in ([r.signature] if r.signature else []) + list(r.contact_officers)]


def identity(profile: Profile, record: SignOff) -> str | None:
    """Why a key-signed record's name or role is not its key's, or None. Only where signers are listed."""
    if profile.allowed_signers is None or not record.signer:
        return None
    # here: a project without signers (most) never builds the register's validator
    from reportgen.content.signers import load_signers

    register = load_signers(profile.signers) if profile.signers else {}
    person = register.get(record.signer)
    if person is None:
        return f"the key of {record.signer} is not bound to a person in the signers register"
    if not same_name(person.name, record.name):
        return f"the key of {record.signer} is {person.name}'s, not {record.name}'s"
    role = profile.canonical_role(record.role) or record.role
    if not any(same_name(profile.canonical_role(r) or r, role) for r in person.roles):
        return f"{person.name} may clear {', '.join(person.roles)}, not {role}"
    return None


def separation(loaded: LoadedReport, profile: Profile, record: SignOff) -> str | None:
    """Why the record is the author clearing their own report in a statutory role, or None."""
    if not profile.statutory(record.role):
        return None
    if any(same_name(a, record.name) for a in authors(loaded)):
        return f"{record.name} wrote this report and may not clear it as {record.role}"
    return None


def dating(loaded: LoadedReport, profile: Profile, record: SignOff, earlier: Sequence[SignOff]) -> str | None:
    """Why the record's stated date cannot be true, or None: well before the day it was recorded without
    a reason, before an earlier sign-off of other content, or after the meeting."""
    stated = record.date
    if record.recorded is not None and (record.recorded - stated).days > profile.backdate_days \
            and not (record.reason or "").strip():
        return (f"it is dated {stated.isoformat()}, {(record.recorded - stated).days} days before it was recorded on "
                f"{record.recorded.isoformat()} (more than {profile.backdate_days}), with no reason given")
    other = [s for s in earlier if s.digest != record.digest
             or (s.printed is not None and record.printed is not None and s.printed != record.printed)]
    if other:
        last = max(other, key=lambda s: s.date)
        if stated < last.date:
            return (f"it is dated {stated.isoformat()}, before the {last.role} sign-off of other content on "
                    f"{last.date.isoformat()}")
    meeting = loaded.report.date
    if meeting is not None and stated > meeting:
        return f"it is dated {stated.isoformat()}, after the meeting on {meeting.isoformat()}"
    return None


def refusals(loaded: LoadedReport, profile: Profile, record: SignOff,
             earlier: Sequence[SignOff] | None = None) -> list[str]:
    """Every reason the record cannot count (none for a good one). `earlier`: the records before it
    (default: those before it in signoff.yaml)."""
    if earlier is None:
        earlier = loaded.signoffs[:next((i for i, s in enumerate(loaded.signoffs) if s is record),
                                        len(loaded.signoffs))]
    found = [identity(profile, record), separation(loaded, profile, record),
             dating(loaded, profile, record, earlier)]
    return [why for why in found if why]


def counts(loaded: LoadedReport, profile: Profile) -> Callable[[SignOff], bool]:
    """Which records count: sealed, without a refusal, and where the project lists allowed signers, verified."""
    allowed = profile.allowed_signers

    def ok(r: SignOff) -> bool:
        if not r.sealed or refusals(loaded, profile, r):
            return False
        if allowed is None:
            return True
        from reportgen.content.sshsig import verify  # here: only a project that lists signers verifies (ssh-keygen)

        return verify(r.payload(), r.signature, r.signer, allowed, r.recorded)
    return ok

