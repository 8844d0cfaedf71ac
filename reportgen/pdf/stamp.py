"""Page stamps (pack page numbers, "Page X of Y", DRAFT, a private pack's marking): one small content
stream per page, in a form XObject drawn as a pagination artifact.

reportlab embeds the stamp font once for all pages: it draws one page using every character the stamps
need, and its font subset (with widths and a ToUnicode map) is copied into the PDF. The pages' own text
operators are written here from the codes and widths reportlab assigned (TTFont.splitString and
stringWidth): drawing hundreds of reportlab pages cost most of a pack's assembly (its pure-Python PDF
writer and ASCII85 encoding), for a few dozen bytes of text each.
"""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

from reportgen.cache import Cache, code_version, digest
from reportgen.errors import ConversionError

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)

#: One stamp line: (position, text); positions "bottom-centre", "top-centre" (red), "top-left" (larger).
Line = tuple[str, str]


@lru_cache(maxsize=1)
def _font() -> str:
    for path in FONT_CANDIDATES:
        if Path(path).is_file():
            return path
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}", "sans"], capture_output=True, text=True).stdout
        if found.endswith(".ttf") and Path(found).is_file():
            return found
    raise ConversionError("no TrueType font found to stamp page numbers; install fonts-liberation2")


@lru_cache(maxsize=1)
def _font_digest() -> str:
    return digest(_font(), Path(_font()).read_bytes())


_UNMAPPED = re.compile(rb"<[0-9A-Fa-f]{2}> <0000>\s*")


def _fix_to_unicode(pdf: Pdf) -> None:
    """Drop reportlab's ToUnicode entries for unused codes, which map to U+0000 (PDF/UA 7.21.7)."""
    for page in pdf.pages:
        for font in page.obj.Resources.get("/Font", {}).values():
            cmap = font.get("/ToUnicode")
            if cmap is None:
                continue
            data = _UNMAPPED.sub(b"", cmap.read_bytes())
            count = len(re.findall(rb"<[0-9A-Fa-f]{2}> <[0-9A-Fa-f]{4,}>", data))
            data = re.sub(rb"\d+ beginbfchar", str(count).encode() + b" beginbfchar", data)
            cmap.write(data)


@dataclass(frozen=True)
class StampFont:
    """A font subset reportlab embedded, and how to write text in it."""

    #: A one-page PDF whose page's /Resources /Font holds the subset font(s).
    pdf: bytes
    #: Each character's (subset, code); a character the font lacks has code 0 (.notdef), as reportlab draws it.
    codes: dict[str, tuple[int, int]]
    #: Each character's advance width, in thousandths of the font size.
    widths: dict[str, float]
    #: Each subset's font resource name on that page ("/F1+0").
    names: list[str]

    def dump(self) -> bytes:
        head = json.dumps({"codes": self.codes, "widths": self.widths, "names": self.names})
        return head.encode() + b"\n" + self.pdf

    @classmethod
    def load(cls, data: bytes) -> StampFont:
        head, pdf = data.split(b"\n", 1)
        found = json.loads(head)
        return cls(pdf, {ch: (int(s), int(c)) for ch, (s, c) in found["codes"].items()}, found["widths"],
                   found["names"])

    def width(self, text: str, size: float) -> float:
        return sum(self.widths[ch] for ch in text) * size / 1000

    def show(self, text: str, size: float) -> bytes:
        """Text-showing operators for `text` (inside BT/ET): a Tf and a hex string per run of one subset."""
        out, run, subset = [], bytearray(), -1
        for ch in text:
            s, code = self.codes[ch]
            if s != subset and run:
                out.append(f"{self.names[subset]} {size} Tf <{run.hex()}> Tj")
                run = bytearray()
            subset = s
            run.append(code)
        if run:
            out.append(f"{self.names[subset]} {size} Tf <{run.hex()}> Tj")
        return " ".join(out).encode()


def font_key(chars: str) -> str:
    """What the embedded stamp font depends on: its characters, the font file's bytes, reportlab and this code."""
    from reportlab import Version

    return digest("stamp-font", chars, _font_digest(), Version, code_version())


def _draw_font(chars: str) -> StampFont:
    """reportlab's subset of the stamp font holding `chars`, from one page that draws them all."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "PackSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("PackSans", _font()))
    font = pdfmetrics.getFont("PackSans")
    buffer = io.BytesIO()
    # invariant: same input, same bytes; initialFontName: no unembedded Helvetica selected at page start.
    c = canvas.Canvas(buffer, invariant=1, pageCompression=1, initialFontName="PackSans")
    c.setFont("PackSans", 10)
    c.drawString(0, 0, chars)  # assigns every character its code, and puts its subset on the page
    codes: dict[str, tuple[int, int]] = {}
    for ch in chars:
        # The canvas's document holds the assignments (reportlab's API for writing one's own text operators).
        [(subset, code)] = font.splitString(ch, c._doc)
        codes[ch] = (subset, code[0])
    subsets = max((s for s, _ in codes.values()), default=0) + 1
    names = [font.getSubsetInternalName(s, c._doc) for s in range(subsets)]
    widths = {ch: pdfmetrics.stringWidth(ch, "PackSans", 1000) for ch in chars}
    c.showPage()
    c.save()
    return StampFont(buffer.getvalue(), codes, widths, names)


#: reportlab's font registry and documents are not for two threads at once (publish stamps pages on its own
#: thread and on LibreOffice's as conversions finish).
_DRAWING = threading.Lock()


@lru_cache(maxsize=8)
def _drawn(chars: str) -> StampFont:
    with _DRAWING:
        return _draw_font(chars)


def _stamp_font(chars: str, cache: Cache | None) -> StampFont:
    """_draw_font, remembered in this process and in the cache (by its key: characters, font, reportlab, code)."""
    if cache is None:
        return _drawn(chars)
    key = font_key(chars)
    data = cache.get("stamp", key)
    if data is not None:
        return StampFont.load(data)
    made = _drawn(chars)
    cache.put("stamp", key, made.dump())
    return made


def _content(font: StampFont, width: float, height: float, lines: list[Line]) -> bytes:
    parts = []
    for position, text in lines:
        size = 14 if position == "top-left" else 10
        if position == "bottom-centre":
            x, y, colour = width / 2 - font.width(text, size) / 2, 22.0, b""
        elif position == "top-centre":
            x, y, colour = width / 2 - font.width(text, size) / 2, height - 20, b"0.7 0 0 rg "
        else:
            x, y, colour = 40.0, height - 24, b""
        parts.append(b"q " + colour + f"BT 1 0 0 1 {x:.3f} {y:.3f} Tm ".encode() + font.show(text, size) +
                     b" ET Q")
    return b"\n".join(parts) + b"\n"


def stamp(out: Pdf, texts: list[list[Line]], cache: Cache | None = None) -> None:
    """Draw each page's stamp lines on it (texts[i] for page i), as a pagination artifact; same input, same bytes."""
    chars = "".join(sorted({ch for lines in texts for _, text in lines for ch in text}))
    font = _stamp_font(chars, cache)
    source = Pdf.open(io.BytesIO(font.pdf))
    _fix_to_unicode(source)
    fonts = out.copy_foreign(source.make_indirect(source.pages[0].obj.Resources.Font))
    resources = out.make_indirect(Dictionary(Font=fonts))
    for i, (page, lines) in enumerate(zip(out.pages, texts)):
        box = [float(v) for v in page.mediabox]
        width, height = box[2] - box[0], box[3] - box[1]
        form = pikepdf.Stream(out, _content(font, width, height, lines))
        form.Type, form.Subtype = Name.XObject, Name.Form
        form.BBox = Array([0, 0, width, height])
        form.Resources = resources
        # One name per page: pages often share one /Resources dictionary. Fixed names, not
        # add_resource's random ones, so the same pack gives the same bytes.
        name = page.add_resource(out.make_indirect(form), Name.XObject, name=Name(f"/RgStamp{i + 1}"))
        # Pagination artifact: not part of the document's logical content or its tags.
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(b"Q\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC q " +
                          str(name).encode() + b" Do Q EMC\n", prepend=False)

