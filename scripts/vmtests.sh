#!/bin/bash
# make vmtests: 5.10's own vm selftests, before and after the series.
#   vmtests.sh <outdir>
# For each side, base (the pinned base, tag "base") and series ($TREE):
# the test config's kernel built from that tree, that tree's
# tools/testing/selftests/vm installed with its own "make install"
# (statically linked), booted from the initramfs with guest/vmtests.list,
# results in <outdir>/<side>/logs.  Then vmtests-compare.py prints both
# side by side and fails if a case that passes on the base does not pass
# with the series.
. "$(dirname "$0")/lib.sh"

out=${1:?usage: vmtests.sh <outdir>}
mkdir -p "$out"
out=$(cd "$out" && pwd)
bash_static=$(command -v bash-static) || die "bash-static not found: apt-get install bash-static"

for side in base series; do
	case $side in
	base) tree=$(base_tree) kout=$BUILD/out-base-test check=0 ;;
	series) tree=$TREE kout=$BUILD/out-test check=1 ;;
	esac
	d=$out/$side
	kst=$d/kselftests
	mkdir -p "$d"
	"$TOP/scripts/kselftest-install.sh" "$tree" "$BUILD/vmtests-$side" "$kst"
	# The comparison below judges; a failed case or boot only shows here.
	TREE=$tree CONFIG_CHECK=$check GUEST_BASH=$bash_static KNOWN=/dev/null \
		"$TOP/scripts/guest-run.sh" test "$kout" "$d/logs" "$TOP/guest/vmtests.list" "$kst" \
		-- --no-kunit > "$d/report.txt" ||
		warn "the $side run failed (see $d/report.txt); comparing what ran"
done
"$TOP/scripts/vmtests-compare.py" "$out/base/logs/results.json" \
	"$out/series/logs/results.json" | tee "$out/compare.txt"
