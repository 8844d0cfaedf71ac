"""reportgen: build local-government committee papers from structured content and house styles.

The library API mirrors the pipeline; the CLI is a thin layer over it::

    import reportgen
    prepared = reportgen.prepare(Path("content/reports/parking"))   # load, validate, lay out: once
    result = reportgen.build([Path("content/examples")], out=Path("build"))
    findings = reportgen.check([Path("content")])
    reportgen.publish(Path("content/meetings/2026-12-15-cabinet.yaml"))
"""
from __future__ import annotations

from typing import Any

from reportgen.content.load import LoadedReport, find_reports, load_report
from reportgen.content.model import Report
from reportgen.errors import ContentError, ConversionError, Problem, PublishError, RenderError, ReportgenError, StyleError
from reportgen.layout.prepared import Prepared
from reportgen.pipeline import BuildResult, build, check, prepare, render_report, sign, status
from reportgen.style.profile import Profile, StylePath, available_styles, load_profile

__all__ = [
    "BuildResult", "ContentError", "ConversionError", "LoadedReport", "Prepared", "Problem", "Profile",
    "PublishError", "RenderError", "Report", "ReportgenError", "StyleError", "StylePath", "available_styles",
    "build", "check", "find_reports", "load_profile", "load_report", "prepare", "publish", "render_report",
    "sign", "status",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # publish pulls in the PDF stage (pikepdf, reportlab); load it only when asked for.
    if name == "publish":
        from reportgen.publish.run import publish
        return publish
    raise AttributeError(name)
