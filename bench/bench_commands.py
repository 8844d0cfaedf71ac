"""Commands timed as users run them: each a fresh `reportgen` process, Python start-up and imports included.

Targets (issue 26), on a 2-core machine: `check` or `status` of one report 0.3 s or less, `check` of a
30-report meeting 0.6 s or less, `build` of one report to DOCX 0.3 s or less. Beside each command's time
(best and median of `--runs` fresh processes, after one untimed run that fills the disk cache and the
user's syllable table) the same command run in this process after a warm-up, which is what is left
once start-up and imports are paid: the difference is what a fresh process costs.

`--against REV` times the same commands with reportgen as it was at git revision REV (a temporary
worktree, its code first on the path), alternating the two so that a busy moment favours neither.

    .venv/bin/python bench/bench_commands.py [--runs 5] [--against 435e819]
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_publish import make_meeting  # noqa: E402  (the same 30-report meeting the publish bench makes)

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "content" / "examples" / "models" / "east-herts-2026-12-council-tax-support"
TODAY = "2026-11-21"
# What the `reportgen` console script runs, with the code of the tree first on the path.
ENTRY = "import sys; from reportgen.cli import main; sys.exit(main())"


def commands(meeting: Path, out: Path) -> list[tuple[str, float, list[str]]]:
    """(name, target in seconds, arguments) of each timed command."""
    return [
        ("check, one report", 0.3, ["check", str(REPORT), "--today", TODAY]),
        ("status, one report", 0.3, ["status", str(REPORT), "--today", TODAY]),
        ("check, 30-report meeting", 0.6, ["check", str(meeting), "--today", TODAY]),
        ("build, one report to DOCX", 0.3, ["build", str(REPORT), "--out", str(out), "--quiet"]),
    ]


def as_process(tree: Path, args: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one fresh process: on a shared machine the wall clock
    also counts waiting for a core, the CPU time does not."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", ENTRY, *args], cwd=tree, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: findings (the generated meeting's reports are not all ready)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", metavar="REV", help="also time reportgen at this git revision")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reportgen-commands-bench-"))
    trees = {"this tree": ROOT}
    try:
        if args.against:
            trees[f"at {args.against}"] = work / f"rev-{args.against}"
            subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(trees[f"at {args.against}"]),
                            args.against], check=True, cwd=ROOT)
        meeting = make_meeting(work / "content", 30, 42)
        rows = []
        for name, target, argv in commands(meeting, work / "out"):
            times: dict[str, list[tuple[float, float]]] = {side: [] for side in trees}
            for tree in trees.values():
                as_process(tree, argv)  # untimed: disk cache, and the syllable table on a first run
            for _ in range(args.runs):
                for side, tree in trees.items():
                    times[side].append(as_process(tree, argv))
            in_process(argv)  # warm-up: imports, rules, styles, dictionaries
            warm = min(in_process(argv) for _ in range(args.runs))
            rows.append((name, target, times, warm))
        print(f"Each command as a fresh process: wall-clock best / median of {args.runs}, and the best CPU time; "
              f"in process: best after a warm-up (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
        header = f"{'command':27s} {'target':>7s}" + "".join(f" {side + ' best/median (cpu)':>31s}" for side in trees)
        print(header + f" {'in process':>11s}  verdict")
        for name, target, times, warm in rows:
            cells = "".join(f" {min(w for w, _ in t):9.2f} s /{statistics.median(w for w, _ in t):5.2f} s "
                            f"({min(c for _, c in t):4.2f} s)" for t in times.values())
            best = min(w for w, _ in times["this tree"])
            print(f"{name:27s} {target:5.1f} s{cells} {warm:9.3f} s  {'met' if best <= target else 'NOT met'}")
    finally:
        for side, tree in trees.items():
            if tree != ROOT:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], check=False, cwd=ROOT)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
