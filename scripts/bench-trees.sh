#!/bin/bash
# Prepare the two 5.10 trees the benchmark compares, apart from build/linux:
#   bench-trees.sh <dir>
#   <dir>/base-tree     the pinned base, tag "base", no patch at all
#   <dir>/patched-tree  the base plus patches/ (0000 cover letter excluded)
# Both are --shared clones of the imported base.  A tree that already holds
# the wanted commits is left as it is (a stamp records the series applied).
. "$(dirname "$0")/lib.sh"

dir=${1:?usage: bench-trees.sh <dir>}
mkdir -p "$dir"
[ -d "$BASE_REPO" ] || die "the base is not imported; run 'make base' first"

clone() {
	local t=$1
	if [ ! -d "$t/.git" ]; then
		msg "cloning the base into $t"
		git clone -q --shared --no-checkout "$BASE_REPO" "$t"
		git -C "$t" config gc.auto 0
		git -C "$t" config user.name "cow bench"
		git -C "$t" config user.email "bench@invalid"
		(git -C "$t" checkout -q -B bench base) &
		heartbeat $! 20 "checking out $(basename "$t")"
		wait $! || die "checkout of $t failed"
	fi
}

clone "$dir/base-tree"
if [ "$(git -C "$dir/base-tree" rev-parse HEAD)" != "$(git -C "$dir/base-tree" rev-parse base)" ]; then
	git -C "$dir/base-tree" checkout -q -f -B bench base
fi

series=$(series_patches)
stamp=$(series_stamp)
t=$dir/patched-tree
clone "$t"
if [ "$(git -C "$t" config bench.stamp || true)" != "$stamp" ] ||
   [ "$(git -C "$t" config bench.head || true)" != "$(git -C "$t" rev-parse HEAD)" ]; then
	msg "applying $(echo "$series" | wc -l) patches to $t"
	git -C "$t" am --abort >/dev/null 2>&1 || true
	git -C "$t" checkout -q -f -B bench base
	# shellcheck disable=SC2086 # $series: one patch path a line, no spaces (as in lib.sh)
	git -C "$t" am -q $series || die "the series does not apply on the base (see git -C $t am)"
	git -C "$t" config bench.stamp "$stamp"
	git -C "$t" config bench.head "$(git -C "$t" rev-parse HEAD)"
fi
