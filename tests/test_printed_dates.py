"""A report's "Published" date is a fact (docs/DOMAIN "Dates are facts"), wherever a style prints it.

`build` makes an author's copy, never a publication: the publication_date typed in report.yaml is only the
plan, printed as one ("not yet (planned for …)"), and read back as the plan by `import`. `publish` prints the
day the agenda went out, and on a report that a later revision changed, the day of that revision: only on
that report. Every command runs in a fresh process, as a clerk runs it.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
import yaml
from docx import Document

from .conftest import FIXTURES, ROOT

REPORTGEN = Path(sys.executable).with_name("reportgen")
EXAMPLES = ROOT / "content" / "examples"
HIGHWAYS = "oxfordshire-2026-12-highways-maintenance-contract"
DEPOT = "oxfordshire-2026-12-depot-land-disposal"
REASON = "The minutes were supplied by the previous clerk as a scanned PDF."


def run(cwd: Path, *args: str, day: str | None = None, history: Path | None = None) -> str:
    """`reportgen ARGS` in a new process (on the simulated `day`, with its publication `history`); exit 0."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    if day:
        env["REPORTGEN_TODAY"] = day
    if history:
        env["REPORTGEN_HISTORY"] = str(history)
    result = subprocess.run([str(REPORTGEN), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=600,
                            stdin=subprocess.DEVNULL)
    shown = f"reportgen {' '.join(args)}\nexit {result.returncode}\n{result.stdout}{result.stderr}"
    assert result.returncode == 0 and "Traceback" not in result.stdout + result.stderr, shown
    return result.stdout


def dated_style(root: Path) -> Path:
    """Oxfordshire's house style with its DOCX front page printing the date ("Published: {{
    publication_date_text }}", as a council's template may): the styles folder."""
    folder = root / "styles" / "oxfordshire"
    shutil.copytree(ROOT / "templates" / "oxfordshire", folder)
    doc = Document(str(folder / "template.docx"))
    [body] = [p for p in doc.paragraphs if p.text.startswith("{{p body")]
    body.insert_paragraph_before("Published: {{ publication_date_text }}")
    doc.save(str(folder / "template.docx"))
    return root / "styles"


def front_row(page: Path, label: str) -> str:
    """The value of one row of a web page's front matter (a <dt> and its <dd>)."""
    root = lxml.html.parse(str(page)).getroot()
    [term] = [t for t in root.iter("dt") if t.text_content().strip() == label]
    return " ".join(term.getnext().text_content().split())


def docx_text(path: Path) -> str:
    return " ".join(" ".join(p.text for p in Document(str(path)).paragraphs).split())


def pdf_text(path: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())


@pytest.mark.parametrize("typed, printed", [
    ("2026-12-04", "4 December 2026"),  # still ahead of the suite's clock: a plan
    ("2026-11-02", "2 November 2026"),  # already past: never published all the same
])
def test_build_prints_a_typed_publication_date_as_the_plan_and_import_reads_the_plan_back(
        tmp_path: Path, typed: str, printed: str) -> None:
    styles = dated_style(tmp_path)
    report = tmp_path / "content" / "highways"
    shutil.copytree(EXAMPLES / "models" / HIGHWAYS, report)
    text = (report / "report.yaml").read_text(encoding="utf-8")
    assert "publication_date: 2026-12-04" in text
    (report / "report.yaml").write_text(text.replace("publication_date: 2026-12-04", f"publication_date: {typed}"),
                                        encoding="utf-8")
    run(tmp_path, "build", "content/highways", "--html", "--styles", str(styles), "--out", "built")
    plan = f"not yet (planned for {printed})"
    words = docx_text(tmp_path / "built" / "highways.docx")
    assert f"Published: {plan}" in words
    assert f"Published: {printed}" not in words
    assert front_row(tmp_path / "built" / "highways.html", "Published") == plan
    # Read back, the plan is the report's publication_date again (not lost, and not taken for a publication)
    run(tmp_path, "import", "built/highways.docx", "--style", "oxfordshire", "--styles", str(styles),
        "--out", "imported")
    back = yaml.safe_load((tmp_path / "imported" / "report.yaml").read_text(encoding="utf-8"))
    assert str(back["publication_date"]) == typed


def test_a_revision_prints_revised_on_only_on_the_report_it_changed(tmp_path: Path) -> None:
    styles = dated_style(tmp_path)
    shutil.copytree(EXAMPLES / "models", tmp_path / "models")
    shutil.copytree(EXAMPLES / "meetings", tmp_path / "meetings")
    history = tmp_path / "publications.json"
    publish = ["publish", "meetings/2026-12-15-cabinet.yaml", "--accept-inaccessible", REASON, "--out", "out",
               "--styles", str(styles)]
    run(tmp_path, *publish, day="2026-12-01", history=history)
    folder = tmp_path / "out" / "2026-12-15-cabinet"
    first = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*.pdf")}
    assert first

    # The highways report changes (and is signed again); the depot report does not.
    highways = tmp_path / "models" / HIGHWAYS
    text = (highways / "report.yaml").read_text(encoding="utf-8")
    (highways / "report.yaml").write_text(text.replace("four years", "five years", 1), encoding="utf-8")
    for role, name in (("Finance", "Andrew Whitlock"), ("Legal", "Folasade Adeyemi")):
        run(tmp_path, "sign", str(highways), "--role", role, "--name", name, "--date", "2026-12-02",
            "--today", "2026-12-02", "--styles", str(styles), day="2026-12-02")
    run(tmp_path, *publish, day="2026-12-03", history=history)

    revised = "1 December 2026 (revised on 3 December 2026)"
    assert front_row(folder / "public" / "05-award-of-the-highways-drainage-maintenance.html", "Published") == revised
    assert f"Published: {revised}" in pdf_text(folder / "public" / "05-award-of-the-highways-drainage-maintenance.pdf")
    # The exempt depot report (a PDF in private/ only) is as it was published on 1 December: no revision.
    depot = Path("private") / "06-disposal-of-the-former-marsh-leys-highways-depot.pdf"
    assert "Published: 1 December 2026 " in pdf_text(folder / depot) + " " and "revised" not in pdf_text(folder / depot)
    assert (folder / depot).read_bytes() == first[depot]  # its cached PDF, kept
    # The agenda itself is revised: the meeting page says so, as before.
    assert front_row(folder / "public" / "index.html", "Published") == revised
    # The history names each report, by its folder from the meeting file, with what it was made from.
    history_text = history.read_text(encoding="utf-8")
    assert len(re.findall(r'"reports": \{', history_text)) == 2 and f'"../models/{DEPOT}": "' in history_text


def test_a_declared_front_page_prints_the_plan_too(tmp_path: Path) -> None:
    """A style whose DOCX and web page print its declared front page ({{ front_page }}), with the built-in
    publication_date row: built, the row says the typed date is the plan."""
    style = tmp_path / "styles" / "brackenford"
    shutil.copytree(FIXTURES / "styles" / "brackenford", style)
    profile = (style / "profile.yaml").read_text(encoding="utf-8")
    assert "classification, decision_type, wards]" in profile
    (style / "profile.yaml").write_text(profile.replace("classification, decision_type, wards]",
                                                        "classification, decision_type, wards, publication_date]"),
                                        encoding="utf-8")
    report = tmp_path / "content" / "play-area"
    shutil.copytree(FIXTURES / "style-options", report)
    text = (report / "report.yaml").read_text(encoding="utf-8")
    assert "publication_date" not in text
    (report / "report.yaml").write_text(text + "publication_date: 2024-02-19\n", encoding="utf-8")
    run(tmp_path, "build", "content/play-area", "--html", "--styles", str(tmp_path / "styles"), "--out", "built")
    doc = Document(str(tmp_path / "built" / "play-area.docx"))
    rows = [[" ".join(c.text.split()) for c in row.cells] for t in doc.tables for row in t.rows]
    assert ["Published", "not yet (planned for Monday 19th February 2024)"] in rows, rows
    assert front_row(tmp_path / "built" / "play-area.html", "Published") == "not yet (planned for Monday 19th February 2024)"


def test_each_report_is_revised_on_the_day_a_revision_last_changed_it(tmp_path: Path) -> None:
    """Two revisions changing one report each; a history older than its reports' names counts every report
    as changed by the next revision (which changed what is not known)."""
    import datetime as dt

    from reportgen.content.history import History, Publication, revised_reports

    day = dt.date(2026, 12, 1)

    def agenda(reports: dict[str, str] | None, revised: int | None) -> Publication:
        return Publication(what="agenda", key="m", published=day, sha256="0" * 64, reports=reports,
                           revised=day.replace(day=revised) if revised else None)

    history = History(tmp_path / "h.json", [agenda({"a": "1", "b": "1"}, None), agenda({"a": "2", "b": "1"}, 3)])
    assert revised_reports(history, "agenda", "m", {"a": "2", "b": "1"}, day.replace(day=3)) == {
        "a": day.replace(day=3), "b": None}
    assert revised_reports(history, "agenda", "m", {"a": "2", "b": "2", "c": "1"}, day.replace(day=5)) == {
        "a": day.replace(day=3), "b": day.replace(day=5), "c": day.replace(day=5)}
    assert revised_reports(History(tmp_path / "h.json"), "agenda", "m", {"a": "1"}, None) == {"a": None}
    old = History(tmp_path / "h.json", [agenda(None, None)])
    assert revised_reports(old, "agenda", "m", {"a": "1", "b": "1"}, day.replace(day=4)) == {
        "a": day.replace(day=4), "b": day.replace(day=4)}


@pytest.mark.parametrize("printed, day", [
    ("not yet (planned for 4 December 2026)", "4 December 2026"),
    ("1 December 2026 (revised on 3 December 2026)", "1 December 2026"),
    ("not yet (draft of 21 November 2026)", None), ("not yet (draft)", None),
    ("Tuesday, 1 December 2026", "Tuesday, 1 December 2026"),
])
def test_the_importer_reads_a_printed_publication_date_back_as_the_plan_or_the_first_day(
        printed: str, day: str | None) -> None:
    from reportgen.style.wording import planned_or_published

    assert planned_or_published(printed) == day
