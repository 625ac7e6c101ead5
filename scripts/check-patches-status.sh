#!/bin/bash
# What make check-patches has shown so far for the current series, from its
# record (check-patches.built), without building: per patch, the
# variants recorded as built and those still to do, then a summary line to
# quote in the cover letter.
. "$(dirname "$0")/lib.sh"

record=${CHECK_PATCHES_RECORD:-$TOP/docs/measured/check-patches.built}
touch "$record" 2>/dev/null || true
variants=$(variant_names)
cfgsum=$(configs_sum)

"$TOP/scripts/apply.sh"
commits=$(git -C "$TREE" rev-list --reverse base..HEAD)
n=$(echo "$commits" | wc -l)
i=0 done_n=0 todo_n=0
declare -A upto gap
for v in $variants; do upto[$v]=0 gap[$v]=; done
for c in $commits; do
	i=$((i + 1))
	subject=$(git -C "$TREE" log -1 --format=%s "$c")
	if ! x86_build_changes "$TREE" "$c"; then
		printf '%2d  %-60.60s  no kernel build\n' "$i" "$subject"
		for v in $variants; do [ -n "${gap[$v]}" ] || upto[$v]=$i; done
		continue
	fi
	key=$(build_key "$TREE" "$c")
	have='' miss=''
	for v in $variants; do
		if grep -qx "$key $v $cfgsum" "$record"; then
			have="$have $v" done_n=$((done_n + 1))
			[ -n "${gap[$v]}" ] || upto[$v]=$i
		else
			miss="$miss $v" todo_n=$((todo_n + 1)) gap[$v]=1
		fi
	done
	printf '%2d  %-60.60s  built:%s%s\n' "$i" "$subject" "${have:- none}" "${miss:+; to do:$miss}"
done
echo "check-patches: $done_n of $((done_n + todo_n)) builds recorded; patches that build on their own, by variant:"
for v in $variants; do
	if [ "${upto[$v]}" -eq "$n" ]; then echo "  $v: every patch (1-$n)"
	elif [ "${upto[$v]}" -eq 0 ]; then echo "  $v: none yet"
	else echo "  $v: patches 1-${upto[$v]} of $n"; fi
done
