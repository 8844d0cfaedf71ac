"""Regenerate the generated sections of docs/ from the schema and the rule catalogue.

    .venv/bin/python tools/update_docs.py          # rewrite the docs
    .venv/bin/python tools/update_docs.py --check  # exit 1 when a doc is out of date
"""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

from reportgen.check.catalogue import catalogue
from reportgen.content.schema import reference_markdown
from reportgen.docx.variables import context_markdown
from reportgen.style.reference import profile_markdown

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def rules_markdown() -> str:
    lines = ["| rule | severity | what it checks | source |", "|---|---|---|---|"]
    for r in catalogue().values():
        lines.append(f"| {r.id} | {r.severity} | {r.title}: {r.explanation} | {r.source} |")
    return "\n".join(lines) + "\n"


def _summary(name: str) -> str:
    """The first line of a module's or package's docstring."""
    path = ROOT / Path(*name.split("."))
    source = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    doc = ast.get_docstring(ast.parse(source.read_text(encoding="utf-8"))) or ""
    return doc.split("\n", 1)[0]


def layers_markdown() -> str:
    """The import-linter layers, top to bottom, each package with what it is for."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    lines = ["| layer | package or module | what it holds |", "|---|---|---|"]
    for n, layer in enumerate(contract["layers"], 1):
        for name in (part.strip() for part in layer.split("|")):
            lines.append(f"| {n} | `{name}` | {_summary(name)} |")
    return "\n".join(lines) + "\n"


def profile_example() -> str:
    """A complete bundled profile, verbatim, as the reference's worked example."""
    text = (ROOT / "templates" / "east-herts" / "profile.yaml").read_text(encoding="utf-8")
    return "```yaml\n" + text.rstrip() + "\n```\n"


def sections() -> dict[str, str]:
    """Marker name -> generated Markdown."""
    return {"rules": rules_markdown(), "reference": reference_markdown(), "layers": layers_markdown(),
            "profile": profile_markdown(), "profile-example": profile_example(),
            "template-context": context_markdown()}


def generated(text: str) -> str:
    for name, body in sections().items():
        text = re.sub(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)",
                      lambda m, body=body: m.group(1) + body + m.group(2), text, flags=re.S)
    return text


if __name__ == "__main__":
    stale = []
    for doc in sorted(DOCS.glob("*.md")):
        current = doc.read_text(encoding="utf-8")
        fresh = generated(current)
        if fresh != current:
            stale.append(doc)
            if "--check" not in sys.argv:
                doc.write_text(fresh, encoding="utf-8")
    if "--check" in sys.argv and stale:
        print("out of date: " + ", ".join(str(d) for d in stale))
        sys.exit(1)
