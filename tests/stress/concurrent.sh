#!/usr/bin/env bash
# 8 clerks writing at once while a large import runs beside them: every
# write either succeeds or is refused for a reason — never "database busy"
# (exit 7) — and every write reported saved is there.  Prints: writers,
# writes, busy errors, lost rows, import rows.  STRESS_WRITES (per writer,
# default 15) and STRESS_IMPORT (rows, default 3000).
set -uo pipefail
bin=${TD_BIN:-./talentdesk}
writes=${STRESS_WRITES:-15}
rows=${STRESS_IMPORT:-3000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-03-16
db="$tmp/x.db"
"$bin" --db "$db" init --demo >/dev/null || { echo "FAIL: init"; exit 1; }
source "$(dirname "$0")/../lib/session.sh"; td_login_demo_users "$bin" "$db"
python3 - "$tmp" "$rows" "$writes" <<'PY'
import sys
tmp, rows, writes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
w = [7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
def rid(year, n):
    d17 = "500102%04d0612%03d" % (year, n)
    return d17 + "10X98765432"[sum(int(a)*b for a, b in zip(d17, w)) % 11]
with open(tmp + "/big.csv", "w", encoding="utf-8") as f:
    f.write("姓名,证件类型,证件号码\n")
    for i in range(rows):
        f.write("导入%d,居民身份证,%s\n" % (i, rid(1950 + i // 1000, i % 1000)))
for c in range(8):
    with open("%s/ids%d" % (tmp, c), "w") as f:
        for k in range(writes):
            f.write(rid(2000 + c, k) + "\n")
PY
"$bin" --db "$db" --user clerk1 import persons "$tmp/big.csv" >"$tmp/imp.out" 2>&1 &
imp=$!
sleep 0.3
pids=()
for c in 0 1 2 3 4 5 6 7; do
  (
    while read -r id; do
      "$bin" --db "$db" --user clerk2 person add --name "并发$c" --id-no "$id" >/dev/null 2>"$tmp/err$c.$id"
      rc=$?
      if [ $rc -eq 0 ]; then echo "$id" >>"$tmp/saved$c"; else echo "$rc" >>"$tmp/fail$c"; fi
    done <"$tmp/ids$c"
  ) &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
wait "$imp"; imp_rc=$?
busy=0 lost=0 saved=0 other=0
for c in 0 1 2 3 4 5 6 7; do
  if [ -f "$tmp/fail$c" ]; then # (grep -c exits 1 when it counts 0: no && chain here)
    busy=$((busy + $(grep -cx 7 "$tmp/fail$c" || true)))
    other=$((other + $(grep -cvx 7 "$tmp/fail$c" || true)))
  fi
  if [ -f "$tmp/saved$c" ]; then
    while read -r id; do
      saved=$((saved + 1))
      [ "$(sqlite3 "$db" "SELECT count(*) FROM persons WHERE id_no = '$id'")" -ge 1 ] || lost=$((lost + 1))
    done <"$tmp/saved$c"
  fi
done
imported=$(sqlite3 "$db" "SELECT count(*) FROM persons WHERE name LIKE '导入%'")
# what the refusals said (the first few kinds), so a failure can be read
[ "$other" -gt 0 ] && cat "$tmp"/err* 2>/dev/null | sort | uniq -c | sort -rn | head -5 >&2
echo "concurrent: writers=8 writes=$((8 * writes)) saved=$saved busy_errors=$busy other_errors=$other lost_rows=$lost import_rows=$imported/$rows import_exit=$imp_rc"
[ $((saved + busy + other)) -eq $((8 * writes)) ] || echo "FAIL: $((8 * writes - saved - busy - other)) writes neither saved nor refused"
[ $((saved + busy + other)) -eq $((8 * writes)) ] && [ "$busy" -eq 0 ] && [ "$lost" -eq 0 ] && [ "$other" -eq 0 ] && [ "$imp_rc" -eq 0 ] && [ "$imported" -eq "$rows" ]
