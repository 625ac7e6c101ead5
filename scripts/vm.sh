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
# 5. the report (report.py --no-kunit: Debian's kernel has no KUnit), after a
#    failed boot too, which leaves what ran to report.
# Exit status 1 if any step or the report failed.
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

boot=0
ROOT_DISK=$out/disk.img "$TOP/scripts/timed.sh" "boot of the Debian 11 guest" \
	"$TOP/scripts/boot.sh" "$out/vmlinuz" "$out/initrd.img" "$out/logs" || boot=1
logs=$out/logs
[ -f "$logs/results.log" ] || die "the guest left no results.log in $logs"
echo "== results: Debian 11 guest, logs in $logs"
rc=0
"$TOP/scripts/report.py" "$logs/results.log" "$logs/console.log" "${KNOWN:-$TOP/known-failures}" \
	--no-kunit --json "$logs/results.json" || rc=1
[ $boot = 0 ] || { echo "error: the boot failed (see above)"; rc=1; }
exit $rc
