#!/bin/bash
# docs/measured/cross.md from the rows scripts/cross-build.sh left in
# $BUILD/cross (one an architecture, from its last run), in the order of
# configs/cross/arches.  make cross runs it after the builds.
. "$(dirname "$0")/lib.sh"

{
	echo "| arch | config | series | base build (this run) | series build (this run) | warnings (both) | options it lacks |"
	echo "|---|---|---|---:|---:|---:|---|"
	awk '!/^(#|$)/ { print $1 }' "$TOP/configs/cross/arches" | while read -r a; do
		cat "$BUILD/cross/$a.row" 2>/dev/null || true
	done
} > "$TOP/docs/measured/cross.md"
cat "$TOP/docs/measured/cross.md"
