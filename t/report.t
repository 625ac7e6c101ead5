#!/bin/bash
# report.py: KTAP and exit-status cases, KUnit from the console, and the
# known-failures rules (expected failure, listed-but-passing, not run).
. "$(dirname "$0")/lib.sh"
cat > "$T/results" <<'R'
### begin gup_test:basic
### end gup_test:basic exit=0
### begin cow
TAP version 13
1..4
ok 1 alpha with base page
not ok 2 beta with THP (PMD-mapped)
ok 3 gamma with hugetlb (2 MiB) # SKIP no hugetlb pages
not ok 4 delta with base page
### end cow exit=1
### all done
R
cat > "$T/console" <<'C'
[    0.500000] TAP version 14
[    0.500000] 1..1
[    0.500000]     # Subtest: demo
[    0.500000]     1..2
[    0.500000]     ok 1 - demo_one
[    0.500000]     ok 2 - demo_two
[    0.500000] ok 1 - demo
C
report() { python3 "$TOP/scripts/report.py" "$T/results" "$T/console" "$T/known" > "$T/out" 2>&1; }

printf 'cow | beta with THP (PMD-mapped) | known\ncow | delta with base page | known\n' > "$T/known"
report
ok $? "listed failures are expected"
has "$T/out" '^4 passed, 0 failed, 1 skipped$' "the last line counts passes, failures and skips"
has "$T/out" '^kunit:demo +2 +0' "KUnit cases are read from the console"
has "$T/out" '2 known failures' "known failures are counted apart"

printf 'cow | beta with THP (PMD-mapped) | known\n' > "$T/known"
report
ok "$([ $? -ne 0 ]; echo $?)" "an unlisted failure fails the run"
has "$T/out" 'FAIL cow: delta with base page' "and is named"

printf 'cow | beta with THP (PMD-mapped) | known\ncow | delta with base page | known\ncow | alpha with base page | stale\n' > "$T/known"
report
ok "$([ $? -ne 0 ]; echo $?)" "a listed case that passes fails the run"
has "$T/out" 'alpha with base page.*passed: remove it' "and says to remove it"

printf 'cow | beta with THP (PMD-mapped) | known\ncow | delta with base page | known\ncow | omega | gone\n' > "$T/known"
report
ok "$([ $? -ne 0 ]; echo $?)" "a listed case that did not run fails the run"

sed -i 's/^1\.\.4$/1..5/' "$T/results"
printf 'cow | beta with THP (PMD-mapped) | known\ncow | delta with base page | known\n' > "$T/known"
report
ok "$([ $? -ne 0 ]; echo $?)" "a KTAP plan that does not match fails the run"
has "$T/out" 'plan says 5 cases, 4 reported' "and says so"

: > "$T/console"
sed -i 's/^1\.\.5$/1..4/' "$T/results"
report
ok "$([ $? -ne 0 ]; echo $?)" "missing KUnit output fails the run"
python3 "$TOP/scripts/report.py" "$T/results" "$T/console" "$T/known" --no-kunit > "$T/out" 2>&1
ok $? "--no-kunit: a kernel without KUnit passes without its output"

printf 'cow | delta with base page | known\nother | never run here | elsewhere\n' > "$T/known"
sed -i 's/^not ok 2 beta/ok 2 beta/' "$T/results"
python3 "$TOP/scripts/report.py" "$T/results" "$T/console" "$T/known" --no-kunit > "$T/out" 2>&1
ok $? "a known failure of a suite this run does not have is not judged"

# The kselftest runner's output: its own case, and nested run_vmtests
# steps and KTAP prefixed with "# ".
cat > "$T/results" <<'R'
### begin kselftest-vm
TAP version 13
1..1
# selftests: vm: run_vmtests
# ---------------------
# running map_hugetlb
# ---------------------
# [PASS]
# ------------------------------------
# running cow (COW and GUP pin matrix)
# ------------------------------------
# TAP version 13
# 1..3
# ok 1 one with base page
# not ok 2 two with THP
# ok 3 three with hugetlb # SKIP none
# [FAIL]
# running test_vmalloc.sh smoke
# [SKIP]
not ok 1 selftests: vm: run_vmtests # exit=1
### end kselftest-vm exit=1
### all done
R
: > "$T/known"
python3 "$TOP/scripts/report.py" "$T/results" "$T/console" "$T/known" --no-kunit > "$T/out" 2>&1
ok "$([ $? -ne 0 ]; echo $?)" "a failing nested case fails the run"
has "$T/out" 'FAIL vm:cow: two with THP' "nested KTAP is read per program"
has "$T/out" 'FAIL run_vmtests: cow \(COW and GUP pin matrix\)' "run_vmtests steps are cases"
has "$T/out" '^run_vmtests +1 +1 +0 +1$' "a step's [SKIP] is a skip"
has "$T/out" '^2 passed, 3 failed, 2 skipped$' "runner, steps and nested cases all count"
sed -i 's/^# 1\.\.3$/# 1..4/' "$T/results"
python3 "$TOP/scripts/report.py" "$T/results" "$T/console" "$T/known" --no-kunit > "$T/out" 2>&1
has "$T/out" 'vm:cow: \(plan\).*plan says 4 cases, 3 reported' "a nested plan that does not match fails"

# --expected: the suites, their case counts and the allowed skips per arch.
cat > "$T/results" <<'R'
### begin setup
ok 1 swap on /dev/zram0 is active
ok 2 the hugetlb pool holds 96 pages
1..2
### end setup exit=0
### begin cow
1..3
ok 1 alpha with base page
ok 2 beta with THP # SKIP one NUMA node
ok 3 gamma with hugetlb
### end cow exit=0
### all done
R
cat > "$T/console" <<'C'
[    0.500000]     # Subtest: demo
[    0.500000]     1..2
[    0.500000]     ok 1 - demo_one
[    0.500000]     ok 2 - demo_two
[    0.500000] ok 1 - demo
C
: > "$T/known"
expect() { python3 "$TOP/scripts/report.py" "$T/results" "$T/console" "$T/known" --expected "$T/exp" --arch "${1:-x86_64}" > "$T/out" 2>&1; }
cat > "$T/exp" <<'E'
suite | x86_64 | setup | 2
suite | x86_64 | cow | 3
suite | x86_64 | kunit:demo | 2
skip | x86_64 | cow | beta with THP | one NUMA node
suite | arm64 | cow | 3
E
expect
ok $? "a run that matches the expected results passes"
has "$T/out" '^6 passed, 0 failed, 1 skipped$' "and counts the listed skip as a skip"

sed -i 's/ | one NUMA node$/ | no THP here/' "$T/exp"
expect
ok "$([ $? -ne 0 ]; echo $?)" "a listed case that skips with another reason fails"
has "$T/out" 'FAIL cow: beta with THP.*expects "no THP here"' "and both reasons are shown"

sed -i '/^skip/d' "$T/exp"
expect
ok "$([ $? -ne 0 ]; echo $?)" "a skip that is not listed fails"
has "$T/out" 'FAIL cow: beta with THP \(skipped \(one NUMA node\), and .* lists no such skip\)' "and is named with its reason"

printf 'skip | x86_64 | cow | alpha with base page | gone\nskip | x86_64 | cow | beta with THP | one NUMA node\n' >> "$T/exp"
expect
ok "$([ $? -ne 0 ]; echo $?)" "a listed skip that ran fails"
has "$T/out" 'alpha with base page.*listed as a skip.*but ran' "and says to remove it"

sed -i '/alpha with base page/d' "$T/exp"
sed -i 's/^suite | x86_64 | cow | 3$/suite | x86_64 | cow | 4/' "$T/exp"
expect
ok "$([ $? -ne 0 ]; echo $?)" "a suite with another number of cases fails"
has "$T/out" 'FAIL cow: \(suite\) \(3 cases ran, .* lists 4' "and says how many ran"

sed -i 's/^suite | x86_64 | cow | 4$/suite | x86_64 | cow | 3/' "$T/exp"
echo 'suite | x86_64 | gup_stress | 28' >> "$T/exp"
expect
ok "$([ $? -ne 0 ]; echo $?)" "a listed suite that did not run fails"
has "$T/out" 'FAIL gup_stress: \(suite\) \(did not run' "and is named"

sed -i '/gup_stress/d; /setup/d' "$T/exp"
expect
ok "$([ $? -ne 0 ]; echo $?)" "a suite that is not listed fails"
has "$T/out" 'FAIL setup: \(suite\) \(not listed' "and is named"

echo 'suite | x86_64 | setup | 2' >> "$T/exp"
sed -i 's/^ok 2 the hugetlb pool/not ok 2 the hugetlb pool/' "$T/results"
expect
ok "$([ $? -ne 0 ]; echo $?)" "a failed guest set-up step fails the run"
has "$T/out" 'FAIL setup: the hugetlb pool holds 96 pages' "and names the step"
sed -i 's/^not ok 2 the hugetlb pool/ok 2 the hugetlb pool/' "$T/results"

sed -i 's/^\[    0.500000\]     1\.\.2$/[    0.500000]     1..3/' "$T/console"
expect
ok "$([ $? -ne 0 ]; echo $?)" "a KUnit suite whose plan does not match fails"
has "$T/out" 'kunit:demo: \(plan\).*plan says 3 cases, 2 reported' "and says so"
sed -i 's/^\[    0.500000\]     1\.\.3$/[    0.500000]     1..2/' "$T/console"

expect arm64
ok "$([ $? -ne 0 ]; echo $?)" "the lists are per architecture"
has "$T/out" 'FAIL cow: beta with THP' "another architecture's skips do not apply"
# --part: lines for <arch>:stable or <arch>:full count for that part only;
# a part's suite line overrides the plain one.
expect_part() { python3 "$TOP/scripts/report.py" "$T/results" "$T/console" "$T/known" --expected "$T/exp" --arch x86_64 --part "$1" > "$T/out" 2>&1; }
cat > "$T/exp" <<'E'
suite | x86_64 | setup | 2
suite | x86_64 | cow | 4
suite | x86_64:stable | cow | 3
suite | x86_64 | kunit:demo | 2
skip | x86_64 | cow | beta with THP | one NUMA node
E
expect_part stable
ok $? "the stable part's case count overrides the full series'"
expect_part full
ok "$([ $? -ne 0 ]; echo $?)" "and does not count for the full series"
sed -i 's/^suite | x86_64 | cow | 4$/suite | x86_64 | cow | 3/; s/^skip | x86_64 |/skip | x86_64:full |/' "$T/exp"
expect_part stable
ok "$([ $? -ne 0 ]; echo $?)" "a skip listed for the full series only does not apply to the stable part"
expect_part full
ok $? "and applies to the full series"
expect_part partial
ok "$([ $? -ne 0 ]; echo $?)" "an unknown part is refused"
has "$T/out" 'partial is not one of full, stable' "and named"
sed -i 's/^skip | x86_64:full |/skip | x86_64:most |/' "$T/exp"
expect_part full
ok "$([ $? -ne 0 ]; echo $?)" "an unknown part in the list is refused"
has "$T/out" 'x86_64:most' "with the line"
done_testing
