#!/bin/bash
# Build the guest's test programs that are not selftests of the series,
# statically: the harness's own (guest/*.c), 5.10's gup_benchmark tool,
# unchanged from the base commit of $TREE, which shows that the series
# keeps 5.10's /sys/kernel/debug/gup_benchmark interface, and 5.10's
# hmm-tests.
#   guest-tools.sh <outdir>
. "$(dirname "$0")/lib.sh"

out=${1:?usage: guest-tools.sh <outdir>}
mkdir -p "$out"
arch_info
read -ra cc <<< "$(target_cc)"
for src in "$TOP"/guest/*.c; do
	"${cc[@]}" -static -O2 -Wall -o "$out/$(basename "$src" .c)" "$src" ||
		die "building $src failed"
done
src=$(mktemp --suffix=.c)
trap 'rm -f "$src"' EXIT
git -C "$TREE" show base:tools/testing/selftests/vm/gup_benchmark.c > "$src" ||
	die "tools/testing/selftests/vm/gup_benchmark.c not found at tag base in $TREE"
"${cc[@]}" -static -O2 -w -o "$out/gup_benchmark" "$src" ||
	die "building 5.10's gup_benchmark failed"

# 5.10's hmm-tests (migration to device-private memory and back through
# migrate_vma, with CONFIG_TEST_HMM), also from the base commit, with the
# headers it includes from there.
hmm=$(mktemp -d)
trap 'rm -f "$src"; rm -rf "$hmm"' EXIT
git -C "$TREE" archive base tools/testing/selftests/vm/hmm-tests.c \
	tools/testing/selftests/kselftest_harness.h \
	tools/testing/selftests/kselftest.h lib/test_hmm_uapi.h | tar -x -C "$hmm" ||
	die "5.10's hmm-tests.c or its headers not found at tag base in $TREE"
"${cc[@]}" -static -O2 -w -o "$out/hmm-tests" "$hmm/tools/testing/selftests/vm/hmm-tests.c" \
	-lhugetlbfs -lpthread ||
	die "building 5.10's hmm-tests failed (needs libhugetlbfs-dev: make deps)"
