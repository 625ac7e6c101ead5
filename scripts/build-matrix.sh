#!/bin/bash
# Build $TREE with every variant of configs/variants (or those named as
# arguments): build-matrix.sh [variant...].  Output dirs are
# $BUILD/out-<variant> (the same dirs as make run: one depth, so ccache
# hits across variants); the first failure stops with the build log.
. "$(dirname "$0")/lib.sh"

want=" $* "
ok=0
while read -r name cfg extra; do
	case $name in ''|'#'*) continue ;; esac
	[ $# -eq 0 ] || [[ $want == *" $name "* ]] || continue
	env EXTRA_CONFIG="$extra" "$TOP/scripts/build.sh" "$cfg" "$BUILD/out-$name" ||
		die "variant $name ($cfg${extra:+ + $extra}) does not build"
	ok=$((ok + 1))
done < "$TOP/configs/variants"
msg "$ok variants build: $(git -C "$TREE" log -1 --format='%h %s')"
