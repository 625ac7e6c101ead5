#!/bin/bash
# docs/measured/cross.md from the rows scripts/cross-build.sh left in
# $BUILD/cross (one per architecture and tree, from its last run), in the
# order of configs/cross/arches.  A row the build directory lacks (built
# on another machine, or in an earlier session) stays as the file had it:
# each row names the series it built, so a stale one shows.  A row of an
# architecture's patch replaces the file's row of the same subject, also
# when a series change renumbered the patch.  make cross
# runs it after the builds.
. "$(dirname "$0")/lib.sh"

md=${CROSS_MD:-$TOP/docs/measured/cross.md}	# CROSS_MD: another file (t/cross-table.t)
head='| arch | tree | config | series | build | warnings | the base'"'"'s warnings (built only if the series warns) | options it lacks |'
old=$(mktemp)
trap 'rm -f "$old" "$old.new"' EXIT
# Rows of the current layout only (its header is the first line).
if [ -f "$md" ] && [ "$(head -n 1 "$md")" = "$head" ]; then tail -n +3 "$md" > "$old"; fi
{
	cat "$old"
	cat "$BUILD"/cross/*.row 2>/dev/null || true
} | awk -F' [|] ' -v order="$(awk '!/^(#|$)/ { printf "%s ", $1 }' "$TOP/configs/cross/arches")" '
	BEGIN { n = split(order, a, " "); for (i = 1; i <= n; i++) rank[a[i]] = i }
	# A patch row is keyed by its subject, not its number: the same
	# patch, renumbered by a series change, replaces its old row.
	{ arch = substr($1, 3); what = $2; sub(/^patch [0-9]+ /, "", what)
	  key = arch SUBSEP what; row[key] = $0; r[key] = rank[arch] }
	END { for (k in row) print r[k] "\t" (row[k] ~ /^[|] [^|]* [|] series [|]/ ? 0 : 1) "\t" row[k] }
' | sort -t "$(printf '\t')" -k1,1n -k2,2n -k3,3 | cut -f3- > "$old.new"
{
	echo "$head"
	echo "|---|---|---|---|---:|---:|---|---|"
	cat "$old.new"
} > "$md"
cat "$md"
