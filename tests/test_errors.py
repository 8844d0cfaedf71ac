"""Bad input: one located message per problem, no traceback, exit 2, nothing written for that report."""
from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.cli import main

from .conftest import MINIMAL, write_report


def build(runner, *args: str):
    return runner.invoke(main, ["build", *args], catch_exceptions=False)


def test_bad_yaml_names_file_line_and_column(runner, fixture_copy, tmp_path: Path) -> None:
    folder = fixture_copy("bad-yaml")
    result = build(runner, str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert (f"{folder / 'report.yaml'}:3:10: invalid YAML: found unexpected end of stream "
            "(while scanning a quoted scalar at line 3, column 10)") in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_unknown_keys_suggest_the_right_key_and_all_problems_are_reported(runner, fixture_copy, tmp_path) -> None:
    folder = fixture_copy("unknown-key")
    result = build(runner, str(folder), "--out", str(tmp_path / "out"))
    file = folder / "report.yaml"
    assert result.exit_code == 2
    assert f"{file}:5:1: recomendations: unknown key (did you mean `recommendations`?)" in result.output
    assert f"{file}:9:3: equality.general_dutty: unknown key (did you mean `general_duty`?)" in result.output


def test_wrong_types_each_get_a_plain_message(runner, fixture_copy, tmp_path) -> None:
    folder = fixture_copy("wrong-types")
    result = build(runner, str(folder), "--out", str(tmp_path / "out"))
    file = folder / "report.yaml"
    lines = result.output.splitlines()
    assert result.exit_code == 2
    assert f"{file}:2:1: title: expected text, got a list" in lines
    assert f"{file}:4:1: decision_date: expected a date as YYYY-MM-DD, got text '10th December'" in lines
    assert f"{file}:7:7: recommendations.items[0].text: expected text, got a list" in lines
    assert any(line.startswith(f"{file}:8:1: wards: ") for line in lines)
    assert f"{file}:10:3: classification.status: expected one of 'open' or 'exempt', got text 'secret'" in lines


def test_unknown_style_lists_the_known_ones(runner, fixture_copy, tmp_path) -> None:
    folder = fixture_copy("unknown-style")
    result = build(runner, str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert (f"{folder / 'report.yaml'}:1:1: style: unknown house style 'narnia' "
            "(known styles: east-herts, herefordshire, oxfordshire)") in result.output


def test_unknown_label_suggests_the_close_one(runner, fixture_copy, tmp_path) -> None:
    folder = fixture_copy("unknown-label")
    result = build(runner, str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert (f"{folder / 'report.yaml'}:8:5: key_considerations[1].text: reference to unknown label [[reserv]] "
            "(did you mean [[reserve]]?)") in result.output


def test_duplicate_keys_are_errors(runner, fixture_copy, tmp_path) -> None:
    folder = fixture_copy("duplicate-key")
    result = build(runner, str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert f"{folder / 'report.yaml'}:4:1: title: duplicate key (first given on line 2)" in result.output


def test_a_list_is_not_a_report(runner, fixture_copy, tmp_path) -> None:
    folder = fixture_copy("not-a-mapping")
    result = build(runner, str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "report.yaml:1:1: a report must be a mapping of keys" in result.output


def test_missing_path(runner, tmp_path) -> None:
    result = build(runner, str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert f"error: {tmp_path / 'nowhere'}: no such file or folder" in result.output


def test_good_reports_build_while_bad_ones_write_nothing(runner, tmp_path) -> None:
    content = tmp_path / "content"
    write_report(content / "good", MINIMAL)
    write_report(content / "bad", MINIMAL.replace("title: Minimal report", "title: [bad]"))
    out = tmp_path / "out"
    result = build(runner, str(content), "--out", str(out))
    assert result.exit_code == 2
    assert (out / "content" / "good.docx").is_file()
    assert not (out / "content" / "bad.docx").exists()
    assert "1 report(s) not built" in result.output
    assert [p.name for p in out.rglob("*") if p.name.endswith(".tmp")] == []


def _style_with_template(tmp_path: Path, mutate) -> Path:
    """A copy of the herefordshire style whose template document.xml is changed by `mutate`."""
    import shutil
    import zipfile

    from reportgen.style.profile import TEMPLATES_DIR

    styles = tmp_path / "styles"
    shutil.copytree(TEMPLATES_DIR / "herefordshire", styles / "broken")
    tpl = styles / "broken" / "template.docx"
    with zipfile.ZipFile(tpl) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts = mutate(parts)
    with zipfile.ZipFile(tpl, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return styles


@pytest.mark.parametrize("mutate,expected", [
    (lambda p: {**p, "word/document.xml": p["word/document.xml"].replace(b"{{ title }}", b"{{ title }")},
     "template error"),
    (lambda p: {**p, "word/document.xml": p["word/document.xml"].replace(b"{{ title }}", b"{{ no_such_value }}")},
     "'no_such_value' is undefined"),
    (lambda p: {n: d for n, d in p.items() if n != "word/styles.xml"}, "template"),
    (lambda p: {"junk.txt": b"not a docx"}, "template"),
], ids=["jinja-syntax", "undefined-variable", "no-styles", "not-a-docx"])
def test_broken_templates_are_reported_not_raised(runner, tmp_path, mutate, expected) -> None:
    styles = _style_with_template(tmp_path, mutate)
    folder = write_report(tmp_path / "content" / "r", MINIMAL.replace("herefordshire", "broken"))
    result = runner.invoke(main, ["build", str(folder), "--out", str(tmp_path / "out"), "--styles", str(styles)],
                           catch_exceptions=False)
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_missing_template_file_is_located_in_the_profile(runner, tmp_path) -> None:
    styles = _style_with_template(tmp_path, lambda p: p)
    (styles / "broken" / "template.docx").unlink()
    folder = write_report(tmp_path / "content" / "r", MINIMAL.replace("herefordshire", "broken"))
    result = runner.invoke(main, ["build", str(folder), "--out", str(tmp_path / "out"), "--styles", str(styles)],
                           catch_exceptions=False)
    assert result.exit_code == 2
    assert f"{styles / 'broken' / 'profile.yaml'}:5:1: template: template file not found" in result.output


def test_a_table_row_of_the_wrong_width_is_an_error(runner, tmp_path) -> None:
    folder = write_report(tmp_path / "content" / "t", MINIMAL + """\
key_considerations:
  - text: Costs are below.
    table:
      columns: [Item, Cost]
      rows:
        - [Installation, staff training and support, 10000]
""")
    result = build(runner, str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert (f"{folder / 'report.yaml'}:12:5: key_considerations[0].table: row 1 has 3 cells but the table has "
            "2 columns (quote cells that contain commas)") in result.output
