"""Agenda-pack speed-ups that must not change a byte: the page-stamp cache and the one-pass pack copy of a DOCX."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pypdf
import pytest

from reportgen.cache import Cache
from reportgen.docx import packcopy
from reportgen.docx.packcopy import pack_copy
from reportgen.pdf import stamp
from reportgen.pdf.pack import PackDoc, PackItem, Stamps, assemble

from .conftest import FIXTURES, ROOT

MINUTES = ROOT / "content" / "examples" / "meetings" / "minutes-2026-11-17.pdf"
DATE = dt.date(2026, 12, 1)


def _pack(tmp_path: Path, name: str, stamps: Stamps, cache: Cache | None) -> bytes:
    parts = []
    for n in range(2):
        part = tmp_path / f"part{n}.pdf"
        shutil.copyfile(MINUTES, part)
        parts.append(part)
    out = tmp_path / name
    assemble([PackItem(f"Item {n}", [PackDoc(p, f"Item {n}")]) for n, p in enumerate(parts)], out,
             "Agenda pack", DATE, "A Council", stamps, cache=cache)
    return out.read_bytes()


def _footers(data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "read.pdf"
    path.write_bytes(data)
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def test_a_pack_stamped_from_the_cache_is_the_same_bytes_and_a_changed_stamp_is_never_stale(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = Cache(tmp_path / "cache")
    uncached = _pack(tmp_path, "plain.pdf", Stamps("Page {page}"), None)
    first = _pack(tmp_path, "first.pdf", Stamps("Page {page}"), cache)
    assert list((tmp_path / "cache" / "stamp").rglob("*"))  # the stamp font was stored
    stamp._drawn.cache_clear()

    def no_reportlab(*args: object) -> bytes:
        raise AssertionError("reportlab drew a stamp font that the cache holds")

    monkeypatch.setattr(stamp, "_draw_font", no_reportlab)
    again = _pack(tmp_path, "again.pdf", Stamps("Page {page}"), cache)
    assert uncached == first == again
    monkeypatch.undo()
    # Another pattern, the same pages and cache: the stamps say what they are asked to say now.
    sheet = _pack(tmp_path, "sheet.pdf", Stamps("Sheet {page}", draft=True), cache)
    texts = _footers(sheet, tmp_path)
    assert "Sheet 1" in texts[0] and "Sheet 2" in texts[1] and "DRAFT" in texts[0]
    assert not any("Page 1" in t or "Page 2" in t for t in texts)
    assert sheet == _pack(tmp_path, "sheet-plain.pdf", Stamps("Sheet {page}", draft=True), None)


def test_the_stamp_font_key_covers_its_characters() -> None:
    key = stamp.font_key(" 1Paeg")
    assert key == stamp.font_key(" 1Paeg")
    assert key != stamp.font_key(" 2Paeg")
    assert key != stamp.font_key(" 1DRAFTPaeg")


def test_the_one_pass_pack_copy_is_the_same_bytes_as_the_three_rewrites() -> None:
    files = [*sorted((ROOT / "content").rglob("*.docx")), *sorted(FIXTURES.rglob("*.docx"))]
    assert files
    changed = 0
    for path in files:
        data = path.read_bytes()
        chained = data
        for change in (packcopy._BULLETS, packcopy._NO_PAGE_NUMBERS, packcopy._A4):  # one archive pass each
            chained = packcopy._rewrite(chained, *change)
        assert pack_copy(data) == chained, path
        changed += chained != data
    assert changed  # some of them had something to rewrite


def test_a_published_copy_is_numbered_with_the_stamp_font_from_the_cache(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A republish numbers the pages of the report that changed: without the cache, each process drew the
    stamp font with reportlab (importing reportlab and PIL), for a font the cache already held."""
    from reportgen.pdf.pack import number_pages

    cache = Cache(tmp_path / "cache")
    plain, first, again = (tmp_path / f"{name}.pdf" for name in ("plain", "first", "again"))
    for path in (plain, first, again):
        shutil.copyfile(MINUTES, path)
    number_pages(plain, "Page {page} of {pages}")
    number_pages(first, "Page {page} of {pages}", cache)
    stamp._drawn.cache_clear()

    def no_reportlab(*args: object) -> bytes:
        raise AssertionError("reportlab drew a stamp font that the cache holds")

    monkeypatch.setattr(stamp, "_draw_font", no_reportlab)
    number_pages(again, "Page {page} of {pages}", cache)
    assert plain.read_bytes() == first.read_bytes() == again.read_bytes()
    assert "Page 1 of" in _footers(again.read_bytes(), tmp_path)[0]
