#!/bin/bash
# Build the static selftest binaries the guest runs, from $TREE's
# tools/testing/selftests/vm, into an output directory:
#   selftests.sh <outdir> <program>...
# Statically linked: the initramfs has no C library.
. "$(dirname "$0")/lib.sh"

out=$(mkdir -p "${1:?usage: selftests.sh <outdir> <program>...}" && cd "$1" && pwd)
shift
mkdir -p "$out"
targets=()
for p in "$@"; do targets+=("$out/$p"); done
# ARCH=arm64 cross-compiles with aarch64-linux-gnu-gcc.
case ${ARCH:-x86_64} in
x86_64) cc=gcc arch=() ;;
arm64)
	cc=aarch64-linux-gnu-gcc
	arch=(ARCH=arm64 MACHINE=arm64 CROSS_COMPILE=aarch64-linux-gnu- CC="$cc") ;;
*) die "unknown ARCH '$ARCH' (x86_64 or arm64)" ;;
esac
command -v "$cc" >/dev/null || die "$cc not found (make deps)"
# The vm Makefile quietly builds cow without its io_uring cases when
# liburing is missing; the case count would silently drop.
case " $* " in
*" cow "*)
	echo '#include <liburing.h>' | "$cc" -E -x c - >/dev/null 2>&1 ||
		die "liburing.h not found by $cc: cow needs liburing-dev (make deps)" ;;
esac
msg "building selftests for ${ARCH:-x86_64}: $*"
# Only the named programs: the whole vm target needs libraries the guest
# does not use (libhugetlbfs, libcap) and installs kernel headers in-tree.
make -s -C "$TREE/tools/testing/selftests/vm" OUTPUT="$out" \
	${arch[@]+"${arch[@]}"} LDFLAGS=-static "${targets[@]}" ||
	die "selftest build failed"
