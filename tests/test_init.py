"""`reportgen init` as a new user runs it: a git repository, and a sample that is ready once signed."""
from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reportgen.check.catalogue import catalogue
from reportgen.check.rules import signoffs
from reportgen.content.dates import clear_working_days, working_day
from reportgen.style.profile import TEMPLATES_DIR, load_profile

REPORTGEN = str(Path(sys.executable).parent / "reportgen")
STYLES = sorted(p.name for p in TEMPLATES_DIR.iterdir() if (p / "profile.yaml").is_file())
SIGNOFF_RULES = {r.id for r in catalogue().values() if r.run.__module__ == signoffs.__name__}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The user's environment, but with a home of their own: no git identity, no global or system config."""
    home = tmp_path / "home"
    home.mkdir()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "EMAIL"}
    return {**clean, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "GIT_CONFIG_NOSYSTEM": "1"}


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def reportgen(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run([REPORTGEN, *args], cwd, env)


def git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    done = run(["git", *args], cwd, env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def findings(project: Path, env: dict[str, str], *args: str) -> tuple[int, list[dict[str, str]]]:
    done = reportgen("check", "--format", "json", *args, cwd=project, env=env)
    return done.returncode, [f for r in json.loads(done.stdout)["reports"] for f in r["findings"]]


def printed_commands(output: str) -> list[list[str]]:
    """The commands init tells the user to run, as argument lists (`cd` lines left out: they run in the project)."""
    return [shlex.split(line) for line in output.splitlines() if line.startswith("  reportgen ")]


@pytest.mark.parametrize("style", STYLES)
def test_sample_is_ready_after_the_printed_sign_commands(style: str, tmp_path: Path, env: dict[str, str]) -> None:
    made_on = dt.date.fromisoformat(os.environ["REPORTGEN_TODAY"])  # the clock init dates the sample by
    done = reportgen("init", "papers", "--style", style, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    project = tmp_path / "papers"
    # Under version control from the start: one commit holding everything init wrote.
    assert (project / ".git").is_dir()
    assert git("rev-list", "--count", "HEAD", cwd=project, env=env) == "1"
    assert git("status", "--porcelain", cwd=project, env=env) == ""
    assert "build/" in (project / ".gitignore").read_text().splitlines()

    # The sample's dates are computed from the day of init: the deadlines are all still ahead.
    [report] = (project / "content" / "reports").iterdir()
    data = yaml.safe_load((report / "report.yaml").read_text(encoding="utf-8"))
    when = (data.get("meeting") or {}).get("date") or data["decision_date"]
    assert when > made_on and working_day(when)
    assert made_on <= data["publication_date"] and clear_working_days(data["publication_date"], when) >= 5
    [meeting] = (project / "content" / "meetings").glob("*.yaml")
    agenda = yaml.safe_load(meeting.read_text(encoding="utf-8"))
    assert (agenda["date"], agenda["publication_date"]) == (when, data["publication_date"])

    # Fresh, it fails on its sign-offs only: one missing per role the style requires.
    roles = load_profile(style).required_reviewers
    for today in ((), ("--today", made_on.isoformat())):
        code, found = findings(project, env, *today)
        assert code == 1
        assert {f["rule"] for f in found} <= SIGNOFF_RULES, found
        assert sorted(f["message"] for f in found) == sorted(f"no sign-off from {role}" for role in roles)

    commands = printed_commands(done.stdout)
    assert [c[:2] for c in commands] == [["reportgen", "sign"]] * len(roles) + [["reportgen", "check"]]
    assert {c[c.index("--role") + 1] for c in commands[:-1]} == set(roles)
    for command in commands[:-1]:
        signed = reportgen(*command[1:], cwd=project, env=env)
        assert signed.returncode == 0, signed.stderr
        assert "warning" not in signed.stderr  # nothing but the sign-offs was wrong
    assert reportgen(*commands[-1][1:], cwd=project, env=env).returncode == 0
    assert findings(project, env, "--today", made_on.isoformat()) == (0, [])
    assert reportgen("check", meeting.relative_to(project).as_posix(), cwd=project, env=env).returncode == 0


def test_first_commit_has_a_fallback_author_and_leaves_git_config_alone(tmp_path: Path,
                                                                        env: dict[str, str]) -> None:
    home = Path(env["HOME"])
    assert reportgen("init", "papers", cwd=tmp_path, env=env).returncode == 0
    author = git("log", "--format=%an <%ae>|%cn <%ce>", cwd=tmp_path / "papers", env=env)
    assert author.split("|") == ["reportgen init <reportgen-init@localhost.invalid>"] * 2
    # no ~/.gitconfig written (the user's cache may hold reportgen's tables: bank holidays, syllables)
    assert [p.name for p in home.iterdir() if p.name != ".cache"] == []
    assert "[user]" not in (tmp_path / "papers" / ".git" / "config").read_text()  # nor a repository identity


def test_first_commit_is_by_the_configured_user(tmp_path: Path, env: dict[str, str]) -> None:
    config = Path(env["HOME"]) / ".gitconfig"
    config.write_text("[user]\n\tname = Pat Clerk\n\temail = pat.clerk@council.example\n", encoding="utf-8")
    before = config.read_bytes()
    assert reportgen("init", "papers", cwd=tmp_path, env=env).returncode == 0
    author = git("log", "--format=%an <%ae>", cwd=tmp_path / "papers", env=env)
    assert author == "Pat Clerk <pat.clerk@council.example>"
    assert config.read_bytes() == before


def test_no_git_makes_no_repository(tmp_path: Path, env: dict[str, str]) -> None:
    done = reportgen("init", "papers", "--no-git", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "papers" / "reportgen.yaml").is_file()
    assert not (tmp_path / "papers" / ".git").exists()
    assert "--no-git" in done.stdout


def test_inside_a_git_work_tree_makes_no_nested_repository(tmp_path: Path, env: dict[str, str]) -> None:
    outer = tmp_path / "council"
    outer.mkdir()
    git("init", "--quiet", cwd=outer, env=env)
    done = reportgen("init", "papers", cwd=outer, env=env)
    assert done.returncode == 0, done.stderr
    assert (outer / "papers" / "reportgen.yaml").is_file()
    assert not (outer / "papers" / ".git").exists()
    assert f"inside the git work tree {outer.resolve()}" in done.stdout
    # Nothing was committed to the user's own repository either: the new files are left for them to add.
    assert run(["git", "rev-parse", "--verify", "HEAD"], outer, env).returncode != 0
    assert "?? papers/" in git("status", "--porcelain", cwd=outer, env=env)


def test_without_git_installed_says_so_and_carries_on(tmp_path: Path, env: dict[str, str]) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    done = reportgen("init", "papers", cwd=tmp_path, env={**env, "PATH": str(empty)})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "papers" / "reportgen.yaml").is_file() and not (tmp_path / "papers" / ".git").exists()
    assert [line for line in done.stdout.splitlines() if line.startswith("git")] == [
        "git is not installed: the project is not under version control (install git, then run `git init` in it)"]


def test_a_failing_commit_is_one_line_not_a_traceback(tmp_path: Path, env: dict[str, str]) -> None:
    # The user's own config asks for signed commits with a signing program that always fails.
    (Path(env["HOME"]) / ".gitconfig").write_text("[commit]\n\tgpgsign = true\n[gpg]\n\tprogram = false\n",
                                                  encoding="utf-8")
    done = reportgen("init", "papers", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "papers" / "content" / "meetings").is_dir()
    [line] = [line for line in done.stdout.splitlines() if line.startswith("git ")]
    assert line.startswith("git commit failed (") and line.endswith("commit the files yourself")
