#!/usr/bin/env bash
# reportgen's two-command entry point on a fresh Debian/Ubuntu machine:
#   ./dev.sh demo   set everything up, build the example papers (DOCX + PDF + HTML), publish the example meeting
#                   with its web edition, and write the governance dashboard
#   ./dev.sh test   set everything up and run the test suite
# Also: ./dev.sh setup | bench (BENCH_SCALE=1 ./dev.sh bench: the full 3,000-report year)
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

system_packages() {
  # Python 3.11+ with venv, then LibreOffice and friends, Chromium and axe-core (each script installs only what is missing).
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
}

python_env() {
  if [ ! -x .venv/bin/reportgen ] || [ pyproject.toml -nt .venv/.installed ]; then
    python3 -m venv .venv
    .venv/bin/pip install --quiet --upgrade pip
    .venv/bin/pip install --quiet -e '.[test]'
    touch .venv/.installed
  fi
}

setup() { system_packages; python_env; }

case "${1:-}" in
  setup) setup ;;
  demo)
    setup
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
    .venv/bin/python bench/bench_publish.py
    .venv/bin/python bench/bench_commands.py --against 435e819  # issue 26: each command as a fresh process
    # A tenth of a large council's year by default (about 2 minutes); BENCH_SCALE=1 runs all 3,000 reports.
    .venv/bin/python bench/bench_scale.py --scale "${BENCH_SCALE:-0.1}"
    ;;
  *) echo "usage: ./dev.sh demo | test | setup | bench" >&2; exit 64 ;;
esac
