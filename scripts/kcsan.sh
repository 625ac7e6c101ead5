#!/bin/bash
# make kcsan: KCSAN reports of the base and of the series, compared.
#   kcsan.sh <outdir>
# For each side, base (tag "base") and series ($TREE): the kcsan config's
# kernel (configs/kcsan.config: the test config with KCSAN) built from that
# tree, booted with the series' cow and gup_stress (guest/kcsan.list; both
# sides run the same binaries, so the base fails the cases the series
# fixes, and only the series' results are judged).  KCSAN reports are left
# to kcsan-report.py; any other splat fails the run as always.  The series
# fails if one of its KCSAN reports is a race in code the series adds or
# changes (kcsan-report.py).
. "$(dirname "$0")/lib.sh"

out=${1:?usage: kcsan.sh <outdir>}
mkdir -p "$out"
out=$(cd "$out" && pwd)
sel=$BUILD/selftests
"$TOP/scripts/selftests.sh" "$sel" cow gup_stress

rc=0
for side in base series; do
	case $side in
	base) tree=$(base_tree) check=0 report=none ;;
	series) tree=$TREE check=1 report= ;;
	esac
	# Only the series' results are judged (the base fails what it fixes).
	TREE=$tree CONFIG_CHECK=$check SPLAT_IGNORE='BUG: KCSAN:' BOOT_TIMEOUT=${BOOT_TIMEOUT:-3600} \
	REPORT=$report "$TOP/scripts/guest-run.sh" kcsan "$BUILD/out-$side-kcsan" "$out/$side" \
		"$TOP/guest/kcsan.list" "$sel/cow" "$sel/gup_stress" || {
		warn "the $side run failed (see above)"
		rc=1
	}
done
git -C "$TREE" diff base -- . ':!tools' ':!Documentation' > "$out/series.diff"
echo "== KCSAN reports"
"$TOP/scripts/kcsan-report.py" "$out/base/console.log" "$out/series/console.log" \
	"$out/series.diff" "$BUILD/out-base-kcsan/vmlinux" "$BUILD/out-series-kcsan/vmlinux" |
	tee "$out/kcsan.txt"
[ "${PIPESTATUS[0]}" = 0 ] || rc=1
exit $rc
