#!/bin/bash
# Print the path of a static busybox for the guest architecture:
#   fetch-busybox.sh <debian-arch>
# For the host's own architecture that is the installed busybox-static.  For
# another one (arm64) busybox-static:<arch> is not installed, since it would
# replace the host's: its .deb is downloaded once with apt-get download
# (the architecture must be enabled: make deps ARCH=arm64) and unpacked
# under $CACHE.
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: fetch-busybox.sh <debian-arch>}
if [ "$arch" = "$(dpkg --print-architecture)" ]; then
	command -v busybox || die "busybox not found; install busybox-static (make deps)"
	exit 0
fi
dir=$CACHE/busybox-$arch
bb=$dir/root/bin/busybox
if [ ! -x "$bb" ]; then
	msg "fetching busybox-static:$arch"
	rm -rf "$dir"
	mkdir -p "$dir"
	(cd "$dir" && apt-get -q download "busybox-static:$arch" >download.log 2>&1) || {
		tail -n 5 "$dir/download.log" >&2
		die "cannot download busybox-static:$arch (is $arch enabled? make deps ARCH=$arch)"
	}
	dpkg-deb -x "$dir"/busybox-static_*_"$arch".deb "$dir/root"
fi
[ -x "$bb" ] || die "$bb missing after unpacking busybox-static:$arch"
echo "$bb"
