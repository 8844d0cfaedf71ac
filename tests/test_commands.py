"""Every command and option the docs show, run as users run them: `reportgen` in a fresh process, in a
project made by `reportgen init` and on the examples, with its exit code and output asserted.

click's in-process runner shares one interpreter between tests, so a module that only some earlier test
happened to import (the rule catalogue, say) hides an import-order defect there. Here each command is
a new process, as it is for a user at a terminal or in CI.

`test_the_docs_show_no_command_or_option_left_untested` reads README.md and docs/*.md and fails when they
show a command or option that no case below runs.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT
from .sshkeys import allowed_signers, keygen

REPORTGEN = Path(sys.executable).with_name("reportgen")
TODAY = dt.date.fromisoformat(os.environ["REPORTGEN_TODAY"])  # the suite's clock (conftest)


def run(args: list[str], cwd: Path, code: int | None = 0, timeout: float = 300,
        env: dict[str, str | None] | None = None) -> subprocess.CompletedProcess[str]:
    """`reportgen ARGS` in a new process; asserts the exit code (None: any) and that no traceback shows.
    `env`: set in (a None value: removed from) the environment."""
    environ = {k: v for k, v in {**os.environ, **(env or {})}.items() if not k.startswith("PYTEST") and v is not None}
    result = subprocess.run([str(REPORTGEN), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                            env=environ, stdin=subprocess.DEVNULL)
    shown = f"$ reportgen {shlex.join(args)}\nexit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stdout + result.stderr, shown
    if code is not None:
        assert result.returncode == code, shown
    RAN.append(args)
    return result


#: Every argument list run by this module, for the docs coverage test (which runs last).
RAN: list[list[str]] = []


@dataclass
class Project:
    root: Path
    report: Path = field(init=False)
    meeting: Path = field(init=False)
    init_output: str = ""

    def __post_init__(self) -> None:
        self.report = next(p.parent for p in sorted((self.root / "content").rglob("report.yaml")))
        self.meeting = next(p for p in sorted((self.root / "content").rglob("*.yaml"))
                            if p.name != "report.yaml" and not p.name.endswith(".decisions.yaml"))

    def rel(self, path: Path) -> str:
        return str(path.relative_to(self.root))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """One council project for the whole module, made by `reportgen init` in a fresh process."""
    base = tmp_path_factory.mktemp("commands")
    made = run(["init", "council", "--style", "oxfordshire"], base)
    proj = Project(base / "council", made.stdout)
    assert (proj.root / "reportgen.yaml").is_file()
    return proj


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's examples, outside any project (no reportgen.yaml above them)."""
    base = tmp_path_factory.mktemp("examples")
    shutil.copytree(ROOT / "content" / "examples", base / "content" / "examples")
    return base


# --------------------------------------------------------------------------- the whole catalogue, as shipped

def test_every_command_answers_help_in_a_fresh_process(tmp_path: Path) -> None:
    from reportgen.cli import main

    run(["--version"], tmp_path)
    assert "Build, check and publish" in run(["-h"], tmp_path).stdout
    for name, command in main.commands.items():
        subs = getattr(command, "commands", {})
        for args in ([name, *([sub] if sub else []), "--help"] for sub in (list(subs) or [None])):
            assert "Usage: reportgen " + " ".join(args[:-1]) in run(args, tmp_path).stdout


def test_rules_lists_the_whole_catalogue_in_a_fresh_process(tmp_path: Path) -> None:
    """The catalogue is filled when it is asked for, not when some other module happens to import it."""
    text = run(["rules"], tmp_path).stdout
    ids = re.findall(r"^(RG\d{3}) \[", text, re.M)
    listed = json.loads(run(["rules", "--format", "json"], tmp_path).stdout)
    assert len(ids) > 40 and ids == [r["id"] for r in listed]
    assert {"RG101", "RG203", "RG401", "RG601"} <= set(ids)


# --------------------------------------------------------------------------- a project made by init

def test_build_check_and_status_in_the_new_project(project: Project) -> None:
    out = run(["build"], project.root).stdout
    assert re.search(r"^built .*\.docx \(oxfordshire, \d+ ms\)$", out, re.M), out
    assert list((project.root / "build").rglob("*.docx"))
    run(["build", project.rel(project.report), "--out", "other", "--html", "--pdf", "-q", "--no-server"], project.root)
    for kind in ("docx", "html", "pdf"):
        assert list((project.root / "other").rglob(f"*.{kind}")), kind
    run(["-v", "build", project.rel(project.report), "--out", "styled", "--styles", "templates"], project.root)

    # The sample is complete but for sign-off: check says what is missing and exits 1.
    checked = run(["check"], project.root, code=1)
    assert "not ready" in checked.stdout
    found = json.loads(run(["check", "--format", "json", "--today", TODAY.isoformat()], project.root, code=1).stdout)
    assert found["summary"]["reports"] == 1 and found["summary"]["unusable"] == 0
    run(["check", "--strict", project.rel(project.report)], project.root, code=1)
    meeting = run(["check", project.rel(project.meeting)], project.root, code=1).stdout
    assert meeting.count("[oxfordshire]") == 2  # the meeting itself, then its report

    rows = json.loads(run(["status", "--format", "json"], project.root, code=1).stdout)["reports"]
    assert [r["kind"] for r in rows] == ["report"] and "missing" in rows[0]["signoffs"].values()
    text = run(["status", project.rel(project.meeting), "--today", TODAY.isoformat()], project.root, code=1).stdout
    assert "meeting:" in text and "NOT READY" in text
    run(["status", "--html", "dashboard.html"], project.root, code=1)
    assert "<table" in (project.root / "dashboard.html").read_text(encoding="utf-8")


def test_schema_new_and_styles_in_the_new_project(project: Project) -> None:
    assert json.loads(run(["schema"], project.root).stdout)["type"] == "object"
    assert json.loads(run(["schema", "--meeting"], project.root).stdout)["type"] == "object"
    assert "oxfordshire" in run(["schema", "--style", "oxfordshire"], project.root).stdout
    assert json.loads(run(["schema", "--profile"], project.root).stdout)["type"] == "object"
    assert "### report.yaml" in run(["schema", "--markdown"], project.root).stdout
    assert "| `date_format` |" in run(["schema", "--profile", "--markdown"], project.root).stdout

    run(["new", "content/reports/new-one", "--style", "herefordshire", "--title", "Parking charges 2027/28"],
        project.root)
    assert "Parking charges 2027/28" in (project.root / "content/reports/new-one/report.yaml").read_text("utf-8")
    run(["new", "content/reports/new-two"], project.root)  # the project's own `style:`
    assert "style: oxfordshire" in (project.root / "content/reports/new-two/report.yaml").read_text("utf-8")
    # Only what the decision uses: a meeting for a committee, a decision date for a cabinet member alone.
    run(["new", "content/reports/new-three", "--decision-maker", "Cabinet Member for Transport"], project.root)
    run(["new", "content/reports/new-four", "--decision-maker", "Planning Committee"], project.root)
    run(["new", "content/reports/new-five", "--decision-maker", "Cabinet", "--kind", "individual"], project.root)
    made = {name: yaml.safe_load((project.root / "content/reports" / name / "report.yaml").read_text("utf-8"))
            for name in ("new-two", "new-three", "new-four", "new-five")}
    assert [("meeting" in data, "decision_date" in data, "publication_date" in data) for data in made.values()] \
        == [(True, False, True), (False, True, False), (True, False, True), (False, True, False)]
    assert made["new-three"]["decision_maker"] == "Cabinet Member for Transport"
    assert made["new-five"]["decision_maker"] == "Cabinet"
    run(["new-meeting", "content/meetings/next.yaml", "--style", "oxfordshire", "--committee", "Council",
         "--date", "2027-01-20"], project.root)
    assert "Council" in (project.root / "content/meetings/next.yaml").read_text("utf-8")
    for name in ("content/reports/new-one", "content/reports/new-two", "content/reports/new-three",
                 "content/reports/new-four", "content/reports/new-five", "content/meetings/next.yaml"):
        path = project.root / name
        shutil.rmtree(path) if path.is_dir() else path.unlink()  # the scaffolds are not complete reports

    said = run(["style", "new", "my-council", "--from", "oxfordshire"], project.root).stdout
    assert "reportgen style check my-council" in said
    assert "templates/my-council: ok" in run(["style", "check", "my-council"], project.root).stdout
    run(["style", "new", "elsewhere", "--from", "oxfordshire", "--to", "shared-styles"], project.root)
    run(["style", "check", "elsewhere"], project.root, code=2)  # not on the style path ...
    run(["style", "check", "elsewhere", "--styles", "shared-styles"], project.root)  # ... unless named


def test_rule_overrides_hold_in_every_command(project: Project, tmp_path: Path) -> None:
    """The override `init` suggests works in check, build, style check, status and publish alike; an unknown
    rule is a located error in the file that names it, with did-you-mean."""
    config = project.root / "reportgen.yaml"
    original = config.read_text(encoding="utf-8")
    assert "RG203: off" in original  # the example init writes
    try:
        config.write_text(re.sub(r"^rules:.*$", 'rules: {RG203: "off", RG107: warning}', original, flags=re.M),
                          encoding="utf-8")
        run(["build", "--out", str(tmp_path / "b")], project.root)
        run(["style", "check", "oxfordshire"], project.root)
        run(["check"], project.root, code=1)
        run(["status"], project.root, code=1)
        run(["publish", project.rel(project.meeting), "--draft", "--out", str(tmp_path / "p")], project.root,
            code=None)
        assert (tmp_path / "p").is_dir()

        config.write_text(re.sub(r"^rules:.*$", "rules:\n  RG2O3: warning", original, flags=re.M), encoding="utf-8")
        where = re.escape(str(config)) + ":"
        for args in (["build", "--out", str(tmp_path / "c")], ["check"], ["status"], ["style", "check", "oxfordshire"]):
            result = run(args, project.root, code=2)
            said = result.stdout + result.stderr
            assert re.search(where + r"\d+:\d+: (error INPUT: )?rules\.RG2O3: unknown rule RG2O3 \(did you mean "
                             r"`RG203`\?\)", said), said
            assert "profile.yaml" not in said
        assert not (tmp_path / "c").exists()
    finally:
        config.write_text(original, encoding="utf-8")


def test_sign_diff_and_publish_in_the_new_project(project: Project, tmp_path: Path) -> None:
    roles = list(json.loads(run(["status", "--format", "json"], project.root, code=1).stdout)
                 ["reports"][0]["signoffs"])
    report = project.rel(project.report)
    first, *others = roles
    said = run(["sign", report, "--role", first, "--name", "A. Person", "--date", TODAY.isoformat(),
                "--today", TODAY.isoformat()], project.root).stdout
    assert f"signed {report}: {first} by A. Person" in said
    run(["diff", report], project.root)  # nothing changed since
    run(["diff", report, "--role", first, "--html", "changes.html"], project.root)
    assert (project.root / "changes.html").is_file()

    # A key-signed record, with the project's allowed signers naming the key's owner.
    keys = tmp_path / "keys"
    key = keygen(keys, "reviewer")
    allowed_signers(project.root / "allowed_signers", reviewer_at_council=key)
    for role in others:
        run(["sign", report, "--role", role, "--name", "B. Person", "--key", str(key), "--signer",
             "reviewer@council", "--strict"], project.root)
    assert "ready" in run(["check"], project.root).stdout
    # Cleared by email ten days ago and recorded today: refused without the reason, recorded with it.
    late = ["sign", report, "--role", first, "--name", "A. Person", "--date",
            (TODAY - dt.timedelta(days=10)).isoformat(), "--today", TODAY.isoformat()]
    assert "--reason" in run(late, project.root, code=2).stderr
    run([*late, "--reason", "cleared by email; recorded on return from leave"], project.root)

    text = project.report / "report.yaml"
    original = text.read_text(encoding="utf-8")
    text.write_text(original.replace("title: ", "title: Revised ", 1), encoding="utf-8")
    changed = run(["diff", report], project.root, code=1).stdout
    assert "Revised" in changed
    run(["diff", report, "--from", "1", "--to", "2"], project.root, code=None)
    run(["check"], project.root, code=1)  # the sign-offs are stale
    text.write_text(original, encoding="utf-8")

    meeting = project.rel(project.meeting)
    published = run(["publish", meeting, "-q"], project.root).stdout
    assert re.search(r"^published .*: \d+ public documents in .*, written$", published, re.M), published
    assert "unchanged" in run(["publish", meeting, "--quiet"], project.root).stdout
    run(["publish", meeting, "--draft", "--today", TODAY.isoformat(), "--out", "drafts"], project.root)
    assert list((project.root / "drafts").rglob("dashboard.html"))
    assert "emptied the cache" in run(["clean"], project.root).stdout
    assert "emptied the cache" in run(["clean", "--out", "drafts"], project.root).stdout


def test_publish_watch_republishes_until_interrupted(project: Project, tmp_path: Path) -> None:
    """`publish --watch` in a fresh process: it publishes, and Ctrl-C ends it cleanly with no LibreOffice left."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")} | {"PYTHONUNBUFFERED": "1"}
    args = ["publish", project.rel(project.meeting), "--draft", "--watch", "--out", str(tmp_path / "w")]
    RAN.append(args)
    proc = subprocess.Popen([str(REPORTGEN), *args], cwd=project.root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    seen = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # the first publish, then the line saying it is watching
            seen.append(line)
            if "for changes" in line:
                break
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    out = "".join(seen) + out
    assert re.search(r"^\[\d\d:\d\d:\d\d\] published ", out, re.M) and "stopped watching" in out, out + err
    assert list((tmp_path / "w").rglob("manifest.json"))
    assert "Traceback" not in out + err
    leftover = subprocess.run(["pgrep", "-s", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert leftover == [], "LibreOffice left running after Ctrl-C"


def test_server_status_and_stop_after_a_pdf_build(project: Project, tmp_path: Path) -> None:
    """The warm LibreOffice server as the docs show it (tests/test_server.py tests it in depth)."""
    tmp = tmp_path / "t"
    tmp.mkdir()
    # REPORTGEN_NO_WARM: the LibreOffice server alone (tests/test_warm.py tests the warm reportgen beside it).
    env: dict[str, str | None] = {"REPORTGEN_NO_SERVER": None, "REPORTGEN_NO_WARM": "1", "XDG_RUNTIME_DIR": None,
                                  "TMPDIR": str(tmp)}
    try:
        assert "no LibreOffice server runs" in run(["server", "status"], project.root, code=1, env=env).stdout
        run(["build", project.rel(project.report), "--out", str(tmp_path / "b"), "--pdf", "-q"], project.root, env=env)
        status = run(["server", "status"], project.root, env=env).stdout
        assert re.search(r"running: pid \d+, .* 1 document\(s\) converted", status), status
    finally:
        stopped = run(["server", "stop"], project.root, env=env).stdout
    assert stopped.startswith("stopped the LibreOffice server (pid ")
    run(["server", "status"], project.root, code=1, env=env)
    assert list(tmp.iterdir()) == []


def test_init_variants(tmp_path: Path) -> None:
    said = run(["init", "copied", "--style", "herefordshire", "--copy-style"], tmp_path).stdout
    assert (tmp_path / "copied" / "templates" / "herefordshire" / "profile.yaml").is_file(), said
    assert (tmp_path / "copied" / ".git").is_dir()
    run(["init", "copied"], tmp_path, code=None)  # again into the same folder: refused or a no-op, never a traceback
    run(["init", "plain", "--no-git"], tmp_path)
    assert (tmp_path / "plain" / "reportgen.yaml").is_file() and not (tmp_path / "plain" / ".git").exists()


# --------------------------------------------------------------------------- the examples, outside any project

def test_the_examples_as_the_demo_runs_them(examples: Path) -> None:
    built = run(["build", "content/examples/models", "--html"], examples).stdout
    assert built.count(".docx") == 4 and built.count(".html") == 4, built
    run(["check", "content/examples/models", "--today", "2026-12-01"], examples)
    meeting = "content/examples/meetings/2026-12-15-cabinet.yaml"
    run(["status", meeting, "--today", "2026-12-01"], examples)
    run(["check", meeting, "--today", "2026-12-01", "--format", "json"], examples)
    published = run(["publish", meeting, "--today", "2026-12-01", "--quiet", "--accept-inaccessible",
                     "The minutes were supplied as an untagged PDF."], examples)
    assert "NOT ACCESSIBLE" in published.stderr
    assert (examples / "build/publish/2026-12-15-cabinet/public/index.html").is_file()
    run(["status", "content/examples", "--html", "build/dashboard.html", "--today", "2026-12-01"], examples,
        code=1)  # the seeds' real defects


def test_records_on_the_examples(examples: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    meeting = "content/examples/meetings/2026-12-15-cabinet.yaml"
    # The clock (REPORTGEN_TODAY, 21 November) is before the meeting: no decision notice yet, nothing written.
    refused = run(["decisions", meeting], examples, code=2)
    assert "the decision is taken on 15 December 2026: its notice cannot be published before it" in refused.stderr
    wrote = run(["decisions", meeting, "--today", "2026-12-17", "--out", "build/records"], examples).stdout
    assert "decision" in wrote and (examples / "build" / "records").is_dir()
    plan = run(["forward-plan", "content/examples/models", "--from", "2026-11-20", "--to", "2027-03-31",
                "--out", "plans"], examples).stdout
    assert re.search(rf"^wrote plans/.*forward-plan-{TODAY.isoformat()}\.csv$", plan, re.M), plan  # the run's day
    run(["forward-plan", "content/examples/models", "--today", "2026-11-23"], examples)
    backdated = run(["forward-plan", "content/examples/models", "--today", "2026-11-01"], examples, code=2)
    assert backdated.stderr.startswith("--today:1:1: 2026-11-01 is before today (2026-11-21)")
    # The notices of the private part: the 28-day one on its last day, then the 5-day one.
    late = run(["notices", meeting, "--notice", "28-day"], examples, code=2)
    assert "the 28-day notice was due by 16 November 2026" in late.stderr
    monkeypatch.setenv("REPORTGEN_TODAY", "2026-11-16")
    assert "private-meeting-notice-28-day.pdf" in run(["notices", meeting, "--notice", "28-day"], examples).stdout
    fifth = run(["notices", meeting, "--notice", "5-day", "--today", "2026-12-07", "--out", "notices"], examples)
    assert "private-meeting-notice-5-day.pdf" in fifth.stdout


def test_import_a_built_report_and_a_folder_of_them(examples: Path, tmp_path: Path) -> None:
    """`reportgen import` of a built DOCX (style guessed, then given), of a folder, and of a broken file."""
    run(["build", "content/examples/models/herefordshire-2026-12-library-opening-hours", "--out", "word"], examples)
    built = next((examples / "word").rglob("*.docx"))
    one = run(["import", str(built), "--out", "imported/guessed"], examples).stdout
    assert "style herefordshire" in one and "its author is the council (Herefordshire Council)" in one, one
    assert "16 of its section headings" in one, one
    run(["import", str(built), "--style", "herefordshire", "--out", "imported/given"], examples)
    run(["import", str(built), "--out", "imported/given"], examples, code=2)  # never overwrites a report
    checked = run(["check", "imported/given", "--today", "2026-12-01"], examples, code=None)
    assert "RG504" in checked.stdout  # the clearance table came in as reviewers, not as sign-offs
    run(["build", "imported/given", "--out", "rebuilt"], examples)
    (built.parent / "broken.docx").write_bytes(b"not a zip")
    batch = run(["import", str(built.parent), "--out", "imported/batch", "--quiet"], examples, code=2)
    assert re.search(r"^file +style +sections matched +left over$", batch.stdout, re.M), batch.stdout
    assert "broken.docx" in batch.stdout and "1 of 2 document(s) not imported" in batch.stderr
    bad = run(["import", str(built.parent / "broken.docx"), "--out", "imported/bad"], examples, code=2)
    assert bad.stderr.startswith(f"{built.parent / 'broken.docx'}:1:1: not a Word (.docx) file"), bad.stderr
    assert not (examples / "imported" / "bad").exists()


# --------------------------------------------------------------------------- the docs show nothing untested

def shown_in_docs() -> Iterator[tuple[str, str, str]]:
    """(file, command, option) for every `reportgen ...` the docs show in code, option "" for the command."""
    from reportgen.cli import main

    groups = {name for name, cmd in main.commands.items() if getattr(cmd, "commands", None)}
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        spans = re.findall(r"```.*?```", text, re.S) + re.findall(r"`([^`\n]+)`", text)
        for span in spans:
            for line in span.splitlines():
                for shown in re.findall(r"\breportgen ((?:[a-z-]+)(?: [a-z-]+)?[^|&#;]*)", line):
                    words = shown.split()
                    name = words[0]
                    if name not in main.commands:
                        continue
                    command = " ".join(words[:2]) if name in groups and len(words) > 1 else name
                    yield doc.name, command, ""
                    for option in re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", shown):
                        yield doc.name, command, option


def ran_options() -> set[tuple[str, str]]:
    from reportgen.cli import main

    groups = {name for name, cmd in main.commands.items() if getattr(cmd, "commands", None)}
    done = set()
    for args in RAN:
        words = [a for a in args if a not in ("-v", "--verbose")]
        if not words or words[0] not in main.commands:
            continue
        command = " ".join(words[:2]) if words[0] in groups and len(words) > 1 else words[0]
        done.add((command, ""))
        done.update((command, a) for a in words if re.fullmatch(r"--?[a-z][a-z-]*", a))
    return done


def test_the_docs_show_no_command_or_option_left_untested() -> None:
    """Runs last in this module: every command and option shown in README.md and docs/ was run above."""
    if len(RAN) < 40:
        pytest.fail("run the whole module: this test reads what the tests above ran")
    done = ran_options()
    missing = sorted({(doc, command, option) for doc, command, option in shown_in_docs()
                      if (command, option) not in done and option not in ("-h", "--help")})
    assert missing == [], "shown in the docs but never run in a fresh process: " + repr(missing)
