#!/usr/bin/env bash
# report_cli.sh — statistics, 好差评, specialists and follow-ups through the
# binary: `report` figures equal counts taken straight from the tables of the
# demo database, --xlsx writes a workbook (one sheet per table, charts), a
# closed case carries a rating and a bad one opens a 整改 task, a person's
# specialist is inherited by a new case and changes only with a reason, a
# follow-up appears in the due queue on its date; the TUI's F9 dashboard and
# F4 queue at 80×24 and 160×45, with block characters or ASCII.
set -euo pipefail
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp LC_ALL=C.UTF-8 TZ=UTC TALENTDESK_NOW=2026-03-16T02:00:00Z XDG_STATE_HOME=$tmp/state
unset TALENTDESK_LANG TALENTDESK_ASCII NO_COLOR 2>/dev/null || true
db=$tmp/td.db
fail() { echo "FAIL: $*"; [ -n "${2:-}" ] && cat "$2"; exit 1; }
T() { "$BIN" --db "$db" "$@"; }
rc() { set +e; "$@" >"$tmp/out" 2>"$tmp/err"; local r=$?; set -e; echo $r; }
q() { sqlite3 "$db" "$1"; }
j() { python3 -c "import json,sys; d=json.load(open('$tmp/out')); print($1)"; }
T init --demo >/dev/null
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"

# 1. figures equal the rows (counted straight from the tables)
[ "$(rc T --json report summary)" -eq 0 ] || fail "report summary" "$tmp/err"
[ "$(j 'd["summary"]["cases"]')" -eq "$(q "SELECT count(*) FROM cases")" ] || fail "cases"
[ "$(j 'd["summary"]["person_times"]')" -eq "$(q "SELECT count(*) FROM service_requests WHERE status='done'")" ] ||
  fail "person-times = done requests"
[ "$(j 'd["summary"]["services"]')" -eq "$(q "SELECT count(*) FROM service_requests")" ] || fail "services"
[ "$(j 'd["summary"]["notices"]')" -eq "$(q "SELECT count(*) FROM notices")" ] || fail "notices"
[ "$(j 'd["summary"]["closed"]')" -eq "$(q "SELECT count(*) FROM cases WHERE state='closed'")" ] || fail "closed"
[ "$(j 'len(d["tables"][0]["rows"])')" -eq 8 ] || fail "8 targets"
j 'd["tables"][0]["rows"][0]["label"]' | grep -q '10万人次' || fail "target name"
# every target in the file has its seed and clause
[ "$(grep -c '^source = .*seed 00[13]' "$(dirname "$BIN")/../data/targets.tdp" 2>/dev/null ||
     grep -c '^source = .*seed 00[13]' data/targets.tdp)" -eq 8 ] || fail "targets without source"
[ "$(rc T --json report sla)" -eq 0 ] || fail "report sla"
[ "$(j 'd["tables"][0]["id"]')" = "sla.department" ] || fail "sla first table"
[ "$(rc T --json report cases --station LDN)" -eq 0 ] || fail "report cases --station"
[ "$(j 'sum(r["values"][0] for r in d["tables"][0]["rows"])')" -eq \
  "$(q "SELECT count(*) FROM cases c JOIN stations s ON s.id=c.station_id WHERE s.code='LDN'")" ] || fail "LDN cases"
[ "$(rc T report services --from 2026-13-01)" -eq 6 ] || fail "bad date: exit 6"
grep -q '不是日期' "$tmp/err" || fail "bad date message" "$tmp/err"
[ "$(rc T report services --station ZZ)" -eq 6 ] || fail "bad station: exit 6"
[ "$(rc T report frob)" -eq 2 ] || fail "unknown report: usage"
T report targets | grep -q '目标任务' || fail "targets text"

# 2. .xlsx: one sheet per table, charts, written atomically (no temporary left)
[ "$(rc T report summary --xlsx "$tmp/r.xlsx")" -eq 0 ] || fail "xlsx" "$tmp/err"
python3 - "$tmp/r.xlsx" <<'PY' || fail "xlsx content"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
sheets = [n for n in names if n.startswith('xl/worksheets/sheet')]
charts = [n for n in names if n.startswith('xl/charts/chart')]
assert len(sheets) == 17, sheets
assert len(charts) >= 10, charts
ss = z.read('xl/sharedStrings.xml').decode()
assert '名称' in ss and '按时率' in ss and '办结（人次）' in ss, 'Chinese headers'
assert '目标任务' in z.read('xl/workbook.xml').decode(), 'sheet names'
assert 'numFmt' in z.read('xl/styles.xml').decode(), 'number formats'
PY
[ -z "$(ls -A "$tmp" | grep '^\.r\.xlsx')" ] || fail "temporary left beside the workbook"
grep -q '已写工作表' "$tmp/err" || fail "progress on stderr"
[ "$(rc T report summary --xlsx "$tmp/nodir/r.xlsx")" -eq 9 ] || fail "unwritable: exit 9"

# 3. 好差评: a closed case, once, within the period; bad → 整改 for the station's lead
closed=$(q "SELECT case_no FROM cases WHERE state='closed' ORDER BY case_no LIMIT 1")
open_case=$(q "SELECT case_no FROM cases WHERE closed_at IS NULL ORDER BY case_no LIMIT 1")
[ "$(rc T --user clerk1 rate "$open_case" 5)" -eq 6 ] || fail "rating an open case"
[ "$(rc T --user clerk1 rate "$closed" 9)" -eq 2 ] || fail "score 9"
[ "$(rc T --user clerk1 --json rate "$closed" 1 --comment 等待时间太长)" -eq 0 ] || fail "rate" "$tmp/err"
[ "$(j 'd["score"]')" -eq 1 ] && [ "$(j 'd["rectification"] is not None')" = True ] || fail "bad rating → rectification"
[ "$(rc T --user clerk1 rate "$closed" 5)" -eq 5 ] || fail "second rating: conflict"
T --user clerk1 case show "$closed" >"$tmp/show"
grep -q '非常不满意' "$tmp/show" || fail "case show lacks the rating" "$tmp/show"
[ "$(rc T --user admin --json rate rectifications)" -eq 0 ] || fail "rectifications"
[ "$(j 'len(d)')" -eq 1 ] || fail "admin (CQ's lead) has one rectification"
rid=$(j 'd[0]["id"]')
[ "$(rc T --user clerk1 rate rectified "$rid" --result 已致歉)" -eq 4 ] || fail "a clerk closes a rectification"
[ "$(rc T --user admin rate rectified "$rid" --result 已回访致歉并改进)" -eq 0 ] || fail "rectified" "$tmp/err"
T --json report ratings >"$tmp/out"
[ "$(j '[r["values"][0] for r in d["tables"][0]["rows"] if r["key"]=="1"][0]')" -eq 1 ] || fail "ratings report"
# the period: 15 days after closing
second=$(q "SELECT case_no FROM cases WHERE state='closed' ORDER BY case_no LIMIT 1 OFFSET 1")
TALENTDESK_NOW=2026-04-30 td_login "$BIN" "$db" clerk1 "$TD_DEMO_PASSWORD" # weeks later: a new session
[ "$(TALENTDESK_NOW=2026-04-30 rc T --user clerk1 rate "$second" 4)" -eq 6 ] || fail "rating after the period"
grep -q '评价期已过' "$tmp/err" || fail "period message" "$tmp/err"

# 4. the specialist per person: shown, inherited, changed with a reason (audited)
pid=$(q "SELECT id_no FROM persons WHERE id_type='resident' ORDER BY id_no LIMIT 1")
[ "$(rc T --user clerk1 specialist "$pid" spec1)" -eq 0 ] || fail "specialist set" "$tmp/err"
T --user clerk1 --json case new "$pid" --service archive_transfer >"$tmp/out" || fail "case new"
newcase=$(j 'd["case_no"]')
T --user clerk1 case show "$newcase" | grep -q '人才服务专员' || fail "case show lacks the specialist"
[ "$(q "SELECT u.username FROM cases c JOIN users u ON u.id=c.specialist_id WHERE c.case_no='$newcase'")" = spec1 ] ||
  fail "new case did not inherit the specialist"
[ "$(rc T --user clerk1 specialist "$pid" --clear)" -eq 6 ] || fail "removing without a reason"
[ "$(rc T --user clerk1 specialist "$pid" --clear --reason 人才调离)" -eq 0 ] || fail "clear with reason"
[ "$(q "SELECT count(*) FROM audit_log WHERE action='person.specialist' AND reason='人才调离'")" -eq 1 ] ||
  fail "reassignment not audited"
T --user clerk1 specialist "$pid" spec1 >/dev/null

# 5. follow-ups: due on the planned date, gone once logged again
[ "$(rc T --user spec1 followup add "$pid" --channel phone --note 询问落户进展 --next 2026-03-20)" -eq 0 ] ||
  fail "followup add" "$tmp/err"
[ "$(rc T --user spec1 followup add "$pid" --channel fax)" -eq 6 ] || fail "bad channel"
[ "$(T --user spec1 --json followup due | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -eq 0 ] ||
  fail "due before its date"
for u in spec1 clerk1; do TALENTDESK_NOW=2026-03-20 td_login "$BIN" "$db" $u "$TD_DEMO_PASSWORD"; done
[ "$(TALENTDESK_NOW=2026-03-20 T --user spec1 --json followup due |
     python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -eq 1 ] || fail "not due on its date"
[ "$(TALENTDESK_NOW=2026-03-20 T --user clerk1 --json followup due |
     python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -eq 0 ] || fail "someone else's queue"

# 6. the TUI: F9 dashboard, a table, Enter on a figure, F4 follow-ups — 80×24 and 160×45
for size in 24x80 45x160; do
  cat >"$tmp/k" <<KEYS
<F9>
:dump $tmp/dash.txt
<Down><Enter>
:dump $tmp/source.txt
<Tab>
:dump $tmp/tab.txt
<Down><Enter>
:dump $tmp/drill.txt
<Esc>p
:dump $tmp/month.txt
<Esc>
:quit
KEYS
  TALENTDESK_TUI_SIZE=$size "$BIN" --db "$db" --user admin tui --script "$tmp/k" || fail "tui script $size"
  grep -q '目标任务' "$tmp/dash.txt" || fail "$size: dashboard lacks targets" "$tmp/dash.txt"
  grep -q '线上线下累计服务10万人' "$tmp/dash.txt" || fail "$size: target name" "$tmp/dash.txt"
  if [ "$size" = 45x160 ]; then
    grep -q '10万人次以上 .*渝人社规〔2026〕9号 第二条' "$tmp/dash.txt" || fail "$size: target source" "$tmp/dash.txt"
  fi
  grep -q '本月与上月' "$tmp/dash.txt" || fail "$size: this month against last" "$tmp/dash.txt"
  grep -q '█' "$tmp/dash.txt" || fail "$size: no block bars" "$tmp/dash.txt"
  grep -q '10万人次以上: 渝人社规〔2026〕9号 第二条' "$tmp/source.txt" || fail "$size: Enter on a target shows its source" "$tmp/source.txt"
  grep -q '按状态统计案件' "$tmp/tab.txt" || fail "$size: table page" "$tmp/tab.txt"
  grep -q '占比' "$tmp/tab.txt" || fail "$size: numbers beside the chart" "$tmp/tab.txt"
  grep -q 'Enter 打开' "$tmp/drill.txt" || fail "$size: drill-down" "$tmp/drill.txt"
  grep -Eq '(CQ|LDN)-2026-' "$tmp/drill.txt" || fail "$size: cases behind the figure" "$tmp/drill.txt"
  grep -q '期间：本月' "$tmp/month.txt" || fail "$size: period filter" "$tmp/month.txt"
  rows=$(wc -l <"$tmp/dash.txt")
  [ "$rows" -eq "${size%x*}" ] || fail "$size: dump has $rows rows"
done
# ASCII when the locale cannot draw blocks
printf '<F9>\n:dump %s\n:quit\n' "$tmp/ascii.txt" >"$tmp/k"
TALENTDESK_ASCII=1 TALENTDESK_TUI_SIZE=24x80 "$BIN" --db "$db" --user admin tui --script "$tmp/k"
if grep -q '[█▏▎▍▌▋▊▉]' "$tmp/ascii.txt"; then fail "ASCII mode drew blocks" "$tmp/ascii.txt"; fi
grep -q '\[#' "$tmp/ascii.txt" || fail "ASCII bars" "$tmp/ascii.txt"
# the follow-ups due queue
printf '<F4>\n:dump %s\n:quit\n' "$tmp/fu.txt" >"$tmp/k"
TALENTDESK_NOW=2026-03-20T02:00:00Z TALENTDESK_TUI_SIZE=24x80 "$BIN" --db "$db" --user spec1 tui --script "$tmp/k"
grep -q '到期回访：1' "$tmp/fu.txt" || fail "F4 queue" "$tmp/fu.txt"
grep -q '询问落户进展' "$tmp/fu.txt" || fail "F4 queue lacks the note" "$tmp/fu.txt"
# the case screen shows the person's specialist and the case's rating
closed_pid=$(q "SELECT p.id_no FROM cases c JOIN persons p ON p.id=c.person_id WHERE c.case_no='$closed'")
T --user clerk1 specialist "$closed_pid" spec1 >/dev/null
printf '<F7>%s<Enter><Enter>\n:dump %s\n:quit\n' "$closed" "$tmp/case.txt" >"$tmp/k"
TALENTDESK_TUI_SIZE=24x80 "$BIN" --db "$db" --user clerk1 tui --script "$tmp/k"
grep -q '人才服务专员 *吴昊' "$tmp/case.txt" || fail "case screen lacks the specialist" "$tmp/case.txt"
grep -q '非常不满意 (1) 等待时间太长' "$tmp/case.txt" || fail "case screen lacks the rating" "$tmp/case.txt"
echo "report_cli: ok"
