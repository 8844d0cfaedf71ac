"""The web edition in a real browser: axe-core (WCAG 2.2 A/AA) on every page, no overflow at 320 px,
screenshots at desktop and mobile widths, and the dashboard's sorting and filtering.

Runs Debian's chromium headless and axe-core from tools/node_modules (tools/install-browser.sh);
never skipped. axe results are saved as JSON, screenshots as PNG, under the module's tmp folder
(printed with -s; set REPORTGEN_WEB_ARTEFACTS=DIR to keep a copy there).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.pipeline import build
from reportgen.publish.run import publish

from .browser import WCAG_TAGS, Chromium
from .conftest import ROOT

MEETING = ROOT / "content" / "examples" / "meetings" / "2026-12-15-cabinet.yaml"
TODAY = dt.date(2026, 11, 21)
WIDTHS = (1280, 320)
EXAMPLES = len(list((ROOT / "content" / "examples").rglob("report.yaml")))
REASON = "Supplied as an untagged PDF by the previous clerk; an accessible version is being prepared."


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every example report's page, the published meeting (index and report pages) and the dashboard."""
    root = tmp_path_factory.mktemp("web")
    result = build([ROOT / "content" / "examples"], root / "build", html=True)
    assert result.ok and len(result.built) == EXAMPLES
    pages = {f"report-{b.target.stem}": b.target.with_suffix(".html") for b in result.built}
    public = publish(MEETING, root / "publish", today=TODAY, accept_inaccessible=REASON).public
    pages["meeting"] = public / "index.html"
    pages["statement"] = public / "accessibility-statement.html"
    pages.update({f"published-{p.stem}": p for p in public.glob("0*.html")})
    board = root / "dashboard" / "dashboard.html"
    board.parent.mkdir()
    run = CliRunner().invoke(main, ["status", str(ROOT / "content" / "examples"), "--today", TODAY.isoformat(),
                                    "--html", str(board)])
    assert run.exit_code == 1 and board.is_file(), run.output  # the seeds are not ready, and it says so
    pages["dashboard"] = board
    # The statutory records' web edition: the forward plan, the notices of a private meeting and the
    # decision notices, each beside its PDF.
    records = root / "records"
    # Each made on its day of the cycle (the simulated clock, or a later --today).
    for day, args in (("2026-11-16", ["notices", str(MEETING), "--notice", "28-day"]),
                      (TODAY.isoformat(), ["forward-plan", str(ROOT / "content" / "examples" / "models"),
                                           "--from", TODAY.isoformat()]),
                      (TODAY.isoformat(), ["notices", str(MEETING), "--notice", "5-day", "--today", "2026-12-07"]),
                      (TODAY.isoformat(), ["decisions", str(MEETING), "--today", "2026-12-17"])):
        run = CliRunner().invoke(main, [*args, "--out", str(records)], env={"REPORTGEN_TODAY": day})
        assert run.exit_code == 0, run.output
    record_pages = {"record-" + "-".join(p.relative_to(records).with_suffix("").parts): p
                    for p in records.rglob("*.html")}
    assert {p.with_suffix(".pdf") for p in record_pages.values()} <= set(records.rglob("*.pdf"))
    # two forward plans, two notices of a private meeting, three decision notices, one full (private) record
    assert len(record_pages) == 8
    pages.update(record_pages)
    assert all(p.is_file() for p in pages.values()) and len(pages) == EXAMPLES + 4 + len(record_pages)
    return pages


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("web-artefacts")
    yield folder
    print(f"\naxe results and screenshots: {folder}")
    keep = os.environ.get("REPORTGEN_WEB_ARTEFACTS")
    if keep:
        shutil.copytree(folder, keep, dirs_exist_ok=True)


def test_every_page_has_no_axe_violations_and_no_overflow_at_320px(site: dict[str, Path], browser: Chromium,
                                                                   artefacts: Path) -> None:
    failures = {}
    for name, page in site.items():
        for width in WIDTHS:
            result = browser.axe_check(page, width=width, tags=WCAG_TAGS)
            (artefacts / f"axe-{name}-{width}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
            assert result["passes"], f"axe ran no passing rule on {name}: did it run at all?"
            if result["violations"]:
                failures[f"{name}@{width}"] = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                                               for v in result["violations"]]
        assert browser.scroll_width(page, 320) == 320, f"{name} scrolls sideways at 320 px"
    assert failures == {}


def test_screenshots_at_desktop_and_mobile_width(site: dict[str, Path], browser: Chromium, artefacts: Path) -> None:
    chosen = {"report": site["report-oxfordshire-2026-12-highways-maintenance-contract"],
              "meeting": site["meeting"], "dashboard": site["dashboard"]}
    for name, page in chosen.items():
        for width in WIDTHS:
            png = browser.screenshot(page, artefacts / f"{name}-{width}.png", width, 900)
            data = png.read_bytes()
            assert data[:8] == b"\x89PNG\r\n\x1a\n"
            shot_width = int.from_bytes(data[16:20], "big")
            assert shot_width == width, f"{name} at {width} px is {shot_width} px wide: something overflows"


def test_dashboard_sorts_and_filters_with_script_and_shows_everything_without(site: dict[str, Path],
                                                                              browser: Chromium) -> None:
    page = site["dashboard"]
    html = page.read_text(encoding="utf-8")
    assert '<div id="filters" class="filters" hidden>' in html  # no controls that do nothing without JS
    with browser.page(page) as session:
        def js(expression: str) -> object:
            return browser.evaluate(session, expression)
        rows = "Array.from(document.querySelectorAll('#matrix tbody tr'))"
        assert js("document.getElementById('filters').hidden") is False
        before = js(f"{rows}.map(r => r.cells[2].dataset.value)")
        assert isinstance(before, list) and len(before) == 7
        js("document.querySelectorAll('#matrix thead th')[2].querySelector('button').click()")
        after = js(f"{rows}.map(r => parseFloat(r.cells[2].dataset.value))")
        assert after == sorted(float(v) for v in before)
        assert js("document.querySelectorAll('#matrix thead th')[2].getAttribute('aria-sort')") == "ascending"
        js("const s = document.getElementById('filter-state'); s.value = 'blocked';"
           "s.dispatchEvent(new Event('change'))")
        states = js(f"{rows}.filter(r => !r.hidden).map(r => r.dataset.state)")
        assert isinstance(states, list) and states and set(states) == {"blocked"}
        assert js(f"{rows}.filter(r => r.hidden).length") == 7 - len(states)


def test_no_page_fetches_anything_and_every_page_reads_without_script(site: dict[str, Path],
                                                                       browser: Chromium) -> None:
    """Self-contained: the browser loads no stylesheet, font, image or script beyond the page itself."""
    fetched = {}
    for name, page in site.items():
        with browser.page(page) as session:
            entries = browser.evaluate(session, "performance.getEntriesByType('resource').map(e => e.name)")
            fetched[name] = [e for e in entries if not str(e).endswith("/favicon.ico")]
    assert fetched == {name: [] for name in site}
    for name, page in site.items():
        scripts = page.read_text(encoding="utf-8").count("<script")
        assert scripts == (1 if name == "dashboard" else 0), name  # only the dashboard's progressive enhancement
