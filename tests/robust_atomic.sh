#!/usr/bin/env bash
# Issue 14.1: a failed export (full disk) leaves the previous file at that
# path untouched and no temporary beside it; CSV, .xlsx, QR and reject files.
set -euo pipefail
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/x.db"
export TALENTDESK_NOW=2026-03-16
fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin" --db "$db" init --demo >/dev/null || fail "init --demo"
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$bin" "$db"

# a bad row (invalid UTF-8 planted in the file) makes the export fail part-way
sqlite3 "$db" "UPDATE persons SET notes = CAST(X'F4908080' AS TEXT) WHERE rowid = (SELECT max(rowid) FROM persons)"
for enc in utf-8 gb18030; do
  echo keep >"$tmp/out.csv"
  set +e
  "$bin" --db "$db" export persons "$tmp/out.csv" --encoding $enc >/dev/null 2>"$tmp/err"; rc=$?
  set -e
  [ "$rc" -ne 0 ] || fail "export of a bad row succeeded ($enc)"
  [ "$(cat "$tmp/out.csv")" = keep ] || fail "failed CSV export ($enc) destroyed the previous file"
  [ -z "$(ls -A "$tmp" | grep '^\.')" ] || fail "temporary left behind: $(ls -A "$tmp")"
done
sqlite3 "$db" "UPDATE persons SET notes = '' WHERE rowid = (SELECT max(rowid) FROM persons)"

# a successful export replaces the file and leaves no temporary
"$bin" --db "$db" export persons "$tmp/out.csv" >/dev/null || fail "export"
grep -q '证件号码' "$tmp/out.csv" || fail "export content"
[ -z "$(ls -A "$tmp" | grep '^\.')" ] || fail "temporary left after a good export"

# a FIFO (or a device such as /dev/null) is written in place, never renamed over
mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/from-fifo" &
cat_pid=$!
"$bin" --db "$db" export persons "$tmp/fifo" >/dev/null || fail "export to a FIFO"
wait $cat_pid
[ -p "$tmp/fifo" ] || fail "the FIFO was replaced by a file"
grep -q '证件号码' "$tmp/from-fifo" || fail "nothing came through the FIFO"
# a symbolic link keeps pointing at the file, which gets the new content
echo keep >"$tmp/real.csv"; ln -s real.csv "$tmp/link.csv"
"$bin" --db "$db" export persons "$tmp/link.csv" >/dev/null || fail "export through a symlink"
[ -L "$tmp/link.csv" ] || fail "the symlink was replaced"
grep -q '证件号码' "$tmp/real.csv" || fail "the symlink's file did not get the export"
rm -f "$tmp/fifo" "$tmp/from-fifo" "$tmp/link.csv" "$tmp/real.csv"

# the real thing when mounts are allowed: a 64 KiB tmpfs filled up, then every
# kind of file written to it fails and leaves the old one
if unshare -rm true 2>/dev/null; then
  mnt="$tmp/mnt"; mkdir "$mnt"
  { printf '姓名,证件类型,证件号码\n'; for i in $(seq 1 400); do printf '坏行%d,居民身份证,123\n' "$i"; done; } >"$tmp/in.csv"
  out=$(unshare -rm bash -c '
    mnt=$1 bin=$2 db=$3 in=$4
    mount -t tmpfs -o size=64k tmpfs "$mnt" || exit 0
    for f in out.csv out.xlsx rej.csv qr.png qr.svg notice.txt; do echo keep >"$mnt/$f"; done
    head -c 70000 /dev/zero >"$mnt/filler" 2>/dev/null || true
    "$bin" --db "$db" export persons "$mnt/out.csv" >/dev/null 2>&1 && echo EXPORT-OK
    "$bin" --db "$db" export persons "$mnt/out.xlsx" >/dev/null 2>&1 && echo XLSX-OK
    "$bin" --db "$db" import persons "$in" --reject "$mnt/rej.csv" --dry-run >/dev/null 2>&1 && echo REJ-OK
    "$bin" --db "$db" code show CQ-2026-000031 --png "$mnt/qr.png" >/dev/null 2>&1 && echo PNG-OK
    "$bin" --db "$db" code show CQ-2026-000031 --svg "$mnt/qr.svg" >/dev/null 2>&1 && echo SVG-OK
    "$bin" --db "$db" notice CQ-2026-000030 --output "$mnt/notice.txt" >/dev/null 2>&1 && echo NOTICE-OK
    for f in out.csv out.xlsx rej.csv qr.png qr.svg notice.txt; do [ "$(cat "$mnt/$f")" = keep ] || echo "$f CHANGED"; done
    ls -A "$mnt" | grep "^\." || true' _ "$mnt" "$bin" "$db" "$tmp/in.csv")
  [ -z "$out" ] || fail "full tmpfs: $(echo "$out" | head -5)"
fi
echo "robust_atomic: ok"
