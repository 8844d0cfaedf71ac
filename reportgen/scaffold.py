"""`reportgen new`: scaffold a report folder with every section its house style prints."""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from reportgen.errors import ContentError
from reportgen.content.load import REPORT_FILE
from reportgen.fs import write_atomic
from reportgen.style.profile import load_profile

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
    "reviewers": ("Who cleared the report; record sign-off with `reportgen sign`.",
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


def scaffold_text(style: str, title: str, schema: str = "build/schema.json") -> str:
    """The text of a new report.yaml for `style`, every section of the style present."""
    profile = load_profile(style)
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
    roles = "\n".join(f'  - role: {json.dumps(r)}\n    name: "[insert name]"' for r in profile.required_reviewers)
    seen: set[str] = set()
    for spec in profile.sections:
        for key in spec.keys:
            if key in seen or key not in SECTIONS:
                continue
            seen.add(key)
            guidance, value = SECTIONS[key]
            lines += ["", f"# {guidance}", value.replace("{roles}", roles or '  - role: "[insert role]"')]
    return "\n".join(lines) + "\n"


def scaffold(path: Path, style: str, title: str = "Title of the report") -> Path:
    """Create PATH/report.yaml; refuses to overwrite an existing report."""
    target = path / REPORT_FILE
    if target.exists():
        raise ContentError(f"{target}: already exists; not overwritten")
    # Editors resolve $schema relative to the report file; `reportgen schema > build/schema.json` writes it.
    schema = os.path.relpath(Path("build/schema.json").resolve(), path.resolve())
    text = scaffold_text(style, title, schema)
    write_atomic(target, text.encode("utf-8"))
    return target
