"""`reportgen diff`: word-level changes since a sign-off, golden-tested as plain text; the HTML page escapes content.

After a deliberate change of the output, regenerate the goldens with:

    REPORTGEN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_diff.py
and review the diff in tests/golden/.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from reportgen.cli import main

from .conftest import ROOT
from .test_rules import edit_text, make_report, sign_roles

GOLDEN = ROOT / "tests" / "golden"

SCENARIOS = {
    "reworded-sentence": [("Most came after 3pm.", "Most visitors came after 4pm.")],
    "added-paragraph": [("  - Thursday evening is the busiest time",
                         "  - Evening visits rose by a third in 2026 – “a record”.\n  - Thursday evening is the busiest time")],
    "removed-table-row": [("        - [Heat and light, 2000]\n", "")],
}


def diff(runner, folder: Path, *args: str):
    return runner.invoke(main, ["diff", str(folder), *args], catch_exceptions=False)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_diff_output_matches_golden(runner, tmp_path: Path, name: str) -> None:
    folder = make_report(tmp_path / "r")
    for old, new in SCENARIOS[name]:
        edit_text(folder, old, new)
    result = diff(runner, folder, "--role", "Finance")
    assert result.exit_code == 1
    golden = GOLDEN / f"diff-{name}.txt"
    if os.environ.get("REPORTGEN_UPDATE_GOLDEN"):
        golden.write_text(result.output, encoding="utf-8")
    assert result.output == golden.read_text(encoding="utf-8")


def test_no_change_since_the_sign_off(runner, tmp_path: Path) -> None:
    result = diff(runner, make_report(tmp_path / "r"))
    assert (result.exit_code, result.output) == (0, "Changes since the Equality sign-off by A Reviewer on 2026-11-18: none\n")


def test_diff_compares_with_the_chosen_role_in_any_wording(runner, tmp_path: Path) -> None:
    folder = make_report(tmp_path / "r")
    edit_text(folder, "Most came after 3pm.", "Most came after 4pm.")
    sign_roles(folder, ("Legal",))  # Legal has seen the change; Finance has not
    assert diff(runner, folder, "--role", "legal services").exit_code == 0
    result = diff(runner, folder, "--role", "S151 officer")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "Changes since the Finance sign-off by A Reviewer on 2026-11-18:"


def test_the_stale_finding_and_diff_name_the_same_sections(runner, tmp_path: Path) -> None:
    folder = make_report(tmp_path / "r")
    edit_text(folder, "Most came after 3pm.", "Most came after 4pm.")
    edit_text(folder, "        - [Heat and light, 2000]\n", "")
    sections = [line[3:] for line in diff(runner, folder, "--role", "Finance").output.splitlines() if line.startswith("## ")]
    assert sections == ["key_considerations", "financial"]
    check = runner.invoke(main, ["check", str(folder), "--today", "2026-11-21"])
    assert "Finance sign-off by A Reviewer on 2026-11-18 is stale: the content changed after it: " \
           "key_considerations, financial changed" in check.output


def test_html_page_is_self_contained_and_escapes_content(runner, tmp_path: Path) -> None:
    folder = make_report(tmp_path / "r")
    edit_text(folder, "Most came after 3pm.", "Most came after <script>alert(1)</script> & {{ x }} “late”.")
    page = tmp_path / "changes.html"
    result = diff(runner, folder, "--html", str(page))
    assert result.exit_code == 1 and f"wrote {page}" in result.output
    html = page.read_text(encoding="utf-8")
    assert "<script>" not in html and "src=" not in html and "href=" not in html
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt; &amp; {{ x }} “late”.</ins>" in html
    assert "<del>3pm.</del>" in html


def test_without_a_sign_off_there_is_nothing_to_compare(runner, tmp_path: Path) -> None:
    folder = make_report(tmp_path / "r", signed=False)
    result = diff(runner, folder, "--role", "Finance")
    assert result.exit_code == 2
    assert result.output == f"{folder / 'report.yaml'}:1:1: no sign-off from Finance to compare with\n"


def test_any_two_sign_offs_in_the_history_can_be_compared(runner, tmp_path: Path) -> None:
    folder = make_report(tmp_path / "r")  # records 1-4 sign the clean content
    edit_text(folder, "Most came after 3pm.", "Most came after 4pm.")
    sign_roles(folder, ("Finance",), "Judith Okafor")  # record 5
    edit_text(folder, "Most came after 4pm.", "Most came after 5pm.")
    sign_roles(folder, ("Legal",), "Samir Haddad")  # record 6
    result = diff(runner, folder, "--from", "5", "--to", "6")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Changes since the Finance sign-off by Judith Okafor on 2026-11-18 up to the Legal sign-off by Samir Haddad "
        "on 2026-11-18:", "## key_considerations",
        "~ text: The library had 9,000 visits last year. Most came after [-4pm.-]{+5pm.+}"]
    assert diff(runner, folder, "--from", "1", "--to", "4").output.endswith(": none\n")
    missing = diff(runner, folder, "--from", "9")
    assert missing.exit_code == 2 and "no sign-off record 9 (there are 6)" in missing.output
