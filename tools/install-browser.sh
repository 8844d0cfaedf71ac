#!/usr/bin/env bash
# Install what reportgen's browser checks need on Debian/Ubuntu, and only what is missing.
#
#   bash tools/install-browser.sh        # as root, or with sudo available
#
# Idempotent and non-interactive: run it from setup and from CI on a fresh machine.
# tests/browser.py uses what it installs:
#   chromium                  Debian's own Chromium, run headless and driven over the DevTools
#                             protocol (no chromedriver, no browser download by any tool)
#   fonts-liberation2 fonts-dejavu-core
#                             the fonts the pages fall back to, so screenshots and layout checks
#                             (e.g. overflow at 320 px) are the same on every machine
#   nodejs npm                only if node/npm are missing: to install the npm package below
#   axe-core (npm)            the accessibility engine, pinned in tools/package.json and
#                             tools/package-lock.json, installed into tools/node_modules
#                             (git-ignored); tests inject tools/node_modules/axe-core/axe.min.js
set -euo pipefail

tools_dir="$(cd "$(dirname "$0")" && pwd)"
axe_js="$tools_dir/node_modules/axe-core/axe.min.js"

packages=(chromium fonts-liberation2 fonts-dejavu-core)

# shellcheck source=tools/apt.sh
source "$(dirname "$0")/apt.sh"

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
    echo "install-browser: not a Debian/Ubuntu system; install Chromium (as /usr/bin/chromium)," \
         "Node.js with npm, then run 'npm ci' in tools/" >&2
    exit 1
fi

# node/npm may come from elsewhere (e.g. a NodeSource nodejs that bundles npm, which Debian's npm
# package would conflict with): only ask for Debian's when the commands themselves are missing.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    command -v node >/dev/null 2>&1 || packages+=(nodejs)
    packages+=(npm)
fi
apt_install_missing install-browser "${packages[@]}"

# axe-core into tools/node_modules, exactly as locked. Reinstall if the folder is there but the
# file is not (an interrupted install). --ignore-scripts: nothing here needs install scripts.
if [ ! -f "$axe_js" ]; then
    echo "install-browser: installing axe-core into $tools_dir/node_modules"
    if [ -f "$tools_dir/package-lock.json" ]; then
        (cd "$tools_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    else
        (cd "$tools_dir" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
    fi
else
    echo "install-browser: axe-core already installed"
fi

# Check what the tests will use, so a broken install fails here and not in the middle of a test run.
chromium --version
[ -f "$axe_js" ] || {
    echo "install-browser: $axe_js is missing after npm install" >&2
    exit 1
}
echo "install-browser: axe-core $(node -p 'require(process.argv[1]).version' "$tools_dir/node_modules/axe-core/package.json")"
