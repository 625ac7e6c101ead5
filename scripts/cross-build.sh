#!/bin/bash
# The series built for another Debian architecture:
#   cross-build.sh <debian-arch>        the whole series ($TREE), then
#                                       each patch that changes arch/<ARCH>/
#   cross-build.sh <debian-arch> <N>    the series up to its patch N only
#   cross-build.sh <debian-arch> series the whole series only
# (configs/cross/arches names the architectures).  The tree is configured
# from the architecture's defconfig plus configs/cross/common.config and
# the architecture's extras, built (vmlinux) with Debian's cross compiler
# into $BUILD/cross/<arch>-<side>, and its compiler warnings collected.
# Fails if the series does not build, or has a warning the base lacks.
# The base (tag "base") is built only to tell whether a warning is the
# series': when the series' build has one, or CROSS_BASE=1 asks for it.
# The patches that change an architecture's code are built on their own
# for it (make check-patches builds every patch, but for x86_64 only).
# Options the architecture does not have (Kconfig drops them) are listed,
# not failed: they are what that architecture cannot test.
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: cross-build.sh <debian-arch> [<patch number> | series] (see configs/cross/arches)}
at=${2:-}
line=$(awk -v a="$arch" '$1 == a' "$TOP/configs/cross/arches")
[ -n "$line" ] || die "unknown architecture '$arch' (configs/cross/arches: $(awk '!/^#/ { printf "%s ", $1 }' "$TOP/configs/cross/arches"))"
read -r _ karch cross defconfig extras <<< "$line"
JOBS=${JOBS:-$(nproc)}
kernel_cc "$cross"
stamp=$("$TOP/scripts/series-id.sh")

# build <side> <tree>: configure and build vmlinux into $BUILD/cross/<arch>-<side>;
# sets $took and $dropped, leaves warnings.txt there.
build() {
	local side=$1 tree=$2 out=$BUILD/cross/$arch-$1 frag start t
	# From an empty directory: an incremental build compiles only what
	# changed and would miss the warnings of the rest (ccache replays a
	# cached object's warnings, so a warm rebuild still shows them all).
	rm -rf "$out"
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
	run_logged "$out/build.log" "building $arch ($side)" kmake -j"$JOBS" vmlinux ||
		die "$arch ($side) does not build; full log: $out/build.log"
	t=$(($(date +%s) - start))
	took=$((t / 60))m$((t % 60))s
	msg "built $arch ($side) in $took"
	norm_warnings "$out/build.log" "$tree" > "$out/warnings.txt"
}

# build_tree [<N>]: the whole series, or the series up to its patch N;
# then the base if that warns; leaves the row make cross collects into
# docs/measured/cross.md.
build_tree() {
	local at=${1:-} side tree what id=$stamp commit subject series_took series_dropped warned base_note="not built"
	if [ -z "$at" ]; then
		side=series tree=$TREE what=series
	else
		commit=$(git -C "$TREE" rev-list --reverse base..HEAD | sed -n "${at}p")
		[ -n "$commit" ] || die "the series in $TREE has no patch $at"
		subject=$(git -C "$TREE" log -1 --format=%s "$commit")
		# A tree of its own, so that $TREE stays on the series; it
		# shares $TREE's objects (clone --shared), so the commit is there.
		tree=$BUILD/cross/tree
		[ -d "$tree/.git" ] || git clone -q --shared "$TREE" "$tree"
		git -C "$tree" checkout -q --detach "$commit"
		side=at-$at what="patch $at ($subject)" id="$stamp, patch $at"
	fi
	build "$side" "$tree"
	series_took=$took series_dropped=$dropped
	warned=$(wc -l < "$BUILD/cross/$arch-$side/warnings.txt")
	if [ "$warned" -gt 0 ] || [ -n "${CROSS_BASE:-}" ]; then
		msg "$arch ($side) has $warned warnings: building the base to compare"
		build base "$(base_tree)"
		no_new_warnings "$arch compiler" "$BUILD/cross/$arch-base/warnings.txt" "$BUILD/cross/$arch-$side/warnings.txt"
		base_note="$(wc -l < "$BUILD/cross/$arch-base/warnings.txt") (built in $took)"
	fi
	msg "$arch, $what: builds, no warning the base lacks ($warned warnings)"
	printf '| %s | %s | %s%s | %s | %s | %s | %s | %s |\n' "$arch" "$what" "$defconfig" "${extras:+ $extras}" \
		"$id" "$series_took" "$warned" "$base_note" "${series_dropped//$'\n'/ }" > "$BUILD/cross/$arch-$side.row"
}

if [ "$at" = series ]; then
	build_tree
	exit 0
fi
if [ -n "$at" ]; then
	[[ $at =~ ^[0-9]+$ ]] || die "patch number or \"series\" expected, not '$at'"
	build_tree "$at"
	exit 0
fi
build_tree
# The patches that change this architecture's own code, each built on its
# own too: the whole series building does not show that they do.
i=0
for c in $(git -C "$TREE" rev-list --reverse base..HEAD); do
	i=$((i + 1))
	if git -C "$TREE" diff --name-only "$c^" "$c" | grep -q "^arch/$karch/"; then
		build_tree "$i"
	fi
done
