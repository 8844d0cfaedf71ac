#!/usr/bin/env bash
# Install what `reportgen check`'s spelling rule needs on Debian/Ubuntu, and only what is missing.
#
#   bash tools/install-spelling.sh        # as root, or with sudo available
#
# It installs:
#   libenchant-2-2   the Enchant library that pyenchant (a locked Python dependency) loads; Debian builds
#                    it with the Hunspell provider
#   hunspell-en-gb   LibreOffice's British English Hunspell dictionary (en_GB), which the rule reads
set -euo pipefail

packages=(libenchant-2-2 hunspell-en-gb)

# shellcheck source=tools/apt.sh
source "$(dirname "$0")/apt.sh"

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
    echo "install-spelling: not a Debian/Ubuntu system; install Enchant 2 with its Hunspell provider and" \
         "the en_GB Hunspell dictionary with your package manager" >&2
    exit 1
fi

apt_install_missing install-spelling "${packages[@]}"
