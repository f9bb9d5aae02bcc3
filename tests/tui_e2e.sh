#!/usr/bin/env bash
# tui_e2e.sh — end to end in a real pseudo-terminal (tmux): a talent with a
# Chinese name is taken in by a clerk, documents checked (a one-time notice
# issued, then supplied), facts recorded and scored, submitted by a reviewer,
# signed off by two departments, approved by a second user (four-eyes), the
# 人才服务码 shown with its QR code, the service task done by a specialist,
# and the case closed — all with the keyboard, asserting on the Chinese
# screen text, at 80x24 and at 120x40.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
command -v tmux >/dev/null || { echo "tmux is required (make deps)"; exit 1; }
tmp=$(mktemp -d)
sock="td-e2e-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
# a session that outlives the others, so killing one never ends the server
tmux -L "$sock" new-session -d -s keep -x 80 -y 24 "sleep 600"
export HOME=$tmp LC_ALL=C.UTF-8 TZ=UTC XDG_STATE_HOME=$tmp/state
unset TALENTDESK_QUEUE NO_COLOR TALENTDESK_TUI_SCRIPT

fail() {
  echo "FAIL ($size): $*"
  echo "--- screen:"
  tmux -L "$sock" capture-pane -p -t td 2>/dev/null || true
  exit 1
}
screen() { tmux -L "$sock" capture-pane -p -t td; }
# wait_for TEXT: until the screen shows TEXT.  A condition, not a time: the
# bound (TD_TUI_WAIT, default 180 s) only stops a broken run from hanging.
wait_for() {
  local end=$((SECONDS + ${TD_TUI_WAIT:-180}))
  while [ "$SECONDS" -lt "$end" ]; do
    screen | grep -sF -- "$1" >/dev/null && return 0
    sleep 0.05
  done
  fail "screen never showed '$1'"
}
# wait_change BEFORE: until the screen differs from BEFORE (the program has
# read and handled the key just sent)
wait_change() {
  local end=$((SECONDS + ${TD_TUI_WAIT:-180}))
  while [ "$SECONDS" -lt "$end" ]; do
    [ "$(screen)" != "$1" ] && return 0
    sleep 0.05
  done
  fail "screen did not change after a key"
}
# wait_gone TEXT: until the screen no longer shows TEXT
wait_gone() {
  local end=$((SECONDS + ${TD_TUI_WAIT:-180}))
  while [ "$SECONDS" -lt "$end" ]; do
    screen | grep -sF -- "$1" >/dev/null || return 0
    sleep 0.05
  done
  fail "screen still shows '$1'"
}
# keys "…": the key-script syntax of the headless mode (<F2>, <Enter>, text)
keys() {
  local s=$1 tok
  while [ -n "$s" ]; do
    if [[ $s =~ ^\<([A-Za-z0-9-]+)\>(.*)$ ]]; then
      tok=${BASH_REMATCH[1]}; s=${BASH_REMATCH[2]}
      case $tok in
        Enter) tok=Enter ;; Tab) tok=Tab ;; S-Tab) tok=BTab ;; Esc) tok=Escape ;;
        BS) tok=BSpace ;; PgDn) tok=NPage ;; PgUp) tok=PPage ;;
        C-?) tok=C-${tok:2} ;;
      esac
      # a bare Esc must not merge with the next key into one sequence: wait
      # until the program has handled it (every Esc here closes something)
      if [ "$tok" = Escape ]; then
        local before
        before=$(screen)
        tmux -L "$sock" send-keys -t td "$tok"
        wait_change "$before"
      else
        tmux -L "$sock" send-keys -t td "$tok"
      fi
    else
      local text=${s%%<*}
      s=${s:${#text}}
      tmux -L "$sock" send-keys -t td -l "$text"
    fi
  done
}
# as USER: start the interface in the tmux session
as() {
  tmux -L "$sock" kill-session -t td 2>/dev/null || true
  tmux -L "$sock" new-session -d -s td -x "$cols" -y "$rows" \
    "env HOME=$HOME LC_ALL=C.UTF-8 TERM=screen XDG_STATE_HOME=$XDG_STATE_HOME XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR $BIN --db $db --user $1 tui; sleep 30"
  wait_for "工作队列"
}
open_case() { keys "<F7>$name<Enter>"; wait_for "找到 1 人"; keys "<Enter>"; wait_for "案件 $case_no"; }

run_flow() {
  size=${cols}x${rows}
  db=$tmp/td-$size.db
  # each size is a clerk's first intake (no remembered defaults from the other run)
  export XDG_STATE_HOME=$tmp/state-$size
  "$BIN" --db "$db" init --demo >/dev/null
  source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"
  name=张伟明$rows
  # --- clerk1 takes the talent in
  as clerk1
  screen | grep -sF "1帮助" >/dev/null || fail "no F-key bar"
  screen | grep -sF "10退出" >/dev/null || fail "no F10 in the key bar"
  keys "<F2>"; wait_for "受理登记"
  keys "${name}<Tab>Zhang Weiming<Tab><Enter>"; wait_for "回车：选择"
  keys "<Enter>11010519491231002X<Tab><Tab><Tab><Tab>13800138000<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Enter>"
  wait_for "创业创新项目资助"   # the service list, first row (the catalogue's first service)
  # the catalogue outgrew the popup at 80x24 (60 services, issue 13): type-ahead finds the service
  keys "人"; wait_for "人才认定（目录+计分）"
  keys "<Enter>"; wait_for "第二项服务"
  keys "<F2>"; wait_for "已受理"
  case_no=$(screen | grep -oE 'CQ-2026-[0-9]{6}' | head -1)
  [ -n "$case_no" ] || fail "no case number on screen"
  screen | grep -sF "110***********002X" >/dev/null || fail "ID number not masked"
  keys "<F8>"; wait_for "流程操作"
  keys "提<Enter>y"; wait_for "受理登记 → 材料审核"
  # documents: the first one is invalid; a notice lists every problem
  keys "<F6>"; wait_for "一次性告知书预览"
  keys "<Enter>"; wait_for "标记为"
  keys "jj<Enter>"; wait_for "问题说明"
  keys "缺少本人签名<Enter>"; wait_for "缺少本人签名"
  keys "<F6>"; wait_for "出具一次性告知书（需补正"
  keys "y"; wait_for "已出具告知书"
  screen | grep -sF "无效 1 项" >/dev/null || fail "notice does not count the invalid document"
  keys "<Esc>"; wait_for "材料审核"
  # every document supplied and verified
  n=$(sqlite3 -cmd ".timeout 5000" "$db" "SELECT count(*) FROM case_documents d JOIN cases c ON c.id=d.case_id WHERE c.case_no='$case_no'")
  keys "g"
  for _ in $(seq "$n"); do keys "<Enter>"; wait_for "标记为"; keys "j<Enter>"; wait_gone "标记为"; done
  wait_for "无需出具告知书"
  keys "<F6>"; wait_for "材料已全部核验"
  keys "<Esc>"; wait_for "案件 $case_no"
  keys "<F8>"; wait_for "流程操作"
  keys "材<Enter>y"; wait_for "材料审核 → 人才认定"
  # facts (verified) and a saved score snapshot
  keys "<F2>"; wait_for "人才认定"
  for f in "degree=doctorate:博士学位证书" "annual_salary=800000:劳动合同" "returnee=yes:留学证明"; do
    keys "<F4>"; wait_for "留空则从列表选择"
    keys "${f%%:*}<Enter>"; wait_for "已查验原件"
    keys "y"; wait_for "查验的证明材料"
    keys "${f##*:}<Enter>"; wait_for "已记录条件"
  done
  keys "<F2>"; wait_for "保存计分快照（保存后不可更改）"
  keys "y"; wait_for "已保存计分快照"
  keys "<F6>"; wait_for "试算条件"
  keys "hsk_level=6<Enter>"; wait_for "试算结果"
  keys "<Esc>"; wait_for "F2 保存快照"
  keys "<Esc>"; wait_for "案件 $case_no"
  keys "<F10>y"
  # --- reviewer1 submits for approval
  as reviewer1; open_case
  keys "<F8>"; wait_for "流程操作"
  keys "认<Enter>y"; wait_for "人才认定 → 审批"
  keys "<F10>y"
  # --- the approver cannot approve before the departments signed off
  as approver1; open_case
  keys "<F8>"; wait_for "审批通过（联审）（暂不可"
  keys "<Esc>"; wait_gone "审批通过（联审）（暂不可"; keys "<F10>y"
  # --- two departments sign off (联审)
  for signer in signer_rsj signer_kjj; do
    as $signer; open_case
    keys "<F8>"; wait_for "会签同意"
    keys "会<Enter>"; wait_for "确定吗"
    keys "y"; wait_for "会签同意。"
    keys "<F10>y"
  done
  # --- approver1 approves: the 人才服务码 is issued
  as approver1; open_case
  keys "<F8>"; wait_for "流程操作"
  keys "审<Enter>y"; wait_for "已签发人才服务码"
  code=$(screen | grep -oE '已签发人才服务码 [^ ]+' | head -1 | cut -d' ' -f2)
  [ -n "$code" ] || fail "no talent code on screen"
  keys "<F9>"; wait_for "人才服务码：$code"
  screen | grep -sF "▀" >/dev/null || fail "no QR code"
  keys "<Esc>"; wait_for "案件 $case_no"
  keys "<F10>y"
  # --- spec1 does the service and closes the case
  as spec1; open_case
  keys "<F7>"; wait_for "服务事项"
  keys "<Enter>"; wait_for "开始办理"
  keys "<Enter>"; wait_for "办理中"
  keys "<Enter>"; wait_for "开始办理"
  keys "j<Enter>"; wait_for "办理结果"
  keys "证书已发放<Enter>"; wait_for "确定吗"
  keys "y"; wait_for "已办结"
  keys "<Esc>"; wait_for "案件 $case_no"
  keys "<F8>"; wait_for "流程操作"
  keys "办<Enter>y"; wait_for "申请人评价"
  # 好差评 in the close flow: 满意 (4) with a comment
  keys "<Down><Enter>"; wait_for "评价意见"
  keys "办理很快<Enter>"; wait_for "已记录评价：满意"
  screen | grep -sF "状态：办结" >/dev/null || fail "case header does not say closed"
  [ "$(sqlite3 "$db" "SELECT r.score || r.comment FROM ratings r JOIN cases c ON c.id=r.case_id WHERE c.case_no='$case_no'")" = "4办理很快" ] ||
    fail "the rating was not recorded"
  keys "<F10>y"
  state=$(sqlite3 -cmd ".timeout 5000" "$db" "SELECT state FROM cases WHERE case_no='$case_no'")
  [ "$state" = closed ] || fail "case state is $state"
  intake=$(sqlite3 -cmd ".timeout 5000" "$db" "SELECT u.username FROM cases c JOIN users u ON u.id=c.intake_by WHERE case_no='$case_no'")
  [ "$intake" = clerk1 ] || fail "intake by $intake"
}

cols=80 rows=24 run_flow
cols=120 rows=40 run_flow
echo "tui_e2e: ok"
