#!/bin/bash
# git am patches/ on a clean clone of the pinned base (not the working
# tree): proves the series applies as submitted.
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cow-am.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
env TREE="$tmp/linux" "$TOP/scripts/apply.sh"
n=$(git -C "$tmp/linux" rev-list --count base..HEAD)
msg "git am: $n patches apply on $BASE_PKG $BASE_VERSION"
