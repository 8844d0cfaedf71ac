"""The committee cycle on a calendar: every step run as a clerk runs it (`reportgen` in a fresh process), each
on its own simulated day (REPORTGEN_TODAY), with one publication history for the whole cycle.

Every printed date must be the day that step ran or a deadline computed from the meeting; every step
made too early (a decision notice before the decision), backdated (a plan or notice dated before its
run) or too late without its lawful route is refused with a located message, exit 2 (or 1 for the
publish gate's findings), and nothing is written.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html

from reportgen.content.dates import after_working_days, clear_days_before, publication_deadline

import datetime as dt

from .conftest import ROOT

REPORTGEN = Path(sys.executable).with_name("reportgen")
EXAMPLES = ROOT / "content" / "examples"
MEETING_DATE = dt.date(2026, 12, 15)
REASON = "The minutes were supplied by the previous clerk as a scanned PDF."


def when(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


class Cycle:
    """A council's papers in a tmp folder, its history, and `reportgen` run on a given day."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.out = root / "out"
        self.history = root / "publications.json"
        shutil.copytree(EXAMPLES / "models", root / "models")
        shutil.copytree(EXAMPLES / "meetings", root / "meetings")
        self.meeting = root / "meetings" / "2026-12-15-cabinet.yaml"
        # The east-herts report (a Full Council decision) is written after the first plan.
        self.later = root / "later"
        self.later.mkdir()
        shutil.move(root / "models" / "east-herts-2026-12-council-tax-support", self.later / "council-tax")

    def run(self, day: str, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        env.update(REPORTGEN_TODAY=day, REPORTGEN_HISTORY=str(self.history))
        result = subprocess.run([str(REPORTGEN), *args], cwd=self.root, capture_output=True, text=True, env=env,
                                timeout=600, stdin=subprocess.DEVNULL)
        shown = f"{day}: reportgen {' '.join(args)}\nexit {result.returncode}\n{result.stdout}{result.stderr}"
        assert "Traceback" not in result.stderr + result.stdout, shown
        assert result.returncode == code, shown
        return result

    def refused(self, day: str, *args: str, located: str, code: int = 2) -> None:
        """The step is refused with a message located in `located`, and writes nothing new."""
        before = self.snapshot()
        result = self.run(day, *args, code=code)
        assert located in result.stderr, result.stderr
        assert self.snapshot() == before, f"{day}: {args} wrote something"

    def snapshot(self) -> dict[str, bytes]:
        found = {p.relative_to(self.root).as_posix(): p.read_bytes() for p in self.out.rglob("*")
                 if p.is_file() and ".cache" not in p.parts} if self.out.exists() else {}
        if self.history.exists():
            found["history"] = self.history.read_bytes()
        return found


def page(path: Path) -> tuple[dict[str, list[str]], str]:
    """A web page's front matter (label -> values) and its whole text, spaces squashed."""
    tree = lxml.html.fromstring(path.read_bytes())
    front = {row.findtext("dt"): [dd.text_content().strip() for dd in row.findall("dd")]
             for row in tree.cssselect(".front-row")}
    [main] = tree.cssselect("main")
    return front, " ".join(main.text_content().split())


def add_urgent_decision(cycle: Cycle) -> Path:
    """A key decision first known on 3 December for the 15 December meeting: special urgency (reg 11)."""
    folder = cycle.root / "models" / "oxfordshire-2026-12-gully-emergency"
    shutil.copytree(cycle.root / "models" / "oxfordshire-2026-12-highways-maintenance-contract", folder)
    report = folder / "report.yaml"
    text = report.read_text(encoding="utf-8")
    text = text.replace('forward_plan_ref: "2026/123"', 'forward_plan_ref: "2026/140"')
    text = re.sub(r"(?m)^title: .*$", "title: Emergency repairs to the Wychford culvert", text)
    text = re.sub(r"\n  notice_date: [0-9-]+", "", text)
    report.write_text(text, encoding="utf-8")
    return report


def test_the_committee_cycle_on_a_calendar(tmp_path: Path) -> None:
    c = Cycle(tmp_path)
    out = ["--out", "out"]
    slug = "2026-12-15-cabinet"
    first_notice, second_notice = clear_days_before(MEETING_DATE, 28), publication_deadline(MEETING_DATE, 5)
    assert (first_notice, second_notice) == (dt.date(2026, 11, 16), dt.date(2026, 12, 7))

    # 23 October: the first forward plan. Headed with the day it ran, whatever --from says.
    c.refused("2026-10-23", "forward-plan", "models", "--today", "2026-10-01", *out, located="--today:1:1:")
    c.run("2026-10-23", "forward-plan", "models", "--from", "2026-10-01", *out)
    front, text = page(c.out / "oxfordshire" / "forward-plan-2026-10-23.html")
    assert front["Published"] == [when(dt.date(2026, 10, 23))]
    assert "Forward plan of key decisions published 23 October 2026" in text
    assert text.count("First published: 23 October 2026") == 2 and "Notice given: 28 clear days' notice given" in text

    # 17 November: the 28-day notice of the private part is one day late, with no urgency route.
    c.refused("2026-11-17", "notices", "meetings/2026-12-15-cabinet.yaml", "--notice", "28-day", *out,
              located="2026-12-15-cabinet.yaml:4:1: date: the 28-day notice was due by 16 November 2026")
    # 16 November: in time, and dated that day (not its deadline, not the meeting's).
    c.run("2026-11-16", "notices", "meetings/2026-12-15-cabinet.yaml", "--notice", "28-day", *out)
    front, text = page(c.out / slug / "private-meeting-notice-28-day.html")
    assert front["Published"] == [when(first_notice)] and front["Date"] == [when(MEETING_DATE)]

    # 3 December: a key decision arrives with only 11 clear days to go, and a Full Council decision.
    shutil.move(c.later / "council-tax", c.root / "models" / "east-herts-2026-12-council-tax-support")
    report = add_urgent_decision(c)
    c.refused("2026-12-03", "forward-plan", "models", *out,
              located=f"{report.relative_to(c.root)}:16:1: decision_type: RG412: 2026/140 is first published in "
                      "the forward plan on 3 December 2026, 11 clear days before 15 December 2026")
    report.write_text(report.read_text(encoding="utf-8").replace(
        'forward_plan_ref: "2026/140"', 'forward_plan_ref: "2026/140"\n  urgency: special-urgency'), encoding="utf-8")
    c.run("2026-12-03", "forward-plan", "models", "--from", "2026-10-30", *out)
    front, text = page(c.out / "oxfordshire" / "forward-plan-2026-12-03.html")
    assert front["Published"] == [when(dt.date(2026, 12, 3))] and "30 October" not in text
    # 2026/123 and 2026/131 were first published on 23 October (the history), 2026/140 today
    assert re.findall(r"First published: (\d+ \w+ \d{4}) Notice given: (.*?)(?= 2026/1|$)", text) == [
        ("23 October 2026", "28 clear days' notice given"), ("23 October 2026", "28 clear days' notice given"),
        ("3 December 2026", "Fewer than 28 clear days (11): special urgency (regulation 11); the decision is "
                            "urgent and cannot reasonably be deferred, as agreed under regulation 11")]
    front, text = page(c.out / "east-herts" / "forward-plan-2026-12-03.html")
    # Labelled as not the executive's; no east-herts plan is in the history yet, so the date of the plan
    # made before the history began (the report's notice_date) stands, in that style's date format.
    assert "Not an executive decision" in text and "First published: 30th October 2026" in text
    assert front["Published"] == ["3rd December 2026"]

    # 7 December: the 5-day notice, with the representation received and the council's response.
    c.run("2026-12-07", "notices", "meetings/2026-12-15-cabinet.yaml", "--notice", "5-day", *out)
    front, text = page(c.out / slug / "private-meeting-notice-5-day.html")
    assert front["Published"] == [when(second_notice)]
    assert "From Wychford Residents' Association: asked for the depot sale to be discussed in public." in text
    assert "The council's response: The sale is discussed in private only while the bids are confidential" in text

    # 10 December: the agenda is late (due by 7 December). Refused without the chair's urgency reasons...
    publish = ["publish", "meetings/2026-12-15-cabinet.yaml", "--accept-inaccessible", REASON, "--out", "out/publish"]
    result = c.run("2026-12-10", *publish, code=1)
    assert "RG601: agenda published 10 December 2026, only 2 clear working days" in result.stderr
    assert not (c.out / "publish" / slug / "public").exists()
    status = c.run("2026-12-10", "status", "meetings/2026-12-15-cabinet.yaml", code=1)
    assert status.stdout.splitlines()[0].endswith(
        "publication deadline 2026-12-07 passed 3 days ago: NOT READY (1 errors, 0 warnings)")
    # ... and published with them, printed for the public on the front sheet and the meeting page.
    urgency = "The contract must be awarded before the current one ends on 31 March."
    c.meeting.write_text(c.meeting.read_text(encoding="utf-8").replace(
        "items:\n  - standard: apologies", f"urgency_statement: {urgency}\nitems:\n  - standard: apologies"),
        encoding="utf-8")
    c.run("2026-12-10", *publish)
    public = c.out / "publish" / slug / "public"
    _, text = page(public / "index.html")
    assert re.search(r"Published ?10 December 2026", text) and re.search("Reasons for urgency ?" + re.escape(urgency), text)
    assert urgency in text
    front_sheet = subprocess.run(["pdftotext", str(public / "00-agenda-front-sheet.pdf"), "-"], capture_output=True,
                                 text=True, check=True).stdout
    assert urgency in " ".join(front_sheet.split()) and "10 December 2026" in front_sheet
    assert "4 December 2026" not in front_sheet  # the typed publication_date is only the plan

    # 14 December: the decision notices cannot come before the meeting.
    c.refused("2026-12-14", "decisions", "meetings/2026-12-15-cabinet.yaml", *out,
              located="REPORTGEN_TODAY:1:1: the decision is taken on 15 December 2026: its notice cannot be "
                      "published before it (on 14 December 2026)")
    # 17 December: a typed earlier `published` is refused, located in the decisions file.
    decisions_file = c.meeting.with_name("2026-12-15-cabinet.decisions.yaml")
    original = decisions_file.read_text(encoding="utf-8")
    decisions_file.write_text("published: 2026-12-03\n" + original, encoding="utf-8")
    c.refused("2026-12-17", "decisions", "meetings/2026-12-15-cabinet.yaml", *out,
              located="2026-12-15-cabinet.decisions.yaml:1:1: published: 2026-12-03 is before today (2026-12-17)")
    decisions_file.write_text(original, encoding="utf-8")
    c.run("2026-12-17", "decisions", "meetings/2026-12-15-cabinet.yaml", *out)
    call_in = after_working_days(dt.date(2026, 12, 17), 5)
    assert call_in == dt.date(2026, 12, 24)
    front, text = page(c.out / slug / "decision-item-5.html")
    assert front["Published"] == [when(dt.date(2026, 12, 17))]
    assert f"called in until 5.00 pm on {when(call_in)}" in text and "[[" not in text
    assert "Dispensation granted by Head of Paid Service" in text

    # 18 December: a correction keeps the first publication date and the call-in deadline it started.
    decisions_file.write_text(original.replace("granted on 1 December 2026", "granted on 2 December 2026"),
                              encoding="utf-8")
    c.run("2026-12-18", "decisions", "meetings/2026-12-15-cabinet.yaml", *out)
    front, text = page(c.out / slug / "decision-item-5.html")
    assert front["Published"] == ["17 December 2026 (revised on 18 December 2026)"]
    assert f"called in until 5.00 pm on {when(call_in)}" in text

    # The history holds every publication, each with its day and digest, in the order they went out.
    import json

    history = json.loads(c.history.read_text(encoding="utf-8"))["publications"]
    assert [(p["what"], p["published"], p.get("revised")) for p in history] == [
        ("forward plan", "2026-10-23", None),
        ("private meeting notice (28-day)", "2026-11-16", None),
        ("forward plan", "2026-12-03", None), ("forward plan", "2026-12-03", None),
        ("private meeting notice (5-day)", "2026-12-07", None),
        ("agenda", "2026-12-10", None),
        ("decisions", "2026-12-17", None), ("decisions", "2026-12-17", "2026-12-18")]
    assert all(re.fullmatch(r"[0-9a-f]{64}", p["sha256"]) for p in history)


def test_a_clock_that_is_not_a_date_is_a_located_error(tmp_path: Path) -> None:
    c = Cycle(tmp_path)
    c.refused("21/11/2026", "forward-plan", "models", "--out", "out",
              located="REPORTGEN_TODAY:1:1: not a date (YYYY-MM-DD): '21/11/2026'")


def test_a_broken_history_is_a_located_error_and_is_left_as_it_was(tmp_path: Path) -> None:
    c = Cycle(tmp_path)
    for broken, located in (
            ('{"publications": [\n{"what": "agenda", "key": "x", "published": "soon", "sha256": "0"}\n]}\n',
             "publications.json:2:32: publications[0].published: expected a date"),
            ('{"publications": [\n{"what": "agenda", "key": "x", "published": "2026-10-01", "sha256": "0"}\n]}\n',
             "publications.json:2:59: publications[0].sha256: expected a sha256 digest (64 hexadecimal digits)"),
            ('{"publications": [\n{"what": "agenda",, }\n]}\n', "publications.json:2:"),
            ("- just\n- a list\n", "publications.json:1:1: the publication history must be a mapping")):
        c.history.write_text(broken, encoding="utf-8")
        c.refused("2026-10-23", "forward-plan", "models", "--out", "out", located=located)
        c.refused("2026-11-16", "notices", "meetings/2026-12-15-cabinet.yaml", "--notice", "28-day", "--out", "out",
                  located=located)
        assert c.history.read_text(encoding="utf-8") == broken


def test_an_agenda_is_never_published_before_the_clock_but_a_draft_may_be(tmp_path: Path) -> None:
    c = Cycle(tmp_path)
    publish = ["publish", "meetings/2026-12-15-cabinet.yaml", "--accept-inaccessible", REASON, "--out", "out"]
    c.refused("2026-12-01", *publish, "--today", "2026-11-30",
              located="--today:1:1: 2026-11-30 is before today (2026-12-01)")
    c.run("2026-12-01", *publish, "--today", "2026-11-30", "--draft")  # never a publication: not recorded
    assert not c.history.exists()
    c.run("2026-12-01", *publish)
    _, text = page(c.out / "2026-12-15-cabinet" / "public" / "index.html")
    assert "Published1 December 2026 " in text
    # Published again on a later day from changed papers: a revision, keeping the first date.
    c.meeting.write_text(c.meeting.read_text(encoding="utf-8").replace(
        "Questions received by the deadline", "Questions received by 5.00 pm on 9 December"), encoding="utf-8")
    c.run("2026-12-09", *publish)
    _, text = page(c.out / "2026-12-15-cabinet" / "public" / "index.html")
    assert "Published1 December 2026 (revised on 9 December 2026)" in text  # the deadline met stays met
    statement = (c.out / "2026-12-15-cabinet" / "public" / "accessibility-statement.html").read_text(encoding="utf-8")
    assert "prepared on 1 December 2026 and was last reviewed on 9 December 2026" in statement
    # The same papers again the next day: no revision, dated as they were.
    c.run("2026-12-10", *publish)
    _, again = page(c.out / "2026-12-15-cabinet" / "public" / "index.html")
    assert "Published1 December 2026 (revised on 9 December 2026)" in again
    import json

    history = json.loads(c.history.read_text(encoding="utf-8"))["publications"]
    assert [(p["published"], p.get("revised")) for p in history] == [("2026-12-01", None), ("2026-12-01", "2026-12-09")]
