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
bb=$(command -v busybox) || die "busybox not found (make deps)"
bash_static=$(command -v bash-static) || die "bash-static not found: apt-get install bash-static"

for side in base series; do
	case $side in
	base) tree=$(base_tree) kout=$BUILD/out-base-test check=0 ;;
	series) tree=$TREE kout=$BUILD/out-test check=1 ;;
	esac
	d=$out/$side
	mkdir -p "$d"
	TREE=$tree CONFIG_CHECK=$check "$TOP/scripts/timed.sh" "kernel ($side, test config)" \
		"$TOP/scripts/build.sh" test "$kout"
	kst=$d/kselftests
	"$TOP/scripts/kselftest-install.sh" "$tree" "$BUILD/vmtests-$side" "$kst"
	TESTS_LIST=$TOP/guest/vmtests.list BUSYBOX=$bb GUEST_BASH=$bash_static \
		"$TOP/scripts/initramfs.sh" "$d/initramfs.cpio.gz" "$kst"
	"$TOP/scripts/timed.sh" "boot ($side)" "$TOP/scripts/boot.sh" \
		"$kout/arch/x86/boot/bzImage" "$d/initramfs.cpio.gz" "$d/logs" ||
		warn "the $side boot failed (see above); comparing what ran"
	"$TOP/scripts/report.py" "$d/logs/results.log" "$d/logs/console.log" /dev/null \
		--no-kunit --json "$d/logs/results.json" > "$d/report.txt" || true
done
"$TOP/scripts/vmtests-compare.py" "$out/base/logs/results.json" \
	"$out/series/logs/results.json" | tee "$out/compare.txt"
