"""The web edition of a report: same text as the DOCX, semantic structure, content kept as data."""
from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from reportgen.cli import main
from reportgen.content.load import find_reports
from reportgen.docx.render import context, render
from reportgen.html.report import report_page
from reportgen.pipeline import prepare

from .conftest import FIXTURES, MINIMAL, ROOT, write_report
from .docxtext import flat_text, normalise
from .htmltext import page_text

EXAMPLES = find_reports([ROOT / "content" / "examples"])


@pytest.mark.parametrize("folder", EXAMPLES, ids=[f.name for f in EXAMPLES])
def test_html_text_in_reading_order_equals_the_docx(folder: Path, tmp_path: Path) -> None:
    """Golden: the DOCX's normalised text is its front page followed by exactly the HTML body's text."""
    prepared = prepare(folder)
    docx = tmp_path / "r.docx"
    docx.write_bytes(render(prepared))
    page = report_page(prepared)
    docx_text, body_text = flat_text(docx), page_text(page, "report-body")
    assert len(body_text) > 1000
    assert docx_text.endswith(body_text), "HTML body text differs from the DOCX body text"
    # The DOCX front page (before the body) says nothing the web page's front matter does not.
    front_docx = docx_text[: len(docx_text) - len(body_text)]
    html_text = page_text(page)
    values = context(prepared.loaded, prepared.profile)
    shown = [normalise(str(v)) for k, v in values.items()
             if isinstance(v, str) and v and k not in ("council", "date_text", "date_label") and normalise(v) in front_docx]
    assert shown, "no front-matter value found on the DOCX front page"
    assert [v for v in shown if v not in html_text] == []


def _doc(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def test_report_page_is_semantic_and_self_contained() -> None:
    prepared = prepare(ROOT / "content/examples/models/oxfordshire-2026-12-depot-land-disposal")
    html = report_page(prepared)
    doc = _doc(html)
    assert doc.get("lang") == "en-GB"
    assert doc.findtext(".//title") == prepared.report.title == doc.findtext(".//h1")
    levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    assert doc.cssselect("a.skip-link")[0].get("href") == "#main" and doc.get_element_by_id("main") is not None
    contents = [a.get("href") for a in doc.cssselect("nav.contents a")]
    assert len(contents) >= 10 and all(doc.get_element_by_id(h[1:]) is not None for h in contents)
    assert doc.get_element_by_id("para-12").text_content().startswith("12. Develop the site")
    # Every [[label]] reference is a link to an element on the page.
    xrefs = doc.cssselect("a.xref")
    assert {a.get("href") for a in xrefs} >= {"#para-8", "#para-5", "#rec-a", "#rec-c"}
    assert all(doc.get_element_by_id(a.get("href")[1:]) is not None for a in xrefs)
    assert all(th.get("scope") == "col" for th in doc.iter("th")) and doc.cssselect("thead th")
    assert [dt.text for dt in doc.cssselect("dl.front-matter dt")][:3] == ["Decision maker", "Meeting date", "Report by"]
    assert "Divisions affected" in [dt.text for dt in doc.cssselect("dl.front-matter dt")]
    # Self-contained: no script, no external stylesheet, font or image; a print stylesheet inlined.
    assert not doc.cssselect("script, link, img, iframe") and "@media print" in html
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//(?!www\.legislation\.gov\.uk)""", html)
    assert "url(" not in html


def test_numbered_paragraphs_in_sections_and_totals(tmp_path: Path) -> None:
    """Section numbering ("2.3") gives #para-2.3 anchors; a table's total row is its <tfoot>."""
    prepared = prepare(ROOT / "content/examples/seeds/east-herts-2019-12-ict-partnership")
    doc = _doc(report_page(prepared))
    assert doc.get_element_by_id("para-2.3").text_content().startswith("2.3 ")
    special = prepare(FIXTURES / "special-characters")
    doc = _doc(report_page(special))
    foot = doc.cssselect("tfoot tr td")
    assert [td.text_content() for td in foot] == ["Total", "25"]
    assert doc.cssselect("td.num") and doc.cssselect("ol[type=a]") and doc.cssselect("ul ul")


def test_content_is_data_on_the_web_page() -> None:
    """`<script>`, `{{ }}` and & < > " ' in content appear literally, as text, never as markup."""
    prepared = prepare(FIXTURES / "special-characters")
    html = report_page(prepared)
    doc = _doc(html)
    title = "Fees & charges <2027> \"review\" – ‘café’ £5 “quoted” é {{ title }}"
    assert doc.findtext(".//title") == title and doc.findtext(".//h1") == title
    text = page_text(html)
    assert "Text with & < > \" ' £ – “ ” é and {{ x }} and {% if y %}raw{% endif %} and {# c #} survives." in text
    assert "Café <upgrade>" in text and "first & <one>" in text
    assert "<2027>" not in html and "&lt;2027&gt;" in html
    assert [a.get("href") for a in doc.cssselect("#report-body a")] == ["https://example.org/?a=1&b=2"]


def test_script_in_content_is_text(tmp_path: Path) -> None:
    folder = write_report(tmp_path / "r", """\
        style: east-herts
        title: "<script>alert(1)</script> & {{ 7*7 }}"
        decision_maker: Cabinet
        decision_date: 2026-12-10
        purpose: "<script>alert('x')</script> and [bad](javascript:alert(1)) and {{ 7*7 }}"
        recommendations:
          items:
            - text: "<img src=x onerror=alert(1)>"
        """)
    html = report_page(prepare(folder))
    doc = _doc(html)
    assert not doc.cssselect("script, img") and "javascript:" not in " ".join(a.get("href", "") for a in doc.iter("a"))
    text = page_text(html)
    assert "<script>alert('x')</script> and [bad](javascript:alert(1)) and {{ 7*7 }}" in text
    assert "<img src=x onerror=alert(1)>" in text and "49" not in text


def test_build_html_writes_a_page_beside_each_docx(runner, tmp_path: Path) -> None:
    folder = ROOT / "content/examples/models/herefordshire-2026-12-library-opening-hours"
    result = runner.invoke(main, ["build", "--html", "--out", str(tmp_path), str(folder)])
    assert result.exit_code == 0, result.output
    # where below --out depends on the content root found; the page sits beside the DOCX either way
    built = [Path(line.split()[1]) for line in result.output.splitlines() if line.startswith("built ")]
    page = next(p for p in built if p.suffix == ".html")
    assert page.parent.is_relative_to(tmp_path) and page.name == "herefordshire-2026-12-library-opening-hours.html"
    assert page.with_suffix(".docx") in built and page.with_suffix(".docx").is_file()
    assert page_text(page, "report-body") in flat_text(page.with_suffix(".docx"))
    assert "--accent: #6b3d8f" in page.read_text(encoding="utf-8")  # herefordshire's own web.css
    plain = runner.invoke(main, ["build", "--out", str(tmp_path / "plain"), str(folder)])
    assert plain.exit_code == 0 and not list((tmp_path / "plain").rglob("*.html"))


def test_block_quotes_sub_superscript_and_markdown_cells_as_in_the_docx(tmp_path: Path) -> None:
    """main's Markdown additions reach the web page as elements, with the DOCX's text."""
    folder = write_report(tmp_path / "r", MINIMAL.replace("purpose: To test reportgen.", """\
purpose: |
  Emissions of CO~2~ fell for the 4^th^ year.

  > The council's "strategy" said: cut & <measure>.
key_considerations:
  - text: The figures are below.
    table:
      columns: ["Measure", "Value"]
      rows:
        - ["**NO~2~** levels", 12]
        - ["*Estimated* x^2^", 3]
"""))
    prepared = prepare(folder)
    doc = _doc(report_page(prepared))
    assert [e.text for e in doc.cssselect("#report-body sub")] == ["2", "2"]
    assert [e.text for e in doc.cssselect("#report-body sup")] == ["th", "2"]
    quote = doc.cssselect("#report-body blockquote p")
    assert [q.text_content() for q in quote] == ["The council's \"strategy\" said: cut & <measure>."]
    cells = doc.cssselect("#report-body tbody td")
    assert cells[0].cssselect("strong")[0].text_content() == "NO2" and cells[2].cssselect("em")
    assert "**" not in doc.text_content() and "~" not in doc.text_content()
    docx = tmp_path / "r.docx"
    docx.write_bytes(render(prepared))
    assert flat_text(docx).endswith(page_text(report_page(prepared), "report-body"))


def test_dashboard_shows_content_as_data(runner, tmp_path: Path) -> None:
    """status --html: a title with <script>, {{ }} and & < > " ' is text; the page's own script is the only one."""
    board = tmp_path / "board.html"
    args = ["status", str(FIXTURES / "special-characters"), "--today", "2026-11-21"]
    result = runner.invoke(main, [*args, "--html", str(board)])
    assert "Traceback" not in result.output and board.is_file()
    assert result.exit_code == runner.invoke(main, args).exit_code, result.output  # the same verdict as status
    doc = _doc(board.read_text(encoding="utf-8"))
    title = "Fees & charges <2027> \"review\" – ‘café’ £5 “quoted” é {{ title }}"
    assert title in [a.text_content() for a in doc.cssselect("#matrix tbody th a")]
    assert len(doc.cssselect("script")) == 1 and not doc.cssselect("script[src], link, img")
    assert doc.cssselect("#matrix thead th[scope=col]")


def test_dashboard_agrees_with_status(runner, tmp_path: Path) -> None:
    """The dashboard's matrix says what `status --format json` says: deadlines, counts, sections, sign-offs."""
    import json

    seeds = str(ROOT / "content" / "examples" / "seeds")
    board = tmp_path / "board.html"
    # The seeds are not ready: the dashboard is written, and the exit code says so, as status's does.
    assert runner.invoke(main, ["status", seeds, "--today", "2019-11-01", "--html", str(board)]).exit_code == 1
    as_json = runner.invoke(main, ["status", seeds, "--today", "2019-11-01", "--format", "json"])
    assert as_json.exit_code == 1
    rows = json.loads(as_json.output)["reports"]
    doc = _doc(board.read_text(encoding="utf-8"))
    shown = {tr.cssselect("th .detail")[0].text: [td.get("data-value") for td in tr.cssselect("td")][1:4]
             for tr in doc.cssselect("#matrix tbody tr")}
    assert len(shown) == len(rows) == 3
    for row in rows:
        days, errors, warnings = shown[row["path"]]
        assert (int(days), int(errors), int(warnings)) == (row["days_left"], row["errors"], row["warnings"])
        assert row["errors"] > 0
    heads = [th.text_content().strip() for th in doc.cssselect("#matrix thead th")]
    assert any("Finance" in h or "finance" in h for h in heads)
    assert "missing" in doc.cssselect("#matrix tbody")[0].text_content()


def test_numbered_appendix_and_contact_lines_have_their_anchors() -> None:
    """A style that numbers appendix, background-paper and contact lines: each is a numbered paragraph
    on the web page too, with its #para- anchor, like every other numbered paragraph."""
    from reportgen.layout.arrange import Line
    from reportgen.style.profile import Settings

    prepared = prepare(FIXTURES / "custom-style", Settings.with_styles(FIXTURES / "styles"))
    numbered = [el for el in prepared.layout.elements if isinstance(el, Line) and el.prefix]
    assert numbered, "the fixture style numbers its appendix and contact lines"
    doc = _doc(report_page(prepared))
    for el in numbered:
        node = doc.get_element_by_id(el.anchor)
        assert el.text in node.text_content() and node.text_content().startswith(el.prefix)
