"""Publish's work beside LibreOffice: while it converts what changed, the cached PDFs are written and
followed and the packs' parts read (publish.write._convert); assembling a pack from parts read ahead
gives the same bytes as reading them in place (pdf.pack.Part)."""
from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from reportgen.cache import Cache
from reportgen.pdf.job import Job
from reportgen.pdf.pack import PackDoc, PackItem, Part, Stamps, assemble
from reportgen.publish import write
from reportgen.publish.keys import pdf_key

DATE = dt.date(2026, 11, 21)


def _pdf(path: Path, pages: int, text: str) -> Path:
    """A tagged PDF (a Document of one P per page, marked content) with a bookmark to each page."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    document = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document,
                                                    K=pikepdf.Array()))
    nums = pikepdf.Array()
    for n in range(pages):
        page = pdf.add_blank_page(page_size=(595.276, 841.89))
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.Contents = pdf.make_stream(
            f"/P <</MCID 0>> BDC BT /F1 12 Tf 72 720 Td ({text} {n + 1}) Tj ET EMC".encode())
        page.StructParents = n
        para = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.P, P=document,
                                                    Pg=page.obj, K=0))
        document.K.append(para)
        nums.append(n)
        nums.append(pikepdf.Array([para]))
    root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=document,
                                                ParentTree=pdf.make_indirect(pikepdf.Dictionary(Nums=nums)),
                                                ParentTreeNextKey=pages))
    document.P = root
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    with pdf.open_outline() as outline:
        outline.root.extend(pikepdf.OutlineItem(f"{text} page {n + 1}", n) for n in range(pages))
    pdf.save(path)
    return path


class Slow:
    """A converter that holds each batch until `release` is set (or a second passes: then it records that
    it was not released), as LibreOffice holds a conversion; it writes a PDF for each job."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.batches: list[list[str]] = []
        self.held_in_vain = False

    def start(self, wanted: int | None = None) -> None: ...

    def wait_started(self) -> None: ...

    def close(self) -> None: ...

    def convert(self, jobs: list[Job], done: Callable[[Job], None] | None = None) -> None:
        self.batches.append([job.docx.name for job in jobs])
        if not self.release.wait(1.0):
            self.held_in_vain = True
        for job in jobs:
            _pdf(job.pdf, 1, f"converted {job.docx.stem}")
            if done is not None:
                done(job)


def test_cached_pdfs_are_written_and_followed_while_libreoffice_converts_the_rest(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    jobs = []
    for name in ("a", "b", "c"):
        docx = tmp_path / f"{name}.docx"
        docx.write_bytes(f"docx {name}".encode())
        jobs.append((docx, tmp_path / "out" / f"{name}.pdf", name.upper()))
    for docx, _, title in jobs[:2]:  # a and b converted before: their PDFs are in the cache
        cache.put("pdf", pdf_key(docx.read_bytes(), title, DATE, "Council"), _pdf(tmp_path / "x.pdf", 2, title).read_bytes())
    converter = Slow()
    followed: list[str] = []
    told: list[list[str]] = []

    def meanwhile(cached: list[Path]) -> None:
        told.append([p.name for p in cached])
        assert all(p.is_file() for p in cached)  # written before it is told
        converter.release.set()  # LibreOffice is still converting c: it finishes only now
    write._convert(jobs, DATE, "Council", cache, converter, lambda pdf: followed.append(pdf.name), meanwhile)
    assert converter.batches == [["c.docx"]] and not converter.held_in_vain
    assert told == [["a.pdf", "b.pdf"]]
    assert sorted(followed) == ["a.pdf", "b.pdf", "c.pdf"]
    assert all(path.is_file() for _, path, _ in jobs)
    # c's PDF is remembered: a second run converts nothing
    converter = Slow()
    converter.release.set()
    write._convert(jobs, DATE, "Council", cache, converter)
    assert converter.batches == []


def test_a_cached_pdf_gone_before_it_is_read_is_converted_after_all(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    cache = Cache(tmp_path / "cache")
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"docx a")
    cache.put("pdf", pdf_key(b"docx a", "A", DATE, "Council"), b"%PDF torn")
    monkeypatch.setattr(Cache, "get", lambda self, kind, key: None)  # gone (pruned, or torn) since has()
    converter = Slow()
    converter.release.set()
    write._convert([(docx, tmp_path / "a.pdf", "A")], DATE, "Council", cache, converter)
    assert converter.batches == [["a.docx"]]
    assert (tmp_path / "a.pdf").is_file()


def test_a_pack_of_parts_read_ahead_is_the_pack_read_in_place(tmp_path: Path) -> None:
    docs = [_pdf(tmp_path / f"{n}.pdf", n + 1, f"part {n}") for n in range(3)]
    items = [PackItem(f"Item {n}", [PackDoc(doc, f"Doc {n}", untagged=[])]) for n, doc in enumerate(docs)]
    plain = assemble(items, tmp_path / "plain.pdf", "Pack", DATE, "Council", Stamps())
    parts = {doc: Part(doc).read() for doc in docs[1:]}
    ahead = assemble(items, tmp_path / "ahead.pdf", "Pack", DATE, "Council", Stamps(), parts=parts)
    assert (tmp_path / "ahead.pdf").read_bytes() == (tmp_path / "plain.pdf").read_bytes()
    assert ahead.ranges == plain.ranges == [(1, 1), (2, 3), (4, 6)] and ahead.pages == 6
    with pikepdf.open(tmp_path / "ahead.pdf") as pack:  # the parts' tags and bookmarks are in it
        assert len(pack.Root.StructTreeRoot.K.K) == 3
        with pack.open_outline() as outline:
            assert [len(item.children) for item in outline.root[0].children] == [1, 2, 3]
    assert parts == {}  # each part read ahead was used (and let go)


def test_the_packs_bookmarks_are_written_as_pikepdfs_outline_writes_them() -> None:
    """pack._write_outline stands in for pikepdf's Outline (hundreds of OutlineItems in a pack): the same
    objects in the same order, so the same bytes; nested deeper than pikepdf writes, left out as it leaves them."""
    import io

    from reportgen.pdf import pack

    def marks(pdf: pikepdf.Pdf, depth: int, width: int) -> list[pack._Mark]:
        if depth == 0:
            return []
        return [(f"Café – level {depth} item {n}", pikepdf.Array([pdf.pages[n % 3].obj, pikepdf.Name.XYZ, None, 700 - n, 0]),
                 marks(pdf, depth - 1, 1 if depth > 3 else width)) for n in range(width)]

    def made(write: Callable[[pikepdf.Pdf, list[pack._Mark]], None]) -> bytes:
        pdf = pikepdf.new()
        for _ in range(3):
            pdf.add_blank_page()
        write(pdf, marks(pdf, 18, 3))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()

    def with_pikepdf(pdf: pikepdf.Pdf, marks: list[pack._Mark]) -> None:
        def items(marks: list[pack._Mark]) -> list[pikepdf.OutlineItem]:
            out = []
            for title, destination, children in marks:
                item = pikepdf.OutlineItem(title, destination)
                item.children.extend(items(children))
                out.append(item)
            return out
        with pdf.open_outline() as outline:
            outline.root.extend(items(marks))

    ours = made(pack._write_outline)
    assert ours == made(with_pikepdf)
    with pikepdf.open(io.BytesIO(ours)) as pdf:
        depth, node = 0, pdf.open_outline().root
        while node:
            depth, node = depth + 1, node[0].children
        assert depth == pack._MAX_DEPTH + 1  # 18 levels given, as deep as pikepdf goes
