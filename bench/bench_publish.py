"""A meeting of 30 ten-page reports, end to end from content to published packs, against LibreOffice alone.

Prints, from one run (each figure of issue 13's table, both sides of each comparison measured here):
- `publish` from content, cold (a fresh cache): gate, DOCX, PDFs through the pool, front sheet, packs;
  with its phases (the gate's check and render of the 30 reports, pack assembly);
- the same 30 DOCX converted by one `soffice --convert-to pdf` process for all of them, and by one
  process per file, with the same finishing and checks; the ratios;
- republish with nothing changed (and whether any file was rewritten);
- `check` of the 30 reports with every rule (readability included), warm;
- republish after one sentence of one report changed (and what was converted again);
- the two republishes again as a command (Python start-up and imports included), and a republish after
  an edit in a `publish --watch` session, where LibreOffice stays warm.

    .venv/bin/python bench/bench_publish.py [--reports 30] [--paragraphs 42] [--no-per-file]
"""
from __future__ import annotations

import argparse
import os
import datetime as dt
import logging
import re
import shutil
import subprocess
import sys
import threading
import tempfile
import time
from pathlib import Path
from typing import Any

import pikepdf
import yaml

from reportgen.pdf.baseline import convert_one_per_process, convert_one_process
from reportgen.pdf.pool import Converter, Job
from reportgen.content.signoff import SIGNOFF_FILE, SNAPSHOT_DIR, read_signoffs
from reportgen.pipeline import check, render_report, sign
from reportgen.publish.run import publish
from reportgen.publish.watch import Outcome, watch

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "content" / "examples" / "models" / "oxfordshire-2026-12-highways-maintenance-contract"
TODAY = dt.date(2026, 11, 21)
SENTENCES = [
    "The service will be reviewed each quarter against the agreed performance measures.",
    "Residents will be told about planned works at least two weeks in advance.",
    "The contractor will report each month on the drains it has cleared and repaired.",
    "Officers will visit a sample of sites to check the quality of the work.",
    "Any change to the programme will be agreed with the relevant local member.",
]


def simulate_today() -> None:
    """The bench's meetings are published on TODAY, whatever the machine's clock says: a publication dated
    before the clock is refused (content.clock), so the bench sets the clock as the tests do, for itself
    and every command it starts."""
    os.environ["REPORTGEN_TODAY"] = TODAY.isoformat()


def make_report(folder: Path, n: int, paragraphs: int, title: str | None = None) -> None:
    """A copy of a model report, different from every other (so no conversion is shared), about ten pages."""
    data = yaml.safe_load((BASE / "report.yaml").read_text(encoding="utf-8"))
    shutil.copytree(BASE, folder)
    report = dict(data, title=title or f"{data['title']} (lot {n})")
    # Reports only, so both sides convert the same DOCX files: the annexes stay listed
    # (the text refers to them) but carry no file to convert.
    report["appendices"] = [{k: v for k, v in a.items() if k != "file"} for a in data["appendices"]]
    extra = [{"heading": f"Delivery in area {n}"}] + [
        " ".join(SENTENCES[(n + i + k) % len(SENTENCES)] for k in range(4)) + f" This is paragraph {i + 1} for lot {n}."
        for i in range(paragraphs)]
    report["key_considerations"] = list(data["key_considerations"]) + extra
    (folder / "report.yaml").write_text(yaml.safe_dump(report, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # The model's sign-offs cleared the model, not this copy: the reviewers sign this content, as they
    # would with `reportgen sign`, or the publish gate rightly refuses it.
    (folder / SIGNOFF_FILE).unlink()
    shutil.rmtree(folder / SNAPSHOT_DIR)
    sign_again(folder)


def sign_again(folder: Path) -> None:
    """Every reviewer of the model signs the report's content as it stands now, on the bench's today (a
    record dated days before it is made needs a reason)."""
    for record in read_signoffs(BASE):
        sign(folder, record.role, record.name, TODAY, today=TODAY)


def make_meeting(root: Path, reports: int, paragraphs: int, name: str = "2026-12-15-bench",
                 first: int = 1) -> Path:
    """A Cabinet meeting of `reports` reports (numbered from `first`) in root/<name>/."""
    items = []
    for n in range(first, first + reports):
        make_report(root / name / f"report-{n:04d}", n, paragraphs)
        items.append({"report": f"{name}/report-{n:04d}"})
    meeting = {"committee": "Cabinet", "style": "oxfordshire", "date": dt.date(2026, 12, 15), "time": "2.00 pm",
               "venue": "County Hall", "publication_date": dt.date(2026, 12, 4),
               "items": [{"standard": "apologies"}, *items]}
    path = root / f"{name}.yaml"
    path.write_text(yaml.safe_dump(meeting, sort_keys=False), encoding="utf-8")
    return path


def change_one_sentence(folder: Path) -> None:
    """One sentence of one report, edited as an author would (through the YAML, not by bytes)."""
    path = folder / "report.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["key_considerations"][-1] = data["key_considerations"][-1].replace("This is paragraph", "This is now paragraph")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


class Phases(logging.Handler):
    """Collects publish's own phase timings ("packs: 0.70 s") from its log."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seconds: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        found = re.fullmatch(r"(.+): ([0-9.]+) s", record.getMessage())
        if found:
            self.seconds[found.group(1)] = float(found.group(2))


class Counting:
    """Counts the documents the pool converts."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.original = Converter.convert

        def convert(pool: Converter, jobs: list[Job], done: Any = None) -> None:
            self.names += [j.docx.stem for j in jobs]
            self.original(pool, jobs, done)
        Converter.convert = convert  # type: ignore[method-assign]


def files(out: Path) -> dict[Path, tuple[int, int]]:
    return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts}


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> None:
    simulate_today()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=30)
    parser.add_argument("--paragraphs", type=int, default=42, help="extra paragraphs per report (42: about ten pages)")
    parser.add_argument("--no-per-file", action="store_true", help="skip the slow one-process-per-file baseline")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="reportgen-publish-bench-"))
    # The publication history the bench's publishes write goes with its other output, not into the
    # folder it is run from.
    os.environ["REPORTGEN_HISTORY"] = str(root / "publications.json")
    meeting = make_meeting(root / "content", args.reports, args.paragraphs)
    phases = Phases()
    run_log = logging.getLogger("reportgen.publish.write")
    run_log.addHandler(phases)
    run_log.setLevel(logging.INFO)
    counting = Counting()
    out = root / "out"

    start = time.perf_counter()
    result = publish(meeting, out, today=TODAY)
    cold = time.perf_counter() - start
    cold_phases = dict(phases.seconds)
    reports = [d for d in result.manifest["documents"] if d["kind"] == "report"]
    pages = sum(d["pages"] for d in reports) / len(reports)
    with pikepdf.open(result.public / "agenda-pack.pdf") as pack:
        pack_pages = len(pack.pages)

    before = files(out)
    counting.names.clear()
    start = time.perf_counter()
    again = publish(meeting, out, today=TODAY)
    unchanged = time.perf_counter() - start
    rewritten = sum(1 for p, s in files(out).items() if before.get(p) != s)

    change_one_sentence(root / "content" / "2026-12-15-bench" / "report-0007")
    sign_again(root / "content" / "2026-12-15-bench" / "report-0007")  # the reviewers clear the change
    counting.names.clear()
    phases.seconds.clear()
    start = time.perf_counter()
    changed = publish(meeting, out, today=TODAY)
    one = time.perf_counter() - start
    one_phases = dict(phases.seconds)
    one_converted = list(counting.names)

    # As a command: the same two republishes with Python's start-up and imports, as an author runs them.
    command = [str(Path(sys.executable).with_name("reportgen")), "publish", str(meeting), "--out", str(out),
               "--today", TODAY.isoformat(), "--quiet"]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    unchanged_cli = time.perf_counter() - start
    change_one_sentence(root / "content" / "2026-12-15-bench" / "report-0011")
    sign_again(root / "content" / "2026-12-15-bench" / "report-0011")
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    one_cli = time.perf_counter() - start

    # A `publish --watch` session: LibreOffice stays warm between republishes.
    outcomes: list[Outcome] = []
    stop = threading.Event()
    session = threading.Thread(target=watch, args=(meeting, out, outcomes.append), kwargs={
        "today": TODAY, "stop": stop, "interval": 0.05})
    session.start()
    while not outcomes:
        time.sleep(0.01)
    time.sleep(3)  # an author takes longer than this to make an edit; LibreOffice has warmed up meanwhile
    change_one_sentence(root / "content" / "2026-12-15-bench" / "report-0019")
    sign_again(root / "content" / "2026-12-15-bench" / "report-0019")
    while len(outcomes) < 2:
        time.sleep(0.01)
    stop.set()
    session.join()
    watched = outcomes[1]
    assert watched.result is not None and watched.result.written, watched.error

    # Publishing the week's meetings in a row through one pool (publish(converter=...)): a second meeting of
    # 30 new reports, its cache cold, with LibreOffice already running.
    second = make_meeting(root / "content", args.reports, args.paragraphs, "2026-12-16-bench", first=1001)
    with Converter() as warm:
        warm.start()
        warm.wait_started()
        start = time.perf_counter()
        publish(second, root / "out-second", today=TODAY, converter=warm)
        cold_warm = time.perf_counter() - start

    folder = root / "content" / "2026-12-15-bench"
    check([folder / "report-0001"], TODAY)  # warm-up: imports, rule catalogue, readability dictionary
    start = time.perf_counter()
    checked = check([folder], TODAY)
    check_all = time.perf_counter() - start

    docx_dir = root / "baseline"
    docx_dir.mkdir()
    jobs = []
    for folder in sorted((root / "content" / "2026-12-15-bench").glob("report-*")):
        loaded, data = render_report(folder)
        docx = docx_dir / f"{folder.name}.docx"
        docx.write_bytes(data)
        jobs.append(Job(docx, docx_dir / f"{folder.name}.pdf", loaded.report.title))
    start = time.perf_counter()
    convert_one_process(jobs)
    batch = time.perf_counter() - start
    # LibreOffice's own share, from the same machine in the same run: one worker's start-up alone, and the
    # batch's exports (its time less a start-up). On two cores no publish converts these 30 files in less
    # than a start-up plus half the exports, even doing nothing else.
    with Converter(1) as alone:
        start = time.perf_counter()
        alone.start()
        alone.wait_started()
        startup = time.perf_counter() - start
    floor = startup + (batch - startup) / 2
    per_file = None
    if not args.no_per_file:
        start = time.perf_counter()
        convert_one_per_process(jobs)
        per_file = time.perf_counter() - start

    n = len(reports)
    print(f"meeting: {n} reports of {pages:.1f} pages on average, public pack {pack_pages} pages")
    print(f"publish from content, cold (fresh cache): {cold:.2f} s (target <= 4 s: {verdict(cold <= 4)})")
    print(f"  the same for a second meeting of {n} new reports, LibreOffice already running (meetings published "
          f"in a row through one pool): {cold_warm:.2f} s")
    print(f"  gate (check + render of {n} reports): {cold_phases.get('check', 0):.2f} s "
          f"({cold_phases.get('check', 0) / n * 1000:.0f} ms per report); "
          f"conversion {cold_phases.get(f'convert {n} documents', 0):.2f} s; "
          f"pack assembly ({pack_pages} pages): {cold_phases.get('packs', 0):.2f} s")
    print(f"check, every rule (readability included), of the {len(checked)} reports: {check_all:.2f} s, "
          f"{check_all / len(checked) * 1000:.1f} ms per report (target <= 15 ms and <= 0.5 s: "
          f"{verdict(check_all <= 0.5 and check_all / len(checked) <= 0.015)})")
    print(f"one soffice --convert-to pdf process for all {len(jobs)} DOCX (conversion only): {batch:.2f} s; "
          f"publish is {batch / cold:.2f}x faster (target >= 1.8x: {verdict(batch / cold >= 1.8)})")
    print(f"  1.8x means publishing in {batch / 1.8:.2f} s; LibreOffice's part alone takes at least {floor:.2f} s on "
          f"two cores (a start-up, {startup:.2f} s, and half of the batch's {batch - startup:.2f} s of exports)")
    if per_file is not None:
        print(f"one soffice --convert-to pdf process per DOCX: {per_file:.2f} s; publish is {per_file / cold:.1f}x "
              f"faster (target >= 10x: {verdict(per_file / cold >= 10)})")
    print(f"republish, nothing changed: {unchanged:.3f} s, {rewritten} file(s) rewritten, written={again.written} "
          f"(target <= 0.5 s and none: {verdict(unchanged <= 0.5 and rewritten == 0)})")
    print(f"republish after one sentence of one report changed: {one:.2f} s, converted {len(one_converted)} "
          f"document(s) {sorted(one_converted)}, written={changed.written} (target <= 1.5 s: {verdict(one <= 1.5)})")
    print("  phases: " + ", ".join(f"{k} {v:.2f} s" for k, v in one_phases.items()))
    print(f"as a command (Python start-up and imports included): republish, nothing changed {unchanged_cli:.2f} s; "
          f"after one sentence of one report changed {one_cli:.2f} s")
    print(f"in a `publish --watch` session (LibreOffice kept warm): republish after one sentence of one report "
          f"changed {watched.seconds:.2f} s (target <= 1.5 s: {verdict(watched.seconds <= 1.5)})")
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
