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
deb=''
for f in "$BUILD"/deb/linux-image-*.deb; do
	case ${f##*/} in *-dbg*) continue ;; esac
	if [ -f "$f" ]; then deb=$f; break; fi
done
[ -n "$deb" ] || die "no linux-image package in $BUILD/deb (scripts/deb.sh)"

kst=$out/kselftests
"$TOP/scripts/kselftest-install.sh" "$TREE" "$BUILD/vm-kselftest" "$kst"
for t in cow gup_stress gup_test run_vmtests; do
	[ -e "$kst/vm/$t" ] || die "the kselftest install has no vm/$t"
done

"$TOP/scripts/timed.sh" "Debian 11 root filesystem" "$TOP/scripts/vm-rootfs.sh" "$deb" "$kst" "$out"

ROOT_DISK=$out/disk.img "$TOP/scripts/timed.sh" "boot of the Debian 11 guest" \
	"$TOP/scripts/boot.sh" "$out/vmlinuz" "$out/initrd.img" "$out/logs"
