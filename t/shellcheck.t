#!/bin/bash
# The harness's shell scripts are shellcheck-clean: shellcheck -S info,
# with the repository's .shellcheckrc (which follows the sourced lib.sh),
# prints nothing (Debian 12's shellcheck 0.9.0).  A finding that is
# intended is disabled on its line, with the reason.
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1

if ! command -v shellcheck >/dev/null; then
	ok 1 "shellcheck is installed (it is not: apt-get install shellcheck)"
	echo "# shellcheck is missing: apt-get install shellcheck (or make deps)"
	done_testing
	exit
fi

shellcheck -S info scripts/*.sh .ci/run t/*.t t/lib.sh t/fake-qemu \
	guest/init guest/vm-run guest/sudo > "$T/out" 2>&1
rc=$?
ok "$([ "$rc" -eq 0 ] && [ ! -s "$T/out" ]; echo $?)" "shellcheck -S info finds nothing in the shell scripts (exit $rc)"
sed 's/^/# /' "$T/out"
done_testing
