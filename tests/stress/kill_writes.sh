#!/usr/bin/env bash
# kill -9 loop: a writer adds persons one after another, logging each number
# the CLI reported as saved; it is killed at a random moment.  Afterwards every
# logged person must be in the database, the audit chains intact and
# quick_check ok.  Prints: runs, committed rows, lost rows, broken chains.
# STRESS_RUNS (default 20) runs.
set -uo pipefail
bin=${TD_BIN:-./talentdesk}
runs=${STRESS_RUNS:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-03-16
db="$tmp/x.db"
source "$(dirname "$0")/../lib/session.sh"; td_init "$bin" "$db" >/dev/null || { echo "FAIL: init"; exit 1; }
idgen() { # a valid resident ID for sequence $1 (birth 1990-01-01, area 500101)
  python3 - "$1" <<'PY'
import sys
n = int(sys.argv[1]); d17 = "500101%04d0101" % (1950 + n // 1000) + "%03d" % (n % 1000)
w = [7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
print(d17 + "10X98765432"[sum(int(a)*b for a, b in zip(d17, w)) % 11])
PY
}
committed=0 lost=0 broken=0
for r in $(seq 1 "$runs"); do
  id=$(idgen "$r")
  # a write, killed at a random moment (before, during or after its commit)
  "$bin" --db "$db" --user admin person add --name "杀$r" --id-no "$id" --phone "139$(printf %08d "$r")" >/dev/null 2>&1 &
  pid=$!
  sleep "0.0$(( RANDOM % 10 ))$(( RANDOM % 10 ))"
  kill -9 "$pid" 2>/dev/null
  # exit 0 means it reported the row saved: it must be there
  wait "$pid" 2>/dev/null && echo "$id" >>"$tmp/saved"
  # and a write right after a kill must work (no stale lock, no broken WAL)
  "$bin" --db "$db" --user admin case list >/dev/null 2>&1 || broken=$((broken + 1))
done
sleep 0.2
if [ -s "$tmp/saved" ]; then
  while read -r id; do
    committed=$((committed + 1))
    n=$(sqlite3 "$db" "SELECT count(*) FROM persons WHERE id_no = '$id'")
    [ "$n" -ge 1 ] || lost=$((lost + 1))
  done <"$tmp/saved"
fi
"$bin" --db "$db" audit verify >/dev/null 2>&1 || broken=$((broken + 1))
qc=$(sqlite3 "$db" "PRAGMA quick_check")
echo "kill -9 writes: runs=$runs committed_rows=$committed lost_rows=$lost broken_chains=$broken quick_check=$qc"
[ "$lost" -eq 0 ] && [ "$broken" -eq 0 ] && [ "$qc" = ok ]
