"""`reportgen check` and `reportgen rules` on the command line: output formats, exit codes, examples."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.check import rules as _rules  # noqa: F401  (registers the catalogue)
from reportgen.check.catalogue import catalogue
from reportgen.cli import main

from .conftest import ROOT
from .test_rules import CLEAN, TODAY, drop, house_style, line_of, make_report, put, sign_roles

EXAMPLES = ROOT / "content" / "examples"
SEEDS = EXAMPLES / "seeds"
MODELS = EXAMPLES / "models"
HINT_101 = catalogue()["RG101"].hint
HINT_104 = catalogue()["RG104"].hint


def check(runner: CliRunner, *args: str, today: dt.date = TODAY):
    return runner.invoke(main, ["check", *args, "--today", today.isoformat()], catch_exceptions=False)


def col_of(folder: Path, needle: str) -> int:
    line = (folder / "report.yaml").read_text(encoding="utf-8").splitlines()[line_of(folder, needle) - 1]
    return len(line) - len(line.lstrip()) + 1


@pytest.fixture
def two_reports(tmp_path: Path) -> Path:
    """content/a-clean (ready) and content/b-broken (one error, one warning)."""
    content = tmp_path / "content"
    make_report(content / "a-clean")
    make_report(content / "b-broken", drop("legal"), put("recommendations", "lead_in", value="We recommend:"))
    return content


# --- text output --------------------------------------------------------------------------

def test_text_output_is_compiler_style_grouped_by_report(runner, two_reports: Path) -> None:
    result = check(runner, str(two_reports))
    broken = two_reports / "b-broken"
    file = broken / "report.yaml"
    assert result.output.splitlines() == [
        f"{two_reports / 'a-clean'} [herefordshire]: ready",
        f"{broken} [herefordshire]: not ready",
        f"{file}:2:1: error RG101: required section 'Legal implications' (legal) is missing ({HINT_101})",
        f"{file}:{line_of(broken, 'lead_in:')}:{col_of(broken, 'lead_in:')}: warning RG104: "
        f"lead-in 'We recommend:' does not open with 'That:' ({HINT_104})",
        "2 reports: 1 ready, 1 not ready (1 errors, 1 warnings)",
    ]
    assert result.exit_code == 1


def test_findings_are_in_file_order(runner, tmp_path: Path) -> None:
    folder = make_report(tmp_path / "r", put("legal", value="N/A"), put("community_impact", value="TBC"))
    lines = check(runner, str(folder)).output.splitlines()[1:-1]
    impact, legal = line_of(folder, "community_impact:"), line_of(folder, "legal:")
    assert impact < legal
    # by line, then column, then rule id
    assert [(int(line.split(":")[1]), line.split(" ")[2].rstrip(":")) for line in lines] == [
        (impact, "RG102"), (impact, "RG108"), (impact, "RG110"), (impact, "RG201"), (legal, "RG102"), (legal, "RG110")]
    assert all(line.startswith(f"{folder / 'report.yaml'}:") for line in lines)


def test_summary_line_for_one_report_is_singular(runner) -> None:
    result = check(runner, str(CLEAN))
    assert result.output.splitlines() == [f"{CLEAN} [herefordshire]: ready",
                                          "1 report: 1 ready, 0 not ready (0 errors, 0 warnings)"]
    assert result.exit_code == 0


def test_an_unusable_report_is_shown_with_its_input_errors(runner, tmp_path: Path) -> None:
    bad = tmp_path / "content" / "bad"
    bad.mkdir(parents=True)
    (bad / "report.yaml").write_text('style: herefordshire\ntitle: "unterminated\n', encoding="utf-8")
    make_report(tmp_path / "content" / "good")
    result = check(runner, str(tmp_path / "content"))
    assert result.output.splitlines() == [
        f"{bad} [?]: unusable",
        f"{bad / 'report.yaml'}:2:8: error INPUT: invalid YAML: found unexpected end of stream "
        "(while scanning a quoted scalar at line 2, column 8)",
        f"{tmp_path / 'content' / 'good'} [herefordshire]: ready",
        "2 reports: 1 ready, 1 not ready (1 errors, 0 warnings)",
    ]
    assert result.exit_code == 2  # unusable input wins over everything else


def test_an_invalid_report_names_the_key(runner, tmp_path: Path) -> None:
    folder = make_report(tmp_path / "r", put("decision_date", value="10th December"))
    result = check(runner, str(folder))
    assert (f"{folder / 'report.yaml'}:{line_of(folder, 'decision_date:')}:1: error INPUT: decision_date: "
            "expected a date as YYYY-MM-DD, got text '10th December'") in result.output.splitlines()
    assert result.exit_code == 2


def test_a_missing_path_is_an_input_error(runner, tmp_path: Path) -> None:
    result = check(runner, str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert f"error: {tmp_path / 'nowhere'}: no such file or folder" in result.output


# --- JSON output --------------------------------------------------------------------------

def test_json_output_shape(runner, two_reports: Path) -> None:
    result = check(runner, str(two_reports), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert set(data) == {"reports", "summary"}
    assert data["summary"] == {"reports": 2, "ready": 1, "not_ready": 1, "errors": 1, "warnings": 1, "info": 0,
                               "unusable": 0}
    clean, broken = data["reports"]
    assert clean == {"path": str(two_reports / "a-clean"), "title": "Opening hours at Hereford Library: cabinet member decision",
                     "style": "herefordshire", "ready": True, "findings": []}
    assert {k: v for k, v in broken.items() if k != "findings"} == {
        "path": str(two_reports / "b-broken"), "title": "Opening hours at Hereford Library: cabinet member decision",
        "style": "herefordshire", "ready": False}
    file = str(two_reports / "b-broken" / "report.yaml")
    assert broken["findings"] == [
        {"rule": "RG101", "severity": "error", "message": "required section 'Legal implications' (legal) is missing",
         "hint": HINT_101, "file": file, "line": 2, "key": ""},
        {"rule": "RG104", "severity": "warning", "message": "lead-in 'We recommend:' does not open with 'That:'",
         "hint": HINT_104, "file": file, "line": line_of(two_reports / "b-broken", "lead_in:"),
         "key": "recommendations.lead_in"},
    ]


def test_json_output_of_an_unusable_report(runner, tmp_path: Path) -> None:
    folder = make_report(tmp_path / "r", put("style", value="narnia"))
    result = check(runner, str(folder), "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.output)
    assert data["summary"]["unusable"] == 1 and data["summary"]["ready"] == 0
    [report] = data["reports"]
    assert report["ready"] is False and report["style"] == "narnia"
    assert report["findings"] == [{
        "rule": "INPUT", "severity": "error", "hint": "fix the input", "file": str(folder / "report.yaml"),
        "line": line_of(folder, "style:"), "key": "style",
        "message": "unknown house style 'narnia' (known styles: east-herts, herefordshire, oxfordshire)"}]


# --- exit codes ---------------------------------------------------------------------------

WARNING_ONLY = put("recommendations", "lead_in", value="We recommend:")


@pytest.mark.parametrize("edit,strict,code", [
    (None, False, 0),
    (None, True, 0),
    (WARNING_ONLY, False, 0),
    (WARNING_ONLY, True, 1),
    (drop("legal"), False, 1),
    (drop("legal"), True, 1),
    (put("title", value=["not", "text"]), False, 2),
], ids=["clean", "clean-strict", "warning", "warning-strict", "error", "error-strict", "unusable"])
def test_exit_codes(runner, tmp_path: Path, edit, strict: bool, code: int) -> None:
    folder = make_report(tmp_path / "r", *([edit] if edit else []))
    result = check(runner, str(folder), *(["--strict"] if strict else []))
    assert result.exit_code == code
    ready = code == 0
    assert result.output.splitlines()[0].endswith("ready" if ready else ("unusable" if code == 2 else "not ready"))
    assert result.output.splitlines()[-1].startswith(f"1 report: {int(ready)} ready, {int(not ready)} not ready")


def test_strict_counts_warnings_as_failures_in_json_too(runner, tmp_path: Path) -> None:
    folder = make_report(tmp_path / "r", WARNING_ONLY)
    lax = json.loads(check(runner, str(folder), "--format", "json").output)
    strict = json.loads(check(runner, str(folder), "--format", "json", "--strict").output)
    assert (lax["reports"][0]["ready"], strict["reports"][0]["ready"]) == (True, False)
    assert (lax["summary"]["ready"], strict["summary"]["ready"]) == (1, 0)


def test_today_decides_what_is_in_the_future(runner, tmp_path: Path) -> None:
    folder = make_report(tmp_path / "r", signed=False)
    sign_roles(folder, ("Governance", "Legal", "Equality"))
    sign_roles(folder, ("Finance",), date=dt.date(2026, 11, 25))
    early = check(runner, str(folder), today=dt.date(2026, 11, 21))
    assert early.exit_code == 1
    assert "error RG502: Finance sign-off is dated 2026-11-25, in the future" in early.output
    assert check(runner, str(folder), today=dt.date(2026, 11, 26)).exit_code == 0


def test_templates_option_applies_house_style_overrides(runner, tmp_path: Path) -> None:
    styles = house_style(tmp_path, "  RG104: off\n  RG101: warning\n")
    folder = make_report(tmp_path / "content" / "r", put("style", value="house"), drop("legal"), WARNING_ONLY)
    result = check(runner, str(folder), "--styles", str(styles))
    assert result.exit_code == 0
    assert [line.split(": ", 1)[1] for line in result.output.splitlines()[1:-1]] == [
        f"warning RG101: required section 'Legal implications' (legal) is missing ({HINT_101})"]
    assert check(runner, str(folder), "--styles", str(styles), "--strict").exit_code == 1


def test_an_unknown_rule_in_a_profile_is_unusable_input(runner, tmp_path: Path) -> None:
    styles = house_style(tmp_path, "  RG999: off\n")
    folder = make_report(tmp_path / "content" / "r", put("style", value="house"))
    result = check(runner, str(folder), "--styles", str(styles))
    assert result.exit_code == 2
    assert result.output.splitlines()[:2] == [
        f"{folder} [house]: unusable",
        f"{(styles / 'house' / 'profile.yaml').resolve()}:{line_of_text(styles / 'house' / 'profile.yaml', 'RG999')}:3: "
        "error INPUT: rules.RG999: unknown rule RG999"]


def line_of_text(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


# --- reportgen rules ----------------------------------------------------------------------

def test_rules_lists_every_rule(runner) -> None:
    result = runner.invoke(main, ["rules"], catch_exceptions=False)
    assert result.exit_code == 0
    headings = [line for line in result.output.splitlines() if line.startswith("RG")]
    assert headings == [f"{r.id} [{r.severity}] {r.title}" for r in catalogue().values()]
    assert "    Parameters: clear_days=5" in result.output


def test_rules_as_json(runner) -> None:
    result = runner.invoke(main, ["rules", "--format", "json"], catch_exceptions=False)
    data = json.loads(result.output)
    assert [r["id"] for r in data] == list(catalogue())
    assert all(set(r) == {"id", "title", "severity", "explanation", "source", "hint", "params"} for r in data)
    assert {r["id"]: r["params"] for r in data}["RG401"] == {"clear_days": 5}
    assert all(r["severity"] in ("error", "warning", "info") and r["explanation"] and r["source"] for r in data)


# --- the example content ------------------------------------------------------------------

@pytest.fixture(scope="module")
def examples() -> dict[str, dict]:
    result = CliRunner().invoke(main, ["check", str(EXAMPLES), "--format", "json", "--today", TODAY.isoformat()],
                                catch_exceptions=False)
    assert result.exit_code == 1  # the seeds are not ready
    return {Path(r["path"]).name: r for r in json.loads(result.output)["reports"]}


def _messages(report: dict, rule: str) -> list[str]:
    return [f["message"] for f in report["findings"] if f["rule"] == rule]


def test_oxfordshire_seed_defects_are_found(examples) -> None:
    report = examples["oxfordshire-2019-12-ict-strategy"]
    assert not report["ready"]
    assert _messages(report, "RG101") == ["required section 'Legal Implications' (legal) is missing"]
    found = [f for f in report["findings"] if f["rule"] == "RG110"]
    # The 2019 recommendations have no full stop either.
    assert [f["message"] for f in found[:2]] == ["paragraph stops mid-sentence: '…k for Digital Service Delivery'",
                                                 "paragraph stops mid-sentence: '…aration and become a signatory'"]
    [mid] = found[2:]
    assert mid["message"] == "paragraph stops mid-sentence: '… still in development, but the'"
    assert mid["key"].startswith("financial[")
    text = (SEEDS / "oxfordshire-2019-12-ict-strategy" / "report.yaml").read_text(encoding="utf-8").splitlines()
    # It points at the line of the folded block where the unfinished words are, not the block's first line.
    assert text[mid["line"] - 1].strip() == "development, but the"
    assert _messages(report, "RG111") == ["refers to paragraph 3.17, which does not exist"]
    assert "OCC is not expanded at first use or in the glossary" in _messages(report, "RG201")


def test_east_herts_seed_defects_are_found(examples) -> None:
    report = examples["east-herts-2019-12-ict-partnership"]
    assert not report["ready"]
    assert _messages(report, "RG101") == ["required section 'legal' (legal) is missing"]
    assert _messages(report, "RG406") == ["no equality section: the s.149 duty is not addressed (set "
                                          "equality.general_duty: true and give equality.impact_assessment)"]


def test_herefordshire_seed_defects_are_found(examples) -> None:
    report = examples["herefordshire-2019-09-digital-strategy"]
    assert not report["ready"]
    dead = _messages(report, "RG109")
    assert dead and set(dead) == {"link target is '#': it goes nowhere"}
    assert _messages(report, "RG501") == [f"no sign-off from {role}" for role in
                                         ("Governance", "Finance", "Legal", "Equality")]


@pytest.mark.parametrize("name", sorted(p.name for p in MODELS.iterdir() if (p / "report.yaml").is_file()))
def test_model_reports_have_no_errors(examples, name: str) -> None:
    report = examples[name]
    assert [f"{f['line']}: {f['rule']} {f['message']}" for f in report["findings"] if f["severity"] == "error"] == []
    assert report["ready"]


def test_every_example_is_checked(examples) -> None:
    assert set(examples) == {p.parent.name for p in EXAMPLES.rglob("report.yaml")}
    assert len([n for n in examples if (MODELS / n).is_dir()]) >= 4
