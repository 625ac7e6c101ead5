#!/bin/bash
# lib.sh's norm_warnings and no_new_warnings, as make cross compares a
# series' build with the base's: the same warning in two trees built out of
# tree (paths relative to each build directory) is no new warning, another
# one is.
. "$(dirname "$0")/lib.sh"
# lib.sh sets -e: a failing check must not end the test.
# shellcheck source=../scripts/lib.sh
. "$TOP/scripts/lib.sh"
mkdir -p "$T/cross/a-series" "$T/cross/a-base" "$T/cross/tree" "$T/sparse-base"
w1="arch/s390/kernel/smp.c:12:3: warning: 'memcpy' reading 128 bytes [-Wstringop-overread]"
w2="mm/rmap.c:1400:1: warning: unused variable 'x' [-Wunused-variable]"
printf '  CC  mm/rmap.o\n../tree/%s\n' "$w1" > "$T/cross/a-series/build.log"
printf '../../sparse-base/%s\n' "${w1/:12:/:14:}" > "$T/cross/a-base/build.log"
norm_warnings "$T/cross/a-series/build.log" "$T/cross/tree" > "$T/series.txt"
norm_warnings "$T/cross/a-base/build.log" "$T/sparse-base" > "$T/base.txt"
ok "$(grep -qx "arch/s390/kernel/smp.c: warning: 'memcpy' reading 128 bytes \[-Wstringop-overread\]" "$T/series.txt"; echo $?)" \
	"a warning loses the tree's relative path and its line number"
st=0; (no_new_warnings x "$T/base.txt" "$T/series.txt") 2> "$T/err" || st=$?
ok $st "the base's warning in both trees is no new warning"
printf '%s/%s\n' "$T/cross/tree" "$w2" >> "$T/cross/a-series/build.log"
norm_warnings "$T/cross/a-series/build.log" "$T/cross/tree" > "$T/series.txt"
st=0; (no_new_warnings x "$T/base.txt" "$T/series.txt") 2> "$T/err" || st=$?
ok "$([ $st -ne 0 ]; echo $?)" "a warning only the series has fails"
has "$T/err" "^  mm/rmap.c: warning: unused variable 'x'" "and is named, absolute path gone"
done_testing
