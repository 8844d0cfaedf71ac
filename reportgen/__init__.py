"""reportgen: build local-government committee papers from structured content and house styles.

The library API mirrors the pipeline; the CLI is a thin layer over it::

    import reportgen
    prepared = reportgen.prepare(Path("content/reports/parking"))   # load, validate, lay out: once
    result = reportgen.build([Path("content/examples")], out=Path("build"))
    findings = reportgen.check([Path("content")])
    reportgen.publish(Path("content/meetings/2026-12-15-cabinet.yaml"))
"""
from __future__ import annotations

from importlib import import_module

# Not typing.TYPE_CHECKING: the `reportgen` console script (reportgen.client) imports this package first,
# and importing typing costs it several milliseconds; type checkers treat any TYPE_CHECKING as theirs.
TYPE_CHECKING = False
if TYPE_CHECKING:  # for type checkers and readers; at run time each name is imported on first use
    from typing import Any

    from reportgen.content.load import LoadedReport, find_reports, load_report
    from reportgen.content.model import Report
    from reportgen.errors import (ContentError, ConversionError, Problem, PublishError, RenderError, ReportgenError,
                                  StyleError)
    from reportgen.layout.prepared import Prepared
    from reportgen.pipeline import BuildResult, build, check, prepare, render_report, sign, status
    from reportgen.publish.run import publish
    from reportgen.style.profile import Profile, available_styles, load_profile
    from reportgen.style.settings import Settings

#: Where each name of the API lives. Imported on first use (PEP 562), so that `import reportgen` and the
#: command line start without loading every stage: a republish that finds nothing changed needs only
#: the content and style stages.
_API = {
    "LoadedReport": "reportgen.content.load", "find_reports": "reportgen.content.load",
    "load_report": "reportgen.content.load", "Report": "reportgen.content.model",
    "ContentError": "reportgen.errors", "ConversionError": "reportgen.errors", "Problem": "reportgen.errors",
    "PublishError": "reportgen.errors", "RenderError": "reportgen.errors", "ReportgenError": "reportgen.errors",
    "StyleError": "reportgen.errors", "Prepared": "reportgen.layout.prepared",
    "BuildResult": "reportgen.pipeline", "build": "reportgen.pipeline", "check": "reportgen.pipeline",
    "prepare": "reportgen.pipeline", "render_report": "reportgen.pipeline", "sign": "reportgen.pipeline",
    "status": "reportgen.pipeline", "publish": "reportgen.publish.run",
    "Profile": "reportgen.style.profile", "Settings": "reportgen.style.settings",
    "available_styles": "reportgen.style.profile", "load_profile": "reportgen.style.profile",
}
__all__ = [
    "BuildResult", "ContentError", "ConversionError", "LoadedReport", "Prepared", "Problem", "Profile",
    "PublishError", "RenderError", "Report", "ReportgenError", "Settings", "StyleError", "available_styles",
    "build", "check", "find_reports", "load_profile", "load_report", "prepare", "publish", "render_report",
    "sign", "status",
]  # the names of _API
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'reportgen' has no attribute {name!r}")
