"""Commands timed as users run them: each a fresh `reportgen` process, Python start-up and imports included.

Targets (issue 26), on a 2-core machine: `check` or `status` of one report 0.3 s or less, `check` of a
30-report meeting 0.6 s or less, `build` of one report to DOCX 0.3 s or less. Each command is timed
(best and median of `--runs` fresh processes, after one untimed run that fills the disk cache and the
user's syllable table) as a user's `reportgen` runs it, both ways: warm, the warm reportgen's preloader
(reportgen.preload) running, as for a user's second command (the client hands it the command, and a
forked child of it runs it); and cold, with --no-server (the client runs the command in its own
process: Python's start-up and every import paid). Beside them, the same command run in this process
after a warm-up, which is what is left once start-up and imports are paid. The `reportgen` run is a
copy of the console script in the bench's folder, so that the client sees a plain `python SCRIPT` (as
the installed script is) with this tree's code first on the path; the preloader runs in a private
folder of the bench (XDG_RUNTIME_DIR) and is stopped at the end.

Each process imports reportgen from compiled bytecode, as an installed reportgen does (pip compiles it on
install; a checkout writes __pycache__ on its first run): the bench keeps that bytecode in a folder of its
own (PYTHONPYCACHEPREFIX), filled by the untimed first run, even where PYTHONDONTWRITEBYTECODE is set,
which would otherwise add compiling every module of reportgen (about 40 ms) to every run.

`--against REV` times the same commands with reportgen as it was at git revision REV (a temporary
worktree, its code first on the path; cold, `reportgen.cli.main` run directly, as that revision's
console script did), alternating the sides so that a busy moment favours none; with the PDF part, also
the cold publish below, each tree in turn, with reportgen's own CPU in each.

PDF commands (skipped with --no-pdf; this tree only), each a fresh process, best / median of --runs and its
CPU time, with the project's LibreOffice server (reportgen.pdf.server) and the warm reportgen running
and, beside it, without either (--no-server):
`build --pdf` of one report (target 1.0 s), republish of the 30-report meeting after one report changed,
draft and not (1.5 s), and with nothing changed (0.3 s); then a cold publish (fresh cache, fresh
LibreOffice profile, --no-server) against one `soffice --convert-to pdf` process converting the same
30 DOCX from a fresh profile (the LibreOffice floor; the ratio), and reportgen's own CPU in that cold
publish per ten-page report (target 40 ms): getrusage of the command and its children, less what its
LibreOffice workers (bridge and soffice, reaped as the pool closes) used. The server runs in a private
folder of the bench (XDG_RUNTIME_DIR) and is stopped at the end.

    .venv/bin/python bench/bench_commands.py [--runs 5] [--against 435e819] [--no-pdf]
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_publish import (  # noqa: E402
    TODAY as MEETING_TODAY, change_one_sentence, make_meeting, sign_again, simulate_today)
# (the same 30-report meeting the publish bench makes, ready to publish: every report signed)

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "content" / "examples" / "models" / "east-herts-2026-12-council-tax-support"
TODAY = "2026-11-21"
# What the `reportgen` console script ran before the warm reportgen (and an older tree's still runs).
ENTRY = "import sys; from reportgen.cli import main; sys.exit(main())"
# What it runs now (pyproject's [project.scripts]), written to a file: the client goes warm only for a
# plain `python SCRIPT ARGS` (no -c, no interpreter options).
SCRIPT = "import sys\nfrom reportgen.client import run\nsys.exit(run())\n"
# The same, also writing to $BENCH_RUSAGE the CPU seconds of the process itself, of its children (waited
# for), and of its LibreOffice workers: the children's CPU reaped while the pool's workers quit, the
# only moments a bridge and its soffice are waited for (overlapping quits counted once).
ENTRY_RUSAGE = """
import atexit, json, os, resource, sys, threading
from reportgen.pdf import pool
state = {"office": 0.0, "active": 0, "since": 0.0}
lock = threading.Lock()
def children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
def counted(method):
    def wrapper(self, *args):
        with lock:
            state["active"] += 1
            if state["active"] == 1:
                state["since"] = children()
        try:
            return method(self, *args)
        finally:
            with lock:
                state["active"] -= 1
                if state["active"] == 0:
                    state["office"] += children() - state["since"]
    return wrapper
pool._Worker._quit = counted(pool._Worker._quit)
def report():
    me = resource.getrusage(resource.RUSAGE_SELF)
    with open(os.environ["BENCH_RUSAGE"], "w") as out:
        json.dump({"self": me.ru_utime + me.ru_stime, "children": children(), "office": state["office"]}, out)
atexit.register(report)
from reportgen.cli import main
sys.exit(main())
"""


def commands(meeting: Path, out: Path) -> list[tuple[str, float, list[str]]]:
    """(name, target in seconds, arguments) of each timed command."""
    return [
        ("check, one report", 0.3, ["check", str(REPORT), "--today", TODAY]),
        ("status, one report", 0.3, ["status", str(REPORT), "--today", TODAY]),
        ("check, 30-report meeting", 0.6, ["check", str(meeting), "--today", TODAY]),
        ("build, one report to DOCX", 0.3, ["build", str(REPORT), "--out", str(out), "--quiet"]),
    ]


def as_process(tree: Path, args: list[str], env: dict[str, str] | None = None,
               entry: str | Path = ENTRY, ok: tuple[int, ...] = (0, 1)) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one fresh process: on a shared machine the wall clock
    also counts waiting for a core, the CPU time does not. (A warm server's CPU is not the command's, nor
    is the preloader's child's: the client's CPU is what a warm command costs the user's process.)
    `entry`: code for -c, or the console script's file."""
    env = {**os.environ, **(env or {}), "PYTHONPATH": str(tree)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    argv = [sys.executable, str(entry)] if isinstance(entry, Path) else [sys.executable, "-c", entry]
    done = subprocess.run([*argv, *args], cwd=tree, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in ok:  # 1: findings (the generated meeting's reports are not all ready)
        raise SystemExit(f"reportgen {' '.join(args)} failed in {tree} ({done.returncode}):\n{done.stderr}")
    return seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def in_process(args: list[str]) -> float:
    from reportgen.cli import main

    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            main(args)
        except SystemExit as exit:
            if exit.code not in (0, 1, None):
                raise
    return time.perf_counter() - start


@dataclass
class Side:
    """One way of running the commands: which tree, through which entry, with which extra arguments."""

    tree: Path
    entry: str | Path
    extra: tuple[str, ...] = ()
    env: dict[str, str] | None = None


def start_preloader(script: Path, env: dict[str, str], folder: Path) -> None:
    """A first (cold) command starts the warm reportgen in the background; wait until it listens."""
    as_process(ROOT, ["check", str(REPORT), "--today", TODAY], env, script)
    deadline = time.monotonic() + 60
    while not list(folder.glob("reportgen/warm-*.sock")):
        if time.monotonic() > deadline:
            raise SystemExit(f"no warm reportgen started in {folder}")
        time.sleep(0.05)


def served(script: Path, env: dict[str, str]) -> str:
    """What `reportgen server status` says of the warm reportgen."""
    done = subprocess.run([sys.executable, str(script), "server", "status"], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, **env, "PYTHONPATH": str(ROOT)})
    return next((line for line in done.stdout.splitlines() if "warm reportgen" in line), done.stdout.strip())


def main() -> None:
    simulate_today()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", metavar="REV", help="also time reportgen at this git revision")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF commands (LibreOffice, the server)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reportgen-commands-bench-"))
    # The publication history the bench's publishes write goes with its other output, not into the
    # folder it is run from.
    os.environ["REPORTGEN_HISTORY"] = str(work / "publications.json")
    # Bytecode as an installed reportgen has it, kept out of the trees (see the docstring).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    os.environ.pop("REPORTGEN_NO_SERVER", None)  # the warm side uses the warm reportgen; the cold says --no-server
    script = work / "reportgen"
    script.write_text(SCRIPT, encoding="utf-8")
    run_dir = work / "warm-run"
    run_dir.mkdir(mode=0o700)
    warm_env = {"XDG_RUNTIME_DIR": str(run_dir), "REPORTGEN_SERVER_IDLE": "600"}
    sides = {"warm": Side(ROOT, script, (), warm_env), "cold (--no-server)": Side(ROOT, script, ("--no-server",), warm_env)}
    try:
        if args.against:
            sides[f"at {args.against}"] = Side(work / f"rev-{args.against}", ENTRY)
            subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(sides[f"at {args.against}"].tree),
                            args.against], check=True, cwd=ROOT)
        meeting = make_meeting(work / "content", 30, 42)
        start_preloader(script, warm_env, run_dir)
        rows = []
        for name, target, argv in commands(meeting, work / "out"):
            times: dict[str, list[tuple[float, float]]] = {side: [] for side in sides}
            # Each tree checks its own copy of the example report (the content moves with the code); a
            # command an older tree cannot run on this content (the generated meeting) is left out for it.
            own = {name: [*(str(side.tree / REPORT.relative_to(ROOT)) if a == str(REPORT) else a for a in argv),
                          *side.extra] for name, side in sides.items()}
            for label, side in list(sides.items()):
                try:  # untimed: disk cache, and the syllable table on a first run
                    as_process(side.tree, own[label], side.env, side.entry)
                except SystemExit:
                    if side.tree == ROOT:
                        raise
                    times.pop(label)
            for _ in range(args.runs):
                for label, side in sides.items():
                    if label in times:
                        times[label].append(as_process(side.tree, own[label], side.env, side.entry))
            in_process(argv)  # warm-up: imports, rules, styles, dictionaries
            warm = min(in_process(argv) for _ in range(args.runs))
            rows.append((name, target, times, warm))
        print(f"Each command as a fresh `reportgen` process: wall-clock best / median of {args.runs}, and the best "
              f"CPU time of that process; in process: best after a warm-up (load average {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} cores)")
        header = f"{'command':27s} {'target':>7s}" + "".join(f" {side + ' best/median (cpu)':>31s}" for side in sides)
        print(header + f" {'in process':>11s}  verdict (warm; cold)")
        for name, target, times, warm in rows:
            cells = "".join(f" {min(w for w, _ in times[side]):9.2f} s /{statistics.median(w for w, _ in times[side]):5.2f} s "
                            f"({min(c for _, c in times[side]):4.2f} s)" if side in times
                            else f" {'cannot read this content':>31s}" for side in sides)
            verdicts = "; ".join("met" if min(w for w, _ in times[side]) <= target else "NOT met"
                                 for side in ("warm", "cold (--no-server)"))
            print(f"{name:27s} {target:5.1f} s{cells} {warm:9.3f} s  {verdicts}")
        print(served(script, warm_env))
        if not args.no_pdf:
            pdf_commands(work, args.runs, script)
            if args.against:
                cold_against(work, {"this tree": ROOT, f"at {args.against}": sides[f"at {args.against}"].tree},
                             meeting, args.runs)
    finally:
        subprocess.run([sys.executable, str(script), "server", "stop"], cwd=ROOT, capture_output=True,
                       env={**os.environ, **warm_env, "PYTHONPATH": str(ROOT)})
        for side in sides.values():
            if side.tree != ROOT:
                subprocess.run(["git", "worktree", "remove", "--force", str(side.tree)], check=False, cwd=ROOT)
        shutil.rmtree(work, ignore_errors=True)


def _cell(times: list[tuple[float, float]]) -> str:
    return (f"{min(w for w, _ in times):6.2f} s /{statistics.median(w for w, _ in times):5.2f} s "
            f"(cpu {min(c for _, c in times):4.2f} s)")


def _row(name: str, target: float | None, warm: list[tuple[float, float]], cold: list[tuple[float, float]] | None,
         rows: list[str]) -> None:
    best = min(w for w, _ in warm)
    verdict = "" if target is None else ("met" if best <= target else "NOT met")
    beside = _cell(cold) if cold else ""
    rows.append(f"{name:44s} {'' if target is None else f'{target:4.1f} s':>6s} {_cell(warm):>34s} {beside:>34s}  {verdict}")


def pdf_commands(work: Path, runs: int, script: Path) -> None:
    """The PDF figures of issue 26, every command a fresh `reportgen` process of this tree (`script`): with
    the LibreOffice server and the warm reportgen running, and with --no-server."""
    runs = max(1, min(runs, 3))  # each PDF run takes seconds: three give a best and a median
    run_dir = work / "run"
    run_dir.mkdir(mode=0o700)
    server = {"XDG_RUNTIME_DIR": str(run_dir), "REPORTGEN_SERVER_IDLE": "600"}
    os.environ.pop("REPORTGEN_NO_SERVER", None)  # the server side uses the server; the other says --no-server
    rows: list[str] = []
    content = work / "pdf-content"
    meeting = make_meeting(content, 30, 42, name="2026-12-15-pdf")
    folder = content / "2026-12-15-pdf"
    today = ["--today", MEETING_TODAY.isoformat()]
    try:
        # build --pdf of one report, the server warm (started by an untimed first run), and without it.
        build = ["build", str(REPORT), "--out", str(work / "pdf-out"), "--pdf", "--quiet"]
        as_process(ROOT, build, server, script, ok=(0,))  # starts the LibreOffice server and the warm reportgen
        start_preloader(script, server, run_dir)
        as_process(ROOT, build, server, script, ok=(0,))
        warm = [as_process(ROOT, build, server, script, ok=(0,)) for _ in range(runs)]
        cold = [as_process(ROOT, [*build, "--no-server"], None, script, ok=(0,)) for _ in range(runs)]
        _row("build --pdf, one report", 1.0, warm, cold, rows)

        # Cold publish (fresh cache and profile, LibreOffice started by the command) against one soffice
        # process converting the same DOCX from a fresh profile; reportgen's own CPU from getrusage.
        rusage = work / "rusage.json"
        cold_out = work / "pdf-cold"
        publish_cold = ["publish", str(meeting), "--out", str(cold_out), *today, "--quiet", "--no-server"]
        cold_publish = as_process(ROOT, publish_cold, {"BENCH_RUSAGE": str(rusage)}, ENTRY_RUSAGE, ok=(0,))
        used = json.loads(rusage.read_text())
        own = used["self"] + used["children"] - used["office"]
        floor, floor_cpu = soffice_floor(work, cold_out)
        pages = _pages(cold_out)

        # Republish as a command, the server warm: nothing changed; one report changed (signed again), final and draft.
        outs = {"final": work / "pdf-final", "draft": work / "pdf-draft"}
        for kind, out in outs.items():
            as_process(ROOT, ["publish", str(meeting), "--out", str(out), *today, "--quiet",
                              *(["--draft"] if kind == "draft" else [])], server, script, ok=(0,))  # untimed: fills the cache
        changed: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for n in range(runs):  # each publish sees exactly one report changed since its own last publish
            for side, env in (("warm", server), ("cold", None)):
                report = folder / f"report-{(2 * n + (side == 'cold')) % 30 + 1:04d}"
                change_one_sentence(report)
                sign_again(report)  # its reviewers clear the change, or the final publish is refused
                for kind, out in outs.items():
                    argv = ["publish", str(meeting), "--out", str(out), *today, "--quiet",
                            *(["--draft"] if kind == "draft" else []), *([] if env else ["--no-server"])]
                    changed.setdefault((kind, side), []).append(as_process(ROOT, argv, env, script, ok=(0,)))
        for kind in outs:
            _row(f"republish, one report changed, {kind}", 1.5, changed[kind, "warm"], changed[kind, "cold"], rows)
        unchanged = [as_process(ROOT, ["publish", str(meeting), "--out", str(outs["final"]), *today, "--quiet"], server,
                                script, ok=(0,)) for _ in range(runs)]
        _row("republish, nothing changed", 0.3, unchanged, None, rows)
        _row("publish, cold (fresh cache), --no-server", None, [cold_publish], None, rows)
    finally:
        print(served(script, server))
        subprocess.run([sys.executable, str(script), "server", "stop"], cwd=ROOT, capture_output=True,
                       env={**os.environ, **server, "PYTHONPATH": str(ROOT)})
    print()
    print(f"PDF commands, each a fresh process: wall best / median of {runs} (best CPU of the command itself; a warm "
          f"server's work is not in it); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'command':44s} {'target':>6s} {'servers warm':>34s} {'--no-server':>34s}  verdict")
    for row in rows:
        print(row)
    wall, cpu = cold_publish
    print(f"cold publish of the 30-report meeting as a command: {wall:.2f} s (cpu {cpu:.2f} s, command and children); "
          f"one soffice process converting the same 30 DOCX from a fresh profile, the LibreOffice floor: {floor:.2f} s "
          f"(cpu {floor_cpu:.2f} s); publish / soffice = {wall / floor:.2f} (target <= 1.0: "
          f"{'met' if wall <= floor else 'NOT met'})")
    per_report = own / 30 * 1000
    print(f"reportgen's own CPU in that cold publish: {own:.2f} s ({used['self']:.2f} s in the command, "
          f"{used['children'] - used['office']:.2f} s in its other children; LibreOffice {used['office']:.2f} s left out), "
          f"{per_report:.0f} ms per report of {pages:.1f} pages (target <= 40 ms per ten-page report: "
          f"{'met' if per_report * 10 / pages <= 40 else 'NOT met'})")


def cold_against(work: Path, trees: dict[str, Path], meeting: Path, runs: int) -> None:
    """The cold publish of the 30-report meeting (fresh cache and LibreOffice profile, --no-server), each tree
    in turn, `runs` times (the order swapped every run, so that a busy moment favours neither): wall clock,
    and reportgen's own CPU as pdf_commands counts it (the command and its children, less LibreOffice)."""
    found: dict[str, list[tuple[float, float]]] = {side: [] for side in trees}
    rusage = work / "rusage-against.json"
    for n in range(runs):
        for side, tree in (list(trees.items()) if n % 2 == 0 else list(reversed(trees.items()))):
            if side not in found:
                continue
            out = work / "cold-against"
            args = ["publish", str(meeting), "--out", str(out), "--today", MEETING_TODAY.isoformat(), "--quiet",
                    "--no-server"]
            env = {"BENCH_RUSAGE": str(rusage), "REPORTGEN_HISTORY": str(work / f"history-against-{n}.json")}
            try:
                wall, _ = as_process(tree, args, env, ENTRY_RUSAGE, ok=(0,))
            except SystemExit:
                if tree == ROOT:
                    raise
                found.pop(side)  # an older tree that cannot publish this content
                continue
            finally:
                shutil.rmtree(out, ignore_errors=True)
                (work / f"history-against-{n}.json").unlink(missing_ok=True)
            used = json.loads(rusage.read_text())
            found[side].append((wall, used["self"] + used["children"] - used["office"]))
    print(f"cold publish of the 30-report meeting as a command, each tree in turn, {runs} runs (load average "
          f"{os.getloadavg()[0]:.1f}): wall best / median, reportgen's own CPU best / median")
    for side in trees:
        if side not in found:
            print(f"  {side:20s} cannot publish this content")
            continue
        walls, cpus = [w for w, _ in found[side]], [c for _, c in found[side]]
        print(f"  {side:20s} {min(walls):5.2f} s / {statistics.median(walls):5.2f} s; own CPU {min(cpus):4.2f} s / "
              f"{statistics.median(cpus):4.2f} s ({statistics.median(cpus) / 30 * 1000:.0f} ms per report)")


def soffice_floor(work: Path, published: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `soffice --convert-to pdf` converting the 30 report DOCX the cold publish made
    (from its cache), from a fresh profile as the cold publish started from: LibreOffice alone, no finishing."""
    from reportgen.cache import Cache
    from reportgen.pdf.libreoffice import EXPORT_FILTER, filter_json, soffice_path

    cache = Cache(published / ".cache")
    home = work / "soffice"
    (home / "in").mkdir(parents=True)
    sources = []
    for n, entry in enumerate(sorted((published / ".cache" / "docx").glob("*/*"))):
        data = cache.get("docx", entry.name)
        assert data is not None, entry
        sources.append(home / "in" / f"{n:05d}.docx")
        sources[-1].write_bytes(data)
    if len(sources) != 30:
        raise SystemExit(f"expected the 30 reports' DOCX in the publish cache, found {len(sources)}")
    cmd = [soffice_path(), "--headless", "--norestore", "--nolockcheck",
           f"-env:UserInstallation={(home / 'profile').as_uri()}", "--convert-to",
           f"pdf:writer_pdf_Export:{filter_json(EXPORT_FILTER)}", "--outdir", str(home / "out"), *map(str, sources)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True, stdin=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    made = len(list((home / "out").glob("*.pdf")))
    if made != len(sources) or made == 0:
        raise SystemExit(f"soffice converted {made} of {len(sources)} DOCX")
    return seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def _pages(published: Path) -> float:
    manifest = json.loads(next(published.rglob("public/manifest.json")).read_text(encoding="utf-8"))
    reports = [d for d in manifest["documents"] if d["kind"] == "report"]
    return sum(d["pages"] for d in reports) / len(reports)


if __name__ == "__main__":
    main()
