"""A prepared report: loaded and validated content, its house style and its layout, made once per command."""
from __future__ import annotations

from dataclasses import dataclass

from reportgen.content.load import LoadedReport
from reportgen.content.model import Report
from reportgen.layout.arrange import Layout
from reportgen.style.profile import Profile


@dataclass
class Prepared:
    """Everything the later stages (DOCX, checks, PDF, publish) read about one report.

    Built by `reportgen.pipeline.prepare`; no stage loads or lays a report out again.
    """

    loaded: LoadedReport
    profile: Profile
    layout: Layout

    @property
    def report(self) -> Report:
        return self.loaded.report
