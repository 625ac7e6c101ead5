#!/bin/bash
# The series workflow on a toy base: a patch that does not apply is named
# with its file; a good series applies, and apply+export is a no-op.
. "$(dirname "$0")/lib.sh"

export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t
base=$T/base
mkdir -p "$base" && cd "$base" || exit 1
git init -q && git config user.name t && git config user.email t@t
printf 'one\ntwo\nthree\n' > a.txt
git add a.txt && git commit -qm base && git tag base

# A good patch, made in a scratch clone.
git clone -q "$base" "$T/scratch" && cd "$T/scratch" || exit 1
git config user.name t && git config user.email t@t
sed -i 's/two/TWO/' a.txt && git commit -qam 'a: shout two'
mkdir -p "$T/good"
printf 'a: the subject\nTo: A <a@t>\nCc: B <b@t>\nCc: c@t\n\nThe body.\n' \
	> "$T/good/cover-letter.txt"
env TREE="$T/scratch" PATCHES="$T/good" CACHE="$T/cache" \
	bash "$TOP/scripts/export.sh" > "$T/out" 2>&1
ok $? "export writes a series from a tree"
c=$T/good/0000-cover-letter.patch
sed -n '/^Subject: /,/^$/p' "$c" > "$T/hdr"
has "$T/hdr" '^Subject: \[PATCH 0/1\] a: the subject$' "the cover letter has the subject"
ok "$([ "$(sed -n 2,4p "$T/hdr")" = "$(printf 'To: A <a@t>\nCc: B <b@t>,\n    c@t')" ]; echo $?)" \
	"To: and Cc: follow the subject in the cover letter's header"
ok "$([ "$(grep -c '^To:\|^Cc:' "$T/good/0001-a-shout-two.patch")" = 0 ]; echo $?)" \
	"the patches themselves carry no To:/Cc:"
has "$c" '^The body\.$' "the body follows the header"
# A patch whose context is not in the base.
mkdir -p "$T/bad" && sed 's/^ one$/ uno/' "$T/good"/0001-*.patch > "$T/bad/0001-a-shout-two.patch"

env BASE_REPO="$base" TREE="$T/tree" PATCHES="$T/bad" CACHE="$T/cache" \
	bash "$TOP/scripts/apply.sh" > "$T/out" 2>&1
ok "$([ $? -ne 0 ]; echo $?)" "a patch that does not fit fails"
has "$T/out" '0001-a-shout-two.patch does not apply' "the error names the patch"
has "$T/out" 'a\.txt' "the error names the file or hunk"

env BASE_REPO="$base" TREE="$T/tree" PATCHES="$T/good" CACHE="$T/cache" \
	bash "$TOP/scripts/apply.sh" > "$T/out" 2>&1
ok $? "a good series applies"
ok "$([ "$(git -C "$T/tree" log -1 --format=%s)" = "a: shout two" ]; echo $?)" "the tree carries the series"

cp -r "$T/good" "$T/before"
env BASE_REPO="$base" TREE="$T/tree" PATCHES="$T/good" CACHE="$T/cache" \
	bash "$TOP/scripts/export.sh" > "$T/out" 2>&1
ok $? "export runs"
diff -r "$T/before" "$T/good" > "$T/diff" 2>&1
ok $? "apply then export gives the same patches"
sed "s/^/# /" "$T/diff"

echo 'local work' >> "$T/tree/a.txt"
env BASE_REPO="$base" TREE="$T/tree" PATCHES="$T/bad" CACHE="$T/cache" \
	bash "$TOP/scripts/apply.sh" > "$T/out" 2>&1
ok "$([ $? -ne 0 ]; echo $?)" "uncommitted work in the tree is not thrown away"
has "$T/out" 'uncommitted changes' "and the error says why"
done_testing
