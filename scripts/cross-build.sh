#!/bin/bash
# The series built for another Debian architecture, next to the base:
#   cross-build.sh <debian-arch>        (configs/cross/arches names them)
# Each side, base (tag "base") and series ($TREE), is configured from the
# architecture's defconfig plus configs/cross/common.config and the
# architecture's extras, built (vmlinux) with Debian's cross compiler
# into $BUILD/cross/<arch>-<side>, and its compiler warnings collected.
# Fails if the series does not build, or adds a warning the base lacks.
# Options the architecture does not have (Kconfig drops them) are listed,
# not failed: they are what that architecture cannot test.
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: cross-build.sh <debian-arch> (see configs/cross/arches)}
line=$(awk -v a="$arch" '$1 == a' "$TOP/configs/cross/arches")
[ -n "$line" ] || die "unknown architecture '$arch' (configs/cross/arches: $(awk '!/^#/ { printf "%s ", $1 }' "$TOP/configs/cross/arches"))"
read -r _ karch cross defconfig extras <<< "$line"
JOBS=${JOBS:-$(nproc)}
kernel_cc "$cross"

# Warnings without line numbers or the tree's own path, so that the base's
# and the series' compare.
norm_warnings() {
	{ grep -E '(^|: )warning:' "$1" || true; } | sed -E "s|^$2/||; s|:[0-9]+:[0-9]+:|:|; s|:[0-9]+:|:|" | sort -u
}

rc=0
declare -A took
for side in base series; do
	case $side in
	base) tree=$(base_tree) ;;
	series) tree=$TREE ;;
	esac
	out=$BUILD/cross/$arch-$side
	mkdir -p "$out"
	kmake() {
		make -C "$tree" O="$out" ARCH="$karch" CROSS_COMPILE="$cross" \
			CC="$kcc" HOSTCC="$khostcc" "$@"
	}
	frag=$out/fragment.config
	{ cat "$TOP/configs/cross/common.config"; tr ' ' '\n' <<< "$extras"; } | grep '^CONFIG_' > "$frag" || true
	msg "configuring $arch ($side): $defconfig + configs/cross/common.config${extras:+ + $extras}"
	kmake -s "$defconfig" > "$out/config.log" 2>&1 || { tail -n 20 "$out/config.log" >&2; die "$defconfig failed for $arch ($side)"; }
	(cd "$out" && "$tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$frag") >> "$out/config.log" 2>&1 ||
		die "merging the options failed for $arch ($side); see $out/config.log"
	kmake -s olddefconfig >> "$out/config.log" 2>&1 || die "olddefconfig failed for $arch ($side)"
	dropped=$(while read -r o; do grep -qx "$o" "$out/.config" || echo "${o%%=*}"; done < "$frag")
	[ -z "$dropped" ] || msg "$arch ($side) has no $(echo "$dropped" | tr '\n' ' ')"
	msg "building $arch ($side) vmlinux, $JOBS jobs"
	start=$(date +%s)
	if ! run_logged "$out/build.log" "building $arch ($side)" kmake -j"$JOBS" vmlinux; then
		warn "$arch ($side) does not build; full log: $out/build.log"
		rc=1
		continue
	fi
	t=$(($(date +%s) - start))
	took[$side]=$((t / 60))m$((t % 60))s
	msg "built $arch ($side) in $((t / 60))m$((t % 60))s"
	norm_warnings "$out/build.log" "$tree" > "$out/warnings.txt"
done
[ $rc = 0 ] || exit 1
no_new_warnings "$arch compiler" "$BUILD/cross/$arch-base/warnings.txt" "$BUILD/cross/$arch-series/warnings.txt"
nw=$(wc -l < "$BUILD/cross/$arch-series/warnings.txt")
msg "$arch: the series builds, no new warning ($nw warnings, as the base's)"
# The row make cross collects into docs/measured/cross.md.
printf '| %s | %s%s | %s | %s | %s | %s | %s |\n' "$arch" "$defconfig" "${extras:+ $extras}" \
	"$("$TOP/scripts/series-id.sh")" "${took[base]}" "${took[series]}" "$nw" \
	"${dropped//$'\n'/ }" > "$BUILD/cross/$arch.row"
