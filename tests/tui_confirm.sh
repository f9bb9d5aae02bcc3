#!/usr/bin/env bash
# tui_confirm.sh — every act with legal or irreversible effect asks first,
# naming the act (issue 12, item 2), headless at 80x24 and 160x45:
#  - F6 F6 F6 from a case (documents, then 出具告知书, then a stray F6 as the
#    answer) issues no notice; y does, once;
#  - F10 on a case asks before quitting; n keeps the session;
#  - 会签同意 asks, naming the act and the case; n signs nothing, y signs;
#  - a workflow transition with a reason asks after the reason;
#  - a signer's action menu starts on the sign-off (an enabled action).
set -euo pipefail
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp LC_ALL=C.UTF-8 TZ=UTC TALENTDESK_NOW=2026-03-16T02:00:00Z XDG_STATE_HOME=$tmp/state
unset TALENTDESK_QUEUE NO_COLOR TALENTDESK_TUI_SCRIPT
fail() { echo "FAIL: $1"; [ -n "${2:-}" ] && { echo "--- screen $2:"; cat "$2"; }; exit 1; }
has() { grep -qF -- "$2" "$1" || fail "$3: screen lacks '$2'" "$1"; }
lacks() { if grep -qF -- "$2" "$1"; then fail "$3: screen shows '$2'" "$1"; fi; }

for size in 24x80 45x160; do
  db=$tmp/td-$size.db
  "$BIN" --db "$db" init --demo >/dev/null
  source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"
  q() { sqlite3 "$db" "$1"; }
  tui() { TALENTDESK_TUI_SIZE=$size "$BIN" --db "$db" --user "$1" tui --script "$2"; }
  dc=$(q "SELECT c.case_no FROM cases c WHERE c.state='doc_check' AND EXISTS
          (SELECT 1 FROM case_documents d WHERE d.case_id=c.id AND d.status='missing') ORDER BY c.case_no LIMIT 1")
  [ -n "$dc" ] || fail "demo has no case in doc_check with a missing document"
  n0=$(q "SELECT count(*) FROM notices")

  # a doubled (tripled) F6 issues nothing; F10 on the case asks, n stays
  cat >"$tmp/s1" <<KEYS
<F7>$dc<Enter><Enter><F6><F6>
:dump $tmp/ask.txt
<F6>
:dump $tmp/no.txt
<F10>
:dump $tmp/quit.txt
n
:dump $tmp/stay.txt
<F6>y
:dump $tmp/yes.txt
KEYS
  tui reviewer1 "$tmp/s1"
  has "$tmp/ask.txt" "为案件 $dc 出具一次性告知书" "F6 names the notice and the case"
  has "$tmp/no.txt" "未出具告知书" "a stray key answers no"
  has "$tmp/quit.txt" "退出人才一站式服务台？" "F10 on a case asks"
  has "$tmp/stay.txt" "材料审核" "n keeps the screen"
  has "$tmp/yes.txt" "已出具告知书" "y issues the notice"
  n1=$(q "SELECT count(*) FROM notices")
  [ "$n1" -eq $((n0 + 1)) ] || fail "expected exactly one notice ($n0 -> $n1)"

  # 会签同意: asks naming the act and the case; n signs nothing
  sc=$(q "SELECT c.case_no FROM signoffs s JOIN cases c ON c.id=s.case_id
          WHERE s.status='pending' AND s.department_id='rsj' LIMIT 1")
  [ -n "$sc" ] || fail "demo has no case awaiting the rsj sign-off"
  # a signer's menu starts on the sign-off, not on a disabled transition
  cat >"$tmp/s2b" <<KEYS
<F7>$sc<Enter><Enter><F8><Enter>
:dump $tmp/sign_first.txt
n
KEYS
  tui signer_rsj "$tmp/s2b"
  has "$tmp/sign_first.txt" "（案件 $sc）：确定吗？" "the signer's menu starts on an enabled action"
  cat >"$tmp/s2" <<KEYS
<F7>$sc<Enter><Enter><F8>会<Enter>
:dump $tmp/sign_ask.txt
n
:dump $tmp/sign_no.txt
KEYS
  tui signer_rsj "$tmp/s2"
  has "$tmp/sign_ask.txt" "（案件 $sc）：确定吗？" "会签 asks naming the case"
  has "$tmp/sign_ask.txt" "会签同意" "会签 asks naming the act"
  has "$tmp/sign_no.txt" "未执行任何操作" "n signs nothing"
  [ "$(q "SELECT status FROM signoffs s JOIN cases c ON c.id=s.case_id WHERE c.case_no='$sc' AND s.department_id='rsj'")" = pending ] ||
    fail "n signed off"
  cat >"$tmp/s3" <<KEYS
<F7>$sc<Enter><Enter><F8>会<Enter>y
:dump $tmp/sign_yes.txt
KEYS
  tui signer_rsj "$tmp/s3"
  [ "$(q "SELECT status FROM signoffs s JOIN cases c ON c.id=s.case_id WHERE c.case_no='$sc' AND s.department_id='rsj'")" != pending ] ||
    fail "y did not sign off" "$tmp/sign_yes.txt"
done
echo "tui_confirm: ok"
