"""House styles round two (issue 22): formats, statements with fields and the front page, all as style data.

The fixture council in tests/fixtures/styles/ used here declares its own front page, a statement naming
report fields, ordinal dates, "a)" lettering, per-level paragraph numbers and a headless section.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
import yaml

from reportgen.content import clock
from reportgen.errors import ReportgenError
from reportgen.html.report import report_page
from reportgen.pipeline import prepare, render_report
from reportgen.style.profile import Settings, load_profile

from .conftest import FIXTURES, copy_edited
from .htmltext import page_text
from .test_golden import GOLDEN, structure

STYLES = FIXTURES / "styles"
REPORT = FIXTURES / "style-options"
STYLE = yaml.safe_load((REPORT / "report.yaml").read_text(encoding="utf-8"))["style"]
PATH = Settings.with_styles(STYLES)
REPORTGEN = Path(sys.executable).with_name("reportgen")


def _golden(name: str, actual: str) -> str:
    golden = GOLDEN / name
    if os.environ.get("REPORTGEN_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    return golden.read_text(encoding="utf-8")


def _docx_text(folder: Path = REPORT, settings: Settings = PATH) -> str:
    return "\n".join(structure(render_report(folder, settings)[1])) + "\n"


def _html(folder: Path = REPORT, settings: Settings = PATH) -> str:
    return report_page(prepare(folder, settings))


def copy_style(tmp_path: Path, old: str, new: str) -> Settings:
    """The fixture style copied and edited, as the only style folder besides the bundled ones."""
    copy_edited(STYLES / STYLE, tmp_path / "styles" / STYLE, "profile.yaml", old, new)
    return Settings.with_styles(tmp_path / "styles")


def copy_report(tmp_path: Path, old: str = "", new: str = "") -> Path:
    return copy_edited(REPORT, tmp_path / "report", "report.yaml", old, new)


def build(folder: Path, styles: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`reportgen build` in a fresh process, as a user runs it."""
    return subprocess.run([str(REPORTGEN), "build", "--styles", str(styles), "--out", str(tmp_path / "out"), str(folder)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)


# --- goldens --------------------------------------------------------------------------------------

def test_docx_matches_golden() -> None:
    actual = _docx_text()
    assert actual == _golden("style-options.txt", actual)
    for line in ("TD | Date of decision: | Monday 4th March 2024",  # ordinal dates, the style's own order
                 "TD | Executive member: | Councillor Ada Brook",  # a front-page field of the style's own
                 "Recommendation: a) The renewal of the play area be approved.",  # "a)" lettering
                 "Numbered Paragraph: 1.1. To agree",  # level-1 sections print "1.1."
                 "Numbered Paragraph: 3.1 The equipment",  # level-2 sections print "3.1"
                 "Numbered Paragraph: 4.1. This decision was first notified in the forward plan on Monday 22nd "
                 "January 2024 (reference FP/2024/007)."):
        assert line in actual


def test_html_matches_golden() -> None:
    actual = page_text(_html()) + "\n"
    assert actual == _golden("style-options-html.txt", actual)


def test_docx_and_html_print_the_same_front_page() -> None:
    front_page = _docx_text().split("\nHeading")[0].splitlines()
    docx = [line.removeprefix("TD | ").split(" | ") for line in front_page if line.startswith("TD | ")]
    root = lxml.html.document_fromstring(_html())
    html = [[row.findtext("dt")] + [" ".join(dd.text_content() for dd in row.findall("dd"))]
            for row in root.find_class("front-row")]
    assert [(label.rstrip(": "), value) for label, value in docx] == [tuple(row) for row in html]
    assert [label for label, _ in docx] == ["Executive member:", "Date of decision:",
                                            "Council priorities:", "Status:", "Type of decision:", "Wards affected:"]


# --- formats --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "printed"), [(1, "Friday 1st March 2024"), (2, "Saturday 2nd March 2024"),
                                              (3, "Sunday 3rd March 2024"), (4, "Monday 4th March 2024"),
                                              (11, "Monday 11th March 2024"), (12, "Tuesday 12th March 2024"),
                                              (13, "Wednesday 13th March 2024"), (21, "Thursday 21st March 2024"),
                                              (22, "Friday 22nd March 2024"), (23, "Saturday 23rd March 2024"),
                                              (31, "Sunday 31st March 2024")])
def test_ordinal_dates(day: int, printed: str) -> None:
    assert load_profile(STYLE, PATH).format_date(dt.date(2024, 3, day)) == printed


@pytest.mark.parametrize(("lettering", "first", "second"), [("a)", "a)", "b)"), ("(a)", "(a)", "(b)"), ("a.", "a.", "b.")])
def test_lettering_is_the_same_in_docx_and_html(tmp_path: Path, lettering: str, first: str, second: str) -> None:
    settings = copy_style(tmp_path, 'lettering: "a)"', f'lettering: "{lettering}"')
    docx = _docx_text(REPORT, settings)
    assert f"Recommendation: {first} The renewal of the play area be approved." in docx
    assert f"Recommendation: {second} The parks manager" in docx
    root = lxml.html.document_fromstring(_html(REPORT, settings))
    marks = [span.text for p in root.find_class("recommendation") for span in p.find_class("num")]
    assert marks == [first, second]


def test_paragraph_numbers_follow_one_pattern_without_levels(tmp_path: Path) -> None:
    settings = copy_style(tmp_path, '  levels: {2: "{s}.{n}"}\n', "")
    docx = _docx_text(REPORT, settings)
    assert "Numbered Paragraph: 3.1. The equipment" in docx and "Numbered Paragraph: 1.1. To agree" in docx


def test_a_bad_level_pattern_is_located_in_the_profile(tmp_path: Path) -> None:
    settings = copy_style(tmp_path, 'levels: {2: "{s}.{n}"}', 'levels: {2: "{s}.{m}"}')
    with pytest.raises(ReportgenError) as err:
        load_profile(STYLE, settings)
    assert re.search(r"profile\.yaml:13:3: numbering\.levels.*unknown field \{m\}", str(err.value)), str(err.value)


def test_a_headless_section_prints_no_heading_and_continues_the_numbering() -> None:
    docx = _docx_text()
    assert "Numbered Paragraph: 4.2. Executive member for leisure will record this decision" in docx
    before = docx.split("\nNumbered Paragraph: 4.2. Executive member")[0].splitlines()
    assert before[-1].startswith("Numbered Paragraph: 4.1. This decision was first notified")


# --- statements with fields ----------------------------------------------------------------------------

def test_a_statement_is_filled_from_the_report_and_follows_it(tmp_path: Path) -> None:
    folder = copy_report(tmp_path, "notice_date: 2024-01-22", "notice_date: 2024-01-29")
    assert "forward plan on Monday 29th January 2024 (reference FP/2024/007)." in _docx_text(folder)


def test_the_html_prints_a_statement_once() -> None:
    assert page_text(_html()).count("first notified in the forward plan") == 1


def test_a_statement_naming_a_field_the_report_lacks_is_located_in_the_profile(tmp_path: Path) -> None:
    folder = copy_report(tmp_path, "  forward_plan_ref: FP/2024/007\n", "")
    result = build(folder, STYLES, tmp_path)
    assert result.returncode == 2, result.stderr
    profile = STYLES / STYLE / "profile.yaml"
    line = next(n for n, text in enumerate(profile.read_text(encoding="utf-8").splitlines(), 1)
                if "first notified in the forward plan" in text)
    assert re.search(re.escape(f"{profile.resolve()}:{line}:") + r"\d+: sections\[3\]\.statement: the statement of "
                     r"section 'forward_plan' names \{forward_plan_ref\}, which .*report\.yaml does not give",
                     result.stderr), result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


def test_a_statement_naming_an_unknown_field_is_located_when_the_style_loads(tmp_path: Path) -> None:
    settings = copy_style(tmp_path, "{notice_date} (reference", "{notice_dat} (reference")
    with pytest.raises(ReportgenError) as err:
        load_profile(STYLE, settings)
    assert re.search(r"profile\.yaml:\d+:\d+: sections\[3\]\.statement: unknown field \{notice_dat\}", str(err.value))


# --- the front page as data -----------------------------------------------------------------------

def test_a_required_front_page_field_is_checked_like_a_built_in_key(tmp_path: Path) -> None:
    folder = copy_report(tmp_path, "  executive_member: Councillor Ada Brook\n", "")
    result = build(folder, STYLES, tmp_path)
    assert result.returncode == 2
    assert re.search(r"report\.yaml:\d+:\d+: front: front\.executive_member: required front-page field "
                     r"'Executive member' is missing", result.stderr), result.stderr


def test_an_unknown_front_page_field_gets_a_did_you_mean(tmp_path: Path) -> None:
    folder = copy_report(tmp_path, "  priorities:", "  priorites:")
    result = build(folder, STYLES, tmp_path)
    assert result.returncode == 2
    assert re.search(r"report\.yaml:14:3: front\.priorites: unknown front-page field \(did you mean `priorities`\?\)",
                     result.stderr), result.stderr


def test_a_front_page_field_of_the_wrong_type_is_located(tmp_path: Path) -> None:
    folder = copy_report(tmp_path, "  priorities:", "  consulted_on: soon\n  priorities:")
    result = build(folder, STYLES, tmp_path)
    assert result.returncode == 2
    assert re.search(r"report\.yaml:14:\d+: front\.consulted_on: .*date", result.stderr), result.stderr


def test_a_front_page_date_field_prints_in_the_styles_format(tmp_path: Path) -> None:
    folder = copy_report(tmp_path, "  priorities:", "  consulted_on: 2024-02-01\n  priorities:")
    assert "TD | Ward members consulted: | Thursday 1st February 2024" in _docx_text(folder)


def test_empty_rows_print_only_when_the_style_says(tmp_path: Path) -> None:
    assert "Report by:" not in _docx_text()
    settings = copy_style(tmp_path, "front_page:\n", "front_page:\n  print_empty: true\n")
    docx = _docx_text(REPORT, settings)
    assert "\nTD | Report by: | \n" in docx
    assert "Report by" in page_text(_html(REPORT, settings))


def test_an_unknown_front_page_row_is_located_in_the_profile(tmp_path: Path) -> None:
    settings = copy_style(tmp_path, "rows: [executive_member,", "rows: [executive_membr,")
    with pytest.raises(ReportgenError) as err:
        load_profile(STYLE, settings)
    assert re.search(r"profile\.yaml:\d+:\d+: front_page.*unknown front-page row 'executive_membr' \(did you mean "
                     r"`executive_member`\?\)", str(err.value)), str(err.value)


def test_schema_for_the_style_lists_its_front_page_fields(tmp_path: Path) -> None:
    result = subprocess.run([str(REPORTGEN), "schema", "--styles", str(STYLES), "--style", STYLE],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120, check=True)
    schema = json.loads(result.stdout)
    front = schema["properties"]["front"]
    assert list(front["properties"]) == ["executive_member", "priorities", "consulted_on"]
    assert front["properties"]["consulted_on"]["format"] == "date"
    assert front["required"] == ["executive_member"] and "front" in schema["required"]
    assert front["additionalProperties"] is False


# --- an accessible PDF ----------------------------------------------------------------------------

def test_pdf_passes_both_pdfua_checkers(tmp_path: Path) -> None:
    import page
    import pdfua

    from reportgen.pdf.pool import Converter, Job

    source, target = tmp_path / "report.docx", tmp_path / "report.pdf"
    source.write_bytes(render_report(REPORT, PATH)[1])
    with Converter() as conv:
        conv.convert([Job(source, target, "Play area renewal at Mill Green", None, "Council")])
    report = page.validate_pdf(str(target), profile="ua1")
    assert report.is_compliant and not report.failures
    result = pdfua.validate(str(target))
    assert [f.message for o in result.outcomes for f in o.findings] == []
    # pdfua 0.1.3's UA-14-001 crashes on LibreOffice's heading structure; every other rule must run.
    assert [o.rule_id for o in result.outcomes if o.skipped] in ([], ["UA-14-001"])
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(target), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    for phrase in ("Executive member: Councillor Ada Brook", "Monday 4th March 2024", "a) The renewal"):
        assert phrase in text, phrase


# --- the clearance table --------------------------------------------------------------------------

def _clearance(docx: str) -> list[str]:
    return docx.split("Heading 2: Report clearance\n")[1].split("Contact:")[0].splitlines()


def test_clearance_prints_everyone_who_cleared_each_role_with_approval_rows_last() -> None:
    # The fixture's signoff.yaml was written by `reportgen sign`: two Finance officers (one under the
    # alias "Section 151 officer"), Legal, Equality Duty and the "Approved by" row.
    assert _clearance(_docx_text()) == [
        "Body Text: Authors: ask each officer below to clear the report before it goes to the decision maker.",
        "TH | Role | Name | Date",
        "TD | Finance | Priya Shah | 19 Feb 2024", "TD | Finance | Tom Field | 20 Feb 2024",
        "TD | Legal | Jo Marsh | 21 Feb 2024", "TD | Equality Duty | Kim Lowe | 21 Feb 2024",
        "TD | Human Resources | Not required | ", "TD | Procurement | Not required | ",
        "TD | Approved by | Alex Grey, Director of Communities | 23 Feb 2024"]


def test_a_role_declared_under_its_own_name_is_not_folded_into_another_by_an_alias() -> None:
    profile = load_profile(STYLE, PATH)
    assert profile.canonical_role("equality  duty") == "Equality Duty"
    assert profile.canonical_role("Equalities") == "Equality"
    assert profile.canonical_role("Section 151 officer") == "Finance"
    assert profile.canonical_role("approved BY") == "Approved by"


def test_unsigned_roles_print_as_the_style_says_and_a_required_one_never_says_not_required(tmp_path: Path) -> None:
    folder = copy_report(tmp_path)
    (folder / "signoff.yaml").unlink()
    table = _clearance(_docx_text(folder))
    assert table[2:] == ["TD | Finance |  | ", "TD | Legal |  | ", "TD | Equality Duty | Not required | ",
                         "TD | Human Resources | Not required | ",
                         "TD | Procurement | Not required | ", "TD | Approved by | Not required | "]
    omit = _clearance(_docx_text(folder, copy_style(tmp_path / "omit", "unsigned: not_required", "unsigned: omit")))
    assert omit[2:] == ["TD | Finance |  | ", "TD | Legal |  | "]
    blank = _clearance(_docx_text(folder, copy_style(tmp_path / "blank", "unsigned: not_required", "unsigned: blank")))
    assert "TD | Procurement |  | " in blank and "TD | Approved by |  | " in blank


def test_a_person_whose_sign_off_went_stale_leaves_the_table_while_the_others_stay(tmp_path: Path) -> None:
    folder = copy_report(tmp_path, "The £85,000 cost", "The £86,000 cost")
    env = {**os.environ, "REPORTGEN_TODAY": "2024-02-24"}
    signed = subprocess.run([str(REPORTGEN), "sign", str(folder), "--styles", str(STYLES), "--role", "finance",
                             "--name", "Tom Field"], capture_output=True, text=True, timeout=120, env=env)
    assert signed.returncode == 0, signed.stderr
    rows = _clearance(_docx_text(folder))[2:]
    # Only Tom Field cleared the new figure; the others' records are kept but no longer printed.
    assert rows == ["TD | Finance | Tom Field | 24 Feb 2024", "TD | Legal |  | ", "TD | Equality Duty | Not required | ",
                    "TD | Human Resources | Not required | ", "TD | Procurement | Not required | ",
                    "TD | Approved by | Not required | "]


def test_new_scaffolds_the_styles_own_front_fields_and_no_meeting_for_an_individual_decision(tmp_path: Path) -> None:
    result = subprocess.run([str(REPORTGEN), "new", str(tmp_path / "r"), "--styles", str(STYLES), "--style", STYLE,
                             "--kind", "individual"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((tmp_path / "r" / "report.yaml").read_text(encoding="utf-8"))
    assert "meeting" not in data and "decision_date" in data
    assert data["front"] == {"executive_member": "[insert executive member]", "priorities": ["[insert]"],
                             "consulted_on": clock.today()}  # the clock a test sets (REPORTGEN_TODAY)
