"""Statutory records: forward plan, decision notices, notices of a private meeting, and rules RG407-RG410.

The forward plan CSV is compared with tests/golden/forward-plan-oxfordshire.csv as parsed rows.
After a deliberate change, regenerate with:

    REPORTGEN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_records.py -k golden
and review the diff.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from reportgen.style.settings import Settings
from reportgen.check.catalogue import catalogue
from reportgen.cli import main
from reportgen.content.dates import after_working_days
from reportgen.content.decisions import Decision
from reportgen.errors import ContentError
from reportgen.layout.arrange import Grid, Prose
from reportgen.pipeline import prepare
from reportgen.records import forward_plan as fp
from reportgen.records import notices, private
from reportgen.records.run import decision_records, decisions, forward_plan, plan_records, private_notice

from .conftest import ROOT

EXAMPLES = ROOT / "content" / "examples"
MEETING = EXAMPLES / "meetings" / "2026-12-15-cabinet.yaml"
HIGHWAYS = EXAMPLES / "models" / "oxfordshire-2026-12-highways-maintenance-contract"
DEPOT = EXAMPLES / "models" / "oxfordshire-2026-12-depot-land-disposal"
GOLDEN = ROOT / "tests" / "golden" / "forward-plan-oxfordshire.csv"
EXEMPT_PHRASES = ("HERON-LAND-4482", "ZEBRA-PRICE-7731")
PLAN_DATE = dt.date(2026, 10, 23)
DEPOT_DECISION = ("  - item: 6\n    public_reasons: [The depot is no longer needed.]\n"
                  "    public_alternatives: [Keeping the depot empty.]\n")


def pdftext(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    return " ".join(text.split())


def copy_meeting(tmp: Path, decisions_yaml: str | None = None) -> Path:
    """The example meeting and its reports in a tmp folder, optionally with another decisions file."""
    shutil.copytree(EXAMPLES / "models", tmp / "models")
    shutil.copytree(EXAMPLES / "meetings", tmp / "meetings")
    meeting = tmp / "meetings" / MEETING.name
    if decisions_yaml is not None:
        if "item: 6" not in decisions_yaml:  # the exempt item's public record needs its public wording
            decisions_yaml += ("" if "items:" in decisions_yaml else "items:\n") + DEPOT_DECISION
        meeting.with_name("2026-12-15-cabinet.decisions.yaml").write_text(decisions_yaml, encoding="utf-8")
    return meeting


def at(mp: pytest.MonkeyPatch, day: str) -> None:
    """Set the simulated clock (reportgen.content.clock) to `day`."""
    mp.setenv("REPORTGEN_TODAY", day)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every record of the example content, each made on its day of the cycle, through LibreOffice."""
    out = tmp_path_factory.mktemp("records")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REPORTGEN_HISTORY", str(out.parent / "records-history.json"))
        at(mp, "2026-11-16")
        private_notice(MEETING, "28-day", out)
        at(mp, "2026-11-21")
        forward_plan([EXAMPLES / "models"], PLAN_DATE, None, out)
        at(mp, "2026-12-07")
        private_notice(MEETING, "5-day", out)
        at(mp, "2026-12-17")
        decisions(MEETING, out)
    return out


# --------------------------------------------------------------------------- forward plan

def test_forward_plan_entry_fields_equal_the_report() -> None:
    prepared = prepare(HIGHWAYS)
    r = prepared.report
    e = fp.entry(prepared, PLAN_DATE, {"cabinet": ["Councillor A"]})
    assert r.decision_type is not None and r.lead_member is not None and r.appendices is not None
    assert e.ref == r.decision_type.forward_plan_ref == "2026/123"
    assert e.title == r.title and e.decision_maker == r.decision_maker and e.date == r.date
    assert e.description == squash(r.purpose[0].text or "") if r.purpose else False
    assert e.wards == "All" and e.lead_member.startswith(r.lead_member.name)
    assert r.contact_officers[0].email and r.contact_officers[0].email in e.contact
    assert e.documents == [r.title] + [f"Annex {a.id} - {a.title}" + (" (NOT FOR PUBLICATION: paragraph 3 of "
                                       "Schedule 12A)" if a.exempt else "") for a in r.appendices]
    assert "paragraph 3" in e.exempt and e.first_published == PLAN_DATE
    assert e.members == ["Councillor A"] and e.executive
    assert e.notice(prepared.profile) == "28 clear days' notice given"  # 23 October to 15 December: 52


def test_forward_plan_csv_golden() -> None:
    records = plan_records([EXAMPLES / "models"], PLAN_DATE, None).records
    data = next(r.data for r in records if r.name == "oxfordshire/forward-plan-2026-11-21.csv")
    assert data is not None
    text = data.decode("utf-8")
    if os.environ.get("REPORTGEN_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8", newline="")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == list(csv.reader(io.StringIO(GOLDEN.read_text(encoding="utf-8"))))
    assert rows[0][5] == "Divisions affected"  # Oxfordshire is a county: divisions, not wards


def test_forward_plan_period_and_styles() -> None:
    # --from is the start of the period only: every plan is named and headed by the day it is made
    records = plan_records([EXAMPLES / "models"], PLAN_DATE, dt.date(2026, 12, 15)).records
    assert [r.name for r in records if r.data] == ["oxfordshire/forward-plan-2026-11-21.csv"]
    assert {r.title for r in records} == {"Forward plan of key decisions published 21 November 2026"}
    records = plan_records([EXAMPLES / "models"], dt.date(2026, 12, 16), None).records
    assert [r.name for r in records if r.data] == ["east-herts/forward-plan-2026-11-21.csv"]
    assert plan_records([EXAMPLES / "models"], dt.date(2027, 1, 1), None).records == []


def test_exempt_report_in_the_forward_plan_gives_no_exempt_text() -> None:
    e = fp.entry(prepare(DEPOT), PLAN_DATE, {})
    assert e.description == "" and e.exempt.startswith("Yes: paragraph 3")


# --------------------------------------------------------------------------- decision notices

def _markdown(elements: list) -> list[str]:
    return [el.markdown for el in elements if isinstance(el, Prose)]


def test_decision_notice_equals_the_report_unless_amended() -> None:
    prepared = prepare(HIGHWAYS)
    r = prepared.report
    n = notices.notice(prepared, Decision(), 5, dt.date(2026, 12, 15), dt.date(2026, 12, 17))
    assert r.recommendations and r.reasons and r.alternative_options
    assert _markdown(n.decision) == [i.text for i in r.recommendations.items]
    assert [el.prefix for el in n.decision if isinstance(el, Prose)] == ["(a)", "(b)", "(c)"]
    # the report's reasons, with [[label]] references resolved to the report's paragraph numbers
    assert [m.replace("paragraph 7", "paragraph [[procurement]]").replace("paragraph 8", "paragraph [[evaluation]]")
            for m in _markdown(n.reasons)] == [b.text for b in r.reasons]
    assert _markdown(n.alternatives) == [f"{o.option} {o.reason}" for o in r.alternative_options.options]

    amended = Decision(amended=["Award the contract for two years only."], reasons=["Members wanted a review."],
                       alternatives=["Bring the service in house."])
    n = notices.notice(prepared, amended, 5, dt.date(2026, 12, 15), dt.date(2026, 12, 17))
    assert _markdown(n.decision) == ["Award the contract for two years only."]
    assert _markdown(n.reasons) == ["Members wanted a review."]
    assert [m.split(".")[0] for m in _markdown(n.alternatives)] == ["Bring the service in house"]


def test_call_in_deadline_over_christmas(tmp_path: Path) -> None:
    # Published Monday 21 December 2026: 25 December (Friday) and 28 December (Boxing Day, observed) are
    # bank holidays, so five clear working days are 22, 23, 24, 29 and 30 December.
    assert after_working_days(dt.date(2026, 12, 21), 5) == dt.date(2026, 12, 30)
    meeting = copy_meeting(tmp_path, "published: 2026-12-21\n")
    records = decision_records(meeting).records
    item = next(r for r in records if r.name.endswith("decision-item-5.pdf"))
    assert item.layout is not None
    lines = [getattr(el, "text", "") for el in item.layout.elements]
    assert any("5.00 pm on 30 December 2026" in line for line in lines)


def test_urgent_decision_says_why_instead_of_a_deadline(tmp_path: Path) -> None:
    meeting = copy_meeting(tmp_path, "published: 2026-12-17\nitems:\n  - item: 5\n    call_in: false\n"
                                     "    urgency: The current contract ends before call-in could finish.\n")
    item = next(r for r in decision_records(meeting).records if r.name.endswith("decision-item-5.pdf"))
    assert item.layout is not None
    texts = [getattr(el, "text", "") for el in item.layout.elements]
    assert "This decision is not subject to call-in because it is urgent: The current contract ends before " \
           "call-in could finish." in texts
    assert not any("called in until" in t for t in texts)


def test_exempt_notices_carry_paragraph_and_public_interest_but_no_exempt_text(written: Path) -> None:
    folder = written / "2026-12-15-cabinet"
    depot = squash(pdftext(folder / "decision-item-6.pdf"))
    public_interest = squash(prepare(DEPOT).report.classification.public_interest or "")
    assert "paragraph 3 of Part 1 of Schedule 12A" in depot and public_interest in depot
    assert "Larkspur" not in depot and "1,850,000" not in depot  # the exempt recommendations
    # reasons and alternatives as worded for the public, in the PDF and on the web page alike
    for text in (depot, squash((folder / "decision-item-6.html").read_text(encoding="utf-8"))):
        assert "selling it brings in money for the capital programme" in text
        assert "Selling at auction, which was judged likely" in text
    # the full record is private, and really is the full one
    full = squash(pdftext(written / "private" / "2026-12-15-cabinet" / "decision-item-6.pdf"))
    assert "NOT FOR PUBLICATION" in full and "Larkspur" in full  # the exempt recommendations themselves
    for name in ("private-meeting-notice-28-day.pdf", "private-meeting-notice-5-day.pdf"):
        text = squash(pdftext(folder / name))
        assert public_interest in text and "6. Disposal of the former Marsh Leys highways depot" in text
        assert "Annex B - Tender prices and evaluation scores" in text
    assert len(list(written.rglob("*.html"))) == len(list(written.rglob("*.pdf")))  # a web page beside each PDF
    public = [p for p in written.rglob("*") if p.is_file() and "private" not in p.relative_to(written).parts]
    everything = [pdftext(p) for p in public if p.suffix == ".pdf"] + [p.read_text() for p in public if p.suffix != ".pdf"]
    for phrase in EXEMPT_PHRASES:
        assert not any(phrase in text for text in everything), phrase
    assert "HERON-LAND-4482" in (DEPOT / "report.yaml").read_text()  # the canary is really in the content


def test_private_notice_dates() -> None:
    from reportgen.content.meeting import load_meeting

    first, second = private.private_dates(load_meeting(MEETING))
    assert first == dt.date(2026, 11, 16)  # 28 clear days: 17 November to 14 December
    assert second == dt.date(2026, 12, 7)  # 5 clear working days: 8 to 14 December


def test_records_manifest_lists_every_file_with_dates(written: Path) -> None:
    listed = json.loads((written / "2026-12-15-cabinet" / "records.json").read_text(encoding="utf-8"))
    files = sorted(p.relative_to(written).as_posix() for p in (written / "2026-12-15-cabinet").glob("decision*.pdf"))
    assert sorted(d["file"] for d in listed) == files and len(files) == 3
    assert {d["published"] for d in listed if d["kind"] == "decision notice"} == {"2026-12-17"}  # the day it ran
    [full] = json.loads((written / "private" / "2026-12-15-cabinet" / "records.json").read_text(encoding="utf-8"))
    assert full["file"] == "private/2026-12-15-cabinet/decision-item-6.pdf"
    for which, day in (("28-day", "2026-11-16"), ("5-day", "2026-12-07")):
        [notice] = json.loads((written / "2026-12-15-cabinet" / f"notice-{which}.json").read_text(encoding="utf-8"))
        assert notice["published"] == day


# --------------------------------------------------------------------------- accessibility

def test_generated_pdfs_pass_both_pdfua_validators(written: Path) -> None:
    import page
    import pdfua

    pdfs = sorted(written.rglob("*.pdf"))
    assert len(pdfs) == 8  # 2 forward plans, 2 private-meeting notices, 3 decision notices, 1 full record
    for pdf in pdfs:
        report = page.validate_pdf(str(pdf), profile="ua1")
        assert report.is_compliant, (pdf.name, sorted({f"{f.rule_id}: {f.message}" for f in report.failures}))
        checked = pdfua.validate(str(pdf))
        assert checked.worst_severity() is None, (pdf.name, [(f.rule_id, f.message) for f in checked.findings])


# --------------------------------------------------------------------------- rules RG407-RG410

def _errors(fn) -> list[str]:  # type: ignore[no-untyped-def]
    try:
        fn()
    except ContentError as exc:
        return [str(p) for p in exc.problems]
    return []


def _plan(style: str, date: str, refs: list[str]) -> None:
    """An earlier forward plan in the publication history (as `forward-plan` records it)."""
    from reportgen.content.history import Publication, load_history

    history = load_history(Path(os.environ["REPORTGEN_HISTORY"]))
    history.record(Publication(what="forward plan", key=style, published=dt.date.fromisoformat(date),
                               sha256="0" * 64, entries=refs))


def test_rg407_fires_when_notice_date_is_later_than_the_first_plan(monkeypatch) -> None:
    _plan("oxfordshire", "2026-10-16", ["2026/123"])
    at(monkeypatch, "2026-10-30")
    errors = _errors(lambda: plan_records([HIGHWAYS], None, None))
    assert errors == [f"{HIGHWAYS / 'report.yaml'}:19:3: decision_type.notice_date: RG407: notice_date 23 October "
                      "2026 is later than the forward plan of 16 October 2026, which first listed 2026/123"]


def test_rg407_fires_when_missing_from_the_plan_of_its_notice_date(monkeypatch) -> None:
    _plan("oxfordshire", "2026-10-23", ["2026/999"])
    at(monkeypatch, "2026-10-30")
    errors = _errors(lambda: plan_records([HIGHWAYS], None, None))
    assert [e.split(": RG407: ")[1] for e in errors if ": RG407: " in e] == [
        "2026/123 is missing from the forward plan of 23 October 2026: it was first listed on 30 October 2026, "
        "not 23 October 2026"]


def test_rg407_quiet_when_the_plan_of_its_notice_date_lists_it(monkeypatch) -> None:
    _plan("oxfordshire", "2026-10-23", ["2026/123"])
    at(monkeypatch, "2026-10-30")
    records = plan_records([HIGHWAYS], None, None).records
    data = next(r.data for r in records if r.data)
    row = list(csv.reader(io.StringIO(data.decode())))[1] if data else []
    assert row[-2:] == ["2026-10-23", "28 clear days' notice given"]  # first published: from the history


RULE_CASES = {
    "RG408": "published: 2026-12-17\nitems:\n  - item: 5\n    alternatives: [Build a new drainage depot.]\n",
    "RG409": "published: 2026-12-17\nitems:\n  - item: 5\n    amended: [Award the contract for two years.]\n",
    "RG410": "published: 2026-12-17\nitems:\n  - item: 5\n    call_in_deadline: 2026-12-24\n",
}
QUIET_CASES = {
    "RG408": "published: 2026-12-17\nitems:\n  - item: 5\n    alternatives: [bring the service in house]\n",
    "RG409": "published: 2026-12-17\nitems:\n  - item: 5\n    amended: [Award the contract for two years.]\n"
             "    reasons: [Members asked for a review after two years.]\n",
    "RG410": "published: 2026-12-17\nitems:\n  - item: 5\n",
}
MESSAGES = {
    "RG408": "4:20: items[0].alternatives[0]: RG408: the report gives no such alternative option",
    "RG409": "4:5: items[0].amended: RG409: the decision was amended but no reasons are given for it",
    "RG410": "4:5: items[0].call_in_deadline: RG410: typed as 24 December 2026; it is computed "
             "(5 clear working days after publication on 17 December 2026: 24 December 2026)",
}


@pytest.mark.parametrize("rule", sorted(RULE_CASES))
def test_decision_rule_fires_and_nothing_is_written(rule: str, tmp_path: Path, runner) -> None:
    meeting = copy_meeting(tmp_path, RULE_CASES[rule])
    out = tmp_path / "out"
    result = runner.invoke(main, ["decisions", str(meeting), "--out", str(out)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    decisions_file = meeting.with_name("2026-12-15-cabinet.decisions.yaml")
    assert result.output.strip() == f"{decisions_file}:{MESSAGES[rule]}"
    assert not out.exists()


@pytest.mark.parametrize("rule", sorted(QUIET_CASES))
def test_decision_rule_quiet(rule: str, tmp_path: Path) -> None:
    meeting = copy_meeting(tmp_path, QUIET_CASES[rule])
    assert [r.name for r in decision_records(meeting).records] == [
        "2026-12-15-cabinet/decision-item-5.pdf", "2026-12-15-cabinet/decision-item-6.pdf",
        "private/2026-12-15-cabinet/decision-item-6.pdf", "2026-12-15-cabinet/decisions.pdf"]


def test_every_record_rule_is_tested() -> None:
    assert sorted(r.id for r in catalogue().values() if r.scope == "decision") == sorted(RULE_CASES) == sorted(QUIET_CASES)
    assert [r.id for r in catalogue().values() if r.scope == "forward-plan"] == ["RG407", "RG412"]


# --------------------------------------------------------------------------- bad input

def test_bad_decisions_file_is_located_and_nothing_written(tmp_path: Path, runner) -> None:
    meeting = copy_meeting(tmp_path, "published: soon\nitems:\n  - item: 3\n  - item: 5\n    call_in: false\n")
    out = tmp_path / "out"
    result = runner.invoke(main, ["decisions", str(meeting), "--out", str(out)])
    assert result.exit_code == 2 and not out.exists()
    lines = result.output.strip().splitlines()
    assert [line.split(".decisions.yaml:", 1)[1] for line in lines] == [
        "1:1: published: expected a date as YYYY-MM-DD, got text 'soon'",
        "4:5: items[1]: a decision exempt from call-in needs an urgency statement saying why"]


def test_decision_on_a_standard_item_is_refused(tmp_path: Path) -> None:
    meeting = copy_meeting(tmp_path, "published: 2026-12-17\nitems:\n  - item: 3\n")
    assert [e.split(".decisions.yaml:", 1)[1] for e in _errors(lambda: decision_records(meeting))] == [
        "3:5: items[0].item: agenda item 3 is not a report item (report items: 5, 6)"]


def test_individual_decision_from_a_report_and_its_decision_file(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    shutil.copytree(EXAMPLES / "models" / "herefordshire-2026-12-library-opening-hours", folder)
    assert [e.split(": ", 1)[1] for e in _errors(lambda: decision_records(folder))] == [
        "no decision file: write decision.yaml beside the report"]
    (folder / "decision.yaml").write_text("published: 2026-12-18\n", encoding="utf-8")
    [record] = decision_records(folder).records
    prepared = prepare(folder)
    assert record.layout is not None and record.published == dt.date(2026, 12, 18)
    decided = [el.markdown for el in record.layout.elements if isinstance(el, Prose)]
    assert prepared.report.recommendations is not None
    for item in prepared.report.recommendations.items:
        assert item.text in decided
    assert not any(isinstance(el, Grid) and el.loc and el.loc[0] != "recommendations"
                   for el in record.layout.elements)


def test_forward_plan_cli_bad_input_is_located_and_nothing_written(tmp_path: Path, runner) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, ["forward-plan", str(HIGHWAYS), str(ROOT / "tests" / "fixtures" / "wrong-types"),
                                  "--from", "2026-10-23", "--out", str(out)])
    assert result.exit_code == 2 and "Traceback" not in result.output and not out.exists()
    assert all("wrong-types/report.yaml:" in line for line in result.output.strip().splitlines())


def test_forward_plan_cli_writes_csv_pdf_and_manifest(tmp_path: Path, runner) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, ["forward-plan", str(HIGHWAYS), "--from", "2026-10-23", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.*")) == [
        "forward-plan-2026-11-21.json", "oxfordshire/forward-plan-2026-11-21.csv",
        "oxfordshire/forward-plan-2026-11-21.html", "oxfordshire/forward-plan-2026-11-21.pdf"]
    text = squash(pdftext(out / "oxfordshire" / "forward-plan-2026-11-21.pdf"))
    assert "2026/123: Award of the highways drainage maintenance contract" in text
    assert "published 21 november 2026" in text.casefold() and "23 October" not in text.split("First published")[0]


def test_decisions_content_is_data(tmp_path: Path) -> None:
    """Markup-like text in a decisions file prints literally in the notice, never evaluated or escaped twice."""
    special = "Fees & charges < 5% > “none” é {{ x }} {% if y %} <script>alert('x')</script>"
    meeting = copy_meeting(tmp_path, "published: 2026-12-17\nitems:\n  - item: 5\n    amended:\n"
                                     f"      - '{special.replace(chr(39), chr(39) * 2)}'\n"
                                     f"    reasons: ['Because {{{{ reason }}}} & <b>why</b>.']\n"
                                     "    interests:\n      - name: 'Councillor Jo Placeholder'\n"
                                     "        interest: '{date} & <i>shares</i>'\n")
    out = tmp_path / "out"
    decisions(meeting, out)
    text = squash(pdftext(out / "2026-12-15-cabinet" / "decision-item-5.pdf"))
    assert squash(special) in text
    assert "Because {{ reason }} & <b>why</b>." in text
    assert "Councillor Jo Placeholder declared {date} & <i>shares</i>" in text
    # The web edition too: the text is escaped once, so a browser shows it as typed and runs nothing.
    import lxml.html

    page = lxml.html.fromstring((out / "2026-12-15-cabinet" / "decision-item-5.html").read_bytes())
    assert squash(special) in squash(page.text_content()) and not page.xpath("//script")


def test_a_style_may_list_every_decision_in_the_forward_plan(tmp_path: Path) -> None:
    styles = tmp_path / "styles"
    shutil.copytree(ROOT / "templates" / "herefordshire", styles / "herefordshire")
    with (styles / "herefordshire" / "profile.yaml").open("a", encoding="utf-8") as f:
        f.write("records:\n  forward_plan_all_decisions: true\n")
    library = EXAMPLES / "models" / "herefordshire-2026-12-library-opening-hours"
    assert plan_records([library], PLAN_DATE, None).records == []  # non-key: not by default
    records = plan_records([library], PLAN_DATE, None, Settings.with_styles(styles)).records
    data = next(r.data for r in records if r.data)
    assert data is not None
    [row] = list(csv.reader(io.StringIO(data.decode())))[1:]
    assert row[1].startswith(prepare(library).report.title) and row[2] == "Cabinet member communities and assets"


def test_decision_notice_repeats_the_forward_plan_reference() -> None:
    prepared = prepare(HIGHWAYS)
    n = notices.notice(prepared, Decision(), 5, dt.date(2026, 12, 15), dt.date(2026, 12, 17))
    assert "Forward plan reference: 2026/123" in [getattr(el, "text", "") for el in notices.notice_elements(n)]


# --------------------------------------------------------------------------- dates and people that would make a record false

def test_a_declared_interest_must_come_from_a_member_of_the_body(tmp_path: Path, monkeypatch) -> None:
    at(monkeypatch, "2026-12-17")  # after the meeting
    meeting = copy_meeting(tmp_path, "items:\n  - item: 5\n    interests:\n      - name: Councillor Someone Else\n"
                                     "        interest: owns a drainage firm\n")
    [error] = _errors(lambda: decision_records(meeting))
    assert error.split(".decisions.yaml:", 1)[1].startswith(
        "4:9: items[0].interests[0].name: Councillor Someone Else is not a member of Cabinet (Councillor Alex Example")


def test_a_dispensation_names_who_granted_it(tmp_path: Path, monkeypatch) -> None:
    at(monkeypatch, "2026-12-17")  # after the meeting
    meeting = copy_meeting(tmp_path, "items:\n  - item: 5\n    interests:\n      - name: Councillor Jo Placeholder\n"
                                     "        interest: owns a drainage firm\n        dispensation: to vote\n")
    [error] = _errors(lambda: decision_records(meeting))
    assert error.split(".decisions.yaml:", 1)[1] == (
        "4:9: items[0].interests[0]: a dispensation must say who granted it (granted_by)")


def test_an_exempt_decision_needs_its_public_reasons_and_alternatives(tmp_path: Path, monkeypatch) -> None:
    at(monkeypatch, "2026-12-17")  # after the meeting
    meeting = copy_meeting(tmp_path, "items:\n  - item: 6\n    public_reasons: [The depot is no longer needed.]\n")
    [error] = _errors(lambda: decision_records(meeting))
    assert error.split(".decisions.yaml:", 1)[1] == (
        "2:5: items[0]: item 6: Disposal of the former Marsh Leys highways depot is exempt: its public record needs "
        "public_alternatives worded for the public (reg 13)")


def test_decision_notices_never_before_the_clock_or_the_decision(tmp_path: Path, monkeypatch) -> None:
    meeting = copy_meeting(tmp_path, "published: 2026-12-25\n")  # a later day: scheduled, and printed
    at(monkeypatch, "2026-12-17")
    assert {r.published for r in decision_records(meeting).records} == {dt.date(2026, 12, 25)}
    at(monkeypatch, "2026-12-28")  # the same file after that day has passed: the typed date is now false
    [error] = _errors(lambda: decision_records(meeting))
    assert error.split(".decisions.yaml:", 1)[1].startswith(
        "1:1: published: 2026-12-25 is before today (2026-12-28): the notices are dated the day they are published")
    folder = tmp_path / "library"
    shutil.copytree(EXAMPLES / "models" / "herefordshire-2026-12-library-opening-hours", folder)
    (folder / "decision.yaml").write_text("decided: 2026-12-29\n", encoding="utf-8")
    assert _errors(lambda: decision_records(folder, today=dt.date(2026, 12, 28))) == [
        "--today:1:1: the decision is taken on 29 December 2026: its notice cannot be published before it "
        "(on 28 December 2026)"]


def test_private_notices_in_order_and_on_time_or_with_the_urgency_route(tmp_path: Path, monkeypatch) -> None:
    from reportgen.records.run import notice_records

    meeting = copy_meeting(tmp_path)
    at(monkeypatch, "2026-12-07")
    # the 5-day notice on its last day, but no 28-day notice ever went out
    [error] = _errors(lambda: notice_records(meeting, "5-day"))
    assert "4:1: date: the 28-day notice has not been published" in error
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(text.replace("private_meeting:", "private_meeting:\n  urgency:\n    agreed_by: Councillor "
                                    "Ada Chair, Chair of the Performance and Corporate Services Overview and "
                                    "Scrutiny Committee\n    reasons: The bids expire on 20 December.", 1), encoding="utf-8")
    at(monkeypatch, "2026-12-09")  # after both deadlines: the urgency route is printed, with who agreed and why
    made = notice_records(meeting, "5-day")
    [record] = made.records
    assert record.published == dt.date(2026, 12, 9) and record.layout is not None
    lines = [getattr(el, "text", "") for el in record.layout.elements]
    assert any("as agreed by Councillor Ada Chair" in line and "The bids expire on 20 December." in line
               for line in lines)
    assert any(line.startswith("From Wychford Residents' Association: ") for line in lines)
    assert any("Robin Clerk" in line for line in lines)  # the contact officer
    at(monkeypatch, "2026-12-15")  # on the day of the meeting it is no notice at all
    [error] = _errors(lambda: notice_records(meeting, "28-day"))
    assert "date: the meeting is on 15 December 2026: a notice of it made on 15 December 2026 comes too late" in error
