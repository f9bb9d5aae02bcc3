#!/usr/bin/env bash
# Issue 15.6 in the TUI: an administrator presses K on the home screen and
# sees every named check with its result (80x24 and 160x45); a clerk is told
# that only administrators may.
set -euo pipefail
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp LC_ALL=C.UTF-8 TZ=UTC TALENTDESK_NOW=2026-03-16T02:00:00Z XDG_STATE_HOME=$tmp/state
unset TALENTDESK_QUEUE NO_COLOR
db=$tmp/td.db
"$BIN" --db "$db" init --demo >/dev/null
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"
fail() { echo "FAIL: $*"; echo "--- screen:"; cat "${2:-/dev/null}" 2>/dev/null; exit 1; }
for size in 24x80 45x160; do
  printf 'K\n:dump %s\n:quit\n' "$tmp/admin.$size" >"$tmp/s1"
  TALENTDESK_TUI_SIZE=$size "$BIN" --db "$db" --user admin tui --script "$tmp/s1" || fail "tui admin $size"
  for t in 数据库检查 "SQLite 完整性检查" 审计日志哈希链 案件编号计数器 已存政策版本 "[ OK ]"; do
    grep -qF -- "$t" "$tmp/admin.$size" || fail "$size: screen lacks '$t'" "$tmp/admin.$size"
  done
  grep -qF -- "[FAIL]" "$tmp/admin.$size" && fail "$size: a check failed on a fresh demo" "$tmp/admin.$size"
done
printf 'K\n:dump %s\n:quit\n' "$tmp/clerk" >"$tmp/s2"
"$BIN" --db "$db" --user clerk1 tui --script "$tmp/s2" || fail "tui clerk"
grep -qF '只有系统管理员' "$tmp/clerk" || fail "clerk not refused" "$tmp/clerk"
echo "robust_tui_check: ok"
