#!/bin/bash
# Boot one kernel with the benchmark initramfs, deterministically:
#   bench-run.sh <bzImage> <initramfs> <logdir>
# QEMU TCG, single-threaded, -smp 1, -icount shift=0,sleep=off: the guest
# clock advances one ns per guest instruction.  Writes <logdir>/results.log
# and console.log (scripts/boot.sh) and <logdir>/rows.txt (cowbench lines).
. "$(dirname "$0")/lib.sh"

kernel=${1:?usage: bench-run.sh <bzImage> <initramfs> <logdir>}
initrd=${2:?usage: bench-run.sh <bzImage> <initramfs> <logdir>}
logdir=${3:?usage: bench-run.sh <bzImage> <initramfs> <logdir>}

QEMU_SMP=1 QEMU_NUMA_NODES=1 QEMU_ACCEL=tcg,thread=single \
QEMU_EXTRA="-icount shift=0,sleep=off ${BENCH_QEMU_EXTRA:-}" \
BOOT_TIMEOUT=${BENCH_TIMEOUT:-900} \
	"$TOP/scripts/boot.sh" "$kernel" "$initrd" "$logdir" ||
	die "the benchmark boot of $kernel failed; logs in $logdir"
grep -a -E '^(row|#) ' "$logdir/results.log" | tr -d '\r' > "$logdir/rows.txt"
grep -q '^row ' "$logdir/rows.txt" || die "no benchmark rows in $logdir/results.log"
if ! grep -aq '^### end cowbench exit=0' "$logdir/results.log"; then
	grep -a '^cowbench: ' "$logdir/results.log" >&2 || true
	die "cowbench failed in the guest; see $logdir/results.log"
fi
msg "$(grep -c '^row ' "$logdir/rows.txt") rows in $logdir/rows.txt"
