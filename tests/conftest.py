"""Shared fixtures: small reports written into tmp folders, and the CLI runner."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent

# Commands run by tests start LibreOffice for themselves, as before the server (each test's TMPDIR and kill
# checks see only its own processes): no test leaves a warm server behind, in CI or at a desk. The tests
# of the server (tests/test_server.py) turn it on for their own commands, and stop it in their fixture.
os.environ["REPORTGEN_NO_SERVER"] = "1"
#: The suite's own socket folder (reportgen.warm.folder): a test that drops REPORTGEN_NO_SERVER by mistake
#: starts a warm reportgen here, not in the user's, and `no_warm_reportgen_left` below fails the run.
#: The tests of the servers give each test a folder of its own.
RUNTIME = Path(tempfile.mkdtemp(prefix="reportgen-tests-run-"))
os.environ["XDG_RUNTIME_DIR"] = str(RUNTIME)
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


#: The suite runs on a simulated clock (reportgen.content.clock): the examples are written to be published on
#: 21 November 2026, and every publication must be dated on or after the clock. Commands run in a fresh
#: process inherit it. A test of the clock itself sets its own date with monkeypatch.
SIMULATED_TODAY = "2026-11-21"
os.environ["REPORTGEN_TODAY"] = SIMULATED_TODAY
#: Publications are recorded in a history (reportgen.content.history); the suite's never lands in the
#: repository. Each test gets its own (below); fixtures shared by a module use this one.
os.environ["REPORTGEN_HISTORY"] = str(Path(tempfile.mkdtemp(prefix="reportgen-tests-")) / "publications.json")


@pytest.fixture(autouse=True)
def own_history(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own publication history, so that no test sees another's publications as earlier ones."""
    path = tmp_path_factory.mktemp("history") / "publications.json"
    monkeypatch.setenv("REPORTGEN_HISTORY", str(path))
    return path


def write_report(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def copy_edited(source: Path, target: Path, name: str, old: str = "", new: str = "") -> Path:
    """`source` copied to `target`, with the first `old` in its file `name` replaced by `new` (which must be
    there: a test whose edit finds nothing would test the untouched copy)."""
    shutil.copytree(source, target)
    text = (target / name).read_text(encoding="utf-8")
    assert old in text
    (target / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run: starting it costs more than most pages' checks."""
    from .browser import Chromium

    with Chromium() as chromium:
        yield chromium


@pytest.fixture(scope="session", autouse=True)
def no_warm_reportgen_left() -> Iterator[None]:
    """After the run: no test left a warm reportgen (or LibreOffice server) in the suite's socket folder."""
    yield
    folder = RUNTIME / "reportgen"
    left = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    if left:
        subprocess.run([str(Path(sys.executable).with_name("reportgen")), "server", "stop"], capture_output=True,
                       timeout=120, env={**os.environ, "XDG_RUNTIME_DIR": str(RUNTIME)})
    shutil.rmtree(RUNTIME, ignore_errors=True)
    assert left == [], f"a test left a server running in the suite's socket folder: {left}"


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
