#!/usr/bin/env bash
# Workflow CLI details: every verb's --json output parses and says what
# happened, usage errors exit 2, English with --lang en, queue paging with
# --after, 联审 return through the CLI, green channel, 一事一议, suspend and
# resume, a notice printed to a GB18030 file.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/wf.db"
export TALENTDESK_NOW=2026-09-30
export LC_ALL=C.UTF-8

fail() { echo "FAIL: $*" >&2; exit 1; }
as() { local u=$1; shift; "$bin" --db "$db" --user "$u" "$@"; }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $2" "$1"; }
rc_of() { set +e; "$@" >"$tmp/out" 2>"$tmp/err"; local r=$?; set -e; echo $r; }

"$bin" --db "$db" init --demo >/dev/null || fail "init --demo"
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$bin" "$db"
new_case() { # new_case TYPE ID-NO → case number
  as clerk1 person add --name "$3" --id-no "$2" >/dev/null 2>&1 || true
  as clerk1 --json case new "$2" --service enterprise_setup --type "$1" --specialist spec1 >"$tmp/c.json" || fail "case new"
  json "$tmp/c.json" 'print(d["case_no"])'
}
c1=$(new_case service 11010519491231002X 张三)
c2=$(new_case recognition 440524188001010014 李四)

# usage errors: exit 2
for args in "case act" "case act $c1" "docs" "notice" "task" "task frob x" "queue" "queue sideways" "signoff $c1" \
            "signoff $c1 maybe" "audit" "audit frob" "green" "escalate x" "queue mine --limit 0" "queue mine --after nocomma" \
            "case act $c1 submit --version abc" "notice $c1 --encoding latin1"; do
  # shellcheck disable=SC2086
  r=$(rc_of as clerk1 $args)
  [ "$r" -eq 2 ] || fail "'$args' → exit $r (want 2)"
  grep -q '用法\|取值\|未知编码\|请\|应为' "$tmp/err" || fail "'$args': Chinese usage message: $(cat "$tmp/err")"
done

# JSON results
as clerk1 --json case act "$c1" submit >"$tmp/r.json" || fail "act json"
json "$tmp/r.json" 'assert d["from"]=="intake" and d["to"]=="doc_check" and d["due_date"]=="2026-10-13", d' || fail "act JSON: $(cat "$tmp/r.json")"
as clerk1 --json docs "$c1" list >"$tmp/d.json"
json "$tmp/d.json" 'assert len(d)==4 and all(x["status"]=="missing" for x in d) and d[0]["n"]==1, d' || fail "docs list JSON"
as clerk1 --json docs "$c1" mark identity verified >"$tmp/m.json"
json "$tmp/m.json" 'assert d["status"]=="verified" and not d["returned_to_check"], d' || fail "mark JSON"
as clerk1 --json docs "$c1" check >"$tmp/k.json"
json "$tmp/k.json" 'assert d["missing"]==3 and d["notice_no"].startswith("CQ-2026-N") and d["deadline"]=="2026-10-13" and d["state"]=="awaiting_docs", d' \
  || fail "check JSON: $(cat "$tmp/k.json")"
as clerk1 --json notice "$c1" >"$tmp/n.json"
json "$tmp/n.json" 'assert len(d["items"])==3 and [i["n"] for i in d["items"]]==[1,2,3] and "一次性告知书" in d["text"], d' || fail "notice JSON"
as clerk1 notice "$c1" --encoding gb18030 >"$tmp/n.gb"
iconv -f GB18030 -t UTF-8 "$tmp/n.gb" | grep -s '一次性告知书' >/dev/null || fail "GB18030 to stdout"
LC_ALL=C grep -q '一次性告知书' "$tmp/n.gb" && fail "GB18030 bytes are not UTF-8"

# errors with --json: an error object on stdout, message on stderr
r=$(rc_of as reviewer1 --json case act "$c2" submit)
[ "$r" -eq 4 ] || fail "denied json exit $r"
json "$tmp/out" 'assert d["error"]["code"]==4 and "权限" in d["error"]["message"], d' || fail "error JSON: $(cat "$tmp/out")"

# English
as clerk1 --lang en case actions "$c2" | grep -s 'Submit for document check' >/dev/null || fail "English labels"
r=$(rc_of as reviewer1 --lang en case act "$c2" submit)
grep -q 'permission' "$tmp/err" || fail "English error: $(cat "$tmp/err")"

# green channel and 一事一议
as approver1 --json green "$c2" --reason 顶尖人才随时认定 >"$tmp/g.json" || fail "green"
json "$tmp/g.json" 'assert d["green_channel"] and d["green_reason"]=="顶尖人才随时认定", d' || fail "green JSON"
as clerk1 case act "$c2" green_track >/dev/null || fail "green track"
r=$(rc_of as approver1 case act "$c2" exception_approve)
[ "$r" -eq 6 ] || fail "exception without reason: $r"
as approver1 --json case act "$c2" exception_approve --reason 一人一策引进 >"$tmp/e.json" || fail "exception"
json "$tmp/e.json" 'assert d["to"]=="fulfilment" and d["tasks_started"]==1, d' || fail "exception JSON"
[ "$(sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE action = 'case.exception' AND reason = '一人一策引进'")" -eq 1 ] \
  || fail "exception audited"

# suspend and resume return to the same step
as spec1 case act "$c2" suspend --reason 申请人出国 >/dev/null
as spec1 --json case act "$c2" resume >"$tmp/s.json"
json "$tmp/s.json" 'assert d["from"]=="suspended" and d["to"]=="fulfilment", d' || fail "resume JSON"

# 联审 return through the CLI: the case goes back to recognition with the reason
c3=$(new_case recognition 130503196704010016 王五)
as clerk1 case act "$c3" submit >/dev/null
sqlite3 "$db" "UPDATE case_documents SET status = 'verified' WHERE case_id = (SELECT id FROM cases WHERE case_no = '$c3');
  INSERT INTO score_snapshots(id, case_id, person_id, rule_set_id, rule_set_hash, as_of, route, total, tier_id, inputs_json,
  ledger_json, created_at, updated_at) SELECT 'snap-c3', id, person_id, 't', 'x', '2026-09-30', 'points', 70, 'young', '{}', '[]',
  'x', 'x' FROM cases WHERE case_no = '$c3'"
as reviewer1 case act "$c3" docs_ok >/dev/null
as reviewer1 case act "$c3" submit_approval >/dev/null
as signer_rsj --json signoff "$c3" list >"$tmp/sl.json"
json "$tmp/sl.json" 'assert sorted(x["department"] for x in d)==["kjj","rsj"] and all(x["status"]=="pending" for x in d), d' \
  || fail "signoff list JSON"
r=$(rc_of as signer_rsj signoff "$c3" approve --dept kjj)
[ "$r" -eq 4 ] || fail "signing for another department: $r"
as signer_kjj --json signoff "$c3" return --reason 成果证明不足 >"$tmp/sr.json" || fail "signoff return"
json "$tmp/sr.json" 'assert d["from"]=="approval" and d["to"]=="recognition", d' || fail "return JSON"
as signer_rsj signoff "$c3" list | grep -s '已作废' >/dev/null || fail "pending row of the other department void"

# task verbs by JSON, escalation
as spec1 --json task "$c2" list >"$tmp/t.json"
task=$(json "$tmp/t.json" 'print(d[0]["id"])')
as spec1 --json task start "$task" >"$tmp/ts.json"
json "$tmp/ts.json" 'assert d["status"]=="in_progress", d' || fail "task start JSON"
r=$(rc_of as spec1 task fail "$task")
[ "$r" -eq 6 ] || fail "fail without reason: $r"
as approver1 --json escalate "$task" --to approver2 --reason 请督促办理 >"$tmp/es.json" || fail "escalate"
json "$tmp/es.json" 'assert d["assignee"]=="approver2" and d["escalations"]==1, d' || fail "escalate JSON"
as approver2 --json task done "$task" --result 已办结 >"$tmp/td.json" || fail "done by the escalation target"
json "$tmp/td.json" 'assert d["status"]=="done" and d["result"]=="已办结", d' || fail "done JSON"

# queue paging: state queue of the demo data, two per page, no repeats
seen=""
after=""
for i in $(seq 1 30); do
  if [ -n "$after" ]; then as clerk1 --json queue state intake --limit 2 --after "$after" >"$tmp/q.json"
  else as clerk1 --json queue state intake --limit 2 >"$tmp/q.json"; fi
  ids=$(json "$tmp/q.json" 'print(" ".join(r["id"] for r in d["rows"]))')
  for id in $ids; do case " $seen " in *" $id "*) fail "queue page repeats $id";; esac; seen="$seen $id"; done
  after=$(json "$tmp/q.json" 'print(d["next"] or "")')
  [ -n "$after" ] || break
done
total=$(sqlite3 "$db" "SELECT count(*) FROM cases WHERE state = 'intake'")
[ "$(echo $seen | wc -w)" -eq "$total" ] || fail "paging saw $(echo $seen | wc -w) of $total"
as signer_rsj --json queue signoff >"$tmp/qs.json" || fail "signoff queue"
as clerk1 queue awaiting | grep -s "$c1" >/dev/null || fail "awaiting queue lists the waiting case"

# audit JSON
as clerk1 --json audit verify >"$tmp/v.json" || fail "verify"
json "$tmp/v.json" 'assert d["ok"] and d["rows"] > 50 and d["bad_id"] is None, d' || fail "verify JSON"
as clerk1 --json audit log "$c3" >"$tmp/l.json"
json "$tmp/l.json" 'assert any(r["action"]=="signoff.return" and r["reason"]=="成果证明不足" for r in d), d' || fail "audit log JSON"
# policy check validates workflow.tdp too, naming file and line; load refuses it and changes nothing
datadir=$(dirname "$(readlink -f "$0")")/../data
mkdir -p "$tmp/data"
cp "$datadir"/*.tdp "$tmp/data/"
sed -i 's/^roles = approver$/roles = approver, boss/' "$tmp/data/workflow.tdp"
line=$(grep -n 'roles = approver, boss' "$tmp/data/workflow.tdp" | head -1 | cut -d: -f1)
r=$(rc_of "$bin" policy check "$tmp/data")
[ "$r" -eq 8 ] || fail "policy check of a broken workflow: exit $r"
grep -q "workflow.tdp:$line:.*boss" "$tmp/err" || fail "file:line in the error: $(cat "$tmp/err")"
before=$(sqlite3 "$db" "SELECT count(*) FROM policy_versions")
r=$(rc_of "$bin" --db "$db" policy load "$tmp/data")
[ "$r" -eq 8 ] || fail "policy load of a broken workflow: exit $r"
[ "$(sqlite3 "$db" "SELECT count(*) FROM policy_versions")" -eq "$before" ] || fail "a refused workflow wrote a version"
echo "wf_cli: ok"
