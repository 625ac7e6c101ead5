#!/bin/bash
# Configure and build a kernel from $TREE: build.sh <config> [outdir]
#   <config> is test, debug, kcsan or prod; the fragment is configs/base.config plus
#   the config's own fragments, then configs/test-$ARCH.config (all but
#   prod) and configs/$ARCH.config where they exist.  ARCH (configs/arches,
#   x86_64 by default) other than x86_64 cross-builds with Debian's cross
#   compiler.  The result is <outdir>/<image> (configs/arches).
# After configuration every option a fragment asks for is checked: one that
# Kconfig dropped (unmet dependency, renamed symbol) fails the build, named.
. "$(dirname "$0")/lib.sh"

cfg=${1:?usage: build.sh test|debug|kcsan|prod [outdir]}
out=${2:-$BUILD/out-$cfg}
mkdir -p "$out" && out=$(cd "$out" && pwd)
case $cfg in
test) frags="base test" ;;
debug) frags="base test debug" ;;
kcsan) frags="base test kcsan" ;;
prod) frags="base prod" ;;
*) die "unknown config '$cfg' (test, debug, kcsan or prod)" ;;
esac
arch_info
image=${IMAGE##*/} cross=$CROSS
if [ "$cfg" != prod ] && [ -f "$TOP/configs/test-$ARCH.config" ]; then
	frags="$frags test-$ARCH"
fi
[ ! -f "$TOP/configs/$ARCH.config" ] || frags="$frags $ARCH"
# BUILD_TARGET: what to build after configuring (prepare: just the
# generated headers, enough to compile or check single files; none: only
# configure and check the options).
BUILD_TARGET=${BUILD_TARGET:-$image}
JOBS=${JOBS:-$(nproc)}
mkdir -p "$out"
frag=$out/fragment.config
for f in $frags; do cat "$TOP/configs/$f.config"; done > "$frag.new"
# Extra options, one per line, e.g. EXTRA_CONFIG="CONFIG_KSM=n" to build
# with a feature turned off.
for o in ${EXTRA_CONFIG:-}; do
	case $o in
	*=n) echo "# ${o%=n} is not set" ;;
	*) echo "$o" ;;
	esac
done >> "$frag.new"
# Later lines win: drop earlier settings of a symbol set again below.
tac "$frag.new" | awk '
	/^CONFIG_/ { s = $0; sub(/=.*/, "", s) }
	/^# CONFIG_.* is not set/ { s = $2 }
	/^(CONFIG_|# CONFIG_.* is not set)/ { if (seen[s]++) next }
	{ print }' | tac > "$frag"
rm -f "$frag.new"

kernel_cc "$cross"
kmake() {
	make -C "$TREE" O="$out" ARCH="$KARCH" CROSS_COMPILE="$cross" \
		CC="$kcc" HOSTCC="$khostcc" "$@"
}

msg "configuring $cfg kernel in $out"
kmake -s KCONFIG_ALLCONFIG="$frag" allnoconfig >/dev/null
kmake -s olddefconfig >/dev/null

# CONFIG_CHECK=0 skips the check (for trees that lack the series' options,
# such as the plain base used as a reference).
missing=''
[ "${CONFIG_CHECK:-1}" = 0 ] || missing=$(awk '
	FNR == NR {
		if ($0 ~ /^CONFIG_/) { split($0, kv, "="); want[kv[1]] = kv[2] }
		else if ($0 ~ /^# CONFIG_.* is not set/) want[$2] = "n"
		next
	}
	/^CONFIG_/ { split($0, kv, "="); have[kv[1]] = kv[2] }
	END {
		for (s in want) {
			h = (s in have) ? have[s] : "n"
			if (h != want[s]) printf "  %s=%s requested, got %s\n", s, want[s], h
		}
	}' "$frag" "$out/.config" | sort)
if [ -n "$missing" ]; then
	printf 'error: Kconfig dropped options of the %s config (unmet dependency or unknown symbol):\n%s\n' "$cfg" "$missing" >&2
	exit 1
fi

[ "$BUILD_TARGET" = none ] && exit 0

msg "building $cfg kernel ($JOBS jobs; about 2-5 minutes from scratch, less with ccache)"
log=$out/build.log
run_logged "$log" "building ($(basename "$out"))" kmake -j"$JOBS" "$BUILD_TARGET" ||
	die "kernel build failed; full log: $log"
grep -E '(^|: )warning:' "$log" | sort -u | head -n 20 >&2 || true
msg "built $BUILD_TARGET in $out"
