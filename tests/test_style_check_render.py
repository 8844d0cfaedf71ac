"""`reportgen style check` renders (issue 22, item 6): a sample report of each kind goes through the style's
templates, and a template error is located to the template and its paragraph, before any build."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from reportgen.docx.render import context
from reportgen.docx.variables import FrontRow, ReportContext, context_markdown, fields
from reportgen.layout.samples import KINDS, samples
from reportgen.style.profile import load_profile

from .conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
STYLES = FIXTURES / "styles"
REPORTGEN = Path(sys.executable).with_name("reportgen")


def _style(tmp_path: Path, old: str, new: str) -> Path:
    """The fixture council with one paragraph of its template rewritten; returns the styles folder."""
    folder = tmp_path / "styles" / "brackenford"
    shutil.copytree(STYLES / "brackenford", folder)
    doc = Document(str(folder / "template.docx"))
    paragraphs = [p for p in doc.paragraphs] + [p for t in doc.tables for r in t.rows for c in r.cells
                                                 for p in c.paragraphs]
    [target] = [p for p in paragraphs if p.text == old]
    for run in target.runs[1:]:
        run.text = ""
    target.runs[0].text = new
    doc.save(str(folder / "template.docx"))
    return tmp_path / "styles"


def _check(styles: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(REPORTGEN), "style", "check", "brackenford", "--styles", str(styles)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("old, new, error", [
    ("{{ title }}", "{{ lead_member.name }}", "'str object' has no attribute 'name'"),
    ("{{ row.label }}", "{{ row.x }}", "'dict object' has no attribute 'x'"),
])
def test_a_template_error_is_located_to_the_template_and_paragraph(tmp_path: Path, old: str, new: str,
                                                                   error: str) -> None:
    styles = _style(tmp_path, old, new)
    result = _check(styles)
    template = styles / "brackenford" / "template.docx"
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert re.fullmatch(re.escape(f"{template}:1:1: word/document.xml paragraph ") + r"\d+ "
                        + re.escape(f"('{new}'): template error: {error} (rendering the sample: "
                                    + ", ".join(KINDS) + ")"), line), line


def test_the_fixture_and_bundled_styles_pass_the_rendering_check(tmp_path: Path) -> None:
    assert _check(STYLES).returncode == 0
    for name in ("east-herts", "herefordshire", "oxfordshire"):
        result = subprocess.run([str(REPORTGEN), "style", "check", name], capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 0, result.stderr


def test_every_kind_of_sample_is_the_kind_it_says() -> None:
    kinds = dict(samples(load_profile("herefordshire")))
    assert kinds["committee"].report.meeting is not None
    assert kinds["individual"].report.meeting is None and kinds["individual"].report.decision_date
    assert kinds["exempt"].report.classification.status == "exempt"
    key, non_key = kinds["key"].report.decision_type, kinds["non-key"].report.decision_type
    assert key is not None and key.key and key.key_because and non_key is not None and not non_key.key
    assert non_key.reason and kinds["committee"].report.decision_type != non_key  # no two kinds alike


def test_the_context_fills_exactly_its_typed_definition() -> None:
    profile = load_profile("herefordshire")
    for _, prepared in samples(profile):
        values = context(prepared.loaded, profile)
        assert list(values) == list(ReportContext.__annotations__)
        assert all(isinstance(values[name], str) for name, kind, _ in fields(ReportContext) if kind == "text")
        assert isinstance(values["exempt"], bool) and isinstance(values["labels"], dict)


def test_the_docs_list_the_context_with_its_types() -> None:
    doc = (ROOT / "docs" / "house-styles.md").read_text(encoding="utf-8")
    assert context_markdown() in doc
    assert "| `lead_member` | text |" in context_markdown()
    assert "| `front_page` | list of {label: text, value: text (lines)} |" in context_markdown()
    assert list(FrontRow.__annotations__) == ["label", "value"]


def test_a_web_edition_that_fails_is_reported_against_the_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    """The HTML of each sample is rendered too; its failure names the style's profile and the kind."""
    import reportgen.html.report
    from reportgen.errors import RenderError, StyleError
    from reportgen.pipeline import check_style

    seen: list[object] = []

    def page(prepared: object) -> str:
        seen.append(prepared)
        raise RenderError("reportgen/html/templates/report.html.j2: template error: boom")

    monkeypatch.setattr(reportgen.html.report, "report_page", page)
    with pytest.raises(StyleError) as raised:
        check_style("oxfordshire")
    profile = ROOT / "templates" / "oxfordshire" / "profile.yaml"
    assert [str(p) for p in raised.value.problems] == [
        f"{profile}:1:1: the web edition of a sample {kind} report fails: "
        "reportgen/html/templates/report.html.j2: template error: boom" for kind in KINDS]
    assert len({id(p) for p in seen}) == len(KINDS)

