"""House styles as data: sections a style declares of its own, its wording and numbering, its schema.

The fixture style in tests/fixtures/styles/ is an imagined council written only as data; no Python file
names it (this module reads its name from the fixture report).
"""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from reportgen.cli import main
from reportgen.errors import ContentError, ReportgenError, StyleError
from reportgen.layout.arrange import Grid
from reportgen.pipeline import prepare, render_report, sign
from reportgen.style.profile import Settings, load_profile

from .conftest import FIXTURES, ROOT, copy_edited
from .test_golden import GOLDEN, structure

STYLES = FIXTURES / "styles"
REPORT = FIXTURES / "custom-style"
STYLE = yaml.safe_load((REPORT / "report.yaml").read_text(encoding="utf-8"))["style"]
PATH = Settings.with_styles(STYLES)


#: The fixture's reviewers, as its committed signoff.yaml records them (written with `reportgen sign`).
SIGNERS = (("Finance", "Priya Shah", dt.date(2026, 11, 20)), ("Legal", "Tom Ward", dt.date(2026, 11, 21)))


def copy_report(tmp_path: Path, old: str = "", new: str = "") -> Path:
    """A copy of the fixture report, edited, and cleared again by its reviewers for what it now says."""
    folder = copy_edited(REPORT, tmp_path / "report", "report.yaml", old, new)
    if old != new:
        try:
            for role, name, _ in SIGNERS:  # on the day they read the edited words
                sign(folder, role, name, dt.date(2026, 11, 25), PATH, today=dt.date(2026, 11, 25))
        except ReportgenError:
            pass  # content that cannot be loaded cannot be signed: the test is about that error
    return folder


def check(runner, folder: Path):
    return runner.invoke(main, ["check", "--styles", str(STYLES), "--today", "2026-11-25", str(folder)],
                         catch_exceptions=False)


def test_no_python_file_names_the_fixture_style() -> None:
    offenders = [p for p in [*ROOT.joinpath("reportgen").rglob("*.py"), *ROOT.joinpath("tests").rglob("*.py"),
                             *ROOT.joinpath("tools").rglob("*.py")]
                 if STYLE in p.read_text(encoding="utf-8").casefold()]
    assert offenders == []


def test_fixture_report_matches_golden() -> None:
    """1.0 headings, section.paragraph numbers, recommendations numbered as paragraphs, the style's own
    sections (a statement section printing its default), the report's own key-decision statement."""
    _, docx = render_report(REPORT, PATH)
    actual = "\n".join(structure(docx)) + "\n"
    golden = GOLDEN / "custom-style.txt"
    import os
    if os.environ.get("REPORTGEN_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")
    for line in ("Heading 2: 6.0 Climate change implications", "Recommendation: 2.1 The cycle lanes",
                 "Numbered Paragraph: 9.1 There are no data protection implications arising from this report.",
                 "TD | Date of Executive: | 16 December 2026", "TD | Decision by: | Executive", "Heading 2: Wards",
                 "Body Text: This is a key decision because it is significant in its effects on communities"):
        assert line in actual


def test_fixture_report_is_ready(runner) -> None:
    result = check(runner, REPORT)
    assert result.exit_code == 0, result.output
    assert "1 ready" in result.output


def test_missing_custom_required_section_is_named_by_its_heading(runner, tmp_path: Path) -> None:
    folder = copy_report(tmp_path)
    data = yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8"))
    del data["sections"]["climate_change"]
    (folder / "report.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = check(runner, folder)
    assert result.exit_code == 1
    assert re.search(re.escape(str(folder / "report.yaml")) + r":\d+:\d+: error RG101: required section "
                     r"'Climate change implications' \(climate_change\) is missing", result.output), result.output


def test_custom_section_saying_na_is_reported_where_it_is(runner, tmp_path: Path) -> None:
    folder = copy_report(tmp_path, "health_wellbeing: More people walking and cycling improves their health.",
                         "health_wellbeing: N/A")
    result = check(runner, folder)
    line = next(i for i, t in enumerate((folder / "report.yaml").read_text().splitlines(), 1) if "N/A" in t)
    assert (f"report.yaml:{line}:3: error RG102: section 'Health and wellbeing implications' says only 'N/A', "
            "not a sentence") in result.output


def test_placeholder_and_mid_sentence_in_custom_section(runner, tmp_path: Path) -> None:
    folder = copy_report(tmp_path, "improves their health.", "improves their [insert figures]")
    result = check(runner, folder)
    assert "error RG108: placeholder '[insert figures]' left in the text" in result.output
    assert "error RG110: paragraph stops mid-sentence" in result.output


def test_unknown_custom_key_gets_did_you_mean(runner, tmp_path: Path) -> None:
    folder = copy_report(tmp_path, "  health_wellbeing:", "  health_welbeing:")
    with pytest.raises(ContentError) as err:
        prepare(folder, PATH)
    [problem] = err.value.problems
    assert str(problem).endswith("sections.health_welbeing: unknown section (did you mean `health_wellbeing`?); "
                                 f"the house style '{STYLE}' declares: climate_change, health_wellbeing, "
                                 "procurement, data_protection, scrutiny_comments")
    result = check(runner, folder)
    assert result.exit_code == 2


def test_statement_section_prints_report_text_when_given() -> None:
    layout = prepare(REPORT, PATH).layout
    texts = [getattr(el, "markdown", "") for el in layout.elements]
    assert "The works will be bought through the council's highways framework contract." in texts
    assert "There are no procurement implications arising from this report." not in texts


def test_style_schema_lists_its_own_sections_and_rejects_a_typo(runner) -> None:
    result = runner.invoke(main, ["schema", "--styles", str(STYLES), "--style", STYLE], catch_exceptions=False)
    schema = json.loads(result.output)
    sections = schema["properties"]["sections"]
    assert list(sections["properties"]) == ["climate_change", "health_wellbeing", "procurement",
                                            "data_protection", "scrutiny_comments"]
    assert sections["required"] == ["climate_change", "health_wellbeing"]
    data = yaml.safe_load((REPORT / "report.yaml").read_text(encoding="utf-8"))
    data = json.loads(json.dumps(data, default=str))
    jsonschema.validate(data, schema)
    data["sections"]["climat_change"] = data["sections"].pop("climate_change")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_profile_schema_documents_every_section_option(runner) -> None:
    schema = json.loads(runner.invoke(main, ["schema", "--profile"], catch_exceptions=False).output)
    spec = schema["$defs"]["SectionSpec"]["properties"]
    assert set(spec) == {"keys", "heading", "numbered", "level", "kind", "statement", "required", "guidance",
                         "number_items", "aliases"}
    assert all(p.get("description") for p in spec.values())
    assert "folder" not in schema["properties"]
    for name in ("oxfordshire", "herefordshire", "east-herts"):
        profile = yaml.safe_load((ROOT / "templates" / name / "profile.yaml").read_text(encoding="utf-8"))
        jsonschema.validate(profile, schema)


def bad_style(tmp_path: Path, old: str, new: str) -> Settings:
    copy_edited(STYLES / STYLE, tmp_path / "styles" / "bad", "profile.yaml", old, new)
    return Settings.with_styles(tmp_path / "styles")


@pytest.mark.parametrize("old, new, message", [
    ("{key: legal, heading", "{key: legl, heading",
     "sections[11]: unknown section 'legl' (did you mean `legal`?); a section of the style's own needs a kind"),
    ("required_sections: [purpose,", "required_sections: [purpse,",
     "required_sections[0]: unknown section 'purpse' (did you mean `purpose`?)"),
    ("    kind: statement\n    statement: There are no procurement", "    kind: statement\n    required: true\n    statement: There are no procurement",
     "a statement section always prints (its default sentence), so it cannot be required"),
    ("lettering: paragraph", "lettering: numbered",
     "recommendations.lettering: expected one of '(a)', '(A)', 'a)', 'A)', 'a.', 'A.', '(i)' or 'paragraph'"),
])
def test_bad_profile_is_located_when_the_style_loads(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(StyleError) as err:
        load_profile("bad", bad_style(tmp_path, old, new))
    [problem] = err.value.problems
    assert str(problem).startswith(str(tmp_path / "styles" / "bad" / "profile.yaml") + ":")
    assert message in str(problem)


# --- reportgen style new / check --------------------------------------------------------------

def _edit_docx(path: Path, part: str, old: bytes, new: bytes) -> None:
    import zipfile
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    assert old in parts[part]
    parts[part] = parts[part].replace(old, new)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_style_new_then_check_is_clean(runner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["style", "new", "my-council", "--from", "oxfordshire"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output == ("created templates/my-council: edit profile.yaml and template.docx, then run "
                             "`reportgen style check my-council --styles templates`\n")
    assert (tmp_path / "templates" / "my-council" / "template.docx").is_file()
    result = runner.invoke(main, ["style", "check", "my-council", "--styles", "templates"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    again = runner.invoke(main, ["style", "new", "my-council", "--from", "oxfordshire"], catch_exceptions=False)
    assert again.exit_code == 2 and "already exists; not overwritten" in again.output


def test_style_check_locates_template_problems_in_the_template(runner, tmp_path: Path) -> None:
    styles = tmp_path / "styles"
    shutil.copytree(ROOT / "templates" / "oxfordshire", styles / "broken")
    template = styles / "broken" / "template.docx"
    _edit_docx(template, "word/document.xml", b"{{ title }}", b"{{ titel }}")
    _edit_docx(template, "word/styles.xml", b'w:val="Contact"', b'w:val="Kontakt"')
    result = runner.invoke(main, ["style", "check", "broken", "--styles", str(styles)], catch_exceptions=False)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{template}:1:1: unknown variable {{{{ titel }}}} (reportgen provides: body, ")
    assert lines[1] == f"{template}:1:1: missing the named style(s) reportgen writes with: Contact"


def test_style_check_reports_profile_errors_in_the_profile(runner, tmp_path: Path) -> None:
    path = bad_style(tmp_path, "{key: legal, heading", "{key: legl, heading")
    result = runner.invoke(main, ["style", "check", "bad", "--styles", str(path.extra_styles[0])], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.output.startswith(f"{tmp_path / 'styles' / 'bad' / 'profile.yaml'}:")


def test_build_names_the_template_missing_a_style(tmp_path: Path) -> None:
    styles = tmp_path / "styles"
    shutil.copytree(STYLES / STYLE, styles / STYLE)
    _edit_docx(styles / STYLE / "template.docx", "word/styles.xml", b'w:val="Contact"', b'w:val="Kontakt"')
    with pytest.raises(StyleError) as err:
        render_report(REPORT, Settings.with_styles(styles))
    assert str(err.value).startswith(f"{styles / STYLE / 'template.docx'}: template is missing the style(s): Contact")


def test_new_report_writes_the_styles_own_sections_with_guidance(runner, tmp_path: Path) -> None:
    target = tmp_path / "r"
    result = runner.invoke(main, ["new", str(target), "--style", STYLE, "--styles", str(STYLES)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = (target / "report.yaml").read_text(encoding="utf-8")
    assert ('  # Climate change implications: Effects on the borough\'s carbon budget and on adapting to a changing '
            'climate.\n  climate_change: "[insert climate change implications]"\n') in text
    assert '  procurement: "There are no procurement implications arising from this report."\n' in text
    data = yaml.safe_load(text)
    assert list(data["sections"]) == ["climate_change", "health_wellbeing", "procurement", "data_protection",
                                      "scrutiny_comments"]
    output = check(runner, target).output
    assert "error RG108: placeholder '[insert climate change implications]' left in the text" in output


def test_docs_list_every_template_variable() -> None:
    from reportgen.docx.stylecheck import agenda_variables, report_variables

    profile = load_profile("oxfordshire")
    doc = (ROOT / "docs" / "house-styles.md").read_text(encoding="utf-8")
    section = doc.split("## Template variables", 1)[1].split("\n## ", 1)[0]
    for name in report_variables(profile) | agenda_variables(profile):
        assert f"`{name}`" in section or f"`{{{{ {name} }}}}`" in section or name == "body", name


def test_style_check_reports_a_bad_rule_override(runner, tmp_path: Path) -> None:
    path = bad_style(tmp_path, "known_acronyms: [UK, NHS]", "known_acronyms: [UK, NHS]\nrules: {RG999: off}")
    result = runner.invoke(main, ["style", "check", "bad", "--styles", str(path.extra_styles[0])], catch_exceptions=False)
    assert result.exit_code == 2
    assert re.fullmatch(re.escape(str(tmp_path / "styles" / "bad" / "profile.yaml")) +
                        r":\d+:\d+: rules\.RG999: unknown rule RG999\n", result.output), result.output


def test_status_lists_the_styles_own_required_sections(runner, tmp_path: Path) -> None:
    folder = copy_report(tmp_path, "  health_wellbeing: More people walking and cycling improves their health.\n")
    result = runner.invoke(main, ["status", "--styles", str(STYLES), "--today", "2026-11-25", str(folder)],
                           catch_exceptions=False)
    assert ("  sections: ✓purpose ✓recommendations ✓financial ✓legal ✓equality ✓background_papers "
            "✓climate_change ✗health_wellbeing") in result.output.splitlines()


@pytest.mark.parametrize("kind, value, expect", [
    ("people", "\n    - {name: Cllr Ada Brook, role: Chair of scrutiny}", ("Line", "Cllr Ada Brook, Chair of scrutiny")),
    ("risks", "\n    - rows: [{risk: Delay & cost, mitigation: Phased works.}]", ("Grid", "Delay & cost")),
    ("table", "\n    columns: [Ward, Votes]\n    rows: [[Abbey, 12]]", ("Grid", "Abbey")),
    ("options", "\n    - {option: Defer., reason: Costs rise.}", ("Prose", "Defer. Costs rise.")),
])
def test_structured_kinds_of_the_styles_own_sections(tmp_path: Path, runner, kind: str, value: str,
                                                     expect: tuple[str, str]) -> None:
    path = bad_style(tmp_path, "key: scrutiny_comments\n    heading: Comments of the Overview and Scrutiny Committee\n    kind: prose",
                     f"key: scrutiny_comments\n    heading: Comments of the Overview and Scrutiny Committee\n    kind: {kind}")
    folder = copy_report(tmp_path, "  procurement:", f"  scrutiny_comments:{value}\n  procurement:")
    text = (folder / "report.yaml").read_text(encoding="utf-8").replace(f"style: {STYLE}", "style: bad")
    (folder / "report.yaml").write_text(text, encoding="utf-8")
    layout = prepare(folder, path).layout
    found = [(type(el).__name__, str(el.rows[0][0]) if isinstance(el, Grid) else
              getattr(el, "text", None) or getattr(el, "markdown", "")) for el in layout.elements]
    assert expect in found
    # the scaffold's starting value has the kind's shape
    new = tmp_path / "new"
    result = runner.invoke(main, ["new", str(new), "--style", "bad", "--styles", str(path.extra_styles[0])],
                           catch_exceptions=False)
    assert result.exit_code == 0
    scaffolded = yaml.safe_load((new / "report.yaml").read_text(encoding="utf-8"))["sections"]["scrutiny_comments"]
    assert not isinstance(scaffolded, str)


def test_a_value_of_the_wrong_shape_for_its_kind_is_located(tmp_path: Path) -> None:
    path = bad_style(tmp_path, "heading: Comments of the Overview and Scrutiny Committee\n    kind: prose",
                     "heading: Comments of the Overview and Scrutiny Committee\n    kind: people")
    folder = copy_report(tmp_path, "  procurement:", "  scrutiny_comments: Scrutiny supported it.\n  procurement:")
    text = (folder / "report.yaml").read_text(encoding="utf-8").replace(f"style: {STYLE}", "style: bad")
    (folder / "report.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        prepare(folder, path)
    [problem] = err.value.problems
    line = text.splitlines().index("  scrutiny_comments: Scrutiny supported it.") + 1
    assert str(problem) == (f"{folder / 'report.yaml'}:{line}:3: sections.scrutiny_comments: "
                            "expected a list, got text 'Scrutiny supported it.'")
