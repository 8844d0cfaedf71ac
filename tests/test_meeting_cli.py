"""The meeting file's surface: its JSON Schema, `new-meeting`, and the publish progress bar."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from reportgen import cli
from reportgen.cli import main

from .conftest import ROOT

MEETINGS = ROOT / "content" / "examples" / "meetings"


def test_meeting_schema_is_valid_and_accepts_the_example(runner) -> None:
    result = runner.invoke(main, ["schema", "--meeting"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    example = yaml.safe_load((MEETINGS / "2026-12-15-cabinet.yaml").read_text(encoding="utf-8"))
    example = json.loads(json.dumps(example, default=str))  # dates as the YAML language server sees them
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(example)) == []
    bad = dict(example, membrship=["Councillor Typo"])
    assert [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(bad)] == [
        "Additional properties are not allowed ('membrship' was unexpected)"]
    assert {"membership", "contact", "items"} <= set(schema["properties"])


def test_the_markdown_reference_documents_every_meeting_key(runner) -> None:
    text = runner.invoke(main, ["schema", "--markdown"]).output
    schema = json.loads(runner.invoke(main, ["schema", "--meeting"]).output)
    assert "### meeting file (content/meetings/*.yaml)" in text
    for key in schema["properties"]:
        assert f"| `{key}` |" in text, key
    for name, node in schema["$defs"].items():
        assert f"### meeting: {name}" in text
        for key in node["properties"]:
            assert f"| `{key}` |" in text, (name, key)


def test_new_meeting_scaffolds_a_file_the_schema_accepts(runner, tmp_path: Path) -> None:
    target = tmp_path / "2027-01-12-cabinet.yaml"
    result = runner.invoke(main, ["new-meeting", str(target), "--style", "oxfordshire", "--date", "2027-01-12"])
    assert result.exit_code == 0 and result.output == f"created {target}\n"
    data = json.loads(json.dumps(yaml.safe_load(target.read_text(encoding="utf-8")), default=str))
    schema = json.loads(runner.invoke(main, ["schema", "--meeting"]).output)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    assert data["style"] == "oxfordshire" and data["date"] == "2027-01-12" and data["contact"]["name"]
    again = runner.invoke(main, ["new-meeting", str(target), "--style", "oxfordshire"])
    assert again.exit_code == 2 and f"{target}: already exists; not overwritten" in again.output


def test_progress_is_shown_only_on_a_terminal_and_not_with_quiet(monkeypatch) -> None:
    class Tty:
        def __init__(self, tty: bool) -> None:
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

    monkeypatch.setattr(cli.sys, "stderr", Tty(True))
    assert cli.show_progress(quiet=False) is True
    assert cli.show_progress(quiet=True) is False
    monkeypatch.setattr(cli.sys, "stderr", Tty(False))
    assert cli.show_progress(quiet=False) is False


def test_a_refused_publish_through_the_cli_shows_no_progress_bar_in_a_pipe(runner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["publish", str(MEETINGS / "2026-12-15-cabinet.yaml"), "--out",
                                  str(tmp_path / "out"), "--today", "2026-11-21"])
    assert result.exit_code == 1
    assert "Publishing" not in result.output and "publish refused:" in result.output


def test_on_a_terminal_publish_shows_its_progress(runner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(cli, "show_progress", lambda quiet: not quiet)
    meeting = str(MEETINGS / "2026-12-15-cabinet.yaml")
    shown = runner.invoke(main, ["publish", meeting, "--out", str(tmp_path / "out"), "--today", "2026-11-21",
                                 "--accept-inaccessible", "a scanned PDF"])
    assert shown.exit_code == 0 and "Publishing" in shown.output
    quiet = runner.invoke(main, ["publish", meeting, "--out", str(tmp_path / "out"), "--today", "2026-11-21",
                                 "--accept-inaccessible", "a scanned PDF", "--quiet"])
    assert quiet.exit_code == 0 and "Publishing" not in quiet.output
    assert "unchanged (nothing rewritten)" in quiet.output and "NOT ACCESSIBLE: 1 supplied document" in quiet.output


def test_accepting_inaccessible_documents_needs_a_reason(runner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["publish", str(MEETINGS / "2026-12-15-cabinet.yaml"), "--out",
                                  str(tmp_path / "out"), "--accept-inaccessible", "  "])
    assert result.exit_code == 2
    assert "Invalid value for --accept-inaccessible: give the reason the documents cannot be made accessible" \
        in result.output
    assert not (tmp_path / "out").exists()
