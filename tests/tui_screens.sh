#!/usr/bin/env bash
# tui_screens.sh — every screen through the real binary in headless script
# mode, on the demo database with a pinned clock: the F-key bar shows exactly
# the F-keys that F1 help lists for that screen; queue switching through all
# queues with their counts; paging keeps the selection on screen (Enter opens
# the row the keys moved to); search by name, pinyin initials, ID, phone and
# case number; case tabs; documents marking and the 一次性告知书 preview; the
# actions menu with Chinese reasons; form validation that keeps typed text;
# resize; English mode.  No line is ever wider than the terminal.
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
tui() { # tui USER SCRIPT [SIZE] [extra global options]
  local u=$1 s=$2 size=${3:-24x80}; shift 3 || shift $#
  TALENTDESK_TUI_SIZE=$size "$BIN" --db "$db" --user "$u" "$@" tui --script "$s"
}
# fits FILE COLS ROWS: the dump has ROWS lines, none wider than COLS columns
fits() {
  local n w
  n=$(wc -l <"$1"); [ "$n" -eq "$3" ] || fail "$1 has $n lines, want $3" "$1"
  w=$(wc -L <"$1"); [ "$w" -le "$2" ] || fail "$1 is $w columns wide, more than $2" "$1"
}
# F-keys named in the bar (last line) and in the key column of a help dump
bar_keys() { tail -n 1 "$1" | tr -s ' ' '\n' | sed -n 's/^\([0-9][0-9]*\).*/F\1/p' | sort -u; }
help_keys() { sed -n '3,$p' "$1" | cut -c1-27 | tr -s ' ' '\n' | grep -E '^F[0-9]+$' | sort -u; }
# same_keys SCREEN HELP: the F-key bar of SCREEN = the F-keys in its help
same_keys() {
  local b h
  b=$(bar_keys "$1" | tr '\n' ' '); h=$(help_keys "$2" | tr '\n' ' ')
  [ -n "$b" ] || fail "no F-key bar" "$1"
  [ "$b" = "$h" ] || fail "bar keys [$b] differ from help keys [$h]" "$1"
  has "$2" "F1 ?" "help lists F1"
}

# 1. every screen: bar = help, and help titled with the screen
cat >"$tmp/s1" <<KEYS
:dump $tmp/queue.txt
<F1>
:dump $tmp/queue.h
<Esc><F7>
:dump $tmp/search.txt
<F1>
:dump $tmp/search.h
<Esc>CQ-2026-000027<Enter><Enter>
:dump $tmp/case.txt
<F1>
:dump $tmp/case.h
<Esc><F6>
:dump $tmp/docs.txt
<F1>
:dump $tmp/docs.h
<Esc><Esc><F7>
:dump $tmp/tasks.txt
<F1>
:dump $tmp/tasks.h
<Esc><Esc><F2>
:dump $tmp/score.txt
<F1>
:dump $tmp/score.h
<Esc><Esc><F9>
:dump $tmp/code.txt
<F1>
:dump $tmp/code.h
<Esc><Esc><Esc><Esc><F2>
:dump $tmp/intake.txt
<F1>
:dump $tmp/intake.h
KEYS
tui reviewer1 "$tmp/s1"
for s in queue search case docs tasks score code intake; do
  same_keys "$tmp/$s.txt" "$tmp/$s.h"
  fits "$tmp/$s.txt" 80 24
  fits "$tmp/$s.h" 80 24
done
has "$tmp/queue.h" "“工作队列”画面的按键" "queue help title"
has "$tmp/case.h" "“案件”画面的按键" "case help title"
has "$tmp/docs.h" "“材料审核”画面的按键" "docs help title"
has "$tmp/tasks.h" "“服务事项”画面的按键" "tasks help title"
has "$tmp/score.h" "“人才认定计分”画面的按键" "score help title"
has "$tmp/code.h" "“人才服务码”画面的按键" "code help title"
has "$tmp/intake.h" "“受理”画面的按键" "intake help title"
# keys of other screens are not offered
lacks "$tmp/queue.txt" "保存" "queue bar"
lacks "$tmp/docs.txt" "受理" "docs bar"
has "$tmp/docs.txt" "6告知书" "docs bar"
has "$tmp/score.txt" "6试算" "score bar"
has "$tmp/code.txt" "6反色" "code bar"
has "$tmp/intake.txt" "10取消" "intake bar"
lacks "$tmp/intake.txt" "10退出" "intake bar"
# help shows the editing keys only on the form, list keys only on lists
has "$tmp/intake.h" "Ctrl-K" "intake help: kill"
has "$tmp/intake.h" "Ctrl-U" "intake help: clear"
lacks "$tmp/queue.h" "Ctrl-K" "queue help"
has "$tmp/queue.h" "End G" "queue help: last"
has "$tmp/case.h" "Tab Right l" "case help: tabs"

# 2. queues: F6 walks all of them with counts and wraps; Shift-F6 goes back
{ for i in $(seq 1 12); do echo ":dump $tmp/q$i.txt"; echo "<F6>"; done
  echo "<F18><F18>"; echo ":dump $tmp/qback.txt"; } >"$tmp/s2"
tui clerk1 "$tmp/s2"
nq=$(sed -n '2s/.*（1\/\([0-9]*\)）.*/\1/p' "$tmp/q1.txt")
[ -n "$nq" ] && [ "$nq" -ge 5 ] || fail "queue count missing" "$tmp/q1.txt"
for i in $(seq 1 "$nq"); do
  f=$tmp/q$i.txt
  has "$f" "（$i/$nq）" "queue $i"
  n=$(sed -n '2s/.*共 \([0-9]*\) 件.*/\1/p' "$f")
  [ -n "$n" ] || fail "queue $i has no count" "$f"
  rows=$(sed -n '4,22p' "$f" | grep -cE '^(CQ|LDN)-2026-' || true)
  if [ "$n" -le 19 ]; then [ "$rows" -eq "$n" ] || fail "queue $i: count $n but $rows rows" "$f"
  else [ "$rows" -eq 19 ] || fail "queue $i: a full page should show 19 rows, shows $rows" "$f"; fi
  fits "$f" 80 24
done
has "$tmp/q$((nq + 1)).txt" "（1/$nq）" "F6 wraps to the first queue"
back=$(( ((12 % nq) - 2 + nq) % nq + 1 ))   # 12 x F6 from queue 1, then 2 x Shift-F6
has "$tmp/qback.txt" "（$back/$nq）" "Shift-F6 goes back"
all=$(sqlite3 "$db" "SELECT count(*) FROM cases WHERE deleted_at IS NULL")
has "$tmp/q$nq.txt" "共 $all 件" "the last queue holds every case"

# 3. paging: Enter opens the row the keys moved to, at 80 and 120 columns
first=$(sed -n '4p' "$tmp/q$nq.txt" | cut -d' ' -f1)
last=$(sqlite3 "$db" "SELECT case_no FROM cases ORDER BY created_at, case_no LIMIT 1")
for size in 24x80 40x120; do
  cols=${size#*x}; rows=${size%x*}
  cat >"$tmp/s3" <<KEYS
<F18>G
:dump $tmp/G.txt
<Enter>
:dump $tmp/Gopen.txt
<Esc>g<Enter>
:dump $tmp/gopen.txt
<Esc><PgDn><PgDn><PgDn><PgDn><PgUp><PgUp><PgUp><PgUp><Enter>
:dump $tmp/pgopen.txt
<Esc>gjjjk<Enter>
:dump $tmp/jkopen.txt
<Esc><PgDn>
:dump $tmp/pgdn.txt
KEYS
  tui clerk1 "$tmp/s3" "$size"
  third=$(sed -n '6p' "$tmp/q$nq.txt" | cut -d' ' -f1)
  has "$tmp/G.txt" "$last" "G shows the last row ($size)"
  has "$tmp/Gopen.txt" "案件 $last" "G then Enter opens the last case ($size)"
  has "$tmp/gopen.txt" "案件 $first" "g then Enter opens the first case ($size)"
  has "$tmp/pgopen.txt" "案件 $first" "4 x PgDn then 4 x PgUp is back at the top ($size)"
  has "$tmp/jkopen.txt" "案件 $third" "jjjk selects the third row ($size)"
  lacks "$tmp/pgdn.txt" "$first " "PgDn leaves the first page ($size)"
  for f in G Gopen gopen pgopen jkopen pgdn; do fits "$tmp/$f.txt" "$cols" "$rows"; done
done

# 4. search: 2-character name, pinyin initials, ID number, phone, case number
read -r cno pname pid pphone < <(sqlite3 -separator ' ' "$db" \
  "SELECT c.case_no, p.name, p.id_no, p.phone FROM cases c JOIN persons p ON p.id=c.person_id
   WHERE c.case_no='CQ-2026-000010'")
[ -n "$pphone" ] || fail "demo person has no phone"
cat >"$tmp/s4" <<KEYS
<F7>${pname:0:2}<Enter>
:dump $tmp/f_name.txt
<C-u>whx<Enter>
:dump $tmp/f_py.txt
<C-u>$pid<Enter>
:dump $tmp/f_id.txt
<C-u>$pphone<Enter>
:dump $tmp/f_phone.txt
<C-u>$cno<Enter>
:dump $tmp/f_case.txt
<Enter>
:dump $tmp/f_open.txt
KEYS
tui clerk1 "$tmp/s4"
for k in name py id phone case; do has "$tmp/f_$k.txt" "$pname" "search by $k"; done
has "$tmp/f_id.txt" "找到 1 人" "search by ID is exact"
has "$tmp/f_case.txt" "找到 1 人" "search by case number is exact"
sed -n '4,$p' "$tmp/f_id.txt" >"$tmp/f_id.rows"
lacks "$tmp/f_id.rows" "$pid" "search results mask the ID number"
has "$tmp/f_id.rows" "${pid:0:3}***********${pid:14:4}" "search results show the masked ID"
has "$tmp/f_open.txt" "案件 $cno" "Enter opens the found case"

# 5. case tabs: Tab walks 人员 材料 计分 审批 服务 历史 and wraps; S-Tab back
cat >"$tmp/s5" <<KEYS
<F7>$cno<Enter><Enter>
:dump $tmp/t0.txt
<Tab>
:dump $tmp/t1.txt
<Tab>
:dump $tmp/t2.txt
<Tab>
:dump $tmp/t3.txt
<Tab>
:dump $tmp/t4.txt
<Tab>
:dump $tmp/t5.txt
<Tab>
:dump $tmp/t6.txt
<S-Tab>
:dump $tmp/t7.txt
KEYS
tui clerk1 "$tmp/s5"
has "$tmp/t0.txt" "证件号码" "person tab"
has "$tmp/t1.txt" "核验人" "documents tab"
has "$tmp/t1.txt" "已核验" "documents tab rows"
has "$tmp/t2.txt" "尚未计分" "score tab"
has "$tmp/t3.txt" "材料审核 → 人才认定" "approvals tab"
has "$tmp/t4.txt" "服务事项" "services tab"
has "$tmp/t4.txt" "待办理" "services tab rows"
has "$tmp/t5.txt" "受理登记" "history tab (in words)"
lacks "$tmp/t5.txt" "case.new" "history tab (in words)"
has "$tmp/t5.txt" "材料核验" "history tab has every audit row"
has "$tmp/t6.txt" "证件号码" "Tab wraps to the person tab"
has "$tmp/t7.txt" "受理登记" "S-Tab from the person tab is the history tab"
lacks "$tmp/t3.txt" "材料核验" "approvals tab has only transitions"

# 6. actions menu: denied actions with Chinese reasons
cat >"$tmp/s6" <<KEYS
<F7>$cno<Enter><Enter><F8>
:dump $tmp/act.txt
<Esc>
:dump $tmp/actesc.txt
KEYS
tui clerk1 "$tmp/s6"
has "$tmp/act.txt" "流程操作" "actions menu title"
has "$tmp/act.txt" "暂不可：您没有执行此操作的权限" "denied for the role"
has "$tmp/act.txt" "暂不可：本案件未纳入绿色通道" "denied by the case"
lacks "$tmp/actesc.txt" "流程操作" "Esc closes the menu"
has "$tmp/actesc.txt" "案件 $cno" "back on the case"

# 7. documents: mark one received; the 一次性告知书 preview follows
cat >"$tmp/s7" <<KEYS
<F7>CQ-2026-000027<Enter><Enter><F6>
:dump $tmp/d0.txt
<Space>
:dump $tmp/dpick.txt
<Up><Up><Up><Up><Enter>
:dump $tmp/d1.txt
KEYS
tui reviewer1 "$tmp/s7"
has "$tmp/d0.txt" "一次性告知书预览" "notice preview"
has "$tmp/d0.txt" "1. 申请表: 未提交" "missing document in the preview"
has "$tmp/dpick.txt" "将“申请表”标记为" "mark asks the new status"
has "$tmp/d1.txt" "已收" "document marked received"
lacks "$tmp/d1.txt" "申请表: 未提交" "received document leaves the preview"
has "$tmp/d1.txt" "有效身份证件: 未提交" "other missing documents stay"

# 8. intake form: Chinese validation messages, nothing typed is lost
cat >"$tmp/s8" <<KEYS
<F2>张三abc<Tab><Tab><F4><Enter><Tab>12345<Tab>
:dump $tmp/v_id.txt
:cursor $tmp/v_id.cur
<S-Tab><C-u>11010519491231002X<Tab><Tab>20260230<Tab>
:dump $tmp/v_date.txt
<S-Tab><C-u>19491231<Tab><Tab>123<Tab>
:dump $tmp/v_phone.txt
<Esc>
:dump $tmp/v_esc.txt
n
:dump $tmp/v_keep.txt
<Esc>y
:dump $tmp/v_left.txt
KEYS
tui clerk1 "$tmp/s8"
has "$tmp/v_id.txt" "身份证号码应为 18 位" "bad ID message"
has "$tmp/v_id.txt" "12345" "bad ID kept"
has "$tmp/v_id.txt" "张三abc" "name kept after an error"
[ "$(cat "$tmp/v_id.cur")" = "6 16" ] || fail "the cursor moves on after the bad ID: $(cat "$tmp/v_id.cur")" "$tmp/v_id.txt"
has "$tmp/v_date.txt" "20260230" "bad date kept"
sed -n '23p' "$tmp/v_date.txt" | grep -s '出生日期：日期无效' >/dev/null || fail "no message for 20260230" "$tmp/v_date.txt"
has "$tmp/v_date.txt" "11010519491231002X" "valid ID kept"
has "$tmp/v_phone.txt" "123" "bad phone kept"
grep -q '手机' <(sed -n '23p' "$tmp/v_phone.txt") || fail "no phone message on the status line" "$tmp/v_phone.txt"
has "$tmp/v_esc.txt" "放弃本表中已输入的内容" "Esc asks with unsaved changes"
has "$tmp/v_keep.txt" "张三abc" "n keeps the form"
has "$tmp/v_keep.txt" "受理登记" "still on the form"
has "$tmp/v_left.txt" "工作队列" "y leaves the form"

# 9. resize 80x24 -> 120x40 -> 80x24 repaints the same screen
cat >"$tmp/s9" <<KEYS
<F7>$cno<Enter><Enter>
:dump $tmp/r1.txt
:resize 40 120
:dump $tmp/r2.txt
:resize 24 80
:dump $tmp/r3.txt
KEYS
tui clerk1 "$tmp/s9"
fits "$tmp/r1.txt" 80 24; fits "$tmp/r2.txt" 120 40; fits "$tmp/r3.txt" 80 24
cmp -s "$tmp/r1.txt" "$tmp/r3.txt" || { diff "$tmp/r1.txt" "$tmp/r3.txt" || true; fail "80x24 after 120x40 differs"; }
has "$tmp/r2.txt" "案件 $cno" "case at 120x40"
[ "$(tail -n 1 "$tmp/r2.txt" | wc -L)" -gt 80 ] || fail "the bar did not widen at 120 columns" "$tmp/r2.txt"

# 10. --ambiwidth 2 keeps columns aligned: the state column starts at one place
cat >"$tmp/s10" <<KEYS
<F18>
:dump $tmp/amb.txt
KEYS
TALENTDESK_TUI_SIZE=24x80 "$BIN" --db "$db" --user clerk1 tui --ambiwidth 2 --script "$tmp/s10"
has "$tmp/amb.txt" "02:~" "an ambiguous-width ellipsis is not drawn at width 2"
lacks "$tmp/amb.txt" "…" "an ambiguous-width ellipsis is not drawn at width 2"
fits "$tmp/amb.txt" 80 24
cols=$(sed -n '4,22p' "$tmp/amb.txt" | python3 -c '
import sys, unicodedata
def w(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)
out=set()
for l in sys.stdin:
    l=l.rstrip("\n")
    i=l.find("2026-03-16 02")
    if i >= 0: out.add(w(l[:i]))
print(len(out))')
[ "$cols" = 1 ] || fail "update column not aligned under --ambiwidth 2" "$tmp/amb.txt"

# 11. English mode
cat >"$tmp/s11" <<KEYS
:dump $tmp/en.txt
<F1>
:dump $tmp/en.h
KEYS
tui clerk1 "$tmp/s11" 24x80 --lang en
has "$tmp/en.txt" "1Help" "English bar"
has "$tmp/en.txt" "10Quit" "English bar"
lacks "$tmp/en.txt" "退出" "no Chinese labels in English mode"
has "$tmp/en.h" "show the keys of this screen" "English help"
has "$tmp/en.h" 'Keys on the screen "Work queues"' "English help title"
has "$tmp/en.txt" "Queue: My cases (1/" "English queue line"
fits "$tmp/en.txt" 80 24

# 13. list find (/ n N) on the queue; the 一次性告知书 issued with F6 is shown
#     whole (wrapped, nothing cut at the right edge) at 80 and 120 columns
dc=$(sqlite3 "$db" "SELECT c.case_no FROM cases c WHERE c.state='doc_check' AND EXISTS
       (SELECT 1 FROM case_documents d WHERE d.case_id=c.id AND d.status='missing') ORDER BY c.case_no DESC LIMIT 1" 2>/dev/null || true)
[ -n "$dc" ] || dc=$(sqlite3 "$db" "SELECT case_no FROM cases WHERE state='doc_check' ORDER BY case_no DESC LIMIT 1")
dname=$(sqlite3 "$db" "SELECT p.name FROM cases c JOIN persons p ON p.id=c.person_id WHERE c.case_no='$dc'")
before=$(sqlite3 "$db" "SELECT count(*) FROM notices")
cat >"$tmp/s13" <<KEYS
1<F18>/$dname<Enter>
:dump $tmp/find1.txt
<Enter>
:dump $tmp/find2.txt
<Esc>/<C-u>没有这个人<Enter>
:dump $tmp/find3.txt
<Esc><F7>$dc<Enter><Enter><F6><F6>
:dump $tmp/notice_ask.txt
y
:dump $tmp/notice80.txt
:resize 40 120
:dump $tmp/notice120.txt
:resize 24 80
<PgDn>
:dump $tmp/notice80b.txt
KEYS
tui reviewer1 "$tmp/s13"
has "$tmp/find1.txt" "已找到：$dname" "list find"
has "$tmp/find2.txt" "案件 $dc" "Enter opens the row find moved to"
has "$tmp/find3.txt" "未找到：没有这个人" "list find without a match"
after=$(sqlite3 "$db" "SELECT count(*) FROM notices")
[ "$after" -eq $((before + 1)) ] || fail "F6 should issue one notice ($before -> $after)"
has "$tmp/notice_ask.txt" "为案件 $dc 出具一次性告知书" "F6 asks before issuing the notice"
for f in notice80 notice120; do
  has "$tmp/$f.txt" "一次性告知书（补正材料）" "notice page"
  has "$tmp/$f.txt" "申请人：$dname" "notice names the applicant"
  has "$tmp/$f.txt" "第三十二条" "the legal sentence is wrapped, not cut"
  lacks "$tmp/$f.txt" "行政许可…" "the legal sentence is wrapped, not cut"
done
fits "$tmp/notice80.txt" 80 24; fits "$tmp/notice120.txt" 120 40; fits "$tmp/notice80b.txt" 80 24
has "$tmp/notice80b.txt" "前一次性补正上述全部材料" "PgDn reaches the end of the notice"

# 14. English mode through the case screen and the form; the cursor in a form
#     field sits after the display width of the text (ambiguous · counts 2
#     under --ambiwidth 2)
cat >"$tmp/s14" <<KEYS
<F7>$cno<Enter><Enter>
:dump $tmp/en_case.txt
<Tab>
:dump $tmp/en_docs.txt
<Esc><Esc><F2>abc<Tab><Tab><F4><Enter><Tab>123<Tab>
:dump $tmp/en_form.txt
<Esc>
:dump $tmp/en_esc.txt
y
KEYS
tui clerk1 "$tmp/s14" 24x80 --lang en
has "$tmp/en_case.txt" "Case $cno" "English case header"
has "$tmp/en_case.txt" " Person   Documents   Score   Approvals   Services   History" "English tabs"
has "$tmp/en_docs.txt" "Checked by" "English documents tab"
has "$tmp/en_form.txt" "The ID number must have 18 characters" "English validation message"
has "$tmp/en_form.txt" "10Cancel" "English form bar"
has "$tmp/en_esc.txt" "Discard what you typed in this form?" "English question"
for f in en_case en_docs en_form en_esc; do fits "$tmp/$f.txt" 80 24; lacks "$tmp/$f.txt" "帮助" "Chinese label in English mode"; done
rm -rf "$XDG_STATE_HOME"
printf '<F2>张·a\n:cursor %s\n' "$tmp/cur1" >"$tmp/s15"
tui clerk1 "$tmp/s15"
rm -rf "$XDG_STATE_HOME"
printf '<F2>张·a\n:cursor %s\n' "$tmp/cur2" >"$tmp/s16"
TALENTDESK_TUI_SIZE=24x80 "$BIN" --db "$db" --user clerk1 tui --ambiwidth 2 --script "$tmp/s16"
rm -rf "$XDG_STATE_HOME"
[ "$(cat "$tmp/cur1")" = "2 20" ] || fail "cursor after 张·a at ambiwidth 1: $(cat "$tmp/cur1"), want 2 20"
[ "$(cat "$tmp/cur2")" = "2 21" ] || fail "cursor after 张·a at ambiwidth 2: $(cat "$tmp/cur2"), want 2 21"

# 15. a name with a combining accent (José typed as e + U+0301): Left steps
#     over the whole é, Backspace then deletes the s, the accent stays on e
rm -rf "$XDG_STATE_HOME"
printf '<F2>Jose\xcc\x81<Left>\n:cursor %s\n<BS>\n:dump %s\n:cursor %s\n<Esc>y\n' \
  "$tmp/jc1" "$tmp/jose.txt" "$tmp/jc2" >"$tmp/s17"
tui clerk1 "$tmp/s17"
rm -rf "$XDG_STATE_HOME"
[ "$(cat "$tmp/jc1")" = "2 19" ] || fail "cursor before é: $(cat "$tmp/jc1"), want 2 19"
[ "$(cat "$tmp/jc2")" = "2 18" ] || fail "cursor after Backspace: $(cat "$tmp/jc2"), want 2 18"
has "$tmp/jose.txt" "$(printf 'Joe\xcc\x81')" "Backspace deleted the s, kept e + accent"

# 12. scoring, the service code and tasks on a demo made on a day the sample
#     rule set is in force (it starts 2026-05-26)
export TALENTDESK_NOW=2026-06-01T02:00:00Z
db6=$tmp/td6.db
"$BIN" --db "$db6" init --demo >/dev/null
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db6"
rec=$(sqlite3 "$db6" "SELECT case_no FROM cases WHERE state='recognition' ORDER BY case_no LIMIT 1")
coded=$(sqlite3 "$db6" "SELECT c.case_no FROM talent_codes t JOIN cases c ON c.id=t.case_id ORDER BY c.case_no LIMIT 1")
[ -n "$rec" ] && [ -n "$coded" ] || fail "demo at 2026-06-01 lacks a case in recognition or with a service code"
cat >"$tmp/s12" <<KEYS
<F7>$rec<Enter><Enter><F2>
:dump $tmp/sc1.txt
<F2>y
:dump $tmp/sc2.txt
<F6>
:dump $tmp/sc3.txt
degree=doctorate<Enter>
:dump $tmp/sc4.txt
<Esc>
:dump $tmp/sc5.txt
<Esc><Tab><Tab>
:dump $tmp/sc6.txt
<Esc><Esc><F7>$coded<Enter><Enter><F9>
:dump $tmp/qr1.txt
<F6>
:dump $tmp/qr2.txt
i
:dump $tmp/qr3.txt
<Esc><F7>
:dump $tmp/tk1.txt
<Space>
:dump $tmp/tk2.txt
<Esc>
:dump $tmp/tk3.txt
KEYS
TALENTDESK_TUI_SIZE=40x120 "$BIN" --db "$db6" --user reviewer1 tui --script "$tmp/s12"
for f in sc1 sc2 sc3 sc4 sc5 sc6 qr1 qr2 qr3 tk1 tk2 tk3; do fits "$tmp/$f.txt" 120 40; done
has "$tmp/sc1.txt" "计分项" "ledger header"
has "$tmp/sc1.txt" "学历或技能等级" "ledger rows"
has "$tmp/sc1.txt" "认定日 2026-06-01" "rule set in force"
has "$tmp/sc1.txt" "尚未保存快照" "no snapshot yet"
has "$tmp/sc2.txt" "已保存计分快照" "F2 saves a snapshot"
has "$tmp/sc2.txt" "已存快照" "the saved snapshot is shown"
lacks "$tmp/sc2.txt" "层次 none" "tier code shown raw"
snaps=$(sqlite3 "$db6" "SELECT count(*) FROM score_snapshots s JOIN cases c ON c.id=s.case_id WHERE c.case_no='$rec'")
[ "$snaps" -eq 1 ] || fail "F2 should save exactly one snapshot, found $snaps"
has "$tmp/sc3.txt" "试算条件" "what-if asks the facts"
has "$tmp/sc4.txt" "试算结果（未保存" "what-if result"
has "$tmp/sc4.txt" "+30" "what-if shows the change"
has "$tmp/sc4.txt" "总分：0 → 30" "what-if total"
has "$tmp/sc5.txt" "计分项" "Esc returns to the ledger"
snaps=$(sqlite3 "$db6" "SELECT count(*) FROM score_snapshots s JOIN cases c ON c.id=s.case_id WHERE c.case_no='$rec'")
[ "$snaps" -eq 1 ] || fail "what-if must not save a snapshot, found $snaps"
has "$tmp/sc6.txt" "不予认定" "case score tab names the tier"
lacks "$tmp/sc6.txt" "tier none" "case score tab shows the raw tier"
has "$tmp/qr1.txt" "人才服务码：" "service code"
has "$tmp/qr1.txt" "案件 $coded" "service code names the case"
has "$tmp/qr1.txt" "▄" "QR code drawn with half blocks"
cmp -s "$tmp/qr1.txt" "$tmp/qr2.txt" && fail "F6 did not invert the QR code" "$tmp/qr2.txt"
cmp -s "$tmp/qr1.txt" "$tmp/qr3.txt" || fail "i twice should give back the first QR code" "$tmp/qr3.txt"
qrw=$(grep -c '[█▀▄]' "$tmp/qr1.txt")
[ "$qrw" -ge 10 ] || fail "QR code too small ($qrw rows)" "$tmp/qr1.txt"
has "$tmp/tk1.txt" "的服务事项" "tasks screen"
has "$tmp/tk1.txt" "待办理" "task state"
has "$tmp/tk2.txt" "办结（填写结果）" "task actions"
has "$tmp/tk2.txt" "未办成（说明理由）" "task actions"
lacks "$tmp/tk3.txt" "办结（填写结果）" "Esc closes the task menu"
export TALENTDESK_NOW=2026-03-16T02:00:00Z

echo "tui_screens: ok"
