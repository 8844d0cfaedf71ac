"""Built DOCX structure: text survives exactly, numbering, lists, links, tables, template properties."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

from reportgen.pipeline import render_report

from reportgen.content.load import find_reports

from .conftest import FIXTURES, MINIMAL, ROOT, SPECIAL, write_report
from .docxtext import read

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def built(folder: Path, tmp_path: Path) -> Path:
    _, data = render_report(folder)
    out = tmp_path / f"{folder.name}.docx"
    out.write_bytes(data)
    return out


@pytest.fixture
def special(tmp_path: Path) -> Path:
    return built(FIXTURES / "special-characters", tmp_path)


def test_special_characters_survive_exactly_and_content_is_never_a_template(special: Path) -> None:
    paras, _ = read(special)
    text = "\n".join(p.text for p in paras)
    assert "Fees & charges <2027> \"review\" – ‘café’ £5 “quoted” é {{ title }}" in text
    assert "Text with & < > \" ' £ – “ ” é and {{ x }} and {% if y %}raw{% endif %} and {# c #} survives." in text
    assert "Cabinet member: finance & <corporate> services" in text
    assert "O'Brien & Partners" in text
    assert "Café <upgrade>" in text


def test_core_properties_are_set_after_rendering_without_double_escaping(special: Path) -> None:
    props = docx.Document(str(special)).core_properties
    assert props.title == "Fees & charges <2027> \"review\" – ‘café’ £5 “quoted” é {{ title }}"
    assert props.language == "en-GB"
    assert props.author == "Herefordshire Council"
    assert props.comments == ""


EXAMPLES = find_reports([ROOT / "content" / "examples"])


@pytest.mark.parametrize("folder", [FIXTURES / "special-characters", *EXAMPLES],
                         ids=["special-characters", *[f.name for f in EXAMPLES]])
def test_every_xml_part_parses_without_recovery(folder: Path, tmp_path: Path) -> None:
    parser = etree.XMLParser(recover=False)
    with zipfile.ZipFile(built(folder, tmp_path)) as z:
        names = [n for n in z.namelist() if n.endswith((".xml", ".rels"))]
        assert "word/document.xml" in names and "word/styles.xml" in names
        for name in names:
            etree.fromstring(z.read(name), parser)


def test_markdown_becomes_runs_lists_links_and_tables(special: Path) -> None:
    doc = etree.fromstring(zipfile.ZipFile(special).read("word/document.xml"))
    texts = "".join(t.text or "" for t in doc.iter(f"{W}t"))
    assert "**" not in texts and "*italic*" not in texts
    bold = [r for r in doc.iter(f"{W}r") if r.find(f"{W}rPr/{W}b") is not None]
    assert "bold" in ["".join(t.text for t in r.iter(f"{W}t")) for r in bold]
    links = list(doc.iter(f"{W}hyperlink"))
    assert ["".join(t.text for t in link.iter(f"{W}t")) for link in links] == ["a link"]
    rels = zipfile.ZipFile(special).read("word/_rels/document.xml.rels").decode()
    assert 'Target="https://example.org/?a=1&amp;b=2"' in rels
    paras, _ = read(special)
    levels = {p.text: (p.style, p.level) for p in paras if p.level is not None}
    assert levels["first & <one>"] == ("List Bullet", 0)
    assert levels["nested \"deep\""] == ("List Bullet", 1)
    assert levels["lettered one"][0] == "List Letter"
    cells = [p.text for p in paras if p.in_table]
    cells = cells[cells.index("Column &"):]  # after the front-matter table
    assert cells[:4] == ["Column &", "Value <", "a “cell”", "1"]
    assert cells[4:] == ["Item & cost", "£000s", "Café <upgrade>", "10", "Boiler – “new”", "15", "Total", "25"]


def test_table_header_rows_repeat_and_totals_are_bold(special: Path) -> None:
    doc = etree.fromstring(zipfile.ZipFile(special).read("word/document.xml"))
    tables = list(doc.iter(f"{W}tbl"))[1:]  # the first is the front-matter table
    assert len(tables) == 2
    for tbl in tables:
        rows = tbl.findall(f"{W}tr")
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])
    total = tables[1].findall(f"{W}tr")[-1]
    assert all(r.find(f"{W}rPr/{W}b") is not None for r in total.iter(f"{W}r"))


def test_each_ordered_list_restarts(tmp_path: Path) -> None:
    folder = write_report(tmp_path / "lists", MINIMAL + "key_considerations:\n"
                          "  - \"One:\\n\\n1. a\\n2. b\"\n  - \"Two:\\n\\n1. c\\n2. d\"\n")
    doc = etree.fromstring(zipfile.ZipFile(built(folder, tmp_path)).read("word/document.xml"))
    num_ids = [p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val") for p in doc.iter(f"{W}p")
               if p.find(f"{W}pPr/{W}numPr") is not None]
    assert len(num_ids) == 4
    assert num_ids[0] == num_ids[1] and num_ids[2] == num_ids[3] and num_ids[0] != num_ids[2]
    numbering = etree.fromstring(zipfile.ZipFile(built(folder, tmp_path)).read("word/numbering.xml"))
    restarted = {n.get(f"{W}numId") for n in numbering.iter(f"{W}num")
                 if n.find(f"{W}lvlOverride/{W}startOverride") is not None}
    assert set(num_ids) <= restarted


def test_section_numbering_and_cross_references(tmp_path: Path) -> None:
    paras, _ = read(built(FIXTURES / "cross-references", tmp_path))
    texts = [p.text for p in paras if p.text]
    assert "(A)\tThat the approach in paragraph 1.2 be agreed; and" in texts
    assert "(B)\tThat recommendation (A) be reviewed in a year." in texts
    assert "1.0 Background" in texts and "1.1\tFirst paragraph." in texts and "1.2\tThe approach." in texts
    assert "2.0 Second section" in texts
    assert "2.1\tSecond section, first paragraph refers to 1.2 and 3.1." in texts
    assert "3.0 Options" in texts and "3.1\tDo nothing: not recommended." in texts


def test_continuous_numbering_runs_across_sections(tmp_path: Path) -> None:
    folder = write_report(tmp_path / "c", MINIMAL + "reasons: [First., Second.]\nlegal: Third.\n"
                          "key_considerations:\n  - text: Intro.\n    numbered: false\n  - Fourth.\n")
    texts = [p.text for p in read(built(folder, tmp_path))[0]]
    numbered = [t for t in texts if t[:1].isdigit()]
    assert numbered == ["1.\tFirst.", "2.\tSecond.", "3.\tFourth.", "4.\tThird."]
    assert "Intro." in texts


def test_template_page_setup_language_header_and_footer(special: Path) -> None:
    with zipfile.ZipFile(special) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
        styles = z.read("word/styles.xml").decode()
        headers = " ".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/header"))
        footers = " ".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
    size = doc.find(f".//{W}sectPr/{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")  # A4
    assert 'w:lang w:val="en-GB"' in styles
    assert ">Open<" in headers  # the classification marking
    assert 'w:instr=" PAGE "' in footers and 'w:instr=" NUMPAGES "' in footers


def test_same_content_gives_same_bytes(tmp_path: Path) -> None:
    _, first = render_report(FIXTURES / "special-characters")
    _, second = render_report(FIXTURES / "special-characters")
    assert first == second


def test_special_fixture_contains_the_standard_test_characters() -> None:
    text = (FIXTURES / "special-characters" / "report.yaml").read_text(encoding="utf-8")
    assert all(ch in text for ch in SPECIAL.split())


def test_no_editing_or_personal_metadata_is_published(special: Path) -> None:
    with zipfile.ZipFile(special) as z:
        names = z.namelist()
        parts = {n: z.read(n) for n in names}
    assert not [n for n in names if "thumbnail" in n or "comments" in n]
    assert b"thumbnail" not in parts["_rels/.rels"]
    assert all(b"w:rsid" not in data for name, data in parts.items() if name.startswith("word/"))
    app = parts["docProps/app.xml"].decode()
    assert "<Application>reportgen</Application>" in app
    assert "Macintosh" not in app and "<Company>" not in app and "<Manager>" not in app


def test_comments_and_revision_ids_left_in_a_template_are_scrubbed(tmp_path: Path) -> None:
    from reportgen.docx.scrub import scrub_part

    doc = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           b'<w:p w:rsidR="00FC693F" w:rsidRDefault="00B47730"><w:commentRangeStart w:id="0"/><w:r><w:t>Text</w:t>'
           b'</w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p></w:body></w:document>')
    cleaned = scrub_part("word/document.xml", doc)
    assert cleaned is not None
    assert b"rsid" not in cleaned and b"comment" not in cleaned and b"<w:t>Text</w:t>" in cleaned
    comments = (b'<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                b'<w:comment w:id="0" w:author="jbloggs"><w:p><w:r><w:t>Check this</w:t></w:r></w:p></w:comment>'
                b'</w:comments>')
    assert b"jbloggs" not in (scrub_part("word/comments.xml", comments) or b"")
    settings = b'<w:settings><w:rsids><w:rsidRoot w:val="00B47730"/></w:rsids><w:zoom/></w:settings>'
    assert scrub_part("word/settings.xml", settings) == b"<w:settings><w:zoom/></w:settings>"
    assert scrub_part("docProps/thumbnail.jpeg", b"\xff\xd8") is None



def _same_package_as_docxtpl_saves(folder: Path, monkeypatch: pytest.MonkeyPatch, *settings: Any) -> bytes:
    from reportgen.docx import render as rendering

    _, collected = render_report(folder, *settings)
    monkeypatch.setattr(rendering, "_parts", rendering._saved_parts)
    _, saved = render_report(folder, *settings)
    assert collected == saved
    return saved


@pytest.mark.parametrize("folder", [FIXTURES / "special-characters", *EXAMPLES],
                         ids=["special-characters", *[f.name for f in EXAMPLES]])
def test_the_package_is_the_one_docxtpl_would_save(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rendering zips the parts python-docx's package writer hands over, once, instead of letting docxtpl
    save a zip that is then inflated and zipped again: the bytes must be those of docxtpl's own save,
    normalised, part for part and in its order."""
    _same_package_as_docxtpl_saves(folder, monkeypatch)


def test_the_package_with_a_logo_is_the_one_docxtpl_would_save(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same where rendering adds a part of its own: the fixture house style's logo (word/media)."""
    from .test_house_styles import PATH, REPORT

    saved = _same_package_as_docxtpl_saves(REPORT, monkeypatch, PATH)
    with zipfile.ZipFile(io.BytesIO(saved)) as z:
        assert any(n.startswith("word/media/") for n in z.namelist())
