#!/usr/bin/env bash
# queue_cli.sh — `talentdesk queue` lists exactly what the TUI's queue
# screen lists (both read src/search/qlist): for every queue, as a clerk and
# as a signer, the first screen of the TUI (headless, 80x24: 19 rows) and
# `queue N --limit 19` name the same cases in the same order; the next page
# (PgDn / --after) too; the old sub-command names reach the same queues;
# a specialist's 我的案件 holds the cases of the persons they follow; and the
# overdue service tasks moved to `task overdue`.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp LC_ALL=C.UTF-8 TZ=UTC TALENTDESK_NOW=2026-03-16T02:00:00Z XDG_STATE_HOME=$tmp/state
unset TALENTDESK_QUEUE NO_COLOR TALENTDESK_TUI_SCRIPT
db=$tmp/td.db
"$BIN" --db "$db" init --demo >/dev/null
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"
fail() { echo "FAIL: $1"; [ -n "${2:-}" ] && { echo "--- $2:"; cat "$2"; }; exit 1; }
as() { local u=$1; shift; "$BIN" --db "$db" --user "$u" "$@"; }
# case numbers of the rows of a screen dump (lines 4..22 at 80x24), in order
screen_rows() { sed -n '4,22p' "$1" | grep -oE '^(CQ|LDN)-2026-[0-9]+' || true; }
# case numbers of a `--json queue` answer, in order
json_rows() { python3 -c 'import json,sys; [print(r["case_no"]) for r in json.load(open(sys.argv[1]))["rows"]]' "$1"; }
json_next() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["next"] or "")' "$1"; }

# kjj signs its part: the case stays in approval, pending for rsj only
sc=$(sqlite3 "$db" "SELECT c.case_no FROM signoffs s JOIN cases c ON c.id = s.case_id
  WHERE s.status = 'pending' AND s.department_id = 'kjj' LIMIT 1")
[ -n "$sc" ] || fail "the demo has no sign-off pending for kjj"
as signer_kjj signoff "$sc" approve >/dev/null || fail "kjj signs $sc"
nq=$(as clerk1 --json queue list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$nq" -ge 10 ] || fail "queue list names $nq queues"
checked=0
for u in clerk1 signer_rsj signer_kjj spec1; do
  { for i in $(seq 1 "$nq"); do echo ":dump $tmp/$u-q$i.txt"; echo "<PgDn>"; echo ":dump $tmp/$u-q$i-2.txt"; echo "<F6>"; done; } >"$tmp/s-$u"
  # start every user on queue 1 (signers and specialists otherwise start on their role's queue)
  TALENTDESK_QUEUE=1 TALENTDESK_TUI_SIZE=24x80 "$BIN" --db "$db" --user "$u" tui --script "$tmp/s-$u"
  for i in $(seq 1 "$nq"); do
    as "$u" --json queue "$i" --limit 19 >"$tmp/c.json" || fail "$u: queue $i"
    screen_rows "$tmp/$u-q$i.txt" >"$tmp/tui.txt"
    json_rows "$tmp/c.json" >"$tmp/cli.txt"
    diff "$tmp/tui.txt" "$tmp/cli.txt" >"$tmp/d" || fail "$u: queue $i differs between TUI (<) and CLI (>)" "$tmp/d"
    checked=$((checked + $(wc -l <"$tmp/cli.txt")))
    # the next page: PgDn on the screen, --after on the command line
    next=$(json_next "$tmp/c.json")
    if [ -n "$next" ]; then
      as "$u" --json queue "$i" --limit 19 --after "$next" >"$tmp/c2.json" || fail "$u: queue $i --after"
      json_rows "$tmp/c2.json" | head -n "$(screen_rows "$tmp/$u-q$i-2.txt" | wc -l)" >"$tmp/cli2.txt"
      # PgDn moves the selection a screen down; the rows below the first page are the CLI's second page
      screen_rows "$tmp/$u-q$i-2.txt" | grep -vxF -f "$tmp/tui.txt" >"$tmp/tui2.txt" || true
      head -n "$(wc -l <"$tmp/tui2.txt")" "$tmp/cli2.txt" >"$tmp/cli2h.txt"
      diff "$tmp/tui2.txt" "$tmp/cli2h.txt" >"$tmp/d" || fail "$u: queue $i page 2 differs" "$tmp/d"
    fi
  done
done
[ "$checked" -ge 100 ] || fail "only $checked rows compared"

# the old names reach the same queues
same() { # USER "OLD ARGS" N
  as "$1" --json queue $2 --limit 50 | json_rows /dev/stdin >"$tmp/a.txt"
  as "$1" --json queue "$3" --limit 50 | json_rows /dev/stdin >"$tmp/b.txt"
  cmp -s "$tmp/a.txt" "$tmp/b.txt" || fail "queue $2 is not queue $3"
}
num() { as clerk1 --json queue list | python3 -c 'import json,sys; print([q["number"] for q in json.load(sys.stdin) if q["name"]==sys.argv[1]][0])' "$1"; }
same clerk1 mine "$(num 'My cases')"
same clerk1 awaiting "$(num 'Awaiting documents')"
same clerk1 "state fulfilment" "$(num 'Fulfilment')"
same clerk1 overdue "$(num 'Overdue')"
same clerk1 all "$(num 'All cases')"
same signer_rsj signoff "$(num 'Joint sign-off pending')"
# each signer sees the sign-off queue of their own department
as signer_rsj --json queue signoff | json_rows /dev/stdin | grep -qx "$sc" || fail "rsj's sign-off queue lacks $sc"
if as signer_kjj --json queue signoff | json_rows /dev/stdin | grep -qx "$sc"; then fail "kjj's queue still shows $sc"; fi
# a state without a queue of its own, an unknown queue: usage (exit 2)
set +e
as clerk1 queue state nosuchstate >/dev/null 2>&1; r1=$?
as clerk1 queue 99 >/dev/null 2>&1; r2=$?
as clerk1 queue mine --after nocomma >/dev/null 2>&1; r3=$?
set -e
[ "$r1" -eq 2 ] && [ "$r2" -eq 2 ] && [ "$r3" -eq 2 ] || fail "usage errors: $r1 $r2 $r3"

# a specialist's 我的案件: the open cases of the persons they follow
spec=$(sqlite3 "$db" "SELECT id FROM users WHERE username = 'spec1'")
want=$(sqlite3 "$db" "SELECT count(*) FROM cases WHERE deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn')
  AND (intake_by = '$spec' OR assignee_id = '$spec' OR specialist_id = '$spec')")
got=$(as spec1 --json queue mine --limit 1000 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rows"]))')
[ "$want" -ge 5 ] || fail "the demo gives spec1 only $want open cases"
[ "$got" -eq "$want" ] || fail "spec1's 我的案件 has $got cases, want $want"

# overdue service tasks (督办): task overdue, JSON and text
as clerk1 --json task overdue | python3 -c 'import json,sys; d=json.load(sys.stdin); assert "rows" in d' || fail "task overdue JSON"
as clerk1 task overdue >/dev/null || fail "task overdue"
# "Closed" is a queue title (已办结) and "Closed at" a field of a case (办结时间): two msgids, not one
as clerk1 queue list >"$tmp/ql.txt" || fail "queue list"
grep -q '已办结' "$tmp/ql.txt" || fail "the Closed queue is not titled 已办结" "$tmp/ql.txt"
! grep -q '办结时间' "$tmp/ql.txt" || fail "a queue is titled 办结时间" "$tmp/ql.txt"
cc=$(sqlite3 "$db" "SELECT case_no FROM cases WHERE state = 'closed' AND closed_at IS NOT NULL AND deleted_at IS NULL LIMIT 1")
[ -n "$cc" ] || fail "the demo has no closed case"
as admin case show "$cc" >"$tmp/cs.txt" || fail "case show $cc"
grep -q '办结时间' "$tmp/cs.txt" || fail "case show names no 办结时间" "$tmp/cs.txt"
echo "queue_cli: OK ($checked rows compared)"
