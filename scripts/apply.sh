#!/bin/bash
# Make $TREE a git working tree holding the base plus patches/ applied with
# git am.  Nothing is redone when the tree already carries exactly this
# series; local work in the tree is never thrown away.
. "$(dirname "$0")/lib.sh"

# NO_APPLY=1: use $TREE as it is (a developer tree with work in progress).
if [ -n "${NO_APPLY:-}" ]; then
	[ -d "$TREE/.git" ] || die "NO_APPLY is set but $TREE is not a git tree"
	exit 0
fi

series=$(series_patches)
stamp=$(series_stamp)

if [ ! -d "$TREE/.git" ]; then
	msg "creating the working tree $TREE from the base"
	mkdir -p "$(dirname "$TREE")"
	git clone -q --no-checkout "$BASE_REPO" "$TREE"
	git -C "$TREE" config gc.auto 0
	(git -C "$TREE" checkout -q -b series base) &
	heartbeat $! 20 "checking out the base"
	wait $! || die "checkout of the base failed"
fi
cd "$TREE" || die "cannot enter the working tree $TREE"

if [ "$(git config cow.stamp || true)" = "$stamp" ] &&
   [ "$(git config cow.head || true)" = "$(git rev-parse HEAD)" ]; then
	exit 0
fi

# The tree holds something other than the last applied series: refuse to
# discard it unless it is clean and its commits are already exported.
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
	die "$TREE has uncommitted changes; commit them and run 'make export', or discard them, then retry"
fi
head=$(git rev-parse HEAD)
if [ -n "$(git config cow.head || true)" ] && [ "$(git config cow.head)" != "$head" ] &&
   [ "$(git config cow.exported || true)" != "$head" ]; then
	die "$TREE has commits not exported to patches/ (HEAD $head); run 'make export' first, or 'git -C $TREE reset --hard base' to drop them"
fi

git am --abort >/dev/null 2>&1 || true
git checkout -q -B series base
n=$(echo "$series" | grep -c . || true)
msg "applying $n patches from $PATCHES"
for p in $series; do
	if ! out=$(git am -q --3way "$p" 2>&1); then
		git am --abort >/dev/null 2>&1 || true
		git checkout -q -B series base
		git config --unset cow.stamp || true
		git config --unset cow.head || true
		{
			echo "error: patch $(basename "$p") does not apply on $BASE_PKG $BASE_VERSION:"
			echo "$out" | grep -E '^(error|Patch failed|CONFLICT|patch does not apply|fatal)' | sed 's/^/  /'
			echo "  (see 'git -C $TREE am $p' for the full output)"
		} >&2
		exit 1
	fi
done
git config cow.stamp "$stamp"
git config cow.head "$(git rev-parse HEAD)"
git config cow.exported "$(git rev-parse HEAD)"
