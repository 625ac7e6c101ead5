#!/bin/bash
# make vm: the series on a Debian 11 system as its users run it.
#   vm.sh <outdir>
# 1. the kernel package: Debian's config of the pinned base reduced by
#    localmodconfig, with the series (deb.sh, DEB_CONFIG=vm);
# 2. the kselftests, installed with the tree's own "make install" of the
#    vm collection (statically linked: built here, run on bullseye);
# 3. a bullseye disk image with both installed (vm-rootfs.sh);
# 4. a boot under QEMU (TCG, 2 CPUs, 2 NUMA nodes) to multi-user.target,
#    where vm-run.service runs the tests and powers off (boot.sh: a hang is
#    killed at BOOT_TIMEOUT with the console tail, a splat fails the run).
# The report is printed by make vm (report.py --no-kunit).
. "$(dirname "$0")/lib.sh"

out=${1:?usage: vm.sh <outdir>}
mkdir -p "$out"
out=$(cd "$out" && pwd)

DEB_CONFIG=vm "$TOP/scripts/timed.sh" "kernel package (Debian config, localmodconfig)" \
	"$TOP/scripts/deb.sh"
deb=$(ls "$BUILD"/deb/linux-image-*.deb | grep -v -- -dbg | head -n 1)

kst=$out/kselftests
# Always rebuilt (20 s): make does not see a change of EXTRA_CFLAGS.
rm -rf "$kst" "$BUILD/vm-kselftest/kselftest/vm"
msg "kselftests: make -C tools/testing/selftests TARGETS=vm install"
# The tree's own uapi headers (installed by the same make), not the
# host's: a test built against newer headers expects newer ioctls.
(make -C "$TREE/tools/testing/selftests" O="$BUILD/vm-kselftest" TARGETS=vm \
	EXTRA_CFLAGS="-I$BUILD/vm-kselftest/kselftest/usr/include" \
	LDFLAGS=-static INSTALL_PATH="$kst" install > "$out/kselftest-build.log" 2>&1) &
heartbeat $! 30 "kselftest build"
wait $! || { grep -B2 -A5 -m5 'error' "$out/kselftest-build.log" >&2
	die "the kselftest build failed (log: $out/kselftest-build.log)"; }
# run_vmtests calls test_hmm.sh, which 5.10's Makefile does not install.
install -m 755 "$TREE/tools/testing/selftests/vm/test_hmm.sh" "$kst/vm/"
for t in cow gup_stress gup_test run_vmtests; do
	[ -e "$kst/vm/$t" ] || die "the kselftest install has no vm/$t"
done

"$TOP/scripts/timed.sh" "Debian 11 root filesystem" "$TOP/scripts/vm-rootfs.sh" "$deb" "$kst" "$out"

ROOT_DISK=$out/disk.img "$TOP/scripts/timed.sh" "boot of the Debian 11 guest" \
	"$TOP/scripts/boot.sh" "$out/vmlinuz" "$out/initrd.img" "$out/logs"
