"""SSH signatures over sign-off records (`ssh-keygen -Y sign` / `-Y verify`), as git signs commits with SSH keys.

A project that must prove who signed lists its reviewers' public keys in an allowed-signers file
(ssh-keygen(1), "ALLOWED SIGNERS"); a record counts there only when its signature verifies for its signer.
"""
from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from reportgen.errors import ReportgenError

NAMESPACE = "reportgen-signoff"


def _run(args: list[str], data: bytes) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["ssh-keygen", *args], input=data, capture_output=True, timeout=30, check=False)
    except FileNotFoundError as exc:
        raise ReportgenError("ssh-keygen not found: install openssh-client to sign or verify sign-offs") from exc


def sign(payload: bytes, key: Path) -> str:
    """The armored SSH signature of `payload` made with the private key file `key`."""
    if not key.is_file():
        raise ReportgenError(f"{key}: no such key file")
    done = _run(["-q", "-Y", "sign", "-f", str(key), "-n", NAMESPACE], payload)
    if done.returncode != 0 or b"BEGIN SSH SIGNATURE" not in done.stdout:
        raise ReportgenError(f"{key}: ssh-keygen could not sign: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout.decode("ascii")


def principals(signature: str, allowed: Path) -> list[str]:
    """The principals of the allowed-signers file whose key made `signature`."""
    with tempfile.NamedTemporaryFile("w", suffix=".sig", encoding="ascii") as sig:
        sig.write(signature)
        sig.flush()
        done = _run(["-Y", "find-principals", "-s", sig.name, "-f", str(allowed)], b"")
    return done.stdout.decode().split() if done.returncode == 0 else []


def verify(payload: bytes, signature: str | None, signer: str | None, allowed: Path,
           when: dt.date | None = None) -> bool:
    """Whether `signature` over `payload` was made by `signer`'s key as listed in the allowed-signers file,
    on the day `when` the record was made: a key line with valid-before="YYYYMMDD" (a reviewer who left)
    keeps the records it signed before then, and refuses later ones."""
    if not signature or not signer:
        return False
    return _verify(payload, signature, signer, str(allowed), allowed.stat().st_mtime_ns if allowed.is_file() else 0,
                   when.strftime("%Y%m%d") if when else "")


@lru_cache(maxsize=1024)
def _verify(payload: bytes, signature: str, signer: str, allowed: str, _mtime: int, when: str) -> bool:
    if not _mtime:
        return False
    at = ["-O", f"verify-time={when}"] if when else []
    with tempfile.NamedTemporaryFile("w", suffix=".sig", encoding="ascii") as sig:
        sig.write(signature)
        sig.flush()
        done = _run(["-Y", "verify", "-f", allowed, "-I", signer, "-n", NAMESPACE, "-s", sig.name, *at], payload)
    return done.returncode == 0
