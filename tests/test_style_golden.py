"""A style golden (issue 22, item 8): each bundled style's rendered first page matches its PNG under
tests/golden/ within a tolerance, and an accidental visual change (bold lost from the title) fails.
Regenerate after a change meant to be seen: `.venv/bin/python tools/update_style_goldens.py`."""
from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from docx import Document

from reportgen.style.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("update_style_goldens", ROOT / "tools" / "update_style_goldens.py")
assert _spec is not None and _spec.loader is not None
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every bundled style's first page as built now, and a copy of Oxfordshire whose Title is not bold."""
    tmp = tmp_path_factory.mktemp("style-golden")
    plain = tmp / "styles" / "oxfordshire-plain"
    shutil.copytree(ROOT / "templates" / "oxfordshire", plain)
    doc = Document(str(plain / "template.docx"))
    assert doc.styles["Title"].font.bold
    doc.styles["Title"].font.bold = False
    doc.save(str(plain / "template.docx"))
    return tool.first_pages([*tool.BUNDLED, "oxfordshire-plain"], tmp, Settings.with_styles(tmp / "styles"))


def test_every_bundled_style_has_a_golden() -> None:
    assert tool.BUNDLED == ["east-herts", "herefordshire", "oxfordshire"]
    assert all(tool.golden(style).is_file() for style in tool.BUNDLED)


@pytest.mark.parametrize("style", ["east-herts", "herefordshire", "oxfordshire"])
def test_the_first_page_matches_its_golden(pages: dict[str, Path], style: str) -> None:
    share = tool.changed(pages[style], tool.golden(style))
    assert share <= tool.SHARE, (f"{style}'s first page changed ({share:.2%} of pixels): look at {pages[style]}; "
                                 "if meant, run .venv/bin/python tools/update_style_goldens.py")


def test_bold_lost_from_the_title_fails_the_comparison(pages: dict[str, Path]) -> None:
    assert tool.changed(pages["oxfordshire-plain"], tool.golden("oxfordshire")) > tool.SHARE


def test_a_different_page_size_is_a_change(pages: dict[str, Path], tmp_path: Path) -> None:
    from PIL import Image

    with Image.open(pages["oxfordshire"]) as page:
        page.crop((0, 0, page.width, page.height - 1)).save(tmp_path / "cropped.png")
    assert tool.changed(tmp_path / "cropped.png", tool.golden("oxfordshire")) == 1.0
