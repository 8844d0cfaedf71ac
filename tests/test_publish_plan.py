"""The publish plan: every document of a meeting made once, typed (kind, source, visibility, key), before
anything is built; and the gate's refusals as typed values."""
from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pikepdf
import pytest

from reportgen.content.meeting import LoadedMeeting, load_meeting
from reportgen.errors import ReportgenError
from reportgen.layout.prepared import Prepared
from reportgen.pdf.pack import page_with
from reportgen.pipeline import prepare_loaded
from reportgen.publish import keys
from reportgen.publish.gate import gate
from reportgen.publish.plan import Document, Kind, Plan, Visibility, make_plan
from reportgen.publish.refusal import Reason, Refusal
from reportgen.style.profile import DEFAULTS, Profile, load_profile

from .conftest import ROOT

EXAMPLES = ROOT / "content" / "examples"
TODAY = dt.date(2026, 11, 21)


def _prepared(meeting: LoadedMeeting) -> dict[int, Prepared | ReportgenError]:
    return {i.number: prepare_loaded(i.report) for i in meeting.items if i.report is not None}


def _plan(meeting_file: Path, draft: bool = False) -> tuple[Plan, LoadedMeeting, dict[int, str], Profile]:
    meeting = load_meeting(meeting_file)
    profile = load_profile(meeting.meeting.style, DEFAULTS)
    prepared = _prepared(meeting)
    report_keys = keys.report_keys(prepared, TODAY, draft)
    key = keys.meeting_key(meeting, report_keys, profile, Path("/tmp/out"), TODAY, draft, None)
    return make_plan(meeting, prepared, profile, report_keys, key), meeting, report_keys, profile


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """A copy of the example meetings and the reports they name."""
    for folder in ("meetings", "models"):
        shutil.copytree(EXAMPLES / folder, tmp_path / folder)
    return tmp_path


def test_the_example_meeting_plans_each_document_once_with_its_kind_visibility_and_key() -> None:
    plan, meeting, report_keys, _ = _plan(EXAMPLES / "meetings" / "2026-12-15-cabinet.yaml")
    files = [d.file for d in plan.documents]
    assert len(files) == len(set(files))  # each document once
    kinds = [d.kind for d in plan.documents]
    assert kinds[0] is Kind.FRONT_SHEET and kinds[-2:] == [Kind.PACK, Kind.PRIVATE_PACK]
    reports = {d.item: d for d in plan.documents if d.kind is Kind.REPORT}
    assert set(reports) == set(report_keys)  # one per report on the agenda
    for item in meeting.items:
        own = [d for d in plan.papers if d.item == item.number]
        if item.report is not None:
            report = reports[item.number]
            assert report.key == report_keys[item.number]  # its key: the report's inputs
            assert report.visibility is (Visibility.PRIVATE if item.exempt else Visibility.PUBLIC)
            files_given = [a.file for a in item.report.report.appendices or [] if a.file]
            assert [d.source for d in own if d.kind is Kind.APPENDIX] == [item.report.folder / f for f in files_given]
        elif item.file is not None:
            assert [(d.kind, d.source, d.visibility) for d in own] == [(Kind.SUPPORTING, item.file, Visibility.PUBLIC)]
            assert own[0].key == keys.supplied_key(item.file.read_bytes(), item.file.suffix)
        else:
            assert own == []  # an item with no paper (apologies) publishes none
    for d in plan.papers:
        if d.kind is Kind.APPENDIX:
            assert d.source is not None and d.key == keys.supplied_key(d.source.read_bytes(), d.source.suffix)
    # The documents made of the whole meeting are keyed by everything it is made from.
    whole = [d for d in plan.documents if d.item is None]
    assert len({d.key for d in whole}) == 1 and whole[0].key not in {d.key for d in plan.papers}
    # Keys tell documents apart: no two of the items' documents share one.
    assert len({d.key for d in plan.papers}) == len(plan.papers)


def test_a_planned_document_cannot_be_changed() -> None:
    plan, *_ = _plan(EXAMPLES / "meetings" / "2026-12-15-cabinet.yaml")
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.documents[0].visibility = Visibility.PUBLIC  # type: ignore[misc]
    assert isinstance(plan.documents, tuple)


def test_an_exempt_report_and_its_appendices_are_never_public() -> None:
    plan, meeting, _, _ = _plan(EXAMPLES / "meetings" / "2026-12-15-cabinet.yaml")
    exempt = [i for i in meeting.items if i.exempt]
    assert exempt, "the example meeting has an exempt report"
    for item in exempt:
        own = [d for d in plan.papers if d.item == item.number]
        assert own and all(d.visibility is Visibility.PRIVATE and d.restricted and d.file.startswith("private/")
                           for d in own)
        assert all(d.paragraphs for d in own)  # each says which Schedule 12A paragraphs
    private_pack = plan.one(Kind.PRIVATE_PACK)
    assert private_pack is not None and private_pack.visibility is Visibility.PRIVATE
    assert set(private_pack.paragraphs) == {n for d in plan.papers if d.restricted for n in d.paragraphs}
    # An exempt appendix of an open report is private too, its report public.
    open_with_exempt = [d for d in plan.papers if d.kind is Kind.APPENDIX and d.restricted
                        and not next(i for i in meeting.items if i.number == d.item).exempt]
    assert open_with_exempt and all(d.paragraphs for d in open_with_exempt)


def test_a_meeting_with_nothing_exempt_plans_no_private_pack(examples: Path) -> None:
    meeting_file = examples / "meetings" / "2026-12-15-cabinet.yaml"
    text = meeting_file.read_text(encoding="utf-8")
    exempt = "  - report: ../models/oxfordshire-2026-12-depot-land-disposal\n"
    assert exempt in text
    meeting_file.write_text(text.replace(exempt, ""), encoding="utf-8")
    annex = examples / "models" / "oxfordshire-2026-12-highways-maintenance-contract" / "report.yaml"
    report = annex.read_text(encoding="utf-8")
    start = report.index("    exempt:")
    block = report[start:report.index("\n\n", start) + 1]  # to the end of the appendices
    annex.write_text(report.replace(block, ""), encoding="utf-8")  # its exempt annex made open
    plan, *_ = _plan(meeting_file)
    assert plan.one(Kind.PRIVATE_PACK) is None
    assert all(d.visibility is Visibility.PUBLIC for d in plan.documents)


def test_an_edited_supplied_file_changes_its_key_and_no_other(examples: Path) -> None:
    meeting_file = examples / "meetings" / "2026-12-15-cabinet.yaml"
    before, *_ = _plan(meeting_file)
    minutes = next(d for d in before.papers if d.kind is Kind.SUPPORTING)
    assert minutes.source is not None
    minutes.source.write_bytes(minutes.source.read_bytes() + b"\n% edited\n")
    after, *_ = _plan(meeting_file)
    changed = {d.file for d, e in zip(before.papers, after.papers) if d.key != e.key}
    assert changed == {minutes.file}


def _without_signoff(examples: Path) -> tuple[LoadedMeeting, dict[int, Prepared | ReportgenError], Profile, int]:
    folder = examples / "models" / "oxfordshire-2026-12-depot-land-disposal"
    (folder / "signoff.yaml").unlink()
    meeting = load_meeting(examples / "meetings" / "2026-12-15-cabinet.yaml")
    number = next(i.number for i in meeting.items if i.report is not None and i.report.folder.name == folder.name)
    return meeting, _prepared(meeting), load_profile(meeting.meeting.style, DEFAULTS), number


def test_an_unsigned_report_is_refused_by_a_typed_refusal(examples: Path) -> None:
    meeting, prepared, profile, number = _without_signoff(examples)
    refusals, rendered = gate(meeting, prepared, TODAY, False, profile)
    assert all(isinstance(r, Refusal) for r in refusals)
    unsigned = [r for r in refusals if r.item == number]
    assert unsigned and all(r.reason is Reason.CHECK for r in unsigned)
    assert "RG501" in {r.rule for r in unsigned}  # a required sign-off is missing
    assert {r.item for r in refusals if r.reason is Reason.CHECK} == {number}  # the signed report passes
    assert number not in rendered and rendered  # no DOCX for it; the others are rendered
    assert all(str(r) == r.text and r.text.startswith(f"item {number} (") for r in unsigned)


def test_a_report_that_cannot_be_prepared_is_an_unusable_refusal(examples: Path) -> None:
    meeting, prepared, profile, number = _without_signoff(examples)
    prepared[number] = ReportgenError("the report cannot be laid out")
    refusals, _ = gate(meeting, prepared, TODAY, True, profile)
    unusable = [r for r in refusals if r.reason is Reason.UNUSABLE]
    assert [(r.item, r.text.endswith("unusable: the report cannot be laid out")) for r in unusable] == [(number, True)]
    assert all(r.reason is not Reason.UNUSABLE for r in refusals if r.item != number)


def test_document_paths_follow_their_visibility() -> None:
    d = Document(Kind.REPORT, 1, "A report", "01-a-report.pdf", Visibility.PRIVATE, "k")
    assert d.file == "private/01-a-report.pdf" and d.path(Path("/m")) == Path("/m/private/01-a-report.pdf")
    assert d.converted and d.pack_path(Path("/m"), Path("/w")) == Path("/w/pack/01-a-report.pdf")
    supplied = dataclasses.replace(d, kind=Kind.SUPPORTING, visibility=Visibility.PUBLIC, source=Path("x/p.PDF"))
    assert supplied.supplied_pdf and not supplied.converted
    assert supplied.pack_path(Path("/m"), Path("/w")) == Path("/m/public/01-a-report.pdf")


def _text_pdf(path: Path, pages: list[str]) -> Path:
    """A PDF whose pages say `pages` (Helvetica), as a front sheet lists items."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    for text in pages:
        page = pdf.add_blank_page(page_size=(595, 842))
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.Contents = pdf.make_stream(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())
    pdf.save(path)
    return path


def test_the_front_sheet_page_of_an_item_is_remembered_by_the_sheets_bytes(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from reportgen.cache import Cache
    from reportgen.publish import write

    read: list[Path] = []
    original = page_with

    def reading(path: Path, text: str) -> int:
        read.append(path)
        return original(path, text)
    monkeypatch.setattr(write, "page_with", reading)
    cache = Cache(tmp_path / "cache")
    two = _text_pdf(tmp_path / "two.pdf", ["1 Apologies", "5 Budget"])
    assert write.listed_at(cache, two, "5Budget") == 1 and read == [two]
    again = tmp_path / "again.pdf"
    again.write_bytes(two.read_bytes())
    assert write.listed_at(cache, again, "5Budget") == 1 and read == [two]  # same bytes: from the cache
    # The same name, other bytes (the sheet grew shorter): read again, never the old page.
    _text_pdf(two, ["5 Budget"])
    assert write.listed_at(cache, two, "5Budget") == 0 and read == [two, two]
    assert write.listed_at(cache, again, "1Apologies") == 0 and len(read) == 3  # another item: its own entry


def test_the_page_listing_an_item_is_read_once_per_page_and_never_from_another_sheet(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportgen.pdf import pack

    sheet = _text_pdf(tmp_path / "sheet.pdf", ["1 Apologies", "5 Budget", "7 Roads"])
    assert page_with(sheet, "7 Roads") == 2 and page_with(sheet, "5Budget") == 1
    assert page_with(sheet, "9 Parks") == 0  # listed nowhere: the first page
    # The same path, other bytes: the texts are of these bytes, never the last sheet's.
    _text_pdf(sheet, ["7 Roads", "1 Apologies"])
    assert page_with(sheet, "7 Roads") == 0 and page_with(sheet, "1Apologies") == 1

    def no_text(data: bytes) -> object:
        raise AssertionError("read the text of a one-page sheet")

    monkeypatch.setattr(pack._PageTexts, "of", no_text)
    assert page_with(_text_pdf(tmp_path / "one.pdf", ["5 Budget"]), "5 Budget") == 0
