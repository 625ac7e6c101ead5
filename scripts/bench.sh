#!/bin/bash
# The COW/GUP benchmark (make bench): build the base, the patched and the
# reference (Debian 12's 6.12) kernels from one production-like config, boot
# each under QEMU with -icount shift=0,sleep=off -smp 1, run bench/cowbench
# in each, rerun one kernel to show the spread, and write the report.
#   bench.sh [outdir]            (default $BUILD/bench)
# Outputs: <outdir>/results/{results.md,ratios.png}, copied to bench/ in the
# repository unless BENCH_NO_COPY=1.  BENCH_RERUN (default patched) names
# the kernel booted twice; BENCH_SKIP_BUILD=1 reuses the built kernels;
# BENCH_REPORT_ONLY=1 only redoes the report from the last runs' logs.
. "$(dirname "$0")/lib.sh"

B=${1:-$BUILD/bench}
mkdir -p "$B"
B=$(cd "$B" && pwd)
JOBS=${JOBS:-2}
export JOBS
RERUN=${BENCH_RERUN:-patched}
# No user-space ASLR: the same page-table layout in every run.

[ -n "${BENCH_REPORT_ONLY:-}" ] || "$TOP/scripts/fetch-base.sh"
[ -n "${BENCH_REPORT_ONLY:-}" ] || "$TOP/scripts/bench-trees.sh" "$B"
REF_SRC=$("$TOP/scripts/bench-fetch-ref.sh")

# One config for all three: configs/base.config + configs/prod.config +
# bench/bench.config.  The plain base has gup_benchmark instead of gup_test
# (CONFIG_GUP_TEST is added by the series); both give pin_user_pages_fast
# to userspace.
BENCH_CONFIG=$(grep -v '^#' "$TOP/bench/bench.config")
run() {
	local name=$1 tree=$2 extra="$BENCH_CONFIG $3"
	TREE=$tree EXTRA_CONFIG=$extra SKIP_BUILD=${BENCH_SKIP_BUILD:-} \
		"$TOP/scripts/bench-run.sh" "$B/out-$name" "$B/cowbench" "$B/run-$name"
}
measure() {
	msg "building bench/cowbench (static)"
	gcc -static -O2 -Wall -pthread -o "$B/cowbench" "$TOP/bench/cowbench.c"
	run base "$B/base-tree" "CONFIG_GUP_TEST=n CONFIG_GUP_BENCHMARK=y"
	run patched "$B/patched-tree" ""
	run ref "$REF_SRC" ""
	msg "rerunning the $RERUN kernel to measure the spread between runs"
	SKIP_BUILD=1 "$TOP/scripts/bench-run.sh" "$B/out-$RERUN" "$B/cowbench" "$B/run-$RERUN-2"
}
[ -n "${BENCH_REPORT_ONLY:-}" ] || measure

title="Kernels: base = Debian linux-source-5.10 $BASE_VERSION, patched = base + patches/ ($(series_patches | wc -l) patches), 6.12 = Debian linux-source-6.12 $(basename "$REF_SRC" | sed "s/^linux-source-6.12-//; s/-deb/~deb/"); all from configs/base.config + configs/prod.config + bench/bench.config, QEMU TCG -smp 1 -icount shift=0,sleep=off."
"$TOP/bench/report.py" --base "$B/run-base/rows.txt" --patched "$B/run-patched/rows.txt" \
	--ref "$B/run-ref/rows.txt" --rerun "$RERUN=$B/run-$RERUN-2/rows.txt" \
	--title "$title" --out "$B/results"
if [ -z "${BENCH_NO_COPY:-}" ]; then
	cp "$B/results/results.md" "$B/results/summary.md" "$B/results/ratios.png" "$TOP/bench/"
	msg "results in $B/results (copied to bench/results.md, summary.md and ratios.png)"
else
	msg "results in $B/results"
fi
