"""The architecture holds: layers and no cycles, one load and one layout per report, a wheel that works alone."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import sysconfig
import shutil
import tomllib
from pathlib import Path

import grimp
import pytest

from reportgen.content import load as load_module
from reportgen.layout import arrange as arrange_module
from reportgen.publish.run import publish

from .conftest import ROOT

MEETING = ROOT / "content" / "examples" / "meetings" / "2026-12-15-cabinet.yaml"


def test_the_layers_contract_is_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def test_no_module_imports_itself_back_through_others() -> None:
    graph = grimp.build_graph("reportgen", exclude_type_checking_imports=True)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            chain = graph.find_shortest_chain(importer=imported, imported=module)
            if chain:
                cycles.append(" -> ".join((module, *chain)))
    assert cycles == []


def test_every_package_is_in_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "reportgen").rglob("__init__.py")}
    assert found - set(config["packages"]) == set()
    assert config["package-dir"] == {"reportgen.styles": "templates", "reportgen.examples": "content/examples"}


def test_publish_loads_and_lays_out_each_report_once(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REPORTGEN_WORKERS", "1")  # counts are kept in this process, not in forked workers
    loads: list[Path] = []
    layouts: list[str] = []
    validate = load_module.validate_mapping
    resolve = arrange_module._Builder.resolve

    def counted_validate(model, data, pos, path, *args, **kwargs):  # type: ignore[no-untyped-def]
        loads.append(Path(path))
        return validate(model, data, pos, path, *args, **kwargs)

    def counted_resolve(self):  # type: ignore[no-untyped-def]
        layouts.append(self.report.title)
        return resolve(self)

    monkeypatch.setattr(load_module, "validate_mapping", counted_validate)
    monkeypatch.setattr(arrange_module._Builder, "resolve", counted_resolve)
    publish(MEETING, tmp_path / "out", today=dt.date(2026, 11, 21), accept_inaccessible="supplied minutes")
    reports = [p for p in loads if p.name == "report.yaml"]
    assert len(reports) == 2 and len(set(reports)) == 2
    assert sorted(layouts) == sorted(set(layouts)) and len(layouts) == 2


@pytest.mark.parametrize("command", ["check", "status", "status --html"])
def test_a_meeting_file_loads_each_report_once(command: str, monkeypatch, tmp_path: Path) -> None:
    """check and status of a meeting: the meeting and each report it names, each report loaded once."""
    from reportgen import pipeline

    monkeypatch.setenv("REPORTGEN_WORKERS", "1")
    loads: list[Path] = []
    validate = load_module.validate_mapping

    def counted_validate(model, data, pos, path, *args, **kwargs):  # type: ignore[no-untyped-def]
        loads.append(Path(path))
        return validate(model, data, pos, path, *args, **kwargs)

    monkeypatch.setattr(load_module, "validate_mapping", counted_validate)
    today = dt.date(2026, 12, 1)
    if command == "check":
        results = pipeline.check([MEETING], today)
        assert [r.path.name for r in results][0] == MEETING.name and len(results) == 3
    elif command == "status":
        rows = pipeline.status([MEETING], today)
        assert [r.kind for r in rows] == ["meeting", "report", "report"] and all(r.ready for r in rows)
    else:
        page, rows = pipeline.dashboard([MEETING], today)
        assert len(rows) == 3 and "Cabinet, 2026-12-15" in page
    reports = [p for p in loads if p.name == "report.yaml"]
    assert len(reports) == 2 and len(set(reports)) == 2


@pytest.mark.parametrize("args", [["build", "--out", "b"], ["check"], ["status"], ["style", "check", "oxfordshire"]])
def test_the_project_file_is_read_once_per_command(args: list[str], monkeypatch, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from reportgen.cli import main
    from reportgen.content import project as project_module

    shutil.copytree(ROOT / "content" / "examples" / "models" / "oxfordshire-2026-12-depot-land-disposal",
                    tmp_path / "content" / "depot")
    (tmp_path / "reportgen.yaml").write_text("rules: {RG203: 'off'}\n", encoding="utf-8")
    reads: list[Path] = []
    read = project_module.read_yaml

    def counted(path: Path):  # type: ignore[no-untyped-def]
        reads.append(path)
        return read(path)

    monkeypatch.setattr(project_module, "read_yaml", counted)  # whoever loads the project reads it here
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    assert reads == [tmp_path / "reportgen.yaml"]


def test_the_wheel_works_alone_outside_the_repository(tmp_path: Path) -> None:
    """pip install of the wheel, then init, build --pdf, check and publish, with no clone in sight."""
    dist = tmp_path / "dist"
    pip = [sys.executable, "-m", "pip"]
    subprocess.run([*pip, "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(dist), str(ROOT)], check=True,
                   capture_output=True, timeout=300)
    [wheel] = dist.glob("reportgen-*.whl")
    env_dir = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True, timeout=120)
    fresh = env_dir / "bin"
    subprocess.run([str(fresh / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    # The dependencies come from the test environment's site-packages (a plain path entry, so its
    # editable-install hooks are not run): reportgen itself can only come from the wheel.
    site = Path(subprocess.run([str(fresh / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    work = tmp_path / "council"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}

    def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([str(fresh / "reportgen"), *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"
        assert "Traceback" not in done.stderr
        return done

    where = subprocess.run([str(fresh / "python"), "-c", "import reportgen; print(reportgen.__file__)"],
                           capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    assert where.startswith(str(env_dir)), where
    run("init", str(work), "--style", "herefordshire", cwd=tmp_path)
    assert (work / "reportgen.yaml").is_file() and (work / ".vscode" / "settings.json").is_file()
    [report] = (work / "content" / "reports").iterdir()
    assert not (report / "signoff.yaml").exists()  # a sample is cleared by the council's own reviewers
    for role in ("Governance", "Finance", "Legal", "Equality"):  # the herefordshire style's required roles
        run("sign", str(report.relative_to(work)), "--role", role, "--name", f"A. {role} Officer",
            "--date", "2026-11-20", "--today", "2026-11-20", cwd=work)
    run("build", "--pdf", cwd=work)
    assert list((work / "build").rglob("*.pdf"))
    assert "0 errors" in run("check", cwd=work / "content").stdout  # the project is found from below
    [meeting] = (work / "content" / "meetings").glob("*.yaml")
    run("publish", str(meeting.relative_to(work)), "--today", "2026-11-21", cwd=work)
    assert (work / "build" / "publish" / meeting.stem / "public" / "agenda-pack.pdf").is_file()
    run("new", "content/reports/second", "--title", "A second report", cwd=work)  # the project's default style
    assert "style: herefordshire" in (work / "content" / "reports" / "second" / "report.yaml").read_text()
