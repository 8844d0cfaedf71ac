"""`reportgen publish --watch`: one LibreOffice kept warm for a session of republishes; each edit
converts only what changed; bad input is reported and the session goes on; stopping closes LibreOffice."""
from __future__ import annotations

import datetime as dt
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from reportgen.errors import ContentError
from reportgen.pdf import pool
from reportgen.pdf.pool import Converter, Job
from reportgen.publish.watch import Outcome, inputs, watch

from .conftest import ROOT

TODAY = dt.date(2026, 11, 21)
HIGHWAYS = "oxfordshire-2026-12-highways-maintenance-contract"
HIGHWAYS_ITEM = "05-award-of-the-highways-drainage-maintenance"  # its published name


def wait_for(outcomes: list[Outcome], count: int, seconds: float = 180) -> Outcome:
    deadline = time.monotonic() + seconds
    while len(outcomes) < count:
        assert time.monotonic() < deadline, f"no publish {count} within {seconds} s"
        time.sleep(0.05)
    return outcomes[count - 1]


def test_inputs_are_the_meeting_its_reports_and_its_style(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content" / "examples", tmp_path / "content")
    meeting = tmp_path / "content" / "meetings" / "2026-12-15-cabinet.yaml"
    found = inputs(meeting)
    names = {str(p.relative_to(tmp_path)) if p.is_relative_to(tmp_path) else p.name for p in found}
    assert "content/meetings/2026-12-15-cabinet.yaml" in names
    assert f"content/models/{HIGHWAYS}/report.yaml" in names
    assert f"content/models/{HIGHWAYS}/signoff.yaml" in names
    assert "profile.yaml" in names and "template.docx" in names  # the oxfordshire style, bundled
    assert not any("herefordshire" in str(p) for p in found)  # another style's files are not inputs


def test_a_watch_session_republishes_each_edit_on_the_same_libreoffice(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "content" / "examples", tmp_path / "content")
    meeting = tmp_path / "content" / "meetings" / "2026-12-15-cabinet.yaml"
    report = tmp_path / "content" / "models" / HIGHWAYS / "report.yaml"
    started: list[int] = []
    converted: list[list[str]] = []
    original_start, original_convert = pool._Worker.start, Converter.convert

    def start(worker: Any) -> None:
        started.append(worker.number)
        original_start(worker)

    def convert(self: Converter, jobs: list[Job], done: Any = None) -> None:
        converted.append([job.docx.stem for job in jobs])
        original_convert(self, jobs, done)

    monkeypatch.setattr(pool._Worker, "start", start)
    monkeypatch.setattr(Converter, "convert", convert)
    outcomes: list[Outcome] = []
    stop = threading.Event()
    # A draft: an edit makes the report's sign-offs stale, which only a draft may publish.
    session = threading.Thread(target=watch, args=(meeting, tmp_path / "out", outcomes.append, True, TODAY),
                               kwargs={"interval": 0.1, "stop": stop})
    session.start()
    try:
        first = wait_for(outcomes, 1)
        assert first.result is not None and first.result.written, first.error
        workers = len(started)
        assert workers >= 1
        converted.clear()

        text = report.read_text(encoding="utf-8")
        report.write_text(text.replace("It cannot be extended again.", "It cannot be extended any further."),
                          encoding="utf-8")
        second = wait_for(outcomes, 2)
        assert second.result is not None and second.result.written, second.error
        items = [name for batch in converted for name in batch if not name.startswith("00-agenda-front-sheet")]
        assert items == ["05-award-of-the-highways-drainage-maintenance"]  # only the edited report
        assert len(started) == workers  # the same LibreOffice: no worker started again

        report.write_text("title: [unclosed\n", encoding="utf-8")  # bad input: reported, the session goes on
        third = wait_for(outcomes, 3)
        assert third.result is None and isinstance(third.error, ContentError)
        assert "report.yaml:2:1: invalid YAML" in str(third.error)

        report.write_text(text, encoding="utf-8")
        fourth = wait_for(outcomes, 4)
        assert fourth.result is not None, fourth.error
    finally:
        stop.set()
        session.join(60)
    assert not session.is_alive()
    assert len(outcomes) == 4  # nothing changed after the last edit: nothing published again


def test_a_watch_session_sees_every_edit_of_the_style_and_the_project(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Profile, template, wording and project file: each edit is republished in the same session, with no
    cache cleared by hand (the style's caches are keyed by the digest of its files, the project file is
    read again when it changes)."""
    import docx

    from reportgen.style.settings import Settings

    root = tmp_path / "council"
    shutil.copytree(ROOT / "content" / "examples", root / "content")
    shutil.copytree(ROOT / "templates" / "oxfordshire", root / "styles" / "oxfordshire")
    (root / "reportgen.yaml").write_text("styles: styles\nrules: {}\n", encoding="utf-8")
    meeting = root / "content" / "meetings" / "2026-12-15-cabinet.yaml"
    profile = root / "styles" / "oxfordshire" / "profile.yaml"
    template = root / "styles" / "oxfordshire" / "template.docx"
    converted: list[list[str]] = []
    original_convert = Converter.convert

    def convert(self: Converter, jobs: list[Job], done: Any = None) -> None:
        converted.append([job.docx.stem for job in jobs])
        original_convert(self, jobs, done)

    monkeypatch.setattr(Converter, "convert", convert)
    outcomes: list[Outcome] = []
    stop = threading.Event()
    settings = Settings.load(root)
    session = threading.Thread(target=watch, args=(meeting, tmp_path / "out", outcomes.append, True, TODAY, settings),
                               kwargs={"interval": 0.1, "stop": stop})

    def page() -> str:
        folder = outcomes[-1].result.public if outcomes[-1].result else None
        assert folder is not None, outcomes[-1].error
        return (folder / f"{HIGHWAYS_ITEM}.html").read_text(encoding="utf-8")

    def republished(count: int) -> list[str]:
        outcome = wait_for(outcomes, count)
        assert outcome.result is not None and outcome.result.written, outcome.error
        items = sorted({n for batch in converted for n in batch if n.startswith("05-")})
        converted.clear()
        return items

    session.start()
    try:
        assert HIGHWAYS_ITEM in republished(1)
        assert "The Cabinet is RECOMMENDED to:" in page()

        # The profile: how dates print.
        profile.write_text(profile.read_text(encoding="utf-8").replace('date_format: "%-d %B %Y"',
                                                                        'date_format: "%A %-d %B %Y"'),
                           encoding="utf-8")
        assert HIGHWAYS_ITEM in republished(2)
        assert "Tuesday 15 December 2026" in page()

        # The wording: the recommendations' lead-in.
        profile.write_text(profile.read_text(encoding="utf-8").replace("The Cabinet is RECOMMENDED to:",
                                                                        "The Cabinet is ASKED to:"), encoding="utf-8")
        assert HIGHWAYS_ITEM in republished(3)
        assert "The Cabinet is ASKED to:" in page()

        # The template: a change of its look converts the report again.
        document = docx.Document(str(template))
        document.styles["Normal"].font.size = docx.shared.Pt(13)
        document.save(str(template))
        assert HIGHWAYS_ITEM in republished(4)

        # The project file: a rule override changes what the draft's gate reports.
        before = list(outcomes[-1].result.refused) if outcomes[-1].result else []
        (root / "reportgen.yaml").write_text("styles: styles\nrules: {RG2O3: warning}\n", encoding="utf-8")
        fifth = wait_for(outcomes, 5)
        assert fifth.result is None and "reportgen.yaml" in str(fifth.error) and "RG2O3" in str(fifth.error)
        (root / "reportgen.yaml").write_text("styles: styles\nrules: {}\n", encoding="utf-8")
        sixth = wait_for(outcomes, 6)
        assert sixth.result is not None and list(sixth.result.refused) == before, sixth.error
    finally:
        stop.set()
        session.join(60)
    assert not session.is_alive()
