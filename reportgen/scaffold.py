"""`reportgen new` scaffolds a report with every section its house style prints; `reportgen init` a project."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path

import yaml

from reportgen.errors import ContentError
from reportgen.content.load import REPORT_FILE
from reportgen.content.project import PROJECT_FILE, find_project
from reportgen.content.schema import json_schema
from reportgen.fs import write_atomic
from reportgen.style.profile import DEFAULTS, TEMPLATES_DIR, Profile, Settings, load_profile

#: One guidance line and a starting value per section; [insert ...] marks what the author must replace.
SECTIONS: dict[str, tuple[str, str]] = {
    "purpose": ("What the report is for, in two or three plain sentences.",
                'purpose: "[insert the purpose of the report]"'),
    "recommendations": ("What the decision maker is asked to agree; one item per decision.",
                        'recommendations:\n  items:\n    - text: "[insert recommendation]"'),
    "reasons": ("Why these recommendations are made.", 'reasons: "[insert reasons for the recommendations]"'),
    "alternative_options": ("Each option considered and why it is not recommended; include doing nothing.",
                            'alternative_options:\n  - option: "Do nothing."\n'
                            '    reason: "[insert why this is not recommended]"'),
    "key_considerations": ("The background and the facts the decision rests on; use headings to group.",
                           'key_considerations:\n  - heading: "[insert sub-heading]"\n'
                           '  - "[insert a paragraph]"'),
    "community_impact": ("Effects on communities, the corporate plan, health and safety.",
                         'community_impact: "[insert community impact]"'),
    "environmental_impact": ("Effects on the environment and the council's climate commitments.",
                             'environmental_impact: "[insert environmental impact]"'),
    "equality": ("The s.149 public sector equality duty and whether an equality impact assessment was done.",
                 'equality:\n  general_duty: true\n  impact_assessment:\n    done: false\n'
                 '    summary: "[insert why no assessment was needed, or its conclusion]"\n'
                 '  text: "[insert the equality considerations]"'),
    "financial": ("Costs, savings and budgets; say so in a sentence if there are none.",
                  'financial: "[insert resource implications]"'),
    "legal": ("Legal powers and duties; say so in a sentence if there are none.",
              'legal: "[insert legal implications]"'),
    "risks": ("Each risk or opportunity with its mitigation.",
              'risks:\n  - rows:\n      - risk: "[insert risk]"\n        mitigation: "[insert mitigation]"'),
    "consultees": ("Who was consulted and what they said.", 'consultees: "[insert consultees]"'),
    "conclusion": ("Concluding remarks.", 'conclusion: "[insert concluding remarks]"'),
    "appendices": ("Appendices, each with its number and title; file is optional.",
                   'appendices:\n  - id: 1\n    title: "[insert appendix title]"'),
    "background_papers": ("Unpublished documents relied on (LGA 1972 s.100D), or a statement that there are none.",
                          'background_papers: "None identified."'),
    "reviewers": ("Roles that clear the report. Do not type names here: each reviewer runs `reportgen sign`.",
                  "reviewers:\n{roles}"),
    "glossary": ("Every acronym and technical term used, with its meaning.",
                 'glossary:\n  "[insert term]": "[insert meaning]"'),
    "signature": ("Signature block of the report author.",
                  'signature:\n  name: "[insert name]"\n  role: "[insert job title]"'),
    "contacts": ("Contact officers (and the lead member, under lead_member).",
                 'contact_officers:\n  - name: "[insert name]"\n    role: "[insert job title]"\n'
                 '    email: "[insert email]"\n    phone: "[insert phone]"'),
    "dated": ("The month of the report, printed at the end.", 'dated: "[insert month and year]"'),
}


def scaffold_text(style: str, title: str, schema: str = "build/schema.json", settings: Settings = DEFAULTS) -> str:
    """The text of a new report.yaml for `style`, every section of the style present."""
    profile = load_profile(style, settings)
    today = dt.date.today().isoformat()
    lines = [
        f"# yaml-language-server: $schema={schema}",
        "# A reportgen report. `reportgen schema --markdown` documents every key.",
        f"style: {style}",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        "# Cabinet, Council, a cabinet member or an officer.",
        'decision_maker: "[insert decision maker]"',
        "# For a committee decision; for an individual decision use decision_date instead.",
        f'meeting:\n  committee: "[insert committee]"\n  date: {today}',
        'report_by: "[insert director or officer]"',
        "# open, or exempt with Schedule 12A paragraphs and a public-interest statement.",
        "classification:\n  status: open",
        "# key (with forward_plan_ref and notice_date) or non-key.",
        "decision_type:\n  key: false",
        "# all, none, or a list of ward names.",
        "wards: all",
        "# The date the report is published with the agenda.",
        f"publication_date: {today}",
    ]
    roles = "\n".join(f'  - role: {json.dumps(r)}' for r in profile.required_reviewers)
    seen: set[str] = set()
    for spec in profile.sections:
        if spec.custom:
            if "sections" not in seen:  # the style's own sections share one `sections:` mapping
                seen.add("sections")
                lines += ["", "# Sections of this house style's own (`reportgen schema --style` lists them).",
                          "sections:"] + _own_sections(profile)
            continue
        for key in spec.keys:
            if key in seen or key not in SECTIONS:
                continue
            seen.add(key)
            guidance, value = SECTIONS[key]
            lines += ["", f"# {guidance}", value.replace("{roles}", roles or '  - role: "[insert role]"')]
    return "\n".join(lines) + "\n"


#: A starting value for each structured kind of section, indented under `sections:`.
_KIND_SKELETONS = {
    "risks": '\n    - rows:\n        - risk: "[insert risk]"\n          mitigation: "[insert mitigation]"',
    "table": '\n    columns: ["[insert heading]", "[insert heading]"]\n    rows:\n      - ["[insert]", "[insert]"]',
    "people": '\n    - name: "[insert name]"\n      role: "[insert role]"',
    "options": '\n    - option: "[insert option]"\n      reason: "[insert why it is not recommended]"',
}


def _own_sections(profile: Profile) -> list[str]:
    """One entry per section the style declares of its own, with its guidance; statements start as the style's."""
    lines = []
    for key, spec in profile.custom_sections.items():
        lines.append(f"  # {spec.heading}" + (f": {spec.guidance}" if spec.guidance else ""))
        if spec.kind in _KIND_SKELETONS:
            lines.append(f"  {key}:{_KIND_SKELETONS[str(spec.kind)]}")
            continue
        value = spec.statement if spec.kind == "statement" else f"[insert {(spec.heading or key).lower()}]"
        lines.append(f"  {key}: {json.dumps(value, ensure_ascii=False)}")
    return lines


def scaffold(path: Path, style: str, title: str = "Title of the report", settings: Settings = DEFAULTS) -> Path:
    """Create PATH/report.yaml; refuses to overwrite an existing report."""
    target = path / REPORT_FILE
    if target.exists():
        raise ContentError(f"{target}: already exists; not overwritten")
    # Editors resolve $schema relative to the report file. A project carries schemas/report.json
    # (written by `reportgen init`); elsewhere `reportgen schema > build/schema.json` writes one.
    found = find_project(path.parent if path.parent.exists() else Path.cwd())
    schema_file = found.parent / "schemas" / "report.json" if found else Path("build/schema.json")
    schema = os.path.relpath(schema_file.resolve(), path.resolve())
    text = scaffold_text(style, title, schema, settings)
    write_atomic(target, text.encode("utf-8"))
    return target


def meeting_text(style: str, committee: str, date: dt.date, schema: str = "build/meeting-schema.json",
                 settings: Settings = DEFAULTS) -> str:
    """The text of a new meeting file: every key, commented, in the style's wording."""
    profile = load_profile(style, settings)
    when = date.isoformat()
    lines = [
        f"# yaml-language-server: $schema={schema}",
        "# A reportgen meeting: `reportgen publish` makes its front sheet, packs and manifests.",
        "# `reportgen schema --markdown` documents every key; `reportgen schema --meeting` is its JSON Schema.",
        f"committee: {json.dumps(committee, ensure_ascii=False)}",
        f"style: {style}  # {profile.name}",
        f"date: {when}",
        'time: "[insert start time, e.g. 2.00 pm]"',
        'venue: "[insert venue]"',
        "# At least five clear working days before the meeting (LGA 1972 s.100B).",
        f"publication_date: {when}",
        "# Printed on the front sheet under its heading "
        f"({json.dumps(profile.agenda.membership, ensure_ascii=False)}).",
        "membership:",
        '  - "[insert Councillor name (Chair)]"',
        '  - "[insert Councillor name]"',
        "# The officer to contact about the agenda; also named in the accessibility statement.",
        "contact:",
        '  name: "[insert name]"',
        '  role: "[insert job title]"',
        '  phone: "[insert phone]"',
        '  email: "[insert email]"',
        "# In order. A report is a folder path relative to this file; exempt reports go last: the front",
        "# sheet prints the Part 2 heading and the resolution to exclude the press and public before them.",
        "items:",
        "  - standard: apologies",
        "  - standard: declarations",
        "  - standard: minutes",
        '    # file: "[insert minutes PDF, DOCX or ODT]"  (an untagged PDF needs --accept-inaccessible "reason")',
        '  - report: "[insert ../reports/folder]"',
    ]
    return "\n".join(lines) + "\n"


def new_meeting(path: Path, style: str, committee: str = "Cabinet", date: dt.date | None = None,
                settings: Settings = DEFAULTS) -> Path:
    """Create the meeting file PATH (a .yaml file); refuses to overwrite one."""
    if path.suffix not in (".yaml", ".yml"):
        raise ContentError(f"{path}: a meeting file name ends in .yaml")
    if path.exists():
        raise ContentError(f"{path}: already exists; not overwritten")
    schema = os.path.relpath(Path("build/meeting-schema.json").resolve(), path.parent.resolve())
    write_atomic(path, meeting_text(style, committee, date or dt.date.today(), schema, settings).encode("utf-8"))
    return path


def _examples() -> Path:
    """The example reports shipped with reportgen (package data in a wheel, content/examples in a checkout)."""
    package = Path(__file__).resolve().parent
    installed = package / "examples"
    return installed if installed.is_dir() else package.parent / "content" / "examples"


def _sample(style: str) -> Path | None:
    """An open model report written in `style`, to start a project from."""
    for folder in sorted((_examples() / "models").glob("*/")):
        data = yaml.safe_load((folder / REPORT_FILE).read_text(encoding="utf-8")) if (folder / REPORT_FILE).is_file() else None
        if isinstance(data, dict) and data.get("style") == style and \
                (data.get("classification") or {}).get("status", "open") == "open":
            return folder
    return None


_GITIGNORE = "# reportgen writes papers here; they are made from content/, never edited.\nbuild/\n"
_PROJECT = """# reportgen project: `reportgen build`, `check`, `status` and `publish` run from anywhere below here.
# `reportgen schema --markdown` documents report.yaml; docs/ in reportgen's repository documents the rest.
styles: templates      # the council's own house styles, searched before the bundled ones
content: content       # reports and meetings
output: build          # papers are written here (publish into build/publish)
style: {style}      # the style `reportgen new` uses
rules: {{}}              # rule overrides for every style, e.g. RG203: off
"""


def init(path: Path, style: str = "herefordshire", copy_style: bool = False) -> list[Path]:
    """Create a papers repository at `path` with a sample report and meeting; refuses to overwrite one."""
    if (path / PROJECT_FILE).exists():
        raise ContentError(f"{path / PROJECT_FILE}: already exists; not overwritten")
    load_profile(style)  # an unknown style fails before anything is written
    written: list[Path] = []

    def write(target: Path, text: str) -> None:
        write_atomic(target, text.encode("utf-8"))
        written.append(target)

    write(path / PROJECT_FILE, _PROJECT.format(style=style))
    write(path / ".gitignore", _GITIGNORE)
    write(path / "schemas" / "report.json", json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")
    # The YAML language server (VS Code and others) then completes and checks every report.yaml.
    write(path / ".vscode" / "settings.json",
          json.dumps({"yaml.schemas": {"./schemas/report.json": "content/**/report.yaml"}}, indent=2) + "\n")
    styles = path / "templates"
    styles.mkdir(parents=True, exist_ok=True)
    if copy_style:
        shutil.copytree(TEMPLATES_DIR / style, styles / style)
        written.append(styles / style)
    sample = _sample(style)
    report_dir = path / "content" / "reports" / (sample.name if sample else "sample-report")
    if sample is not None:
        shutil.copytree(sample, report_dir, ignore=shutil.ignore_patterns("signoff.yaml", "signed"))
        written.append(report_dir / REPORT_FILE)
        data = yaml.safe_load((report_dir / REPORT_FILE).read_text(encoding="utf-8"))
        meeting = data.get("meeting") or {}
        date = meeting.get("date") or data.get("decision_date") or dt.date.today()
        published = data.get("publication_date") or date
        # An individual decision is taken at the decision maker's own (public) decision session.
        committee = meeting.get("committee") or data.get("decision_maker") or "Cabinet"
    else:
        written.append(scaffold(report_dir, style, "Sample report"))
        date, published, committee = dt.date.today(), dt.date.today(), "Cabinet"
    slug = f"{date}-{committee.casefold().replace(' ', '-')}"
    write(path / "content" / "meetings" / f"{slug}.yaml", yaml.safe_dump({
        "committee": committee, "style": style, "date": date, "time": "2.00 pm",
        "venue": "Council Chamber", "publication_date": published,
        "items": [{"standard": "apologies"}, {"standard": "declarations"},
                  {"report": f"../reports/{report_dir.name}"}],
    }, sort_keys=False, allow_unicode=True))
    return written


def new_style(name: str, source: str, root: Path, settings: Settings = DEFAULTS) -> Path:
    """Copy house style `source` to root/name as a council's own style to edit; refuses to overwrite one."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise ContentError(f"style name '{name}': use lower-case letters, digits and '-'")
    target = root / name
    if target.exists():
        raise ContentError(f"{target}: already exists; not overwritten")
    profile = load_profile(source, settings)  # an unknown or broken source fails before anything is written
    origin = next(d / source for d in settings.style_dirs if (d / source / "profile.yaml").is_file())
    staging = root / f".{name}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(origin, staging)
    text = (staging / "profile.yaml").read_text(encoding="utf-8")
    # Say where it came from, so a reader knows which council's wording to replace.
    text = f"# Made with `reportgen style new {name} --from {source}` ({profile.name}); edit freely.\n" + text
    write_atomic(staging / "profile.yaml", text.encode("utf-8"))
    staging.rename(target)
    return target
