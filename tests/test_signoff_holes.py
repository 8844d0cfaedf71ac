"""Issue 20: each hole a governance officer found in sign-off, reproduced as a careless or malicious
colleague would, in a fresh process, and shown refused or reported."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from reportgen.content.signoff import SIGNOFF_FILE, read_signoffs, snapshot_path
from reportgen.style.settings import TEMPLATES_DIR

from .conftest import FIXTURES
from .sshkeys import allowed_signers, keygen, signers

ROLES = ("Governance", "Finance", "Legal", "Equality")  # herefordshire's required reviewers
ON = ["--date", "2026-11-18", "--today", "2026-11-18"]
CHECK_DAY = ["--today", "2026-11-21"]


def reportgen(args: list[str], cwd: Path, code: int | None = 0) -> subprocess.CompletedProcess[str]:
    """`reportgen ARGS` in a new process: the exit code asserted, never a traceback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env |= {"GIT_AUTHOR_NAME": "Test Clerk", "GIT_AUTHOR_EMAIL": "clerk@council.invalid"}
    done = subprocess.run([str(Path(sys.executable).with_name("reportgen")), *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=300, stdin=subprocess.DEVNULL)
    said = f"$ reportgen {' '.join(args)}\nexit {done.returncode}\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stdout + done.stderr, said
    if code is not None:
        assert done.returncode == code, said
    return done


def findings(root: Path, path: str = "content/r") -> list[tuple[str, str]]:
    out = reportgen(["check", path, *CHECK_DAY, "--format", "json"], root, code=None).stdout
    return [(f["rule"], f["message"]) for r in json.loads(out)["reports"] for f in r["findings"]]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A council's repository with its own copy of the herefordshire style and one report."""
    root = tmp_path / "council"
    shutil.copytree(FIXTURES / "check-signoff", root / "content" / "r")
    shutil.copytree(TEMPLATES_DIR / "herefordshire", root / "templates" / "herefordshire")
    (root / "reportgen.yaml").write_text("styles: templates\n", encoding="utf-8")
    return root


def sign_all(root: Path, name: str = "A Reviewer", *more: str) -> None:
    for role in ROLES:
        reportgen(["sign", "content/r", "--role", role, "--name", name, *ON, *more], root)


def edit_profile(root: Path, old: str, new: str) -> None:
    path = root / "templates" / "herefordshire" / "profile.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- anyone could sign as anyone ----------------------------------------------------------

@pytest.fixture
def keyed(root: Path, tmp_path: Path) -> Path:
    """The project lists Ian's key (Finance only) and Priya's (Legal) in its allowed signers and register."""
    keys = tmp_path / "keys"
    ian, priya = keygen(keys, "ian"), keygen(keys, "priya")
    allowed_signers(root / "allowed_signers", ian_at_council=ian, priya_at_council=priya)
    signers(root / "signers.yaml", ian_at_council=("Ian Brooks", ["Finance"]),
            priya_at_council=("Priya Shah", ["Legal"]))
    (root / "reportgen.yaml").write_text("styles: templates\nallowed_signers: allowed_signers\n"
                                         "signers: signers.yaml\n", encoding="utf-8")
    return keys


def test_ians_key_cannot_sign_legal_as_priya(root: Path, keyed: Path) -> None:
    said = reportgen(["sign", "content/r", "--role", "Legal", "--name", "Priya Shah", "--key", str(keyed / "ian"),
                      *ON], root, code=2)
    assert "the key of ian@council is Ian Brooks's, not Priya Shah's" in said.stdout + said.stderr
    said = reportgen(["sign", "content/r", "--role", "Legal", "--name", "Ian Brooks", "--key", str(keyed / "ian"),
                      *ON], root, code=2)
    assert "Ian Brooks may clear Finance, not Legal" in said.stdout + said.stderr
    assert not (root / "content" / "r" / SIGNOFF_FILE).exists()  # nothing half written
    reportgen(["sign", "content/r", "--role", "Legal", "--name", "Priya Shah", "--key", str(keyed / "priya"), *ON],
              root)
    assert ("RG501", "no sign-off from Legal") not in findings(root)


def test_a_forged_record_signed_elsewhere_is_reported_and_does_not_count(root: Path, keyed: Path) -> None:
    (root / "reportgen.yaml").rename(root / "off.yaml")  # signed outside the project's rules
    reportgen(["sign", "content/r", "--role", "Legal", "--name", "Priya Shah", "--key", str(keyed / "ian"),
               "--signer", "ian@council", *ON], root)
    (root / "off.yaml").rename(root / "reportgen.yaml")
    assert ("RG508", "Legal sign-off by Priya Shah does not count: the key of ian@council is Ian Brooks's, "
                     "not Priya Shah's") in findings(root)
    status = reportgen(["status", "content/r", *CHECK_DAY], root, code=1).stdout
    assert "Legal=REFUSED" in status


def test_a_project_with_allowed_signers_needs_the_register(root: Path, keyed: Path) -> None:
    (root / "reportgen.yaml").write_text("styles: templates\nallowed_signers: allowed_signers\n", encoding="utf-8")
    said = reportgen(["check", "content/r", *CHECK_DAY], root, code=2)
    assert "reportgen.yaml:2:1: allowed_signers: allowed_signers needs `signers:`" in said.stdout + said.stderr


def test_without_keys_the_record_says_who_recorded_it(root: Path) -> None:
    reportgen(["sign", "content/r", "--role", "Finance", "--name", "Judith Okafor", *ON], root)
    [record] = read_signoffs(root / "content" / "r")
    assert record.recorded_by.endswith(" (user)")  # not a git repository: the computer's user
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    reportgen(["sign", "content/r", "--role", "Legal", "--name", "Samir Haddad", *ON], root)
    assert read_signoffs(root / "content" / "r")[1].recorded_by == "Test Clerk <clerk@council.invalid> (git)"


def test_the_author_cannot_clear_her_own_report_as_finance_or_legal(root: Path) -> None:
    report = root / "content" / "r" / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace(
        "report_by: Service director communities\n",
        "report_by: Service director communities\nauthor: Rhiannon Pryce\n"), encoding="utf-8")
    for role in ("Finance", "Legal"):
        said = reportgen(["sign", "content/r", "--role", role, "--name", "Rhiannon Pryce", *ON], root, code=2)
        assert f"Rhiannon Pryce wrote this report and may not clear it as {role}" in said.stdout + said.stderr
    reportgen(["sign", "content/r", "--role", "Equality", "--name", "Rhiannon Pryce", *ON], root)  # not statutory
    edit_profile(root, "required_reviewers:", "statutory_roles: [Equality]\nrequired_reviewers:")
    assert ("RG507", "Equality sign-off does not count: Rhiannon Pryce wrote this report and may not clear it as "
                     "Equality") in findings(root)


def test_a_sign_off_dated_2019_is_refused_unless_a_reason_is_given(root: Path) -> None:
    late = ["sign", "content/r", "--role", "Finance", "--name", "Judith Okafor", "--date", "2019-06-01",
            "--today", "2026-11-18"]
    said = reportgen(late, root, code=2)
    assert "--reason: Finance sign-off by Judith Okafor refused: it is dated 2019-06-01" in said.stdout + said.stderr
    reportgen([*late, "--reason", "cleared by email in June 2019; recorded now"], root)
    [record] = read_signoffs(root / "content" / "r")
    assert (str(record.date), str(record.recorded)) == ("2019-06-01", "2026-11-18")
    status = reportgen(["status", "content/r", *CHECK_DAY], root, code=1).stdout
    assert "    Finance: Judith Okafor, dated 2019-06-01, recorded 2026-11-18" in status


def test_a_date_after_the_meeting_or_before_a_sign_off_of_other_content_is_refused(root: Path) -> None:
    said = reportgen(["sign", "content/r", "--role", "Finance", "--name", "Judith Okafor", "--date", "2026-12-11",
                      "--today", "2026-12-12"], root, code=2)
    assert "after the meeting on 2026-12-10" in said.stdout + said.stderr
    reportgen(["sign", "content/r", "--role", "Finance", "--name", "Judith Okafor", *ON], root)
    report = root / "content" / "r" / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("Thursdays", "Fridays"), encoding="utf-8")
    said = reportgen(["sign", "content/r", "--role", "Legal", "--name", "Samir Haddad", "--date", "2026-11-17",
                      "--today", "2026-11-18"], root, code=2)
    assert "before the Finance sign-off of other content on 2026-11-18" in said.stdout + said.stderr


# --- a house style change after sign-off --------------------------------------------------

def test_a_style_wording_edit_makes_sign_offs_stale_and_diff_shows_it(root: Path) -> None:
    sign_all(root)
    assert findings(root) == []
    edit_profile(root, 'lead_in: "That:"', 'lead_in: "That, with a £2 million transfer from reserves:"')
    found = findings(root)
    assert [r for r, _ in found] == ["RG503"] * 4
    assert found[0] == ("RG503", "Governance sign-off by A Reviewer on 2026-11-18 is stale: the house style's "
                                 "printed wording changed since (`reportgen diff` shows it)")
    said = reportgen(["diff", "content/r"], root, code=1).stdout
    assert said.splitlines()[1:] == ["## as printed", "~ [-That:-]{+That, with a £2 million transfer from reserves:+}"]


def test_a_purely_visual_template_change_keeps_sign_offs(root: Path) -> None:
    sign_all(root)
    template = root / "templates" / "herefordshire" / "template.docx"
    parts = {}
    with zipfile.ZipFile(template) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    assert b'w:ascii="Arial"' in parts["word/styles.xml"]
    parts["word/styles.xml"] = parts["word/styles.xml"].replace(b'"Arial"', b'"Verdana"')
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert findings(root) == []
    assert reportgen(["diff", "content/r"], root).stdout.endswith(": none\n")


def test_no_required_reviewers_is_a_lowered_bar_not_none_required(root: Path) -> None:
    sign_all(root)
    edit_profile(root, "required_reviewers: [Governance, Finance, Legal, Equality]", "required_reviewers: []")
    found = findings(root)
    assert [m for r, m in found if r == "RG510"] == [
        f"the bar was lowered since sign-off: {role} sign-off no longer required" for role in ROLES]
    edit_profile(root, "required_reviewers: []", "required_reviewers: []\nrules:\n  RG510: off")
    status = reportgen(["status", "content/r", *CHECK_DAY], root, code=1).stdout  # even with RG510 switched off
    assert "NOT READY" in status and "none required" in status
    assert "BAR LOWERED since sign-off: Governance sign-off no longer required; " in status
    assert "RG510 switched off" in status


# --- diff could be fooled -----------------------------------------------------------------

def test_a_tampered_snapshot_is_reported_never_used(root: Path) -> None:
    sign_all(root)
    folder = root / "content" / "r"
    [record, *_] = read_signoffs(folder)
    report, shot = folder / "report.yaml", snapshot_path(folder, record.digest, record.printed)
    for path in (report, shot):  # the same edit in the report and in the saved copy of what was signed
        path.write_text(path.read_text(encoding="utf-8").replace("Thursdays", "Fridays"), encoding="utf-8")
    said = reportgen(["diff", "content/r"], root, code=2)
    assert f"{shot.relative_to(root)}:1:1: {shot.name} was altered after signing" in said.stderr
    assert "none" not in said.stdout
    assert {r for r, _ in findings(root)} == {"RG503"}  # check agrees: the sign-offs are stale


# --- check precision ----------------------------------------------------------------------

def test_an_appendix_called_not_for_publication_but_not_marked_exempt_is_reported(root: Path) -> None:
    report = root / "content" / "r" / "report.yaml"
    data = yaml.safe_load(report.read_text(encoding="utf-8"))
    data["consultees"] = ["Staff costs are in appendix 1, which is not for publication."]
    report.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert ("RG411", "calls Appendix 1 'not for publication', but it is not marked exempt (appendices[0].exempt): "
                     "it would be published") in findings(root)


def test_placeholders_in_a_meeting_file_are_reported(root: Path) -> None:
    reportgen(["new-meeting", "content/m.yaml", "--style", "herefordshire"], root)
    meeting = root / "content" / "m.yaml"  # the report is named; the rest is left as new-meeting wrote it
    meeting.write_text(meeting.read_text(encoding="utf-8").replace('"[insert ../reports/folder]"', "r"),
                       encoding="utf-8")
    said = reportgen(["check", "content/m.yaml", *CHECK_DAY], root, code=None)
    assert "m.yaml:8:1: error RG604: placeholder '[insert venue]' left in the meeting file" in said.stdout, said.stdout
    assert "placeholder '[insert name]' left in the meeting file" in said.stdout
