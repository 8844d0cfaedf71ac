"""`reportgen new` scaffolds a report with every section its house style prints; `reportgen init` a project."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from reportgen.errors import ContentError
from reportgen.content import clock
from reportgen.content.load import REPORT_FILE
from reportgen.content.dates import publication_deadline, working_day
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


#: Words that make a decision maker a body meeting in public; anyone else decides alone.
_BODIES = re.compile(r"^(the )?(cabinet|(full )?council|executive)$|committee|board|panel|forum", re.I)


def decision_kind(decision_maker: str) -> str:
    """committee or individual, as the decision maker's name says: 'Cabinet' and 'Planning Committee'
    meet; 'Cabinet Member for Transport' and 'Director of Place' decide alone."""
    return "committee" if _BODIES.search(decision_maker.strip()) else "individual"


def _decision_lines(kind: str, decision_maker: str | None, today: str) -> list[str]:
    """Who decides and when: a committee's meeting, or an individual decision's date; never both."""
    if kind == "individual":
        return ["# A cabinet member or an officer, deciding alone (no meeting).",
                f"decision_maker: {json.dumps(decision_maker or '[insert cabinet member or officer]')}",
                "# The date the decision will be taken.",
                f"decision_date: {today}"]
    return ["# Cabinet, Council or a committee (for a cabinet member or officer: `reportgen new --kind individual`).",
            f"decision_maker: {json.dumps(decision_maker or '[insert decision maker]')}",
            f'meeting:\n  committee: "[insert committee]"\n  date: {today}']


def scaffold_text(style: str, title: str, schema: str = "build/schema.json", settings: Settings = DEFAULTS,
                  kind: str = "committee", decision_maker: str | None = None) -> str:
    """The text of a new report.yaml for `style`, every section of the style present, and only the keys
    a decision of `kind` (committee or individual) uses."""
    profile = load_profile(style, settings)
    today = clock.today().isoformat()
    lines = [
        f"# yaml-language-server: $schema={schema}",
        "# A reportgen report. `reportgen schema --markdown` documents every key.",
        f"style: {style}",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        *_decision_lines(kind, decision_maker, today),
        'report_by: "[insert director or officer]"',
        "# open, or exempt with Schedule 12A paragraphs and a public-interest statement.",
        "classification:\n  status: open",
        "# key (with forward_plan_ref and notice_date) or non-key.",
        "decision_type:\n  key: false",
        "# all, none, or a list of ward names.",
        "wards: all",
    ]
    if kind == "committee":  # an individual decision has no agenda to be published with
        lines += ["# The date the report is published with the agenda.", f"publication_date: {today}"]
    lines += _front_fields(profile, today)
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


def _front_fields(profile: Profile, today: str) -> list[str]:
    """The style's own front-page fields under `front:`, each with its description."""
    fields = profile.front_page.fields if profile.front_page else []
    if not fields:
        return []
    lines = ["# Front-page lines of this house style's own (`reportgen schema --style` lists them)."]
    lines.append("front:")
    for f in fields:
        what = f.description or f.label.rstrip(": ")
        lines.append(f"  # {what}" + ("" if f.required else " (optional)"))
        value = {"date": f" {today}", "list": '\n    - "[insert]"'}.get(
            f.type, " " + json.dumps(f"[insert {f.label.rstrip(': ').lower()}]", ensure_ascii=False))
        lines.append(f"  {f.key}:{value}")
    return lines


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


def scaffold(path: Path, style: str, title: str = "Title of the report", settings: Settings = DEFAULTS,
             kind: str | None = None, decision_maker: str | None = None) -> Path:
    """Create PATH/report.yaml for a decision of `kind` (committee or individual; by default what the
    decision maker's name says, else committee); refuses to overwrite an existing report."""
    target = path / REPORT_FILE
    if target.exists():
        raise ContentError(f"{target}: already exists; not overwritten")
    # Editors resolve $schema relative to the report file. A project carries schemas/report.json
    # (written by `reportgen init`); elsewhere `reportgen schema > build/schema.json` writes one.
    found = find_project(path.parent if path.parent.exists() else Path.cwd())
    schema_file = found.parent / "schemas" / "report.json" if found else Path("build/schema.json")
    schema = os.path.relpath(schema_file.resolve(), path.resolve())
    kind = kind or (decision_kind(decision_maker) if decision_maker else "committee")
    text = scaffold_text(style, title, schema, settings, kind, decision_maker)
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
    write_atomic(path, meeting_text(style, committee, date or clock.today(), schema, settings).encode("utf-8"))
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


_GITIGNORE = """# reportgen writes papers here; they are made from content/, never edited.
build/
# The publish cache (check results, DOCX, PDFs), wherever --out puts it.
.cache/
"""
_PROJECT = """# reportgen project: `reportgen build`, `check`, `status` and `publish` run from anywhere below here.
# `reportgen schema --markdown` documents report.yaml; docs/ in reportgen's repository documents the rest.
styles: templates      # the council's own house styles, searched before the bundled ones
content: content       # reports and meetings
output: build          # papers are written here (publish into build/publish)
style: {style}      # the style `reportgen new` uses
rules: {{}}              # rule overrides for every style, e.g. RG203: off
"""
#: How far ahead the sample meeting is: room for the 28 clear days' forward plan notice of a key
#: decision given on the day of init, and a week to publish the agenda in time.
SAMPLE_WEEKS_AHEAD = 6
#: Example reviewers in the printed `reportgen sign` commands; the user replaces them with real names.
_EXAMPLE_NAMES = ("Alex", "Sam", "Jo", "Chris", "Robin", "Kim", "Lee", "Pat")


@dataclass
class Initialised:
    """What `init` made: the files, one line about version control, and the commands that finish the sample."""

    path: Path
    written: list[Path]
    git: str = ""
    #: `reportgen sign` per required reviewer role of the style, relative to the project; empty without a sample
    sign_commands: list[list[str]] = field(default_factory=list)

    def next_steps(self) -> list[str]:
        """What to tell the user: the git line, then the commands that make the sample ready, runnable as shown."""
        lines = [self.git] if self.git else []
        if not self.sign_commands:
            return lines
        lines += ["", "The sample report is ready but for its sign-offs. Each required reviewer records one; "
                      "replace the example names with your reviewers' own:"]
        if self.path.resolve() != Path.cwd().resolve():
            lines.append(f"  cd {shlex.quote(str(self.path))}")
        lines += [f"  {shlex.join(command)}" for command in self.sign_commands]
        return lines + ["Then check it (exit 0: ready to publish), and commit signoff.yaml and signed/, the record "
                        "of clearance:", "  reportgen check"]


def sample_dates(today: dt.date, clear_days: int = 5) -> tuple[dt.date, dt.date]:
    """(meeting, publication) for a sample made today: the meeting on a working day some weeks ahead, the
    agenda published on the last day that leaves `clear_days` clear working days (computed, never typed)."""
    meeting = today + dt.timedelta(weeks=SAMPLE_WEEKS_AHEAD)
    while not working_day(meeting):
        meeting += dt.timedelta(days=1)
    return meeting, publication_deadline(meeting, clear_days)


def _replace_scalars(text: str, values: dict[tuple[str, ...], str]) -> str:
    """`text` with the scalar at each key path replaced by its new value; comments and layout are kept."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    spans = []
    for loc, value in values.items():
        node = root
        for part in loc:
            node = next((v for k, v in node.value if k.value == part), None) \
                if isinstance(node, yaml.MappingNode) else None
        if isinstance(node, yaml.ScalarNode):
            spans.append((node.start_mark.index, node.end_mark.index, value))
    for start, end, value in sorted(spans, reverse=True):
        text = text[:start] + value + text[end:]
    return text


def _date_sample(report: Path, meeting: dt.date, published: dt.date, today: dt.date) -> None:
    """Give the copied model report the sample's dates: a model's own dates are long past on the day a
    council starts with it, and a date a council publishes is a fact, never one typed into a file."""
    text = report.read_text(encoding="utf-8")
    text = _replace_scalars(text, {
        ("meeting", "date"): meeting.isoformat(), ("decision_date",): meeting.isoformat(),
        ("publication_date",): published.isoformat(),
        # A key decision enters the forward plan on the day the project starts: 28 clear days are left.
        ("decision_type", "notice_date"): today.isoformat(),
        ("dated",): f"{published:%B %Y}"})
    write_atomic(report, text.encode("utf-8"))


def _clear_days(profile: Profile) -> int:
    """The style's five-clear-days rule (RG401 clear_days, which a style may change)."""
    from reportgen.check.catalogue import catalogue
    from reportgen.check.registry import settings

    return int(settings(profile, catalogue()["RG401"])[1]["clear_days"])


def init(path: Path, style: str = "herefordshire", copy_style: bool = False, git: bool = True,
         today: dt.date | None = None) -> Initialised:
    """Create a papers repository at `path` with a sample report and meeting dated from `today`, under git
    unless `git` is false or it is inside a git work tree already; refuses to overwrite a project."""
    if (path / PROJECT_FILE).exists():
        raise ContentError(f"{path / PROJECT_FILE}: already exists; not overwritten")
    profile = load_profile(style)  # an unknown style fails before anything is written
    today = today or clock.today()
    # Decided before writing: whether the new folder would be a repository of its own.
    has_git = git and shutil.which("git") is not None
    repository = _enclosing_work_tree(path) if has_git else None
    done = Initialised(path, [])

    def write(target: Path, text: str) -> None:
        write_atomic(target, text.encode("utf-8"))
        done.written.append(target)

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
        done.written.append(styles / style)
    sample = _sample(style)
    date, published = sample_dates(today, _clear_days(profile))
    # The model's folder is named for its month (herefordshire-2026-12-...): the sample's is its own.
    name = re.sub(r"\d{4}-\d{2}", f"{date:%Y-%m}", sample.name, count=1) if sample else "sample-report"
    report_dir = path / "content" / "reports" / name
    committee, time, venue = "Cabinet", "2.00 pm", "Council Chamber"
    if sample is not None:
        shutil.copytree(sample, report_dir, ignore=shutil.ignore_patterns("signoff.yaml", "signed"))
        _date_sample(report_dir / REPORT_FILE, date, published, today)
        done.written.append(report_dir / REPORT_FILE)
        data = yaml.safe_load((report_dir / REPORT_FILE).read_text(encoding="utf-8"))
        # An individual decision is taken at the decision maker's own (public) decision session.
        held = data.get("meeting") or {}
        committee = held.get("committee") or data.get("decision_maker") or committee
        time, venue = str(held.get("time") or time), str(held.get("venue") or venue)
        done.sign_commands = [
            ["reportgen", "sign", report_dir.relative_to(path).as_posix(), "--role", role,
             "--name", f"{_EXAMPLE_NAMES[i % len(_EXAMPLE_NAMES)]} Example"]
            for i, role in enumerate(profile.required_reviewers)]
    else:
        done.written.append(scaffold(report_dir, style, "Sample report"))
    slug = f"{date}-{committee.casefold().replace(' ', '-')}"
    write(path / "content" / "meetings" / f"{slug}.yaml", yaml.safe_dump({
        "committee": committee, "style": style, "date": date, "time": time,
        "venue": venue, "publication_date": published,
        "items": [{"standard": "apologies"}, {"standard": "declarations"},
                  {"report": f"../reports/{report_dir.name}"}],
    }, sort_keys=False, allow_unicode=True))
    if not git:
        done.git = "not made a git repository (--no-git)"
    elif not has_git:
        done.git = _NO_GIT
    elif repository is not None:
        done.git = f"inside the git work tree {repository}: no repository made; commit the new files there"
    else:
        done.git = _commit(path, [*done.written, report_dir], style)
    return done


_NO_GIT = "git is not installed: the project is not under version control (install git, then run `git init` in it)"


def _git(path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=path, env=env, capture_output=True, text=True, check=True)


def _enclosing_work_tree(path: Path) -> Path | None:
    """The git work tree `path` would be inside, or None."""
    existing = path.resolve()
    while not existing.is_dir():
        existing = existing.parent
    try:
        found = _git(existing, "rev-parse", "--show-toplevel")
    except (OSError, subprocess.CalledProcessError):
        return None
    return Path(found.stdout.strip())


def _commit(path: Path, paths: list[Path], style: str) -> str:
    """`git init` in `path` and a first commit of `paths`; the user's git configuration is never changed."""
    try:
        _git(path, "init", "--quiet")
        env = dict(os.environ)
        # Only where the user has no identity of their own, and only for this one commit.
        for part, fallback in (("name", "reportgen init"), ("email", "reportgen-init@localhost.invalid")):
            if _git_config(path, f"user.{part}") or (part == "email" and os.environ.get("EMAIL")):
                continue  # git's own fallback for the email is $EMAIL
            for who in ("AUTHOR", "COMMITTER"):
                env.setdefault(f"GIT_{who}_{part.upper()}", fallback)
        _git(path, "add", "--", *(os.path.relpath(p, path) for p in paths))
        _git(path, "commit", "--quiet", "-m", f"Start the papers repository (reportgen init, style {style})",
             env=env)
    except FileNotFoundError:
        return _NO_GIT
    except subprocess.CalledProcessError as exc:
        reason = (exc.stderr or exc.stdout or "").strip().splitlines()
        return f"git {exc.cmd[1]} failed ({reason[-1] if reason else f'exit {exc.returncode}'}): commit the files yourself"
    return f"made a git repository in {path} with a first commit of these files"


def _git_config(path: Path, key: str) -> str:
    try:
        return _git(path, "config", "--get", key).stdout.strip()
    except subprocess.CalledProcessError:
        return ""


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
