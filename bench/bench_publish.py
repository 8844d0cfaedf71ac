"""A meeting of 30 ten-page reports, end to end from content to published packs.

Prints, from one run:
- the time `publish` takes from content to the published folder (gate, DOCX, PDFs through the
  LibreOffice pool, front sheet, public and private packs, manifest), with a fresh conversion
  cache so nothing is reused;
- the time to convert the same 30 DOCX files with one `soffice --convert-to pdf` process per file;
- the ratio. Targets (issue 4): publish in 15 s or less, and at least 5 times faster.

    .venv/bin/python bench/bench_publish.py [--reports 30] [--pages 10]
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

import pikepdf
import yaml

from reportgen.pipeline import render_report
from reportgen.pdf.baseline import convert_one_per_process
from reportgen.pdf.pool import Job
from reportgen.publish.run import publish

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "content" / "examples" / "models" / "oxfordshire-2026-12-highways-maintenance-contract"
SENTENCES = [
    "The service will be reviewed each quarter against the agreed performance measures.",
    "Residents will be told about planned works at least two weeks in advance.",
    "The contractor will report each month on the drains it has cleared and repaired.",
    "Officers will visit a sample of sites to check the quality of the work.",
    "Any change to the programme will be agreed with the relevant local member.",
]


def make_meeting(root: Path, reports: int, paragraphs: int) -> Path:
    """Copies of a model report, each different (so no conversion is shared) and about ten pages long."""
    data = yaml.safe_load((BASE / "report.yaml").read_text(encoding="utf-8"))
    items = []
    for n in range(1, reports + 1):
        folder = root / f"report-{n:02d}"
        shutil.copytree(BASE, folder)
        report = dict(data, title=f"{data['title']} (lot {n})")
        # Reports only, so both sides convert the same DOCX files: the annexes stay listed
        # (the text refers to them) but carry no file to convert.
        report["appendices"] = [{k: v for k, v in a.items() if k != "file"} for a in data["appendices"]]
        extra = [{"heading": f"Delivery in area {n}"}] + [
            " ".join(SENTENCES[(n + i + k) % len(SENTENCES)] for k in range(4)) + f" This is paragraph {i + 1} for lot {n}."
            for i in range(paragraphs)]
        report["key_considerations"] = list(data["key_considerations"]) + extra
        (folder / "report.yaml").write_text(yaml.safe_dump(report, allow_unicode=True, sort_keys=False), encoding="utf-8")
        items.append({"report": f"report-{n:02d}"})
    meeting = {"committee": "Cabinet", "style": "oxfordshire", "date": dt.date(2026, 12, 15), "time": "2.00 pm",
               "venue": "County Hall", "publication_date": dt.date(2026, 12, 4),
               "items": [{"standard": "apologies"}, *items]}
    path = root / "2026-12-15-bench.yaml"
    path.write_text(yaml.safe_dump(meeting, sort_keys=False), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=30)
    parser.add_argument("--paragraphs", type=int, default=42, help="extra paragraphs per report (42: about ten pages)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="reportgen-publish-bench-"))
    meeting = make_meeting(root / "content", args.reports, args.paragraphs)

    start = time.perf_counter()
    result = publish(meeting, root / "out", today=dt.date(2026, 11, 21))
    ours = time.perf_counter() - start
    reports = [d for d in result.manifest["documents"] if d["kind"] == "report"]
    pages = sum(d["pages"] for d in reports) / len(reports)
    with pikepdf.open(result.public / "agenda-pack.pdf") as pack:
        pack_pages = len(pack.pages)

    docx_dir = root / "baseline"
    docx_dir.mkdir()
    jobs = []
    for folder in sorted((root / "content").glob("report-*")):
        loaded, data = render_report(folder)
        docx = docx_dir / f"{folder.name}.docx"
        docx.write_bytes(data)
        jobs.append(Job(docx, docx_dir / f"{folder.name}.pdf", loaded.report.title))
    start = time.perf_counter()
    convert_one_per_process(jobs)
    baseline = time.perf_counter() - start

    print(f"meeting: {len(reports)} reports of {pages:.1f} pages on average, public pack {pack_pages} pages")
    print(f"reportgen publish, content to published packs: {ours:.1f} s (target <= 15 s: {'met' if ours <= 15 else 'NOT met'})")
    print(f"one soffice --convert-to pdf per DOCX, the same {len(jobs)} report DOCX files "
          f"(conversion only): {baseline:.1f} s")
    ratio = baseline / ours
    print(f"speed-up: {ratio:.1f}x (target >= 5x: {'met' if ratio >= 5 else 'NOT met'})")
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
