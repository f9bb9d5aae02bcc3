#!/usr/bin/env bash
# Record scope through EVERY command (issue 10 items 5 and 7): a station
# operator (station1 at LDN) can neither open nor list a CQ case or person
# through any command of cli/commands.def — each command that names one exits
# 4 with a Chinese message (audited), each list leaves them out.  A command
# added to commands.def must be added below (or to the no-case-data list),
# else this test fails.  Then masking in every output format: text, JSON,
# CSV and .xlsx, with the audited --purpose as the one way to full values.
set -euo pipefail
bin=${TD_BIN:-./talentdesk}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-06-15 LC_ALL=C.UTF-8 HOME=$tmp XDG_STATE_HOME=$tmp/state
unset TALENTDESK_USER TALENTDESK_DB TALENTDESK_LANG
fail() { echo "FAIL: $*" >&2; exit 1; }
rc() { set +e; "$@" >"$tmp/out" 2>"$tmp/err"; local r=$?; set -e; echo $r; }
db="$tmp/x.db"
T() { "$bin" --db "$db" "$@"; }
q() { sqlite3 "$db" "$1"; }

T init --demo --persons 6 >/dev/null
source "$here/lib/session.sh"; td_login_demo_users "$bin" "$db"
T --user station1 person add --name 李雷 --id-no 440524188001010014 --phone 13912345678 >/dev/null
T --user station1 case new 440524188001010014 --service talent_recognition >/dev/null
cq=$(q "SELECT case_no FROM cases WHERE case_no LIKE 'CQ-%' ORDER BY case_no LIMIT 1")
cqpid=$(q "SELECT person_id FROM cases WHERE case_no = '$cq'")
cqid=$(q "SELECT id_no FROM persons WHERE id = '$cqpid'")
cqname=$(q "SELECT name FROM persons WHERE id = '$cqpid'")
task=$(q "SELECT r.id FROM service_requests r JOIN cases c ON c.id = r.case_id WHERE c.case_no = '$cq' LIMIT 1")
svc=$(q "SELECT service_id FROM service_requests WHERE id = '$task'")
[ -n "$cq" ] && [ -n "$cqid" ] && [ -n "$task" ] || fail "fixture"

# Commands that name a CQ record: each must be refused (exit 4, Chinese, audited).
refused=(
  "person show $cqid" "person show $cqpid" "person update $cqid --employer 某单位"
  "case show $cq" "case actions $cq" "case act $cq submit" "case history $cq"
  "score $cq" "code show $cq" "entitlements $cq" "entitlements $cqid"
  "facts $cqid list" "facts $cqid add degree=master"
  "docs $cq list" "docs $cq check" "notice $cq"
  "task list $cq" "task start $task" "task done $cq:$svc --result 已办结"
  "escalate $task --to spec1 --reason 催办" "green $cq --reason 顶尖人才"
  "signoff $cq list" "audit log $cq" "audit view-id $cqid --purpose 核对"
  "rate $cq 5" "rate show $cq" "specialist $cqid spec1 --reason 调整"
  "followup add $cqid --channel phone --note 回访" "followup list $cqid"
  "print receipt $cq" "search $cq" "search $cqid"
)
# Commands that list: must succeed and show nothing of the CQ case or person.
listed=(
  "case list" "person list" "queue state intake" "queue state doc_check" "queue awaiting" "queue overdue"
  "queue mine" "search $cqname" "followup due" "export cases $tmp/e.csv" "export persons $tmp/p.csv"
  "export services $tmp/s.csv" "export cases $tmp/e.xlsx" "dupes list --status all"
)
# Commands without case data of one record (policy, users, the database, sign-in, aggregates).
no_case_data=" init user rules policy service calendar tui import help upgrade backup restore check report
  login logout whoami sync "

covered=" "
for cmd in "${refused[@]}" "${listed[@]}"; do covered+="${cmd%% *} "; done
for name in $(sed -n 's/^CMD("\([a-z]*\)".*/\1/p' "$here/../cli/commands.def"); do
  case "$covered $(echo $no_case_data) " in *" $name "*) ;; *) fail "command '$name' is not covered by this scope test" ;; esac
done

denied0=$(q "SELECT count(*) FROM audit_log WHERE action = 'auth.denied'")
n=0
for cmd in "${refused[@]}"; do
  # shellcheck disable=SC2086
  r=$(rc T --user station1 $cmd)
  [ "$r" -eq 4 ] || fail "station1 '$cmd' exits $r (want 4): $(head -c 300 "$tmp/err") $(head -c 300 "$tmp/out")"
  grep -qP '[\x{4e00}-\x{9fff}]{2,}' "$tmp/err" || fail "'$cmd': no Chinese message"
  grep -q "$cq" "$tmp/out" && fail "'$cmd' printed $cq"
  n=$((n + 1))
  # the same with --json: refused too, nothing of the case on stdout but the error
  # shellcheck disable=SC2086
  r=$(rc T --user station1 --json $cmd)
  [ "$r" -eq 4 ] || fail "station1 --json '$cmd' exits $r"
  n=$((n + 1))
done
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'auth.denied'")" -eq $((denied0 + n)) ] ||
  fail "refusals audited $(( $(q "SELECT count(*) FROM audit_log WHERE action = 'auth.denied'") - denied0 )) times, want $n"

for cmd in "${listed[@]}"; do
  for j in "" --json; do
    # shellcheck disable=SC2086
    r=$(rc T --user station1 $j $cmd)
    [ "$r" -eq 0 ] || fail "station1 $j '$cmd' exits $r: $(head -c 300 "$tmp/err")"
    for f in "$tmp/out" "$tmp"/e.csv "$tmp"/p.csv "$tmp"/s.csv; do
      [ -f "$f" ] || continue
      grep -q "CQ-20" "$f" && fail "station1 '$cmd' shows a CQ case ($f)"
      grep -q "$cqid" "$f" && fail "station1 '$cmd' shows the CQ person's number ($f)"
    done
    if [ -f "$tmp/e.xlsx" ]; then
      python3 -c 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); sys.exit(any(b"CQ-20" in z.read(n) for n in z.namelist()))' \
        "$tmp/e.xlsx" || fail "station1 xlsx export shows a CQ case"
    fi
  done
done
# …while the station's own case is there
T --user station1 case list | grep -q "LDN-" || fail "station1 does not see its own case"
T --user station1 queue state intake | grep -q "LDN-" || fail "station1's queue misses its own case"
# and a clerk at HQ sees all
T --user clerk1 case show "$cq" >/dev/null || fail "clerk1 cannot open $cq"

# the TUI reads through the same core: station1 searching the CQ case finds nothing, its own case is found
ldn=$(q "SELECT case_no FROM cases WHERE case_no LIKE 'LDN-%' LIMIT 1")
cat >"$tmp/k" <<KEYS
<F7>
$cq<Enter>
:dump $tmp/tui_cq.txt
<Esc>
<F7>
$ldn<Enter>
:dump $tmp/tui_ldn.txt
:quit
KEYS
TALENTDESK_TUI_SIZE=24x80 "$bin" --db "$db" --user station1 tui --script "$tmp/k" >/dev/null 2>&1 || fail "tui script"
grep -q "$cqname" "$tmp/tui_cq.txt" && fail "TUI search shows $cq ($cqname) to station1"
grep -q "李雷" "$tmp/tui_ldn.txt" || fail "TUI search misses station1's own case $ldn"

# ---- masking in every output format ------------------------------------------
T --user reviewer1 facts 440524188001010014 add annual_salary=654321 --verified --evidence 劳动合同 >/dev/null
full_phone=13912345678 full_id=440524188001010014
check_masked() { # FILE WHAT
  grep -q "$full_phone" "$1" && fail "$2 shows the full mobile"
  grep -q "$full_id" "$1" && fail "$2 shows the full identity number"
  grep -q '139\*\*\*\*5678' "$1" || fail "$2 lacks the masked mobile"
}
T --user reviewer1 person show $full_id >"$tmp/t.txt"; check_masked "$tmp/t.txt" "person show (text)"
T --user reviewer1 --json person show $full_id >"$tmp/t.json"; check_masked "$tmp/t.json" "person show (json)"
T --user reviewer1 --json person list >"$tmp/l.json"; check_masked "$tmp/l.json" "person list (json)"
T --user reviewer1 search 李雷 >"$tmp/s.txt"; check_masked "$tmp/s.txt" "search (text)"
T --user reviewer1 --json search 李雷 >"$tmp/s.json"; check_masked "$tmp/s.json" "search (json)"
T --user reviewer1 export persons "$tmp/m.csv" >/dev/null; check_masked "$tmp/m.csv" "export (csv)"
T --user reviewer1 export persons "$tmp/m.xlsx" >/dev/null
python3 - "$tmp/m.xlsx" >"$tmp/m.xml" <<'EOF'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    if n.endswith('.xml'):
        sys.stdout.write(z.read(n).decode('utf-8'))
EOF
check_masked "$tmp/m.xml" "export (xlsx)"
# salaries: masked for a clerk (text and json), shown to a reviewer
T --user clerk1 facts $full_id list >"$tmp/f.txt"
grep -q 654321 "$tmp/f.txt" && fail "clerk sees the salary (text)"
grep -q '\*\*\*\*\*\*' "$tmp/f.txt" || fail "masked salary not shown"
T --user clerk1 --json facts $full_id list | grep -q 654321 && fail "clerk sees the salary (json)"
T --user reviewer1 facts $full_id list | grep -q 654321 || fail "reviewer cannot see the salary"
# the one way to full values: a stated purpose, audited with rows and file
T --user reviewer1 export persons "$tmp/full.csv" --purpose 年度数据核对 >/dev/null
grep -q "$full_phone" "$tmp/full.csv" && grep -q "$full_id" "$tmp/full.csv" || fail "--purpose export not full"
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'export.persons' AND reason LIKE 'full.csv;%年度数据核对'
         AND CAST(new_value AS INTEGER) > 0")" -eq 1 ] || fail "unmasked export not audited with rows, file, purpose"
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'export.persons' AND reason LIKE 'm.csv;%'")" -eq 1 ] ||
  fail "masked export not audited"
T --user reviewer1 audit view-id $full_id --purpose 核对身份 | grep -q "$full_id" || fail "view-id"
echo "auth_scope_all: ok"
