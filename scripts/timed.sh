#!/bin/bash
# Run one harness step and say how long it took:
#   timed.sh <what> <command> [args...]
# A step that had nothing to do (cached) still reports, so a cold run shows
# where its time went.
what=${1:?usage: timed.sh <what> <command> [args...]}
shift
start=$(date +%s)
"$@"
rc=$?
t=$(($(date +%s) - start))
if [ $rc -eq 0 ]; then
	printf '==> %s: %dm%02ds\n' "$what" $((t / 60)) $((t % 60)) >&2
else
	printf '==> %s: failed after %dm%02ds\n' "$what" $((t / 60)) $((t % 60)) >&2
fi
exit $rc
