"""`reportgen sign`: refuse a sign-off that could not mean anything, warn about check errors, append the record."""
from __future__ import annotations

import datetime as dt
import difflib
import getpass
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.check.bar import current_bar
from reportgen.check.engine import Finding, check_prepared
from reportgen.content import sshsig
from reportgen.content.signoff import SignOff, append_signoff, new_record
from reportgen.errors import Problem, ReportgenError, SignRefused
from reportgen.layout.prepared import Prepared
from reportgen.layout.arrange import printed_words
from reportgen.layout.signoffs import refusals

#: The sign-off rules judge the records themselves, which signing is about to change.
_SIGNOFF_RULES = ("RG5",)


@dataclass
class Signed:
    """The record written, and the check errors the reviewer signed despite."""

    record: SignOff
    errors: list[Finding] = field(default_factory=list)


def _refuse(prepared: Prepared, key: str, message: str) -> ReportgenError:
    return ReportgenError(problems=[Problem(prepared.loaded.file, 1, 1, key, message)])


def canonical_role(prepared: Prepared, role: str) -> str:
    """The house style's wording of `role` (aliases accepted); an unknown role is refused with a guess."""
    profile = prepared.profile
    found = profile.canonical_role(role)
    if found is not None:
        return found
    wordings = {w: known for known in profile.known_roles for w in [known, *profile.role_aliases.get(known, [])]}
    guess = difflib.get_close_matches(role.casefold(), [w.casefold() for w in wordings], n=1, cutoff=0.6)
    hint = next((f" (did you mean '{w}'?)" for w in wordings if guess and w.casefold() == guess[0]), "")
    raise _refuse(prepared, "--role", f"'{role}' is not a reviewer role of the {profile.name} style{hint}; "
                                      f"known roles: {', '.join(profile.known_roles)}")


def _signer(prepared: Prepared, key: Path, signer: str | None, name: str) -> str:
    """Who the key signs as: --signer, else its principal in the allowed-signers file, else the name."""
    allowed = prepared.profile.allowed_signers
    if signer or allowed is None:
        return signer or name
    found = sshsig.principals(sshsig.sign(b"reportgen: which principal is this key?", key), allowed)
    if not found:
        raise _refuse(prepared, "--key", f"{key} is not listed in the project's allowed signers ({allowed})")
    return found[0]


def recorder(folder: Path) -> str:
    """Who is making the record: the git author where the report is in a git repository, else the user."""
    try:
        inside = subprocess.run(["git", "-C", str(folder), "rev-parse", "--is-inside-work-tree"],
                                capture_output=True, text=True, timeout=30, check=False)
        if inside.returncode == 0 and inside.stdout.strip() == "true":
            ident = subprocess.run(["git", "-C", str(folder), "var", "GIT_AUTHOR_IDENT"], capture_output=True,
                                   text=True, timeout=30, check=False)
            # "Name <email> 1700000000 +0000": the timestamp is the record's `recorded` day already
            author = ident.stdout.strip().rsplit(" ", 2)[0] if ident.returncode == 0 else ""
            if author:
                return f"{author} (git)"
    except (FileNotFoundError, subprocess.TimeoutExpired):
        pass  # no git: the computer's user says who recorded it
    return f"{getpass.getuser()} (user)"


def sign_prepared(prepared: Prepared, role: str, name: str, date: dt.date, today: dt.date,
                  strict: bool = False, key: Path | None = None, signer: str | None = None,
                  reason: str | None = None) -> Signed:
    """Append a sign-off for `role` bound to the prepared content and printed words; refuse nonsense (a
    name or role not the key's, the author clearing a statutory role, a date that cannot be true), report
    check errors.

    With `key`, the record is signed with that SSH private key; a project that lists allowed signers
    requires it."""
    name = " ".join(name.split())
    if not name:
        raise _refuse(prepared, "--name", "the reviewer's name is empty")
    if any(c < " " or c == "\x7f" for c in name):
        raise _refuse(prepared, "--name", f"the reviewer's name must be a line of text, got {name!r}")
    role = canonical_role(prepared, role)
    if date > today:
        raise _refuse(prepared, "--date", f"{date.isoformat()} is in the future (today is {today.isoformat()})")
    if key is None and prepared.profile.allowed_signers is not None:
        raise _refuse(prepared, "--key", "this project accepts only SSH-signed sign-offs (allowed_signers in "
                                         "reportgen.yaml): give --key with the reviewer's private key")
    result = check_prepared(prepared, today, frozenset({"error"}))
    errors = [f for f in result.findings if f.severity == "error" and not f.rule.startswith(_SIGNOFF_RULES)]
    if errors and strict:
        raise SignRefused([str(f) for f in errors])
    reason = " ".join((reason or "").split()) or None
    printed = printed_words(prepared.layout)
    record = new_record(prepared.loaded, role, name, date, printed, _signer(prepared, key, signer, name) if key else None,
                        recorded=today, recorded_by=recorder(prepared.loaded.folder), reason=reason,
                        bar=current_bar(prepared.profile))
    refused = refusals(prepared.loaded, prepared.profile, record, prepared.loaded.signoffs)
    if refused:
        flag = "--reason" if "no reason given" in refused[0] else "--date" if "dated" in refused[0] else \
            "--key" if record.signer else "--name"
        raise _refuse(prepared, flag, f"{role} sign-off by {name} refused: {'; '.join(refused)}")
    if key is not None:
        record.signature = sshsig.sign(record.payload(), key)
        allowed = prepared.profile.allowed_signers
        if allowed is not None and not sshsig.verify(record.payload(), record.signature, record.signer, allowed):
            raise _refuse(prepared, "--key", f"the signature does not verify for {record.signer} in {allowed}")
    return Signed(append_signoff(prepared.loaded, record, printed), errors)
