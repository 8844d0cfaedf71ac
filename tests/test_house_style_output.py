"""The fixture house style's output: Markdown additions and the logo in the DOCX, and an accessible PDF."""
from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from reportgen.layout.arrange import Grid
from reportgen.pdf.pool import Converter, Job
from reportgen.pipeline import prepare, render_report

from .test_house_styles import PATH, REPORT, STYLE, STYLES
from .conftest import write_report

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}


def document(docx: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return etree.fromstring(z.read("word/document.xml"))


@pytest.fixture(scope="module")
def docx() -> bytes:
    return render_report(REPORT, PATH)[1]


def _runs(doc: etree._Element, text: str) -> list[etree._Element]:
    return [r for r in doc.iter(f"{{{W}}}r") if "".join(r.xpath("w:t/text()", namespaces=NS)) == text]


def test_sub_and_superscript_are_runs_with_vertical_alignment(docx: bytes) -> None:
    doc = document(docx)
    [two, _] = _runs(doc, "2")  # CO~2~ in the paragraph and in the table note
    assert two.xpath("w:rPr/w:vertAlign/@w:val", namespaces=NS) == ["subscript"]
    [th] = _runs(doc, "th")
    assert th.xpath("w:rPr/w:vertAlign/@w:val", namespaces=NS) == ["superscript"]


def test_bold_and_italic_in_structured_table_cells(docx: bytes) -> None:
    doc = document(docx)
    [bold] = _runs(doc, "Car trips")
    assert bold.xpath("ancestor::w:tc", namespaces=NS) and bold.find(f"{{{W}}}rPr/{{{W}}}b") is not None
    [italic] = _runs(doc, "Bus")
    assert italic.find(f"{{{W}}}rPr/{{{W}}}i") is not None
    [amp] = _runs(doc, " journeys & deliveries")
    assert amp.find(f"{{{W}}}rPr") is None


def test_block_quote_and_table_note(docx: bytes) -> None:
    layout = prepare(REPORT, PATH).layout
    kinds = [(type(el).__name__, getattr(el, "markdown", "")) for el in layout.elements]
    note = kinds.index(("Prose", "Figures are tonnes of CO~2~ a year."))
    assert isinstance(layout.elements[note + 1], Grid) and layout.elements[note + 1].markdown
    doc = document(docx)
    quote = [p for p in doc.iter(f"{{{W}}}p") if "carbon neutral by 2030" in "".join(p.itertext())]
    assert len(quote) == 1 and "".join(quote[0].itertext()).startswith("The council will")
    assert quote[0].xpath("w:pPr/w:pStyle/@w:val", namespaces=NS) == ["Quote"]


def test_logo_carries_its_alt_text(docx: bytes) -> None:
    doc = document(docx)
    assert doc.xpath("//wp:docPr/@descr", namespaces=NS) == [f"{STYLE.title()} Borough Council"]


def test_lone_and_backslashed_marks_print_as_typed(tmp_path: Path) -> None:
    folder = write_report(tmp_path / "r", """\
        style: herefordshire
        title: Marks
        decision_maker: Cabinet member
        decision_date: 2026-12-10
        purpose: "Costs rose by ~5% and 2^10 is 1024; write H\\\\~2\\\\~O literally."
        """)
    prepared = prepare(folder)
    docx = render_report(folder)[1]
    text = "".join(document(docx).itertext())
    # Backslashes are not escapes (a UNC path keeps them), so a backslashed mark prints as typed too.
    assert "Costs rose by ~5% and 2^10 is 1024; write H\\~2\\~O literally." in text
    assert prepared.report.purpose is not None


@pytest.fixture(scope="module")
def pdf(docx: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("house-style-pdf")
    source = tmp / "report.docx"
    source.write_bytes(docx)
    target = tmp / "report.pdf"
    with Converter() as conv:
        conv.convert([Job(source, target, "Cycle lanes", None, "Council")])
    return target


def test_pdf_passes_both_pdfua_checkers(pdf: Path) -> None:
    import page
    import pdfua

    report = page.validate_pdf(str(pdf), profile="ua1")
    assert report.is_compliant and not report.failures
    result = pdfua.validate(str(pdf))
    assert [f.message for o in result.outcomes for f in o.findings] == []
    # pdfua 0.1.3's UA-14-001 crashes on LibreOffice's heading structure; every other rule must run.
    assert [o.rule_id for o in result.outcomes if o.skipped] in ([], ["UA-14-001"])


def test_pdf_logo_is_a_figure_with_alt_text_and_text_survives(pdf: Path) -> None:
    with pikepdf.open(pdf) as doc:
        figures = [str(el.get("/Alt")) for el in _walk(doc.Root.StructTreeRoot) if el.S == "/Figure"]
    assert figures == [f"{STYLE.title()} Borough Council"]
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert re.search(r"\(CO ?2\) each year", text)
    for phrase in ("The 4th monitoring report", "The council will make its own operations carbon",
                   "Figures are tonnes of CO2 a year.", "Car trips replaced", "Bus journeys & deliveries",
                   "6.0 Climate change implications", "2.1 The cycle lanes"):
        assert phrase in text, phrase


def _walk(node: pikepdf.Object):
    k = node.get("/K")
    for child in (list(k) if isinstance(k, pikepdf.Array) else [k] if k is not None else []):
        if isinstance(child, pikepdf.Dictionary) and "/S" in child:
            yield child
            yield from _walk(child)


# --- numbering options and keeping things together ------------------------------------------------

def _paragraph(doc: etree._Element, text: str) -> etree._Element:
    [p] = [p for p in doc.iter(f"{{{W}}}p") if "".join(p.itertext()).strip().endswith(text)]
    return p


def test_numbering_options_in_the_golden() -> None:
    golden = (Path(__file__).parent / "golden" / "custom-style.txt").read_text(encoding="utf-8")
    assert "Heading 3: 3.0 Report" in golden  # a sibling section one heading level down
    assert "Numbered Paragraph: 14.1 Appendix 1: Route plan" in golden  # number_items
    assert "Numbered Paragraph: 16.1 Zoë Ellery, Transport planning manager" in golden
    assert "TD | Finance | Priya Shah | 20 Nov 2026" in golden  # the short date format


def test_lead_in_ending_in_a_colon_keeps_with_its_table_and_headings_keep_with_next(docx: bytes) -> None:
    doc = document(docx)
    lead = _paragraph(doc, "The council's climate emergency declaration says:")
    assert lead.find(f"{{{W}}}pPr/{{{W}}}keepNext") is not None
    plain = _paragraph(doc, "The lanes make short journeys safer.")
    assert plain.find(f"{{{W}}}pPr/{{{W}}}keepNext") is None
    heading = _paragraph(doc, "Climate change implications")
    assert heading.find(f"{{{W}}}pPr/{{{W}}}keepNext") is not None


def test_paragraph_after_a_table_gets_space_before(docx: bytes) -> None:
    doc = document(docx)
    after = _paragraph(doc, "7.0 Health and wellbeing implications")  # follows the savings table
    assert after.xpath("w:pPr/w:spacing/@w:before", namespaces=NS) == ["160"]
    children = [etree.QName(c).localname for c in after.find(f"{{{W}}}pPr")]
    assert children == ["pStyle", "keepNext", "spacing"]  # the order the schema requires
    before = _paragraph(doc, "monitoring report gives the figures below.")
    assert before.find(f"{{{W}}}pPr/{{{W}}}spacing") is None


def test_section_without_paragraph_numbers_does_not_number_its_items(tmp_path: Path) -> None:
    layout = prepare(REPORT, PATH).layout
    numbered = [el for el in layout.elements if getattr(el, "prefix", None) == "14.1"]
    assert len(numbered) == 1 and getattr(numbered[0], "text", "") == "Appendix 1: Route plan"
    assert layout.paragraphs["14.1"] == ("appendices", 0)


def test_a_table_note_need_not_be_a_sentence(runner, tmp_path: Path) -> None:
    from reportgen.cli import main
    from .test_house_styles import copy_report

    folder = copy_report(tmp_path, "note: Figures are tonnes of CO~2~ a year.", "note: Tonnes of CO~2~ a year")
    result = runner.invoke(main, ["check", "--styles", str(STYLES), "--today", "2026-11-25", str(folder)],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_a_decorative_logo_is_an_artifact_not_a_figure(tmp_path: Path) -> None:
    """decorative: true -- no alt text in the DOCX, no Figure in the PDF's tags, the image still drawn
    (as an artifact a screen reader skips), and both PDF/UA checkers still pass."""
    import shutil

    import page
    import pdfua

    from reportgen.style.profile import Settings

    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles)
    profile = styles / STYLE / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    assert f"  alt: {STYLE.title()} Borough Council\n" in text
    profile.write_text(text.replace(f"  alt: {STYLE.title()} Borough Council\n", "  decorative: true\n"),
                       encoding="utf-8")
    docx = render_report(REPORT, Settings.with_styles(styles))[1]
    assert document(docx).xpath("//wp:docPr/@descr", namespaces=NS) == [""]
    source, target = tmp_path / "report.docx", tmp_path / "report.pdf"
    source.write_bytes(docx)
    with Converter(1) as conv:
        conv.convert([Job(source, target, "Cycle lanes", None, "Council")])
    with pikepdf.open(target) as doc:
        assert [el for el in _walk(doc.Root.StructTreeRoot) if el.S == "/Figure"] == []
        drawn = [ops for ops, op in pikepdf.parse_content_stream(doc.pages[0]) if str(op) == "Do"]
        assert drawn  # the logo is still on the page
    report = page.validate_pdf(str(target), profile="ua1")
    assert report.is_compliant and not report.failures
    assert [f.message for o in pdfua.validate(str(target)).outcomes for f in o.findings] == []


def test_a_logo_needs_alt_text_unless_decorative(tmp_path: Path) -> None:
    import shutil

    from reportgen.errors import StyleError
    from reportgen.style.profile import Settings, load_profile

    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles)
    profile = styles / STYLE / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(f"  alt: {STYLE.title()} Borough Council\n", ""),
                       encoding="utf-8")
    with pytest.raises(StyleError) as caught:
        load_profile(STYLE, Settings.with_styles(styles))
    assert "logo: a logo needs alt text (alt), or decorative: true" in str(caught.value)


def test_a_figure_without_alt_text_in_the_body_becomes_an_artifact() -> None:
    """Where a template places a decorative logo in the body, its marked content is re-marked /Artifact
    and its Figure leaves the tree (finish's job: LibreOffice keeps no decorative flag)."""
    from reportgen.pdf.finish import _fix_structure

    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    page.Contents = pdf.make_stream(b"/Figure <</MCID 0>> BDC 0 0 10 10 re f EMC /P <</MCID 1>> BDC EMC")
    page.obj.StructParents = 0
    figure = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Figure, K=0,
                                                  Pg=page.obj))
    para = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.P, K=1, Pg=page.obj))
    document = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document,
                                                    K=pikepdf.Array([figure, para])))
    pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=document))
    _fix_structure(pdf)
    assert [str(el.S) for el in _walk(pdf.Root.StructTreeRoot)] == ["/Document", "/P"]
    ops = [(list(operands), str(op)) for operands, op in pikepdf.parse_content_stream(pdf.pages[0])]
    assert ([pikepdf.Name.Artifact], "BMC") in ops
    assert [op for operands, op in ops if op == "BDC"] == ["BDC"]  # the paragraph keeps its tag
