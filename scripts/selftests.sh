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
msg "building selftests: $*"
# Only the named programs: the whole vm target needs libraries the guest
# does not use (libhugetlbfs, libcap) and installs kernel headers in-tree.
make -s -C "$TREE/tools/testing/selftests/vm" OUTPUT="$out" \
	LDFLAGS=-static "${targets[@]}" ||
	die "selftest build failed"
