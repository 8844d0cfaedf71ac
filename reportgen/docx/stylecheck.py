"""`reportgen style check`: a house style's profile and templates checked together, each problem located to its file."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import jinja2
from docx import Document
from docxtpl import DocxTemplate
from lxml import etree

from reportgen.content.load import LoadedReport
from reportgen.content.meeting import LoadedMeeting, Meeting
from reportgen.content.model import Report
from reportgen.content.yamlio import Positions
from reportgen.docx.frontsheet import template_values
from reportgen.docx.render import context
from reportgen.docx.writer import REQUIRED_STYLES, style_ids
from reportgen.errors import Problem
from reportgen.style.profile import DEFAULTS, Profile, Settings, load_profile


def report_variables(profile: Profile) -> set[str]:
    """Every variable a report template may use: the render context of a sample report, and the body."""
    report = Report(style="sample", title="Sample", decision_maker="Cabinet")
    loaded = LoadedReport(Path("."), Path("report.yaml"), "", report, Positions())
    return set(context(loaded, profile)) | {"body", "logo"}


def agenda_variables(profile: Profile) -> set[str]:
    """Every variable the agenda front-sheet template may use."""
    today = dt.date(2000, 1, 1)
    meeting = Meeting(committee="Cabinet", style="sample", date=today, time="", venue="", publication_date=today,
                      items=[])
    return set(template_values(LoadedMeeting(Path("meeting.yaml"), meeting, []), profile)) | {"body", "logo"}


def _template(path: Path, provided: set[str]) -> list[Problem]:
    """Unknown variables and missing named styles of one template, located to the template file."""
    if not path.is_file():
        return [Problem(path, 1, 1, "", "template file not found")]
    try:
        used = DocxTemplate(str(path)).get_undeclared_template_variables(jinja2.Environment())
        missing = [name for name in REQUIRED_STYLES if name not in style_ids(Document(str(path)))]
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, etree.XMLSyntaxError,
            jinja2.TemplateError) as exc:
        return [Problem(path, 1, 1, "", f"not a usable Word template ({exc})")]
    problems = [Problem(path, 1, 1, "", f"unknown variable {{{{ {name} }}}} (reportgen provides: "
                        f"{', '.join(sorted(provided))})") for name in sorted(set(used) - provided)]
    if missing:
        problems.append(Problem(path, 1, 1, "", f"missing the named style(s) reportgen writes with: {', '.join(missing)}"))
    return problems


def check_style(name: str, settings: Settings = DEFAULTS) -> tuple[Profile, list[Problem]]:
    """Load the style (profile problems raise, located in profile.yaml) and check both its templates."""
    profile = load_profile(name, settings)
    problems = _template(profile.template_path, report_variables(profile))
    problems += _template(profile.agenda_path, agenda_variables(profile))
    return profile, problems
