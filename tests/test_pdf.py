"""PDF stage: LibreOffice pool export, accessibility (PDF/UA), privacy and determinism, for real.

These tests need LibreOffice (soffice), python3-uno and poppler-utils
(tools/install-libreoffice.sh); they fail, never skip, when those are missing.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import re
import signal
import subprocess
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pikepdf
import pytest
from lxml import etree

from reportgen.pdf import libreoffice as convert
from reportgen.pipeline import profile_for, render_report
from reportgen.pdf.baseline import convert_one_per_process, convert_one_process
from reportgen.pdf.libreoffice import soffice_path
from reportgen.pdf.pool import Converter, Job
from reportgen.errors import ConversionError
from reportgen.pdf.finish import PUBLIC_INFO, finish
from reportgen.pdf.inspect import inspect, read_tree, untagged_pages
from reportgen.pdf.job import Finished

from .conftest import FIXTURES, SPECIAL
from .docxtext import read

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "content" / "examples" / "seeds"
FOLDERS = [SEEDS / "east-herts-2019-12-ict-partnership", SEEDS / "herefordshire-2019-09-digital-strategy",
           SEEDS / "oxfordshire-2019-12-ict-strategy", FIXTURES / "special-characters"]
XMP = {"dc": "http://purl.org/dc/elements/1.1/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
       "pdfuaid": "http://www.aiim.org/pdfua/ns/id/", "xmpMM": "http://ns.adobe.com/xap/1.0/mm/"}


@dataclass
class Paper:
    """One example converted by the module's pool: its DOCX, PDF and expected metadata."""

    name: str
    docx: Path
    pdf: Path
    title: str
    date: dt.date | None
    author: str

    def job(self, pdf: Path | None = None) -> Job:
        return Job(self.docx, pdf or self.pdf, self.title, self.date, self.author)


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    with Converter() as conv:
        yield conv


@pytest.fixture(scope="module")
def papers(converter: Converter, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Paper]:
    """Build each example to DOCX and convert them all once, in one batch, with the pool."""
    tmp = tmp_path_factory.mktemp("pdf")
    out: dict[str, Paper] = {}
    for folder in FOLDERS:
        loaded, data = render_report(folder)
        path = tmp / f"{folder.name}.docx"
        path.write_bytes(data)
        r = loaded.report
        out[folder.name] = Paper(folder.name, path, tmp / "pdf" / f"{folder.name}.pdf", r.title,
                                 r.publication_date or r.date, profile_for(loaded).council)
    converter.convert([p.job() for p in out.values()])
    return out


def all_papers(papers: dict[str, Paper]) -> list[Paper]:
    return list(papers.values())


def pdf_text(path: Path) -> str:
    # -raw: content-stream order, and no joining of a line that ends in "-" with the next.
    done = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True)
    return done.stdout


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u00a0", " ").replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


def tokens(text: str) -> Counter[str]:
    """Words and single punctuation marks, so line breaks do not matter."""
    # casefold: some house styles print titles and signatures in capitals (w:caps).
    return Counter(re.findall(r"\w+|[^\w\s]", normalise(text).casefold()))


def _is_true(value: object) -> bool:
    """A PDF boolean true (pikepdf gives Python's True), not merely a truthy object."""
    return value is True


def xmp_of(pdf: pikepdf.Pdf) -> etree._Element:
    return etree.fromstring(pdf.Root.Metadata.read_bytes())


# --------------------------------------------------------------------------- content


def test_text_of_every_paper_is_in_its_pdf(papers: dict[str, Paper]) -> None:
    for paper in all_papers(papers):
        paras, _ = read(paper.docx)
        expected = tokens(" ".join(p.text for p in paras))
        found = tokens(pdf_text(paper.pdf))
        missing = expected - found
        assert not missing, f"{paper.name}: text missing from the PDF: {dict(missing)}"


def test_special_characters_survive_to_pdf_text(papers: dict[str, Paper]) -> None:
    paper = papers["special-characters"]
    text = normalise(pdf_text(paper.pdf))
    for piece in SPECIAL.split(" "):
        assert piece in text
    assert normalise("Text with & < > \" ' £ – “ ” é and {{ x }} and {% if y %}raw{% endif %} and {# c #} "
                     "survives.") in text
    assert paper.title in text
    assert "Sub-heading & <more>" in text
    assert "Café <upgrade>" in text and "Boiler – “new”" in text


# --------------------------------------------------------------------------- accessibility


def test_every_pdf_passes_inspect(papers: dict[str, Paper]) -> None:
    for paper in all_papers(papers):
        report = inspect(paper.pdf)
        assert report.problems == [], paper.name
        assert report.tagged and report.pdfua and report.display_doc_title and report.fonts_embedded
        assert report.lang == "en-GB"
        assert report.title == paper.title
        assert report.pages >= 1


def test_tagged_with_structure_tree(papers: dict[str, Paper]) -> None:
    for paper in all_papers(papers):
        with pikepdf.open(paper.pdf) as pdf:
            assert "/StructTreeRoot" in pdf.Root, paper.name
            assert _is_true(pdf.Root.MarkInfo.Marked)
            assert len(pdf.Root.StructTreeRoot.ParentTree.Nums) > 0  # content is linked to the tree
        structure = inspect(paper.pdf).structure
        assert structure.get("/H1", 0) >= 1 and structure.get("/H2", 0) >= 3, paper.name
        assert structure.get("/P", 0) > 0
    # Lists are tagged as lists where the content has them.
    assert inspect(papers["special-characters"].pdf).structure.get("/LI", 0) >= 4
    assert inspect(papers["east-herts-2019-12-ict-partnership"].pdf).structure.get("/L", 0) >= 1


def test_language_title_and_title_bar(papers: dict[str, Paper]) -> None:
    for paper in all_papers(papers):
        with pikepdf.open(paper.pdf) as pdf:
            assert str(pdf.Root.Lang) == "en-GB"
            assert str(pdf.docinfo["/Title"]) == paper.title
            titles = xmp_of(pdf).xpath("//dc:title/rdf:Alt/rdf:li/text()", namespaces=XMP)
            assert titles == [paper.title], paper.name
            assert _is_true(pdf.Root.ViewerPreferences.DisplayDocTitle)


def test_pdfua_identifier(papers: dict[str, Paper]) -> None:
    for paper in all_papers(papers):
        with pikepdf.open(paper.pdf) as pdf:
            assert xmp_of(pdf).xpath("//pdfuaid:part/text()", namespaces=XMP) == ["1"]


def test_bookmarks_follow_the_headings(papers: dict[str, Paper]) -> None:
    for paper in all_papers(papers):
        report = inspect(paper.pdf)
        headings = sum(n for role, n in report.structure.items() if re.fullmatch(r"/H[1-6]", role))
        assert len(report.bookmarks) == headings, paper.name
        assert report.bookmarks[0][0] == 1
    titles = [t for _, t in inspect(papers["special-characters"].pdf).bookmarks]
    for heading in ("Purpose and summary", "Recommendation(s)", "Key considerations", "Sub-heading & <more>"):
        assert heading in titles
    assert (3, "Sub-heading & <more>") in inspect(papers["special-characters"].pdf).bookmarks


def test_fonts_embedded(papers: dict[str, Paper]) -> None:
    for paper in all_papers(papers):
        assert inspect(paper.pdf).fonts_embedded
        # poppler's own view, independent of our walker: every font row says "emb yes".
        rows = subprocess.run(["pdffonts", str(paper.pdf)], capture_output=True, text=True, check=True)
        lines = rows.stdout.splitlines()[2:]
        assert lines and all(re.search(r"\s+yes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", ln) for ln in lines), rows.stdout


def test_table_header_cells_are_th(papers: dict[str, Paper]) -> None:
    with pikepdf.open(papers["special-characters"].pdf) as pdf:
        cells = []
        for node in _walk(pdf.Root.StructTreeRoot):
            if str(node.S) == "/TH":
                attrs = node.get("/A")
                items = list(attrs) if isinstance(attrs, pikepdf.Array) else [attrs]
                scopes = {str(a.Scope) for a in items if isinstance(a, pikepdf.Dictionary) and "/Scope" in a}
                cells.append(scopes)
    # Two content tables with a header row of two cells (w:tblHeader), and the label column
    # of the front-matter grid, which finish() tags as row headers.
    assert sum(1 for s in cells if s == {"/Column"}) >= 4
    assert sum(1 for s in cells if s == {"/Row"}) >= 1
    assert all(s in ({"/Column"}, {"/Row"}) for s in cells)


def _walk(node: pikepdf.Object) -> Iterator[pikepdf.Object]:
    k = node.get("/K")
    for child in (list(k) if isinstance(k, pikepdf.Array) else [k] if k is not None else []):
        if isinstance(child, pikepdf.Dictionary) and "/S" in child:
            yield child
            yield from _walk(child)


def test_passes_a_pdfua_checker(papers: dict[str, Paper]) -> None:
    # page-validation: a Rust PDF/UA-1 validator (veraPDF corpus parity), no JVM, no network.
    import page

    for paper in all_papers(papers):
        report = page.validate_pdf(str(paper.pdf), profile="ua1")
        failures = sorted({f"{f.rule_id}: {f.message}" for f in report.failures})
        assert report.is_compliant, f"{paper.name}: {failures}"
        assert failures == []


# --------------------------------------------------------------------------- privacy


def test_no_personal_metadata(papers: dict[str, Paper]) -> None:
    for paper in all_papers(papers):
        with pikepdf.open(paper.pdf) as pdf:
            keys = {str(k) for k in pdf.docinfo}
            assert keys <= set(PUBLIC_INFO), paper.name
            assert str(pdf.docinfo.get("/Author", paper.author)) == paper.author
            assert str(pdf.docinfo["/Producer"]).startswith("LibreOffice")
            assert str(pdf.docinfo["/Creator"]) == "Writer"
            assert not xmp_of(pdf).xpath("//xmpMM:History", namespaces=XMP)
            for page_ in pdf.pages:
                for annot in page_.obj.get("/Annots") or []:
                    assert str(annot.Subtype) == "/Link" and "/T" not in annot


def _with_personal_data(source: Path, target: Path) -> None:
    """The same DOCX, edited by a person: their login as author, and a comment."""
    document = docx.Document(str(source))
    document.core_properties.author = "jsmith42"
    document.core_properties.last_modified_by = "jsmith42"
    document.core_properties.comments = "draft notes by jsmith42"
    paragraph = next(p for p in document.paragraphs if p.runs)
    document.add_comment(paragraph.runs, text="Check with legal - jsmith42", author="jsmith42", initials="JS")
    document.save(str(target))


def test_login_name_and_comments_are_not_published(papers: dict[str, Paper], converter: Converter,
                                                   tmp_path: Path) -> None:
    paper = papers["special-characters"]
    edited = tmp_path / "edited.docx"
    _with_personal_data(paper.docx, edited)
    out = tmp_path / "edited.pdf"
    converter.convert([Job(edited, out, paper.title, paper.date, paper.author)])
    with pikepdf.open(out) as pdf:
        metadata = str(dict(pdf.docinfo.items())) + pdf.Root.Metadata.read_bytes().decode()
        annots = [a for p in pdf.pages for a in (p.obj.get("/Annots") or [])]
    assert "jsmith42" not in metadata
    assert "jsmith42" not in pdf_text(out)
    assert all(str(a.Subtype) == "/Link" for a in annots)


def test_tracked_changes_are_refused(papers: dict[str, Paper], converter: Converter, tmp_path: Path) -> None:
    source = papers["special-characters"].docx
    edited = tmp_path / "tracked.docx"
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(data)
                run = root.find(f".//{{{w}}}body//{{{w}}}r")
                ins = etree.Element(f"{{{w}}}ins", {f"{{{w}}}id": "901", f"{{{w}}}author": "jsmith42",
                                                     f"{{{w}}}date": "2026-01-01T00:00:00Z"})
                run.addprevious(ins)
                ins.append(run)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(item, data)
    out = tmp_path / "tracked.pdf"
    with pytest.raises(ConversionError, match="tracked changes"):
        converter.convert([Job(edited, out, "Tracked", None)])
    assert not out.exists()


# --------------------------------------------------------------------------- determinism


def test_reconversion_is_byte_identical(papers: dict[str, Paper], converter: Converter, tmp_path: Path) -> None:
    # Each paper twice in one batch, so both workers convert it.
    jobs = [p.job(tmp_path / f"{p.name}-{n}.pdf") for p in all_papers(papers) for n in (1, 2)]
    converter.convert(jobs)
    for paper in all_papers(papers):
        first = paper.pdf.read_bytes()
        assert (tmp_path / f"{paper.name}-1.pdf").read_bytes() == first, paper.name
        assert (tmp_path / f"{paper.name}-2.pdf").read_bytes() == first, paper.name


def test_the_finishing_hook_gets_the_bytes_written_and_their_structure_counted_afresh(
        papers: dict[str, Paper], converter: Converter, tmp_path: Path) -> None:
    """Job.finished: what publish numbers and inspects instead of reading the PDF back (issue 26) is what
    was written, and the structure counts it hands on are what counting the written file finds."""
    got: dict[Path, Finished] = {}
    jobs = [dataclasses.replace(p.job(tmp_path / f"{p.name}.pdf"), finished=functools.partial(got.__setitem__, n))
            for n, p in enumerate(all_papers(papers))]
    converter.convert(jobs)
    assert sorted(got) == list(range(len(jobs)))
    for n, job in enumerate(jobs):
        assert got[n].data == job.pdf.read_bytes(), job.pdf
        with pikepdf.open(job.pdf) as pdf:
            assert got[n].tree == read_tree(pdf.Root.get("/StructTreeRoot")), job.pdf
        assert got[n].tree.structure, job.pdf  # a tagged report: counted, not empty


def test_paths_with_spaces_and_accents(papers: dict[str, Paper], converter: Converter, tmp_path: Path) -> None:
    paper = papers["special-characters"]
    folder = tmp_path / "Café & <papers> 100%"
    folder.mkdir()
    source = folder / "paper – 1 ‘draft’.docx"
    source.write_bytes(paper.docx.read_bytes())
    out = folder / "out put" / "paper – 1.pdf"
    converter.convert([Job(source, out, paper.title, paper.date, paper.author)])
    assert out.read_bytes() == paper.pdf.read_bytes()


def test_unchanged_pdf_is_not_rewritten(papers: dict[str, Paper], converter: Converter) -> None:
    paper = papers["east-herts-2019-12-ict-partnership"]
    before = paper.pdf.stat()
    converter.convert([paper.job()])
    after = paper.pdf.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_one_process_per_file_baseline_gives_the_same_bytes(papers: dict[str, Paper], tmp_path: Path) -> None:
    paper = papers["special-characters"]
    out = tmp_path / "baseline.pdf"
    convert_one_per_process([paper.job(out)])
    assert out.read_bytes() == paper.pdf.read_bytes()


def test_one_process_for_all_files_baseline_gives_the_same_bytes(papers: dict[str, Paper], tmp_path: Path) -> None:
    chosen = [papers["special-characters"], papers["east-herts-2019-12-ict-partnership"]]
    convert_one_process([p.job(tmp_path / f"{p.name}.pdf") for p in chosen])
    for paper in chosen:
        assert (tmp_path / f"{paper.name}.pdf").read_bytes() == paper.pdf.read_bytes()


def test_finish_is_deterministic_and_sets_dates(papers: dict[str, Paper], tmp_path: Path) -> None:
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(papers["special-characters"].pdf.read_bytes())
    finish(copy, "Another title", dt.date(2027, 1, 2), author="Herefordshire Council")
    once = copy.read_bytes()
    finish(copy, "Another title", dt.date(2027, 1, 2), author="Herefordshire Council")
    assert copy.read_bytes() == once
    with pikepdf.open(copy) as pdf:
        assert str(pdf.docinfo["/CreationDate"]) == str(pdf.docinfo["/ModDate"]) == "D:20270102000000Z"
        assert str(pdf.docinfo["/Author"]) == "Herefordshire Council"
    assert inspect(copy).title == "Another title"


# --------------------------------------------------------------------------- failures


def test_inspect_flags_an_untagged_pdf(papers: dict[str, Paper], tmp_path: Path) -> None:
    untagged = tmp_path / "untagged.pdf"
    with pikepdf.open(papers["special-characters"].pdf) as pdf:
        del pdf.Root["/StructTreeRoot"]
        del pdf.Root["/MarkInfo"]
        pdf.save(untagged)
    report = inspect(untagged)
    assert not report.tagged
    assert any("not tagged" in p for p in report.problems)


def test_fast_untagged_scan_agrees_with_the_full_scan_on_libreoffice_exports(papers: dict[str, Paper]) -> None:
    # As exported (every page tagged), and with every MCID renamed away (every page that paints is untagged).
    for paper in all_papers(papers):
        with pikepdf.open(paper.pdf) as pdf:
            assert untagged_pages(pdf, text_in_blocks=True) == untagged_pages(pdf) == [], paper.name
            for page in pdf.pages:
                contents = page.obj.Contents
                for stream in contents if isinstance(contents, pikepdf.Array) else [contents]:
                    stream.write(stream.read_bytes().replace(b"<</MCID", b"<</NotAnMCID"))
            full = untagged_pages(pdf)
            assert full == untagged_pages(pdf, text_in_blocks=True), paper.name
            assert full == list(range(1, len(pdf.pages) + 1)), paper.name


def test_inspect_reports_an_unreadable_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf")
    report = inspect(junk)
    assert not report.tagged and report.problems and "not a readable PDF" in report.problems[0]


def test_converter_refuses_an_untagged_export(papers: dict[str, Paper], converter: Converter, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # LibreOffice exits happily with tagging off; the inspection must catch it.
    monkeypatch.setattr(convert, "EXPORT_FILTER", {"UseTaggedPDF": False, "PDFUACompliance": False})
    good, bad = papers["east-herts-2019-12-ict-partnership"], papers["special-characters"]
    outs = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    with pytest.raises(ConversionError, match="not tagged") as caught:
        converter.convert([good.job(outs[0]), bad.job(outs[1])])
    message = str(caught.value)
    assert "2 of 2" in message and str(good.docx) in message and str(bad.docx) in message
    assert not any(p.exists() for p in outs)


def test_failed_job_is_listed_and_the_rest_written(papers: dict[str, Paper], converter: Converter,
                                                   tmp_path: Path) -> None:
    good = papers["oxfordshire-2019-12-ict-strategy"]
    missing = tmp_path / "missing.docx"
    with pytest.raises(ConversionError) as caught:
        converter.convert([good.job(tmp_path / "good.pdf"), Job(missing, tmp_path / "missing.pdf", "Missing")])
    assert "1 of 2" in str(caught.value) and str(missing) in str(caught.value)
    assert (tmp_path / "good.pdf").read_bytes() == good.pdf.read_bytes()


def test_a_dead_worker_is_replaced(papers: dict[str, Paper], tmp_path: Path) -> None:
    paper = papers["special-characters"]
    with Converter(workers=1) as conv:
        conv.convert([paper.job(tmp_path / "1.pdf")])
        worker = conv.workers[0]
        assert worker.proc is not None
        group = worker.proc.pid
        os.killpg(group, signal.SIGKILL)  # LibreOffice and its bridge crash between two jobs
        conv.convert([paper.job(tmp_path / "2.pdf")])
        assert (tmp_path / "2.pdf").read_bytes() == paper.pdf.read_bytes()
        assert worker.proc is not None
        live = worker.proc.pid
    assert _running_in_group(live) == []  # closing the pool leaves no LibreOffice running


def _running_in_group(pgid: int) -> list[str]:
    """Names of the processes of a process group that are still running (zombies excluded)."""
    names = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, _ppid, group = stat[stat.rindex(")") + 2:].split()[:3]
        if int(group) == pgid and state != "Z":
            names.append(stat[stat.index("(") + 1:stat.rindex(")")])
    return names


def test_missing_libreoffice_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("REPORTGEN_SOFFICE", raising=False)
    with pytest.raises(ConversionError, match="apt-get install libreoffice-writer-nogui"):
        soffice_path()
    with Converter() as conv, pytest.raises(ConversionError, match="apt-get install libreoffice-writer-nogui"):
        conv.convert([Job(tmp_path / "a.docx", tmp_path / "a.pdf", "A")])
    with pytest.raises(ConversionError, match="apt-get install libreoffice-writer-nogui"):
        convert_one_per_process([Job(tmp_path / "a.docx", tmp_path / "a.pdf", "A")])


def test_soffice_is_installed() -> None:
    # Guard against a CI image without LibreOffice: this must fail, not skip.
    assert Path(soffice_path()).exists()


def test_empty_batch_starts_nothing() -> None:
    conv = Converter()
    conv.convert([])
    assert conv.workers == []
    conv.close()




@pytest.fixture
def probes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The Pythons asked whether they can import uno (each a process of its own), asked afresh."""
    asked: list[str] = []
    run = subprocess.run

    def probe(args: list[str], *a: object, **k: object) -> object:
        asked.append(args[0])
        return run(args, *a, **k)  # type: ignore[call-overload]
    monkeypatch.setattr(convert.subprocess, "run", probe)
    convert.uno_python.cache_clear()
    yield asked
    convert.uno_python.cache_clear()  # (answered under this test's environment)


def _one_docx(tmp_path: Path) -> Path:
    docx = tmp_path / "paper.docx"
    docx.write_bytes(render_report(FOLDERS[0])[1])
    return docx


def test_workers_start_under_the_first_uno_python_without_asking_it(probes: list[str], tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Asking a Python whether it can import uno costs a Python start-up on the way to LibreOffice's: the
    first candidate is used as it is, and it converts."""
    monkeypatch.delenv("REPORTGEN_UNO_PYTHON", raising=False)
    with Converter(1) as conv:
        conv.convert([Job(_one_docx(tmp_path), tmp_path / "out.pdf", "Title")])
        assert [w.python for w in conv.workers] == convert.uno_candidates(soffice_path())[:1]
    assert probes == [] and inspect(tmp_path / "out.pdf").ok


def test_a_first_python_without_uno_is_passed_over(probes: list[str], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A first candidate that cannot import uno (here reportgen's own Python, named by
    $REPORTGEN_UNO_PYTHON): its bridge says so, every candidate is asked, and the first that can runs the
    workers."""
    import sys

    monkeypatch.setenv("REPORTGEN_UNO_PYTHON", sys.executable)
    with Converter(1) as conv:
        conv.convert([Job(_one_docx(tmp_path), tmp_path / "out.pdf", "Title")])
        [worker] = conv.workers
    assert probes[0] == sys.executable and worker.python == probes[-1] != sys.executable
    assert inspect(tmp_path / "out.pdf").ok


def test_each_worker_converts_as_soon_as_it_has_started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Started in the background (as a publish starts LibreOffice), the pool does not hold a ready worker
    back until the slowest has started: here worker 1 starts a second late, and worker 0 has converted by then."""
    import time

    from reportgen.pdf import pool

    launch, convert_one = pool._Worker._launch, pool._Worker.convert
    seen: list[tuple[str, int, float]] = []

    def slow(worker: pool._Worker) -> None:
        if worker.number == 1:
            time.sleep(1.0)
        launch(worker)
        seen.append(("ready", worker.number, time.perf_counter()))

    def converting(worker: pool._Worker, docx: Path, pdf: Path) -> None:
        convert_one(worker, docx, pdf)
        seen.append(("converted", worker.number, time.perf_counter()))
    monkeypatch.setattr(pool._Worker, "_launch", slow)
    monkeypatch.setattr(pool._Worker, "convert", converting)
    docx = _one_docx(tmp_path)
    with Converter(2) as conv:
        conv.start()
        conv.convert([Job(docx, tmp_path / f"{n}.pdf", "Title") for n in range(6)])
    [one_ready] = [t for what, n, t in seen if what == "ready" and n == 1]
    assert any(what == "converted" and n == 0 and t < one_ready for what, n, t in seen)
    assert all(inspect(tmp_path / f"{n}.pdf").ok for n in range(6))
