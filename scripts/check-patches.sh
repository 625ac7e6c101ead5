#!/bin/bash
# Bisectability: build every patch of the series on its own, with every
# variant of configs/variants, in a separate tree ($BUILD/bisect).  Builds
# are incremental from one patch to the next.  Slow: run it before
# submitting a series change and quote its last line in the cover letter.
. "$(dirname "$0")/lib.sh"

bt=$BUILD/bisect
env TREE="$bt" "$TOP/scripts/apply.sh"
commits=$(git -C "$bt" rev-list --reverse base..HEAD)
n=$(echo "$commits" | wc -l)
i=0
for c in $commits; do
	i=$((i + 1))
	git -C "$bt" checkout -q "$c"
	msg "patch $i/$n: $(git -C "$bt" log -1 --format=%s)"
	# A patch that touches only selftests, documentation or MAINTAINERS
	# leaves every kernel build as the previous patch left it.
	if ! git -C "$bt" diff --name-only "$c^" "$c" | grep -qvE '^(tools/|Documentation/|MAINTAINERS$)'; then
		msg "patch $i/$n touches no file the kernel build reads: nothing to build"
		continue
	fi
	# Options the series adds later (e.g. its KUnit test) do not exist
	# yet at an early patch: no check of options Kconfig dropped.
	env TREE="$bt" BUILD="$BUILD/bisect-out" CONFIG_CHECK=0 "$TOP/scripts/build-matrix.sh" "$@" ||
		die "patch $i/$n ($(git -C "$bt" log -1 --format=%s)) breaks the build"
done
git -C "$bt" checkout -q series
msg "every patch builds ($n patches x $(grep -cvE '^(#|$)' "$TOP/configs/variants") variants)"
