#!/usr/bin/env bash
# Checks the core's layering (src/LAYERS): every #include "…" of a file under
# src/<folder>/ names a header of its own folder (bare name) or of a lower
# folder ("lower/name.h"); no core file includes curses, ui/ or cli/; every
# folder with code is listed.  Prints each violation as file:line and exits 1.
set -u
cd "$(dirname "$0")/.."
mapfile -t layers < <(grep -vE '^[[:space:]]*(#|$)' src/LAYERS)
declare -A rank
for i in "${!layers[@]}"; do rank[${layers[$i]}]=$i; done
bad=0
fail() { echo "$1"; bad=1; }

for d in src/*/; do
  d=${d%/}; name=${d#src/}
  [ "$name" = schema ] && continue
  ls "$d"/*.[ch] >/dev/null 2>&1 || continue
  [ -n "${rank[$name]+x}" ] || fail "src/$name/: folder not listed in src/LAYERS"
done
for f in src/*.[ch]; do
  [ -e "$f" ] && fail "$f: core files live in a subsystem folder (src/<folder>/), not in src/ itself"
done

while IFS= read -r f; do
  dir=$(basename "$(dirname "$f")")
  my=${rank[$dir]:-}
  [ -n "$my" ] || continue
  while IFS=: read -r line text; do
    if [[ $text =~ \#[[:space:]]*include[[:space:]]*[\<\"](n?curses|ncursesw/|form\.h|menu\.h|panel\.h) ]]; then
      fail "$f:$line: the core never draws: no curses header under src/ (ui/ draws)"; continue
    fi
    [[ $text =~ \#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]] || continue
    inc=${BASH_REMATCH[1]}
    case $inc in
      */*/*) fail "$f:$line: \"$inc\": name a header as \"folder/name.h\"" ;;
      */*)
        top=${inc%%/*}
        if [ "$top" = ui ] || [ "$top" = cli ]; then
          fail "$f:$line: \"$inc\": the core may not include the front ends"
        elif [ -z "${rank[$top]+x}" ]; then
          [ "$top" = gen ] || fail "$f:$line: \"$inc\": unknown folder '$top'"
        elif [ "$top" = "$dir" ]; then
          fail "$f:$line: \"$inc\": include a header of the same folder by its bare name"
        elif [ "${rank[$top]}" -gt "$my" ]; then
          fail "$f:$line: src/$dir may not include src/$top (higher in src/LAYERS)"
        elif [ ! -e "src/$inc" ]; then
          fail "$f:$line: \"$inc\": no such header"
        fi ;;
      *)
        [ -e "$(dirname "$f")/$inc" ] || fail "$f:$line: \"$inc\" is not in src/$dir/ (name another folder's header as \"folder/$inc\")" ;;
    esac
  done < <(grep -nE '^[[:space:]]*#[[:space:]]*include' "$f")
done < <(find src -mindepth 2 -name '*.[ch]' | sort)

if [ $bad -ne 0 ]; then
  echo "error: layering broken (see src/LAYERS and scripts/check_layering.sh)"
  exit 1
fi
