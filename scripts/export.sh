#!/bin/bash
# Regenerate patches/ from the commits on top of "base" in the working
# tree, with a cover letter.  The cover letter's text is kept in
# patches/cover-letter.txt: the subject on the first line, then optional
# "To:" and "Cc:" lines (one address each, from scripts/get_maintainer.pl)
# that go into the header of 0000 only, then the body.  git send-email
# --to-cover --cc-cover copies them to the patches.  A body line
# "@include <path>@" is replaced by that file (a table a tool wrote:
# scripts/includes.py).
. "$(dirname "$0")/lib.sh"

# The stable cut's tree holds part of the series: exporting it would drop
# the rest from patches/.
[ -z "$SERIES_CUT" ] || die "make export exports the whole series: unset SERIES_CUT"
cd "$TREE" || die "no working tree $TREE (make tree makes it)"
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	die "$TREE has uncommitted changes; commit them first"
n=$(git rev-list --count base..HEAD)
[ "$n" -gt 0 ] || die "no commits on top of base in $TREE"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git format-patch -q --cover-letter --no-signature --zero-commit \
	--base=base -o "$tmp" base..HEAD
cover=$tmp/0000-cover-letter.patch
if [ -f "$PATCHES/cover-letter.txt" ]; then
	"$TOP/scripts/includes.py" --expand "$PATCHES/cover-letter.txt" > "$tmp/cover-letter.txt"
	python3 - "$cover" "$tmp/cover-letter.txt" <<'PY'
import sys
path, src = sys.argv[1], sys.argv[2]
text = open(path).read()
lines = open(src).read().split('\n')
subj, rest = lines[0], lines[1:]
hdr = {'To': [], 'Cc': []}
while rest and rest[0].split(':', 1)[0] in hdr:
    key, addr = rest.pop(0).split(':', 1)
    hdr[key].append(addr.strip())
body = '\n'.join(rest).strip('\n')
text = text.replace('*** SUBJECT HERE ***', subj, 1)
text = text.replace('*** BLURB HERE ***', body, 1)
# Where format-patch --to/--cc would put them: right after Subject:.
extra = ''.join('%s: %s\n' % (k, ',\n    '.join(v))
                for k, v in hdr.items() if v)
if extra:
    head, sep, tail = text.partition('\n\n')
    out = []
    for line in head.split('\n'):
        out.append(line)
        if line.startswith('Subject: '):
            out.append(extra.rstrip('\n'))
    text = '\n'.join(out) + sep + tail
open(path, 'w').write(text)
PY
fi
# A stable cover letter: its date is the newest patch's, not today's.
patches=("$tmp"/*.patch)
last=${patches[-1]}
date=$(grep -m1 '^Date: ' "$last")
sed -i "0,/^Date: .*/s//$date/" "$cover"
rm -f "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch
mkdir -p "$PATCHES"
cp "$tmp"/*.patch "$PATCHES"/
git config cow.exported "$(git rev-parse HEAD)"
# The tree now carries exactly the exported series.
git config cow.stamp "$(series_stamp)"
git config cow.head "$(git rev-parse HEAD)"
msg "exported $n patches to $PATCHES"
