#!/usr/bin/env bash
# Install what reportgen's PDF stage needs on Debian/Ubuntu, and only what is missing.
#
#   bash tools/install-libreoffice.sh        # as root, or with sudo available
#
# Idempotent and non-interactive: run it from `make setup` and from CI on a fresh
# machine. It installs:
#   libreoffice-writer-nogui  headless LibreOffice Writer (soffice) for DOCX -> PDF
#   python3-uno               LibreOffice's Python bridge; reportgen's worker pool drives
#                             soffice through it with the system /usr/bin/python3
#                             (no extra venv, nothing from PyPI on the LibreOffice side)
#   poppler-utils             pdftotext/pdffonts, used by the PDF tests
#   fonts-liberation2 fonts-dejavu-core
#                             Liberation Sans/Serif are metric-compatible with Arial and
#                             Times New Roman (the house styles' fonts), so pages break
#                             where Word breaks them; DejaVu covers the rest of Unicode
#   fonts-crosextra-carlito fonts-crosextra-caladea
#                             metric-compatible Calibri and Cambria (Word's theme fonts)
set -euo pipefail

packages=(python3-uno poppler-utils fonts-liberation2 fonts-dejavu-core
          fonts-crosextra-carlito fonts-crosextra-caladea)

# shellcheck source=tools/apt.sh
source "$(dirname "$0")/apt.sh"

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
    echo "install-libreoffice: not a Debian/Ubuntu system; install LibreOffice Writer, its Python UNO" \
         "bridge (python3-uno) and poppler-utils with your package manager" >&2
    exit 1
fi

# The full GUI package also provides soffice and conflicts with the nogui one: keep whichever is there.
if ! installed libreoffice-writer && ! installed libreoffice-writer-nogui; then
    packages=(libreoffice-writer-nogui "${packages[@]}")
fi

apt_install_missing install-libreoffice "${packages[@]}"

# Check what reportgen will use, so a broken install fails here and not in the middle of a build.
soffice --version
/usr/bin/python3 -c "import uno" || {
    echo "install-libreoffice: /usr/bin/python3 cannot import uno (python3-uno)" >&2
    exit 1
}
command -v pdftotext >/dev/null
