#!/bin/bash
# Trace one kernel call of a benchmark row instruction by instruction:
#   bench-trace.sh <kernel-out-dir> <row> <function> [ignore]
# Boots <kernel-out-dir>'s bzImage the way make bench does (QEMU TCG
# -smp 1, -icount) with cowbench running only <row> once after its
# warm-up, stopped at start for gdb; gdb skips [ignore] calls of
# <function> (default 0) and single-steps the next one to its return.
# Prints the instructions per function and <function>'s own instructions
# in execution order (scripts/trace-count.py).  Compare two kernels' output
# to see what a change costs per call.
#   TRACE_COND  a gdb condition the traced call must meet, e.g. for the
#               fork row's 64-page region (copy_page_range(dst, src)):
#               '*(unsigned long *)($rsi + 8) - *(unsigned long *)$rsi == 0x40000'
#   PAGES       cowbench -p: pages per base-page region (default 4096)
#   TRACE_DIR   where the initramfs, console and trace go
#               (default $BUILD/bench/trace)
# Needs gdb and a vmlinux with symbols (every build here has them).
. "$(dirname "$0")/lib.sh"

out=${1:?usage: bench-trace.sh <kernel-out-dir> <row> <function> [ignore]}
row=${2:?usage: bench-trace.sh <kernel-out-dir> <row> <function> [ignore]}
func=${3:?usage: bench-trace.sh <kernel-out-dir> <row> <function> [ignore]}
ignore=${4:-0}
command -v gdb > /dev/null || die "gdb not found: apt-get install gdb"
[ -f "$out/vmlinux" ] || die "no vmlinux in $out: build the kernel first (make bench)"
addr=$(nm "$out/vmlinux" | awk -v f="$func" '$3 == f && $2 ~ /[tT]/ && !a { a = $1 } END { print a }')
[ -n "$addr" ] || die "no function $func in $out/vmlinux (inlined? trace its caller)"

dir=${TRACE_DIR:-$BUILD/bench/trace}
mkdir -p "$dir"
name=$(basename "$out")-$row-$func
gcc -static -O2 -Wall -o "$dir/cowbench" "$TOP/bench/cowbench.c"
echo "cowbench ./cowbench -r 1 ${PAGES:+-p $PAGES} $row" > "$dir/$row.list"
TESTS_LIST=$dir/$row.list "$TOP/scripts/initramfs.sh" "$dir/$row.cpio.gz" "$dir/cowbench" > /dev/null

msg "booting $out stopped for gdb; tracing call $((ignore + 1)) of $func in $row"
QEMU_SMP=1 QEMU_NUMA_NODES=1 QEMU_ACCEL=tcg,thread=single \
QEMU_EXTRA="-icount shift=0,sleep=off -s -S" BOOT_TIMEOUT=${BENCH_TIMEOUT:-1200} \
CMDLINE="${CMDLINE:-} norandmaps" \
	"$TOP/scripts/boot.sh" "$out/arch/x86/boot/bzImage" "$dir/$row.cpio.gz" "$dir/boot-$name" \
	> "$dir/boot-$name.log" 2>&1 &
boot=$!
sleep 2
rc=0
TRACE_ADDR=$addr TRACE_IGNORE=$ignore TRACE_COND=${TRACE_COND:-} TRACE_OUT=$dir/$name.pcs \
	timeout "${BENCH_TIMEOUT:-1200}" gdb -batch -nx -x "$TOP/scripts/trace-gdb.py" \
	> "$dir/gdb-$name.log" 2>&1 || rc=$?
wait $boot 2> /dev/null || true	# QEMU ends killed
{ [ $rc = 0 ] && [ -s "$dir/$name.pcs" ]; } ||
	die "the trace failed (gdb exit $rc); see $dir/gdb-$name.log and $dir/boot-$name.log"
"$TOP/scripts/trace-count.py" "$out/vmlinux" "$dir/$name.pcs" "$func" | tee "$dir/$name.txt"
