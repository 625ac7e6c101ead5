#!/bin/bash
# Install the Debian packages the harness needs, or, when not root, say
# exactly which are missing and how to install them.
. "$(dirname "$0")/lib.sh"

pkgs="build-essential bc bison flex libelf-dev libssl-dev dwarves cpio xz-utils
git ccache python3 python3-ply perl file qemu-system-x86 busybox-static liburing-dev e2fsprogs
libhugetlbfs-dev shellcheck
apt ca-certificates ${EXTRA_PKGS:-}"
# Another ARCH (configs/arches): the cross compiler, its C library's
# headers and static libraries (libc6-dev-<arch>-cross, which the compiler
# only recommends), and its QEMU.  That architecture's liburing and
# libhugetlbfs are downloaded, not installed (scripts/fetch-libs.sh),
# which needs the architecture enabled in dpkg.
arch_info
foreign=''
if [ "$DEB_ARCH" != "$(dpkg --print-architecture)" ]; then
	pkgs="$pkgs gcc-${CROSS%-} libc6-dev-$DEB_ARCH-cross $QEMU_PKG"
	dpkg --print-foreign-architectures | grep -qx "$DEB_ARCH" || foreign=$DEB_ARCH
fi

missing=''
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && [ -z "$foreign" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	[ -z "$foreign" ] || die "the $foreign architecture is not enabled${missing:+, missing Debian packages:$missing}
  enable it with: sudo dpkg --add-architecture $foreign && sudo apt-get update${missing:+ && sudo apt-get install$missing}"
	die "missing Debian packages:$missing
  install them with: sudo apt-get install$missing"
fi
mkdir -p "$CACHE"
if [ -n "$foreign" ]; then
	msg "enabling the $foreign architecture (dpkg --add-architecture)"
	dpkg --add-architecture "$foreign"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -q update >/dev/null 2>&1 || warn "apt-get update failed; trying the install anyway"
[ -n "$missing" ] || exit 0
msg "installing:$missing"
# shellcheck disable=SC2086
apt-get -q -y install --no-install-recommends $missing >"$CACHE/apt-install.log" 2>&1 || {
	tail -n 20 "$CACHE/apt-install.log" >&2
	die "apt-get install failed:$missing"
}
