#!/bin/bash
# Print which series $TREE carries: the stamp of patches/ (lib.sh's
# series_stamp) when the tree holds exactly the applied or exported
# series, "unexported-<commit>" when it has commits patches/ lacks (or
# is another tree, the base), "not-a-git-tree" for a source package.
# scripts/guest-run.sh records it with the run's logs; make record checks it.
. "$(dirname "$0")/lib.sh"

head=$(git -C "$TREE" rev-parse HEAD 2>/dev/null) || {
	echo "not-a-git-tree"	# a source package (make bench's 6.12)
	exit 0
}
if [ "$(git -C "$TREE" config cow.head || true)" = "$head" ] &&
   [ "$(git -C "$TREE" config cow.stamp || true)" = "$(series_stamp)" ]; then
	series_stamp
else
	echo "unexported-$(git -C "$TREE" rev-parse --short HEAD)"
fi
