"""The check's shortcuts give the answers of the long way: texts found by one search of the folded report
(Context.texts_with), a stale sign-off of unchanged content explained without its snapshot, no bar worked
out when no record kept one."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from reportgen.check import bar
from reportgen.check.context import Context
from reportgen.check.engine import check_prepared
from reportgen.check.rules import law, signoffs
from reportgen.check.textscan import Text
from reportgen.content.signoff import SIGNOFF_FILE, SignOff
from reportgen.pipeline import prepare

from .conftest import ROOT

TODAY = dt.date(2026, 11, 21)
EXAMPLE = ROOT / "content" / "examples" / "models" / "oxfordshire-2026-12-depot-land-disposal"


def context_of(*texts: str) -> Context:
    ctx = Context(SimpleNamespace(report=None), None, None, TODAY)  # type: ignore[arg-type]
    ctx.__dict__["texts"] = [Text(("background", i), "para", t, "background") for i, t in enumerate(texts)]
    return ctx


def long_way(ctx: Context) -> list[Text]:
    """The texts RG411's case-insensitive pattern finds, searched one by one."""
    return [t for t in ctx.texts if law._UNPUBLISHABLE.search(t.text)]


@pytest.mark.parametrize("texts", [
    ("Nothing to see.", "Appendix 2 is NOT FOR PUBLICATION.", "Also fine.", "It is Confidential"),
    ("Children are exempt from the fee.", "Exempt\ninformation", "exempt"),
    ("Word at the end: confidential", "confidential at the start", "", "none here"),
])
def test_texts_with_finds_the_texts_a_search_of_each_finds(texts: tuple[str, ...]) -> None:
    ctx = context_of(*texts)
    found = ctx.texts_with(law._UNPUBLISHABLE_WORDS)
    assert set(map(id, long_way(ctx))) <= set(map(id, found))
    assert [t.text for t in found] == [t for t in texts if re.search("not for publication|confidential|exempt",
                                                                       t.casefold())]


@pytest.mark.parametrize("odd", ["Straße", "CONFİDENTIAL", "confıdential"])
def test_texts_with_reads_every_text_where_case_folding_is_not_a_plain_lowering(odd: str) -> None:
    # ß folds to two letters (the offsets no longer line up); İ and ı match i case-insensitively but fold
    # to something else: every text is read the long way.
    ctx = context_of("Nothing here.", f"Appendix 1 is {odd}.", "Nor here.")
    assert ctx.texts_with(law._UNPUBLISHABLE_WORDS) == ctx.texts
    assert len(long_way(ctx)) == (odd != "Straße")


def with_records(tmp_path: Path, **fields: Any) -> Path:
    """The example with its sign-off records replaced by one Finance record of the content as it stands."""
    folder = tmp_path / "r"
    shutil.copytree(EXAMPLE, folder)
    (folder / SIGNOFF_FILE).unlink()
    loaded = prepare(folder).loaded
    record = SignOff(role="Finance", name="Andrew Whitlock", date=dt.date(2026, 11, 16), digest=loaded.digest,
                     text_digest=loaded.text_digest, **fields)
    record.record_digest = record.seal()
    (folder / SIGNOFF_FILE).write_text(yaml.safe_dump([record.model_dump(mode="json", exclude_none=True)]),
                                       encoding="utf-8")
    shutil.rmtree(folder / "signed")  # no snapshot of it: none is needed
    return folder


def stale_messages(folder: Path) -> list[str]:
    return [f.message for f in check_prepared(prepare(folder), TODAY).findings if f.rule == "RG503"]


def no_snapshot(*args: Any) -> None:
    raise AssertionError("the snapshot was read")


def test_a_record_of_unchanged_content_made_before_printed_words_is_explained_without_a_snapshot(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = with_records(tmp_path)
    monkeypatch.setattr(signoffs, "read_snapshot", no_snapshot)
    assert stale_messages(folder) == ["Finance sign-off by Andrew Whitlock on 2026-11-16 is stale: it was made "
                                      "before sign-offs were bound to the words as printed"]


def test_a_record_of_unchanged_content_and_other_printed_words_names_the_house_style(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = with_records(tmp_path, printed="sha256:" + "0" * 64)
    monkeypatch.setattr(signoffs, "read_snapshot", no_snapshot)
    assert stale_messages(folder) == ["Finance sign-off by Andrew Whitlock on 2026-11-16 is stale: the house "
                                      "style's printed wording changed since (`reportgen diff` shows it)"]


def test_changed_content_still_reads_the_snapshot(tmp_path: Path) -> None:
    folder = with_records(tmp_path)
    report = folder / "report.yaml"
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("title: ", "title: Revised ", 1), encoding="utf-8")
    # No snapshot was kept, so what changed cannot be named; the long way says the content changed.
    assert stale_messages(folder) == ["Finance sign-off by Andrew Whitlock on 2026-11-16 is stale: the content "
                                      "changed after it"]


def test_no_bar_is_worked_out_when_no_record_kept_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bar, "current_bar", no_snapshot)
    record = SignOff(role="Finance", name="A", date=TODAY, digest="sha256:x")
    assert bar.lowered(None, [record]) == []  # type: ignore[arg-type]
