"""Generate the first version of each bundled house-style template (developer tool).

The committed templates/<style>/template.docx files are data: clerks restyle
them in Word or LibreOffice. This script only records how the starting
versions were made, so they can be regenerated after a deliberate change:

    python tools/make_templates.py            # rewrites templates/*/template.docx

It defines the style contract reportgen relies on (docxml.REQUIRED_STYLES),
A4 pages, en-GB as document language, a header carrying the classification
marking and a footer with "Page X of Y".
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Twips
from docx.styles import BabelFish

ROOT = Path(__file__).resolve().parent.parent
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

HOUSE: dict[str, dict[str, Any]] = {
    "herefordshire": {"font": "Arial", "size": 24, "heading_size": 28, "heading_caps": False,
                      "recommendation_bold": False, "lead_bold": True, "signature_caps": False, "title_caps": False},
    "oxfordshire": {"font": "Arial", "size": 22, "heading_size": 22, "heading_caps": False,
                    "recommendation_bold": True, "lead_bold": True, "signature_caps": True, "title_caps": True},
    "east-herts": {"font": "Arial", "size": 24, "heading_size": 24, "heading_caps": False,
                   "recommendation_bold": True, "lead_bold": True, "signature_caps": False, "title_caps": False},
}


def style(kind: str, sid: str, name: str, ppr: str = "", rpr: str = "", based: str | None = "Normal",
          extra: str = "") -> str:
    based_xml = f'<w:basedOn w:val="{based}"/>' if based else ""
    name = BabelFish.ui2internal(name)  # Word stores built-in names in lower case ("heading 2")
    return (f'<w:style {W_NS} w:type="{kind}" w:styleId="{sid}"><w:name w:val="{name}"/>{based_xml}'
            f'<w:qFormat/>{extra}<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>') if kind != "character" else (
            f'<w:style {W_NS} w:type="character" w:styleId="{sid}"><w:name w:val="{name}"/>'
            f'<w:rPr>{rpr}</w:rPr></w:style>')


def styles_xml(h: dict[str, Any]) -> list[str]:
    font = f'<w:rFonts w:ascii="{h["font"]}" w:hAnsi="{h["font"]}" w:cs="{h["font"]}"/>'
    size = f'<w:sz w:val="{h["size"]}"/><w:szCs w:val="{h["size"]}"/>'
    hsize = f'<w:sz w:val="{h["heading_size"]}"/><w:szCs w:val="{h["heading_size"]}"/>'
    caps = "<w:caps/>" if h["heading_caps"] else ""
    space = '<w:spacing w:before="0" w:after="160" w:line="264" w:lineRule="auto"/>'
    keep = "<w:keepNext/><w:keepLines/>"

    def heading(level: int, sz: str, before: int) -> str:
        return style("paragraph", f"Heading{level}", f"Heading {level}",
                     f'{keep}<w:spacing w:before="{before}" w:after="120"/><w:outlineLvl w:val="{level - 1}"/>',
                     f"<w:b/>{caps}{sz}", extra='<w:next w:val="BodyText"/>')

    def numbered_list(sid: str, name: str, num: int) -> str:
        return style("paragraph", sid, name, f'<w:numPr><w:numId w:val="{num}"/></w:numPr>'
                     '<w:spacing w:after="80"/>')

    return [
        style("paragraph", "Normal", "Normal", space, font + size, based=None),
        style("paragraph", "Title", "Title", f'{keep}<w:spacing w:before="120" w:after="240"/><w:outlineLvl w:val="0"/>',
              "<w:b/>" + ("<w:caps/>" if h["title_caps"] else "") + '<w:sz w:val="32"/><w:szCs w:val="32"/>'),
        heading(2, hsize, 240), heading(3, size, 200), heading(4, size, 160),
        style("paragraph", "BodyText", "Body Text"),
        style("paragraph", "NumberedParagraph", "Numbered Paragraph",
              '<w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs><w:ind w:left="720" w:hanging="720"/>'),
        style("paragraph", "ParagraphContinuation", "Paragraph Continuation", '<w:ind w:left="720"/>'),
        # Hanging indent and tab so a house style that numbers the lead-in (Oxfordshire) aligns it.
        style("paragraph", "RecommendationLead", "Recommendation Lead",
              keep + '<w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs><w:ind w:left="720" w:hanging="720"/>',
              "<w:b/>" if h["lead_bold"] else ""),
        style("paragraph", "Recommendation", "Recommendation",
              '<w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs><w:ind w:left="720" w:hanging="720"/>',
              "<w:b/>" if h["recommendation_bold"] else ""),
        numbered_list("ListBullet", "List Bullet", 1),
        numbered_list("ListNumber", "List Number", 2),
        numbered_list("ListLetter", "List Letter", 3),
        style("paragraph", "Quote", "Quote", '<w:ind w:left="1080" w:right="720"/>', "<w:i/>"),
        style("paragraph", "TableHeading", "Table Heading", '<w:spacing w:before="40" w:after="40"/>', "<w:b/>"),
        style("paragraph", "TableText", "Table Text", '<w:spacing w:before="40" w:after="40"/>'),
        style("paragraph", "Caption", "Caption", keep, "<w:b/>"),
        style("paragraph", "Signature", "Signature", '<w:spacing w:before="480" w:after="0"/>',
              "<w:b/>" + ("<w:caps/>" if h["signature_caps"] else "")),
        style("paragraph", "SignatureRole", "Signature Role", '<w:spacing w:after="240"/>'),
        style("paragraph", "Contact", "Contact", '<w:spacing w:after="0"/>'),
        style("paragraph", "FrontMatter", "Front Matter", '<w:spacing w:after="120"/>', "<w:b/>"),
        style("paragraph", "Header", "Header", '<w:jc w:val="right"/>', '<w:sz w:val="18"/>'),
        style("paragraph", "Footer", "Footer", '<w:jc w:val="center"/>', '<w:sz w:val="18"/>'),
        style("character", "Hyperlink", "Hyperlink", rpr='<w:color w:val="0563C1"/><w:u w:val="single"/>'),
        f'<w:style {W_NS} w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        '</w:tblCellMar></w:tblPr></w:style>',
        f'<w:style {W_NS} w:type="table" w:styleId="ReportTable"><w:name w:val="Report Table"/>'
        '<w:basedOn w:val="TableNormal"/><w:qFormat/><w:tblPr><w:tblBorders>'
        + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                  for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders></w:tblPr></w:style>",
    ]


def numbering_xml() -> str:
    def lvl(i: int, fmt: str, text: str, left: int) -> str:
        return (f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
                f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{left}" w:hanging="360"/></w:pPr></w:lvl>')

    bullets = "•–▪•–▪•–▪"
    absn = [
        "".join(lvl(i, "bullet", bullets[i], 1080 + 360 * i) for i in range(9)),
        "".join(lvl(i, f, t.format(i + 1), 1080 + 360 * i) for i, (f, t) in enumerate(
            [("decimal", "%{}."), ("lowerLetter", "(%{})"), ("lowerRoman", "(%{})")] * 3)),
        "".join(lvl(i, f, t.format(i + 1), 1080 + 360 * i) for i, (f, t) in enumerate(
            [("lowerLetter", "(%{})"), ("lowerRoman", "(%{})"), ("decimal", "%{}.")] * 3)),
    ]
    body = "".join(f'<w:abstractNum w:abstractNumId="{i}"><w:multiLevelType w:val="multilevel"/>{a}</w:abstractNum>'
                   for i, a in enumerate(absn, start=1))
    body += "".join(f'<w:num w:numId="{i}"><w:abstractNumId w:val="{i}"/></w:num>' for i in (1, 2, 3))
    return f"<w:numbering {W_NS}>{body}</w:numbering>"


def para(doc: Any, text: str, style: str = "Body Text") -> Any:
    p = doc.add_paragraph(style=style)
    if text:
        p.add_run(text)
    return p


def front_herefordshire(doc: Any) -> None:
    table = doc.add_table(rows=4, cols=2)
    table.style = doc.styles["Report Table"]
    # Labels come from the profile (text.labels, text.*_date_label), so the template holds no wording.
    rows = [("{{ labels.decision_maker }}", "{{ decision_maker }}"), ("{{ date_label }}", "{{ date_text }}"),
            ("{{ labels.title }}", "{{ title }}"), ("{{ labels.report_by }}", "{{ report_by }}")]
    for row, (label, value) in zip(table.rows, rows):
        row.cells[0].width, row.cells[1].width = Twips(2700), Twips(6326)
        row.cells[0].paragraphs[0].style = doc.styles["Front Matter"]
        row.cells[0].paragraphs[0].add_run(label)
        row.cells[1].paragraphs[0].style = doc.styles["Title" if value == "{{ title }}" else "Front Matter"]
        row.cells[1].paragraphs[0].add_run(value)
    for heading, value in (("{{ labels.classification }}", "{{ classification_text }}"),
                           ("{{ labels.decision_type }}", "{{ decision_type_text }}"),
                           ("{{ labels.wards }}", "{{ wards_text }}")):
        para(doc, heading, "Heading 2")
        para(doc, value)
        if value == "{{ classification_text }}":
            conditional(doc, "public_interest", ["{{ public_interest }}"])
        if value == "{{ decision_type_text }}":
            conditional(doc, "key_decision_statement", ["{{ key_decision_statement }}"])
            conditional(doc, "forward_plan_text", ["{{ forward_plan_text }}"])


def conditional(doc: Any, test: str, lines: list[str], style: str = "Body Text") -> None:
    """Paragraphs printed only when `test` is true (docxtpl {%p %} tags own their paragraph)."""
    para(doc, f"{{%p if {test} %}}")
    for line in lines:
        para(doc, line, style)
    para(doc, "{%p endif %}")


def front_oxfordshire(doc: Any) -> None:
    para(doc, "{{ committee|upper }} - {{ date_text|upper }}", "Front Matter")
    para(doc, "{{ title }}", "Title")
    para(doc, "{{ labels.report_by }} {{ report_by }}", "Front Matter")
    conditional(doc, "exempt", ["{{ classification_text }}", "{{ public_interest }}"])
    conditional(doc, "decision_type_text", ["{{ decision_type_text }}"])
    conditional(doc, "forward_plan_text", ["{{ forward_plan_text }}"])
    conditional(doc, "wards_text", ["{{ labels.wards }} {{ wards_text }}"])


def front_east_herts(doc: Any) -> None:
    para(doc, "{{ council|upper }}", "Front Matter")
    para(doc, "{{ committee|upper }} – {{ date_text|upper }}", "Front Matter")
    para(doc, "{{ labels.report_by }} {{ report_by|upper }}", "Front Matter")
    para(doc, "{{ title }}", "Title")
    para(doc, "{{ labels.wards }} {{ wards_text }}", "Front Matter")
    conditional(doc, "exempt", ["{{ classification_text }}", "{{ public_interest }}"])
    conditional(doc, "decision_type_text", ["{{ decision_type_text }}"], "Front Matter")
    conditional(doc, "forward_plan_text", ["{{ forward_plan_text }}"], "Front Matter")


FRONT = {"herefordshire": front_herefordshire, "oxfordshire": front_oxfordshire, "east-herts": front_east_herts}


def field(paragraph: Any, instr: str) -> None:
    paragraph._p.append(parse_xml(
        f'<w:fldSimple {W_NS} w:instr=" {instr} "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def base_document(name: str) -> Any:
    """A document with the house style's named styles, list numbering, A4 page, header and footer."""
    doc = docx.Document()
    styles = doc.styles.element
    for child in list(styles):
        if child.tag in (qn("w:style"), qn("w:latentStyles")):
            styles.remove(child)
    for xml in styles_xml(HOUSE[name]):
        styles.append(parse_xml(xml))
    lang = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    lang.set(qn("w:val"), "en-GB")
    lang.set(qn("w:eastAsia"), "en-GB")

    numbering = doc.part.numbering_part
    numbering._element = parse_xml(numbering_xml())

    section = doc.sections[0]
    section.page_width, section.page_height = Twips(11906), Twips(16838)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Twips(1440))

    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    header.add_run("{{ classification_marking }}{{ draft_marking }}")
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.add_run("Page ")
    field(footer, "PAGE")
    footer.add_run(" of ")
    field(footer, "NUMPAGES")
    return doc


def save(doc: Any, name: str, filename: str) -> Path:
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):  # Word 2010 leftover that would keep stale styles
            doc.part.drop_rel(rid)
    props = doc.core_properties
    props.author = props.last_modified_by = ""
    props.title = props.subject = props.keywords = props.comments = ""
    props.language = "en-GB"
    out = ROOT / "templates" / name / filename
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def make(name: str) -> Path:
    doc = base_document(name)
    FRONT[name](doc)
    para(doc, "{{p body }}")
    return save(doc, name, "template.docx")


def make_agenda(name: str) -> Path:
    """The agenda front sheet: meeting details, then the items as {{p body }}."""
    doc = base_document(name)
    para(doc, "{{ council }}", "Front Matter")
    para(doc, "{{ title }}", "Title")
    para(doc, "Date: {{ date_text }}")
    # a record with no meeting (the forward plan) has no time or venue: print no empty label
    conditional(doc, "time", ["Time: {{ time }}"])
    conditional(doc, "venue", ["Venue: {{ venue }}"])
    para(doc, "Published: {{ publication_date_text }}")
    para(doc, "{{p body }}")
    return save(doc, name, "agenda.docx")


if __name__ == "__main__":
    for style_name in sys.argv[1:] or list(HOUSE):
        print(make(style_name))
        print(make_agenda(style_name))
