# Shared by scripts/start and scripts/test: a Python 3.11+ virtualenv in .venv.
# Sourced, not run; expects the repository root as the working directory.

PYTHON=${PYTHON:-python3}
_apt_updated=

say() { printf '==> %s\n' "$*"; }
die() { printf '\n%s: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

# apt_install PACKAGE...: as root only; everyone else is told what to install.
apt_install() {
    is_root || die "needs the Debian packages: $*. Install them (sudo apt-get install -y $*) or run this script as root."
    if [ -z "$_apt_updated" ]; then
        apt-get update -qq
        _apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_venv() {
    command -v "$PYTHON" >/dev/null || die "$PYTHON not found: install Python 3.11 or newer (apt-get install -y python3)."
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
        die "Steward needs Python 3.11 or newer; $PYTHON is $("$PYTHON" -V 2>&1)."
    if [ ! -x .venv/bin/python ]; then
        say "Creating the virtualenv in .venv"
        if ! "$PYTHON" -m venv .venv 2>/dev/null; then
            rm -rf .venv
            # Debian ships venv (with ensurepip) separately from python3.
            apt_install python3-venv
            "$PYTHON" -m venv .venv
        fi
    fi
}
