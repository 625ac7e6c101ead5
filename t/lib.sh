# shellcheck shell=bash
# Minimal TAP helpers for the harness self-tests (run with prove).
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# shellcheck disable=SC2034 # TOP is used by the t/*.t that source this file
TOP=$(cd "$(dirname "$0")/.." && pwd)
n=0
fails=0
ok() {		# ok <status> <description>
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}
has() {		# has <file> <extended regex> <description>
	grep -qE -- "$2" "$1"
	local rc=$?
	ok $rc "$3"
	[ $rc -eq 0 ] || sed 's/^/# /' "$1"
}
done_testing() { echo "1..$n"; [ $fails -eq 0 ]; }
