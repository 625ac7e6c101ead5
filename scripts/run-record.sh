#!/bin/bash
# What a make test run needed, for the table README includes:
#   run-record.sh start           before the run: is the cache cold?
#   run-record.sh end <rc> <sec>  after it: one line in $BUILD/make-test.record
# The line: series stamp, passed/FAILED, minutes, whether ccache and the
# base cache were empty at the start, and the disk the run left in $BUILD
# and in $CACHE (what make test uses there).  make record-run copies it into docs/measured/make-test.md.
. "$(dirname "$0")/lib.sh"

state=$BUILD/.run-record-start
case ${1:-} in
start)
	mkdir -p "$BUILD"
	ccache=warm base=present
	[ -n "$(ls -A "$CCACHE_DIR" 2>/dev/null)" ] || ccache=empty
	[ -d "$BASE_REPO" ] || base=absent
	echo "$ccache $base" > "$state"
	;;
end)
	rc=${2:?usage: run-record.sh end <rc> <seconds>}
	t=${3:?usage: run-record.sh end <rc> <seconds>}
	read -r ccache base < "$state" || die "no $state: run-record.sh start first"
	# du fails on a path that is not there (no busybox fetched for x86_64),
	# and still prints the total of the others.
	mb() { { du -smc "$@" 2>/dev/null || true; } | tail -n 1 | cut -f1; }
	# What make test keeps in the cache (the bench's 6.12 source aside).
	used=$(mb "$CCACHE_DIR" "$BASE_REPO" "$CACHE"/linux-source-5.10_* "$CACHE"/apt "$CACHE"/busybox*)
	printf '| %s | %s | %dm%02ds | %s | %s | %s | %s |\n' "$(series_stamp)" \
		"$([ "$rc" = 0 ] && echo passed || echo FAILED)" $((t / 60)) $((t % 60)) \
		"$ccache" "$base" "$(mb "$BUILD") MiB" "$used MiB" > "$BUILD/make-test.record"
	cat "$BUILD/make-test.record"
	;;
*)
	die "usage: run-record.sh start | end <rc> <seconds>"
	;;
esac
