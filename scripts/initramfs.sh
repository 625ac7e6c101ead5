#!/bin/bash
# Build the guest initramfs: busybox-static, guest/init, and the static test
# binaries given as arguments plus guest/tests.list (or $TESTS_LIST).
#   initramfs.sh <output.cpio.gz> <test binary, script or directory>...
# GUEST_BASH: a statically linked bash to add as /bin/bash (5.10's run_vmtests
# is a bash script).
. "$(dirname "$0")/lib.sh"

out=${1:?usage: initramfs.sh <output.cpio.gz> [files...]}
shift
# BUSYBOX: the busybox binary to use (the guest's architecture; the
# Makefile sets it with scripts/fetch-busybox.sh for another ARCH).
bb=${BUSYBOX:-$(command -v busybox || true)}
[ -n "$bb" ] || die "busybox not found; install busybox-static (make deps)"
file -L "$bb" | grep -q 'statically linked' ||
	die "$bb is not statically linked; install busybox-static (make deps)"
arch_info
file -L "$bb" | grep -q "$BIN_WORD" || die "$bb is not built for $ARCH"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# mktemp's 0700 would become the guest's /: tests run as nobody (5.10's
# on-fault-limit) could not reach /bin.
chmod 755 "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,tests}
cp "$bb" "$root/bin/busybox"
install -m 755 "$TOP/guest/init" "$root/init"
install -m 755 "$TOP/guest/sudo" "$root/bin/sudo"
mkdir -p "$root/etc"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
if [ -n "${GUEST_BASH:-}" ]; then
	file -L "$GUEST_BASH" | grep -q 'statically linked' || die "$GUEST_BASH is not statically linked"
	cp "$GUEST_BASH" "$root/bin/bash"
fi
# TESTS_LIST: the list of tests to run (default guest/tests.list).  A line
# "@<arch>[,<arch>...] <name> <command>" is for those architectures only,
# "@!<arch>[,...] <name> <command>" for all others (configs/arches).
awk -v arch="$ARCH" '
	/^@/ {
		sel = substr($1, 2); want = 1
		if (sel ~ /^!/) { sel = substr(sel, 2); want = 0 }
		n = split(sel, a, ","); hit = 0
		for (i = 1; i <= n; i++) if (a[i] == arch) hit = 1
		if (hit != want) next
		sub(/^@[^ \t]+[ \t]+/, "")
	}
	{ print }' "${TESTS_LIST:-$TOP/guest/tests.list}" > "$root/tests/list"
for f in "$@"; do
	[ -e "$f" ] || die "test file $f is missing"
	cp -a "$f" "$root/tests/"
done
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
