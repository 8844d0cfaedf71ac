"""SSH-signed sign-offs: where a project lists allowed signers, only a record signed by a listed key counts."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.content.signoff import SIGNOFF_FILE, read_signoffs

from .conftest import FIXTURES
from .sshkeys import allowed_signers, keygen, signers

ROLES = ("Governance", "Finance", "Legal", "Equality")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A council's repository whose reportgen.yaml lists Judith's key as an allowed signer."""
    root = tmp_path / "council"
    shutil.copytree(FIXTURES / "check-signoff", root / "content" / "r")
    keys = tmp_path / "keys"
    judith, _ = keygen(keys, "judith"), keygen(keys, "stranger")
    allowed_signers(root / "allowed_signers", judith_at_council=judith)
    signers(root / "signers.yaml", judith_at_council=("Judith Okafor", ["Finance", "Equality"]))
    (root / "reportgen.yaml").write_text("allowed_signers: allowed_signers\nsigners: signers.yaml\n", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def sign(runner, *args: str):
    return runner.invoke(main, ["sign", "content/r", "--date", "2026-11-18", "--today", "2026-11-18", *args],
                         catch_exceptions=False)


def check_json(runner) -> list[tuple[str, str]]:
    result = runner.invoke(main, ["check", "content/r", "--today", "2026-11-21", "--format", "json"])
    return [(f["rule"], f["message"]) for f in json.loads(result.output)["reports"][0]["findings"]]


def test_a_record_signed_by_an_allowed_key_verifies_and_counts(runner, project: Path, tmp_path: Path) -> None:
    result = sign(runner, "--role", "Finance", "--name", "Judith Okafor", "--key", str(tmp_path / "keys" / "judith"))
    assert result.exit_code == 0, result.output
    [record] = read_signoffs(project / "content" / "r")
    assert record.signer == "judith@council" and record.signature.startswith("-----BEGIN SSH SIGNATURE-----")
    found = check_json(runner)
    assert ("RG501", "no sign-off from Finance") not in found
    assert [r for r, _ in found if r in ("RG505", "RG506")] == []
    assert found == [("RG501", f"no sign-off from {role}") for role in ("Governance", "Legal", "Equality")]


def test_sign_refuses_a_key_that_is_not_an_allowed_signer(runner, project: Path, tmp_path: Path) -> None:
    result = sign(runner, "--role", "Finance", "--name", "Judith Okafor", "--key", str(tmp_path / "keys" / "stranger"))
    assert result.exit_code == 2
    assert f"--key: {tmp_path / 'keys' / 'stranger'} is not listed in the project's allowed signers" in result.output
    assert not (project / "content" / "r" / SIGNOFF_FILE).exists()


def test_sign_refuses_an_unsigned_sign_off_where_signatures_are_required(runner, project: Path) -> None:
    result = sign(runner, "--role", "Finance", "--name", "Judith Okafor")
    assert result.exit_code == 2
    assert "this project accepts only SSH-signed sign-offs" in result.output


def test_records_signed_by_another_key_or_unsigned_do_not_count(runner, project: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "reportgen.yaml").rename(project / "off.yaml")  # signed elsewhere, outside the project's rules
    assert sign(runner, "--role", "Finance", "--name", "Judith Okafor", "--signer", "judith@council",
                "--key", str(tmp_path / "keys" / "stranger")).exit_code == 0
    assert sign(runner, "--role", "Legal", "--name", "Samir Haddad").exit_code == 0
    (project / "off.yaml").rename(project / "reportgen.yaml")
    found = check_json(runner)
    assert [(r, m) for r, m in found if r == "RG506"] == [
        ("RG506", "Finance sign-off by Judith Okafor has a signature that does not verify for judith@council "
                  "(allowed signers: allowed_signers)"),
        ("RG506", "Legal sign-off by Samir Haddad is not signed (allowed signers: allowed_signers)")]
    status = runner.invoke(main, ["status", "content/r", "--today", "2026-11-21"]).output.splitlines()
    assert status[2] == "  sign-off: Governance=MISSING Finance=UNVERIFIED Legal=UNVERIFIED Equality=MISSING"


def test_a_hand_edited_signed_record_is_caught(runner, project: Path, tmp_path: Path) -> None:
    sign(runner, "--role", "Finance", "--name", "Judith Okafor", "--key", str(tmp_path / "keys" / "judith"))
    path = project / "content" / "r" / SIGNOFF_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("Judith Okafor", "Someone Else"), encoding="utf-8")
    found = check_json(runner)
    assert ("RG505", "Finance sign-off record by Someone Else was changed by hand: its record digest does not match") in found
    assert ("RG501", "no sign-off from Finance") not in found  # reported once, as altered
