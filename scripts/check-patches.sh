#!/bin/bash
# Bisectability: build every patch of the series on its own, with every
# variant of configs/variants (or those named: check-patches.sh [variant...]),
# in a separate tree ($BUILD/bisect).  Builds are incremental from one patch
# to the next.  Slow (hours on two cores): run it before submitting a series
# change and quote its last line in the cover letter.
#
# Resumable: every (source tree, variant, configs) that built is recorded in
# docs/measured/check-patches.built (tracked in git, so that
# the record carries over to another machine; CHECK_PATCHES_RECORD names
# another file), keyed by build_key (lib.sh): a hash of the files the kernel
# build reads at that patch; a later run skips those.  An interrupted run
# thus goes on where it stopped, a series changed at patch N rebuilds from
# N, and a change to a selftest or to the documentation rebuilds nothing.
# CHECK_PATCHES_FRESH=1 forgets the record.
. "$(dirname "$0")/lib.sh"

bt=$BUILD/bisect
out=$BUILD/bisect-out
record=${CHECK_PATCHES_RECORD:-$TOP/docs/measured/check-patches.built}
mkdir -p "$out"
mkdir -p "$(dirname "$record")"
[ -z "${CHECK_PATCHES_FRESH:-}" ] || rm -f "$record"
touch "$record"

variants=$(variant_names)
for v in "$@"; do
	grep -qx "$v" <<< "$variants" || die "unknown variant '$v' (configs/variants: ${variants//$'\n'/ })"
done
[ $# -eq 0 ] || variants=$*
cfgsum=$(configs_sum)

env TREE="$bt" "$TOP/scripts/apply.sh"
# Leave the tree on the series, also after a failure, so the next run's
# apply.sh recognises it.
trap 'git -C "$bt" checkout -q series' EXIT
commits=$(git -C "$bt" rev-list --reverse base..HEAD)
n=$(echo "$commits" | wc -l)
i=0 built=0 known=0
for c in $commits; do
	i=$((i + 1))
	subject=$(git -C "$bt" log -1 --format=%s "$c")
	# A patch that touches only selftests, documentation, MAINTAINERS or
	# another architecture leaves every build as the previous one left it.
	if ! x86_build_changes "$bt" "$c"; then
		msg "patch $i/$n: $subject: touches no file an x86_64 kernel build reads"
		continue
	fi
	key=$(build_key "$bt" "$c")
	todo=
	for v in $variants; do
		if grep -qx "$key $v $cfgsum" "$record"; then
			known=$((known + 1))
		else
			todo="$todo $v"
		fi
	done
	if [ -z "$todo" ]; then
		msg "patch $i/$n: $subject: built before with every variant asked for"
		continue
	fi
	msg "patch $i/$n: $subject:$todo"
	git -C "$bt" checkout -q "$c"
	for v in $todo; do
		# Options the series adds later (e.g. its KUnit test) do not
		# exist yet at an early patch: no check of options Kconfig
		# dropped.
		env TREE="$bt" BUILD="$out" CONFIG_CHECK=0 "$TOP/scripts/build-matrix.sh" "$v" ||
			die "patch $i/$n ($subject) does not build with variant $v"
		echo "$key $v $cfgsum" >> "$record"
		built=$((built + 1))
	done
done
msg "every patch builds: $n patches x $(echo "$variants" | wc -w) variants (${variants//$'\n'/ }); $built builds now, $known recorded from earlier runs"
