#!/bin/bash
# KUNIT_ALL_TESTS must not turn on the anon_exclusive KUnit cases that use
# swap and KSM (CONFIG_ANON_EXCLUSIVE_KUNIT_TEST_SYSTEM): configure the
# production config with KUnit and KUNIT_ALL_TESTS, as a distribution
# might, and check that the suite is on and those cases are off.
. "$(dirname "$0")/lib.sh"

out=$(mktemp -d "${TMPDIR:-/tmp}/cow-kunit-all.XXXXXX")
trap 'rm -rf "$out"' EXIT
EXTRA_CONFIG="CONFIG_KUNIT=y CONFIG_KUNIT_ALL_TESTS=y CONFIG_BLK_DEV_RAM=y" \
	BUILD_TARGET=none "$TOP/scripts/build.sh" prod "$out" >/dev/null
grep -q '^CONFIG_ANON_EXCLUSIVE_KUNIT_TEST=y' "$out/.config" ||
	die "KUNIT_ALL_TESTS did not enable CONFIG_ANON_EXCLUSIVE_KUNIT_TEST"
if grep -q '^CONFIG_ANON_EXCLUSIVE_KUNIT_TEST_SYSTEM=y' "$out/.config"; then
	die "KUNIT_ALL_TESTS enabled CONFIG_ANON_EXCLUSIVE_KUNIT_TEST_SYSTEM (swap on /dev/ram0, ksmd at boot)"
fi
msg "KUNIT_ALL_TESTS: anon_exclusive suite on, its swap and KSM cases off"
