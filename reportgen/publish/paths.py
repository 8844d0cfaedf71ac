"""Where publish writes: the one place that knows the output layout.

    <out>/<meeting>/public/    everything for the website, with its manifest (uploaded as is)
    <out>/<meeting>/private/   exempt papers and the private pack, with their own manifest
    <out>/.cache/              the content-addressed cache (reportgen.cache): check results, DOCX and
                               PDFs, exempt ones too, so it is private to the user and outside both
    <out>/.<meeting>.*         staging and work folders of a publish in progress (removed at the end)
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

PUBLIC = "public"
PRIVATE = "private"


def cache_folder(out: Path) -> Path:
    """The cache every meeting published under `out` shares (what `reportgen clean` empties)."""
    return out / ".cache"


@dataclass(frozen=True)
class MeetingPaths:
    """The output folders of one meeting under the publish root `out`."""

    out: Path
    slug: str

    @property
    def final(self) -> Path:
        """The meeting's folder, holding public/ and private/ as siblings."""
        return self.out / self.slug

    @property
    def cache(self) -> Path:
        return cache_folder(self.out)

    def staging(self) -> Path:
        """A new folder beside the final one, swapped in when everything is written."""
        self.out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{self.slug}.", dir=self.out))
        staging.chmod(0o755)  # mkdtemp makes it private; published papers are for the web server to read
        (staging / PUBLIC).mkdir()
        (staging / PRIVATE).mkdir()
        return staging

    def work(self) -> Path:
        """A scratch folder for DOCX sources and pack copies: never inside the published folders."""
        self.out.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{self.slug}.work.", dir=self.out))
