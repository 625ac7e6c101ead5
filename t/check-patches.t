#!/bin/bash
# make check-patches on a toy series, with a build that only records what it
# was asked to build: every patch x every variant once; a second run builds
# nothing; a series changed at patch 4 rebuilds from patch 4; a changed
# selftest rebuilds nothing, a changed objtool does; a config change rebuilds
# everything, a comment in a config nothing; a failing build names the patch
# and the variant.
. "$(dirname "$0")/lib.sh"

export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t
base=$T/base
mkdir -p "$base" && cd "$base" || exit 1
git init -q && git config user.name t && git config user.email t@t
mkdir -p mm tools/testing && printf 'one\ntwo\nthree\n' > mm/a.c && echo t > tools/testing/t.c
git add . && git commit -qm base && git tag base

# A copy of the harness whose build-matrix.sh logs "<a.c's first line>
# <variant>" and fails on a tree whose a.c says BROKEN.
top=$T/top
mkdir -p "$top/scripts" "$top/configs"
cp "$TOP/scripts/lib.sh" "$TOP/scripts/apply.sh" "$TOP/scripts/export.sh" \
	"$TOP/scripts/check-patches.sh" \
	"$TOP/scripts/includes.py" "$top/scripts/"
cat > "$top/scripts/build-matrix.sh" <<'EOF'
#!/bin/bash
! grep -q BROKEN "$TREE/mm/a.c" || { echo "mm/a.c: error: BROKEN" >&2; exit 1; }
echo "$(head -1 "$TREE/mm/a.c") $*" >> "$LOG"
EOF
chmod +x "$top/scripts/"*.sh
printf 'x\tx\ny\tx\n' > "$top/configs/variants"
echo 'CONFIG_X=y' > "$top/configs/x.config"

# Four patches: mm/a.c, a selftest only, arm64 only, mm/a.c again.
git clone -q "$base" "$T/src" && cd "$T/src" || exit 1
sed -i '1s/.*/ONE/' mm/a.c && git commit -qam 'a: one'
echo u >> tools/testing/t.c && git commit -qam 'selftest: only'
mkdir -p arch/arm64 && echo a > arch/arm64/a.h && git add arch && git commit -qm 'arm64: only'
sed -i '1s/.*/UNO/' mm/a.c && git commit -qam 'a: uno'
export TOP=$top BASE_REPO=$base CACHE=$T/cache BUILD=$T/build LOG=$T/log
env TREE="$T/src" PATCHES="$T/p" bash "$top/scripts/export.sh" > "$T/out" 2>&1
ok $? "a toy series exports"
run() { env PATCHES="$T/p" bash "$top/scripts/check-patches.sh" "$@" > "$T/out" 2>&1; }

run
ok $? "check-patches passes"
ok "$([ "$(cat "$LOG")" = "$(printf 'ONE x\nONE y\nUNO x\nUNO y')" ]; echo $?)" \
	"each patch that touches the kernel is built once per variant"
sed 's/^/# /' "$LOG"
has "$T/out" 'patch 2/4: selftest: only: touches no file an x86_64 kernel build reads' \
	"a selftest-only patch builds nothing"
has "$T/out" 'patch 3/4: arm64: only: touches no file an x86_64 kernel build reads' \
	"nor does an arm64-only patch"
has "$T/out" 'every patch builds: 4 patches x 2 variants \(x y\); 4 builds now, 0 recorded' \
	"the last line counts the builds"

: > "$LOG" && run
ok "$([ ! -s "$LOG" ]; echo $?)" "a second run builds nothing"
has "$T/out" '0 builds now, 4 recorded from earlier runs' "and says it used the record"

# The series changes at patch 4: patches 1-3 stay recorded.
cd "$T/src" && git reset -q --hard HEAD^ && sed -i '1s/.*/EINS/' mm/a.c && git commit -qam 'a: eins'
env TREE="$T/src" PATCHES="$T/p" bash "$top/scripts/export.sh" > /dev/null 2>&1
# One variant first, then the status, then the others.
: > "$LOG" && run y
ok "$([ "$(cat "$LOG")" = "EINS y" ]; echo $?)" \
	"a series changed at patch 4 builds from patch 4, only the variant named"
sed 's/^/# /' "$LOG"
env PATCHES="$T/p" TREE="$T/dev" bash "$top/scripts/check-patches.sh" --status > "$T/status" 2>&1
has "$T/status" '^ 3  arm64: only +no kernel build' "the status lists a patch without a build"
has "$T/status" '^ 4  a: eins +built: y; to do: x' "and per patch what is built and what is not"
has "$T/status" '^  x: patches 1-3 of 4' "and per variant how far every patch builds"
has "$T/status" '^  y: every patch' "up to the whole series"
: > "$LOG" && run
ok "$([ "$(cat "$LOG")" = "EINS x" ]; echo $?)" "the next run builds the rest"

# A selftest changes at patch 2: the later patches' kernel builds read the
# same files as before and stay recorded.
cd "$T/src" && GIT_SEQUENCE_EDITOR="sed -i '2s/^pick/edit/'" git rebase -q -i base > /dev/null 2>&1 &&
	echo v >> tools/testing/t.c && git commit -q --amend -a --no-edit &&
	git rebase --continue > /dev/null
ok $? "the toy series' selftest patch changes"
env TREE="$T/src" PATCHES="$T/p" bash "$top/scripts/export.sh" > /dev/null 2>&1
: > "$LOG" && run
ok "$([ ! -s "$LOG" ]; echo $?)" "a selftest change earlier in the series rebuilds nothing"
has "$T/out" '0 builds now, 4 recorded from earlier runs' "the later patches stay recorded"

# The objtool sources are in tools/ too, and the kernel build reads them.
mkdir -p tools/objtool && echo o > tools/objtool/o.c && git add tools && git commit -qm 'objtool: o'
env TREE="$T/src" PATCHES="$T/p" bash "$top/scripts/export.sh" > /dev/null 2>&1
: > "$LOG" && run
ok "$([ "$(cat "$LOG")" = "$(printf 'EINS x\nEINS y')" ]; echo $?)" "a change to tools/ outside the selftests is built"
cd "$T/src" && git reset -q --hard HEAD^
env TREE="$T/src" PATCHES="$T/p" bash "$top/scripts/export.sh" > /dev/null 2>&1

printf '# why X\n\n' >> "$top/configs/x.config"
: > "$LOG" && run
ok "$([ ! -s "$LOG" ]; echo $?)" "a comment added to a config rebuilds nothing"
echo 'CONFIG_Z=y' >> "$top/configs/x.config"
: > "$LOG" && run
ok "$([ "$(wc -l < "$LOG")" -eq 4 ]; echo $?)" "a config change rebuilds every patch"

cd "$T/src" && sed -i '1s/.*/BROKEN/' mm/a.c && git commit -qam 'a: break'
env TREE="$T/src" PATCHES="$T/p" bash "$top/scripts/export.sh" > /dev/null 2>&1
run
ok "$([ $? -ne 0 ]; echo $?)" "a patch that does not build fails the run"
has "$T/out" 'patch 5/5 \(a: break\) does not build with variant x' "the error names the patch and the variant"
has "$T/out" 'mm/a.c: error: BROKEN' "and shows the build error"
ok "$([ "$(git -C "$BUILD/bisect" rev-parse --abbrev-ref HEAD)" = series ]; echo $?)" \
	"the tree is left on the series branch"

run nosuch
ok "$([ $? -ne 0 ]; echo $?)" "an unknown variant fails"
has "$T/out" "unknown variant 'nosuch' \(configs/variants: x y\)" "and lists the known ones"
done_testing
