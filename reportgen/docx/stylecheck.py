"""`reportgen style check`: a house style's profile and templates checked together, each problem located to its file."""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
from docx import Document
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree

from reportgen.content.load import LoadedReport
from reportgen.content.meeting import LoadedMeeting, Meeting
from reportgen.content.model import Report
from reportgen.content.yamlio import Positions
from reportgen.docx.frontsheet import template_values
from reportgen.docx.render import DOCXTPL_TAG, context, refusals, render_docx, sandbox
from reportgen.docx.writer import REQUIRED_STYLES, style_ids
from reportgen.errors import Problem, RenderError, StyleError
from reportgen.layout.arrange import Layout
from reportgen.layout.samples import samples
from reportgen.style.profile import DEFAULTS, Profile, Settings, load_profile


#: The parts of a template docxtpl renders: the body, headers and footers.
_RENDERED = re.compile(r"word/(document|header\d*|footer\d*)\.xml")


def report_values(profile: Profile) -> dict[str, Any]:
    """The render context of a sample report."""
    report = Report(style="sample", title="Sample", decision_maker="Cabinet")
    return dict(context(LoadedReport(Path("."), Path("report.yaml"), "", report, Positions()), profile))


def agenda_values(profile: Profile) -> dict[str, Any]:
    """The agenda front sheet's render context for a sample meeting."""
    today = dt.date(2000, 1, 1)
    meeting = Meeting(committee="Cabinet", style="sample", date=today, time="", venue="", publication_date=today,
                      items=[])
    return template_values(LoadedMeeting(Path("meeting.yaml"), meeting, []), profile)


def report_variables(profile: Profile) -> set[str]:
    """Every variable a report template may use: the render context of a sample report, and the body."""
    return set(report_values(profile)) | {"body", "logo"}


def agenda_variables(profile: Profile) -> set[str]:
    """Every variable the agenda front-sheet template may use."""
    return set(agenda_values(profile)) | {"body", "logo"}


def _paragraphs(path: Path) -> Iterator[tuple[str, int, str]]:
    """(part, number from 1, text) of every paragraph of the body, headers and footers docxtpl renders."""
    with zipfile.ZipFile(path) as z:
        for part in sorted(n for n in z.namelist() if _RENDERED.fullmatch(n)):
            root = etree.fromstring(z.read(part), parser=etree.XMLParser(resolve_entities=False, no_network=True))
            for n, para in enumerate(root.iter(qn("w:p")), 1):
                yield part, n, "".join(t.text or "" for t in para.iter(qn("w:t")))


def _refused(path: Path) -> list[Problem]:
    """What build's sandbox refuses, located to the paragraph that holds it."""
    env = sandbox()
    return [Problem(path, 1, 1, f"{part} paragraph {n}", message)
            for part, n, text in _paragraphs(path) for message in refusals(text, env)]


def _sample_render(path: Path, values: dict[str, Any]) -> list[Problem]:
    """Render the template in build's sandbox with a sample context: whatever build would refuse."""
    try:
        render_docx(path, values, Layout(), {})
    except StyleError as exc:
        return exc.problems or [Problem(path, 1, 1, "", str(exc).removeprefix(f"{path}: "))]
    except RenderError as exc:
        return [Problem(path, 1, 1, "", str(exc).removeprefix(f"{path}: "))]
    return []


def _located(path: Path, values: dict[str, Any]) -> Problem | None:
    """The first paragraph whose tags fail with `values`, found by rendering the template's paragraphs
    in order, as one Jinja template per part, each paragraph announcing itself as it is reached
    (docxtpl's own render says only what failed, not where)."""
    env = sandbox()
    parts: dict[str, list[tuple[int, str]]] = {}
    for part, n, text in _paragraphs(path):
        parts.setdefault(part, []).append((n, DOCXTPL_TAG.sub(r"\1 ", text)))
    for part, paragraphs in parts.items():
        reached = [0]

        def at(n: int, reached: list[int] = reached) -> str:
            reached[0] = n
            return ""

        source = "".join(f"{{{{ _at({n}) }}}}{text}\n" for n, text in paragraphs)
        try:
            env.from_string(source).render({**values, "body": "", "logo": "", "_at": at})
        except jinja2.TemplateSyntaxError:
            continue  # a paragraph text unlike docxtpl's own: the whole render below still finds the error
        except jinja2.TemplateError as exc:
            text = dict(paragraphs).get(reached[0], "")
            return Problem(path, 1, 1, f"{part} paragraph {reached[0]} ({text.strip()[:60]!r})",
                           f"template error: {exc}")
    return None


def _render_kinds(path: Path, kinds: list[tuple[str, dict[str, Any]]]) -> list[Problem]:
    """Render the template with the sample context of each kind of report; each problem once, located to
    its paragraph where it can be, naming the kinds it fails for."""
    found: dict[tuple[str, str], list[str]] = {}
    for kind, values in kinds:
        problems = [p for p in [_located(path, values)] if p] or _sample_render(path, values)
        for p in problems:
            found.setdefault((p.key, p.message), []).append(kind)
    return [Problem(path, 1, 1, where, f"{message} (rendering the sample: {', '.join(kinds)})")
            for (where, message), kinds in found.items()]


def _template(path: Path, provided: set[str], kinds: list[tuple[str, dict[str, Any]]]) -> list[Problem]:
    """Unknown variables and missing named styles of one template, located to the template file."""
    if not path.is_file():
        return [Problem(path, 1, 1, "", "template file not found")]
    try:
        used = DocxTemplate(str(path)).get_undeclared_template_variables(jinja2.Environment())
        missing = [name for name in REQUIRED_STYLES if name not in style_ids(Document(str(path)))]
        refused = _refused(path)
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, etree.XMLSyntaxError,
            jinja2.TemplateError) as exc:
        return [Problem(path, 1, 1, "", f"not a usable Word template ({exc})")]
    problems = [Problem(path, 1, 1, "", f"unknown variable {{{{ {name} }}}} (reportgen provides: "
                        f"{', '.join(sorted(provided))})") for name in sorted(set(used) - provided)]
    if missing:
        problems.append(Problem(path, 1, 1, "", f"missing the named style(s) reportgen writes with: {', '.join(missing)}"))
    problems += refused
    # Nothing found by looking: render it as build does, with a sample of each kind of report, so
    # `style check` passes nothing build refuses (a `{{ lead_member.name }}` fails here, not at build).
    return problems or _render_kinds(path, kinds)


def check_style(name: str, settings: Settings = DEFAULTS) -> tuple[Profile, list[Problem]]:
    """Load the style (profile problems raise, located in profile.yaml) and check both its templates, the
    report template rendered with a sample report of each kind."""
    profile = load_profile(name, settings)
    kinds = [(kind, dict(context(prepared.loaded, profile))) for kind, prepared in samples(profile)]
    problems = _template(profile.template_path, report_variables(profile), kinds)
    values = agenda_values(profile)
    problems += _template(profile.agenda_path, set(values) | {"body", "logo"}, [("agenda", values)])
    return profile, problems
