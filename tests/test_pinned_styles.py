"""A batch of reports is checked against each house style found once (style.profile.pinned_styles): the
memory lasts one check, so a style edited between two checks in one process (publish --watch) is read again."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from reportgen.pipeline import check
from reportgen.style import profile
from reportgen.style.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 21)


def test_a_style_edited_between_two_checks_is_read_again(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "templates" / "east-herts", tmp_path / "styles" / "east-herts")
    folder = tmp_path / "content" / "report"
    shutil.copytree(ROOT / "content" / "examples" / "models" / "east-herts-2026-12-council-tax-support", folder)
    settings = Settings.with_styles(tmp_path / "styles")
    before = {f.rule for r in check([folder], TODAY, settings, workers=1) for f in r.findings}
    assert "RG203" not in before  # the example reads easily enough for the style as shipped ...
    with (tmp_path / "styles" / "east-herts" / "profile.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\nrules:\n  RG203: {min_ease: 101, strict_min_ease: 101}\n")  # ... not for this one
    after = {f.rule for r in check([folder], TODAY, settings, workers=1) for f in r.findings}
    assert after == before | {"RG203"}


def test_inside_a_batch_each_style_is_found_once(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "templates" / "east-herts", tmp_path / "styles" / "east-herts")
    settings = Settings.with_styles(tmp_path / "styles")
    with profile.pinned_styles():
        first = profile.load_profile("east-herts", settings)
        (tmp_path / "styles" / "east-herts" / "profile.yaml").write_text("not: [valid", encoding="utf-8")
        assert profile.load_profile("east-herts", settings) is first
        # Other settings (another --styles folder, another project) are another key.
        assert profile.load_profile("east-herts", Settings()) is not first
    assert profile._pinned is None
