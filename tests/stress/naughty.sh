#!/usr/bin/env bash
# Naughty strings into every text field of person add and into the importer:
# nothing crashes (exit < 128), a refusal is exit 6 with a message, what is
# stored reads back through every listing without a raw control byte.
# Prints: runs, crashes, raw control outputs.  Strings: 47 written here, then
# the 515 of tests/corpora/blns (blns.json).
set -uo pipefail
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-03-16
db="$tmp/x.db"
source "$(dirname "$0")/../lib/session.sh"; td_init "$bin" "$db" >/dev/null || { echo "FAIL: init"; exit 1; }
python3 - "$tmp/naughty" "$(dirname "$0")/../corpora/blns/blns.json" <<'PY'
import json, sys
s = [b"", b" ", b"\t", b"null", b"NULL", b"undefined", b"0", b"-1", b"1e309", b"0x0",
     b"\x1b[2J", b"\x1b]52;c;QUJD\x07", b"\xc2\x9b1m", b"a\x08b", b"\x7f",
     b"\xe2\x80\xae\xe2\x80\x8bevil", b"\xe2\x81\xa6x\xe2\x81\xa9", b"\xef\xbb\xbf\xe5\xbc\xa0",
     b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\xed\xa0\x80", b"\xff\xfe", b"a\x80b",
     "مهدی\u200cزاده".encode(), "क्\u200dष".encode(), "👨\u200d👩\u200d👧".encode(), "𠮷野家".encode(),
     "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇".encode(), "﷽".encode(), "\u3000张\u3000".encode(), "ｆｕｌｌ".encode(),
     b"Robert'); DROP TABLE persons;--", b"' OR '1'='1", b"%s%s%n%x", b"${HOME}", b"$(reboot)", b"`id`",
     b"<script>alert(1)</script>", b"\\", b"\"", b"a,b", b"a\nb", b"a\r\nb", b"\r",
     b"x" * 300, "张".encode() * 200, "🙂".encode() * 80]
# then every string of the Big List of Naughty Strings (tests/corpora/blns)
s += [x.encode("utf-8", "surrogatepass") for x in json.load(open(sys.argv[2], encoding="utf-8"))]
with open(sys.argv[1], "wb") as f:
    for x in s:
        # one line each, read back with printf %b: backslashes, newlines and
        # carriage returns escaped; NUL dropped (an argument cannot hold one)
        x = x.replace(b"\x00", b"").replace(b"\\", b"\\\\")
        f.write(x.replace(b"\n", b"\\n").replace(b"\r", b"\\r") + b"\n")
PY
runs=0 crashes=0 raw=0 n=0
check_out() {
  if LC_ALL=C grep -qaP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$1"; then
    raw=$((raw + 1)); echo "raw control bytes after: $2" >&2
  fi
}
while IFS= read -r line; do
  v=$(printf '%b' "$line")
  for opt in name name-latin employer field notes email phone; do
    n=$((n + 1))
    id=$(python3 -c 'import sys
n=int(sys.argv[1]); d17="500103%04d0101%03d"%(1950+n//1000, n%1000); w=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
print(d17+"10X98765432"[sum(int(a)*b for a,b in zip(d17,w))%11])' "$n")
    args=(--name "测试$n" --id-no "$id")
    [ "$opt" = name ] && args=(--name "$v" --id-no "$id") || args+=(--"$opt" "$v")
    "$bin" --db "$db" --user admin person add "${args[@]}" >"$tmp/out" 2>&1; rc=$?
    runs=$((runs + 1))
    [ "$rc" -ge 128 ] && { crashes=$((crashes + 1)); echo "crash ($rc): --$opt $line" >&2; }
    check_out "$tmp/out" "person add --$opt $line"
  done
done <"$tmp/naughty"
# the importer: every naughty string as a name column
{ printf '姓名,证件类型,证件号码\n'; k=0; while IFS= read -r line; do k=$((k + 1)); printf '"%s",护照,E%08d\n' "$(printf '%b' "$line" | sed 's/"/""/g')" "$k"; done <"$tmp/naughty"; } >"$tmp/in.csv"
"$bin" --db "$db" --user admin import persons "$tmp/in.csv" >"$tmp/out" 2>&1; rc=$?
runs=$((runs + 1)); [ "$rc" -ge 128 ] && crashes=$((crashes + 1)); check_out "$tmp/out" "import"
for c in "person list" "search 测试" "dupes list" "export persons $tmp/exp.csv"; do
  for j in "" --json; do
    # shellcheck disable=SC2086
    "$bin" --db "$db" --user admin $j $c >"$tmp/out" 2>&1; rc=$?
    runs=$((runs + 1)); [ "$rc" -ge 128 ] && crashes=$((crashes + 1)); check_out "$tmp/out" "$j $c"
  done
done
echo "naughty strings: strings=$(wc -l <"$tmp/naughty") runs=$runs crashes=$crashes raw_control_outputs=$raw"
[ "$crashes" -eq 0 ] && [ "$raw" -eq 0 ]
