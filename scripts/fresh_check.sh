#!/usr/bin/env bash
# fresh_check.sh — `make fresh-check`: does a bare Debian reach a green
# `make test` with only the README's lines?  (Slow: minutes; not run by CI.)
#
#  1. builds a minimal Debian root (mmdebstrap --variant=debootstrap: what a
#     plain `debootstrap SUITE` gives, Priority required + important; installed
#     with apt-get when missing) from the Debian mirror and suite configured in
#     /etc/apt/sources.list(.d) (or $FRESH_MIRROR / $FRESH_SUITE);
#  2. copies the checkout in as `git archive HEAD` (committed files only, and
#     no ../shared beside it: the tests must not need it);
#  3. chroots in (/proc and /dev mounted, unmounted on exit) and runs, as root
#     with a clean environment, the README's bootstrap line (the first line of
#     README.md starting "apt-get update && apt-get install") then `make test`;
#  4. prints "fresh-check: PASS|FAIL" with the closing test line; exit 0 on pass.
# The log is kept in $FRESH_LOG (default /var/tmp/talentdesk-fresh-check.log);
# FRESH_KEEP=1 keeps the root for inspection.  Must run as root.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
log=${FRESH_LOG:-/var/tmp/talentdesk-fresh-check.log}
say() { echo "fresh-check: $*" >&2; }

[ "$(id -u)" -eq 0 ] || { say "must run as root (it builds and chroots into a Debian root)"; exit 1; }
cd "$here"
git rev-parse --verify -q HEAD >/dev/null || { say "not a git checkout"; exit 1; }
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
  say "note: uncommitted changes are NOT tested (git archive HEAD)"

# the configured Debian mirror and suite: deb822 .sources first, then .list lines
mirror=${FRESH_MIRROR:-}
suite=${FRESH_SUITE:-}
if [ -z "$mirror" ]; then
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    read -r m s < <(awk '
      /^[ \t]*$/ { if (u ~ /debian/ && s != "" && u !~ /security/) { print u, s; exit } u = ""; s = ""; next }
      /^URIs:/ { u = $2 } /^Suites:/ { s = $2 }
      END { if (u ~ /debian/ && s != "" && u !~ /security/) print u, s }' "$f" | head -1) || true
    [ -n "${m:-}" ] && { mirror=$m; suite=${suite:-$s}; break; }
  done
fi
if [ -z "$mirror" ]; then
  read -r m s < <(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk '$1 == "deb" && $2 ~ /debian/ && $2 !~ /security/ { print $2, $3; exit }') || true
  mirror=${m:-}; suite=${suite:-${s:-}}
fi
[ -n "$mirror" ] && [ -n "$suite" ] || { say "no Debian mirror found in /etc/apt/sources.list(.d)"; exit 1; }

if ! command -v mmdebstrap >/dev/null 2>&1; then
  say "installing mmdebstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mmdebstrap >&2
fi

root=$(mktemp -d /var/tmp/talentdesk-fresh.XXXXXX)
mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -R -l "${mounted[$i]}" 2>/dev/null || true
  done
  if [ "${FRESH_KEEP:-0}" = 1 ]; then say "root kept in $root"; else rm -rf --one-file-system "$root"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start=$(date +%s)
: >"$log"
say "building a minimal $suite root from $mirror in $root (log: $log)"
mmdebstrap --variant=debootstrap --mode=root --quiet "$suite" "$root" "$mirror" >>"$log" 2>&1 ||
  { say "FAIL: mmdebstrap failed (see $log)"; tail -20 "$log" >&2; exit 1; }

mkdir -p "$root/root/talentdesk"
git archive HEAD | tar -x -C "$root/root/talentdesk"
[ ! -e "$root/root/shared" ] || { say "FAIL: ../shared exists in the root"; exit 1; }
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

mount -t proc proc "$root/proc" && mounted+=("$root/proc")
mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev" && mounted+=("$root/dev")

boot=$(grep -m1 '^apt-get update && apt-get install' README.md || true)
[ -n "$boot" ] || { say "FAIL: README.md has no bootstrap line (apt-get update && apt-get install ...)"; exit 1; }
say "in the root: $boot"
say "in the root: make test"
chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  TERM=xterm-256color /bin/bash -c "cd /root/talentdesk && ($boot) && make test" 2>&1 |
  tee -a "$log" | grep --line-buffered -E '^(deps:|ok |FAIL|failed:|tests:|E: )' | sed -u 's/^/  /' >&2 || true
# pass = the suite's own closing line says 0 failed
rc=$(grep -q '^tests: .* 0 failed$' "$log" && echo 0 || echo 1)
closing=$(grep '^tests:' "$log" | tail -1 || true)
secs=$(($(date +%s) - start))
if [ "$rc" -eq 0 ]; then
  say "PASS in ${secs}s ($suite from $mirror, commit $(git rev-parse --short HEAD)): $closing"
else
  say "FAIL in ${secs}s ($suite from $mirror, commit $(git rev-parse --short HEAD)): ${closing:-no closing test line}"
  grep -E '^(failed:|FAIL|E:)' "$log" | head -20 >&2 || true
fi
exit "$rc"
