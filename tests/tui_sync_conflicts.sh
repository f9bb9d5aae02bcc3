#!/usr/bin/env bash
# tui_sync_conflicts.sh — the sync conflicts review queue in a real terminal
# (tmux) at 80x24 and 160x45 with Chinese data: HQ and station SFO edit the
# same person's employer offline, the bundles cross, and at HQ the queue
# shows a badge; the review screen shows base / ours / theirs side by side
# with station, clerk and time; "t" (take theirs) asks first, "n" changes
# nothing, "t" + "y" resolves; the resolution is audited and travels to the
# station, after which both places hold the same value.  At 160x45 a second
# clash is resolved with "e" (edit), and one with "m" (keep ours).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
command -v tmux >/dev/null || { echo "tmux is required (make deps)"; exit 1; }
tmp=$(mktemp -d)
sock="td-sync-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
tmux -L "$sock" new-session -d -s keep -x 80 -y 24 "sleep 600"
export HOME=$tmp XDG_STATE_HOME=$tmp/state TALENTDESK_NOW=2026-03-16
unset TALENTDESK_QUEUE NO_COLOR TALENTDESK_TUI_SCRIPT
hqdb=$tmp/hq.db
stdb=$tmp/sfo.db
hq() { "$BIN" --db "$hqdb" "$@"; }
st() { "$BIN" --db "$stdb" "$@"; }
fail() { echo "FAIL: $*"; echo "--- screen:"; tmux -L "$sock" capture-pane -p -t td 2>/dev/null || true; exit 1; }

source "$(dirname "$0")/lib/session.sh"
hq init --demo >/dev/null
td_login_demo_users "$BIN" "$hqdb"
hq sync keys >/dev/null
hq sync enrol-station SFO --name 旧金山工作站 --out "$tmp/sfo.join" >/dev/null
# sync join asks the station administrator's password on the terminal (twice)
td_session_env "$stdb"
tmux -L "$sock" new-session -d -s join -x 80 -y 24 \
  "env HOME=$HOME LC_ALL=C.UTF-8 $BIN --db $stdb sync join $tmp/sfo.join >$tmp/join.out 2>&1; echo \$? >$tmp/join.rc; sleep 600"
jscreen() { tmux -L "$sock" capture-pane -p -t join; }
jwait() {
  local end=$((SECONDS + ${TD_TUI_WAIT:-180}))
  while [ "$SECONDS" -lt "$end" ]; do jscreen | grep -sF -- "$1" >/dev/null && return 0; sleep 0.05; done
  echo "FAIL: join never showed '$1'"; jscreen; exit 1
}
jwait "站点管理员"
tmux -L "$sock" send-keys -t join -l "$TD_TEST_PASSWORD"; tmux -L "$sock" send-keys -t join Enter
jwait "再输入一次"
tmux -L "$sock" send-keys -t join -l "$TD_TEST_PASSWORD"; tmux -L "$sock" send-keys -t join Enter
end=$((SECONDS + ${TD_TUI_WAIT:-180}))
until [ -s "$tmp/join.rc" ]; do [ "$SECONDS" -lt "$end" ] || fail "join did not end"; sleep 0.05; done
[ "$(cat "$tmp/join.rc")" = 0 ] || { cat "$tmp/join.out"; fail "join failed"; }
jscreen | grep -sF "$TD_TEST_PASSWORD" >/dev/null && fail "the password was echoed"
tmux -L "$sock" kill-session -t join
td_login "$BIN" "$stdb" admin || fail "station admin cannot sign in with the password typed at join"
st sync card "$tmp/sfo.card" >/dev/null
hq sync enrol "$tmp/sfo.card" >/dev/null
td_user_add "$BIN" "$stdb" ldnclerk --name 伦敦职员李雷 --roles clerk,station
td_login "$BIN" "$hqdb" admin "$TD_DEMO_PASSWORD"

st --user ldnclerk person add --name 林小雨 --id-type passport --id-no E12345678 --phone 13800000001 \
  --employer 伦敦大学学院 >/dev/null
pid=$(sqlite3 "$stdb" "SELECT id FROM persons LIMIT 1")
st --user ldnclerk case new "$pid" --service startup_funding >/dev/null || fail "case new"
xchg() { # both ways
  st sync export --to CQ "$tmp/s.tdsb" >/dev/null && hq sync import "$tmp/s.tdsb" >/dev/null
  hq sync export --to SFO "$tmp/h.tdsb" >/dev/null && st sync import "$tmp/h.tdsb" >/dev/null
}
xchg
# the same field edited at both places, then the bundles cross
clash() { # FIELD HQ-VALUE STATION-VALUE
  hq --user clerk1 person update "$pid" "--$1" "$2" >/dev/null
  st --user ldnclerk person update "$pid" "--$1" "$3" >/dev/null
  hq sync export --to SFO "$tmp/h.tdsb" >/dev/null
  st sync export --to CQ "$tmp/s.tdsb" >/dev/null
  st sync import "$tmp/h.tdsb" >/dev/null
  hq sync import "$tmp/s.tdsb" >/dev/null
}
clash employer 重庆大学科技处 伦敦国王学院
[ "$(hq --json sync conflicts | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 1 ] ||
  fail "no conflict at HQ"

screen() { tmux -L "$sock" capture-pane -p -t td; }
wait_for() {
  local end=$((SECONDS + ${TD_TUI_WAIT:-180}))
  while [ "$SECONDS" -lt "$end" ]; do screen | grep -sF -- "$1" >/dev/null && return 0; sleep 0.05; done
  fail "screen never showed '$1'"
}
wait_gone() {
  local end=$((SECONDS + ${TD_TUI_WAIT:-180}))
  while [ "$SECONDS" -lt "$end" ]; do screen | grep -sF -- "$1" >/dev/null || return 0; sleep 0.05; done
  fail "screen still shows '$1'"
}
start() { # COLS ROWS
  tmux -L "$sock" kill-session -t td 2>/dev/null || true
  tmux -L "$sock" new-session -d -s td -x "$1" -y "$2" \
    "env HOME=$HOME LC_ALL=C.UTF-8 TERM=screen-256color TALENTDESK_NOW=$TALENTDESK_NOW XDG_STATE_HOME=$XDG_STATE_HOME XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR $BIN --db $hqdb --user clerk1 tui"
  wait_for "工作队列"
}
send() { tmux -L "$sock" send-keys -t td "$@"; }
# the row of the screen holding TEXT
row_of() { screen | grep -nF -- "$1" | tail -1 | cut -d: -f1; }

# --- 80x24: the badge, the side-by-side screen, take theirs --------------------
start 80 24
wait_for "待处理冲突（1）"
send C; wait_for "原值（对方修改时所见）"
for t in 本地值 "对方值（来自 SFO）" 伦敦国王学院 重庆大学科技处 伦敦大学学院 伦敦职员李雷 王芳 SFO CQ 工作单位; do
  wait_for "$t"
done
# ours and theirs are on the same rows, side by side
[ "$(row_of 重庆大学科技处)" = "$(row_of 伦敦国王学院)" ] || fail "ours and theirs not side by side"
[ "$(row_of 伦敦职员李雷)" = "$(row_of 王芳)" ] || fail "the clerks not side by side"
[ "$(screen | wc -l)" -eq 24 ] || fail "not 24 rows"
screen | tail -1 | grep -sF "6采用" >/dev/null || fail "key bar lacks the take-theirs key"
# asks first: n changes nothing
send t; wait_for "原因（可不填）"
send Enter; wait_for "y＝是"
send n; wait_for "未作更改"
[ "$(sqlite3 "$hqdb" "SELECT employer FROM persons WHERE id = '$pid'")" = 重庆大学科技处 ] || fail "n changed the value"
send t; wait_for "原因（可不填）"
send -l "站点已核实"; send Enter; wait_for "y＝是"
send y; wait_for "冲突已解决"
wait_for "（无待处理冲突）"
[ "$(sqlite3 "$hqdb" "SELECT employer FROM persons WHERE id = '$pid'")" = 伦敦国王学院 ] || fail "theirs not taken"
[ "$(sqlite3 "$hqdb" "SELECT count(*) FROM audit_log WHERE action = 'sync.resolve.taken' AND reason = '站点已核实'")" = 1 ] ||
  fail "resolution not audited"
send Escape; wait_gone "（无待处理冲突）"
screen | grep -sF "待处理冲突（" >/dev/null && fail "badge still shown"
tmux -L "$sock" kill-session -t td
# the resolution travels: both places hold the same value, no queue anywhere
xchg
[ "$(sqlite3 "$stdb" "SELECT employer FROM persons WHERE id = '$pid'")" = 伦敦国王学院 ] || fail "station did not converge"
[ "$(st --json sync conflicts | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 0 ] ||
  fail "station has conflicts"

# --- 160x45: edit, and keep ours --------------------------------------------------
clash employer 重庆邮电大学 帝国理工学院
clash notes 总部备注：已电话联系本人 站点备注：本人下周回国
[ "$(hq --json sync conflicts | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 2 ] ||
  fail "two conflicts expected"
start 160 45
wait_for "待处理冲突（2）"
send C; wait_for "原值（对方修改时所见）"
wait_for "帝国理工学院"
[ "$(screen | wc -l)" -eq 45 ] || fail "not 45 rows"
[ "$(row_of 重庆邮电大学)" = "$(row_of 帝国理工学院)" ] || fail "160 columns: not side by side"
# the two are in arrival order; select the employer's with the arrow keys
screen | grep -sF "字段：工作单位" >/dev/null || { send Down; wait_for "字段：工作单位"; }
send e; wait_for "新值："
send C-u; send -l "重庆邮电大学（帝国理工学院访问学者）"; send Enter
wait_for "原因（可不填）"; send Enter
wait_for "y＝是"; send y; wait_for "冲突已解决"
[ "$(sqlite3 "$hqdb" "SELECT employer FROM persons WHERE id = '$pid'")" = "重庆邮电大学（帝国理工学院访问学者）" ] ||
  fail "edited value not written"
wait_for "总部备注：已电话联系本人"; wait_for "站点备注：本人下周回国"
send m; wait_for "原因（可不填）"; send Enter
wait_for "y＝是"; send y; wait_for "（无待处理冲突）"
[ "$(sqlite3 "$hqdb" "SELECT notes FROM persons WHERE id = '$pid'")" = "总部备注：已电话联系本人" ] || fail "ours not kept"
tmux -L "$sock" kill-session -t td
xchg
for f in employer notes phone name; do
  a=$(sqlite3 "$hqdb" "SELECT $f FROM persons WHERE id = '$pid'")
  b=$(sqlite3 "$stdb" "SELECT $f FROM persons WHERE id = '$pid'")
  [ "$a" = "$b" ] || fail "$f differs after resolving in the TUI: $a / $b"
done
echo "tui_sync_conflicts: ok"
