"""Republish of the 30-report meeting after one report changed, as a command (a fresh process), with the
project's LibreOffice server warm: final and draft (issue 26 target 1.5 s). The same two figures as
bench_commands.py's PDF part, without its other commands (which take minutes).

Each run changes one sentence of one report (and its reviewers sign it again, or the final publish is
refused), then publishes final and draft, each a fresh process; wall-clock and CPU (user + system) of the
command. `--against REV` runs the same with reportgen at git revision REV (a temporary worktree, its own
output folders, cache and server, the same content), alternating the two trees run by run. `--verbose`
also prints each publish's own stage timings (its --verbose log) of the last run.

    .venv/bin/python bench/bench_republish.py [--runs 3] [--against REV] [--verbose]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_commands import ENTRY, as_process  # noqa: E402
from bench_publish import TODAY, change_one_sentence, make_meeting, sign_again, simulate_today  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def stages(tree: Path, argv: list[str], env: dict[str, str]) -> str:
    """The publish's own stage timings, from its --verbose log."""
    done = subprocess.run([sys.executable, "-c", ENTRY, "--verbose", *argv], cwd=tree, capture_output=True,
                          text=True, env={**os.environ, **env, "PYTHONPATH": str(tree)})
    return "\n".join(line for line in done.stderr.splitlines() if re.search(r": [0-9.]+ s$", line))


def main() -> None:
    simulate_today()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--against", metavar="REV", help="also time reportgen at this git revision")
    parser.add_argument("--verbose", action="store_true", help="print the stage timings of one more publish")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reportgen-republish-bench-"))
    os.environ["REPORTGEN_HISTORY"] = str(work / "publications.json")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    os.environ.pop("REPORTGEN_NO_SERVER", None)
    trees = {"this tree": ROOT}
    servers: dict[str, dict[str, str]] = {}
    try:
        if args.against:
            trees[f"at {args.against}"] = work / f"rev-{args.against}"
            subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(trees[f"at {args.against}"]),
                            args.against], check=True, cwd=ROOT)
        # A server of its own for each tree: a server running another tree's code is replaced, not used.
        for n, side in enumerate(trees):
            (work / f"run-{n}").mkdir(mode=0o700)
            servers[side] = {"XDG_RUNTIME_DIR": str(work / f"run-{n}"), "REPORTGEN_SERVER_IDLE": "600"}
        meeting = make_meeting(work / "content", 30, 42, name="2026-12-15-pdf")
        folder = work / "content" / "2026-12-15-pdf"
        today = ["--today", TODAY.isoformat()]

        def argv(side: str, kind: str) -> list[str]:
            out = work / f"out-{list(trees).index(side)}-{kind}"
            return ["publish", str(meeting), "--out", str(out), *today, "--quiet",
                    *(["--draft"] if kind == "draft" else [])]
        for side, tree in trees.items():
            for kind in ("final", "draft"):
                as_process(tree, argv(side, kind), servers[side], ok=(0,))  # untimed: fills each cache, starts the server
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for n in range(args.runs):
            # One report changed, then each tree publishes it (each sees exactly one report changed since its
            # own last publish); which tree goes first alternates run by run.
            report = folder / f"report-{n % 30 + 1:04d}"
            change_one_sentence(report)
            sign_again(report)
            order = list(trees.items())
            for side, tree in order[n % 2:] + order[:n % 2]:
                for kind in ("final", "draft"):
                    times.setdefault((side, kind), []).append(as_process(tree, argv(side, kind), servers[side],
                                                                         ok=(0,)))
        print(f"republish after one report changed, server warm, each a fresh process: wall best / median of "
              f"{args.runs} (best CPU); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        for (side, kind), got in times.items():
            print(f"  {side:18s} {kind:6s} {min(w for w, _ in got):5.2f} s / {statistics.median(w for w, _ in got):5.2f} s"
                  f"  (cpu {min(c for _, c in got):4.2f} s)   target 1.5 s: {'met' if min(w for w, _ in got) <= 1.5 else 'NOT met'}")
        if args.verbose:
            report = folder / "report-0030"
            change_one_sentence(report)
            sign_again(report)
            for side, tree in trees.items():
                for kind in ("final", "draft"):
                    print(f"-- {side}, {kind}:")
                    print(stages(tree, argv(side, kind), servers[side]))
    finally:
        for side, tree in trees.items():
            if side in servers:
                subprocess.run([sys.executable, "-c", ENTRY, "server", "stop"], cwd=tree, capture_output=True,
                               env={**os.environ, **servers[side], "PYTHONPATH": str(tree)})
        for side, tree in trees.items():
            if tree != ROOT:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], check=False, cwd=ROOT)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
