"""The draft publish's dashboard rows, remembered by report key: reused when nothing changed, never stale."""
from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from reportgen.cache import Cache
from reportgen.pipeline import dashboard_row, prepare
from reportgen.publish import dashboard
from reportgen.publish.keys import report_key

from .conftest import ROOT

MODEL = ROOT / "content" / "examples" / "models" / "oxfordshire-2026-12-highways-maintenance-contract"
TODAY = dt.date(2026, 11, 21)


def _edit(folder: Path, key: str, change: Callable[[Any], Any]) -> None:
    data = yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8"))
    data[key] = change(data[key])
    (folder / "report.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _rows(folder: Path, cache: Cache) -> list[dashboard.Row]:
    prepared = prepare(folder)
    return dashboard.dashboard_rows([(prepared, report_key(prepared.loaded, prepared.profile, TODAY, True))],
                                    TODAY, cache)


def test_a_cached_row_is_the_row_and_an_edited_report_is_checked_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "report"
    shutil.copytree(MODEL, folder)
    _edit(folder, "key_considerations", lambda kc: [*kc, "The cost is TBC."])  # a finding to carry
    cache = Cache(tmp_path / "cache")
    first = _rows(folder, cache)
    assert first == [dashboard_row(prepare(folder), TODAY)]
    assert first[0].findings  # the model has findings of some severity, so the round trip carries them

    def no_check(*args: object) -> object:
        raise AssertionError("checked a report whose row the cache holds")

    monkeypatch.setattr(dashboard, "dashboard_row", no_check)
    assert _rows(folder, cache) == first
    monkeypatch.undo()
    _edit(folder, "title", lambda title: title + " (revised)")
    again = _rows(folder, cache)
    assert again[0].title.endswith("(revised)")
    assert again == [dashboard_row(prepare(folder), TODAY)]


def test_a_word_added_to_the_project_word_list_changes_the_report_key() -> None:
    """The project's words reach check through the resolved profile's word list, which the style folder's
    digest does not cover: the key (of the dashboard row, the gate's result, the DOCX) must follow it."""
    prepared = prepare(MODEL)
    before = report_key(prepared.loaded, prepared.profile, TODAY, True)
    widened = prepared.profile.model_copy(update={"word_list": prepared.profile.word_list | {"Brackenford"}})
    assert report_key(prepared.loaded, widened, TODAY, True) != before
    assert report_key(prepared.loaded, prepared.profile.model_copy(), TODAY, True) == before


def test_keying_reports_twice_reads_each_reports_files_once_and_gives_the_same_keys(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportgen.publish import keys

    folder = tmp_path / "report"
    shutil.copytree(MODEL, folder)
    prepared = prepare(folder)
    alone = {n: keys.report_key(prepared.loaded, prepared.profile, day, True) for n, day in ((1, TODAY), (2, dt.date.min))}
    read: list[str] = []
    original = keys.report_files

    def counting(loaded: Any) -> str:
        read.append(loaded.folder.name)
        return original(loaded)
    monkeypatch.setattr(keys, "report_files", counting)
    files: dict[int, str] = {}
    today = keys.report_keys({1: prepared}, TODAY, True, files)
    made_from = keys.report_keys({1: prepared}, dt.date.min, True, files)
    assert read == ["report"]  # once, for both
    assert today == {1: alone[1]} and made_from == {1: alone[2]}
    # Another publish (another dict) reads them again: an edited report is never keyed by its old files.
    _edit(folder, "title", lambda title: title + " (revised)")
    again = keys.report_keys({1: prepare(folder)}, TODAY, True, {})
    assert read == ["report", "report"] and again != today
