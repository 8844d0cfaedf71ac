"""`reportgen sign` and `reportgen status`: sign-offs bound to the content they cleared."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml

from reportgen.pipeline import check_report
from reportgen.cli import main
from reportgen.content.signoff import SIGNOFF_FILE, read_signoffs, snapshot_path

from .conftest import FIXTURES
from .test_rules import TODAY, dump, edit_text

SIGNOFF = FIXTURES / "check-signoff"
ROLES = ("Governance", "Finance", "Legal", "Equality")  # herefordshire's required reviewers


@pytest.fixture
def report(tmp_path: Path) -> Path:
    """A complete report with folded paragraphs and an appendix file, signed off by nobody yet."""
    folder = tmp_path / "content" / "library-hours"
    shutil.copytree(SIGNOFF, folder)
    return folder


def sign(runner, folder: Path, role: str, name: str = "A Reviewer", date: str = "2026-11-18", *more: str):
    """`reportgen sign`, run on the day of the sign-off."""
    return runner.invoke(main, ["sign", str(folder), "--role", role, "--name", name, "--date", date,
                                "--today", date, *more], catch_exceptions=False)


def sign_all(runner, folder: Path) -> None:
    for role in ROLES:
        assert sign(runner, folder, role).exit_code == 0


def rules_found(folder: Path, today: dt.date = TODAY) -> list[tuple[str, str]]:
    result = check_report(folder, today)
    assert result.unusable is None, result.unusable
    return [(f.rule, f.message) for f in result.findings]


def status(runner, folder: Path, today: dt.date = TODAY, expect: int = 1) -> list[str]:
    result = runner.invoke(main, ["status", str(folder), "--today", today.isoformat()], catch_exceptions=False)
    assert result.exit_code == expect
    return result.output.splitlines()


def stale(role: str, name: str = "A Reviewer", date: str = "2026-11-18", changed: str = "") -> tuple[str, str]:
    what = f": {changed} changed" if changed else ""
    return "RG503", f"{role} sign-off by {name} on {date} is stale: the content changed after it{what}"


def stale_roles(found: list[tuple[str, str]]) -> list[str]:
    return [m.split(" sign-off")[0] for r, m in found if r == "RG503"]


# --- signing ------------------------------------------------------------------------------

def test_unsigned_report_misses_every_required_sign_off(report: Path) -> None:
    assert rules_found(report) == [("RG501", f"no sign-off from {role}") for role in ROLES]


def test_sign_records_a_sign_off_that_satisfies_rg501(runner, report: Path) -> None:
    result = sign(runner, report, "Finance", "Judith Okafor")
    assert result.exit_code == 0
    [record] = read_signoffs(report)
    assert (record.role, record.name, record.date) == ("Finance", "Judith Okafor", dt.date(2026, 11, 18))
    assert record.digest.startswith("sha256:") and len(record.digest) == len("sha256:") + 64
    assert result.output == (f"signed {report}: Finance by Judith Okafor on 2026-11-18, recorded 2026-11-18 by "
                             f"{record.recorded_by} ({record.digest[:19]}…)\n")
    assert ("RG501", "no sign-off from Finance") not in rules_found(report)
    assert rules_found(report) == [("RG501", f"no sign-off from {role}") for role in ("Governance", "Legal", "Equality")]
    assert (report / "report.yaml").read_bytes() == (SIGNOFF / "report.yaml").read_bytes()  # the author's file is untouched


def test_signing_every_role_makes_the_report_ready(runner, report: Path) -> None:
    sign_all(runner, report)
    assert rules_found(report) == []
    assert check_report(report, TODAY).ready(strict=True)
    assert sorted(r.role for r in read_signoffs(report)) == sorted(ROLES)


def test_signing_a_role_again_keeps_the_history(runner, report: Path) -> None:
    sign(runner, report, "Finance", "Judith Okafor", "2026-11-10")
    sign(runner, report, "Legal", "Samir Haddad")
    first = (report / SIGNOFF_FILE).read_text(encoding="utf-8")
    sign(runner, report, "finance", "Deputy Officer", "2026-11-19")
    records = read_signoffs(report)
    assert [(r.role, r.name, r.date.isoformat()) for r in records] == [
        ("Finance", "Judith Okafor", "2026-11-10"), ("Legal", "Samir Haddad", "2026-11-18"),
        ("Finance", "Deputy Officer", "2026-11-19")]  # the style's wording of the role is recorded
    assert (report / SIGNOFF_FILE).read_text(encoding="utf-8").startswith(first)  # appended, never rewritten


def test_an_invalid_report_cannot_be_signed(runner, report: Path) -> None:
    edit_text(report, "decision_date: 2026-12-10", "decision_date: next week")
    result = sign(runner, report, "Finance")
    assert result.exit_code == 2
    assert "decision_date: expected a date as YYYY-MM-DD" in result.output
    assert not (report / SIGNOFF_FILE).exists()


@pytest.mark.parametrize("args,message", [
    (("Finance", "  "), "--name: the reviewer's name is empty"),
    (("Legl", "Samir Haddad"), "--role: 'Legl' is not a reviewer role of the Herefordshire Council decision report style (did you "
                               "mean 'Legal'?); known roles: Governance, Finance, Legal, Equality, Procurement, Risk, "
                               "Communications"),
    (("Finance", "Judith Okafor", "2026-11-19", "--today", "2026-11-18"),
     "--date: 2026-11-19 is in the future (today is 2026-11-18)"),
], ids=["empty-name", "misspelt-role", "future-date"])
def test_sign_refuses_a_sign_off_that_means_nothing(runner, report: Path, args: tuple[str, ...], message: str) -> None:
    role, name, *rest = args
    cli = ["sign", str(report), "--role", role, "--name", name]
    cli += ["--date", rest[0], *rest[1:]] if rest else []
    result = runner.invoke(main, cli, catch_exceptions=False)
    assert result.exit_code == 2
    assert result.output == f"{report / 'report.yaml'}:1:1: {message}\n"
    assert not (report / SIGNOFF_FILE).exists()


def test_sign_accepts_the_style_s_other_wordings_of_a_role(runner, report: Path) -> None:
    for role in ("Monitoring Officer", "S151 officer", "legal", "Equality  Duty"):
        assert sign(runner, report, role).exit_code == 0
    assert [r.role for r in read_signoffs(report)] == list(ROLES)
    assert rules_found(report) == []


def test_sign_warns_about_check_errors_and_strict_refuses(runner, report: Path) -> None:
    edit_text(report, "background_papers: None identified.", "background_papers: ''")
    result = sign(runner, report, "Finance", "Judith Okafor", "2026-11-18", "--strict")
    assert result.exit_code == 1
    assert "sign-off refused (--strict): the report has check errors:" in result.output
    assert "RG115: background papers are neither listed nor stated as none" in result.output
    assert not (report / SIGNOFF_FILE).exists()
    result = sign(runner, report, "Finance", "Judith Okafor")
    assert result.exit_code == 0
    assert result.output.startswith("warning: the report has 1 check error(s); signed anyway (use --strict to refuse):\n")
    assert [r.name for r in read_signoffs(report)] == ["Judith Okafor"]


def test_a_snapshot_of_the_signed_content_is_kept(runner, report: Path) -> None:
    sign(runner, report, "Finance")
    sign(runner, report, "Legal")
    [record, _] = read_signoffs(report)
    [snap] = (report / "signed").iterdir()
    assert snap == snapshot_path(report, record.digest, record.printed)
    assert snap.name.startswith(record.digest.removeprefix("sha256:")[:16] + "-")
    data = yaml.safe_load(snap.read_text(encoding="utf-8"))
    assert data["purpose"] == [("To ask the cabinet member to agree new opening hours at Hereford Library. "
                                "The library will open later on Thursdays.")]
    assert list(data["appendix files"]) == ["appendix-1.pdf"]


# --- tamper evidence ----------------------------------------------------------------------

@pytest.mark.parametrize("old,new,who", [
    ("name: Judith Okafor", "name: Someone Else", "Someone Else"),
    ("date: '2026-11-18'", "date: '2026-11-10'", "Judith Okafor"),
    ("role: Finance", "role: Legal", "Judith Okafor"),
], ids=["name", "date", "role"])
def test_a_hand_edited_record_is_caught_and_does_not_count(runner, report: Path, old: str, new: str, who: str) -> None:
    sign(runner, report, "Finance", "Judith Okafor")
    path = report / SIGNOFF_FILE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    result = check_report(report, TODAY)
    role = "Legal" if new == "role: Legal" else "Finance"
    altered = [f for f in result.findings if f.rule == "RG505"]
    assert [(f.message, f.file, f.line) for f in altered] == [
        (f"{role} sign-off record by {who} was changed by hand: its record digest does not match", str(path), 3)]
    assert "done" not in status(runner, report, expect=1)[2]


def test_a_forged_digest_does_not_make_an_old_sign_off_current(runner, report: Path) -> None:
    sign(runner, report, "Finance", "Judith Okafor")
    edit_text(report, "Most came after 3pm.", "Most came after 4pm.")
    current = check_report(report, TODAY)
    path = report / SIGNOFF_FILE
    [record] = read_signoffs(report)
    from reportgen.content.load import load_report
    path.write_text(path.read_text(encoding="utf-8").replace(record.digest, load_report(report).digest), encoding="utf-8")
    found = rules_found(report)
    assert ("RG501", "no sign-off from Finance") not in found
    assert [r for r, _ in found if r == "RG505"] == ["RG505"]
    assert current.count("error") == len(found)


# --- what makes a sign-off stale ----------------------------------------------------------

def test_changing_a_word_makes_it_stale(runner, report: Path) -> None:
    sign_all(runner, report)
    edit_text(report, "The library had 9,000 visits", "The library had 9,500 visits")
    assert rules_found(report) == [stale(role, changed="key_considerations") for role in ROLES]


def test_stale_sign_off_names_its_role_and_reviewer(runner, report: Path) -> None:
    sign_all(runner, report)
    sign(runner, report, "Finance", "Judith Okafor", "2026-11-17")
    edit_text(report, "Up to £12,000 be spent", "Up to £13,000 be spent")
    found = rules_found(report)
    assert stale("Finance", "Judith Okafor", "2026-11-17", "recommendations") in found
    assert ("RG501", "no sign-off from Finance") not in found  # stale is reported once, by RG503


@pytest.mark.parametrize("old,new", [
    ("decision_value: 12000", "decision_value: 12500"),
    ("decision_date: 2026-12-10", "decision_date: 2026-12-11"),
    ("- [Heat and light, 2000]", "- [Heat and light, 2001]"),
    ("Later hours help students and working people.", "Later hours help students and working parents."),
    ("    - text: Up to £12,000 be spent on extra staff hours.\n", ""),
], ids=["figure", "date", "table-cell", "word", "removed-recommendation"])
def test_any_change_of_content_makes_it_stale(runner, report: Path, old: str, new: str) -> None:
    sign(runner, report, "Finance")
    edit_text(report, old, new)
    assert stale_roles(rules_found(report)) == ["Finance"]


def test_reindenting_and_reflowing_the_yaml_keeps_it_valid(runner, report: Path) -> None:
    sign_all(runner, report)
    path = report / "report.yaml"
    text = path.read_text(encoding="utf-8")
    # Re-wrap folded paragraphs (different line breaks, same words) ...
    for old, new in [
        ("    To ask the cabinet member to agree new opening hours at Hereford Library.\n"
         "    The library will open later on Thursdays.\n",
         "    To ask the cabinet member\n    to agree new opening hours at Hereford Library. The library\n"
         "    will open later   on Thursdays.\n"),
        ("      The library had 9,000 visits last year.\n      Most came after 3pm.\n",
         "      The library had 9,000 visits last year. Most came after 3pm.\n"),
        ("    The council must run a good library service.\n    The new hours support that duty.\n",
         "    The council must run a good library\n    service. The new hours support\n    that duty.\n"),
    ]:
        assert old in text
        text = text.replace(old, new)
    # ... turn a folded paragraph into a literal one and a plain one into a folded one ...
    text = text.replace("  - >\n    More people visit", "  - |\n    More people visit")
    text = text.replace("  - Later hours help students and working people.\n",
                        "  - >-\n    Later hours help students\n    and working people.\n")
    # ... and change comments, blank lines and flow style.
    text = text.replace("wards: [Central]", "wards:\n  - Central").replace("\n\n", "\n\n\n") + "# end\n"
    path.write_text(text, encoding="utf-8")
    assert rules_found(report) == []
    # Re-indenting everything (a different YAML writer) keeps it valid too.
    path.write_text(yaml.safe_dump(yaml.safe_load(text), indent=4, width=50, allow_unicode=True), encoding="utf-8")
    assert path.read_text(encoding="utf-8") != text
    assert rules_found(report) == []
    assert "STALE" not in "\n".join(status(runner, report, expect=0))


def test_reviewers_list_is_not_content_and_does_not_count(runner, report: Path) -> None:
    sign(runner, report, "Finance")
    path = report / "report.yaml"
    path.write_text(path.read_text(encoding="utf-8")
                    + "reviewers:\n  - role: Governance\n    name: Gareth Penry\n    date: 2026-11-12\n", encoding="utf-8")
    found = rules_found(report)
    assert [r for r, _ in found if r == "RG503"] == []
    assert found == [("RG501", f"no sign-off from {role}") for role in ("Governance", "Legal", "Equality")] + [
        ("RG504", "Governance sign-off by Gareth Penry is recorded but not bound to this content")]


def test_changing_an_appendix_file_makes_it_stale_and_signing_again_clears_it(runner, report: Path) -> None:
    sign_all(runner, report)
    with (report / "appendix-1.pdf").open("ab") as f:  # still a readable PDF: readers ignore what follows %%EOF
        f.write(b"% Saturday: 9am to 4pm.\n")
    assert rules_found(report) == [stale(role, changed="appendix files") for role in ROLES]
    assert status(runner, report)[2] == ("  sign-off: Governance=STALE Finance=STALE Legal=STALE Equality=STALE")
    sign(runner, report, "Finance", date="2026-11-20")
    assert rules_found(report) == [stale(role, changed="appendix files") for role in ("Governance", "Legal", "Equality")]
    sign_all(runner, report)
    assert rules_found(report) == []


def test_signing_again_clears_a_stale_sign_off(runner, report: Path) -> None:
    sign_all(runner, report)
    edit_text(report, "Most came after 3pm.", "Most came after 4pm.")
    assert len(rules_found(report)) == 4
    sign_all(runner, report)
    assert rules_found(report) == []


# --- impossible dates (RG502) -------------------------------------------------------------

def test_a_sign_off_dated_in_the_future(runner, report: Path) -> None:
    sign_all(runner, report)
    sign(runner, report, "Legal", "Samir Haddad", "2026-11-30")
    assert rules_found(report) == [("RG502", "Legal sign-off is dated 2026-11-30, in the future")]
    assert rules_found(report, today=dt.date(2026, 11, 30)) == []


def test_a_sign_off_after_publication(runner, report: Path) -> None:
    sign_all(runner, report)
    sign(runner, report, "Legal", "Samir Haddad", "2026-12-03")
    assert rules_found(report, today=dt.date(2026, 12, 5)) == [
        ("RG502", "Legal sign-off on 2026-12-03 is after publication on 2026-12-01")]
    sign(runner, report, "Legal", "Samir Haddad", "2026-12-01")
    assert rules_found(report, today=dt.date(2026, 12, 5)) == []


# --- reportgen status ---------------------------------------------------------------------

def test_status_rows(runner, tmp_path: Path, report: Path) -> None:
    other = tmp_path / "content" / "no-legal"
    shutil.copytree(SIGNOFF, other)
    edit_text(other, "legal:\n  - >\n    The council must run a good library service.\n    The new hours support that duty.\n", "")
    sign(runner, report, "Governance")
    sign(runner, report, "Finance")
    sign(runner, report, "Equality")
    edit_text(report, "Most came after 3pm.", "Most came after 4pm.")
    sign(runner, report, "Governance", date="2026-11-20")
    sections = ("purpose recommendations alternative_options key_considerations community_impact "
                "environmental_impact equality financial legal risks consultees background_papers").split()
    assert status(runner, tmp_path / "content") == [
        f"{report} [herefordshire] 2026-12-10, publish by 2026-12-02 (11 days left): NOT READY (3 errors, 0 warnings)",
        "  sections: " + " ".join(f"✓{s}" for s in sections),
        "  sign-off: Governance=done Finance=STALE Legal=MISSING Equality=STALE",
        "    Governance: A Reviewer, dated 2026-11-20, recorded 2026-11-20",
        "    Finance: A Reviewer, dated 2026-11-18, recorded 2026-11-18",
        "    Equality: A Reviewer, dated 2026-11-18, recorded 2026-11-18",
        f"{other} [herefordshire] 2026-12-10, publish by 2026-12-02 (11 days left): NOT READY (5 errors, 0 warnings)",
        "  sections: " + " ".join(f"{'✗' if s == 'legal' else '✓'}{s}" for s in sections),
        "  sign-off: Governance=MISSING Finance=MISSING Legal=MISSING Equality=MISSING",
    ]


def test_status_counts_down_to_the_deadline(runner, report: Path) -> None:
    assert status(runner, report, dt.date(2026, 12, 2))[0].endswith(
        ", publish by 2026-12-02 (0 days left): NOT READY (4 errors, 0 warnings)")
    assert status(runner, report, dt.date(2026, 12, 5))[0].endswith(
        ", publication deadline 2026-12-02 passed 3 days ago: NOT READY (4 errors, 0 warnings)")


def test_status_does_not_count_reviewers_typed_into_the_report(runner, report: Path) -> None:
    path = report / "report.yaml"
    path.write_text(path.read_text(encoding="utf-8") + dump({"reviewers": [
        {"role": "Legal", "name": "Samir Haddad", "date": dt.date(2026, 11, 13)},
        {"role": "Equality", "name": "Megan Tudor-Hughes"}]}), encoding="utf-8")
    lines = status(runner, report)
    assert lines[0].endswith(": NOT READY (6 errors, 0 warnings)")  # 4 missing, 2 not bound
    assert lines[2] == "  sign-off: Governance=MISSING Finance=MISSING Legal=MISSING Equality=MISSING"


def test_status_exit_codes_and_json(runner, tmp_path: Path, report: Path) -> None:
    sign_all(runner, report)
    assert status(runner, report, expect=0)[0].endswith(": ready (0 errors, 0 warnings)")
    other = tmp_path / "content" / "unsigned"
    shutil.copytree(SIGNOFF, other)
    result = runner.invoke(main, ["status", str(tmp_path / "content"), "--today", TODAY.isoformat(),
                                  "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert [(r["path"], r["ready"], r["errors"], r["warnings"]) for r in data["reports"]] == [
        (str(report), True, 0, 0), (str(other), False, 4, 0)]
    assert data["reports"][1]["signoffs"] == {role: "missing" for role in ROLES}
    assert data["summary"] == {"reports": 2, "ready": 1, "not_ready": 1, "unusable": 0}


@pytest.mark.parametrize("command", ["status", "check"])
def test_a_folder_without_reports_is_an_input_error(runner, tmp_path: Path, command: str) -> None:
    (tmp_path / "empty").mkdir()
    result = runner.invoke(main, [command, str(tmp_path / "empty")], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.output == f"{tmp_path / 'empty'}:1:1: no report.yaml found here\n"


def test_status_of_an_unusable_report(runner, report: Path) -> None:
    edit_text(report, "decision_date: 2026-12-10", "decision_date: next week")
    [line] = status(runner, report, expect=2)
    assert line.startswith(f"{report}: unusable: {report / 'report.yaml'}:")
    assert "decision_date: expected a date as YYYY-MM-DD" in line


def test_a_broken_record_file_is_located_input_error(runner, report: Path) -> None:
    sign(runner, report, "Finance", "Judith Okafor")
    path = report / SIGNOFF_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("date: '2026-11-18'", "date: next week"), encoding="utf-8")
    line = next(n for n, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "next week" in l)
    result = runner.invoke(main, ["check", str(report), "--today", "2026-11-21"])
    assert result.exit_code == 2
    assert f"{path}:{line}:3: error INPUT: [0].date: expected a date as YYYY-MM-DD, got text 'next week'" in result.output
