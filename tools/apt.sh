# Shared by the tools/install-*.sh scripts (sourced, not run): install Debian packages that are missing.
#
#   source tools/apt.sh
#   apt_install_missing NAME pkg...    # NAME prefixes the messages; no recommends are installed

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

apt_install_missing() {
    local name=$1; shift
    local missing=() sudo=()
    for pkg in "$@"; do
        installed "$pkg" || missing+=("$pkg")
    done
    if ((${#missing[@]} == 0)); then
        echo "$name: Debian packages already installed"
        return 0
    fi
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "$name: need root or sudo to install: ${missing[*]}" >&2; return 1; }
        sudo=(sudo)
    fi
    echo "$name: installing ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    # No recommends: they would pull in Java, desktop and GUI pieces that headless use never needs.
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}
