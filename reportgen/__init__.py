"""reportgen: build local-government committee papers from structured content and house styles.

The library API mirrors the pipeline; the CLI is a thin layer over it::

    import reportgen
    result = reportgen.pipeline([Path("content/examples")], out=Path("build"))
"""
from __future__ import annotations

from reportgen.pipeline import BuildResult, build, render_report
from reportgen.errors import ContentError, ConversionError, Problem, PublishError, RenderError, ReportgenError, StyleError
from reportgen.content.load import LoadedReport, find_reports, load_report
from reportgen.content.model import Report
from reportgen.style.profile import Profile, available_styles, load_profile

__all__ = [
    "BuildResult", "ContentError", "ConversionError", "LoadedReport", "Problem", "Profile", "PublishError",
    "RenderError", "Report", "ReportgenError", "StyleError", "available_styles", "build", "find_reports",
    "load_profile", "load_report", "render_report",
]
__version__ = "0.1.0"
