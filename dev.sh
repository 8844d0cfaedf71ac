#!/usr/bin/env bash
# reportgen's two-command entry point on a fresh Debian/Ubuntu machine:
#   ./dev.sh demo   set everything up, build the example papers (DOCX + PDF + HTML), publish the example meeting
#                   with its web edition, and write the governance dashboard
#   ./dev.sh test   set everything up and run the test suite
# Also: ./dev.sh setup | bench (BENCH_SCALE=1 ./dev.sh bench: the full 3,000-report year)
#   ./dev.sh lock [uv options]  regenerate requirements/lock.txt from pyproject.toml (keeps the locked versions
#                   that still fit; `./dev.sh lock --upgrade` or `--upgrade-package NAME` moves them on)
#   ./dev.sh drift [pytest options]  the newest releases pyproject.toml allows, in a throwaway venv: what moved
#                   since the lock, then the test suite against them (not part of CI)
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

system_packages() {
  # Python 3.11+ with venv, then LibreOffice and friends, Chromium and axe-core, Hunspell en_GB (each script installs only what is missing).
  local need=()
  command -v python3 >/dev/null || need+=(python3)
  python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
  if [ ${#need[@]} -gt 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
  fi
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || { echo "reportgen needs Python 3.11 or newer (found $(python3 --version))" >&2; exit 1; }
  bash tools/install-libreoffice.sh
  bash tools/install-browser.sh   # Debian chromium and a pinned axe-core, for the HTML tests
  bash tools/install-spelling.sh  # Enchant with Hunspell and the en_GB dictionary, for check's spelling rule
}

LOCK=requirements/lock.txt
# The tool that writes the lock, pinned so that regenerating it is repeatable.
UV_VERSION=0.13.9

python_env() {
  # Exactly the lock: every package at its locked version, checked against its hashes, nothing resolved
  # (--no-deps) and nothing compiled (wheels only); then reportgen itself, built by the locked setuptools.
  # A changed lock or pyproject.toml rebuilds the venv from nothing, so no package outlives the lock.
  if [ ! -x .venv/bin/reportgen ] || [ "$LOCK" -nt .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
    rm -rf .venv
    python3 -m venv .venv
    .venv/bin/pip install --quiet --require-hashes --no-deps --only-binary :all: -r "$LOCK"
    .venv/bin/pip install --quiet --no-deps --no-build-isolation -e .
    .venv/bin/pip check >/dev/null
    touch .venv/.installed
  fi
  # Bytecode for reportgen's own modules, as pip writes it for an installed wheel's: an editable install
  # otherwise compiles every module again on each command where PYTHONDONTWRITEBYTECODE is set (about
  # 60 ms of a command's start-up on the dev machine). Only modules changed since are compiled.
  .venv/bin/python -m compileall -q reportgen >/dev/null
}

throwaway_venv() {  # a fresh venv at $1, in a temporary folder removed when the script exits
  local dir
  dir=$(mktemp -d)
  trap 'rm -rf "'"$dir"'"' EXIT
  python3 -m venv "$dir/venv"
  printf -v "$1" '%s' "$dir/venv"
}

build_requires() {  # pyproject.toml's [build-system] requires, one a line
  python3 -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")'
}

lock() {
  # uv resolves for every platform at once (a universal lock) in about a second, with hashes of every
  # wheel; it runs from a throwaway venv, so it is not one of reportgen's own dependencies. The build
  # requirements go in too, so the editable install needs nothing outside the lock.
  local venv
  throwaway_venv venv
  "$venv/bin/pip" install --quiet "uv==$UV_VERSION"
  # uv reads the old lock for the versions to keep; an unchanged lock keeps its date (no venv rebuild).
  local out="$venv/../lock.txt"
  [ ! -f "$LOCK" ] || cp "$LOCK" "$out"
  build_requires | "$venv/bin/uv" pip compile --quiet pyproject.toml - --extra test --universal --python-version 3.11 \
    --generate-hashes --custom-compile-command "./dev.sh lock" -o "$out" "$@"
  { printf '%s\n' \
      "# reportgen's exact dependencies: runtime, the test extra and the build requirements, with hashes." \
      "# ./dev.sh setup installs exactly these. After changing pyproject.toml: ./dev.sh lock (keeps the" \
      "# versions that still fit); to move to newer releases: ./dev.sh lock --upgrade (or --upgrade-package NAME)."
    cat "$out"; } > "$out.new"
  cmp -s "$out.new" "$LOCK" || cp "$out.new" "$LOCK"
}

drift() {
  # pip picks the newest release each range in pyproject.toml allows. The test that this environment
  # runs exactly the lock is the one expected to fail here, so it is left out.
  local venv
  throwaway_venv venv
  local build
  mapfile -t build < <(build_requires)
  "$venv/bin/pip" install --quiet -e '.[test]' "${build[@]}"
  "$venv/bin/python" - <<'PY'
import importlib.metadata as md
from packaging.utils import canonicalize_name
from packaging.version import Version
from tests.test_lock import NOT_LOCKED, locked  # the lock read as the tests read it
pins = {name: str(pin.version) for name, pin in locked().items() if pin.applies}
newest = {canonicalize_name(d.metadata["Name"]): str(Version(d.version)) for d in md.distributions()}
moved = [f"  {name}: {pins.get(name, '(not locked)')} -> {newest.get(name, '(not installed)')}"
         for name in sorted((pins.keys() | newest.keys()) - NOT_LOCKED) if pins.get(name) != newest.get(name)]
print(f"{len(moved)} of {len(pins)} locked packages drifted (locked -> newest allowed):", *moved, sep="\n")
PY
  "$venv/bin/python" -m pytest -p no:cacheprovider \
    --deselect tests/test_lock.py::test_this_environment_runs_exactly_the_lock "$@"
}

setup() { system_packages; python_env; }

case "${1:-}" in
  setup) setup ;;
  demo)
    setup
    # The examples are a December 2026 meeting: the demo runs on the day they are written for (the
    # simulated clock, docs/records.md), whatever today is, and keeps its scratch publication history
    # under build/ rather than in the repository (a real project keeps publications.json).
    export REPORTGEN_TODAY=2026-11-21 REPORTGEN_HISTORY=build/demo-publications.json
    .venv/bin/reportgen build content/examples --pdf --html
    .venv/bin/reportgen check content/examples/models
    # The example minutes are an untagged PDF, as supplied minutes often are: publishing them is a
    # recorded decision, named in the meeting's accessibility statement.
    .venv/bin/reportgen publish content/examples/meetings/2026-12-15-cabinet.yaml \
      --accept-inaccessible "The minutes were supplied as an untagged PDF by the previous meeting's clerk; an accessible version is being prepared."
    # The dashboard covers the seeds too, whose real defects make status exit 1 (not ready); only
    # unusable input (exit 2) fails the demo.
    .venv/bin/reportgen status content/examples --html build/dashboard.html || [ $? -eq 1 ]
    echo "Open build/publish/2026-12-15-cabinet/public/index.html (the meeting's web page) and build/dashboard.html"
    ;;
  test)
    setup
    shift
    .venv/bin/python -m pytest "$@"
    ;;
  bench)
    setup
    .venv/bin/python bench/bench_build.py
    .venv/bin/python bench/bench_check.py
    .venv/bin/python bench/bench_check.py --against 128f2ae --examples-from 128f2ae  # issue 9: no slower than before it
    .venv/bin/python bench/bench_check.py --against 435e819 --examples-from 435e819  # issue 23: within 1.2x of before it
    .venv/bin/python bench/bench_publish.py
    .venv/bin/python bench/bench_commands.py --against 435e819  # issue 26: each command as a fresh process
    .venv/bin/python bench/bench_republish.py  # issue 26: republish as a fresh Python, no warm reportgen, LibreOffice warm
    # A tenth of a large council's year by default (about 2 minutes); BENCH_SCALE=1 runs all 3,000 reports.
    .venv/bin/python bench/bench_scale.py --scale "${BENCH_SCALE:-0.1}"
    ;;
  lock) shift; lock "$@" ;;
  drift) system_packages; shift; drift "$@" ;;
  *) echo "usage: ./dev.sh demo | test | setup | bench | lock | drift" >&2; exit 64 ;;
esac
