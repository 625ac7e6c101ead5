#!/bin/bash
# checkpatch.pl --strict on every patch of patches/ (not the cover letter).
# Fails on any ERROR or WARNING; CHECKs are listed (fix them or justify
# them in the patch's message).
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/scripts" ] || die "no kernel tree at $TREE (make tree)"
errors=0
checks=0
for p in $(series_patches); do
	# Debian's python3 first: spdxcheck.py needs its python3-ply.
	# The base is a tarball import without upstream history: the ids in
	# Fixes: tags name upstream Linux commits, which cannot be looked up
	# here (verify them with git show in a Linux clone).
	out=$(PATH=/usr/bin:$PATH perl "$TREE/scripts/checkpatch.pl" --strict --no-summary --terse \
		--ignore UNKNOWN_COMMIT_ID "$p" 2>&1 || true)
	e=$(echo "$out" | grep -cE ': (ERROR|WARNING):' || true)
	c=$(echo "$out" | grep -cE ': CHECK:' || true)
	printf '%-70s %d errors/warnings, %d checks\n' "$(basename "$p")" "$e" "$c"
	if [ -n "$out" ]; then echo "$out" | grep -E ": (ERROR|WARNING|CHECK):" | sed "s/^/    /" || true; fi
	errors=$((errors + e))
	checks=$((checks + c))
done
echo "checkpatch --strict: $errors errors/warnings, $checks checks"
[ "$errors" -eq 0 ]
