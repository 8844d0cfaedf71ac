"""Shared fixtures: small reports written into tmp folders, and the CLI runner."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SPECIAL = "& < > \" ' £ – “ ” é {{ x }} {% if y %}"

MINIMAL = """\
style: herefordshire
title: Minimal report
decision_maker: Cabinet member for testing
decision_date: 2026-12-10
report_by: Director of Tests
purpose: To test reportgen.
recommendations:
  items:
    - text: The test be agreed.
"""


def write_report(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run: starting it costs more than most pages' checks."""
    from .browser import Chromium

    with Chromium() as chromium:
        yield chromium


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def fixture_copy(tmp_path: Path):
    """Copy a named scenario folder from tests/fixtures into tmp_path and return it."""
    def copy(name: str) -> Path:
        target = tmp_path / "content" / name
        shutil.copytree(FIXTURES / name, target)
        return target
    return copy
