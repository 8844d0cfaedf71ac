"""Bank holidays from a cached table: the same days as the holidays package, made once, rebuilt when bad."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import holidays
import pytest

from reportgen.content import dates


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    dates._table.cache_clear()
    yield tmp_path / "reportgen"
    dates._table.cache_clear()


def test_the_table_holds_exactly_the_packages_bank_holidays(cache: Path) -> None:
    library = holidays.country_holidays("GB", subdiv="ENG")
    day, differ = dt.date(dates.TABLE_YEARS.start, 1, 1), []
    while day.year < dates.TABLE_YEARS.stop:
        if dates.bank_holiday(day) != (day in library):
            differ.append(day)
        day += dt.timedelta(days=1)
    assert differ == []
    assert dates.bank_holiday(dt.date(2026, 12, 25)) and not dates.bank_holiday(dt.date(2026, 12, 23))
    assert dates.bank_holiday(dt.date(1980, 12, 25))  # outside the table: the package answers
    [table] = cache.glob("bank-holidays-eng-*.json")
    assert table.stat().st_size < 20_000


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"years": [1990, 2101], "dates": ["2026-13-40"]}',
                                    b'{"years": [2000, 2001], "dates": []}'])
def test_a_damaged_table_is_made_again(cache: Path, damage: bytes) -> None:
    dates.bank_holiday(dt.date(2026, 12, 25))
    [table] = cache.glob("bank-holidays-eng-*.json")
    good = table.read_bytes()
    table.write_bytes(damage)
    dates._table.cache_clear()
    assert dates.bank_holiday(dt.date(2027, 5, 3)) and not dates.working_day(dt.date(2027, 5, 3))
    assert table.read_bytes() == good


def test_a_second_command_does_not_import_the_holidays_package(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    probe = ("import sys, datetime; from reportgen.content import dates; "
             "print(dates.working_day(datetime.date(2026, 12, 28)), 'holidays' in sys.modules)")
    first = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert first.stdout.split() == ["False", "True"]  # 28 December 2026: a substitute bank holiday
    assert second.stdout.split() == ["False", "False"]


def test_another_release_of_the_package_makes_its_own_table(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The table is keyed by the package's metadata: a table made from another release is never read."""
    dates.bank_holiday(dt.date(2026, 12, 25))
    [table] = cache.glob("bank-holidays-eng-*.json")
    table.write_text('{"years": [1990, 2101], "dates": []}', encoding="ascii")  # as an older release's might say
    dates._table.cache_clear()
    assert not dates.bank_holiday(dt.date(2026, 12, 25))  # the same release reads its own table

    class Release:
        def read_text(self, name: str) -> str:
            return "Metadata-Version: 2.4\nName: holidays\nVersion: 99.0\n"

    monkeypatch.setattr(dates.metadata, "distribution", lambda name: Release())
    dates._table.cache_clear()
    assert dates.bank_holiday(dt.date(2026, 12, 25))
    assert len(list(cache.glob("bank-holidays-eng-*.json"))) == 2
