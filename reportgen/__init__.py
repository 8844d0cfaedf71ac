"""reportgen: build local-government committee papers from structured content and house styles.

The library API mirrors the pipeline; the CLI is a thin layer over it::

    import reportgen
    result = reportgen.build([Path("content/examples")], out=Path("build"))
"""
from __future__ import annotations

from .build import BuildResult, build, render_report
from .errors import ContentError, ConversionError, Problem, PublishError, RenderError, ReportgenError, StyleError
from .load import LoadedReport, find_reports, load_report
from .model import Report
from .profile import Profile, available_styles, load_profile

__all__ = [
    "BuildResult", "ContentError", "ConversionError", "LoadedReport", "Problem", "Profile", "PublishError",
    "RenderError", "Report", "ReportgenError", "StyleError", "available_styles", "build", "find_reports",
    "load_profile", "load_report", "render_report",
]
__version__ = "0.1.0"
