#!/usr/bin/env bash
# Workflow end to end through the CLI alone: a case goes from intake to
# closed acted on by different users (clerk, reviewer, approver, specialist);
# every denied action fails with a Chinese message, the documented exit code,
# and changes nothing; the 一次性告知书 lists every missing document and
# prints in GB18030; 联审 needs every department; an audit row edited with
# sqlite3 is named by `audit verify`.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/wf.db"
export TALENTDESK_NOW=2026-02-13   # Friday before the Spring Festival
export LC_ALL=C.UTF-8

fail() { echo "FAIL: $*" >&2; exit 1; }
td() { "$bin" --db "$db" "$@"; }
as() { local u=$1; shift; "$bin" --db "$db" --user "$u" "$@"; }
q() { sqlite3 "$db" "$1"; }

# expect_denied RC USER ARGS... : must fail with exit RC, a Chinese message on
# stderr, and leave the cases, audit log and history exactly as they were.
expect_denied() {
  local want=$1; shift
  local before after rc
  before=$(q "SELECT group_concat(id || state || row_version, ';') FROM (SELECT * FROM cases ORDER BY id);
              SELECT count(*) FROM audit_log WHERE action NOT LIKE 'auth.%'; SELECT count(*) FROM case_events;
              SELECT group_concat(status || row_version, ';') FROM (SELECT * FROM case_documents ORDER BY id);
              SELECT group_concat(status || row_version, ';') FROM (SELECT * FROM service_requests ORDER BY id);")
  set +e
  as "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  set -e
  [ "$rc" -eq "$want" ] || fail "$* → exit $rc (want $want): $(cat "$tmp/err")"
  grep -q '错误' "$tmp/err" || fail "$*: no Chinese error: $(cat "$tmp/err")"
  grep -qP '[\x{4e00}-\x{9fff}]{2,}' <(sed 's/错误//' "$tmp/err") || fail "$*: message not Chinese: $(cat "$tmp/err")"
  after=$(q "SELECT group_concat(id || state || row_version, ';') FROM (SELECT * FROM cases ORDER BY id);
             SELECT count(*) FROM audit_log WHERE action NOT LIKE 'auth.%'; SELECT count(*) FROM case_events;
             SELECT group_concat(status || row_version, ';') FROM (SELECT * FROM case_documents ORDER BY id);
             SELECT group_concat(status || row_version, ';') FROM (SELECT * FROM service_requests ORDER BY id);")
  [ "$before" = "$after" ] || fail "$*: a denied action changed data"
  if [ "$want" -eq 4 ]; then # every refusal is audited
    [ "$(q "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1")" = auth.denied ] || fail "$*: refusal not audited"
  fi
}

source "$(dirname "$0")/lib/session.sh"; td_init "$bin" "$db" >/dev/null || fail "init"
td_user_add "$bin" "$db" clerk1 --name 王芳 --roles clerk
td_user_add "$bin" "$db" reviewer1 --name 赵敏 --roles reviewer
td_user_add "$bin" "$db" approver1 --name 陈静 --roles approver
td_user_add "$bin" "$db" both --name 兼职人员 --roles clerk,approver
td_user_add "$bin" "$db" spec1 --name 吴昊 --roles specialist
td_user_add "$bin" "$db" signer_rsj --name 孙磊 --roles signer --dept rsj
td_user_add "$bin" "$db" signer_kjj --name 周婷 --roles signer --dept kjj

# ── a service case, intake → closed ───────────────────────────────────────
as clerk1 person add --name 张三 --id-no 11010519491231002X --phone 13800138000 >/dev/null || fail "person add"
as clerk1 --json case new 11010519491231002X --service enterprise_setup --type service --specialist spec1 >"$tmp/c.json" \
  || fail "case new"
case_no=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["case_no"])' "$tmp/c.json")

# what may the clerk do now?
as clerk1 --json case actions "$case_no" >"$tmp/a.json" || fail "case actions"
python3 - "$tmp/a.json" <<'PY' || fail "actions JSON"
import json, sys
a = json.load(open(sys.argv[1]))
assert a["state"] == "intake", a
acts = {x["action"]: x for x in a["actions"]}
assert acts["submit"]["allowed"], acts
assert not acts["green_track"]["allowed"] and "绿色通道" in acts["green_track"]["why_not"], acts
PY
as clerk1 case actions "$case_no" | grep -s '提交材料审核' >/dev/null || fail "actions text in Chinese"

# denied: wrong role, wrong state, missing reason, unknown action
expect_denied 4 reviewer1 case act "$case_no" submit
expect_denied 4 clerk1 case act "$case_no" approve_service
expect_denied 6 clerk1 case act "$case_no" withdraw
expect_denied 6 clerk1 case act "$case_no" take_a_break
expect_denied 6 approver1 green "$case_no"
expect_denied 4 clerk1 green "$case_no" --reason 顶尖人才

as clerk1 case act "$case_no" submit >"$tmp/out" || fail "submit"
grep -q '受理登记 → 材料审核' "$tmp/out" || fail "submit output: $(cat "$tmp/out")"

# document check: three documents missing → one notice listing all three
as clerk1 docs "$case_no" list >"$tmp/docs" || fail "docs list"
[ "$(wc -l <"$tmp/docs")" -eq 4 ] || fail "4 checklist rows: $(cat "$tmp/docs")"
as clerk1 docs "$case_no" mark identity verified --note 原件已核对 >/dev/null || fail "docs mark"
expect_denied 6 clerk1 docs "$case_no" mark articles invalid
expect_denied 4 approver1 docs "$case_no" mark articles verified
expect_denied 4 clerk1 case act "$case_no" docs_ok_service
as clerk1 docs "$case_no" check >"$tmp/notice" || fail "docs check"
grep -q '一次性告知书' "$tmp/notice" || fail "notice title"
grep -q '共 3 项' "$tmp/notice" || fail "notice counts 3: $(cat "$tmp/notice")"
for doc in 申请表 公司章程 '住所（经营场所）证明'; do grep -q "$doc" "$tmp/notice" || fail "notice lists $doc"; done
grep -q '2026-02-27' "$tmp/notice" || fail "deadline 5 working days after 13 Feb is 27 Feb"
[ "$(q "SELECT count(*) FROM notices")" -eq 1 ] || fail "exactly one notice"
[ "$(q "SELECT state FROM cases WHERE case_no = '$case_no'")" = awaiting_docs ] || fail "awaiting documents"
expect_denied 4 clerk1 docs "$case_no" check

# the notice again, and in GB18030 for the receipt printer
as clerk1 notice "$case_no" >"$tmp/n1" || fail "notice"
cmp -s "$tmp/notice" "$tmp/n1" || fail "notice reprints the same text"
as clerk1 notice "$case_no" --encoding gb18030 --output "$tmp/n.gb" || fail "notice gb18030"
iconv -f GB18030 -t UTF-8 "$tmp/n.gb" >"$tmp/n.back" || fail "GB18030 output decodes"
cmp -s "$tmp/n1" "$tmp/n.back" || fail "GB18030 round trip"

# supplying a document returns the case to checking; the reviewer verifies all
as clerk1 docs "$case_no" mark application_form received >"$tmp/out" || fail "supply"
grep -q '材料审核' "$tmp/out" || fail "back to checking: $(cat "$tmp/out")"
for d in application_form articles premises_proof; do
  as reviewer1 docs "$case_no" mark "$d" verified >/dev/null || fail "verify $d"
done
as reviewer1 docs "$case_no" check | grep -s '全部核验' >/dev/null || fail "check complete"
as reviewer1 case act "$case_no" docs_ok_service >/dev/null || fail "docs ok"

# stale write: acting on an old version is refused and changes nothing
ver=$(q "SELECT row_version FROM cases WHERE case_no = '$case_no'")
expect_denied 5 approver1 case act "$case_no" approve_service --version $((ver - 1))
grep -q '此案件已被他人修改，请刷新后重试' "$tmp/err" || fail "stale message"

# four-eyes: approval by someone other than the intake clerk
as approver1 case act "$case_no" approve_service --version "$ver" >"$tmp/out" || fail "approve"
grep -q '服务办理' "$tmp/out" || fail "approve output"
as spec1 --json task list "$case_no" >"$tmp/t.json" || fail "task list"
task=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); assert len(t)==1; assert t[0]["due_date"]=="2026-02-25", t; print(t[0]["id"])' "$tmp/t.json") \
  || fail "one task due 3 working days later (14 Feb worked, Spring Festival off)"
expect_denied 4 spec1 case act "$case_no" close
expect_denied 4 clerk1 task start "$task"
expect_denied 6 spec1 task cancel "$task"
as spec1 task start "$task" >/dev/null || fail "task start"
as spec1 task done "$task" --result 营业执照已发放 >/dev/null || fail "task done"
as spec1 case act "$case_no" close >"$tmp/out" || fail "close"
grep -q '办结' "$tmp/out" || fail "closed"
[ "$(q "SELECT state FROM cases WHERE case_no = '$case_no'")" = closed ] || fail "state closed"
[ "$(q "SELECT count(DISTINCT user_id) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.case_no = '$case_no'")" -ge 3 ] \
  || fail "three different users acted"
expect_denied 4 clerk1 case act "$case_no" withdraw --reason 太晚了

# the clerk who took a case in cannot approve it
as both person add --name 李四 --id-no 440524188001010014 >/dev/null || fail "person 2"
as both --json case new 440524188001010014 --service enterprise_setup --type service >"$tmp/c2.json" || fail "case 2"
case2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["case_no"])' "$tmp/c2.json")
as both case act "$case2" submit >/dev/null
sqlite3 "$db" "UPDATE case_documents SET status = 'verified' WHERE case_id = (SELECT id FROM cases WHERE case_no = '$case2')"
as both case act "$case2" docs_ok_service >/dev/null
expect_denied 4 both case act "$case2" approve_service
grep -q '四眼' "$tmp/err" || fail "four-eyes message: $(cat "$tmp/err")"

# ── 联审 on a recognition case (the score snapshot stands in for the
#    scoring module, which fills score_snapshots) ──────────────────────────
as clerk1 --json case new 13800138000 --service enterprise_setup --specialist spec1 >"$tmp/c3.json" || fail "case 3"
case3=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["case_no"])' "$tmp/c3.json")
as clerk1 case act "$case3" submit >/dev/null
sqlite3 "$db" "UPDATE case_documents SET status = 'verified' WHERE case_id = (SELECT id FROM cases WHERE case_no = '$case3')"
as reviewer1 case act "$case3" docs_ok >/dev/null || fail "docs ok 3"
expect_denied 4 reviewer1 case act "$case3" submit_approval
sqlite3 "$db" "INSERT INTO score_snapshots(id, case_id, person_id, rule_set_id, rule_set_hash, as_of, route, total, tier_id,
  inputs_json, ledger_json, created_at, updated_at) SELECT 'snap-1', id, person_id, 'test', 'x', '2026-02-13', 'points', 88,
  'leading', '{}', '[]', '2026-02-13T01:00:00.000Z', '2026-02-13T01:00:00.000Z' FROM cases WHERE case_no = '$case3'"
as reviewer1 case act "$case3" submit_approval >"$tmp/out" || fail "submit for approval"
grep -q '联审' "$tmp/out" || fail "joint sign-off opened: $(cat "$tmp/out")"
as signer_rsj --json queue signoff | grep -s "$case3" >/dev/null || fail "rsj queue"
as signer_rsj signoff "$case3" approve >/dev/null || fail "rsj signs"
expect_denied 4 approver1 case act "$case3" approve
grep -q '联审' "$tmp/err" || fail "partial sign-off message"
expect_denied 6 signer_rsj signoff "$case3" approve
expect_denied 6 signer_kjj signoff "$case3" return
as signer_kjj signoff "$case3" approve >/dev/null || fail "kjj signs"
as approver1 case act "$case3" approve >"$tmp/out" || fail "approve with 联审"
grep -q '服务码未签发\|人才服务码' "$tmp/out" || fail "talent code effect reported (issued, or not issued while no hook is wired): $(cat "$tmp/out")"

# queues
as spec1 --json queue mine >"$tmp/mine.json" || fail "queue mine"
grep -q "$case3" "$tmp/mine.json" || fail "mine lists the specialist's case"
as clerk1 queue state fulfilment | grep -s "$case3" >/dev/null || fail "state queue"
as clerk1 queue overdue >/dev/null || fail "overdue queue"
TALENTDESK_NOW=2026-03-20 td_login "$bin" "$db" approver1 # weeks later: the old session has expired
TALENTDESK_NOW=2026-03-20 as approver1 --json task overdue >"$tmp/od.json" || fail "overdue later"
task3=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["rows"]; assert r and r[0]["overdue"], r; print(r[0]["id"])' "$tmp/od.json") \
  || fail "overdue task listed"
TALENTDESK_NOW=2026-03-20 as approver1 escalate "$task3" --to spec1 --reason 已超期请尽快办理 >/dev/null || fail "escalate"
expect_denied 6 approver1 escalate "$task3" --to spec1
[ "$(q "SELECT count(*) FROM escalations WHERE reason = '已超期请尽快办理'")" -eq 1 ] || fail "escalation recorded"

# history and audit
as clerk1 case history "$case_no" | grep -s 'case.transition' >/dev/null || fail "history"
as clerk1 audit log "$case_no" | grep -s '营业执照已发放' >/dev/null || fail "audit log shows the task result"
as clerk1 audit view-id 11010519491231002X --purpose 打印告知书 --case "$case_no" | grep -sx '11010519491231002X' >/dev/null \
  || fail "view-id prints the full number"
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'person.view_id' AND reason = '打印告知书'")" -eq 1 ] \
  || fail "viewing the full ID is audited"
as clerk1 audit verify | grep -s '^OK' >/dev/null || fail "audit verify OK"

# someone edits an audit row with sqlite3: verify names that row
bad=$(q "SELECT id FROM audit_log WHERE action = 'case.transition' ORDER BY seq LIMIT 1 OFFSET 2")
sqlite3 "$db" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET reason = '篡改' WHERE id = '$bad'"
set +e
as clerk1 audit verify >"$tmp/out" 2>"$tmp/err"
rc=$?
as clerk1 --json audit verify >"$tmp/v.json" 2>/dev/null
set -e
[ "$rc" -eq 5 ] || fail "tampered log: exit $rc (want 5)"
grep -q "$bad" "$tmp/err" || grep -s "$(q "SELECT seq FROM audit_log WHERE id = '$bad'")" "$tmp/err" >/dev/null \
  || fail "verify names the row: $(cat "$tmp/err")"
python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); assert not v["ok"] and v["bad_id"]==sys.argv[2], v' "$tmp/v.json" "$bad" \
  || fail "JSON names the row"
echo "wf_e2e: ok"
