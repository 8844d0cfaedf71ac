"""A publish's reports' parsed data, remembered by their text (content.parsed): the same data and the same
located messages as parsing, never an edited file's old data."""
from __future__ import annotations

import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest

from reportgen.cache import Cache
from reportgen.content import parsed
from reportgen.content.load import load_report
from reportgen.content.yamlio import Positions, parse_yaml

from .conftest import ROOT

MODEL = ROOT / "content" / "examples" / "models" / "oxfordshire-2026-12-highways-maintenance-contract"


def test_a_remembered_parse_is_the_parse_and_an_edited_text_is_parsed_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "report"
    shutil.copytree(MODEL, folder)
    cache = Cache(tmp_path / "cache")
    plain = load_report(folder)
    first = load_report(folder, cache)  # parsed, and remembered
    calls: list[Path] = []
    original = parsed.parse_yaml

    def counting(text: str, path: Path) -> tuple[Any, Positions]:
        calls.append(path)
        return original(text, path)
    monkeypatch.setattr(parsed, "parse_yaml", counting)
    again = load_report(folder, cache)
    assert calls == []  # from the cache
    assert again.data == first.data == plain.data and again.report == plain.report
    assert again.digest == plain.digest and again.text_digest == plain.text_digest
    # Positions come from the same text, parsed again when a message needs one: the same places.
    for loc in [("title",), ("key_considerations", 3), ("recommendations",), ("no_such_key", 2), ()]:
        assert again.positions.find(loc) == plain.positions.find(loc)
        assert (loc in again.positions) == (loc in plain.positions)
    assert str(again.problem(("title",), "x")) == str(plain.problem(("title",), "x"))
    text = (folder / "report.yaml").read_text(encoding="utf-8")
    title = plain.report.title
    (folder / "report.yaml").write_text(text.replace(title, title + " (revised)", 1), encoding="utf-8")
    edited = load_report(folder, cache)
    assert calls == [folder / "report.yaml"]  # another text: parsed, never the old data
    assert edited.report.title == title + " (revised)"


def test_an_entry_naming_anything_but_plain_data_is_not_loaded(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    path = tmp_path / "a.yaml"
    text = "title: A\ndate: 2026-12-15\n"
    data, _ = parsed.parse_cached(text, path, cache)
    assert data == parse_yaml(text, path)[0]
    key = parsed.digest("parsed", text, parsed.code_version())
    cache.put("parsed", key, pickle.dumps({"title": Path("/etc/passwd")}))  # a class YAML never makes
    again, _ = parsed.parse_cached(text, path, cache)
    assert again == data  # parsed again, not the entry's object
    assert parsed.parse_cached(text, path, cache)[0] == data  # and written anew


def test_sign_off_records_keep_their_lines_from_a_remembered_parse(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from reportgen.content.signoff import read_signoffs

    folder = tmp_path / "report"
    shutil.copytree(MODEL, folder)
    cache = Cache(tmp_path / "cache")
    plain = read_signoffs(folder)
    assert len(plain) >= 2 and read_signoffs(folder, cache) == plain

    def no_parse(*args: object) -> object:
        raise AssertionError("parsed again")
    monkeypatch.setattr(parsed, "parse_yaml", no_parse)
    monkeypatch.setattr(parsed, "_Loader", no_parse)  # the records' lines are kept: no node tree either
    again = read_signoffs(folder, cache)
    assert again == plain and [r._line for r in again] == [r._line for r in plain]
    assert len({r._line for r in again}) == len(again)  # each record its own line


def test_publish_holds_the_parses_it_would_remember_until_its_input_is_known_to_be_good(tmp_path: Path) -> None:
    """Input publish refuses writes nothing, not even its cache (test_hostile checks the command)."""
    cache = Cache(tmp_path / "cache")
    pending = parsed.Pending(cache)
    folder = tmp_path / "report"
    shutil.copytree(MODEL, folder)
    load_report(folder, pending)
    assert not (tmp_path / "cache").exists() and {kind for kind, _, _ in pending.entries} == {"parsed"}
    pending.write()
    assert len(list((tmp_path / "cache" / "parsed").glob("*/*"))) == 2  # the report's and its sign-offs'
    assert pending.entries == []
    again = parsed.Pending(cache)
    assert load_report(folder, again).report == load_report(folder).report and again.entries == []  # remembered
