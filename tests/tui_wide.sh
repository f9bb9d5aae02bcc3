#!/usr/bin/env bash
# tui_wide.sh — layout that uses the width, history in local time and in
# words (issue 12, item 7), headless: at 160x45 the queue shows the full
# state name 不予受理/驳回 (cut at 80, where case number and name are
# whole); columns grow with the screen, fixed ones (case number) do not; the
# history tab shows local time (TZ=Asia/Shanghai: 02:00Z is 10:00) and the
# events in Chinese, not case.new / doc.mark.
set -euo pipefail
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp LC_ALL=C.UTF-8 TZ=Asia/Shanghai TALENTDESK_NOW=2026-03-16T02:00:00Z XDG_STATE_HOME=$tmp/state
unset TALENTDESK_QUEUE NO_COLOR TALENTDESK_TUI_SCRIPT
fail() { echo "FAIL: $1"; [ -n "${2:-}" ] && { echo "--- $2:"; cat "$2"; }; exit 1; }
has() { grep -qF -- "$2" "$1" || fail "$3: lacks '$2'" "$1"; }
lacks() { if grep -qF -- "$2" "$1"; then fail "$3: shows '$2'" "$1"; fi; }
db=$tmp/td.db
"$BIN" --db "$db" init --demo >/dev/null
  source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"
rej=$(sqlite3 "$db" "SELECT c.case_no FROM cases c WHERE state='rejected' ORDER BY case_no LIMIT 1")
rname=$(sqlite3 "$db" "SELECT p.name FROM cases c JOIN persons p ON p.id=c.person_id WHERE c.case_no='$rej'")
[ -n "$rej" ] || fail "demo has no rejected case"
for size in 24x80 45x160; do
  cat >"$tmp/s" <<KEYS
/$rej<Enter>
:dump $tmp/q-$size.txt
<Enter><S-Tab>
:dump $tmp/h-$size.txt
KEYS
  TALENTDESK_QUEUE=11 TALENTDESK_TUI_SIZE=$size "$BIN" --db "$db" --user admin tui --script "$tmp/s" || true
done
line80=$(grep -F "$rej" "$tmp/q-24x80.txt" | head -1)
line160=$(grep -F "$rej" "$tmp/q-45x160.txt" | head -1)
[ -n "$line80" ] && [ -n "$line160" ] || fail "the rejected case is not on the queue" "$tmp/q-45x160.txt"
echo "$line160" | grep -qF "不予受理/驳回" || fail "160 columns: state name cut: $line160"
echo "$line80" | grep -qF "$rname" || fail "80 columns: name cut: $line80"
for size in 24x80 45x160; do
  f=$tmp/h-$size.txt
  has "$f" "受理登记" "history in words ($size)"
  lacks "$f" "case.new" "history in words ($size)"
  lacks "$f" "case.transition" "history in words ($size)"
  has "$f" "2026-03-16 10:00" "history in local time ($size)"
  lacks "$f" "2026-03-16 02:00" "history in local time ($size)"
done
echo "tui_wide: ok"
