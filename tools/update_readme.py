"""Regenerate README.md's generated sections from the schema and the rule catalogue.

    .venv/bin/python tools/update_readme.py          # rewrite README.md
    .venv/bin/python tools/update_readme.py --check  # exit 1 when README.md is out of date
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from reportgen.check import rules as _rules  # noqa: F401  (registers the catalogue)
from reportgen.check.engine import RULES
from reportgen.content.schema import reference_markdown

README = Path(__file__).resolve().parent.parent / "README.md"


def rules_markdown() -> str:
    lines = ["| rule | severity | what it checks | source |", "|---|---|---|---|"]
    for r in RULES.values():
        lines.append(f"| {r.id} | {r.severity} | {r.title}: {r.explanation} | {r.source} |")
    return "\n".join(lines) + "\n"


def generated(text: str) -> str:
    for name, body in (("rules", rules_markdown()), ("reference", reference_markdown())):
        text = re.sub(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)",
                      lambda m, body=body: m.group(1) + body + m.group(2), text, flags=re.S)
    return text


if __name__ == "__main__":
    current = README.read_text(encoding="utf-8")
    fresh = generated(current)
    if "--check" in sys.argv:
        sys.exit(0 if fresh == current else 1)
    README.write_text(fresh, encoding="utf-8")
