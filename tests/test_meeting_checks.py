"""The meeting checked as a meeting (RG6xx): the agenda's own timing, reports for another meeting, one report on
two agendas; by `reportgen check MEETING.yaml` and by the publish gate."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.cli import main

from .conftest import ROOT

MEETING = "2026-12-15-cabinet.yaml"


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """A copy of the example meeting and its signed reports."""
    root = tmp_path / "examples"
    shutil.copytree(ROOT / "content" / "examples" / "meetings", root / "meetings")
    shutil.copytree(ROOT / "content" / "examples" / "models", root / "models")
    return root / "meetings"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def check(runner, meeting: Path):
    return runner.invoke(main, ["check", str(meeting), "--today", "2026-11-21"], catch_exceptions=False)


def meeting_lines(output: str, meeting: Path) -> list[str]:
    return [line[len(f"{meeting}:"):] for line in output.splitlines() if line.startswith(f"{meeting}:")
            and " RG6" in line]


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_the_example_meeting_is_clean(runner, examples: Path) -> None:
    result = check(runner, examples / MEETING)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"{examples / MEETING} [oxfordshire]: ready"
    assert result.output.splitlines()[1] == f"{examples.parent / 'models' / 'oxfordshire-2026-12-highways-maintenance-contract'} [oxfordshire]: ready"


def test_an_agenda_published_late(runner, examples: Path) -> None:
    meeting = examples / MEETING
    edit(meeting, "publication_date: 2026-12-04", "publication_date: 2026-12-14")
    result = check(runner, meeting)
    assert result.exit_code == 1
    line = line_of(meeting, "publication_date:")
    assert meeting_lines(result.output, meeting) == [
        f"{line}:1: error RG601: agenda published 14 December 2026, only 0 clear working days before the "
        "15 December 2026 meeting (needs 5; publish by 7 December 2026) (publish earlier, move the meeting, "
        "or give urgency_statement)"]


def test_a_late_agenda_with_an_urgency_statement(runner, examples: Path) -> None:
    meeting = examples / MEETING
    edit(meeting, "publication_date: 2026-12-04", "publication_date: 2026-12-14\n"
                  "urgency_statement: The chair agreed the item is urgent because the contract ends in January.")
    assert check(runner, meeting).exit_code == 0


def test_reports_for_another_meeting(runner, examples: Path) -> None:
    meeting = examples / MEETING
    edit(meeting, "date: 2026-12-15", "date: 2026-12-22")
    edit(meeting, "committee: Cabinet", "committee: Council")
    result = check(runner, meeting)
    assert result.exit_code == 1
    first, second = line_of(meeting, "- report: ../models/oxfordshire-2026-12-highways"), line_of(meeting, "- report: ../models/oxfordshire-2026-12-depot")
    got = [line.split(" (correct")[0] for line in meeting_lines(result.output, meeting)]
    assert got == [
        f"{first}:5: error RG602: item 5 (Award of the highways drainage maintenance contract 2027 to 2031) is for 15 December 2026, but this meeting is on 22 December 2026",
        f"{first}:5: error RG602: item 5 (Award of the highways drainage maintenance contract 2027 to 2031) is decided by Cabinet, but this meeting is Council",
        f"{second}:5: error RG602: item 6 (Disposal of the former Marsh Leys highways depot) is for 15 December 2026, but this meeting is on 22 December 2026",
        f"{second}:5: error RG602: item 6 (Disposal of the former Marsh Leys highways depot) is decided by Cabinet, but this meeting is Council",
    ]


def test_a_report_on_two_agendas(runner, examples: Path) -> None:
    meeting = examples / MEETING
    other = examples / "2027-01-12-cabinet.yaml"
    other.write_text(meeting.read_text(encoding="utf-8").replace("2026-12-15", "2027-01-12")
                     .replace("  - report: ../models/oxfordshire-2026-12-highways-maintenance-contract\n", ""),
                     encoding="utf-8")
    result = check(runner, meeting)
    assert result.exit_code == 1
    got = [line.split(": error ")[1].split(" (take")[0] for line in meeting_lines(result.output, meeting)]
    assert got == ["RG603: item 6 (Disposal of the former Marsh Leys highways depot) is also on the agenda 2027-01-12-cabinet.yaml"]


def test_a_report_twice_on_one_agenda(runner, examples: Path) -> None:
    meeting = examples / MEETING
    meeting.write_text(meeting.read_text(encoding="utf-8")
                       + "  - report: ../models/oxfordshire-2026-12-depot-land-disposal/\n", encoding="utf-8")
    got = [line.split(": error ")[1].split(" (take")[0] for line in meeting_lines(check(runner, meeting).output, meeting)]
    assert got == ["RG603: item 7 (Disposal of the former Marsh Leys highways depot) is already item 6 of this agenda"]


def test_the_publish_gate_refuses_a_late_agenda(runner, examples: Path, tmp_path: Path) -> None:
    # Prepared to go out on 11 December (the clock moved forward): the date printed would be that day, so
    # the agenda is late whatever publication_date says.
    meeting = examples / MEETING
    result = runner.invoke(main, ["publish", str(meeting), "--out", str(tmp_path / "out"), "--today", "2026-12-11"])
    assert result.exit_code == 1
    assert "  meeting: " in result.output and "error RG601: agenda published 11 December 2026, only 1 clear working days" in result.output
    out = tmp_path / "out"  # nothing published: at most the cache of check results exists
    assert not out.exists() or [p.name for p in out.iterdir()] == [".cache"]


def test_meeting_rules_are_in_the_catalogue(runner) -> None:
    result = runner.invoke(main, ["rules"])
    assert result.exit_code == 0
    for rule in ("RG601", "RG602", "RG603"):
        assert f"{rule} [error]" in result.output


def test_a_style_may_lower_a_meeting_rule(runner, examples: Path, tmp_path: Path) -> None:
    """RG603 lowered to a warning by the house style: reported as a warning, and the meeting is ready."""
    styles = tmp_path / "styles"
    shutil.copytree(ROOT / "templates" / "oxfordshire", styles / "oxfordshire")
    profile = styles / "oxfordshire" / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "rules:\n  RG603: warning\n", encoding="utf-8")
    meeting = examples / MEETING
    meeting.write_text(meeting.read_text(encoding="utf-8")
                       + "  - report: ../models/oxfordshire-2026-12-depot-land-disposal/\n", encoding="utf-8")
    args = ["check", str(meeting), "--today", "2026-11-21"]
    assert runner.invoke(main, args, catch_exceptions=False).exit_code == 1  # the bundled style: an error
    result = runner.invoke(main, [*args, "--styles", str(styles)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert [line.split(": ", 1)[1].split(" (take")[0] for line in meeting_lines(result.output, meeting)] == [
        "warning RG603: item 7 (Disposal of the former Marsh Leys highways depot) is already item 6 of this agenda"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    """reportgen as a user runs it: a fresh process."""
    return subprocess.run([str(Path(sys.executable).with_name("reportgen")), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)


HIGHWAYS_LINE = "  - report: ../models/oxfordshire-2026-12-highways-maintenance-contract\n"
DEPOT_LINE = "  - report: ../models/oxfordshire-2026-12-depot-land-disposal\n"


def test_an_exempt_item_among_open_ones_is_a_located_error(examples: Path, tmp_path: Path) -> None:
    meeting = examples / MEETING
    edit(meeting, HIGHWAYS_LINE + DEPOT_LINE, DEPOT_LINE + HIGHWAYS_LINE)
    line = meeting.read_text(encoding="utf-8").splitlines().index(DEPOT_LINE.rstrip("\n")) + 1
    for args in (["check", str(meeting), "--today", "2026-11-21"],
                 ["publish", str(meeting), "--out", str(tmp_path / "out"), "--today", "2026-11-21"]):
        result = _run(*args)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        found = [x for x in (result.stdout + result.stderr).splitlines() if "exempt item" in x]
        assert len(found) == 1, result.stdout + result.stderr  # one located message for the one problem
        assert found[0].startswith(f"{meeting}:{line}:5: ")
        assert "items[4].report: exempt item 5 (Disposal of the former Marsh Leys highways depot) comes before " \
               "open item 6 (Award of the highways drainage maintenance contract 2027 to 2031)" in found[0]
        assert "exempt_last: true" in found[0]
    assert not (tmp_path / "out" / "2026-12-15-cabinet").exists()  # nothing half written


def test_exempt_last_moves_it_into_part_2_with_a_warning_and_the_resolution_covers_the_exempt_annex(
        examples: Path, tmp_path: Path) -> None:
    meeting = examples / MEETING
    edit(meeting, HIGHWAYS_LINE + DEPOT_LINE, DEPOT_LINE + HIGHWAYS_LINE)
    urgency = "The contract must be awarded before the current one ends on 31 March 2027."
    edit(meeting, "items:\n", f"exempt_last: true\nurgency_statement: {urgency}\nitems:\n")
    result = _run("publish", str(meeting), "--out", str(tmp_path / "out"), "--today", "2026-11-21",
                  "--accept-inaccessible", "supplied untagged")
    assert result.returncode == 0, result.stderr
    assert "WARNING" in result.stderr and "items[4].report: exempt item 5 (Disposal of the former Marsh Leys " \
        "highways depot) was listed before open item 6: moved into Part 2" in result.stderr, result.stderr
    public = tmp_path / "out" / "2026-12-15-cabinet" / "public"
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(public / "00-agenda-front-sheet.pdf"), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())
    part1, part2 = text.split("Part 2: items not for publication")
    assert "5 Award of the highways drainage maintenance" in part1 and "Disposal" not in part1
    assert part2.index("To consider passing the following resolution") < part2.index("6 Disposal of the former")
    # Every exempt item and every exempt appendix of an open item, with its paragraph, then paragraph 10's test.
    assert "Item 5, Award of the highways drainage maintenance contract 2027 to 2031, Annex B (should it be " \
           "discussed): paragraph 3" in part2
    assert "Item 6, Disposal of the former Marsh Leys highways depot: paragraph 3" in part2
    assert "the public interest in maintaining the exemption outweighs the public interest in disclosing the " \
           "information (paragraph 10 of Part 1 of Schedule 12A)" in part2
    assert 'Notice of intention to hold part of the Cabinet meeting on 15 December 2026 in private' in part2
    assert "To approve as a correct record the minutes of the meeting held on 17 November 2026" in part1
    assert f"Reasons for urgency {urgency}" in text
    page = (public / "index.html").read_text(encoding="utf-8")
    assert urgency in page and "Reasons for urgency" in page
