#!/usr/bin/env bash
# env_hostile.sh — the suite does not depend on the caller's environment: a
# set of shell tests runs green under a hostile one (a desktop's
# XDG_CONFIG_HOME with odd settings, TALENTDESK_DB/USER/LANG/DATA/NOW set,
# LANG=en_US, another TZ, NO_COLOR, a dumb TERM), and none of them touches
# the hostile database, config or data directories.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
here=$(cd "$(dirname "$0")" && pwd)
BIN=${TD_BIN:-$here/../build/talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$tmp/xdg-config/talentdesk" "$tmp/home/.config/talentdesk"
printf 'ambiwidth = 2\ncolor = no\n' >"$tmp/xdg-config/talentdesk/config"
printf 'ambiwidth = 2\ncolor = no\n' >"$tmp/home/.config/talentdesk/config"
find "$tmp" -type f -exec sha256sum {} + | sort >"$tmp/before.sum"

hostile=(
  HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg-config" XDG_DATA_HOME="$tmp/xdg-data"
  XDG_STATE_HOME="$tmp/xdg-state" XDG_CACHE_HOME="$tmp/xdg-cache" XDG_RUNTIME_DIR="$tmp/xdg-run"
  TALENTDESK_DB="$tmp/hostile.db" TALENTDESK_USER=nobody TALENTDESK_LANG=en
  TALENTDESK_DATA="$tmp/no-such-data" TALENTDESK_NOW=1999-12-31T23:59:59Z TALENTDESK_QUEUE=overdue
  TALENTDESK_TUI_SIZE=10x20 LANG=en_US LANGUAGE=en_US:en LC_MESSAGES=en_US LC_CTYPE=en_US
  TZ=America/Los_Angeles NO_COLOR=1 TERM=dumb COLUMNS=33 LINES=7
)
n=0
for t in tui_headless.sh cli_basic.sh readme_flow.sh scoring_cli.sh; do
  rc=0
  env -u LC_ALL "${hostile[@]}" TD_BIN="$BIN" bash "$here/$t" >"$tmp/out" 2>&1 || rc=$?
  [ "$rc" -eq 0 ] || { tail -20 "$tmp/out" >&2; fail "$t under a hostile environment: expected exit 0, got $rc"; }
  n=$((n + 1))
done
for p in hostile.db xdg-data xdg-state xdg-cache xdg-run no-such-data; do
  [ ! -e "$tmp/$p" ] || fail "a test wrote the caller's $p ($tmp/$p)"
done
find "$tmp" -path "$tmp/out" -prune -o -type f -name config -exec sha256sum {} + | sort >"$tmp/after.sum"
grep config "$tmp/before.sum" | cmp -s - "$tmp/after.sum" || fail "a test changed the caller's config files"
echo "env_hostile: $n shell tests green under a hostile environment"
