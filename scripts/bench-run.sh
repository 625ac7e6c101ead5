#!/bin/bash
# One benchmark run, deterministic: scripts/guest-run.sh (build, initramfs,
# boot) with bench/tests.list and cowbench, booted under QEMU TCG,
# single-threaded, -smp 1, -icount shift=0,sleep=off (the guest clock
# advances one ns per guest instruction), with norandmaps (the same
# addresses every run; cowbench's NUMA rows count on it), then the rows:
#   bench-run.sh <kernel-out> <cowbench> <logdir>
# TREE and EXTRA_CONFIG name the kernel (the prod config plus them), as
# for build.sh; SKIP_BUILD=1 boots the kernel already in <kernel-out>.
# Writes <logdir>/results.log and console.log (boot.sh) and
# <logdir>/rows.txt (cowbench's lines).
. "$(dirname "$0")/lib.sh"

kout=${1:?usage: bench-run.sh <kernel-out> <cowbench> <logdir>}
cowbench=${2:?usage: bench-run.sh <kernel-out> <cowbench> <logdir>}
logdir=${3:?usage: bench-run.sh <kernel-out> <cowbench> <logdir>}

QEMU_SMP=1 QEMU_NUMA_NODES=1 QEMU_ACCEL=tcg,thread=single \
QEMU_EXTRA="-icount shift=0,sleep=off ${BENCH_QEMU_EXTRA:-}" \
BOOT_TIMEOUT=${BENCH_TIMEOUT:-900} REPORT=none CMDLINE="${CMDLINE:-} norandmaps" \
	"$TOP/scripts/guest-run.sh" prod "$kout" "$logdir" "$TOP/bench/tests.list" "$cowbench" ||
	die "the benchmark run of $kout failed; logs in $logdir"
grep -a -E '^(row|#) ' "$logdir/results.log" | tr -d '\r' > "$logdir/rows.txt"
grep -q '^row ' "$logdir/rows.txt" || die "no benchmark rows in $logdir/results.log"
if ! grep -aq '^### end cowbench exit=0' "$logdir/results.log"; then
	grep -a '^cowbench: ' "$logdir/results.log" >&2 || true
	die "cowbench failed in the guest; see $logdir/results.log"
fi
msg "$(grep -c '^row ' "$logdir/rows.txt") rows in $logdir/rows.txt"
