"""`reportgen import`: built reports come back as the same content; officer-typed documents come in with their
text; hostile documents get a located error or a warning, never a traceback."""
from __future__ import annotations

import io
import shutil
import struct
import time
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from reportgen.errors import ContentError
from reportgen.importer.run import import_file, import_folder, summary_table
from reportgen.pipeline import render_report
from reportgen.style.settings import DEFAULTS, Settings

from .docxtext import docx_lines, seed_lines
from .handtyped import typed
from .importnorm import load_folder, normalised

ROOT = Path(__file__).resolve().parent.parent
#: ../shared/seeds beside the checkout (a worktree sits one folder deeper)
SEEDS = next(p / "shared" / "seeds" for p in ROOT.parents if (p / "shared" / "seeds").is_dir())
EXAMPLES = sorted(p.parent for p in (ROOT / "content" / "examples").rglob("report.yaml"))


def built(folder: Path, tmp_path: Path) -> Path:
    _, data = render_report(folder)
    out = tmp_path / f"{folder.name}.docx"
    out.write_bytes(data)
    return out


@pytest.mark.parametrize("folder", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_import_of_a_built_report_gives_the_same_content(folder: Path, tmp_path: Path) -> None:
    """import(build(content)) == content as normalised data, the style guessed, nothing left over."""
    result = import_file(built(folder, tmp_path), DEFAULTS, out=tmp_path / "imported")
    assert result.imported.leftovers == []
    original = normalised(*load_folder(folder))
    assert original["style"] == result.imported.style
    assert normalised(*load_folder(tmp_path / "imported")) == original
    assert "Everything was placed." in (tmp_path / "imported" / "import-report.md").read_text(encoding="utf-8")


def test_the_clearance_table_comes_back_as_unbound_reviewers(tmp_path: Path) -> None:
    folder = ROOT / "content" / "examples" / "models" / "herefordshire-2026-12-library-opening-hours"
    result = import_file(built(folder, tmp_path), DEFAULTS, out=tmp_path / "imported")
    signed = yaml.safe_load((folder / "signoff.yaml").read_text(encoding="utf-8"))
    reviewers = result.imported.data["reviewers"]
    assert {r["role"] for r in reviewers} == {"Governance", "Finance", "Legal", "Equality"}
    assert all(r["name"] in str(signed) for r in reviewers)
    assert sorted(p.name for p in (tmp_path / "imported").iterdir()) == ["import-report.md", "report.yaml"]


def test_typed_cross_references_become_labels_where_found(tmp_path: Path) -> None:
    folder = ROOT / "content" / "examples" / "models" / "herefordshire-2026-12-library-opening-hours"
    result = import_file(built(folder, tmp_path), DEFAULTS, out=tmp_path / "imported")
    text = (tmp_path / "imported" / "report.yaml").read_text(encoding="utf-8")
    assert "paragraph [[p11]]" in text and "label: p11" in text
    seed = import_file(built(ROOT / "content/examples/seeds/oxfordshire-2019-12-ict-strategy", tmp_path),
                       DEFAULTS, out=tmp_path / "seed")
    missing = [n for n in seed.imported.notes if "paragraph 3.17" in n.why]
    assert len(missing) == 1 and missing[0].number > 0  # the seed's real dangling reference, kept as typed
    assert "paragraph 3.17" in (tmp_path / "seed" / "report.yaml").read_text(encoding="utf-8")
    del result


# --- documents typed by an officer ----------------------------------------------------------------

#: (seed, headings, numbers, extras, least share of the seed's lines the rebuilt report keeps)
TYPED = [
    ("000_9a6465098b38d055.txt", "bold", "typed", {"reviewers": True}, 1.0),
    ("002_7fd9f3529ba5e005.txt", "styles", "word", {"comment": True}, 0.95),
    ("004_465101772ae76ce2.txt", "styles", "typed", {}, 1.0),
]


@pytest.mark.parametrize("seed,headings,numbers,extras,coverage", TYPED, ids=[c[0][:3] for c in TYPED])
def test_an_officer_typed_report_keeps_its_text(seed: str, headings: str, numbers: str, extras: dict[str, bool],
                                                coverage: float, tmp_path: Path) -> None:
    source = typed(SEEDS / seed, tmp_path / "typed.docx", headings, numbers, **extras)
    result = import_file(source, DEFAULTS, out=tmp_path / "imported")
    assert len(result.imported.sections) >= 5
    _, data = render_report(tmp_path / "imported", draft=True)
    (tmp_path / "rebuilt.docx").write_bytes(data)
    text = docx_lines(tmp_path / "rebuilt.docx").casefold()
    lines = [line.casefold() for line in seed_lines(SEEDS / seed)]
    kept = [line for line in lines if line in text]
    assert len(kept) / len(lines) >= coverage, [line for line in lines if line not in text]
    report = (tmp_path / "imported" / "import-report.md").read_text(encoding="utf-8")
    for leftover in result.imported.leftovers:  # each located by paragraph number and a quote
        assert f"paragraph {leftover.number}: \"" in report
    if extras.get("reviewers"):
        assert [r["role"] for r in result.imported.data["reviewers"]] == ["Governance", "Finance", "Legal"]
    if extras.get("comment"):
        assert "Check this figure with finance." in report and len(result.imported.comments) == 1
        assert result.imported.comments[0].anchored.strip()
        assert "Check this figure" not in (tmp_path / "imported" / "report.yaml").read_text(encoding="utf-8")


def test_tracked_changes_are_refused_with_what_to_do(tmp_path: Path) -> None:
    source = typed(SEEDS / "004_465101772ae76ce2.txt", tmp_path / "tracked.docx", "styles", "typed", tracked=True)
    with pytest.raises(ContentError, match=r"tracked change\(s\); accept or reject them"):
        import_file(source, DEFAULTS, out=tmp_path / "imported")
    assert not (tmp_path / "imported").exists()


def test_formatting_becomes_the_markdown_subset(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Herefordshire Council")
    document.add_heading("Purpose and summary", 1)
    p = document.add_paragraph("Plain, ")
    p.add_run("bold").bold = True
    p.add_run(", ")
    p.add_run("italic").italic = True
    p.add_run(", CO")
    p.add_run("2").font.subscript = True
    p.add_run(" and the 4")
    p.add_run("th").font.superscript = True
    p.add_run(".")
    document.add_paragraph("A list:")
    document.add_paragraph("outer", style="List Bullet")
    document.add_paragraph("inner", style="List Bullet 2")
    document.add_paragraph("Said in a quote.", style="Quote")
    document.add_heading("Key considerations", 1)
    document.add_paragraph("1. The figures are:")
    table = document.add_table(rows=3, cols=2)
    for row, values in zip(table.rows, [("Item", "Cost"), ("Doors", "31,000"), ("Total", "31,000")]):
        for cell, value in zip(row.cells, values):
            cell.paragraphs[0].add_run(value).bold = values[0] in ("Item", "Total")
    document.save(str(tmp_path / "f.docx"))
    data = import_file(tmp_path / "f.docx", DEFAULTS, "herefordshire", tmp_path / "out").imported.data
    purpose = data["purpose"]
    assert purpose[0]["text"] == "Plain, **bold**, *italic*, CO~2~ and the 4^th^."
    assert purpose[1]["text"] == "A list:\n\n- outer\n  - inner\n\n> Said in a quote."
    block = data["key_considerations"][0]
    assert block["text"] == "The figures are:"
    assert block["table"] == {"columns": ["Item", "Cost"], "rows": [["Doors", 31000]], "total": ["Total", 31000]}


# --- hostile documents ----------------------------------------------------------------------------

def _zip(path: Path, parts: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _doc(body: str) -> str:
    return ('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<w:body>{body}</w:body></w:document>")


@pytest.mark.parametrize("name,parts,message", [
    ("malformed", {"word/document.xml": "<w:document><w:body><w:p>"}, r"word/document.xml: not well-formed XML"),
    ("missing-part", {"word/styles.xml": _doc("")}, r"no word/document.xml"),
    ("deep", {"word/document.xml": _doc("<w:sdt><w:sdtContent>" * 400 + "</w:sdtContent></w:sdt>" * 400)},
     r"not well-formed XML \(.*depth"),
    ("not-a-zip", {}, r"not a Word \(\.docx\) file"),
    ("bomb", {"word/document.xml": _doc("<w:p/>" + " " * 3_000_000)}, r"zip bomb"),
])
def test_a_broken_document_is_a_located_error(name: str, parts: dict[str, str], message: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.docx"
    if parts:
        _zip(path, parts)
    else:
        path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(ContentError, match=message) as raised:
        import_file(path, DEFAULTS, "herefordshire", tmp_path / "out")
    assert str(raised.value).startswith(f"{path}:")
    assert not (tmp_path / "out").exists()


def test_a_document_in_no_known_style_is_refused_unless_a_style_is_given(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Minutes of the allotment society")
    document.add_paragraph("The society met on Tuesday.")
    document.save(str(tmp_path / "other.docx"))
    with pytest.raises(ContentError, match=r"matches no known house style.*--style"):
        import_file(tmp_path / "other.docx", DEFAULTS, out=tmp_path / "out")
    result = import_file(tmp_path / "other.docx", DEFAULTS, "herefordshire", tmp_path / "out")
    assert result.imported.leftovers  # nothing placed, all of it listed
    assert any("no title was found" in str(n) or "title" in n.why for n in result.imported.notes)


def test_a_huge_table_is_read_quickly(tmp_path: Path) -> None:
    rows = "".join(f"<w:tr><w:tc><w:p><w:r><w:t>Item {i}</w:t></w:r></w:p></w:tc>"
                   f"<w:tc><w:p><w:r><w:t>{i}</w:t></w:r></w:p></w:tc></w:tr>" for i in range(20_000))
    body = ('<w:p><w:r><w:t>Herefordshire Council</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>'
            '<w:r><w:t>Key considerations</w:t></w:r></w:p>'
            '<w:p><w:r><w:t>1. The items are:</w:t></w:r></w:p>' f"<w:tbl>{rows}</w:tbl>")
    path = _zip(tmp_path / "huge.docx", {"word/document.xml": _doc(body)})
    # Not a timing test: a quadratic walk of 20,000 rows would take many minutes, so a generous bound
    # tells a hang from a slow shared machine.
    start = time.perf_counter()
    result = import_file(path, DEFAULTS, "herefordshire", tmp_path / "out")
    assert time.perf_counter() - start < 120
    table = result.imported.data["key_considerations"][0]["table"]
    assert len(table["rows"]) == 20_000 and table["columns"] == ["Column 1", "Column 2"]  # no header row typed


def _png() -> bytes:
    """A one-pixel PNG, with real chunk checksums (python-docx reads its header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + \
        chunk(b"IEND", b"")


def test_images_are_extracted_and_links_never_fetched_nor_fields_run(tmp_path: Path) -> None:
    png = _png()
    document = docx.Document()
    document.add_paragraph("Herefordshire Council")
    document.add_heading("Purpose and summary", 1)
    picture = document.add_paragraph().add_run().add_picture(io.BytesIO(png))
    picture._inline.docPr.set("descr", "Map of the six libraries")
    linked = document.add_paragraph().add_run().add_picture(io.BytesIO(png))
    rid = document.part.relate_to("http://attacker.example/track.png",
                                  "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image",
                                  is_external=True)
    blip = linked._inline.graphic.graphicData.pic.blipFill.blip
    del blip.attrib[qn("r:embed")]
    blip.set(qn("r:link"), rid)
    field = document.add_paragraph("Total: ")
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), 'INCLUDETEXT "http://attacker.example/x.docx"')
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "£31,000"
    r.append(t)
    simple.append(r)
    field._p.append(simple)
    document.save(str(tmp_path / "images.docx"))
    result = import_file(tmp_path / "images.docx", DEFAULTS, out=tmp_path / "out")
    assert [(i.name, i.alt) for i in result.imported.images] == [("image-1.png", "Map of the six libraries")]
    assert (tmp_path / "out" / "images" / "image-1.png").read_bytes() == png
    notes = " ".join(n.why for n in result.imported.notes)
    assert "http://attacker.example/track.png was not fetched" in notes
    assert "field code `INCLUDETEXT" in notes and "never run" in notes
    assert "Total: £31,000" in str(result.imported.data["purpose"])
    report = (tmp_path / "out" / "import-report.md").read_text(encoding="utf-8")
    assert 'alt text "Map of the six libraries"' in report


def test_a_folder_is_imported_file_by_file_with_a_summary(tmp_path: Path) -> None:
    source = tmp_path / "word"
    source.mkdir()
    built(ROOT / "content/examples/seeds/herefordshire-2019-09-digital-strategy", source)
    (source / "broken.docx").write_bytes(b"not a zip")
    seen: list[str] = []
    results = import_folder(source, DEFAULTS, out=tmp_path / "out", done=lambda p: seen.append(p.name))
    assert seen == ["broken.docx", "herefordshire-2019-09-digital-strategy.docx"]
    table = summary_table(results)
    assert table[0].split() == ["file", "style", "sections", "matched", "left", "over"]
    assert table[2].split()[1:4] == ["herefordshire", "12", "0"]  # style, sections matched, nothing left over
    assert "broken.docx" in table[1] and "failed: " in table[1]
    assert (tmp_path / "out" / "herefordshire-2019-09-digital-strategy" / "report.yaml").is_file()


def test_a_style_may_declare_more_aliases(tmp_path: Path) -> None:
    """A heading only the council's own `aliases:` name is matched to its section."""
    styles = tmp_path / "styles"
    shutil.copytree(ROOT / "templates" / "herefordshire", styles / "herefordshire")
    profile = styles / "herefordshire" / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace("{key: key_considerations, heading: Key considerations}",
                                    "{key: key_considerations, heading: Key considerations, "
                                    "aliases: [The proposal in detail]}"), encoding="utf-8")
    document = docx.Document()
    document.add_paragraph("Herefordshire Council")
    document.add_heading("Purpose and summary", 1)
    document.add_paragraph("To agree the proposal.")
    document.add_heading("The proposal in detail", 1)
    document.add_paragraph("1. The proposal is set out here.")
    document.save(str(tmp_path / "aliased.docx"))
    plain = import_file(tmp_path / "aliased.docx", DEFAULTS, "herefordshire", tmp_path / "plain").imported
    assert "key_considerations" not in plain.data
    found = import_file(tmp_path / "aliased.docx", Settings.with_styles(styles), "herefordshire", tmp_path / "own")
    assert found.imported.data["key_considerations"] == [{"text": "The proposal is set out here."}]
    assert [(f.spec.keys, f.how) for f in found.imported.sections][-1] == (["key_considerations"], "alias")
