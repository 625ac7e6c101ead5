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
#
#   check-patches.sh --status   builds nothing: per patch of $TREE's series,
#                               the variants recorded as built and those
#                               still to do, then per variant how far every
#                               patch builds (make check-patches-status)
. "$(dirname "$0")/lib.sh"

status=
if [ "${1:-}" = --status ]; then
	status=1
	shift
fi
record=${CHECK_PATCHES_RECORD:-$TOP/docs/measured/check-patches.built}
mkdir -p "$(dirname "$record")"
[ -n "$status" ] || [ -z "${CHECK_PATCHES_FRESH:-}" ] || rm -f "$record"
touch "$record"

variants=$(variant_names)
for v in "$@"; do
	grep -qx "$v" <<< "$variants" || die "unknown variant '$v' (configs/variants: ${variants//$'\n'/ })"
done
[ $# -eq 0 ] || variants=$*
cfgsum=$(configs_sum)

if [ -n "$status" ]; then
	bt=$TREE
	"$TOP/scripts/apply.sh"
else
	bt=$BUILD/bisect
	out=$BUILD/bisect-out
	mkdir -p "$out"
	env TREE="$bt" "$TOP/scripts/apply.sh"
	# Leave the tree on the series, also after a failure, so the next
	# run's apply.sh recognises it.
	trap 'git -C "$bt" checkout -q series' EXIT
fi
commits=$(git -C "$bt" rev-list --reverse base..HEAD)
n=$(echo "$commits" | wc -l)
i=0 built=0 known=0 todo_n=0
declare -A upto gap
for v in $variants; do upto[$v]=0 gap[$v]=; done
for c in $commits; do
	i=$((i + 1))
	subject=$(git -C "$bt" log -1 --format=%s "$c")
	# A patch that touches only selftests, documentation, MAINTAINERS or
	# another architecture leaves every build as the previous one left it.
	if ! x86_build_changes "$bt" "$c"; then
		if [ -n "$status" ]; then
			printf '%2d  %-60.60s  no kernel build\n' "$i" "$subject"
			for v in $variants; do [ -n "${gap[$v]}" ] || upto[$v]=$i; done
		else
			msg "patch $i/$n: $subject: touches no file an x86_64 kernel build reads"
		fi
		continue
	fi
	key=$(build_key "$bt" "$c")
	have='' todo=''
	for v in $variants; do
		if grep -qx "$key $v $cfgsum" "$record"; then
			have="$have $v" known=$((known + 1))
			[ -n "${gap[$v]}" ] || upto[$v]=$i
		else
			todo="$todo $v" todo_n=$((todo_n + 1)) gap[$v]=1
		fi
	done
	if [ -n "$status" ]; then
		printf '%2d  %-60.60s  built:%s%s\n' "$i" "$subject" "${have:- none}" "${todo:+; to do:$todo}"
		continue
	fi
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
if [ -z "$status" ]; then
	msg "every patch builds: $n patches x $(echo "$variants" | wc -w) variants (${variants//$'\n'/ }); $built builds now, $known recorded from earlier runs"
	exit 0
fi
echo "check-patches: $known of $((known + todo_n)) builds recorded; patches that build on their own, by variant:"
for v in $variants; do
	if [ "${upto[$v]}" -eq "$n" ]; then echo "  $v: every patch (1-$n)"
	elif [ "${upto[$v]}" -eq 0 ]; then echo "  $v: none yet"
	else echo "  $v: patches 1-${upto[$v]} of $n"; fi
done
