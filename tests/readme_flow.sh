#!/usr/bin/env bash
# The README's "from intake to closed" walk-through, command by command, so
# that the README stays true: a case taken in by clerk1, checked and scored by
# reviewer1, signed by two departments, approved by approver1 (four-eyes),
# fulfilled and closed by spec1; the talent code verifies; the audit chain holds.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_DB="$tmp/x.db" TALENTDESK_NOW=2026-06-15
fail() { echo "FAIL: $*" >&2; exit 1; }
T() { "$bin" "$@"; }

T init --demo >/dev/null
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$bin" "$TALENTDESK_DB"
T --user clerk1 person add --name 张三 --id-no 11010519491231002X --phone 13800138000 >/dev/null
C=$(T --user clerk1 --json case new 11010519491231002X --service talent_recognition |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["case_no"])')
T --user clerk1 case act "$C" submit >/dev/null
# the intake clerk cannot approve later (four-eyes); check now that docs are missing
T --user reviewer1 docs "$C" check >"$tmp/notice1" || fail "docs check"
grep -s '一次性告知书' "$tmp/notice1" >/dev/null || fail "notice printed"
[ "$(sqlite3 "$TALENTDESK_DB" "SELECT state FROM cases WHERE case_no = '$C'")" = awaiting_docs ] || fail "awaiting_docs"
T notice "$C" --encoding gb18030 >"$tmp/notice.gb" || fail "notice gb18030"
iconv -f GB18030 -t UTF-8 "$tmp/notice.gb" | grep -s '补正' >/dev/null || fail "GB18030 notice decodes"
# the applicant supplies everything: the case returns to checking by itself
for d in $(sqlite3 "$TALENTDESK_DB" "SELECT doc_type_id FROM case_documents d JOIN cases c ON c.id = d.case_id WHERE c.case_no = '$C'"); do
  T --user clerk1 docs "$C" mark "$d" received >/dev/null
  T --user reviewer1 docs "$C" mark "$d" verified >/dev/null
done
[ "$(sqlite3 "$TALENTDESK_DB" "SELECT state FROM cases WHERE case_no = '$C'")" = doc_check ] || fail "supplying returns to doc_check"
T --user reviewer1 docs "$C" check >/dev/null
T --user reviewer1 case act "$C" docs_ok >/dev/null || fail "docs_ok"
T --user reviewer1 facts 11010519491231002X add degree=doctorate --verified --evidence 学位证书 >/dev/null
T --user reviewer1 score "$C" --save >"$tmp/score" || fail "score --save"
grep -s '总分' "$tmp/score" >/dev/null || fail "ledger total"
T score "$C" --what-if annual_salary=600000 >/dev/null || fail "what-if"
T --user reviewer1 case act "$C" submit_approval >/dev/null || fail "submit_approval"
set +e
T --user clerk1 case act "$C" approve >/dev/null 2>"$tmp/err"; rc=$?
set -e
[ "$rc" -eq 4 ] || fail "clerk approving: exit $rc"
T --user approver1 case actions "$C" >/dev/null
T --user signer_rsj signoff "$C" approve >/dev/null
T --user signer_kjj signoff "$C" approve >/dev/null
T --user approver1 case act "$C" approve >"$tmp/approve" || fail "approve"
code=$(T --json case show "$C" | python3 -c 'import json,sys; print(json.load(sys.stdin)["talent_code"] or "")')
[ -n "$code" ] || fail "talent code issued"
T code verify "$code" >/dev/null || fail "code verify"
T code show "$C" --png "$tmp/code.png" >/dev/null || fail "code png"
T --user spec1 task list "$C" >/dev/null
T --user spec1 task done "$C:talent_recognition" --result 已办结 >/dev/null || fail "task done by CASE:SERVICE"
T task overdue >/dev/null
T queue overdue >/dev/null
T --user spec1 case act "$C" close >/dev/null || fail "close"
[ "$(sqlite3 "$TALENTDESK_DB" "SELECT state FROM cases WHERE case_no = '$C'")" = closed ] || fail "closed"
T audit verify | grep -s '^OK' >/dev/null || fail "audit verify"
# every fact name the program knows is documented in the README
readme="$(dirname "$0")/../README.md"
for n in $(T --json facts names | python3 -c 'import json,sys; print(" ".join(f["name"] for f in json.load(sys.stdin)))'); do
  grep -sF "\`$n\`" "$readme" >/dev/null || fail "fact name $n missing from README"
done
echo "readme_flow: ok"
