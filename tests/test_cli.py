"""CLI surface: new, schema and the generated reference in docs/ staying in sync."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

from reportgen.cli import main
from reportgen.content.load import find_reports, load_report
from reportgen.style.profile import load_profile

from .conftest import ROOT


def test_new_scaffolds_every_section_of_the_style_and_builds(runner, tmp_path: Path) -> None:
    target = tmp_path / "content" / "r"
    result = runner.invoke(main, ["new", str(target), "--style", "oxfordshire", "--title", "Fees & “charges”"])
    assert result.exit_code == 0, result.output
    text = (target / "report.yaml").read_text(encoding="utf-8")
    profile = load_profile("oxfordshire")
    loaded = load_report(target)
    for spec in profile.sections:
        for key in spec.keys:
            if key == "contacts":
                assert loaded.report.contact_officers
            else:
                assert getattr(loaded.report, key) is not None, key
    assert text.count("\n# ") >= len(profile.sections) - 2  # a guidance comment per section
    assert loaded.report.title == "Fees & “charges”"
    build = runner.invoke(main, ["build", str(target), "--out", str(tmp_path / "out")])
    assert build.exit_code == 0, build.output
    again = runner.invoke(main, ["new", str(target), "--style", "oxfordshire"])
    assert again.exit_code == 2 and "already exists; not overwritten" in again.output


def test_new_with_an_unknown_style_fails_cleanly(runner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["new", str(tmp_path / "r"), "--style", "nowhere"])
    assert result.exit_code == 2
    assert "unknown house style 'nowhere' (known styles: east-herts, herefordshire, oxfordshire)" in result.output


def test_schema_is_valid_json_schema_and_accepts_every_example(runner) -> None:
    result = runner.invoke(main, ["schema"])
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    folders = find_reports([ROOT / "content" / "examples"])
    assert len(folders) >= 7
    for folder in folders:
        data = yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8"))
        errors = [e.message for e in validator.iter_errors(json.loads(json.dumps(data, default=str)))]
        assert errors == [], folder


def test_schema_rejects_a_typo(runner) -> None:
    schema = json.loads(runner.invoke(main, ["schema"]).output)
    bad = {"style": "x", "title": "t", "decision_maker": "d", "recomendations": []}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad))


def test_every_schema_field_is_described() -> None:
    from reportgen.content.schema import json_schema

    schema = json_schema()
    nodes = [schema, *schema["$defs"].values()]
    undescribed = [name for node in nodes for name, prop in node.get("properties", {}).items()
                   if not prop.get("description")]
    assert undescribed == []


def test_generated_docs_are_up_to_date() -> None:
    docs = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md")}
    for name, marker in (("authoring.md", "reference"), ("governance.md", "rules"), ("architecture.md", "layers")):
        assert f"<!-- {marker}:start -->" in docs[name] and f"<!-- {marker}:end -->" in docs[name]
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "update_docs.py"), "--check"])
    assert result.returncode == 0, "run: python tools/update_docs.py"


def test_readme_quick_start_is_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["./dev.sh demo", "./dev.sh test"]
    assert "./dev.sh test" in (ROOT / ".ci" / "run").read_text()


def test_build_pdf_without_libreoffice_still_writes_docx_and_says_how_to_install(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.delenv("REPORTGEN_SOFFICE", raising=False)
    folder = ROOT / "tests" / "fixtures" / "special-characters"
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(folder), "--out", str(out), "--pdf"])
    assert result.exit_code == 2
    assert "apt-get install libreoffice-writer-nogui" in result.output
    assert "The DOCX files were written." in result.output
    assert "Traceback" not in result.output
    assert (out / "special-characters.docx").is_file()
    assert not list(out.rglob("*.pdf"))
