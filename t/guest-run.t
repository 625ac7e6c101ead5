#!/bin/bash
# scripts/guest-run.sh, the pipeline every verb shares, with a build that
# only records its arguments and QEMU faked (t/fake-qemu): it builds the
# named config into the named directory, packs the test list and the
# files, records the series, boots and reports; REPORT=none stops after
# the boot; SKIP_BUILD=1 boots what is there; a failed boot still reports
# and fails.
. "$(dirname "$0")/lib.sh"

top=$T/top
mkdir -p "$top/scripts" "$top/guest" "$top/configs" "$T/bin"
cp "$TOP/configs/arches" "$top/configs/"
cp "$TOP/scripts/lib.sh" "$TOP/scripts/guest-run.sh" "$TOP/scripts/timed.sh" \
	"$TOP/scripts/series-id.sh" "$TOP/scripts/report.py" "$top/scripts/"
# build.sh: record the call, leave a kernel image.
cat > "$top/scripts/build.sh" <<'SH'
#!/bin/bash
echo "build $*" >> "$LOG"
mkdir -p "$2/arch/x86/boot" && echo kernel > "$2/arch/x86/boot/bzImage"
SH
# initramfs.sh: record the list and the files.
cat > "$top/scripts/initramfs.sh" <<'SH'
#!/bin/bash
echo "initramfs $TESTS_LIST ${*:2}" >> "$LOG"
echo archive > "$1"
SH
# boot.sh: write the logs a guest that ran one suite would; BOOT_FAIL=1
# makes it fail as on a splat.
cat > "$top/scripts/boot.sh" <<'SH'
#!/bin/bash
echo "boot $*" >> "$LOG"
printf '### begin one\nok 1 a\nok 2 b\n1..2\n### end one exit=0\n' > "$3/results.log"
: > "$3/console.log"
[ -z "${BOOT_FAIL:-}" ] || { echo "error: a splat" >&2; exit 1; }
SH
chmod +x "$top/scripts/"*
echo 'one ./one' > "$top/guest/list"
: > "$top/known-failures"
git -C "$T" init -q tree && git -C "$T/tree" -c user.name=t -c user.email=t@t commit -q --allow-empty -m base
export LOG=$T/log TREE=$T/tree BUILD=$T/build CACHE=$T/cache BUSYBOX=/bin/true PATCHES=$T/patches
run() { bash "$top/scripts/guest-run.sh" "$@" > "$T/out" 2>&1; }

run test "$T/k" "$T/logs" "$top/guest/list" /bin/true -- --no-kunit
ok $? "a run that passes exits 0"
has "$LOG" "^build test $T/k$" "it builds the named config into the named directory"
has "$LOG" "^initramfs $top/guest/list /bin/true$" "it packs the test list and the files"
has "$LOG" "^boot $T/k/arch/x86/boot/bzImage $T/logs/initramfs.cpio.gz $T/logs$" "it boots that kernel with that initramfs"
has "$T/out" "2 passed, 0 failed, 0 skipped" "and reports what the guest ran, passing report.py the options after --"
ok "$([ -s "$T/logs/results.json" ]; echo $?)" "with the results in results.json"
has "$T/logs/series" '^unexported-' "and records which series the tree carried"
has "$T/logs/times" '^kernel [0-9]+ scratch$' "and how long the kernel build took, from scratch in a new directory"
has "$T/logs/times" '^boot [0-9]+$' "and how long the boot took"

run test "$T/k" "$T/logs" "$top/guest/list" /bin/true -- --no-kunit
has "$T/logs/times" '^kernel [0-9]+ incremental$' "a build into a directory that holds a kernel is incremental"

: > "$LOG"
SKIP_BUILD=1 REPORT=none run test "$T/k" "$T/logs" "$top/guest/list" /bin/true
ok $? "REPORT=none exits with the boot's status"
ok "$(! grep -q '^build' "$LOG"; echo $?)" "SKIP_BUILD=1 boots the kernel already built"
ok "$(! grep -q 'passed' "$T/out"; echo $?)" "REPORT=none prints no report"
has "$T/logs/times" '^kernel 0 reused$' "and the times say the kernel was reused"

BOOT_FAIL=1 run test "$T/k" "$T/logs" "$top/guest/list" /bin/true -- --no-kunit
ok "$([ $? = 1 ]; echo $?)" "a failed boot fails the run"
has "$T/out" '2 passed' "after reporting what ran"
has "$T/out" 'error: the boot failed' "and saying the boot failed"

run test "$T/k" "$T/logs" "$T/nonexistent.list" /bin/true
ok "$([ $? = 1 ]; echo $?)" "a missing test list fails"
has "$T/out" "no test list $T/nonexistent.list" "naming it"

done_testing
