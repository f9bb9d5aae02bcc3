#!/usr/bin/env bash
# tui_find_phone.sh — find-in-list (/) on the work queue by a whole mobile
# number (issue 16): the row of that person's case is found, and the status
# line echoes the number masked for a user who sees mobiles masked
# (reviewer), in full for a window clerk.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp LC_ALL=C.UTF-8 TZ=UTC TALENTDESK_NOW=2026-03-16T02:00:00Z XDG_STATE_HOME=$tmp/state
unset TALENTDESK_QUEUE NO_COLOR TALENTDESK_TUI_SCRIPT
db=$tmp/td.db
"$BIN" --db "$db" init --demo >/dev/null
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"
fail() { echo "FAIL: $1"; [ -n "${2:-}" ] && { echo "--- screen $2:"; cat "$2"; }; exit 1; }
has() { grep -qF -- "$2" "$1" || fail "$3: screen lacks '$2'" "$1"; }
lacks() { if grep -qF -- "$2" "$1"; then fail "$3: screen shows '$2'" "$1"; fi; }
tui() { TALENTDESK_TUI_SIZE=24x80 "$BIN" --db "$db" --user "$1" tui --script "$2"; }

# the oldest case of the 全部案件 queue (far down its pages): its person gets
# a mobile no other person has
row=$(sqlite3 "$db" "SELECT c.case_no || '|' || p.id FROM cases c JOIN persons p ON p.id = c.person_id
       WHERE c.deleted_at IS NULL ORDER BY c.updated_at, c.rowid LIMIT 1")
cno=${row%%|*} pid=${row#*|}
sqlite3 "$db" "UPDATE persons SET phone = '' WHERE phone = '13912345678';
               UPDATE persons SET phone = '13912345678' WHERE id = '$pid'"
# 全部案件 is the last queue: 1, then the previous queue (Shift-F6)
for u in reviewer1 clerk1; do
  cat >"$tmp/s-$u" <<KEYS
1<F18>
/139 1234 5678<Enter>
:dump $tmp/find-$u.txt
<Enter>
:dump $tmp/open-$u.txt
KEYS
  tui "$u" "$tmp/s-$u"
  has "$tmp/open-$u.txt" "案件 $cno " "$u: the row found is the case of the mobile's person"
done
has "$tmp/find-reviewer1.txt" "已找到：139****5678" "reviewer: the number echoed masked"
lacks "$tmp/find-reviewer1.txt" "13912345678" "reviewer: the number not in full"
lacks "$tmp/find-reviewer1.txt" "139 1234 5678" "reviewer: the number as typed not in full"
has "$tmp/find-clerk1.txt" "已找到：13912345678" "clerk: the number in full"
# a number nobody has
cat >"$tmp/s-none" <<KEYS
1<F18>
/13900000000<Enter>
:dump $tmp/none.txt
KEYS
tui reviewer1 "$tmp/s-none"
has "$tmp/none.txt" "未找到：139****0000" "no such mobile, echoed masked"
echo "tui_find_phone: ok"
