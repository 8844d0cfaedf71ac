"""What a command imports, as users run it (a fresh process): nothing it does not use (issue 26).

A command's start-up is mostly imports, and each library a command loads without using it costs every
run: python-docx, docxtpl and jinja2 belong to the commands that write DOCX, pikepdf and pypdf to the
ones that make PDFs, the HTML writer to --html. Not a timed test: these guard the imports themselves.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

REPORT = ROOT / "content" / "examples" / "models" / "east-herts-2026-12-council-tax-support"
# `reportgen ARGS`, then the names of the watched modules it imported, printed last.
RUN_AND_LIST = """
import atexit, sys
from reportgen.cli import main
WATCHED = sys.argv.pop(1).split(",")
atexit.register(lambda: print("imported:", ",".join(sorted(m for m in WATCHED if m in sys.modules))))
main()
"""
LIBRARIES = ["docx", "docxtpl", "jinja2", "pikepdf", "pypdf", "multiprocessing"]
STAGES = ["reportgen.docx.render", "reportgen.html.report", "reportgen.pdf", "reportgen.publish"]


def imported(tmp_path: Path, watched: list[str], *args: str) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTGEN")}
    done = subprocess.run([sys.executable, "-c", RUN_AND_LIST, ",".join(watched), *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    last = done.stdout.splitlines()[-1]
    assert last.startswith("imported:"), done.stdout
    return {name for name in last.removeprefix("imported:").strip().split(",") if name}


@pytest.mark.parametrize("command", ["check", "status"])
def test_checking_one_report_loads_no_writer(tmp_path: Path, command: str) -> None:
    found = imported(tmp_path, [*LIBRARIES, *STAGES, "reportgen.content.model", "reportgen.content.meeting",
                                "reportgen.content.project"], command, str(REPORT), "--today", "2026-11-21")
    # the report's model; no meeting model, no project model outside a project, no DOCX, PDF or web writer
    assert found == {"reportgen.content.model"}


def test_building_docx_loads_no_pdf_or_web_writer(tmp_path: Path) -> None:
    found = imported(tmp_path, [*LIBRARIES, *STAGES], "build", str(REPORT), "--out", str(tmp_path / "out"), "--quiet")
    assert found == {"docx", "docxtpl", "jinja2", "reportgen.docx.render"}
    assert (tmp_path / "out" / f"{REPORT.name}.docx").is_file()


def test_building_with_html_loads_the_web_writer(tmp_path: Path) -> None:
    found = imported(tmp_path, ["reportgen.html.report", "pikepdf"], "build", str(REPORT), "--out",
                     str(tmp_path / "out"), "--quiet", "--html")
    assert found == {"reportgen.html.report"}
