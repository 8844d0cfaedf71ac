"""Where publish writes: the one place that knows the output layout.

    <out>/<meeting>/public/    everything for the website, with its manifest (uploaded as is)
    <out>/<meeting>/private/   exempt papers and the private pack, with their own manifest
    <out>/.cache/              the content-addressed cache (reportgen.cache): check results, DOCX and
                               PDFs, exempt ones too, so it is private to the user (0700) and outside both
    <out>/.<meeting>.<pid>.*   the staging folder of a publish in progress (removed at the end)
    $TMPDIR/reportgen-src-<pid>-*   the work folder: DOCX sources and pack copies, exempt ones
                               included, private (0700) and outside the output tree

A run killed with SIGKILL leaves its staging and work folders behind; the next run removes those
whose process is gone (the pid is in the name).
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from reportgen import cleanup
from reportgen.fs import remove_stale, temp_tag

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

    def clean_stale(self) -> None:
        """Remove what killed runs of this meeting left: their staging folders and work folders."""
        remove_stale(self.out, re.escape(f".{self.slug}.") + r"(?P<pid>\d+)\..+")
        remove_stale(Path(tempfile.gettempdir()), r"reportgen-src-(?P<pid>\d+)-.+")

    def staging(self) -> Path:
        """A new folder beside the final one, swapped in when everything is written."""
        self.out.mkdir(parents=True, exist_ok=True)
        staging = cleanup.mkdtemp(prefix=f".{self.slug}.{temp_tag()}", dir=self.out)
        staging.chmod(0o755)  # mkdtemp makes it private; published papers are for the web server to read
        (staging / PUBLIC).mkdir()
        (staging / PRIVATE).mkdir()
        return staging

    def work(self) -> Path:
        """A private scratch folder (0700) for DOCX sources and pack copies, outside the output tree:
        exempt reports' sources must never sit where a clerk uploads from, even half-published."""
        return Path(tempfile.mkdtemp(prefix=f"reportgen-src-{os.getpid()}-"))
