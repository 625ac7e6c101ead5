#!/bin/bash
# The series' documentation as reviewers build it: kernel-doc on every
# file the series touches (scripts/kernel-doc -none, warnings compared
# with the base) and Sphinx on Documentation/vm (make SPHINXDIRS=vm
# htmldocs), which renders the new text and the kernel-doc it includes.
# Fails on a kernel-doc warning the series adds, and on any Sphinx
# warning about a file the series touches.
. "$(dirname "$0")/lib.sh"

command -v sphinx-build >/dev/null || die "sphinx-build is missing: apt-get install python3-sphinx"
out=$BUILD/out-docs
mkdir -p "$out"
files=$(git -C "$TREE" diff --name-only --diff-filter=AM base..HEAD -- '*.c' '*.h' |
	grep -vE '^(tools|scripts|samples)/' || true)

# kernel-doc: the same file in the base and in the series, messages
# without line numbers.  A block that kernel-doc already misreads in the
# base (e.g. the FAULT_FLAG_* list in mm.h, taken for a function whose
# every @FAULT_FLAG_* is an "excess parameter") stays one finding when
# the series adds an entry to it.
norm() { sed -E "s/:[0-9]+:/:/; s/parameter '[^']*' description in/parameter description in/" | sort -u; }
kdoc() { perl "$TREE/scripts/kernel-doc" -none "$1" 2>&1 | norm; }
new=''
for f in $files; do
	b=$( { git -C "$TREE" show "base:$f" 2>/dev/null > "$out/base-file" && cd "$TREE" &&
		perl scripts/kernel-doc -none "$out/base-file" 2>&1 |
		sed "s|$out/base-file|$f|" | norm; } || true)
	s=$(cd "$TREE" && kdoc "$f")
	n=$(comm -13 <(echo "$b") <(echo "$s") | grep -v '^$' || true)
	[ -z "$n" ] || new="$new$n"$'\n'
done
if [ -n "$new" ]; then
	echo "error: the series adds kernel-doc warnings:" >&2
	echo "$new" | sed 's/^/  /' >&2
	exit 1
fi

# Sphinx on Documentation/vm, in the base and in the series: warnings as
# "file: message" relative to the tree, without line numbers.
sphinx() {
	local tree=$1 o=$2
	# From scratch: an incremental Sphinx build warns only about the
	# files it rebuilds, which would make the comparison meaningless.
	rm -rf "$o"
	mkdir -p "$o"
	make -C "$tree" O="$o" SPHINXDIRS=vm htmldocs >"$o/htmldocs.log" 2>&1 || {
		tail -n 20 "$o/htmldocs.log" >&2
		die "make SPHINXDIRS=vm htmldocs failed in $tree"
	}
	grep -E '(WARNING|ERROR)' "$o/htmldocs.log" |
		sed -E "s|^$tree/||; s|^$o/||; s/:[0-9]+:/:/" | sort -u
}
basetree=$(base_tree)
msg "building Documentation/vm with Sphinx, base and series (logs in $out-base and $out-series)"
sphinx "$basetree" "$out-base" > "$out/sphinx-base.txt"
sphinx "$TREE" "$out-series" > "$out/sphinx-series.txt"
no_new_warnings Sphinx "$out/sphinx-base.txt" "$out/sphinx-series.txt"
msg "docs: no new kernel-doc warning in $(echo "$files" | wc -w) touched files; Documentation/vm renders with no new Sphinx warning ($(wc -l < "$out/sphinx-base.txt") in the base)"
