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
	# Always rebuilt (20 s): make does not see a change of EXTRA_CFLAGS.
	rm -rf "$kst" "$BUILD/vmtests-$side/kselftest/vm"
	msg "kselftests ($side): make -C tools/testing/selftests TARGETS=vm install"
	# The tree's own uapi headers (installed by the same make), not
	# the host's: a test built against newer headers expects newer
	# ioctls (userfaultfd's UFFDIO_CONTINUE on hugetlb).
	(make -C "$tree/tools/testing/selftests" O="$BUILD/vmtests-$side" TARGETS=vm \
		EXTRA_CFLAGS="-I$BUILD/vmtests-$side/kselftest/usr/include" \
		LDFLAGS=-static INSTALL_PATH="$kst" install > "$d/kselftest-build.log" 2>&1) &
	heartbeat $! 30 "kselftest build ($side)"
	wait $! || { grep -m5 -A3 'error' "$d/kselftest-build.log" >&2
		die "the $side kselftest build failed (log: $d/kselftest-build.log)"; }
	# run_vmtests calls test_hmm.sh, which 5.10's Makefile does not
	# install.
	install -m 755 "$tree/tools/testing/selftests/vm/test_hmm.sh" "$kst/vm/"
	# 5.10's runner gives a test 45 s unless told otherwise; run_vmtests
	# takes many minutes under TCG.
	echo "timeout=5400" > "$kst/vm/settings"
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
