#!/bin/bash
# Build 5.10's own gup_benchmark tool, unchanged, from the base commit of
# $TREE: the guest runs it to show that the series keeps 5.10's
# /sys/kernel/debug/gup_benchmark interface (CONFIG_GUP_BENCHMARK).
#   tool-510.sh <outdir>
. "$(dirname "$0")/lib.sh"

out=${1:?usage: tool-510.sh <outdir>}
mkdir -p "$out"
case ${ARCH:-x86_64} in
x86_64) cc=gcc ;;
arm64) cc=aarch64-linux-gnu-gcc ;;
*) die "unknown ARCH '$ARCH' (x86_64 or arm64)" ;;
esac
src=$(mktemp --suffix=.c)
trap 'rm -f "$src"' EXIT
git -C "$TREE" show base:tools/testing/selftests/vm/gup_benchmark.c > "$src" ||
	die "tools/testing/selftests/vm/gup_benchmark.c not found at tag base in $TREE"
"$cc" -static -O2 -w -o "$out/gup_benchmark" "$src" ||
	die "building 5.10's gup_benchmark failed"
