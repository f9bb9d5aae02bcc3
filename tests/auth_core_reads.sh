#!/usr/bin/env bash
# Issue 10 item 5: the front ends read case data only through the core's
# checked reads (cases/scope.h, "checked reads": role and record scope are
# checked in the core).  Fails, naming file and line, when cli/ or ui/ calls
# one of the unchecked reads that are internal to the core — and checks that
# the scan itself finds a call planted in a copy (so it cannot pass vacuously).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# The internal reads and their checked variants (the name with _as).
internal='td_case_get|td_person_get|td_case_list|td_case_services_each|td_dupe_check|td_wf_docs_each|td_notice_get|td_wf_tasks_each|td_wf_task_get|td_wf_signoffs_each|td_audit_case_each|td_facts_load|td_fact_get|td_snapshot_latest|td_snapshot_get|td_snapshot_each|td_talent_code_of_case|td_print_build|td_print_case|td_print_receipt|td_print_notice|td_print_decision|td_rating_get|td_snapshot_reproduce|td_person_specialist|td_followups_each|td_followups_due'

scan() { # dir → offending lines on stdout
  grep -nE "\b($internal)\(" "$1"/cli/*.c "$1"/ui/*.c || true
}

out=$(scan "$root")
[ -z "$out" ] || { echo "$out" >&2; fail "front ends call unchecked core reads (use the _as variant)"; }

# every checked variant exists in the core's headers
for f in ${internal//|/ }; do
  case $f in td_print_receipt|td_print_notice|td_print_decision) continue ;; esac
  grep -qE "\b${f}_as\(" "$root"/src/*/*.h || fail "no checked variant ${f}_as in src/"
done

# the scan finds a planted call
mkdir -p "$tmp/t/cli" "$tmp/t/ui"
cp "$root"/cli/*.c "$tmp/t/cli/"; cp "$root"/ui/*.c "$tmp/t/ui/"
echo 'static void planted(td_db *db) { td_facts_load(db, "x", NULL, NULL); }' >>"$tmp/t/ui/scr_case.c"
scan "$tmp/t" | grep -q "ui/scr_case.c:.*td_facts_load(" || fail "the scan misses a planted call"
echo "auth_core_reads: OK"
