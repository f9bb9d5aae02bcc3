#!/usr/bin/env bash
# Installs the Debian packages TalentDesk needs to build, test and run,
# only when some are missing.  Runs `apt-get update` first when it installs,
# and says what it is doing (apt's own progress lines are shown).
# As root it installs directly; otherwise through sudo when available.
# Tools the tests call: python3 (JSON checks in tests/*.sh), sqlite3, tmux,
# gettext (po-check), zbarimg; the rest (grep, sed, awk, iconv, od, cmp) is
# in every Debian base system.
set -euo pipefail

PKGS=(
  build-essential pkg-config gettext sqlite3 tmux python3
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
# printing (src/print): PDF with cairo + pango, a small CJK font embedded,
# poppler-utils (pdftotext, pdftoppm) for the tests, lp/lpstat for CUPS.
PKGS+=(libcairo2-dev libpango1.0-dev fonts-wqy-microhei poppler-utils cups-client)
# sync bundles are compressed with zlib before they are encrypted (src/sync/bundle.c).
PKGS+=(zlib1g-dev)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "deps: ${#missing[@]} Debian packages missing, installing: ${missing[*]}" >&2
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
echo "deps: apt-get update" >&2
$SUDO apt-get update -q | sed 's/^/deps:   /' >&2
echo "deps: apt-get install ${missing[*]}" >&2
$SUDO apt-get install -y -q -o Dpkg::Use-Pty=0 --no-install-recommends "${missing[@]}" |
  { grep --line-buffered -E '^(Need to get|Get:|Setting up|E:)' || true; } | sed -u 's/^/deps:   /' >&2
echo "deps: done (${#missing[@]} packages)" >&2
