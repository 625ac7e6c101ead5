#!/bin/bash
# sparse (make C=2) on every kernel .c file the series touches, in the
# base and in the patched tree with the same config; fails if the series
# adds a warning (compared by file and message, line numbers aside).
. "$(dirname "$0")/lib.sh"

command -v sparse >/dev/null || die "sparse is missing: apt-get install sparse"
cfg=${CONFIG:-test}
files=$(git -C "$TREE" diff --name-only --diff-filter=AM base..HEAD -- '*.c' |
	grep -vE '^(tools|Documentation|scripts|samples)/' || true)
[ -n "$files" ] || { msg "sparse: no kernel C file touched"; exit 0; }

basetree=$(base_tree)

# sparse_run <tree> <outdir> <files...>: sparse warnings, one per line,
# as "file: message" without line and column numbers.
sparse_run() {
	local tree=$1 out=$2
	shift 2
	local objs=()
	for f in "$@"; do
		[ -f "$tree/$f" ] && objs+=("${f%.c}.o")
	done
	[ ${#objs[@]} -gt 0 ] || return 0
	# Configure and generate headers, then check just these files.
	env TREE="$tree" BUILD_TARGET=prepare CONFIG_CHECK=0 "$TOP/scripts/build.sh" "$cfg" "$out" >/dev/null
	make -s -C "$tree" O="$out" C=2 "${objs[@]}" 2>&1 |
		grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error):' |
		sed -E "s|^$tree/||; s|^[.][.]/[^/]+/||; s/^([^:]+):[0-9]+:[0-9]+: /\\1: /" | sort -u || true
}

mapfile -t flist <<< "$files"
msg "sparse on: ${flist[*]}"
sparse_run "$basetree" "$BUILD/out-sparse-base" "${flist[@]}" > "$BUILD/sparse-base.txt"
sparse_run "$TREE" "$BUILD/out-sparse" "${flist[@]}" > "$BUILD/sparse-series.txt"
no_new_warnings sparse "$BUILD/sparse-base.txt" "$BUILD/sparse-series.txt"
msg "sparse: no new warning in $(echo "$files" | wc -l) touched files ($(wc -l < "$BUILD/sparse-base.txt") existing ones in the base)"
