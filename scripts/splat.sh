#!/bin/bash
# Scan a kernel console log for an oops, BUG, WARNING, KASAN, lockdep, a
# bad swap entry, an RCU stall, a hung task or a similar report: splat.sh <console.log>.  Prints each report's excerpt and
# exits 1 if there is one, 0 if the log is clean.  SPLAT_IGNORE: an
# extended regex of report lines to leave to another reader (make kcsan
# passes 'BUG: KCSAN:' and judges those reports itself).
log=${1:?usage: splat.sh <console.log>}
pat='(Oops|BUG:|kernel BUG at|WARNING:|KASAN:|UBSAN:|general protection fault|Kernel panic|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|INFO: task .* blocked|list_(add|del) corruption|Bad page (state|map)|VM_BUG_ON|(Bad|Unused) swap (file|offset) entry|detected stalls? on CPU|rcu: INFO: .* detected stall)'
# Strip the timestamp prefix so excerpts read cleanly.
hits=$(sed -e 's/^\[ *[0-9.]*\] //' "$log" | tr -d '\r' | grep -anE "$pat" |
	{ if [ -n "${SPLAT_IGNORE:-}" ]; then grep -avE "^[0-9]+:.*(${SPLAT_IGNORE})"; else cat; fi } |
	cut -d: -f1 || true)
[ -z "$hits" ] && exit 0
echo "error: the kernel reported a problem ($(echo "$hits" | wc -l) line(s) in $log):" >&2
last=0
for n in $hits; do
	# One excerpt per report: skip hits inside the previous excerpt.
	[ "$n" -le "$last" ] && continue
	end=$((n + 40))
	sed -e 's/^\[ *[0-9.]*\] //' "$log" | tr -d '\r' | sed -n "${n},${end}p" |
		awk '{ print } /---\[ end (trace|Kernel panic)/ { exit }' | sed 's/^/  | /' >&2
	last=$end
	echo "  --" >&2
done
exit 1
