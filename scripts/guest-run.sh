#!/bin/bash
# One guest run, the pipeline make run, make kcsan, make vmtests and make
# bench share: build a kernel, pack an initramfs with a test list and its
# files, boot it under QEMU, report the results.
#   guest-run.sh <config> <kernel-out> <logs> <tests.list> <file>... [-- <report.py option>...]
# <config> names configs/<config>.config (build.sh); the initramfs and the
# boot's logs go to <logs>, with <logs>/series (scripts/series-id.sh: the
# series the tree carried), <logs>/times (how long the kernel build and
# the boot took, for make record) and <logs>/results.json.
# Environment, passed to the step that reads it:
#   TREE, CONFIG_CHECK, EXTRA_CONFIG, JOBS      the build (build.sh)
#   BUSYBOX, GUEST_BASH                         the initramfs (initramfs.sh);
#                                               BUSYBOX defaults to the
#                                               guest architecture's
#   ARCH, BOOT_TIMEOUT, SPLAT_IGNORE, CMDLINE,
#   QEMU_*                                      the boot (boot.sh)
#   KNOWN                                       the known-failures file
#   REPORT=none                                 no report.py (make bench,
#                                               whose report is its own)
#   SKIP_BUILD=1                                boot the kernel already in
#                                               <kernel-out> if there is one
# Exit status 1 if the build, the boot or the report failed; the report
# follows a failed boot, which leaves what ran to report.
. "$(dirname "$0")/lib.sh"

usage="usage: guest-run.sh <config> <kernel-out> <logs> <tests.list> <file>... [-- <report.py option>...]"
config=${1:?$usage}
kout=${2:?$usage}
logs=${3:?$usage}
list=${4:?$usage}
shift 4
files=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	files+=("$1")
	shift
done
[ $# -eq 0 ] || shift
[ -f "$list" ] || die "no test list $list"

arch_info
image=$IMAGE deb_arch=$DEB_ARCH

# The build's kind goes with its time: an incremental build of an output
# directory that held a kernel takes minutes less than one from scratch.
build=reused build_s=0
if [ -z "${SKIP_BUILD:-}" ] || [ ! -f "$kout/$image" ]; then
	build=scratch
	[ ! -f "$kout/$image" ] || build=incremental
	t0=$(date +%s)
	"$TOP/scripts/timed.sh" "kernel ($config, ${ARCH:-x86_64})" \
		"$TOP/scripts/build.sh" "$config" "$kout" || exit 1
	build_s=$(($(date +%s) - t0))
fi

mkdir -p "$logs"
rm -f "$logs/times"
BUSYBOX=${BUSYBOX:-$("$TOP/scripts/fetch-busybox.sh" "$deb_arch")}
TESTS_LIST=$list BUSYBOX=$BUSYBOX \
	"$TOP/scripts/initramfs.sh" "$logs/initramfs.cpio.gz" "${files[@]}" || exit 1
"$TOP/scripts/series-id.sh" > "$logs/series"

boot=0
t0=$(date +%s)
"$TOP/scripts/timed.sh" "boot ($config, ${ARCH:-x86_64})" \
	"$TOP/scripts/boot.sh" "$kout/$image" "$logs/initramfs.cpio.gz" "$logs" || boot=1
printf 'kernel %s %s\nboot %s\n' "$build_s" "$build" "$(($(date +%s) - t0))" > "$logs/times"
[ "${REPORT:-}" != none ] || exit $boot
[ -f "$logs/results.log" ] || die "the guest left no results.log in $logs"
echo "== results: $config config, ${ARCH:-x86_64}, logs in $logs"
rc=0
"$TOP/scripts/report.py" "$logs/results.log" "$logs/console.log" "${KNOWN:-$TOP/known-failures}" \
	--json "$logs/results.json" "$@" || rc=1
[ $boot = 0 ] || { echo "error: the boot failed (see above)"; rc=1; }
exit $rc
