#!/usr/bin/env bash
# CLI end-to-end for data in and out: a Chinese-Excel GBK CSV imports with a
# GB18030 reject report, a second import adds nothing, export/search/dupes
# work with --json, and bad usage exits 2.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/x.db"
export TALENTDESK_NOW=2026-03-16
fail() { echo "FAIL: $*" >&2; exit 1; }

source "$(dirname "$0")/lib/session.sh"; td_init "$bin" "$db" >/dev/null || fail "init"

printf '姓名,证件类型,证件号码,性别,出生日期,手机号码\r\n王小明,居民身份证,11010519491231002X,女,1949-12-31,13800138000\r\n坏行,居民身份证,123,,,\r\n𠮷野家,居民身份证,440524188001010014,男,1880-01-01,\r\n王小明,护照,E12345678,女,1949-12-31,\r\n' \
  | iconv -f UTF-8 -t GB18030 >"$tmp/in.csv"

"$bin" --db "$db" --json import persons "$tmp/in.csv" >"$tmp/imp.json" || fail "import"
python3 - "$tmp/imp.json" <<'PY' || fail "import JSON"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["encoding"] == "GB18030", r
assert (r["rows"], r["added"], r["rejected"], r["probable_duplicates"]) == (4, 3, 1, 1), r
PY
iconv -f GB18030 -t UTF-8 "$tmp/in.csv.rejects.csv" | grep -s '^3,.*坏行' >/dev/null || fail "reject file: line 3 in GB18030"

"$bin" --db "$db" --json import persons "$tmp/in.csv" >"$tmp/imp2.json" || fail "import again"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["added"]==0 and r["skipped"]==3, r' "$tmp/imp2.json" \
  || fail "second import adds nothing"

"$bin" --db "$db" --json import persons "$tmp/in.csv" --dry-run >/dev/null || fail "dry run"

"$bin" --db "$db" --json search 王小明 >"$tmp/s.json" || fail "search"
python3 -c 'import json,sys; h=json.load(open(sys.argv[1])); assert len(h)==2 and h[0]["name"]=="王小明", h' "$tmp/s.json" \
  || fail "search finds both 王小明"
"$bin" --db "$db" search 𠮷 | grep -s '𠮷野家' >/dev/null || fail "search 𠮷"

"$bin" --db "$db" export persons "$tmp/out.csv" --encoding gb18030 --purpose 数据核对 >/dev/null || fail "export"
iconv -f GB18030 -t UTF-8 "$tmp/out.csv" | head -1 | grep -s '^姓名,证件类型,证件号码' >/dev/null || fail "export header"
iconv -f GB18030 -t UTF-8 "$tmp/out.csv" | grep -s '^𠮷野家,居民身份证,440524188001010014,男,1880-01-01' >/dev/null \
  || fail "export keeps 𠮷 through GB18030"
"$bin" --db "$db" export persons "$tmp/out.xlsx" >/dev/null || fail "export xlsx"
head -c 2 "$tmp/out.xlsx" | grep -s PK >/dev/null || fail "xlsx is a zip"

"$bin" --db "$db" --json dupes list >"$tmp/d.json" || fail "dupes list"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d)==1 and d[0]["kind"]=="name_birth", d' "$tmp/d.json" \
  || fail "one probable duplicate"
a=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d[0]["a"]["person_id"])' "$tmp/d.json")
b=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d[0]["b"]["person_id"])' "$tmp/d.json")
"$bin" --db "$db" --json dupes merge "$a" "$b" --reason 同一人 >"$tmp/m.json" || fail "merge"
mid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["merge_id"])' "$tmp/m.json")
"$bin" --db "$db" --json search 王小明 | python3 -c 'import json,sys; assert len(json.load(sys.stdin))==1' \
  || fail "merged person hidden"
"$bin" --db "$db" dupes unmerge "$mid" --reason 误合并 >/dev/null || fail "unmerge"
"$bin" --db "$db" --json search 王小明 | python3 -c 'import json,sys; assert len(json.load(sys.stdin))==2' \
  || fail "unmerge restores"

set +e
"$bin" --db "$db" import 2>/dev/null; [ $? -eq 2 ] || fail "usage exit 2"
"$bin" --db "$db" import persons "$tmp/none.csv" 2>"$tmp/err"; [ $? -eq 9 ] || fail "missing file exit 9"
"$bin" --db "$db" export people "$tmp/x.csv" 2>/dev/null; [ $? -eq 2 ] || fail "export usage"
set -e
grep -q '错误' "$tmp/err" || fail "Chinese error on stderr"
echo ok
