"""What a command imports, as users run it (a fresh process): nothing it does not use (issue 26).

A command's start-up is mostly imports, and each library a command loads without using it costs every
run: python-docx, docxtpl and jinja2 belong to the commands that write DOCX, pikepdf and pypdf to the
ones that make PDFs, the HTML writer to --html. Not a timed test: these guard the imports themselves.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

REPORT = ROOT / "content" / "examples" / "models" / "east-herts-2026-12-council-tax-support"
# `reportgen ARGS`, then the names of the watched modules it imported, printed last.
RUN_AND_LIST = """
import atexit, sys
from reportgen.cli import main
WATCHED = sys.argv.pop(1).split(",")
atexit.register(lambda: print("imported:", ",".join(sorted(m for m in WATCHED if m in sys.modules))))
main()
"""
LIBRARIES = ["docx", "docxtpl", "jinja2", "pikepdf", "pypdf", "multiprocessing"]
# Modules imported where they are used: difflib suggests a name for a typo, ctypes swaps folders, the
# signers register (and pydantic's RootModel, whose validator it builds) is read, and signatures verified
# (ssh-keygen, through subprocess), only in a project that lists signers.
ON_DEMAND = ["difflib", "ctypes", "reportgen.content.signers", "pydantic.root_model", "reportgen.content.sshsig",
             "subprocess"]
STAGES = ["reportgen.docx.render", "reportgen.html.report", "reportgen.pdf", "reportgen.publish"]


def imported(tmp_path: Path, watched: list[str], *args: str) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTGEN")}
    done = subprocess.run([sys.executable, "-c", RUN_AND_LIST, ",".join(watched), *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    last = done.stdout.splitlines()[-1]
    assert last.startswith("imported:"), done.stdout
    return {name for name in last.removeprefix("imported:").strip().split(",") if name}


@pytest.mark.parametrize("command", ["check", "status"])
def test_checking_one_report_loads_no_writer(tmp_path: Path, command: str) -> None:
    found = imported(tmp_path, [*LIBRARIES, *ON_DEMAND, *STAGES, "reportgen.content.model", "reportgen.content.meeting",
                                "reportgen.content.project"], command, str(REPORT), "--today", "2026-11-21")
    # the report's model; no meeting model, no project model outside a project, no DOCX, PDF or web writer
    assert found == {"reportgen.content.model"}


def test_building_docx_loads_no_pdf_or_web_writer(tmp_path: Path) -> None:
    # (nor the rule registry: build checks nothing)
    found = imported(tmp_path, [*LIBRARIES, *ON_DEMAND, *STAGES, "reportgen.check.registry"], "build", str(REPORT),
                     "--out", str(tmp_path / "out"), "--quiet")
    assert found == {"docx", "docxtpl", "jinja2", "reportgen.docx.render"}
    assert (tmp_path / "out" / f"{REPORT.name}.docx").is_file()


def test_building_with_html_loads_the_web_writer(tmp_path: Path) -> None:
    found = imported(tmp_path, ["reportgen.html.report", "pikepdf"], "build", str(REPORT), "--out",
                     str(tmp_path / "out"), "--quiet", "--html")
    assert found == {"reportgen.html.report"}


def test_a_command_collects_garbage_less_often(tmp_path: Path) -> None:
    """The collector's first threshold, raised for the command (Python's default, 700, scans the objects
    a command's imports make again and again)."""
    from reportgen.cli import GC_THRESHOLD

    script = "import atexit, gc; atexit.register(lambda: print('threshold:', gc.get_threshold()[0]))\n" + RUN_AND_LIST
    done = subprocess.run([sys.executable, "-c", script, "", "status", str(REPORT), "--today", "2026-11-21"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    assert f"threshold: {GC_THRESHOLD}" in done.stdout.splitlines()
    assert GC_THRESHOLD > 700


def test_a_command_leaves_its_objects_out_of_the_collections_at_exit(tmp_path: Path) -> None:
    """Python's finalization scans every object a command made, more than once, as the process ends: the
    command freezes them at exit, after it has done its work and before the atexit handlers registered
    before it (here the test's own, which still runs)."""
    script = "import atexit, gc; atexit.register(lambda: print('frozen:', gc.get_freeze_count()))\n" + RUN_AND_LIST
    done = subprocess.run([sys.executable, "-c", script, "", "check", str(REPORT), "--today", "2026-11-21"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    assert "1 report: 1 ready" in done.stdout
    frozen = [int(line.split()[1]) for line in done.stdout.splitlines() if line.startswith("frozen:")]
    assert frozen and frozen[0] > 10_000, done.stdout


def test_a_command_run_in_process_keeps_collecting() -> None:
    """Only at exit: a program that calls `main` (a test, a preloader) still collects its garbage."""
    import gc

    from reportgen.cli import main

    try:
        main(["check", str(REPORT), "--today", "2026-11-21"], standalone_mode=False)
    except SystemExit:
        pass
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("own", [None, "logfire"])
def test_a_command_does_not_look_for_pydantic_plugins(tmp_path: Path, own: str | None) -> None:
    """pydantic scans every installed distribution's entry points for plugins on the first validator it builds,
    unless PYDANTIC_DISABLE_PLUGINS says not to: a command says so, unless the user set it."""
    script = ("import atexit, os, sys\n"
              "atexit.register(lambda: print('plugins:', os.environ.get('PYDANTIC_DISABLE_PLUGINS'),\n"
              "    sys.modules['pydantic.plugin._loader']._plugins))\n" + RUN_AND_LIST)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REPORTGEN", "PYDANTIC"))}
    if own:
        env["PYDANTIC_DISABLE_PLUGINS"] = own
    done = subprocess.run([sys.executable, "-c", script, "", "check", str(REPORT), "--today", "2026-11-21"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode in (0, 1), done.stderr
    # _plugins stays None when the entry points were never read; the user's own setting is kept
    expected = "plugins: __all__ None" if own is None else f"plugins: {own} {{}}"
    assert expected in done.stdout.splitlines(), done.stdout


def pydantic_models() -> list[type]:
    """Every pydantic model reportgen defines (the modules that define them)."""
    import importlib

    from pydantic import BaseModel

    names = ["content.model", "content.meeting", "content.signoff", "content.signers", "content.history",
             "content.decisions", "content.project", "style.profile"]
    modules = [importlib.import_module(f"reportgen.{name}") for name in names]
    return [value for module in modules for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__]


def test_no_field_defaults_through_a_builtin_or_a_model_class() -> None:
    """pydantic reads each default factory's signature when it builds a validator: a builtin's (list,
    dict) is parsed from text through tokenize, a model class's is generated; empty_list, empty_dict or
    a lambda is read in microseconds. (Building a report's validator cost about 10 ms more.)"""
    import inspect

    models = pydantic_models()
    assert len(models) > 30
    slow = [f"{model.__name__}.{name}" for model in models for name, info in model.model_fields.items()
            if info.default_factory is not None
            and (inspect.isbuiltin(info.default_factory) or isinstance(info.default_factory, type))]
    assert not slow, slow


def test_model_fields_are_annotated_with_objects_not_text() -> None:
    """A field annotated with text (`from __future__ import annotations`) is compiled and evaluated by pydantic
    as its class is made, on every command's start-up; an annotation written as an object is read as it is."""
    models = pydantic_models()
    assert len(models) > 30
    text = [f"{model.__name__}.{name}" for model in models for name, annotation in vars(model).get(
        "__annotations__", {}).items() if isinstance(annotation, str)]
    assert not text, text


def test_patterns_only_some_reports_reach_are_compiled_on_first_use(tmp_path: Path) -> None:
    """Checking a report without template guidance, unknown words, unpublishable words or a character above
    U+FFFF compiles none of the patterns only such a report needs (compiling them cost about 2% of the command)."""
    lazy = {"reportgen.check.rules.completeness": ["instruction", "quoted_title"],
            "reportgen.check.rules.spelling": ["reading"], "reportgen.check.rules.law": ["_sentence_patterns"],
            "reportgen.content.yamlio": ["_bad_char"]}
    script = ("import atexit, importlib, sys\n"
              f"LAZY = {lazy!r}\n"
              "atexit.register(lambda: print('compiled:', sorted(f'{m}.{f}' for m, fs in LAZY.items() for f in fs\n"
              "    if getattr(importlib.import_module(m), f).cache_info().currsize)))\n" + RUN_AND_LIST)
    done = subprocess.run([sys.executable, "-c", script, "", "check", str(REPORT), "--today", "2026-11-21"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    assert "compiled: []" in done.stdout.splitlines()


def test_a_lazy_pattern_is_compiled_for_the_text_that_needs_it() -> None:
    from reportgen.check.rules.completeness import instruction
    from reportgen.content.yamlio import bad_character

    assert instruction().search("Please insert the figures here.")
    found = bad_character("a plane \U0001F6E9 and a noncharacter \U0001FFFE")
    assert found is not None and found.group(0) == "\U0001FFFE"


def test_a_report_not_yet_signed_builds_no_sign_off_validator(tmp_path: Path) -> None:
    unsigned = ROOT / "tests" / "fixtures" / "unknown-label"
    assert not (unsigned / "signoff.yaml").exists()
    script = ("import atexit, sys\n"
              "atexit.register(lambda: print('built:', sys.modules['reportgen.content.signoff']._records.cache_info().currsize))\n"
              + RUN_AND_LIST)
    runs = {folder.name: subprocess.run([sys.executable, "-c", script, "", "check", str(folder), "--today", "2026-11-21"],
                                        cwd=tmp_path, capture_output=True, text=True, timeout=120)
            for folder in (unsigned, REPORT)}
    assert all("Traceback" not in done.stderr for done in runs.values())
    assert "built: 0" in runs[unsigned.name].stdout.splitlines()
    assert "built: 1" in runs[REPORT.name].stdout.splitlines()  # the signed one reads its records


def test_the_console_script_imports_almost_nothing_before_it_hands_a_command_over() -> None:
    """The `reportgen` console script (reportgen.client) is all a warm command's own process runs: beyond
    what Python has loaded at start-up, it imports reportgen's package, the client, what it shares with
    the preloader, and two C modules; not click, typing, hashlib, subprocess, socket or json."""
    probe = ("import sys; before = set(sys.modules); import reportgen.client; "
             "print(','.join(sorted(set(sys.modules) - before)))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().split(",") == ["_socket", "reportgen", "reportgen.client", "reportgen.warm", "zlib"]
