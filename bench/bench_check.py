"""Time to check 500 reports (copies of the examples), end to end in one process call of check().

Target (issue 3): 2 s or less on a 2-core machine. Python start-up and imports are excluded.
Issue 9 adds: no slower than before. `--against REV` checks the same copies with reportgen as it was at
git revision REV (a temporary worktree, run in a subprocess), alternating the two, best of `--runs`.
`--examples-from REV` copies that revision's examples instead of today's, so both sides read the
content either was written for.

    .venv/bin/python bench/bench_check.py [--reports 500] [--against 128f2ae [--examples-from 128f2ae]]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TODAY = dt.date(2026, 11, 21)

# Run inside the other revision's worktree: its own API (the package layout changed in issue 7).
DRIVER = """
import datetime as dt, sys, time
from pathlib import Path
try:
    from reportgen.pipeline import check
except ImportError:
    from reportgen.check import check
root, warm = Path(sys.argv[1]), Path(sys.argv[2])
check([warm], dt.date(2026, 11, 21))
start = time.perf_counter()
results = check([root], dt.date(2026, 11, 21))
print(time.perf_counter() - start, len(results), sum(r.unusable is not None for r in results))
"""


def run_here(root: Path, warm: Path) -> tuple[float, int, int]:
    from reportgen.pipeline import check

    check([warm], TODAY)  # warm-up: imports, rule catalogue, profiles, dictionaries
    start = time.perf_counter()
    results = check([root], TODAY)
    return time.perf_counter() - start, len(results), sum(r.unusable is not None for r in results)


def run_there(tree: Path, root: Path, warm: Path) -> tuple[float, int, int]:
    out = subprocess.run([sys.executable, "-c", DRIVER, str(root), str(warm)], cwd=tree, check=True,
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(tree)})
    seconds, count, unusable = out.stdout.split()
    return float(seconds), int(count), int(unusable)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--source", type=Path, default=Path("content/examples"))
    parser.add_argument("--against", metavar="REV", help="also time reportgen at this git revision")
    parser.add_argument("--examples-from", metavar="REV", help="copy the examples of this revision")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from reportgen.content.load import find_reports

    work = Path(tempfile.mkdtemp(prefix="reportgen-check-bench-"))
    try:
        trees: dict[str, Path] = {}
        for rev in {r for r in (args.against, args.examples_from) if r}:
            trees[rev] = work / f"rev-{rev}"
            subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(trees[rev]), rev], check=True)
        source = trees[args.examples_from] / "content/examples" if args.examples_from else args.source
        examples = find_reports([source])
        root = work / "reports"
        for i in range(args.reports):
            shutil.copytree(examples[i % len(examples)], root / f"r{i:04d}")
        sides = {"this tree": lambda: run_here(root, examples[0])}
        if args.against:
            sides[f"at {args.against}"] = lambda: run_there(trees[args.against], root, examples[0])
        best = {name: float("inf") for name in sides}
        unusable = dict.fromkeys(sides, 0)
        for _ in range(args.runs):  # alternate, so a busy moment does not favour one side
            for name, run in sides.items():
                seconds, count, unusable[name] = run()
                best[name] = min(best[name], seconds)
        what = f"examples of {args.examples_from}" if args.examples_from else str(source)
        for name, seconds in best.items():
            print(f"{name}: checked {count} reports ({what}) in {seconds:.2f} s ({seconds / count * 1000:.2f} ms "
                  f"each) (target <= 2 s: {'met' if seconds <= 2 else 'NOT met'})")
        for name, n in unusable.items():
            if n:
                print(f"{name}: {n} of {count} reports could not be read at all (content written for another "
                      f"version), so it did less work: not a fair comparison; try --examples-from")
        if args.against:
            ratio = best[f"at {args.against}"] / best["this tree"]
            print(f"this tree is {ratio:.2f}x the speed of {args.against} ({'no slower' if ratio >= 1 else 'SLOWER'}); "
                  f"it takes {1 / ratio:.2f}x its time (issue 23's budget, within 1.2x: "
                  f"{'met' if 1 / ratio <= 1.2 else 'NOT met'})")
    finally:
        for tree in trees.values():
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], check=False)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
