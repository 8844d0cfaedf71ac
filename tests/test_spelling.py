"""The spelling check as users run it: `reportgen check` in a fresh process, with a style's and a project's
word lists, and word lists that are hostile input (each problem located, exit 2, no traceback)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reportgen.content.limits import MAX_WORD_LIST_BYTES
from reportgen.style.profile import TEMPLATES_DIR

from .test_rules import CLEAN, line_of

REPORTGEN = Path(sys.executable).with_name("reportgen")


def check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # Every REPORTGEN_ variable of the suite but REPORTGEN_NO_SERVER: no warm reportgen (test_warm.py tests it).
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTGEN") or k == "REPORTGEN_NO_SERVER"}
    return subprocess.run([str(REPORTGEN), "check", "--today", "2026-11-21", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)


def report(tmp_path: Path, style: str = "herefordshire", extra: str = "") -> Path:
    folder = tmp_path / "content" / "r"
    shutil.copytree(CLEAN, folder, ignore=shutil.ignore_patterns("signoff.yaml", "signed"))
    text = (folder / "report.yaml").read_text(encoding="utf-8").replace("style: herefordshire", f"style: {style}")
    text = text.replace("  - Later hours help students and working people.\n",
                        "  - |\n    Later hours help students and working people.\n" + extra)
    (folder / "report.yaml").write_text(text, encoding="utf-8")
    return folder


def style_with_words(tmp_path: Path, words: bytes) -> Path:
    styles = tmp_path / "styles"
    shutil.copytree(TEMPLATES_DIR / "herefordshire", styles / "house")
    profile = styles / "house" / "profile.yaml"
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    data["words"] = "words.txt"
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (styles / "house" / "words.txt").write_bytes(words)
    return styles


def test_a_misspelling_is_a_warning_at_the_word_with_suggestions(tmp_path: Path) -> None:
    folder = report(tmp_path, extra="    The new hours suit the libary users.\n")
    result = check(tmp_path, str(folder))
    line = line_of(folder, "libary")
    col = (folder / "report.yaml").read_text(encoding="utf-8").splitlines()[line - 1].index("libary") + 1
    assert [x for x in result.stdout.splitlines() if " RG204: " in x] == [
        f"{folder / 'report.yaml'}:{line}:{col}: warning RG204: 'libary' is not in the en_GB dictionary "
        f"(did you mean 'library', 'biliary'?) (correct the spelling, or add the word to the word list)"]
    assert " warning RG204: " in result.stdout and " error RG204" not in result.stdout  # advice, not an error


def test_a_style_and_a_project_word_list_are_both_read(tmp_path: Path) -> None:
    styles = style_with_words(tmp_path, b"# our places\nWyebridge\n")
    (tmp_path / "project-words.txt").write_text("Hoxley\n", encoding="utf-8")
    (tmp_path / "reportgen.yaml").write_text("words: project-words.txt\n", encoding="utf-8")
    folder = report(tmp_path, "house", "    Wyebridge and Hoxley libaries open later.\n")
    result = check(tmp_path, "--styles", str(styles), str(folder))
    assert [x.split(" RG204: ")[1].split(" is ")[0] for x in result.stdout.splitlines() if " RG204: " in x] \
        == ["'libaries'"]


@pytest.mark.parametrize("words,where,message", [
    (b"Wyebridge\nHox\xffley\n", "2:4", "not UTF-8 text (byte 0xff)"),
    (b"Wyebridge\nHox\x1bley\n", "2:4", "control character U+001B in the word list"),
    (b"Wyebridge\n  Hoxley Green\n", "2:3", "one word a line: 'Hoxley Green' has 2"),
    (b"x" * (MAX_WORD_LIST_BYTES + 1), "1:1", f"word list is {MAX_WORD_LIST_BYTES + 1:,} bytes, more than the "
                                             f"limit of {MAX_WORD_LIST_BYTES:,}"),
], ids=["not-utf8", "control-character", "two-words", "too-large"])
def test_a_bad_style_word_list_is_located_bad_input(tmp_path: Path, words: bytes, where: str, message: str) -> None:
    styles = style_with_words(tmp_path, words)
    result = check(tmp_path, "--styles", str(styles), str(report(tmp_path, "house")))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    path = (styles / "house" / "words.txt").resolve()
    assert f"{path}:{where}: error INPUT: words: {message}" in result.stdout.splitlines()


def test_a_missing_project_word_list_is_located_at_its_key(tmp_path: Path) -> None:
    (tmp_path / "reportgen.yaml").write_text("style: herefordshire\nwords: ../words.txt\n", encoding="utf-8")
    result = check(tmp_path, str(report(tmp_path)))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{tmp_path / 'reportgen.yaml'}:2:1: words: '../words.txt' leaves the folder ('..'); keep files inside it" \
        in result.stderr.splitlines()


# A fresh `reportgen check` that also says whether it loaded the dictionary (imported enchant).
CHECK_AND_SAY = """
import atexit, sys
from reportgen.cli import main
atexit.register(lambda: print("enchant loaded:", "enchant" in sys.modules))
main()
"""


def test_answers_are_remembered_and_a_changed_word_list_is_never_answered_from_memory(tmp_path: Path) -> None:
    """The spelling table (reportgen.check.dictionary): a second check answers from it without loading the
    dictionary; a word added to the user's enchant word list gets a new table, not the old answer."""
    folder = report(tmp_path, extra="    The zorblaxity of the hours suits the users.\n")
    enchant_config = tmp_path / "enchant"
    enchant_config.mkdir()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("REPORTGEN")},
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "ENCHANT_CONFIG_DIR": str(enchant_config)}

    def run() -> tuple[list[str], str]:
        done = subprocess.run([sys.executable, "-c", CHECK_AND_SAY, "check", "--today", "2026-11-21", str(folder)],
                              cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
        assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
        flagged = [x.split(" RG204: ")[1].split(" is ")[0] for x in done.stdout.splitlines() if " RG204: " in x]
        return flagged, done.stdout.splitlines()[-1]

    assert run() == (["'zorblaxity'"], "enchant loaded: True")  # the first time: the dictionary answers
    tables = list((tmp_path / "cache" / "reportgen").glob("spelling-*.sqlite"))
    assert len(tables) == 1 and tables[0].stat().st_mode & 0o077 == 0  # words of exempt reports: the user's alone
    assert run() == (["'zorblaxity'"], "enchant loaded: False")  # then the table, with the same answers
    (enchant_config / "en_GB.dic").write_text("zorblaxity\n", encoding="utf-8")  # the user adds the word
    assert run() == ([], "enchant loaded: True")  # a stale table would still call it unknown
    assert run() == ([], "enchant loaded: False")
    assert len(list((tmp_path / "cache" / "reportgen").glob("spelling-*.sqlite"))) == 2
