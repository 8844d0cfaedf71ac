"""Render stage: merge front matter and the laid-out body into the house-style docxtpl template."""
from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import re
import zipfile
from pathlib import Path
from collections.abc import Iterable
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage, Listing
from lxml import etree

from reportgen.docx.variables import FrontRow, ReportContext
from reportgen.docx.remembered import Sandbox, Template
from reportgen.docx.writer import Writer
from reportgen.content.limits import MAX_CORE_PROPERTY
from reportgen.errors import ContentError, Problem, RenderError, StyleError
from reportgen.layout.arrange import Layout
from reportgen.layout.prepared import Prepared
from reportgen.content.load import LoadedReport
from reportgen.style import wording
from reportgen.style.profile import Profile
from reportgen.docx.scrub import scrub_part

#: Fixed zip timestamp so the same content always gives the same bytes.
_EPOCH = (1980, 1, 1, 0, 0, 0)


class _Raw:
    """Pre-built WordprocessingML for a {{p body }} tag; __html__ stops autoescape from escaping it."""

    def __init__(self, xml: str) -> None:
        self.xml = xml

    def __html__(self) -> str:
        return self.xml


def _no_files(template: str) -> str:
    return f"a house-style template may not include or import other templates ('{template}')"


class _NoFiles(jinja2.BaseLoader):
    """A house style is shared and downloaded: its template may not read other templates or files."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, None]:
        raise SecurityError(_no_files(template))


def sandbox() -> SandboxedEnvironment:
    """The one environment every house-style template is rendered in (build, publish) and checked against
    (`style check`, through `refusals`)."""
    # Sandboxed: a downloaded template cannot reach Python internals ({{ cycler.__init__.__globals__ }}).
    # StrictUndefined: a template naming a variable reportgen does not provide fails loudly.
    # Sandbox: SandboxedEnvironment, each template's code remembered across commands (remembered.py).
    return Sandbox(autoescape=True, undefined=jinja2.StrictUndefined, loader=_NoFiles())


@functools.cache
def _environment() -> SandboxedEnvironment:
    """The sandbox every render uses (one per process, so that its compiled templates are reused)."""
    return sandbox()


DOCXTPL_TAG = re.compile(r"(\{[{%])(?:p|r|tr|tc)\s")
#: Tags that read another template through the loader, which the sandbox's loader refuses.
_FILE_TAGS = frozenset({"include", "import", "from", "extends"})


def refusals(text: str, env: SandboxedEnvironment | None = None) -> list[str]:
    """What the sandbox refuses in `text` (one paragraph of a template), as `template refused:` messages,
    found without rendering so a tag inside an untaken {% if %} is found too: another template read
    (the loader's refusal), and an attribute or item the sandbox deems unsafe (its own rule,
    `is_safe_attribute`), written as `.name`, `['name']` or `|attr('name')`."""
    env = env or sandbox()
    text = DOCXTPL_TAG.sub(r"\1 ", text)  # docxtpl's {%p ...%}, {{r ...}}: plain Jinja once docxtpl has moved them
    try:
        tokens = [(t.type, t.value) for t in env.lexer.tokenize(text)]
    except jinja2.TemplateSyntaxError:
        return []  # a tag left open across paragraphs: the whole-template parse reports broken syntax
    found: list[str] = []
    for i, (kind, value) in enumerate(tokens):
        before = tokens[i - 1] if i else ("", "")
        if kind == "name" and value in _FILE_TAGS and before[0] == "block_begin":
            name = next((v for k, v in tokens[i + 1:] if k in ("string", "name")), "?")
            found.append(f"template refused: {_no_files(name)}")
        elif ((before[0] == "dot" and kind == "name") or (before[0] == "lbracket" and kind == "string")
              or (before[0] == "lparen" and kind == "string" and i > 1 and tokens[i - 2] == ("name", "attr"))) \
                and not env.is_safe_attribute(None, str(value), None):
            found.append(f"template refused: access to attribute '{value}' is unsafe (it reaches Python internals)")
    return found


def context(loaded: LoadedReport, profile: Profile, draft: bool = False) -> ReportContext:
    """Everything a template may use, as `ReportContext` defines it. All keys are always present (StrictUndefined)."""
    r = loaded.report
    dtype = r.decision_type
    classification = wording.classification(r, profile)
    return {
        "title": r.title,
        "council": profile.council,
        "decision_maker": r.decision_maker,
        "committee": wording.body(r),
        "date_text": profile.format_date(r.date),
        "time": r.meeting.time or "" if r.meeting else "",
        "venue": r.meeting.venue or "" if r.meeting else "",
        "report_by": r.report_by or "",
        "lead_member": r.lead_member.name if r.lead_member else "",
        "classification_text": classification,
        "public_interest": r.classification.public_interest or "" if r.classification.status == "exempt" else "",
        "classification_marking": classification,
        "draft_marking": wording.draft_marking(draft, classification),
        "decision_type_text": wording.decision_type(r, profile),
        "key_decision_statement": wording.key_statement(r, profile),
        "forward_plan_ref": dtype.forward_plan_ref or "" if dtype else "",
        "forward_plan_text": wording.forward_plan(r, profile),
        "forward_plan_notice_text": wording.forward_plan_notice(r, profile),
        "notice_date_text": profile.format_date(dtype.notice_date) if dtype else "",
        "date_label": wording.date_label(r, profile),
        "labels": profile.text.labels.model_dump(),
        "exempt": r.classification.status == "exempt",
        "wards_text": wording.wards(r, profile),
        "publication_date_text": wording.report_published(loaded, profile),
        # The style's declared front page, row by row (label, value); its lines print as line breaks.
        "front_page": [FrontRow(label=label, value=Listing("\n".join(lines)))
                       for label, lines in wording.front_rows(loaded, profile)],
    }


def render(prepared: Prepared, draft: bool = False) -> bytes:
    """Render one prepared report to DOCX bytes; a reference to an unknown label refuses (a draft prints it as typed)."""
    loaded, profile = prepared.loaded, prepared.profile
    if prepared.layout.unresolved and not draft:
        raise ContentError(problems=prepared.layout.unresolved)
    return render_docx(profile.template_path, dict(context(loaded, profile, draft)), prepared.layout,
                       properties(loaded, profile), profile.logo_image)


Logo = tuple[Path, str, float]

#: Where {{p body }} puts the report's body: an element of a namespace of ours, which no text can make (text
#: is escaped), replaced by the body's elements once docxtpl has rendered the template around it. docxtpl
#: would otherwise take the body as text through Jinja's output, its regular expressions and its parser,
#: for nothing: the body is already the XML it is to be (a third of rendering a report).
BODY_NS = "urn:reportgen:body"
BODY_MARK = f'<rg:body xmlns:rg="{BODY_NS}"/>'


def _put_body(tpl: DocxTemplate, body: list[Any]) -> None:
    marks = list(tpl.docx.element.body.iter(f"{{{BODY_NS}}}body"))
    if not marks:
        return  # a template without {{p body }}: no body, as before
    for n, mark in enumerate(marks):  # (a template with the tag twice has the body twice, as docxtpl does)
        parent = mark.getparent()
        at = parent.index(mark)
        parent.remove(mark)
        for offset, element in enumerate(body if n == len(marks) - 1 else copy.deepcopy(body)):
            parent.insert(at + offset, element)


def _logo(tpl: DocxTemplate, logo: Logo | None) -> Any:
    """The logo as an inline image for {{ logo }}, or an empty string when the style has none."""
    if logo is None:
        return ""
    return InlineImage(tpl, str(logo[0]), width=Mm(logo[2]))


def _alt_text(tpl: DocxTemplate, logo: Logo | None) -> None:
    # docxtpl's InlineImage carries no alt text; the PDF export tags a picture as a Figure with docPr/@descr.
    if logo is None:
        return
    for doc_pr in tpl.docx.element.body.iter(qn("wp:docPr")):
        if not doc_pr.get("descr"):  # a picture the template itself carries keeps its own alt text
            doc_pr.set("descr", logo[1])


def render_docx(template: Path, values: dict[str, Any], layout: Layout, props: dict[str, Any],
                logo: Logo | None = None) -> bytes:
    """Render a docxtpl template with `values` and the laid-out body as {{p body }} (and the logo as {{ logo }})."""
    tpl = Template(str(template))  # DocxTemplate, its XML rewritten for Jinja once per template (remembered.py)
    try:
        docx = tpl.get_docx()
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise StyleError(f"{template}: not a usable Word template ({exc})") from exc
    try:
        writer = Writer(docx)
    except StyleError as exc:
        # The problem is in the template, so it is named, not the report being built.
        raise StyleError(f"{template}: {exc}") from exc
    try:
        body = writer.elements(layout)
        tpl.render({**values, "body": _Raw(BODY_MARK), "logo": _logo(tpl, logo)}, jinja_env=_environment(),
                   autoescape=True)
        _put_body(tpl, body)
        _alt_text(tpl, logo)
    except SecurityError as exc:
        raise StyleError(problems=[Problem(template, getattr(exc, "lineno", None) or 1, 1, "",
                                           f"template refused: {exc}")]) from None
    except jinja2.TemplateError as exc:
        # Only TemplateSyntaxError and its kind carry a line number.
        lineno = getattr(exc, "lineno", None)
        where = f" (line {lineno})" if lineno else ""
        raise RenderError(f"{template}: template error{where}: {exc}") from exc
    core = tpl.docx.core_properties
    for key, value in props.items():
        setattr(core, key, value)
    return normalise_parts(_parts(tpl))


class _Collected:
    """Where python-docx's package writer puts each part, instead of a zip it compresses: the package
    is compressed once, by normalise_parts, not also by python-docx and inflated again (3 ms a report)."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, bytes]] = []

    def write(self, uri: Any, blob: bytes) -> None:
        self.parts.append((str(uri.membername), blob))


def _parts(tpl: DocxTemplate) -> list[tuple[str, bytes]]:
    """The parts DocxTemplate.save would zip, in its order, from python-docx's own writer (the steps of
    PackageWriter.write, which opens its own zip). A template whose media docxtpl replaces after saving
    (none of ours) goes through docxtpl's save."""
    if tpl.pics_to_replace or tpl.crc_to_new_media or tpl.crc_to_new_embedded or tpl.zipname_to_replace:
        return _saved_parts(tpl)
    package = tpl.docx.part.package
    for part in package.parts:
        part.before_marshal()
    parts = package.parts
    collected = _Collected()
    writer: Any = PackageWriter  # (its steps are untyped, and typed for its own zip writer only)
    writer._write_content_types_stream(collected, parts)
    writer._write_pkg_rels(collected, package.rels)
    writer._write_parts(collected, parts)
    return collected.parts


def _saved_parts(tpl: DocxTemplate) -> list[tuple[str, bytes]]:
    """The parts of the package DocxTemplate.save writes, in its order."""
    buffer = io.BytesIO()
    tpl.save(buffer)
    with zipfile.ZipFile(buffer) as saved:
        return [(info.filename, saved.read(info.filename)) for info in saved.infolist()]


def core_properties(title: str, subject: str, keywords: str, council: str, date: dt.date | None) -> dict[str, Any]:
    """What every published DOCX says about itself: set after rendering (docxtpl would double-escape
    them in the template), with the council as author, never anyone's login name, and fixed dates."""
    stamp = dt.datetime.combine(date or dt.date(2000, 1, 1), dt.time())
    return {
        "title": _fit(title), "subject": _fit(subject), "keywords": _fit(keywords),
        "author": council, "last_modified_by": council,
        "language": "en-GB", "comments": "", "category": "", "revision": 1,
        "created": stamp, "modified": stamp, "last_printed": stamp,
    }


def _fit(text: str) -> str:
    """Word's core properties hold 255 characters; a longer title is shortened there (the document
    itself prints it in full)."""
    return text if len(text) <= MAX_CORE_PROPERTY else text[:MAX_CORE_PROPERTY - 1].rstrip() + "…"


def properties(loaded: LoadedReport, profile: Profile) -> dict[str, Any]:
    """A report's core properties."""
    r = loaded.report
    return core_properties(
        r.title, " – ".join(x for x in (r.decision_maker, profile.format_date(r.date)) if x),
        ", ".join(x for x in ("committee report", wording.body(r), profile.council) if x),
        profile.council, r.publication_date or r.date)


def normalise_zip(data: bytes) -> bytes:
    """Rewrite the package without editing metadata (scrub.py) and with fixed timestamps,
    so identical content gives identical bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return normalise_parts((info.filename, src.read(info.filename)) for info in src.infolist())


def normalise_parts(parts: Iterable[tuple[str, bytes]]) -> bytes:
    """A package of these parts (name, bytes), in this order, as normalise_zip writes it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts:
            part = scrub_part(name, data)
            if part is None:
                continue
            fixed = zipfile.ZipInfo(name, date_time=_EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, part)
    return out.getvalue()
