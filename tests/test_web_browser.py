"""The web edition in a real browser: axe-core (WCAG 2.2 A/AA) on every page, no overflow at 320 px,
screenshots at desktop and mobile widths, and the dashboard's sorting and filtering.

Runs Debian's chromium headless and axe-core from tools/node_modules (tools/install-browser.sh);
never skipped. axe results are saved as JSON, screenshots as PNG, under the module's tmp folder
(printed with -s; set REPORTGEN_WEB_ARTEFACTS=DIR to keep a copy there).
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Iterator

import pikepdf
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
        js = browser.script(session)
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


def pdftext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _contrast(a: list[float], b: list[float]) -> float:
    """WCAG contrast ratio of two sRGB colours (0-255 channels)."""
    def luminance(rgb: list[float]) -> float:
        c = [x / 255 for x in rgb[:3]]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _rgb(css: str) -> list[float]:
    return [float(x) for x in css[css.index("(") + 1:css.index(")")].split(",")[:3]]


def _print_pdf(browser: Chromium, page: Path, tmp: Path) -> Path:
    """The page as Chromium prints it, with the page's own @page size."""
    with browser.page(page) as session:
        data = browser.call("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True},
                            session=session)["data"]
    out = tmp / f"{page.stem}.pdf"
    out.write_bytes(base64.b64decode(data))
    return out


def test_meeting_page_title_papers_and_the_inaccessible_minutes_note(site: dict[str, Path], browser: Chromium) -> None:
    with browser.page(site["meeting"]) as session:
        js = browser.script(session)
        assert js("document.title") == "Cabinet, 15 December 2026: agenda"  # not a generic "Cabinet: agenda"
        papers = js("Array.from(document.querySelectorAll('ul.pack > li')).map(li => li.innerText)")
        assert isinstance(papers, list) and papers[0].startswith("Agenda front sheet (PDF, ")
        assert papers[1].startswith("Cabinet, 15 December 2026: agenda pack (PDF, ")
        assert "Not fully accessible" in papers[1]  # the pack holds the untagged minutes' page
        text = str(js("document.body.innerText"))
        assert "(PDF) (PDF" not in text and "(PDF)" not in text
        minutes = str(js("document.getElementById('item-3').innerText"))
        assert "Not fully accessible" in minutes and "See the accessibility statement" in minutes
        assert js("document.querySelector('#item-3 .not-accessible a').getAttribute('href')") == \
            "accessibility-statement.html"
        assert "Not fully accessible" not in str(js("document.getElementById('item-5').innerText"))


def test_report_tables_have_captions_and_the_statutory_list_is_lettered_as_in_the_pdf(site: dict[str, Path],
                                                                                        browser: Chromium) -> None:
    report = site["published-05-award-of-the-highways-drainage-maintenance"]
    with browser.page(report) as session:
        js = browser.script(session)
        tables = js("Array.from(document.querySelectorAll('table')).map(t => t.caption ? t.caption.innerText : '')")
        assert isinstance(tables, list) and len(tables) >= 3 and all(tables), tables
        assert len(set(tables)) == len(tables)  # each caption names its own table
        assert js("getComputedStyle(document.querySelector('ol[type=a]')).listStyleType") == "paren-lower-alpha"
    text = pdftext(report.with_suffix(".pdf"))
    assert "(a)" in text and "(b)" in text and "(c)" in text  # what the PDF prints, and the web page now too


def test_dashboard_filters_hidden_without_script_printed_whole_and_focus_ring_visible(
        site: dict[str, Path], browser: Chromium, tmp_path: Path) -> None:
    board = site["dashboard"]
    # Without JavaScript: the page as it arrives, its script removed, shows no controls that do nothing.
    bare = tmp_path / "no-script" / "dashboard.html"
    bare.parent.mkdir()
    html = board.read_text(encoding="utf-8")
    bare.write_text(html[:html.index("<script")] + html[html.index("</script>") + 9:], encoding="utf-8")
    with browser.page(bare) as session:
        assert browser.evaluate(session, "getComputedStyle(document.getElementById('filters')).display") == "none"
    # Printed: every column, the sign-offs included, on the first page with the table's heading row (printed
    # before, the table was cut off after the "recommendations" column and the sign-offs were lost).
    printed = _print_pdf(browser, board, tmp_path)
    headings = re.findall(r'<th scope="col" data-sort="text">([^<]*sign-off)</th>', html)
    assert len(headings) >= 3
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(printed), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert " ".join(first.split()).count("sign-off") >= len(headings), first
    for heading in headings:
        assert heading.split()[0] in first, heading
    # The sort buttons' focus ring: at least 3:1 against the page and the heading cell (WCAG 1.4.11).
    with browser.page(board) as session:
        js = browser.script(session)
        js("document.querySelector('#matrix thead button.sort').focus()")
        style = js("(() => { const b = document.querySelector('#matrix thead button.sort'); const s = "
                   "getComputedStyle(b); return [s.outlineStyle, s.outlineWidth, s.outlineColor, "
                   "getComputedStyle(b.closest('th')).backgroundColor, document.activeElement === b]; })()")
        assert isinstance(style, list)
        outline, width, colour, cell, focused = style
        assert focused and outline == "solid" and float(width.rstrip("px")) >= 2
        assert _contrast(_rgb(colour), [255, 255, 255]) >= 3
        cell_rgb = _rgb(cell) if "rgba(0, 0, 0, 0)" not in cell else [255, 255, 255]
        assert _contrast(_rgb(colour), cell_rgb) >= 3 or _contrast(_rgb(colour), [255, 221, 0]) >= 3


def test_accessibility_statement_follows_the_model_is_styled_a4_and_links_back(site: dict[str, Path],
                                                                             browser: Chromium,
                                                                             tmp_path: Path) -> None:
    page = site["statement"]
    with browser.page(page) as session:
        js = browser.script(session)
        headings = js("Array.from(document.querySelectorAll('h2')).map(h => h.innerText)")
        assert headings == ["How accessible these papers are", "Feedback and contact information",
                            "Enforcement procedure", "Technical information about these papers’ accessibility",
                            "Non-accessible content: non-compliance with the accessibility regulations",
                            "What we are doing to improve accessibility", "Preparation of this accessibility statement"]
        text = str(js("document.body.innerText"))
        assert "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA" in text
        assert "Equality and Human Rights Commission" in text and "Equality Advisory and Support Service" in text
        # Prepared the day it was made (the publish's day), not the agenda's typed publication date.
        assert "This statement was prepared on 21 November 2026" in text and "4 December 2026" not in text
        assert js("document.querySelector('main a').getAttribute('href')") == "index.html"
        assert js("getComputedStyle(document.body).fontFamily").startswith('"Liberation Sans"')  # house style
    with pikepdf.open(_print_pdf(browser, page, tmp_path)) as pdf:
        box = [float(x) for x in pdf.pages[0].mediabox]
    assert abs(box[2] - 595.28) < 1 and abs(box[3] - 841.89) < 1  # A4, not US Letter
