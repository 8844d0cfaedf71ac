"""The front-sheet page that lists an item, read from the sheet's structure tree (its agenda table's rows),
is the page whose text lists it, in every house style; a sheet whose tables are not the agenda grids row for
row is searched by its text instead."""
from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from reportgen.content.meeting import LoadedMeeting, load_meeting
from reportgen.docx.frontsheet import agenda_tables, render_front_sheet
from reportgen.pdf.pack import page_with, table_rows
from reportgen.pdf.pool import Converter, Job
from reportgen.publish.write import rows_by_item
from reportgen.style.profile import available_styles, load_profile

from .test_house_styles import PATH
from .test_publish import MEETING


@pytest.fixture(scope="module")
def meeting() -> LoadedMeeting:
    return load_meeting(MEETING)


@pytest.fixture(scope="module")
def sheets(meeting: LoadedMeeting, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example meeting's front sheet in every house style (the templates' and the tests' own), as PDFs."""
    tmp = tmp_path_factory.mktemp("front-sheets")
    pages = {i.number: (4 * i.number, 4 * i.number + 3) if i.report is not None else None for i in meeting.items}
    jobs, found = [], {}
    for style in available_styles(PATH):
        profile = load_profile(style, PATH)
        docx = tmp / f"{style}.docx"
        docx.write_bytes(render_front_sheet(meeting, profile, pages))
        found[style] = tmp / f"{style}.pdf"
        jobs.append(Job(docx, found[style], f"{style} front sheet", None, profile.council))
    with Converter() as converter:
        converter.convert(jobs)
    return found


def test_every_house_styles_front_sheet_has_each_item_on_the_page_its_text_is(
        meeting: LoadedMeeting, sheets: dict[str, Path]) -> None:
    assert len(sheets) >= 4
    for style, sheet in sheets.items():
        rows = rows_by_item(sheet, meeting)
        assert sorted(rows) == [i.number for i in meeting.items], style  # read from the structure, not searched
        assert rows == {i.number: page_with(sheet, f"{i.number}{i.title}") for i in meeting.items}, style
    # The exempt item's row is after the exclusion resolution, on the second page in at least one style:
    # the rows are not all on the first page.
    assert any(rows_by_item(sheet, meeting)[6] > 0 for sheet in sheets.values())


def _tagged(path: Path, tables: list[list[int]], pages: int) -> Path:
    """A PDF of `pages` blank pages whose structure tree holds tables: a header row, then one row per entry,
    each cell on the page given."""
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page()

    def element(kind: str, kids: list[pikepdf.Object], page: int | None = None) -> pikepdf.Object:
        made = Dictionary(Type=Name.StructElem, S=Name(kind), K=Array(kids))
        if page is not None:
            made.Pg = pdf.pages[page].obj
        return pdf.make_indirect(made)

    top = []
    for rows in tables:
        header = element("/TR", [element("/TH", [0], 0)])
        body = [element("/TR", [element("/TD", [element("/P", [n], page)]), element("/TD", [], page)])
                for n, page in enumerate(rows)]
        top.append(element("/Sect", [element("/Table", [header, *body])]))
    pdf.Root.StructTreeRoot = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot,
                                                           K=element("/Document", top)))
    pdf.save(path)
    return path


def test_table_rows_are_each_body_rows_first_page_in_document_order(tmp_path: Path) -> None:
    sheet = _tagged(tmp_path / "sheet.pdf", [[0, 0, 1], [2]], 3)
    assert table_rows(sheet) == [[0, 0, 1], [2]]
    untagged = tmp_path / "untagged.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(untagged)
    assert table_rows(untagged) == []


def test_a_sheet_whose_tables_are_not_the_agenda_grids_is_not_read_by_its_rows(
        meeting: LoadedMeeting, tmp_path: Path) -> None:
    grids = [len(g) for g in agenda_tables(meeting)]
    assert grids == [5, 1]
    matching = _tagged(tmp_path / "matching.pdf", [[0] * 5, [1]], 2)
    assert rows_by_item(matching, meeting) == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 1}
    # A house style's template with a table of its own: which rows are the items' is not known.
    extra = _tagged(tmp_path / "extra.pdf", [[0], [0] * 5, [1]], 2)
    assert rows_by_item(extra, meeting) == {}
    fewer = _tagged(tmp_path / "fewer.pdf", [[0] * 4, [1]], 2)
    assert rows_by_item(fewer, meeting) == {}
