#!/bin/bash
# Install a kernel tree's vm kselftests the way the tree installs them:
#   kselftest-install.sh <tree> <objdir> <installdir>
# make -C <tree>/tools/testing/selftests TARGETS=vm install, statically
# linked (built here, run in a busybox initramfs or on Debian 11), against
# the tree's own uapi headers (installed by the same make into <objdir>):
# built against the host's newer headers, 5.10's userfaultfd expects
# UFFDIO_CONTINUE on hugetlb.  Then what 5.10 leaves out: test_hmm.sh,
# which run_vmtests calls and 5.10's Makefile does not install, and a
# settings file, since 5.10's runner gives a test 45 s unless told
# otherwise and run_vmtests takes many minutes under TCG.
. "$(dirname "$0")/lib.sh"

usage="usage: kselftest-install.sh <tree> <objdir> <installdir>"
tree=${1:?$usage} obj=${2:?$usage} kst=${3:?$usage}
log=$obj.log
# Always rebuilt (20 s): make does not see a change of EXTRA_CFLAGS.
rm -rf "$kst" "$obj/kselftest/vm"
msg "kselftests of $tree: make -C tools/testing/selftests TARGETS=vm install"
(make -C "$tree/tools/testing/selftests" O="$obj" TARGETS=vm \
	EXTRA_CFLAGS="-I$obj/kselftest/usr/include" \
	LDFLAGS=-static INSTALL_PATH="$kst" install > "$log" 2>&1) &
heartbeat $! 30 "kselftest build"
wait $! || { grep -m5 -A3 'error' "$log" >&2
	die "the kselftest build failed (log: $log)"; }
install -m 755 "$tree/tools/testing/selftests/vm/test_hmm.sh" "$kst/vm/"
echo "timeout=5400" > "$kst/vm/settings"
