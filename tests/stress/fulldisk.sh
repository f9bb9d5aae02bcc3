#!/usr/bin/env bash
# Full disk: the database on a small tmpfs, clerks write until the disk is
# full.  Each write succeeds or fails with a clear error (exit 7 or 9, never
# a crash); every write reported saved is there; the database stays intact
# and readable; a failed export leaves the previous file.  Needs mount
# namespaces (unshare -rm); prints "skipped" without them.
# Prints: writes, saved, refused, lost rows, quick_check.
set -uo pipefail
bin=${TD_BIN:-./talentdesk}
n=${STRESS_FULL:-150}
if ! unshare -rm true 2>/dev/null; then echo "full disk: skipped (no mount namespaces)"; exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-03-16
mkdir "$tmp/mnt"
unshare -rm bash -s "$tmp/mnt" "$bin" "$n" "$(cd "$(dirname "$0")/../lib" && pwd)/session.sh" <<'INNER'
mnt=$1 bin=$2 n=$3 session_lib=$4
mount -t tmpfs -o size=4m tmpfs "$mnt"   # init alone needs about 3 MB with its WAL || { echo "full disk: skipped (mount refused)"; exit 0; }
db="$mnt/x.db"
source "$session_lib"; td_init "$bin" "$db" >/dev/null || { echo "FAIL: init on tmpfs"; exit 1; }
avail=$(df --output=avail -B1 "$mnt" | tail -1)
head -c $(( avail - 160000 )) /dev/zero >"$mnt/filler" 2>/dev/null   # leave room for a few dozen writes
saved=0 refused=0 crashes=0 lost=0
: >"$mnt/../saved"
for i in $(seq 1 "$n"); do
  id=$(printf 'E%08d' "$i")
  "$bin" --db "$db" --user admin person add --name "满盘$i" --id-type passport --id-no "$id" \
    --notes "$(head -c 900 /dev/zero | tr '\0' 'x')" >/dev/null 2>>"$mnt/../err"
  rc=$?
  if [ $rc -eq 0 ]; then saved=$((saved + 1)); echo "$id" >>"$mnt/../saved";
  elif [ $rc -ge 128 ]; then crashes=$((crashes + 1)); echo "crash $rc at write $i" >&2
  else refused=$((refused + 1)); fi
done
while read -r id; do
  [ "$(sqlite3 "$db" "SELECT count(*) FROM persons WHERE id_no = '$id'")" -ge 1 ] || lost=$((lost + 1))
done <"$mnt/../saved"
rm -f "$mnt/filler"
qc=$(sqlite3 "$db" "PRAGMA quick_check" 2>&1 | head -1)
"$bin" --db "$db" person list >/dev/null 2>&1 || qc="$qc/unreadable"
echo "full disk: writes=$n saved=$saved refused=$refused crashes=$crashes lost_rows=$lost quick_check=$qc"
[ "$refused" -gt 0 ] || echo "(the disk never filled: raise STRESS_FULL)"
[ "$crashes" -eq 0 ] && [ "$lost" -eq 0 ] && [ "$qc" = ok ]
INNER
