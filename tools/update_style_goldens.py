"""Each bundled house style's first page as a small PNG under tests/golden/, so a change to how a style
looks (bold lost on the front page) shows in review and fails tests/test_style_golden.py.

    .venv/bin/python tools/update_style_goldens.py    # rewrite tests/golden/style-<name>.png

The page is a sample key decision (reportgen.layout.samples) built in the style, converted to PDF by
LibreOffice as `publish` converts, and its first page drawn by `pdftoppm -r 40 -png -f 1 -l 1`.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageChops

from reportgen.docx.render import render
from reportgen.layout.samples import sample
from reportgen.pdf.pool import Converter, Job
from reportgen.style.profile import load_profile
from reportgen.style.settings import DEFAULTS, Settings

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
BUNDLED = sorted(p.name for p in (ROOT / "templates").iterdir() if (p / "profile.yaml").is_file())
#: The sample drawn: a key committee decision prints the most of a front page.
KIND = "key"
#: A pixel counts as changed when its brightness differs by more than this (of 255)...
PIXEL = 64
#: ... and a page as changed when more than this share of its pixels did (about 70 of a 40 dpi A4 page;
#: the title losing its bold moves some 240).
SHARE = 0.0005


def golden(style: str) -> Path:
    return GOLDEN / f"style-{style}.png"


def first_pages(styles: list[str], workdir: Path, settings: Settings = DEFAULTS) -> dict[str, Path]:
    """style -> a PNG of the first page of its sample report, drawn in `workdir`."""
    jobs = []
    for style in styles:
        prepared = sample(KIND, load_profile(style, settings))
        docx = workdir / f"{style}.docx"
        docx.write_bytes(render(prepared))
        jobs.append(Job(docx, workdir / f"{style}.pdf", prepared.report.title, None, prepared.profile.council))
    with Converter(workers=1) as converter:
        converter.convert(jobs)
    pages = {}
    for style, job in zip(styles, jobs):
        stem = workdir / style
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", "-singlefile", str(job.pdf), str(stem)],
                       check=True, timeout=120)
        pages[style] = stem.with_suffix(".png")
    return pages


def changed(actual: Path, expected: Path) -> float:
    """The share of pixels whose brightness differs by more than PIXEL (1.0 when the sizes differ)."""
    with Image.open(actual) as a, Image.open(expected) as b:
        if a.size != b.size:
            return 1.0
        diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).convert("L")
        moved = sum(diff.point(lambda v: 255 if v > PIXEL else 0).histogram()[255:])
        return moved / (a.size[0] * a.size[1])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for style, page in first_pages(BUNDLED, Path(tmp)).items():
            golden(style).write_bytes(page.read_bytes())
            print(f"wrote {golden(style).relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
