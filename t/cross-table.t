#!/bin/bash
# scripts/cross-table.sh: rows of this build directory replace the file's
# rows of the same architecture and tree (a patch by its subject, whatever
# its number), the others stay; the order is
# configs/cross/arches', the whole series before an architecture's patches.
. "$(dirname "$0")/lib.sh"
export BUILD=$T/build CROSS_MD=$T/cross.md
mkdir -p "$BUILD/cross"
row() { printf '| %s | %s | cfg | %s | 1m | 0 | not built | |\n' "$1" "$2" "$3"; }
row s390x series old > "$BUILD/cross/s390x-series.row"
row s390x 'patch 43 (s390: x)' old > "$BUILD/cross/s390x-at-43.row"
row i386 series old > "$BUILD/cross/i386-series.row"
"$TOP/scripts/cross-table.sh" > /dev/null
ok $? "writes the table"
ok "$(sed -n 3p "$CROSS_MD" | grep -c '^| i386 | series |' | grep -qx 1; echo $?)" "i386 comes first (configs/cross/arches' order)"
ok "$(sed -n 5p "$CROSS_MD" | grep -q '^| s390x | patch 43'; echo $?)" "an architecture's patch comes after its whole series"
# Another machine: only s390x's series row is new.
rm "$BUILD"/cross/*.row
row s390x series new > "$BUILD/cross/s390x-series.row"
"$TOP/scripts/cross-table.sh" > /dev/null
ok "$(grep -c '^| ' "$CROSS_MD" | grep -qx 4; echo $?)" "no row is lost or doubled (header and 3 rows)"
ok "$(grep -q '^| s390x | series | cfg | new |' "$CROSS_MD" && ! grep -q '^| s390x | series | cfg | old |' "$CROSS_MD"; echo $?)" "the new row replaces the old one of the same tree"
ok "$(grep -q '^| i386 | series | cfg | old |' "$CROSS_MD" && grep -q '^| s390x | patch 43 (s390: x) | cfg | old |' "$CROSS_MD"; echo $?)" "rows not built again stay"
# The series changed: s390x's patch is now patch 45, its old row goes.
row s390x 'patch 45 (s390: x)' newer > "$BUILD/cross/s390x-at-45.row"
"$TOP/scripts/cross-table.sh" > /dev/null
ok "$(grep -q '^| s390x | patch 45 (s390: x) | cfg | newer |' "$CROSS_MD" && ! grep -q 'patch 43' "$CROSS_MD"; echo $?)" "a renumbered patch's row replaces its old one"
rm "$BUILD/cross/s390x-at-45.row"
# A file of an older layout is replaced, not merged.
echo '| arch | config |' > "$CROSS_MD"
"$TOP/scripts/cross-table.sh" > /dev/null
ok "$(grep -c '^| [is]' "$CROSS_MD" | grep -qx 1; echo $?)" "an older layout's rows are dropped"
done_testing
