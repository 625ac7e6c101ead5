#!/bin/bash
# Every figure README and the cover letter quote comes from the file the
# measuring tool wrote: README's and docs' include blocks equal their files
# (scripts/includes.py --check), the exported cover letter carries the
# files it includes as they are now, the results table describes the
# series in patches/, and README's prose quotes no figure of its own.
# The patches concatenated are one mbox with one message per file.
. "$(dirname "$0")/lib.sh"
cd "$TOP"

"$TOP/scripts/includes.py" --check > "$T/out" 2>&1
ok $? "README's and docs' include blocks equal the files they copy"
sed 's/^/# /' "$T/out"

while read -r f; do
	python3 - "$f" patches/0000-cover-letter.patch <<'PY'
import sys
src, cover = (open(p).read() for p in sys.argv[1:])
sys.exit(0 if src.rstrip('\n') in cover else 1)
PY
	ok $? "the exported cover letter includes $f as it is now (make export)"
done < <(sed -n 's/^@include \(.*\)@$/\1/p' patches/cover-letter.txt)
grep -q '^@include' patches/0000-cover-letter.patch
ok "$((! $?))" "no @include line is left unexpanded in the cover letter"

stamp=$(. scripts/lib.sh && series_stamp)
grep -qi "series $stamp " docs/measured/results.md
ok $? "docs/measured/results.md records the series in patches/ ($stamp; make record)"

# Figures in README's prose: a number with a unit or a count of results.
unit='(passed|failed|skipped|cases|patches|instructions|instr|min|minutes|s|%|MiB|GiB|MB|GB)'
awk '/^<!-- include /{skip=1} !skip{print FNR": "$0} /^<!-- end include -->/{skip=0}' README.md |
	grep -E "(^|[^.0-9A-Za-z])[0-9][0-9,]*(\.[0-9]+)? ?$unit\b" > "$T/figs" || true
ok "$([ ! -s "$T/figs" ]; echo $?)" "README quotes no figure outside its include blocks"
sed 's/^/# /' "$T/figs"

bad=0
for p in patches/[0-9][0-9][0-9][0-9]-*.patch; do
	froms=$(grep -c '^From ' "$p")
	first=$(head -n 1 "$p" | grep -c '^From [0-9a-f]\{40\} ')
	if [ "$froms" != 1 ] || [ "$first" != 1 ]; then
		echo "# $p: $froms lines begin with 'From ' (one, the first, may)"
		bad=1
	fi
done
ok $bad "every patch file is one mbox message: only its first line begins with 'From '"
msgs=$(cat patches/[0-9][0-9][0-9][0-9]-*.patch | grep -c '^From [0-9a-f]\{40\} ')
files=(patches/[0-9][0-9][0-9][0-9]-*.patch)
ok "$([ "$msgs" = "${#files[@]}" ]; echo $?)" \
	"the series concatenated is one mbox of $msgs messages, one per file"
lines=$(wc -l < patches/0000-cover-letter.patch)
ok "$([ "$lines" -le 350 ]; echo $?)" "the cover letter is at most 350 lines, diffstat included ($lines)"

# The stable cut: the cover letter names lib.sh's STABLE_CUT, and the
# results table has the run of the series cut there.
cut=$(bash -c '. scripts/lib.sh; echo "$STABLE_CUT"')
grep -q "^Patches 1-$cut are for stable trees" patches/0000-cover-letter.patch
ok $? "the cover letter names the stable cut of lib.sh (1-$cut)"
grep -q "x86_64 test, 1-$cut" docs/measured/results.md
ok $? "docs/measured/results.md has the run of the stable cut (make run SERIES_CUT=stable; make record)"
done_testing
