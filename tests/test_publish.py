"""reportgen publish: packs, front sheet, manifest, exempt papers kept out, the gate, idempotence."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pikepdf
import pytest

from reportgen.cli import main
from reportgen.pdf.inspect import inspect
from reportgen.errors import PublishRefused
from reportgen.publish.run import publish
from reportgen.pipeline import sign

from .conftest import ROOT

MEETING = ROOT / "content" / "examples" / "meetings" / "2026-12-15-cabinet.yaml"
TODAY = dt.date(2026, 11, 21)
EXEMPT_PHRASES = ("HERON-LAND-4482", "ZEBRA-PRICE-7731")


def pdftext(path: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-layout"] + (["-f", str(first), "-l", str(last)] if first else []) + [str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("publish")
    result = publish(MEETING, out, today=TODAY)
    assert result.written
    return result.folder


def test_every_generated_pdf_is_tagged_with_title_and_language(published: Path) -> None:
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    generated = [d for d in manifest["documents"] if d["kind"] != "supporting"]
    assert {d["kind"] for d in generated} == {"front-sheet", "report", "appendix", "pack", "private-pack"}
    for doc in generated:
        report = inspect(published / doc["file"])
        assert report.tagged, doc["file"]
        assert report.lang == "en-GB", doc["file"]
        assert report.title and report.display_doc_title and report.pdfua, doc["file"]
        assert doc["tagged"] is True


def test_the_pack_keeps_every_report_structure_tree(published: Path) -> None:
    with pikepdf.open(published / "agenda-pack.pdf") as pdf:
        root = pdf.Root.StructTreeRoot
        parts = list(root.K.K)
        assert len(parts) >= 3  # front sheet, report, open appendix (the supporting PDF is untagged)
        keys = {int(page.obj.StructParents) for page in pdf.pages if "/StructParents" in page.obj}
        nums = root.ParentTree.Nums
        tree_keys = {int(nums[i]) for i in range(0, len(nums), 2)}
        assert keys and keys <= tree_keys


def test_page_labels_printed_numbers_and_front_sheet_pages_agree(published: Path) -> None:
    pack = published / "agenda-pack.pdf"
    with pikepdf.open(pack) as pdf:
        count = len(pdf.pages)
        assert list(pdf.Root.PageLabels.Nums) == [0, pikepdf.Dictionary(S=pikepdf.Name.D, St=1)]
    for page in range(1, count + 1):
        assert f"Agenda pack page {page}" in pdftext(pack, page, page)
    front = pdftext(published / "00-agenda-front-sheet.pdf")
    ranges = {int(m.group(1)): int(m.group(2)) for m in re.finditer(r"Pages (\d+) to (\d+)", front)}
    singles = [int(m.group(1)) for m in re.finditer(r"\bPage (\d+)\n", front)]
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    report = next(d for d in manifest["documents"] if d["item"] == 5 and d["kind"] == "report")
    first = min(ranges)
    assert "AWARD OF THE HIGHWAYS DRAINAGE" in pdftext(pack, first, first)
    assert ranges[first] == first + report["pages"]  # the report, then its one-page open Annex A
    assert singles == [2] and "minutes of the meeting held on 17 November 2026" in pdftext(pack, 2, 2)


def test_one_bookmark_per_item_with_the_report_headings_nested(published: Path) -> None:
    with pikepdf.open(published / "agenda-pack.pdf") as pdf, pdf.open_outline() as outline:
        top = [item.title for item in outline.root]
        item5 = next(item for item in outline.root if item.title.startswith("5."))
        nested = [child.title for child in item5.children]
    assert top[0] == "Cabinet: agenda"
    assert [t.split(".")[0] for t in top[1:]] == ["1", "2", "3", "4", "5", "6"]
    assert top[6].endswith("(not for publication)")
    assert nested[0] == "Award of the highways drainage maintenance contract 2027 to 2031"
    assert any(title.startswith("Annex A") for title in nested)


def test_exempt_phrases_never_reach_public_papers(published: Path) -> None:
    public = [p for p in published.rglob("*") if p.is_file() and "private" not in p.parts]
    assert {p.name for p in public} >= {"agenda-pack.pdf", "00-agenda-front-sheet.pdf", "manifest.json",
                                        "index.html", "05-award-of-the-highways-drainage-maintenance-contr.html"}
    for path in public:
        data = path.read_bytes()
        text = pdftext(path) if path.suffix == ".pdf" else data.decode("utf-8")
        for phrase in EXEMPT_PHRASES:
            assert phrase.encode() not in data and phrase not in text, (phrase, path)
    private = pdftext(published / "private" / "private-pack.pdf")
    assert all(phrase in private for phrase in EXEMPT_PHRASES)
    front = pdftext(published / "00-agenda-front-sheet.pdf")
    assert "Disposal of the former Marsh Leys highways depot" in front
    assert "paragraph 3 of Part 1 of Schedule 12A" in front


def test_the_meeting_page_lists_items_and_keeps_exempt_items_to_title_and_paragraph(published: Path) -> None:
    doc = lxml.html.parse(str(published / "index.html")).getroot()
    items = doc.cssselect("li.agenda-item")
    assert [li.get("id") for li in items] == [f"item-{n}" for n in range(1, 7)]
    open_item, exempt = items[4], items[5]
    links = [a.get("href") for a in open_item.cssselect("a")]
    assert links == ["05-award-of-the-highways-drainage-maintenance-contr.html",
                     "05-award-of-the-highways-drainage-maintenance-contr.pdf",
                     "05-award-of-the-highways-drainage-maintenance-contr-appendix-a.pdf"]
    assert all((published / href).is_file() for href in links)
    assert re.search(r"\(PDF, \d+ KB, 5 pages\)", open_item.text_content())
    assert "Key decision (forward plan reference 2026/123)" in open_item.text_content() and "key" in open_item.get("class")
    # The exempt item: its title and the Schedule 12A line, nothing else.
    assert not exempt.cssselect("a") and [p.text_content() for p in exempt.cssselect("p")] == [
        "Not for publication: exempt information under paragraph 3 of Part 1 of Schedule 12A to the Local "
        "Government Act 1972. The report is not included in the public pack."]
    assert exempt.cssselect("h3")[0].text_content() == "6. Disposal of the former Marsh Leys highways depot"
    assert not list(published.rglob("06-*.html"))
    assert doc.cssselect("ul.members li")[4].text == "Councillor Tom O'Donnell"
    assert doc.cssselect("p.pack a")[0].get("href") == "agenda-pack.pdf"
    assert doc.cssselect("footer a")[0].get("href") == "https://www.oxfordshire.example/accessibility"
    report = lxml.html.parse(str(published / links[0])).getroot()
    assert [a.get("href") for a in report.cssselect("footer a")] == [links[1], "index.html"]
    annexes = report.cssselect("#report-body p.body-text a")
    assert [a.get("href") for a in annexes] == [links[2]]  # Annex A links to its PDF; exempt Annex B does not


def test_every_private_page_is_marked_not_for_publication(published: Path) -> None:
    pack = published / "private" / "private-pack.pdf"
    with pikepdf.open(pack) as pdf:
        count = len(pdf.pages)
    for page in range(1, count + 1):
        assert "NOT FOR PUBLICATION – paragraph 3 of Schedule 12A" in pdftext(pack, page, page)


def test_manifest_describes_each_document(published: Path) -> None:
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    docs = {d["file"]: d for d in manifest["documents"]}
    depot = next(d for d in docs.values() if d["item"] == 6 and d["kind"] == "report")
    assert depot["restricted"] is True and depot["schedule_12a_paragraphs"] == [3]
    assert depot["file"].startswith("private/")
    highways = next(d for d in docs.values() if d["item"] == 5 and d["kind"] == "report")
    assert highways["key_decision"] is True and highways["forward_plan_ref"] == "2026/123"
    minutes = next(d for d in docs.values() if d["kind"] == "supporting")
    assert minutes["tagged"] is False and minutes["accessibility_problems"]
    for name, doc in docs.items():
        path = published / name
        assert doc["sha256"] == __import__("hashlib").sha256(path.read_bytes()).hexdigest()
        assert doc["committee"] == "Cabinet" and doc["publication_date"] == "2026-12-04"
        with pikepdf.open(path) as pdf:
            assert doc["pages"] == len(pdf.pages)


def test_republishing_unchanged_content_rewrites_nothing(published: Path) -> None:
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in published.rglob("*") if p.is_file()}
    result = publish(MEETING, published.parent, today=TODAY)
    assert not result.written
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in published.rglob("*") if p.is_file()}
    assert after == before


def test_an_interrupted_publish_leaves_the_previous_output(published: Path, monkeypatch) -> None:
    before = {p: p.read_bytes() for p in published.rglob("*") if p.is_file()}

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("reportgen.publish.run.make_manifest", crash)
    with pytest.raises(KeyboardInterrupt):
        publish(MEETING, published.parent, today=TODAY, draft=True)
    assert {p: p.read_bytes() for p in published.rglob("*") if p.is_file()} == before
    assert [p.name for p in published.parent.iterdir() if p.name.startswith(".2026")] == []


def _meeting(tmp_path: Path, report: Path) -> Path:
    """The example meeting, moved to tmp_path, with `report` as its only report."""
    meeting = tmp_path / "meeting.yaml"
    text = MEETING.read_text(encoding="utf-8")
    minutes = MEETING.parent / "minutes-2026-11-17.pdf"
    text = re.sub(r"  - report: .*\n", "", text).replace("file: minutes-2026-11-17.pdf", f"file: {minutes}")
    items, rest = text.split("members:\n")  # the agenda's items come before the membership
    meeting.write_text(items + f"  - report: {report}\nmembers:\n" + rest, encoding="utf-8")
    return meeting


def test_publish_refuses_a_report_with_check_errors(runner, tmp_path: Path) -> None:
    seed = ROOT / "content" / "examples" / "seeds" / "oxfordshire-2019-12-ict-strategy"
    meeting = _meeting(tmp_path, seed)
    result = runner.invoke(main, ["publish", str(meeting), "--out", str(tmp_path / "out"), "--today", "2026-11-21"])
    assert result.exit_code == 1
    assert "publish refused:" in result.output
    assert "item 5 (Information and Communications Technology (ICT) Strategy" in result.output
    assert "error RG101: required section 'Legal Implications' (legal) is missing" in result.output
    assert "error RG111: refers to paragraph 3.17, which does not exist" in result.output
    assert not (tmp_path / "out" / "meeting").exists()


def test_publish_refuses_a_stale_sign_off(tmp_path: Path) -> None:
    report = tmp_path / "report"
    shutil.copytree(ROOT / "content" / "examples" / "models" / "oxfordshire-2026-12-highways-maintenance-contract", report)
    sign(report, "Finance", "Lee Example", dt.date(2026, 11, 18))
    text = (report / "report.yaml").read_text(encoding="utf-8")
    (report / "report.yaml").write_text(text.replace("four years", "five years", 1), encoding="utf-8")
    with pytest.raises(PublishRefused) as refused:
        publish(_meeting(tmp_path, report), tmp_path / "out", today=TODAY)
    assert any("RG503" in r and "Finance sign-off by Lee Example" in r and "stale" in r for r in refused.value.reasons)


def test_draft_publishes_anyway_and_every_page_says_draft(tmp_path: Path) -> None:
    seed = ROOT / "content" / "examples" / "seeds" / "oxfordshire-2019-12-ict-strategy"
    result = publish(_meeting(tmp_path, seed), tmp_path / "out", draft=True, today=TODAY)
    assert result.refused and result.manifest["meeting"]["draft"] is True
    pdfs = sorted(result.folder.rglob("*.pdf"))
    assert {p.name for p in pdfs} >= {"agenda-pack.pdf", "00-agenda-front-sheet.pdf",
                                      "03-minutes-of-the-meeting-held-on-17-november-2026.pdf"}
    for path in pdfs:  # the pack, the front sheet, the report and the author-supplied minutes
        with pikepdf.open(path) as pdf:
            count = len(pdf.pages)
        for page in range(1, count + 1):
            assert "DRAFT" in pdftext(path, page, page), (path.name, page)


def test_a_meeting_naming_a_missing_report_is_located_in_the_meeting_file(runner, tmp_path: Path) -> None:
    meeting = _meeting(tmp_path, tmp_path / "no-such-report")
    result = runner.invoke(main, ["publish", str(meeting), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{meeting}:17:5: items[4].report: no report.yaml in {tmp_path / 'no-such-report'}" in result.output
    assert "Traceback" not in result.output


def test_unwritable_output_is_a_clean_error(runner, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the output folder should be", encoding="utf-8")
    folder = ROOT / "tests" / "fixtures" / "special-characters"
    result = runner.invoke(main, ["build", str(folder), "--out", str(blocked / "out")])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and "Traceback" not in result.output
