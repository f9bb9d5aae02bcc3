#!/usr/bin/env bash
# Installs the Debian packages TalentDesk needs to build, test and run,
# only when some are missing.  Runs `apt-get update` first when it installs.
# As root it installs directly; otherwise through sudo when available.
set -euo pipefail

PKGS=(
  build-essential pkg-config gettext sqlite3 tmux
  libsqlite3-dev libncurses-dev libcmocka-dev libicu-dev libjansson-dev
  libsodium-dev libqrencode-dev libxlsxwriter-dev libpng-dev
  iso-codes libminizip-dev libexpat1-dev python3-openpyxl
)

# `deps.sh fuzz` adds the fuzzing toolchain (clang's libFuzzer and sanitizers).
if [ "${1:-}" = fuzz ]; then
  PKGS+=(clang libclang-rt-14-dev)
fi
# zbar-tools lets the QR test decode the PNG back to the code (else skipped).
PKGS+=(zbar-tools)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "deps: installing missing packages: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "deps: please install as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done" >&2
