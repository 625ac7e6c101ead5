#!/bin/bash
# scripts/record-results.py (make record): a column per logs directory,
# named after it; it refuses a run of another series than patches/; with
# --times, a second table of each run's kernel build and boot times from
# the logs' times file, "—" for a run without one.
. "$(dirname "$0")/lib.sh"

top=$T/top
mkdir -p "$top/scripts" "$top/configs" "$T/patches"
cp "$TOP/scripts/lib.sh" "$TOP/scripts/record-results.py" "$top/scripts/"
cp "$TOP/configs/arches" "$top/configs/"
# As many patches as the stable cut needs (lib.sh's STABLE_CUT), and one more.
cut=$(bash -c '. "$1"; echo "$STABLE_CUT"' x "$top/scripts/lib.sh")
for i in $(seq 1 $((cut + 1))); do
	echo "$i" > "$T/patches/$(printf %04d "$i")-p.patch"
done
export PATCHES=$T/patches
stamp=$(bash -c '. "$1"; series_stamp' x "$top/scripts/lib.sh")

# A run's logs: its series, results.json with one suite, and times.
logs() {	# logs <dir> <series> [<times line>...]
	local d=$1
	mkdir -p "$d"
	echo "$2" > "$d/series"
	echo '{"suites": {"cow": {"pass": 3, "fail": 0, "skip": 1}},
	       "totals": {"pass": 3, "fail": 0, "skip": 1}}' > "$d/results.json"
	shift 2
	[ $# = 0 ] || printf '%s\n' "$@" > "$d/times"
}
logs "$T/logs-test" "$stamp" "kernel 75 incremental" "boot 334"
logs "$T/logs-ppc64el-hash-test" "$stamp"
run() { python3 "$top/scripts/record-results.py" "$@" > "$T/out" 2>&1; }

run "$T/results.md" --times "$T/times.md" "$T/logs-test" "$T/logs-ppc64el-hash-test"
ok $? "two runs of the series in patches/ are recorded"
has "$T/results.md" '^\| suite \| x86_64 test \| ppc64el test, hash MMU \|$' "a column per run, named after its logs directory"
has "$T/results.md" '^\| cow \| 3/0/1 \| 3/0/1 \|$' "a cell is passed/failed/skipped"
has "$T/results.md" "series $stamp \\($((cut + 1)) patches\\)" "the table names the series"
has "$T/times.md" '^\| kernel build \| 1m15s, incremental \| — \|$' "--times: the kernel build's time and kind, — for a run without times"
has "$T/times.md" '^\| boot and tests \| 5m34s \| — \|$' "and the boot's time"
has "$T/times.md" "series $stamp " "for the same series"

logs "$T/logs-armhf-test" 0123456789abcdef
run "$T/results.md" "$T/logs-test" "$T/logs-armhf-test"
ok "$([ $? = 1 ]; echo $?)" "a run of another series is refused"
has "$T/out" "logs-armhf-test ran series 0123456789abcdef, patches/ is $stamp" "naming the run and both series"

done_testing
