"""A pack's inspection takes its bookmarks as they were written, not read back: they must be what reading the
pack back finds, deeper than pikepdf writes (cut at the same depth) and with any characters in the titles."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pikepdf
from pikepdf import OutlineItem

from reportgen.pdf import inspect as inspection
from reportgen.pdf.pack import PackDoc, PackItem, Stamps, assemble


def _nested(path: Path, depth: int) -> Path:
    """A two-page PDF whose bookmarks nest `depth` deep, with a sibling at each level."""
    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=(595.276, 841.89))
        pdf.add_blank_page(page_size=(595.276, 841.89))
        with pdf.open_outline() as outline:
            level = outline.root
            for n in range(depth):
                item = OutlineItem(f"Level {n + 1}: café – £{n} “quoted”", n % 2)
                level.append(item)
                level.append(OutlineItem(f"Sibling {n + 1}", 1))
                level = item.children
        pdf.save(path)
    return path


def test_a_packs_remembered_bookmarks_are_what_reading_it_back_finds(tmp_path: Path) -> None:
    part = _nested(tmp_path / "part.pdf", 20)
    other = _nested(tmp_path / "other.pdf", 3)
    out = tmp_path / "pack.pdf"
    result = assemble([PackItem("One", [PackDoc(part, "Part")]),
                       PackItem("Two", [PackDoc(part, "Part"), PackDoc(other, "Other")])],
                      out, "Pack", dt.date(2026, 12, 4), "A Council", Stamps())
    untagged = sorted(n for pages in result.untagged.values() for n in pages)
    remembered = inspection._recalled(out.read_bytes(), untagged)
    assert remembered is not None
    inspection.forget()
    fresh = inspection.inspect(out, untagged)
    assert remembered.bookmarks == fresh.bookmarks
    assert max(level for level, _ in fresh.bookmarks) == 16  # pikepdf's depth: deeper ones left out
    assert dataclasses.replace(remembered, path=out) == fresh
