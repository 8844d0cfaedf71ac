"""Hunspell's suggestions are remembered across runs, under a digest of the dictionary that gave them: another
word list (or dictionary, or library) is never answered from the old one's file."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.check import suggestions
from reportgen.check.rules import spelling


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder and Enchant configuration folder; nothing remembered in this process."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("ENCHANT_CONFIG_DIR", str(tmp_path / "enchant"))
    (tmp_path / "enchant").mkdir()
    monkeypatch.setattr(suggestions, "_key", None)
    monkeypatch.setattr(suggestions, "_db", None)
    return tmp_path


def new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new run starts from: the file on disk, nothing in memory."""
    monkeypatch.setattr(suggestions, "_key", None)
    monkeypatch.setattr(suggestions, "_db", None)


class answer:
    """Hunspell as a test sees it: these suggestions, and the words it was asked."""

    def __init__(self, *offer: str) -> None:
        self.offer = list(offer)
        self.asked: list[str] = []

    def __call__(self, word: str) -> list[str]:
        self.asked.append(word)
        return self.offer


def test_a_word_is_asked_once_then_read_from_the_cache(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = answer("colour", "collar")
    assert suggestions.remembered("en_GB", "colr", first) == ["colour", "collar"]
    assert first.asked == ["colr"]
    new_process(monkeypatch)
    second = answer("wrong")
    assert suggestions.remembered("en_GB", "colr", second) == ["colour", "collar"]
    assert second.asked == []
    assert len(list((fresh / "cache" / "reportgen").glob("suggestions-*.sqlite"))) == 1


def test_a_changed_word_list_is_not_answered_from_the_old_file(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    suggestions.remembered("en_GB", "Herefordshre", answer("Herefordshire"))
    new_process(monkeypatch)
    (fresh / "enchant" / "en_GB.dic").write_text("Herefordshre\n", encoding="utf-8")  # the user's own word list
    now = answer()
    assert suggestions.remembered("en_GB", "Herefordshre", now) == []
    assert now.asked == ["Herefordshre"]
    new_process(monkeypatch)
    (fresh / "enchant" / "en_GB.dic").write_text("Herefordshire\n", encoding="utf-8")  # same size, other words
    again = answer("Hereford")
    assert suggestions.remembered("en_GB", "Herefordshre", again) == ["Hereford"]
    assert again.asked == ["Herefordshre"]


def test_the_key_covers_the_installed_dictionary() -> None:
    if spelling._dict() is None:
        pytest.fail(f"the en_GB dictionary is not installed: {spelling._unavailable}")
    present = [p for p in suggestions.dictionary_files("en_GB") if p.is_file()]
    assert any(p.suffix == ".dic" for p in present) and any(p.suffix == ".aff" for p in present)
    assert any("hunspell" in p.name for p in suggestions._libraries())


def test_a_damaged_cache_file_is_started_again(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    suggestions.remembered("en_GB", "colr", answer("colour"))
    [path] = (fresh / "cache" / "reportgen").glob("suggestions-*.sqlite")
    path.write_bytes(b"not a database" * 100)
    new_process(monkeypatch)
    now = answer("color")
    assert suggestions.remembered("en_GB", "colr", now) == ["color"]
    assert now.asked == ["colr"]


WRITER = """
import sys
from reportgen.check import suggestions
for i in range(200):
    word = f"wrd{i}"
    assert suggestions.remembered("en_GB", word, lambda w: [w.upper()]) == [word.upper()]
"""


def test_two_runs_at_once_both_get_every_answer(fresh: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(fresh / "cache"), "ENCHANT_CONFIG_DIR": str(fresh / "enchant")}
    runs = [subprocess.Popen([sys.executable, "-c", WRITER], env=env, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    new_process_answers = subprocess.run([sys.executable, "-c", WRITER.replace("[w.upper()]", "['wrong']")],
                                         env=env, capture_output=True, text=True, timeout=120)
    assert new_process_answers.returncode == 0, new_process_answers.stderr  # every word was kept, as written
