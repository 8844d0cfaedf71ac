"""When a publish starts LibreOffice: a cold publish (no output yet) as soon as its inputs are read, before
the meeting is laid out and gated, so it warms up on the other core (issue 26); a publish refused on its
inputs never."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from reportgen import pipeline
from reportgen.errors import ReportgenError
from reportgen.pdf import server
from reportgen.pdf.job import Job
from reportgen.publish import gate as gate_module
from reportgen.publish.run import publish
from reportgen.style.settings import Settings

from .conftest import ROOT

MEETING = ROOT / "content" / "examples" / "meetings" / "2026-12-15-cabinet.yaml"
TODAY = dt.date(2026, 11, 21)


class Stop(Exception):
    """The fake converter's end of the publish: nothing is converted."""


class FakeConverter:
    def __init__(self, events: list[str]) -> None:
        self.events = events

    def start(self, wanted: int | None = None) -> None:
        self.events.append("start")

    def wait_started(self) -> None:
        pass

    def convert(self, jobs: list[Job], done: Callable[[Job], None] | None = None) -> None:
        self.events.append("convert")
        raise Stop

    def close(self) -> None:
        self.events.append("close")


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(server, "open_converter", lambda *a, **k: FakeConverter(seen))
    lay_out, check = pipeline.lay_out, gate_module.map_shared

    def laid_out(*args: object) -> object:
        seen.append("lay out")
        return lay_out(*args)

    def gated(*args: object, **kwargs: object) -> object:
        seen.append("gate")
        return check(*args, **kwargs)  # type: ignore[arg-type]
    monkeypatch.setattr(pipeline, "lay_out", laid_out)
    monkeypatch.setattr(gate_module, "map_shared", gated)
    return seen


def test_a_cold_publish_starts_libreoffice_before_laying_out_and_gating(events: list[str], tmp_path: Path) -> None:
    with pytest.raises(Stop):
        publish(MEETING, tmp_path / "out", today=TODAY, accept_inaccessible="accepted for the test")
    first = events.index("start")
    assert first < events.index("lay out") < events.index("gate") < events.index("convert")
    assert events.count("close") == 1 and events[-1] == "close"  # closed once, after everything else


def test_a_publish_refused_on_its_inputs_starts_no_libreoffice_and_writes_nothing(events: list[str],
                                                                                 tmp_path: Path) -> None:
    meeting = tmp_path / "2026-12-15-cabinet.yaml"
    meeting.write_text(MEETING.read_text(encoding="utf-8").replace("committee:", "committee: [", 1),
                       encoding="utf-8")
    with pytest.raises(ReportgenError):
        publish(meeting, tmp_path / "out", today=TODAY)
    assert events == []
    assert not (tmp_path / "out").exists()


def test_an_output_in_place_starts_libreoffice_only_once_its_inputs_are_found_changed(
        events: list[str], tmp_path: Path) -> None:
    (tmp_path / "out" / MEETING.stem).mkdir(parents=True)  # an earlier output: it may be found unchanged
    with pytest.raises(Stop):
        publish(MEETING, tmp_path / "out", today=TODAY, accept_inaccessible="accepted for the test")
    assert events.index("lay out") < events.index("start") < events.index("gate")


@pytest.fixture
def gate_workers(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The `workers` each gate asks map_shared for (its processes), with a converter that converts nothing."""
    asked: list[object] = []
    monkeypatch.setattr(server, "open_converter", lambda *a, **k: FakeConverter([]))
    check = gate_module.map_shared

    def gated(fn: object, items: list[object], extra: tuple[object, ...] = (), workers: int | None = None,
              **kwargs: object) -> object:
        asked.append(workers)
        return check(fn, items, extra, workers, **kwargs)  # type: ignore[arg-type]
    monkeypatch.setattr(gate_module, "map_shared", gated)
    return asked


def test_a_cold_publish_gates_in_this_process_while_its_libreoffice_starts(gate_workers: list[object],
                                                                          tmp_path: Path) -> None:
    """Nothing can be converted before LibreOffice has started, and a meeting's gate is done sooner than
    that in one process: forked gate workers would only take CPU from LibreOffice's start."""
    with pytest.raises(Stop):
        publish(MEETING, tmp_path / "out", today=TODAY, accept_inaccessible="accepted for the test")
    assert gate_workers == [1]


def test_the_gate_uses_every_core_when_libreoffice_may_be_warm(gate_workers: list[object], tmp_path: Path) -> None:
    """An output in place (LibreOffice is started only once the inputs are found changed) or a server (it
    may be running already): the gate is on the way to the first conversion, so it forks as it always did."""
    (tmp_path / "out" / MEETING.stem).mkdir(parents=True)
    with pytest.raises(Stop):
        publish(MEETING, tmp_path / "out", today=TODAY, accept_inaccessible="accepted for the test")
    with pytest.raises(Stop):
        publish(MEETING, tmp_path / "served", today=TODAY, accept_inaccessible="accepted for the test",
                settings=Settings(server=True))
    assert gate_workers == [None, None]


def test_a_meeting_larger_than_libreoffices_start_is_gated_on_every_core() -> None:
    from reportgen.publish.run import GATE_BESIDE_START, _gate_workers

    assert _gate_workers(True, GATE_BESIDE_START) == 1
    assert _gate_workers(True, GATE_BESIDE_START + 1) is None
    assert _gate_workers(False, 1) is None
