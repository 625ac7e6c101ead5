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
# Another ARCH than x86_64 cross-compiles with Debian's cross compiler
# (configs/arches) and that architecture's libraries (target_cc).
arch_info
read -ra cc <<< "$(target_cc)"
arch=()
[ -z "$CROSS" ] || arch=(ARCH="$KARCH" MACHINE="$KARCH" CROSS_COMPILE="$CROSS" CC="${cc[*]}")
command -v "${cc[0]}" >/dev/null || die "${cc[0]} not found (make deps)"
# The vm Makefile quietly builds cow without its io_uring cases when
# liburing is missing; the case count would silently drop.
case " $* " in
*" cow "*)
	echo '#include <liburing.h>' | "${cc[@]}" -E -x c - >/dev/null 2>&1 ||
		die "liburing.h not found by ${cc[*]}: cow needs liburing-dev (make deps)" ;;
esac
msg "building selftests for $ARCH: $*"
# Only the named programs: the whole vm target needs libraries the guest
# does not use (libhugetlbfs, libcap) and installs kernel headers in-tree.
make -s -C "$TREE/tools/testing/selftests/vm" OUTPUT="$out" \
	${arch[@]+"${arch[@]}"} LDFLAGS=-static "${targets[@]}" ||
	die "selftest build failed"
