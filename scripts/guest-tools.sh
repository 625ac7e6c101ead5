#!/bin/bash
# Build the harness's own guest test programs (guest/*.c), statically:
#   guest-tools.sh <outdir>
. "$(dirname "$0")/lib.sh"

out=${1:?usage: guest-tools.sh <outdir>}
mkdir -p "$out"
case ${ARCH:-x86_64} in
x86_64) cc=gcc ;;
arm64) cc=aarch64-linux-gnu-gcc ;;
*) die "unknown ARCH '$ARCH' (x86_64 or arm64)" ;;
esac
for src in "$TOP"/guest/*.c; do
	"$cc" -static -O2 -Wall -o "$out/$(basename "$src" .c)" "$src" ||
		die "building $src failed"
done
