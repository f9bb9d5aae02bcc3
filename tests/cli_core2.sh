#!/usr/bin/env bash
# CLI core: usage errors exit 2 in Chinese for every person/case/user
# subcommand, --json output parses, gender typed as 男/女, a database under a
# missing directory, init --data with a broken file, and an installed tree
# (make install DESTDIR=…) that finds its catalogue and data.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-06-15
unset TALENTDESK_LANG TALENTDESK_DATA_OVERRIDE 2>/dev/null || true
fail() { echo "FAIL: $*" >&2; exit 1; }
rc() { set +e; "$@" >"$tmp/out" 2>"$tmp/err"; local r=$?; set -e; echo $r; }
db="$tmp/a.db"
T() { "$bin" --db "$db" "$@"; }
idno() { python3 -c "
w=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2];s='$1'
print(s+'10X98765432'[sum(int(a)*b for a,b in zip(s,w))%11])"; }
source "$(dirname "$0")/lib/session.sh"; td_init "$bin" "$db" >/dev/null

# usage errors: exit 2, a Chinese message on stderr, nothing on stdout
usage_cases=(
  "person" "person frob" "person show" "person update"
  "case" "case frob" "case new" "case show"
  "user" "user frob" "user add" "user station-add"
)
for u in "${usage_cases[@]}"; do
  # shellcheck disable=SC2086
  r=$(rc T $u)
  [ "$r" -eq 2 ] || fail "'$u' exits $r, want 2"
  grep -qP '[\x{4e00}-\x{9fff}]' "$tmp/err" || fail "'$u' message not Chinese: $(cat "$tmp/err")"
  [ ! -s "$tmp/out" ] || fail "'$u' printed to stdout"
done
# with --json the usage error is a JSON object with code 2
r=$(rc T --json person show)
[ "$r" -eq 2 ] || fail "--json usage exit $r"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["error"]["code"]==2, d' "$tmp/out" ||
  fail "--json usage error is not JSON with code 2"
# a value too long for its field is a usage error, not a silent cut
r=$(rc T person add --name 张三 --nationality CHNA --id-no "$(idno 50010319900307123)")
[ "$r" -eq 2 ] || fail "over-long --nationality exits $r"
grep -q 'nationality' "$tmp/err" || fail "over-long option named"

# gender typed in Chinese is accepted and must agree with the ID
id1=$(idno 50010319900307123)   # male
[ "$(rc T person add --name 张三 --gender 男 --id-no "$id1")" -eq 0 ] || fail "gender 男: $(cat "$tmp/err")"
id2=$(idno 50010319910408124)   # female (even 17th digit)
[ "$(rc T person add --name 李四 --gender 男 --id-no "$id2")" -eq 6 ] || fail "gender 男 on a female ID"
[ "$(rc T person add --name 李四 --gender 女 --id-no "$id2" --phone '+44 20 7946 0958')" -eq 0 ] ||
  fail "gender 女: $(cat "$tmp/err")"
T --json person show "$id2" | python3 -c '
import json,sys
p=json.load(sys.stdin)
assert p["gender"]=="F", p
assert p["birth_date"]=="1991-04-08", p
assert p["phone"]=="+442079460958", p' || fail "person show JSON"
# invalid e-mail: exit 6, nothing written
[ "$(rc T person add --name 王五 --email nope --id-no "$(idno 50010319920101125)")" -eq 6 ] || fail "bad e-mail"
[ "$(T --json person list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -eq 2 ] ||
  fail "bad person was written"

# --json on every core command prints valid JSON
T user add wangwu --name 王五 --roles clerk >/dev/null
cno=$(T --json case new "$id1" --service talent_recognition | python3 -c 'import json,sys; print(json.load(sys.stdin)["case_no"])')
[ -n "$cno" ] || fail "case new JSON"
for cmd in "person list" "person show $id1" "case list" "case show $cno" "user list" "init" \
           "person update $id1 --employer 重庆某公司"; do
  # shellcheck disable=SC2086
  T --json $cmd >"$tmp/j" 2>"$tmp/err" || fail "--json $cmd failed: $(cat "$tmp/err")"
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/j" || fail "--json $cmd is not JSON"
done
r=$(rc T --json person update "$id1" --employer X --row-version 1)
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out" || fail "error output not JSON ($r)"

# a database under a missing directory: TD_EDB naming the path, no directory made
r=$(rc "$bin" --db "$tmp/missing/dir/x.db" init)
[ "$r" -eq 7 ] || fail "--db under a missing directory exits $r"
grep -q "$tmp/missing/dir/x.db" "$tmp/err" || fail "missing-directory message names the path"
[ ! -e "$tmp/missing" ] || fail "a directory was created"

# init --data DIR with a broken file: exit 8 naming file:line, no station
src=$(cd "$(dirname "$0")/.." && pwd)
cp -r "$src/data" "$tmp/data"
echo "garbage without equals" >>"$tmp/data/categories.tdp"
line=$(wc -l <"$tmp/data/categories.tdp")
r=$(rc "$bin" --db "$tmp/b.db" init --data "$tmp/data")
[ "$r" -eq 8 ] || fail "broken data exits $r"
grep -q "categories.tdp:$line" "$tmp/err" || fail "broken data message: $(cat "$tmp/err")"
[ ! -e "$tmp/b.db" ] || fail "a failed init left a file (issue 14.5)"
[ "$(rc "$bin" --db "$tmp/b.db" person list)" -eq 3 ] || fail "uninitialised database usable"

# English and C-locale fallbacks
r=$(rc env LC_ALL=C TALENTDESK_LANG=en "$bin" --db "$db" person show)
[ "$r" -eq 2 ] || fail "English usage exit $r"
grep -qi 'usage' "$tmp/err" || fail "TALENTDESK_LANG=en message: $(cat "$tmp/err")"
r=$(rc env LC_ALL=C LANG= "$bin" --db "$db" person show)
grep -qP '[\x{4e00}-\x{9fff}]' "$tmp/err" || fail "C locale: Chinese message lost: $(cat "$tmp/err")"

# an installed tree finds its catalogue and data (run from elsewhere)
if [ -n "${TD_BUILD:-}" ]; then
  (cd "$src" && env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s --no-print-directory -o all \
      BUILD="$TD_BUILD" BIN="$bin" DESTDIR="$tmp/root" PREFIX=/opt/td install >/dev/null) ||
    fail "make install"
  inst="$tmp/root/opt/td/bin/talentdesk"
  [ -x "$inst" ] || fail "installed binary missing"
  [ -f "$tmp/root/opt/td/share/talentdesk/data/services.tdp" ] || fail "installed data missing"
  [ -f "$tmp/root/opt/td/share/locale/zh_CN/LC_MESSAGES/talentdesk.mo" ] || fail "installed catalogue missing"
  cd /
  r=$(printf 'inst-password\n' | rc env -u TALENTDESK_DATA "$inst" --db "$tmp/i.db" --json init --admin-password-stdin)
  [ "$r" -eq 0 ] || fail "installed init exits $r: $(cat "$tmp/err")"
  python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
assert d["data_dir"]==sys.argv[2], d' "$tmp/out" "$tmp/root/opt/td/share/talentdesk/data" ||
    fail "installed binary used another data dir: $(cat "$tmp/out")"
  r=$(rc env -u TALENTDESK_DATA "$inst" --db "$tmp/i.db" person show)
  [ "$r" -eq 2 ] || fail "installed usage exit $r"
  grep -q '用法' "$tmp/err" || fail "installed binary lost its catalogue: $(cat "$tmp/err")"
fi
echo "cli_core2: ok"
